//! `parseHypotheses(planText)`: the critical hypotheses of a PLAN.md, from
//! `<hypothesis id="H1" …>` blocks or, when there is none, from the table
//! under `## Hipóteses Críticas`.

use serde::Serialize;
use serde_json::Value;

use super::{attr, is_prefixed_id, table_rows, table_section};
use crate::jstext::{self, eat, ws_end};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hypothesis {
    pub id: String,
    pub condition: String,
    pub validation: String,
    pub on_failure: String,
    pub checkpoint: Option<String>,
    pub status: String,
}

/// `<tag\s+([^>]*)>([\s\S]*?)</tag>` (case-insensitive), every match in
/// order: (attributes, body, end of the match).
pub(crate) fn xml_blocks<'a>(s: &'a str, tag: &str, global: bool) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        let Some(at) = jstext::find_all(s, &open, true, p).next() else {
            break;
        };
        let next = at + 1;
        let after = at + open.len();
        let a = ws_end(s, after);
        let matched = (a > after)
            .then(|| s[a..].find('>').map(|i| a + i))
            .flatten()
            .and_then(|gt| {
                jstext::find_all(s, &close, true, gt + 1)
                    .next()
                    .map(|c| (&s[a..gt], &s[gt + 1..c], c + close.len()))
            });
        match matched {
            Some((attrs, body, end)) => {
                out.push((attrs, body));
                if !global {
                    break;
                }
                p = end;
            }
            None => p = next,
        }
    }
    out
}

/// `<tag>([\s\S]*?)</tag>` (case-sensitive), trimmed, or `""`.
fn child(body: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    body.find(&open)
        .and_then(|i| {
            let from = i + open.len();
            body[from..]
                .find(&close)
                .map(|j| jstext::trim(&body[from..from + j]).to_string())
        })
        .unwrap_or_default()
}

fn hypotheses_heading(s: &str) -> Option<usize> {
    jstext::find_all(s, "##", false, 0).find(|&at| {
        let step = |p: usize, lit: &str| eat(s, p, lit, true);
        let dot = |p: usize| {
            jstext::char_at(s, p)
                .filter(|&c| jstext::is_single_dot(c))
                .map(|c| p + c.len_utf8())
        };
        let p = ws_end(s, at + 2);
        (|| {
            let p = dot(step(p, "Hip")?)?;
            let p = ws_end(s, step(p, "teses")?);
            let p = dot(step(p, "Cr")?)?;
            step(p, "ticas")
        })()
        .is_some()
    })
}

/// `parseHypotheses(planText)`.
pub fn parse_hypotheses(text: &str) -> Vec<Hypothesis> {
    let mut out: Vec<Hypothesis> = xml_blocks(text, "hypothesis", true)
        .into_iter()
        .filter_map(|(attrs, body)| {
            let id = attr(attrs, "id")?;
            Some(Hypothesis {
                id: id.to_string(),
                condition: child(body, "condition"),
                validation: child(body, "validation"),
                on_failure: child(body, "on_failure"),
                checkpoint: attr(attrs, "checkpoint").map(str::to_string),
                status: attr(attrs, "status").unwrap_or("pending").to_string(),
            })
        })
        .collect();
    if !out.is_empty() {
        return out;
    }
    if let Some(idx) = hypotheses_heading(text) {
        for cells in table_rows(table_section(text, idx)) {
            if cells.len() >= 2 && is_prefixed_id(cells[0], "H") {
                let cell = |i: usize| cells.get(i).copied().unwrap_or_default().to_string();
                out.push(Hypothesis {
                    id: cell(0),
                    condition: cell(1),
                    validation: cell(2),
                    on_failure: cell(3),
                    checkpoint: cells.get(4).map(|c| c.to_string()),
                    status: cells.get(5).copied().unwrap_or("pending").to_string(),
                });
            }
        }
    }
    out
}

pub fn to_value(list: &[Hypothesis]) -> Value {
    serde_json::to_value(list).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_form() {
        let t = r#"<hypothesis id="H1" checkpoint='CP-1'>
  <condition> JWT lib works on Node 18 </condition>
  <validation>npm test</validation>
</hypothesis>
<HYPOTHESIS status="validated"><condition>no id</condition></HYPOTHESIS>"#;
        let h = parse_hypotheses(t);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].condition, "JWT lib works on Node 18");
        assert_eq!(h[0].on_failure, "");
        assert_eq!(h[0].checkpoint.as_deref(), Some("CP-1"));
        assert_eq!(h[0].status, "pending");
    }

    #[test]
    fn table_form() {
        let t = "## Hipóteses Críticas\n\n| ID | Condição | Validação | Se falhar | Checkpoint | Estado |\n|---|---|---|---|---|---|\n| H1 | a | b | c | | validated |\n| h2 | x |\n## Next\n| H3 | no |";
        let h = parse_hypotheses(t);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].checkpoint.as_deref(), Some("validated"));
        assert_eq!(h[0].status, "pending");
        assert_eq!(h[1].id, "h2");
        assert_eq!(h[1].checkpoint, None);
        assert!(parse_hypotheses("nothing").is_empty());
    }
}
