//! `validateDecisionFidelity(discussMd, planMd)`: every decision `D-NN` of
//! DISCUSS.md must be linked from some PLAN.md task (`**Decisão
//! vinculada:**`), unless it was reverted.

use serde::Serialize;
use serde_json::Value;

use super::{is_prefixed_id, plan, table_rows, table_section};
use crate::jstext::{self, eat, ws_end};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    #[serde(rename = "decisionId")]
    pub decision_id: String,
    pub decision: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Covered {
    #[serde(rename = "decisionId")]
    pub decision_id: String,
    #[serde(rename = "taskIds")]
    pub task_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fidelity {
    pub ok: bool,
    pub gaps: Vec<Gap>,
    pub covered: Vec<Covered>,
}

impl Fidelity {
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The decision rows `| D-NN | text | … |` under the first `## Decis?es…`
/// heading: (id as written, text).
pub fn decision_rows(discuss: &str) -> Vec<(String, String)> {
    let idx = jstext::find_all(discuss, "##", false, 0).find(|&at| {
        let p = ws_end(discuss, at + 2);
        eat(discuss, p, "Decis", true)
            .and_then(|p| {
                jstext::char_at(discuss, p)
                    .filter(|&c| jstext::is_single_dot(c))
                    .map(|c| p + c.len_utf8())
            })
            .and_then(|p| eat(discuss, p, "es", true))
            .is_some()
    });
    let Some(idx) = idx else {
        return Vec::new();
    };
    table_rows(table_section(discuss, idx))
        .into_iter()
        .filter(|cells| cells.len() >= 2 && is_prefixed_id(cells[0], "D-"))
        .map(|cells| (cells[0].to_string(), cells[1].to_string()))
        .collect()
}

/// `validateDecisionFidelity`. The plan is read only when DISCUSS.md has
/// decisions; `None` then means the caller passed no plan text, which
/// 1.4.0 answers with a `TypeError`.
pub fn validate_decision_fidelity(
    discuss: &str,
    plan_md: Option<&str>,
) -> Result<Fidelity, String> {
    let rows = decision_rows(discuss);
    if rows.is_empty() {
        return Ok(Fidelity {
            ok: true,
            gaps: Vec::new(),
            covered: Vec::new(),
        });
    }
    let plan_md =
        plan_md.ok_or_else(|| "validateDecisionFidelity: planMd must be a string".to_string())?;
    let tasks = plan::parse_plan(plan_md).tasks;
    let mut gaps = Vec::new();
    let mut covered = Vec::new();
    for (id, text) in rows {
        if jstext::find_all(&text, "revertida", true, 0)
            .next()
            .is_some()
        {
            continue;
        }
        let task_ids: Vec<String> = tasks
            .iter()
            .filter(|t| t.decisions.contains(&id))
            .map(|t| t.id.clone())
            .collect();
        if task_ids.is_empty() {
            gaps.push(Gap {
                decision_id: id,
                decision: text,
            });
        } else {
            covered.push(Covered {
                decision_id: id,
                task_ids,
            });
        }
    }
    Ok(Fidelity {
        ok: gaps.is_empty(),
        gaps,
        covered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_covered_and_reverted() {
        let discuss = "## Decisões técnicas\n\n| ID | Decisão |\n|---|---|\n| D-01 | JWT |\n| D-02 | Postgres |\n| D-03 | *(revertida)* Mongo |\n| d-04 | lower-case id |\n";
        let plan = "### T1 — Auth\n- **Decisão vinculada:** D-01\n";
        let f = validate_decision_fidelity(discuss, Some(plan)).expect("plan given");
        assert!(!f.ok);
        assert_eq!(f.covered.len(), 1);
        assert_eq!(f.covered[0].task_ids, vec!["T1"]);
        assert_eq!(
            f.gaps
                .iter()
                .map(|g| g.decision_id.as_str())
                .collect::<Vec<_>>(),
            vec!["D-02", "d-04"]
        );
        let none = validate_decision_fidelity("## Contexto\n", None).expect("no decisions");
        assert!(none.ok && none.gaps.is_empty());
        assert!(validate_decision_fidelity(discuss, None).is_err());
    }
}
