//! Readers of the `.oxe/` Markdown artifacts (PLAN, SPEC, STATE, DISCUSS,
//! hypotheses, confidence vectors, lessons metrics), returning exactly the
//! shapes of the oxe-cc 1.4.0 SDK.
//!
//! The 1.4.0 formats are line- and label-oriented (`### T1 — title`,
//! `**Onda:** 2`, a `| A1 | … |` table under `## Critérios de aceite`)
//! rather than CommonMark documents: a heading inside a code block still
//! counts, a label is found anywhere in a task's text, an empty table cell
//! shifts the next ones left. Each reader here is a small scanner written
//! against the JS text primitives of [`crate::jstext`], so odd input gives
//! the same answer as 1.4.0 (the tests compare against outputs captured
//! from 1.4.0 itself).
//!
//! Labels stay those of the 1.4.0 format (Portuguese keys such as
//! `**Onda:**`), because they are the file format that both tools share.

pub mod confidence;
pub mod fidelity;
pub mod hypotheses;
pub mod lessons;
pub mod markdown;
pub mod plan;
pub mod spec;
pub mod state;
pub mod verify;

use crate::jstext::{self, eat, ws_end};

/// Eats a label made of words separated by at least one whitespace
/// character (the regex `word1\s+word2…`), case-insensitively.
pub(crate) fn eat_words(s: &str, at: usize, words: &[&str]) -> Option<usize> {
    let mut p = at;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let e = ws_end(s, p);
            if e == p {
                return None;
            }
            p = e;
        }
        p = eat(s, p, w, true)?;
    }
    Some(p)
}

/// The first match of `words` (see [`eat_words`]) for which `then`
/// succeeds on the text after the label; scans left to right as a regular
/// expression search does.
pub(crate) fn first_labeled<'a, T>(
    s: &'a str,
    words: &[&str],
    then: impl Fn(&'a str, usize) -> Option<T>,
) -> Option<T> {
    let head = words.first()?;
    for at in jstext::find_all(s, head, true, 0) {
        if let Some(after) = eat_words(s, at, words) {
            if let Some(v) = then(s, after) {
                return Some(v);
            }
        }
    }
    None
}

/// `label\s*([^\n]+)`: the rest of the line after the label (or, when
/// the label ends its line, the next non-blank line), as 1.4.0 reads it.
pub(crate) fn labeled_line<'a>(s: &'a str, words: &[&str]) -> Option<&'a str> {
    first_labeled(s, words, |s, after| {
        jstext::ws_then_run(s, after, 0, |c| c != '\n').map(|(a, b)| &s[a..b])
    })
}

/// Offsets where a `##` heading marker starts (every position, so `###`
/// yields two), followed by optional whitespace and `title`, with the
/// offset just after the title.
pub(crate) fn hash_headings<'a>(
    s: &'a str,
    title: &'a [&'a str],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    jstext::find_all(s, "##", false, 0).filter_map(move |at| {
        let p = ws_end(s, at + 2);
        eat_words(s, p, title).map(|end| (at, end))
    })
}

/// The section 1.4.0 reads a table from: from the heading at `idx` up to
/// and including the line feed before the next `#`, `##` or `###` heading
/// (searched from the third character on), else to the end.
pub(crate) fn table_section(s: &str, idx: usize) -> &str {
    let after = &s[idx..];
    let mut skip = 0;
    for c in after.chars().take(3) {
        skip += c.len_utf8();
    }
    let body = &after[skip..];
    let mut search = 0;
    while let Some(i) = body[search..].find('\n') {
        let nl = search + i;
        let hashes = body[nl + 1..].chars().take_while(|&c| c == '#').count();
        if (1..=3).contains(&hashes) && body[nl + 1 + hashes..].starts_with(' ') {
            return &after[..skip + nl + 1];
        }
        search = nl + 1;
    }
    after
}

/// Table rows of a section: lines whose first non-blank character is `|`,
/// split on `|`, trimmed, with empty cells dropped (so an empty cell moves
/// the next ones one column left, as in 1.4.0).
pub(crate) fn table_rows(section: &str) -> Vec<Vec<&str>> {
    section
        .split('\n')
        .filter(|l| jstext::trim_start(l).starts_with('|'))
        .map(|l| {
            l.split('|')
                .map(jstext::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect()
}

/// `/^X\d+$/i` (or `/^X-\d+$/i`): `prefix` then one or more ASCII digits.
pub(crate) fn is_prefixed_id(cell: &str, prefix: &str) -> bool {
    let Some(rest) = eat(cell, 0, prefix, true).map(|e| &cell[e..]) else {
        return false;
    };
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

/// All non-overlapping matches of `prefix\d+` (case-sensitive) in `s`.
pub(crate) fn prefixed_ids<'a>(s: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut p = 0;
    while let Some(i) = s[p..].find(prefix) {
        let at = p + i;
        let digits = s[at + prefix.len()..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits > 0 {
            let end = at + prefix.len() + digits;
            out.push(&s[at..end]);
            p = end;
        } else {
            p = at + prefix.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// `x=["']([^"']+)["']` preceded by a word boundary: the first attribute
/// value of `name` in an XML-ish attribute list.
pub(crate) fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=");
    let mut p = 0;
    while let Some(i) = attrs[p..].find(&key) {
        let at = p + i;
        p = at + 1;
        if !jstext::is_word_boundary(attrs, at) {
            continue;
        }
        let v = at + key.len();
        if !matches!(jstext::char_at(attrs, v), Some('"' | '\'')) {
            continue;
        }
        let body = &attrs[v + 1..];
        let len = body.find(['"', '\'']).unwrap_or(body.len());
        if len > 0 && len < body.len() {
            return Some(&body[..len]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_end_before_next_heading() {
        let s = "## A\n| x |\n## B\n| y |";
        assert_eq!(table_section(s, 0), "## A\n| x |\n");
        assert_eq!(
            table_section("## A\n#### deep\n| x |", 0),
            "## A\n#### deep\n| x |"
        );
    }

    #[test]
    fn rows_drop_empty_cells() {
        assert_eq!(table_rows(" | A1 |  | c |\nno"), vec![vec!["A1", "c"]]);
    }

    #[test]
    fn ids_and_attrs() {
        assert!(
            is_prefixed_id("a12", "A") && !is_prefixed_id("A", "A") && !is_prefixed_id("A1x", "A")
        );
        assert_eq!(prefixed_ids("AA1, A22 xA3", "A"), vec!["A1", "A22", "A3"]);
        assert_eq!(attr(r#"hid="x" data-id='y'"#, "id"), Some("y"));
        assert_eq!(attr(r#"id="" id="z""#, "id"), Some("z"));
    }
}
