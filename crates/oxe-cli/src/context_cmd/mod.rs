//! Context Engine V2 (1.4.0's `oxe-context-engine`): the members of the
//! SDK namespace `context` that need no workflow contract registry.
//!
//! - [`compute_context_quality`]: the pack's quality score and status;
//! - [`compute_pack_freshness`]: whether a stored pack is stale and why;
//! - [`summarize_text`]: the deterministic text reducer of summaries;
//! - [`context_paths`]: where packs, summaries and the index live.
//!
//! - [`index`]: the artifact aliases, their records, the summaries and
//!   `context/index.json`;
//! - [`pack`]: context packs per workflow from the contracts registry;
//! - [`cli`]: `oxe-cc context build|inspect`.

pub mod cli;
pub mod index;
pub mod pack;

use std::path::Path;

use oxe_runtime::jsjson::{js_string, truthy};
use serde_json::{json, Map, Value};

/// A JS number as JSON: whole numbers as integers, NaN/Infinity as null.
fn number(x: f64) -> Value {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        json!(x as i64)
    } else {
        oxe_runtime::context::js::number(x)
    }
}

fn list<'a>(pack: &'a Value, key: &str) -> &'a [Value] {
    pack.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `computeContextQuality(pack)` → `{score, status, requiredMissing,
/// optionalMissing, conflicts, fallbackCount}`: 100, minus 25 per critical
/// gap, 5 per other gap, 12 per conflict, 6 per artifact read from its
/// fallback path, 40 when nothing was selected; clamped to 0–100.
pub fn compute_context_quality(pack: &Value) -> Value {
    let gaps = list(pack, "gaps");
    let required = gaps
        .iter()
        .filter(|g| g.get("severity").and_then(Value::as_str) == Some("critical"))
        .count();
    let optional = gaps.len() - required;
    let conflicts = list(pack, "conflicts").len();
    let selected = list(pack, "selected_artifacts");
    let fallback = selected
        .iter()
        .filter(|a| a.get("using_fallback").is_some_and(truthy))
        .count();
    let mut score: i64 = 100;
    score -= required as i64 * 25;
    score -= optional as i64 * 5;
    score -= conflicts as i64 * 12;
    score -= fallback as i64 * 6;
    if selected.is_empty() {
        score -= 40;
    }
    let score = score.clamp(0, 100);
    let status = match score {
        85.. => "excellent",
        70..=84 => "good",
        50..=69 => "fragile",
        _ => "critical",
    };
    json!({
        "score": score,
        "status": status,
        "requiredMissing": required,
        "optionalMissing": optional,
        "conflicts": conflicts,
        "fallbackCount": fallback,
    })
}

fn date_ms(v: &Value) -> Option<f64> {
    crate::jsdate::parse(&js_string(v))
}

/// `Number(v)` for a JSON value.
fn to_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => crate::jstext::to_number(s),
        Value::Array(a) if a.is_empty() => 0.0,
        Value::Array(a) if a.len() == 1 => to_number(&Value::String(js_string(&a[0]))),
        _ => f64::NAN,
    }
}

/// `computePackFreshness(pack, contract)` at time `now_ms` →
/// `{generated_at, latest_source_at, pack_age_hours, max_pack_age_hours,
/// stale, reason}`; `reason` is the first of `source_newer_than_pack`,
/// `pack_age_exceeded`, `fallback_required`, `fresh` that applies.
pub fn compute_pack_freshness(pack: &Value, contract: &Value, now_ms: f64) -> Value {
    let generated = pack.get("generated_at").filter(|v| truthy(v)).cloned();
    let latest = list(pack, "selected_artifacts")
        .iter()
        .filter_map(|a| a.get("updated_at").filter(|v| truthy(v)))
        .filter_map(date_ms)
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
    let generated_ms = generated.as_ref().and_then(date_ms);
    let age = generated_ms.map(|g| ((now_ms - g) / 3_600_000.0).floor());
    let max_age = match contract
        .get("freshness_policy")
        .filter(|p| truthy(p))
        .and_then(|p| p.get("pack_max_age_hours"))
    {
        Some(v) if !v.is_null() => to_number(v),
        _ => 12.0,
    };
    let stale_by_age = match age {
        Some(a) if max_age > 0.0 => a > max_age,
        _ => false,
    };
    let stale_by_source = matches!((generated_ms, latest), (Some(g), Some(l)) if g < l);
    let fallback = pack.get("fallback_required").is_some_and(truthy);
    let reason = if stale_by_source {
        "source_newer_than_pack"
    } else if stale_by_age {
        "pack_age_exceeded"
    } else if fallback {
        "fallback_required"
    } else {
        "fresh"
    };
    let mut out = Map::new();
    out.insert("generated_at".into(), generated.unwrap_or(Value::Null));
    out.insert(
        "latest_source_at".into(),
        latest.map_or(Value::Null, |l| Value::String(crate::jsdate::to_iso(l))),
    );
    out.insert("pack_age_hours".into(), age.map_or(Value::Null, number));
    out.insert("max_pack_age_hours".into(), number(max_age));
    out.insert(
        "stale".into(),
        Value::Bool(stale_by_age || stale_by_source || fallback),
    );
    out.insert("reason".into(), Value::String(reason.into()));
    Value::Object(out)
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The first `n` UTF-16 units of `s` (never splitting a character).
fn utf16_prefix(s: &str, n: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > n {
            return &s[..i];
        }
    }
    s
}

/// `summarizeText(text, maxChars = 640, maxLines = 12)`: the first
/// `maxLines` non-empty trimmed lines joined by spaces, cut to
/// `maxChars - 1` characters plus `…` when longer.
pub fn summarize_text(text: &str, max_chars: usize, max_lines: usize) -> String {
    let normalized = text.replace("\r\n", "\n");
    let normalized = crate::jstext::trim(&normalized);
    if normalized.is_empty() {
        return String::new();
    }
    let joined = normalized
        .split('\n')
        .map(crate::jstext::trim)
        .filter(|l| !l.is_empty())
        .take(max_lines)
        .collect::<Vec<_>>()
        .join(" ");
    if utf16_len(&joined) > max_chars {
        format!("{}…", utf16_prefix(&joined, max_chars.saturating_sub(1)))
    } else {
        joined
    }
}

/// Section keywords per extraction intent (matched in lower-cased
/// headings); an unknown intent uses `status_read`.
const INTENT_KEYWORDS: [(&str, &[&str]); 5] = [
    (
        "execution_input",
        &[
            "onda",
            "tarefa",
            "hipótese",
            "hipotese",
            "wave",
            "task",
            "bloqueio",
            "checkpoint",
            "execu",
        ],
    ),
    (
        "verification",
        &[
            "gap",
            "critério",
            "criterio",
            "finding",
            "auditoria",
            "resultado",
            "evidência",
            "evidencia",
            "falha",
            "lacuna",
        ],
    ),
    (
        "planning_input",
        &[
            "objetivo",
            "autoavaliação",
            "autoavaliacao",
            "confiança",
            "confianca",
            "plano",
            "requisito",
            "risco",
            "hipótese",
            "hipotese",
        ],
    ),
    (
        "critical_check",
        &[
            "bloqueio", "falha", "gap", "erro", "crítico", "critico", "p0", "p1",
        ],
    ),
    (
        "status_read",
        &[
            "fase", "estado", "próximo", "proximo", "status", "resumo", "sessão", "sessao",
            "snapshot",
        ],
    ),
];

/// Markers that keep a section whatever the intent (case-sensitive).
pub const DEFAULT_PRESERVE_MARKERS: [&str; 12] = [
    "P0",
    "P1",
    "bloqueado",
    "BLOQUEADO",
    "FALHA",
    "crítico",
    "CRÍTICO",
    "gaps",
    "GAPS",
    "bloqueante",
    "BLOQUEANTE",
    "crítica",
];

/// `extractSemanticFragment(text, {intent, maxChars, preserveMarkers})`:
/// the sections of a Markdown text (split at `#`–`###` headings) ranked
/// critical marker > intent keyword in the heading > first section >
/// rest, taken greedily within `max_chars` (at least 200), then put back
/// in document order. Text without headings is summarised instead.
pub fn extract_semantic_fragment(
    text: &str,
    intent: &str,
    max_chars: usize,
    markers: &[String],
) -> String {
    let max_chars = max_chars.max(200);
    let normalized = text.replace("\r\n", "\n");
    let normalized = crate::jstext::trim(&normalized);
    if normalized.is_empty() {
        return String::new();
    }
    let has_heading = normalized.contains("\n## ")
        || normalized.starts_with("## ")
        || normalized.contains("\n# ")
        || normalized.starts_with("# ");
    if !has_heading {
        return summarize_text(normalized, max_chars, 20);
    }
    let mut sections: Vec<(String, Vec<&str>)> = vec![(String::new(), Vec::new())];
    for line in normalized.split('\n') {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=3).contains(&hashes) && line[hashes..].starts_with(' ') {
            sections.push((line.to_string(), Vec::new()));
        } else if let Some(last) = sections.last_mut() {
            last.1.push(line);
        }
    }
    let kws = INTENT_KEYWORDS
        .iter()
        .find(|(k, _)| *k == intent)
        .or_else(|| INTENT_KEYWORDS.iter().find(|(k, _)| *k == "status_read"))
        .map_or(&[][..], |(_, v)| *v);
    let mut ranked: Vec<(u8, usize)> = sections
        .iter()
        .enumerate()
        .map(|(i, (heading, lines))| {
            let h = heading.to_lowercase();
            let critical = std::iter::once(heading.as_str())
                .chain(lines.iter().copied())
                .any(|l| markers.iter().any(|m| l.contains(m.as_str())));
            let relevant = kws.iter().any(|k| h.contains(k));
            let r = if critical {
                3
            } else if relevant {
                2
            } else if i == 0 {
                1
            } else {
                0
            };
            (r, i)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut budget = max_chars as i64;
    for (_, i) in ranked {
        if budget <= 0 {
            break;
        }
        let (heading, lines) = &sections[i];
        let pieces: Vec<&str> = std::iter::once(heading.as_str())
            .chain(lines.iter().copied())
            .filter(|l| !l.is_empty())
            .collect();
        let joined = pieces.join("\n");
        let chunk = crate::jstext::trim(&joined);
        if chunk.is_empty() {
            continue;
        }
        let len = utf16_len(chunk) as i64;
        if len <= budget {
            parts.push((i, chunk.to_string()));
            budget -= len + 2;
        } else if budget > 80 {
            let cut = utf16_prefix(chunk, (budget - 1) as usize);
            parts.push((i, format!("{cut}…")));
            budget = 0;
        }
    }
    parts.sort_by_key(|p| p.0);
    let result = parts
        .into_iter()
        .map(|p| p.1)
        .collect::<Vec<_>>()
        .join("\n\n");
    let result = crate::jstext::trim(&result);
    if utf16_len(result) > max_chars {
        format!("{}…", utf16_prefix(result, max_chars - 1))
    } else {
        result.to_string()
    }
}

/// The session key of pack and summary file names: `sessions/` dropped,
/// `/` and `\` as `__`, other runs outside `[A-Za-z0-9._-]` as `-`.
pub fn session_key(session: &str) -> String {
    let s = session.strip_prefix("sessions/").unwrap_or(session);
    session_key_chars(&s.replace(['/', '\\'], "__"))
}

/// `contextPaths(projectRoot, activeSession)`. `session` is `None` when
/// the caller gave none (then STATE.md's `active_session` is used) and
/// `Some(None)` for an explicit empty/null session. The pack path helpers
/// are functions in 1.4.0: the glue builds them from `packsDir` and
/// `sessionPackPrefix` (null without a session).
pub fn context_paths(root: &Path, session: Option<Option<&str>>) -> Value {
    let oxe = root.join(".oxe");
    let state = std::fs::read_to_string(oxe.join("STATE.md")).unwrap_or_default();
    let resolved: Option<String> = match session {
        None => crate::parsers::state::parse_active_session(&state),
        Some(s) => s.map(str::to_string),
    }
    .filter(|s| !s.is_empty());
    let phase =
        crate::parsers::state::parse_state_phase(&state).unwrap_or_else(|| "unknown".into());
    let safe_phase = session_key_chars(&phase);
    let ctx = oxe.join("context");
    let packs = ctx.join("packs");
    let summaries = ctx.join("summaries");
    let p = |x: &Path| Value::String(x.to_string_lossy().into_owned());
    let key = resolved.as_deref().map(session_key);
    let sess = |ext: &str| {
        key.as_ref().map_or(Value::Null, |k| {
            p(&summaries.join(format!("session-{k}.{ext}")))
        })
    };
    json!({
        "root": p(&ctx),
        "index": p(&ctx.join("index.json")),
        "packsDir": p(&packs),
        "summariesDir": p(&summaries),
        "projectSummaryJson": p(&summaries.join("project.json")),
        "projectSummaryMd": p(&summaries.join("project.md")),
        "sessionSummaryJson": sess("json"),
        "sessionSummaryMd": sess("md"),
        "phaseSummaryJson": p(&summaries.join(format!("phase-{safe_phase}.json"))),
        "phaseSummaryMd": p(&summaries.join(format!("phase-{safe_phase}.md"))),
        "sessionPackPrefix": key.as_ref().map_or(Value::Null, |k| p(&packs.join(format!("session-{k}-")))),
        "activeSession": resolved.map_or(Value::Null, Value::String),
        "phase": phase,
    })
}

/// `resolvePackFile(projectRoot, workflow, activeSession)`: the session
/// pack when it exists, else the default pack (whether or not it exists).
pub fn resolve_pack_file(root: &Path, workflow: &str, session: Option<Option<&str>>) -> String {
    let paths = context_paths(root, session);
    let text = |k: &str| paths.get(k).and_then(Value::as_str).map(str::to_string);
    let packs = text("packsDir").unwrap_or_default();
    let default = crate::flags::resolve(Path::new(&packs), &format!("{workflow}.json"));
    if let Some(prefix) = text("sessionPackPrefix") {
        let session_pack = format!("{prefix}{workflow}.json");
        if Path::new(&session_pack).exists() {
            return session_pack;
        }
    }
    default.to_string_lossy().into_owned()
}

/// Runs of characters outside `[A-Za-z0-9._-]` replaced by one `-`.
fn session_key_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality() {
        let q = compute_context_quality(&json!({"selected_artifacts":[{"alias":"state"}]}));
        assert_eq!(q["score"], 100);
        assert_eq!(q["status"], "excellent");
        let q = compute_context_quality(&json!({
            "selected_artifacts":[{"using_fallback":true}],
            "gaps":[{"severity":"critical"},{"severity":"warning"}],
            "conflicts":[{}]
        }));
        assert_eq!(q["score"], 100 - 25 - 5 - 12 - 6);
        assert_eq!(q["status"], "fragile");
        let q = compute_context_quality(&json!({}));
        assert_eq!(q["score"], 60);
        let q = compute_context_quality(
            &json!({"gaps":[{"severity":"critical"},{"severity":"critical"},{"severity":"critical"},{"severity":"critical"}],"selected_artifacts":[{}]}),
        );
        assert_eq!(q["score"], 0);
        assert_eq!(q["status"], "critical");
    }

    #[test]
    fn freshness() {
        let now = crate::jsdate::parse("2026-01-02T00:00:00.000Z").unwrap_or(0.0);
        let pack = json!({"generated_at":"2026-01-01T23:30:00.000Z","selected_artifacts":[]});
        let f = compute_pack_freshness(&pack, &Value::Null, now);
        assert_eq!(f["reason"], "fresh");
        assert_eq!(f["pack_age_hours"], 0);
        assert_eq!(f["max_pack_age_hours"], 12);
        let pack = json!({"generated_at":"2026-01-01T00:00:00.000Z","selected_artifacts":[]});
        let f = compute_pack_freshness(&pack, &Value::Null, now);
        assert_eq!(f["reason"], "pack_age_exceeded");
        let pack = json!({"generated_at":"2026-01-01T23:00:00.000Z","selected_artifacts":[{"updated_at":"2026-01-01T23:59:00.000Z"}]});
        let f = compute_pack_freshness(
            &pack,
            &json!({"freshness_policy":{"pack_max_age_hours":48}}),
            now,
        );
        assert_eq!(f["reason"], "source_newer_than_pack");
        assert_eq!(f["latest_source_at"], "2026-01-01T23:59:00.000Z");
        assert_eq!(f["max_pack_age_hours"], 48);
        let f = compute_pack_freshness(&json!({"fallback_required":true}), &Value::Null, now);
        assert_eq!(f["reason"], "fallback_required");
        assert_eq!(f["pack_age_hours"], Value::Null);
    }

    #[test]
    fn text_and_keys() {
        assert_eq!(summarize_text("  a\r\n\n b \nc", 640, 2), "a b");
        assert_eq!(summarize_text("abcdef", 4, 12), "abc…");
        assert_eq!(summarize_text("", 4, 12), "");
        assert_eq!(session_key("sessions/s001-x"), "s001-x");
        assert_eq!(session_key("a/b c!"), "a__b-c-");
        let md = "# T\n\nintro\n\n## Outros\n\nx\n\n## Onda 1\n\nT1\n\n## Notas\n\nP0 aqui\n";
        let markers: Vec<String> = DEFAULT_PRESERVE_MARKERS
            .iter()
            .map(|m| m.to_string())
            .collect();
        let out = extract_semantic_fragment(md, "execution_input", 1200, &markers);
        assert!(out.contains("## Onda 1") && out.contains("P0 aqui"));
        assert!(out.find("# T").unwrap_or(99) < out.find("## Notas").unwrap_or(0));
        let long = format!(
            "## Gaps\n\nP0 {}\n\n## Outros\n\n{}",
            "a".repeat(150),
            "b".repeat(400)
        );
        let out = extract_semantic_fragment(&long, "verification", 200, &markers);
        assert!(out.starts_with("## Gaps\nP0"), "{out}");
        assert!(out.chars().count() <= 200);
        assert_eq!(
            extract_semantic_fragment("plain\ntext", "x", 10, &markers),
            "plain text"
        );
    }
}
