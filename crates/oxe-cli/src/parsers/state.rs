//! `parseState(stateMd)` and the STATE.md field readers of 1.4.0's health
//! module (`parseStatePhase`, `parseLastScanDate`, `parseLastCompactDate`,
//! `parseLastRetroDate`, `parseActiveSession`, `parsePlanReviewStatus`).

use serde::Serialize;
use serde_json::Value;

use super::hash_headings;
use super::spec::first_line_after;
use crate::jsdate;
use crate::jstext::{self, backticked, eat, is_lt, is_ws, ws_end, ws_then_run};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    pub phase: Option<String>,
    pub last_scan_date: Option<String>,
    pub last_retro_date: Option<String>,
    pub next_step: Option<String>,
    pub decisions: Vec<String>,
    pub active_workstreams: Vec<String>,
    pub active_milestone: Option<String>,
    pub run_id: Option<String>,
    pub lifecycle_status: Option<String>,
    pub loop_status: Option<String>,
}

impl State {
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `parseStatePhase`: the first backticked token after `## Fase atual`
/// (blank lines allowed in between), cut at its first whitespace.
pub fn parse_state_phase(s: &str) -> Option<String> {
    for (_, end) in hash_headings(s, &["Fase atual"]) {
        let b = ws_end(s, end);
        if !s[end..b].contains('\n') || !s[b..].starts_with('`') {
            continue;
        }
        let body = &s[b + 1..];
        match body.find('`') {
            Some(n) if n > 0 => {
                let token = jstext::trim(&body[..n]);
                let first = token.split(is_ws).next().unwrap_or_default();
                return Some(first.to_string());
            }
            _ => continue,
        }
    }
    None
}

/// The `**Data:**` value of the line that follows a "last scan/compact"
/// heading, as epoch milliseconds, with 1.4.0's rejections: parenthesised
/// text, the template placeholders, values `Date.parse` cannot read unless
/// they start `dd/mm/yyyy` (taken as local midnight).
fn dated_section(s: &str, title: &[&str], rest_of_heading: bool, placeholder: &str) -> Option<f64> {
    let sec = hash_headings(s, title).next().map(|(_, end)| {
        let end = if rest_of_heading {
            s[end..].find('\n').map_or(s.len(), |i| end + i)
        } else {
            end
        };
        let b = ws_end(s, end);
        &s[b..jstext::line_end(s, b)]
    })?;
    let raw = super::first_labeled(sec, &["**Data:**"], |t, after| {
        ws_then_run(t, after, 0, |c| !is_lt(c)).map(|(a, b)| &t[a..b])
    })?;
    let raw = jstext::trim(raw);
    let parenthesised = raw.starts_with('(')
        && raw.ends_with(')')
        && raw.len() >= 2
        && !raw[1..raw.len() - 1].contains(')');
    let lowered_hit = ["placeholder", "legível", placeholder]
        .iter()
        .any(|w| jstext::find_all(raw, w, true, 0).next().is_some());
    if parenthesised || lowered_hit || raw.starts_with('(') {
        return None;
    }
    if let Some(ms) = jsdate::parse(raw) {
        return Some(ms);
    }
    dd_mm_yyyy(raw).and_then(|(d, m, y)| jsdate::local_date(y, m - 1.0, d))
}

/// `^(\d{1,2})\/(\d{1,2})\/(\d{4})`.
fn dd_mm_yyyy(raw: &str) -> Option<(f64, f64, f64)> {
    let b = raw.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<(f64, usize)> {
        let n = b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n < min {
            return None;
        }
        let n = n.min(max);
        Some((jstext::digits_value(&raw[from..from + n]), from + n))
    };
    let (d, p) = digits(0, 1, 2)?;
    if b.get(p) != Some(&b'/') {
        return None;
    }
    let (m, p) = digits(p + 1, 1, 2)?;
    if b.get(p) != Some(&b'/') {
        return None;
    }
    let (y, _) = digits(p + 1, 4, 4)?;
    Some((d, m, y))
}

/// `parseLastScanDate`: epoch milliseconds or `None`.
pub fn parse_last_scan_date(s: &str) -> Option<f64> {
    dated_section(s, &["Último scan"], false, "ISO")
}

/// `parseLastCompactDate`: epoch milliseconds or `None`.
pub fn parse_last_compact_date(s: &str) -> Option<f64> {
    dated_section(s, &["Último compact"], true, "YYYY-MM-DD")
}

/// `parseLastRetroDate`: `last_retro: YYYY-MM-DD` anywhere, as epoch ms.
pub fn parse_last_retro_date(s: &str) -> Option<f64> {
    for at in jstext::find_all(s, "last_retro", true, 0) {
        if !jstext::is_word_boundary(s, at) {
            continue;
        }
        let p = ws_end(s, at + "last_retro".len());
        let Some(p) = eat(s, p, ":", false) else {
            continue;
        };
        let p = ws_end(s, p);
        let d = s.get(p..p + 10).unwrap_or_default();
        let shape = d.bytes().enumerate().all(|(i, c)| match i {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        });
        if d.len() == 10 && shape {
            return jsdate::parse(d);
        }
    }
    None
}

/// `\*\*<label>:\*\*\s*`?([^\n`]+?)`?\s*(?:\n|$)` (case-insensitive): the
/// value of a bold field, or `None` for a missing field, `—` or `none`.
fn bold_field(s: &str, label: &str) -> Option<String> {
    let key = format!("**{label}:**");
    // `` `?\s*(?:\n|$) `` at `e`: an optional backtick, then whitespace
    // that holds a line feed or runs to the end of the text.
    let line_ends_at = |e: usize| {
        let e = if s[e..].starts_with('`') { e + 1 } else { e };
        let w = ws_end(s, e);
        s[e..w].contains('\n') || w == s.len()
    };
    for at in jstext::find_all(s, &key, true, 0) {
        let l = at + key.len();
        let b = ws_end(s, l);
        // first try: all the whitespace, then an optional opening backtick
        let p = if s[b..].starts_with('`') { b + 1 } else { b };
        let stop = s[p..].find(['\n', '`']).map_or(s.len(), |i| p + i);
        if stop > p && line_ends_at(stop) {
            let raw = jstext::trim(&s[p..stop]);
            if raw.is_empty() || raw == "—" || raw.eq_ignore_ascii_case("none") {
                return None;
            }
            return Some(raw.to_string());
        }
        // backtracking into the whitespace: a blank (not a line feed) as
        // the value, when what follows it ends the line; the value is then
        // empty, which 1.4.0 answers with null
        let w = &s[l..b];
        let blank_value = w
            .char_indices()
            .any(|(i, c)| c != '\n' && (w[i + c.len_utf8()..].contains('\n') || line_ends_at(b)));
        if blank_value {
            return None;
        }
    }
    None
}

/// `parseActiveSession`: `**active_session:** sessions/s001-x`, with
/// backslashes turned into slashes.
pub fn parse_active_session(s: &str) -> Option<String> {
    bold_field(s, "active_session").map(|v| v.replace('\\', "/"))
}

/// `parsePlanReviewStatus`.
pub fn parse_plan_review_status(s: &str) -> Option<String> {
    bold_field(s, "plan_review_status")
}

/// `^\s*[-*]?\s*\*?\*?<key>:\*?\*?\s*` then a value: the first such line.
fn bullet_field<'a>(
    s: &'a str,
    key: &str,
    value: impl Fn(&'a str, usize) -> Option<&'a str>,
) -> Option<&'a str> {
    let mut p = 0;
    while p <= s.len() {
        if jstext::is_line_start(s, p) {
            if let Some(v) = bullet_at(s, p, key, &value) {
                return Some(v);
            }
        }
        match jstext::char_at(s, p) {
            Some(c) => p += c.len_utf8(),
            None => break,
        }
    }
    None
}

fn bullet_at<'a>(
    s: &'a str,
    p: usize,
    key: &str,
    value: &impl Fn(&'a str, usize) -> Option<&'a str>,
) -> Option<&'a str> {
    let mut q = ws_end(s, p);
    if matches!(jstext::char_at(s, q), Some('-' | '*')) {
        q += 1;
    }
    let q = ws_end(s, q);
    // up to two optional asterisks, then the key (tried greedily first)
    let stars = s[q..].bytes().take(2).take_while(|&b| b == b'*').count();
    let mut k = None;
    for n in (0..=stars).rev() {
        if let Some(e) = eat(s, q + n, &format!("{key}:"), true) {
            k = Some(e);
            break;
        }
    }
    let k = k?;
    let stars_after = s[k..].bytes().take(2).take_while(|&b| b == b'*').count();
    for n in (0..=stars_after).rev() {
        if let Some(v) = value(s, k + n) {
            return Some(v);
        }
    }
    None
}

fn dash_is_none(v: &str) -> Option<String> {
    (v != "—" && v != "-").then(|| v.to_string())
}

fn parse_run_id(s: &str) -> Option<String> {
    let raw = bullet_field(s, "run_id", |t, at| {
        ws_then_run(t, at, 0, |c| !is_lt(c)).map(|(a, b)| &t[a..b])
    })?;
    let v = jstext::trim(raw)
        .trim_start_matches(['(', '-', '—'])
        .trim_end_matches([')', '-', '—']);
    dash_is_none(jstext::trim(v)).filter(|v| !v.is_empty())
}

fn parse_status_word(s: &str, key: &str) -> Option<String> {
    let v = bullet_field(s, key, |t, at| {
        let b = ws_end(t, at);
        let stop = |c: char| is_ws(c) || c == '|' || c == '`' || c == '(';
        let end = t[b..].find(stop).map_or(t.len(), |i| b + i);
        (end > b).then(|| &t[b..end])
    })?;
    dash_is_none(jstext::trim(v))
}

/// `parseState(stateMd)`.
pub fn parse_state(md: &str) -> State {
    let line_after = |title: &str| first_line_after(md, &[title]);
    let next_step = line_after("Próximo passo sugerido").map(|l| {
        let first = jstext::trim(&l)
            .split('\n')
            .next()
            .unwrap_or_default()
            .to_string();
        let first = first
            .strip_prefix(['-', '*'])
            .map_or(first.as_str(), |r| r.trim_start_matches(is_ws))
            .to_string();
        jstext::trim(&first).to_string()
    });
    let decisions = line_after("Decisões persistentes")
        .map(|sec| {
            let closed = decision_refs_closed(&sec);
            if !closed.is_empty() {
                closed
            } else {
                decision_refs_open(&sec)
            }
        })
        .unwrap_or_default();
    let active_workstreams = line_after("Workstreams ativos")
        .map(|sec| backticked(&sec).into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    State {
        phase: parse_state_phase(md),
        last_scan_date: parse_last_scan_date(md).map(jsdate::iso_day),
        last_retro_date: parse_last_retro_date(md).map(jsdate::iso_day),
        next_step,
        decisions,
        active_workstreams,
        active_milestone: active_milestone(md),
        run_id: parse_run_id(md),
        lifecycle_status: parse_status_word(md, "lifecycle_status"),
        loop_status: parse_status_word(md, "loop_status"),
    }
}

/// `D-\d+[^)]*\)` (global).
fn decision_refs_closed(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = 0;
    while let Some(i) = s[p..].find("D-") {
        let at = p + i;
        let digits = s[at + 2..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if let Some(j) = s[at + 2 + digits..].find(')') {
                let end = at + 2 + digits + j + 1;
                out.push(s[at..end].to_string());
                p = end;
                continue;
            }
        }
        p = at + 1;
    }
    out
}

/// `D-\d+[^\n]*` (global).
fn decision_refs_open(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = 0;
    while let Some(i) = s[p..].find("D-") {
        let at = p + i;
        if s[at + 2..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
        {
            let end = s[at..].find('\n').map_or(s.len(), |j| at + j);
            out.push(s[at..end].to_string());
            p = end;
        } else {
            p = at + 1;
        }
    }
    out
}

/// `##\s*Milestone ativo\s*\n+[^`]*`([^`]+)`` (case-insensitive).
fn active_milestone(s: &str) -> Option<String> {
    for (_, end) in hash_headings(s, &["Milestone ativo"]) {
        let b = ws_end(s, end);
        if !s[end..b].contains('\n') {
            continue;
        }
        let Some(open) = s[b..].find('`').map(|i| b + i) else {
            continue;
        };
        let body = &s[open + 1..];
        if let Some(n) = body.find('`').filter(|&n| n > 0) {
            return Some(body[..n].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let md = "## Fase atual\n\n`executing` — since T3\n\n## Último scan\n\n- **Data:** 2024-01-15\n\n## Próximo passo sugerido\n\n- Comando: `oxe:plan`\n\n## Decisões persistentes\n\n- D-01: use JWT (2024-01-01), D-02 (x)\n\n## Workstreams ativos\n\n- `billing`, `auth`\n\n## Milestone ativo\n\n- **ID:** `M-01`\n\n- **run_id:** oxe-run-1\n- **lifecycle_status:** `executing`\n- **loop_status:** retrying (2/3)\nlast_retro: 2024-02-30\n";
        let s = parse_state(md);
        assert_eq!(s.phase.as_deref(), Some("executing"));
        assert_eq!(s.last_scan_date.as_deref(), Some("2024-01-15"));
        assert_eq!(s.last_retro_date.as_deref(), Some("2024-03-01"));
        assert_eq!(s.next_step.as_deref(), Some("Comando: `oxe:plan`"));
        assert_eq!(s.decisions, vec!["D-01: use JWT (2024-01-01)", "D-02 (x)"]);
        assert_eq!(s.active_workstreams, vec!["billing", "auth"]);
        assert_eq!(s.active_milestone.as_deref(), Some("M-01"));
        assert_eq!(s.run_id.as_deref(), Some("oxe-run-1"));
        // 1.4.0 gives the asterisk back to the value when a backtick follows
        assert_eq!(s.lifecycle_status.as_deref(), Some("*"));
        assert_eq!(s.loop_status.as_deref(), Some("retrying"));
    }

    #[test]
    fn placeholders_are_null() {
        let md = "## Último scan\n\n- **Data:** (fill in YYYY-MM-DD)\n- **run_id:** —\n**active_session:** —\n";
        let s = parse_state(md);
        assert_eq!(s.last_scan_date, None);
        assert_eq!(s.run_id, None);
        assert_eq!(parse_active_session(md), None);
        assert_eq!(
            parse_active_session("**active_session:** `sessions\\s001-x`\n").as_deref(),
            Some("sessions/s001-x")
        );
    }
}
