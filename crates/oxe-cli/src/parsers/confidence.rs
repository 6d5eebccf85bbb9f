//! `parseConfidenceVector(planText)`: the `<confidence_vector>` block of a
//! PLAN.md with its `<dim …/>` entries and `<global …/>` verdict.

use serde_json::{json, Value};

use super::attr;
use super::hypotheses::xml_blocks;
use crate::jstext::{self, parse_float, ws_end};

#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub name: String,
    pub score: f64,
    pub weight: f64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfidenceVector {
    pub cycle: Option<String>,
    pub generated_at: Option<String>,
    pub dimensions: Vec<Dimension>,
    pub score: f64,
    pub gate: String,
}

impl ConfidenceVector {
    pub fn to_value(&self) -> Value {
        let num = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
        let dims: Vec<Value> = self
            .dimensions
            .iter()
            .map(|d| json!({"name": d.name, "score": num(d.score), "weight": num(d.weight), "note": d.note}))
            .collect();
        json!({
            "cycle": self.cycle,
            "generated_at": self.generated_at,
            "dimensions": dims,
            "global": {"score": num(self.score), "gate": self.gate},
        })
    }
}

/// `<tag\s+([^/]*)\s*\/>` (case-insensitive): the attribute text of each
/// self-closing element, or of the first one when `global` is false.
fn self_closing<'a>(s: &'a str, tag: &str, global: bool) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let mut out = Vec::new();
    let mut p = 0;
    while let Some(at) = jstext::find_all(s, &open, true, p).next() {
        let after = at + open.len();
        let a = ws_end(s, after);
        let found = if a > after {
            let slash = s[a..].find('/').map_or(s.len(), |i| a + i);
            s[slash..].starts_with("/>").then_some((a, slash))
        } else {
            None
        };
        match found {
            Some((a, slash)) => {
                out.push(&s[a..slash]);
                if !global {
                    break;
                }
                p = slash + 2;
            }
            None => p = at + 1,
        }
    }
    out
}

fn number_attr(attrs: &str, name: &str) -> f64 {
    parse_float(attr(attrs, name).unwrap_or("0"))
}

/// `parseConfidenceVector(planText)`, or `None` (JS `null`) without a block.
pub fn parse_confidence_vector(text: &str) -> Option<ConfidenceVector> {
    let (attrs, body) = xml_blocks(text, "confidence_vector", false)
        .into_iter()
        .next()?;
    let dimensions: Vec<Dimension> = self_closing(body, "dim", true)
        .into_iter()
        .filter_map(|d| {
            let name = attr(d, "name").unwrap_or_default();
            if name.is_empty() {
                return None;
            }
            let nan0 = |x: f64| if x.is_nan() { 0.0 } else { x };
            Some(Dimension {
                name: name.to_string(),
                score: nan0(number_attr(d, "score")),
                weight: nan0(number_attr(d, "weight")),
                note: attr(d, "note").unwrap_or_default().to_string(),
            })
        })
        .collect();
    let global = self_closing(body, "global", false).into_iter().next();
    let global_attrs = global.unwrap_or_default();
    let mut score = number_attr(global_attrs, "score");
    let gate = attr(global_attrs, "gate")
        .unwrap_or("proceed_with_risk")
        .to_string();
    if global.is_none() && !dimensions.is_empty() {
        let total: f64 = dimensions.iter().fold(0.0, |s, d| s + d.weight);
        score = if total > 0.0 {
            dimensions.iter().fold(0.0, |s, d| s + d.score * d.weight) / total
        } else {
            0.0
        };
    }
    let score = if score.is_nan() {
        0.0
    } else {
        jstext::js_round(score * 100.0) / 100.0
    };
    Some(ConfidenceVector {
        cycle: attr(attrs, "cycle").map(str::to_string),
        generated_at: attr(attrs, "generated_at").map(str::to_string),
        dimensions,
        score,
        gate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_with_global() {
        let t = r#"<confidence_vector cycle="C-07" generated_at="2024-03-15T10:00:00Z">
  <dim name="requirements" score="0.90" weight="25" note="closed spec" />
  <dim name="risk" score="x" weight="20" />
  <dim score="1" weight="1"/>
  <global score="0.744" gate="proceed" />
</confidence_vector>"#;
        let v = parse_confidence_vector(t).expect("block");
        assert_eq!(v.cycle.as_deref(), Some("C-07"));
        assert_eq!(v.dimensions.len(), 2);
        assert_eq!(v.dimensions[1].score, 0.0);
        assert_eq!(v.score, 0.74);
        assert_eq!(v.gate, "proceed");
    }

    #[test]
    fn weighted_mean_without_global() {
        let t = "<confidence_vector x='1'><dim name='a' score='1' weight='1'/><dim name='b' score='0.5' weight='3'/></confidence_vector>";
        let v = parse_confidence_vector(t).expect("block");
        assert_eq!(v.score, 0.63);
        assert_eq!(v.gate, "proceed_with_risk");
        assert_eq!(v.cycle, None);
        assert!(parse_confidence_vector("<confidence_vector>x</confidence_vector>").is_none());
    }
}
