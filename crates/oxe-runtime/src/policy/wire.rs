//! A compact answer format for hosts that evaluate many contexts against
//! one engine (the napi binding): instead of a whole decision per call, the
//! host gets a number that indexes a table of decisions it keeps a copy of.
//!
//! The table starts with the engine's context-independent decisions (see
//! [`DecisionCache::initial_wire`]) and grows with the context-dependent
//! ones as they occur: a new one is announced with its *template* (which
//! stage made it: id, allowed, gate_required, rule_id) and its reason is
//! fetched with [`DecisionCache::reason`]; the host appends it to its copy,
//! so a reason such as `Protected path affected: .env` crosses only once.
//! The host also keeps the last timestamp it was given and asks for a new
//! one only when told the clock moved (1 ms resolution, so thousands of
//! decisions share one string).
//!
//! Answer bits: [`CLOCK_MOVED`] (fetch [`DecisionCache::timestamp`]),
//! [`NEW_ENTRY`] (the rest is a template index; the decision is new and
//! becomes the next table entry), [`EPHEMERAL`] (as `NEW_ENTRY`, but not
//! kept: the table is full). Otherwise the rest, shifted right by
//! [`SHIFT`], is a table index.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::engine::{CompiledPolicy, Outcome, PolicyInput};
use super::rule_index::FnvBuild;
use crate::clock;
use crate::error::OxeResult;
use crate::jsjson;

pub const CLOCK_MOVED: u32 = 1;
pub const NEW_ENTRY: u32 = 2;
pub const EPHEMERAL: u32 = 4;
pub const SHIFT: u32 = 3;
/// At most this many context-dependent decisions are kept per engine.
const MAX_INTERNED: usize = 4096;

type Interned = HashMap<String, u32, FnvBuild>;

/// An engine plus the decision table its host mirrors.
pub struct DecisionCache {
    policy: CompiledPolicy,
    /// Length of the host's table.
    len: u32,
    /// Per stage tag: context-dependent key → table index.
    interned: Vec<Interned>,
    interned_count: usize,
    last_ms: Option<i64>,
    reason: String,
}

impl DecisionCache {
    pub fn new(policy: CompiledPolicy) -> DecisionCache {
        DecisionCache {
            len: policy.table().len() as u32,
            policy,
            interned: Vec::new(),
            interned_count: 0,
            last_ms: None,
            reason: String::new(),
        }
    }

    pub fn policy(&self) -> &CompiledPolicy {
        &self.policy
    }

    /// `{"table": [...], "templates": [...]}`: the initial table (each
    /// entry `{decision_id, allowed, gate_required, reason, rule_id}`) and
    /// the templates by stage tag (the same without `reason`).
    pub fn initial_wire(&self) -> String {
        let list =
            |vs: Vec<Map<String, Value>>| Value::Array(vs.into_iter().map(Value::Object).collect());
        let table = self.policy.table().iter().map(|v| v.to_map(None)).collect();
        let templates = self
            .policy
            .templates()
            .into_iter()
            .map(|v| {
                let mut m = v.to_map(None);
                m.shift_remove("reason");
                m
            })
            .collect();
        let mut m = Map::new();
        m.insert("table".into(), list(table));
        m.insert("templates".into(), list(templates));
        jsjson::to_line(&Value::Object(m))
    }

    /// Evaluates `input` and answers with the bits described above.
    pub fn evaluate_code(&mut self, input: &PolicyInput) -> OxeResult<u32> {
        let outcome = self.policy.outcome(input)?;
        let now = clock::now_ms();
        let mut bits = 0;
        if self.last_ms != Some(now) {
            self.last_ms = Some(now);
            bits |= CLOCK_MOVED;
        }
        let Outcome::Dynamic(d) = outcome else {
            let Outcome::Static(i) = outcome else {
                return Ok(bits);
            };
            return Ok((i << SHIFT) | bits);
        };
        let tag = d.tag();
        let t = tag as usize;
        if self.interned.len() <= t {
            self.interned.resize_with(t + 1, Interned::default);
        }
        let key = d.key();
        if let Some(i) = self.interned.get(t).and_then(|m| m.get(key.as_ref())) {
            return Ok((*i << SHIFT) | bits);
        }
        self.reason = self.policy.dynamic_verdict(&d).reason;
        if self.interned_count >= MAX_INTERNED {
            return Ok((tag << SHIFT) | bits | EPHEMERAL);
        }
        let index = self.len;
        self.len += 1;
        self.interned_count += 1;
        if let Some(m) = self.interned.get_mut(t) {
            m.insert(key.into_owned(), index);
        }
        Ok((tag << SHIFT) | bits | NEW_ENTRY)
    }

    /// The ISO timestamp of the last evaluation.
    pub fn timestamp(&self) -> String {
        clock::iso_from_ms(self.last_ms.unwrap_or_else(clock::now_ms))
    }

    /// The reason of the last new (or ephemeral) decision.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::engine::default_guardrail;
    use serde_json::json;

    fn code(c: &mut DecisionCache, ctx: Value) -> u32 {
        c.evaluate_code(&PolicyInput::from_value(&ctx).unwrap())
            .unwrap()
    }

    #[test]
    fn codes_index_a_growing_table() {
        let p = CompiledPolicy::compile(
            &json!([{"id": "r", "when": {"tool": "x"}, "action": "deny"}, {"id": "s", "when": {}, "assert": {"diff_within_scope": true}, "action": "x"}]),
            &default_guardrail(),
        );
        let mut c = DecisionCache::new(p);
        let init: Value = serde_json::from_str(&c.initial_wire()).unwrap();
        assert_eq!(init["table"][1]["reason"], json!("Denied by rule r"));
        assert_eq!(init["table"][0]["rule_id"], Value::Null);
        assert_eq!(init["templates"].as_array().unwrap().len(), 6);
        assert_eq!(
            init["templates"][1],
            json!({"decision_id": "__guardrail_path", "allowed": true, "gate_required": true, "rule_id": "__guardrail_path"})
        );
        assert_eq!(init["templates"][5]["decision_id"], json!("s"));
        let k = code(&mut c, json!({"tool": "x"}));
        assert_eq!(k & CLOCK_MOVED, CLOCK_MOVED);
        assert_eq!(k >> SHIFT, 1);
        let k = code(&mut c, json!({"tool": "y", "affected_paths": [".env"]}));
        assert_eq!(k & (NEW_ENTRY | EPHEMERAL), NEW_ENTRY);
        assert_eq!(k >> SHIFT, 1, "template of the path guardrail");
        assert_eq!(c.reason(), "Protected path affected: .env");
        // the same reason again: the new table entry (index 2)
        let k = code(&mut c, json!({"tool": "y", "affected_paths": [".env"]}));
        assert_eq!(k & NEW_ENTRY, 0);
        assert_eq!(k >> SHIFT, 2);
        let k = code(
            &mut c,
            json!({"tool": "y", "mutation_scope": ["a/"], "affected_paths": ["b"]}),
        );
        assert_eq!(k & NEW_ENTRY, NEW_ENTRY);
        assert_eq!(k >> SHIFT, 5);
        assert_eq!(
            c.reason(),
            "Assert failed for rule s: paths outside mutation scope: b"
        );
        assert_eq!(c.timestamp().len(), 24);
    }

    #[test]
    fn ephemeral_when_the_table_is_full() {
        let p = CompiledPolicy::compile(&json!([]), &default_guardrail());
        let mut c = DecisionCache::new(p);
        let mut last = 0;
        for i in 0..=MAX_INTERNED {
            last = code(
                &mut c,
                json!({"tool": "t", "affected_paths": [format!(".env/{i}")]}),
            );
        }
        assert_eq!(last & EPHEMERAL, EPHEMERAL);
        assert_eq!(last >> SHIFT, 1);
        assert_eq!(
            c.reason(),
            format!("Protected path affected: .env/{MAX_INTERNED}")
        );
    }
}
