//! `parseSpec(specMd)`: objective, acceptance criteria and `##` headings of
//! a SPEC.md.

use serde::Serialize;
use serde_json::Value;

use super::{hash_headings, is_prefixed_id, table_rows, table_section};
use crate::jstext::{self, eat, is_line_start, is_lt, ws_end, ws_then_run};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    pub id: String,
    pub criterion: String,
    #[serde(rename = "howToVerify")]
    pub how_to_verify: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spec {
    pub objective: Option<String>,
    pub criteria: Vec<Criterion>,
    #[serde(rename = "requiredSections")]
    pub required_sections: Vec<String>,
}

impl Spec {
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `##\s*<title>\s*\n+([\s\S]*?)(?=\n##\s|\n#[^#]|$)` with the `im` flags:
/// the line that follows the heading (leading blank lines skipped; the
/// indentation of that line kept), or `None` without such a heading.
/// On an empty section this is the next heading line, as in 1.4.0.
pub(crate) fn first_line_after(s: &str, title: &[&str]) -> Option<String> {
    for (_, end) in hash_headings(s, title) {
        if let Some(start) = jstext::ws_through_last_lf(s, end) {
            return Some(s[start..jstext::line_end(s, start)].to_string());
        }
    }
    None
}

/// Offset of the first `##\s*Crit.rios.*?aceite` (case-insensitive).
fn criteria_heading(s: &str) -> Option<usize> {
    jstext::find_all(s, "##", false, 0).find(|&at| {
        let p = ws_end(s, at + 2);
        let Some(p) = eat(s, p, "Crit", true) else {
            return false;
        };
        let Some(c) = jstext::char_at(s, p).filter(|&c| jstext::is_single_dot(c)) else {
            return false;
        };
        let Some(p) = eat(s, p + c.len_utf8(), "rios", true) else {
            return false;
        };
        let line = &s[p..jstext::line_end(s, p)];
        jstext::find_all(line, "aceite", true, 0).next().is_some()
    })
}

/// `^##\s+(.+)` (global, multiline): every level-2 heading, as
/// `"## <text trimmed>"`.
pub fn level2_headings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        if is_line_start(s, p) {
            if let Some(h) = eat(s, p, "##", false) {
                if let Some((a, b)) = ws_then_run(s, h, 1, |c| !is_lt(c)) {
                    out.push(format!("## {}", jstext::trim(&s[a..b])));
                    p = b;
                    continue;
                }
            }
        }
        p += jstext::char_at(s, p).map_or(1, char::len_utf8);
    }
    out
}

/// `parseSpec(specMd)`.
pub fn parse_spec(md: &str) -> Spec {
    let objective = first_line_after(md, &["Objetivo"]).map(|l| {
        let t = jstext::trim(&l);
        jstext::trim(t.split('\n').next().unwrap_or_default()).to_string()
    });
    let mut criteria = Vec::new();
    if let Some(idx) = criteria_heading(md) {
        for cells in table_rows(table_section(md, idx)) {
            if cells.len() >= 2 && is_prefixed_id(cells[0], "A") {
                criteria.push(Criterion {
                    id: cells[0].to_string(),
                    criterion: cells[1].to_string(),
                    how_to_verify: cells.get(2).copied().unwrap_or_default().to_string(),
                });
            }
        }
    }
    Spec {
        objective,
        criteria,
        required_sections: level2_headings(md),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spec() {
        let md = "\n## Objetivo\n\nShip JWT login.\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----|----|\n| A1 | Login returns a token | GET /me -> 200 |\n| a2 | No third cell |\n| A3 |  | moved left |\n\n## Suposições\n";
        let s = parse_spec(md);
        assert_eq!(s.objective.as_deref(), Some("Ship JWT login."));
        assert_eq!(s.criteria.len(), 3);
        assert_eq!(s.criteria[0].how_to_verify, "GET /me -> 200");
        assert_eq!(s.criteria[1].id, "a2");
        assert_eq!(s.criteria[1].how_to_verify, "");
        assert_eq!(s.criteria[2].criterion, "moved left");
        assert_eq!(
            s.required_sections,
            vec!["## Objetivo", "## Critérios de aceite", "## Suposições"]
        );
    }

    #[test]
    fn empty_and_odd() {
        let s = parse_spec("");
        assert_eq!(s.objective, None);
        assert!(s.criteria.is_empty() && s.required_sections.is_empty());
        assert_eq!(
            parse_spec("## Objetivo\n\n## Escopo\n")
                .objective
                .as_deref(),
            Some("## Escopo")
        );
        assert_eq!(parse_spec("## Objetivo\n").objective.as_deref(), Some(""));
        assert_eq!(parse_spec("##  \n").required_sections, vec!["## "]);
        assert!(parse_spec("### Deep\n").required_sections.is_empty());
    }
}
