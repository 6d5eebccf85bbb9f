//! The policy engine of 1.4.0: autonomy tiers, environment guardrails,
//! mutation budgets and first-match rules, evaluated in that order.
//!
//! Rules and guardrail are compiled once (an engine is immutable: `withRule`
//! and `withGuardrail` make new ones), so an evaluation only walks borrowed
//! context fields. Every outcome that does not depend on the context (the
//! default allow and each rule's action) is precomputed in [`CompiledPolicy::table`]
//! so a host can cache its wire form and receive a small index instead of a
//! whole decision.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::js_ops::{includes, js_ge, strict_eq, Slot};
use super::rule_index::RuleIndex;
use crate::clock;
use crate::error::{OxeError, OxeResult};

/// Side-effect classes each autonomy tier may cause without being denied.
const TIER_L0: &[&str] = &["read_fs"];
const TIER_L1: &[&str] = &["read_fs", "write_fs", "spawn_process"];
const TIER_L2: &[&str] = &[
    "read_fs",
    "write_fs",
    "spawn_process",
    "network_call",
    "git_mutation",
];
const TIER_L3: &[&str] = &[
    "read_fs",
    "write_fs",
    "spawn_process",
    "network_call",
    "git_mutation",
    "db_change",
    "secret_access",
    "infra_operation",
];

/// The id and reason of the decision when nothing matched.
pub const DEFAULT_ALLOW_ID: &str = "__default_allow";
pub const DEFAULT_ALLOW_REASON: &str = "no matching policy — default allow";
pub const GUARDRAIL_PATH_ID: &str = "__guardrail_path";
pub const GUARDRAIL_SIDE_EFFECT_ID: &str = "__guardrail_side_effect";
pub const AUTONOMY_TIER_ID: &str = "__autonomy_tier";
pub const MUTATION_BUDGET_ID: &str = "__mutation_budget";

/// The guardrail an engine gets when none is given.
pub fn default_guardrail() -> Value {
    let list = |xs: &[&str]| Value::Array(xs.iter().map(|s| Value::String((*s).into())).collect());
    let mut m = Map::new();
    m.insert(
        "protected_paths".into(),
        list(&[".oxe/config.json", ".env", "package.json"]),
    );
    m.insert(
        "protected_branches".into(),
        list(&["main", "master", "production", "release"]),
    );
    m.insert(
        "require_human_gate_on".into(),
        list(&["infra_operation", "db_change", "secret_access"]),
    );
    Value::Object(m)
}

fn tier_allows(tier: &Slot, effect: &Slot) -> bool {
    let list: &[&str] = match tier {
        Slot::Str("L0") => TIER_L0,
        Slot::Str("L1") => TIER_L1,
        Slot::Str("L2") => TIER_L2,
        Slot::Str("L3") => TIER_L3,
        _ => &[],
    };
    matches!(effect, Slot::Str(e) if list.contains(e))
}

// ------------------------------------------------------------------ context

/// A list-valued context field (`affected_paths`, `mutation_scope`) as the
/// caller gave it.
#[derive(Clone, Copy, Debug)]
pub enum Seq<'a> {
    /// `null` or `undefined`: treated as `[]`.
    Absent,
    /// An array of strings (the fast path of the binding).
    Strs(&'a [&'a str]),
    /// Any JSON array.
    Values(&'a [Value]),
    /// A string: iterable by code point, but not an array.
    Text(&'a str),
    /// Anything else: not iterable.
    Opaque,
}

impl<'a> Seq<'a> {
    pub fn of(v: Option<&'a Value>) -> Seq<'a> {
        match v {
            None | Some(Value::Null) => Seq::Absent,
            Some(Value::Array(a)) => Seq::Values(a),
            Some(Value::String(s)) => Seq::Text(s),
            Some(_) => Seq::Opaque,
        }
    }

    /// The length when this is an array (`Absent` counts as `[]`).
    fn array_len(&self) -> Option<usize> {
        match *self {
            Seq::Absent => Some(0),
            Seq::Strs(s) => Some(s.len()),
            Seq::Values(v) => Some(v.len()),
            Seq::Text(_) | Seq::Opaque => None,
        }
    }

    /// Element `i` of an array.
    fn at(&self, i: usize) -> Slot<'a> {
        match *self {
            Seq::Strs(s) => s.get(i).map_or(Slot::Undef, |x| Slot::Str(x)),
            Seq::Values(v) => Slot::of(v.get(i)),
            _ => Slot::Undef,
        }
    }

    /// Visits what `for (const p of seq ?? [])` visits; stops at the first
    /// `Some`.
    fn find_map<T>(
        &self,
        what: &str,
        mut f: impl FnMut(Slot<'a>) -> OxeResult<Option<T>>,
    ) -> OxeResult<Option<T>> {
        match *self {
            Seq::Absent => Ok(None),
            Seq::Strs(s) => {
                for x in s {
                    if let Some(t) = f(Slot::Str(x))? {
                        return Ok(Some(t));
                    }
                }
                Ok(None)
            }
            Seq::Values(v) => {
                for x in v {
                    if let Some(t) = f(Slot::of(Some(x)))? {
                        return Ok(Some(t));
                    }
                }
                Ok(None)
            }
            Seq::Text(s) => {
                for (i, c) in s.char_indices() {
                    if let Some(t) = f(Slot::Str(&s[i..i + c.len_utf8()]))? {
                        return Ok(Some(t));
                    }
                }
                Ok(None)
            }
            Seq::Opaque => Err(OxeError::Arg(format!(
                "PolicyEngine.evaluate: ctx.{what} is not iterable"
            ))),
        }
    }
}

/// The fields of a `PolicyContext` the engine reads.
#[derive(Clone, Copy, Debug)]
pub struct PolicyInput<'a> {
    pub tool: Slot<'a>,
    pub env: Slot<'a>,
    pub kind: Slot<'a>,
    pub side_effect_class: Slot<'a>,
    pub autonomy_tier: Slot<'a>,
    pub mutation_scope: Seq<'a>,
    pub affected_paths: Seq<'a>,
    pub mutation_count: Slot<'a>,
    /// `ctx.node_policy?.mutation_budget`.
    pub mutation_budget: Slot<'a>,
}

impl<'a> PolicyInput<'a> {
    /// Reads a `PolicyContext` given as JSON. `null` is rejected (1.4.0
    /// throws a TypeError); other non-objects have no fields.
    pub fn from_value(ctx: &'a Value) -> OxeResult<PolicyInput<'a>> {
        let obj = match ctx {
            Value::Null => {
                return Err(OxeError::Arg(
                    "PolicyEngine.evaluate: the context must be an object, got null".into(),
                ))
            }
            Value::Object(m) => Some(m),
            _ => None,
        };
        let get = |k: &str| obj.and_then(|m| m.get(k));
        let budget = match get("node_policy") {
            Some(Value::Object(np)) => Slot::of(np.get("mutation_budget")),
            _ => Slot::Undef,
        };
        Ok(PolicyInput {
            tool: Slot::of(get("tool")),
            env: Slot::of(get("env")),
            kind: Slot::of(get("kind")),
            side_effect_class: Slot::of(get("side_effect_class")),
            autonomy_tier: Slot::of(get("autonomy_tier")),
            mutation_scope: Seq::of(get("mutation_scope")),
            affected_paths: Seq::of(get("affected_paths")),
            mutation_count: Slot::of(get("mutation_count")),
            mutation_budget: budget,
        })
    }
}

// ------------------------------------------------------------------ verdicts

/// A decision without its timestamp.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// `None` is `undefined` (a rule without an id).
    pub decision_id: Option<Value>,
    pub allowed: bool,
    pub gate_required: bool,
    pub reason: String,
    /// `None` is `undefined`; the default allow has `null`.
    pub rule_id: Option<Value>,
}

impl Verdict {
    fn builtin(id: &str, allowed: bool, gate_required: bool, reason: String) -> Verdict {
        Verdict {
            decision_id: Some(Value::String(id.into())),
            allowed,
            gate_required,
            reason,
            rule_id: Some(Value::String(id.into())),
        }
    }

    fn default_allow() -> Verdict {
        Verdict {
            decision_id: Some(Value::String(DEFAULT_ALLOW_ID.into())),
            allowed: true,
            gate_required: false,
            reason: DEFAULT_ALLOW_REASON.into(),
            rule_id: Some(Value::Null),
        }
    }

    /// `{decision_id, allowed, gate_required, reason, rule_id}` (plus
    /// `timestamp` when given), in 1.4.0's key order.
    pub fn to_map(&self, timestamp: Option<&str>) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(id) = &self.decision_id {
            m.insert("decision_id".into(), id.clone());
        }
        m.insert("allowed".into(), Value::Bool(self.allowed));
        m.insert("gate_required".into(), Value::Bool(self.gate_required));
        m.insert("reason".into(), Value::String(self.reason.clone()));
        if let Some(id) = &self.rule_id {
            m.insert("rule_id".into(), id.clone());
        }
        if let Some(ts) = timestamp {
            m.insert("timestamp".into(), Value::String(ts.into()));
        }
        m
    }
}

/// A decision whose reason depends on the context, not yet rendered.
#[derive(Clone, Debug)]
pub enum Dynamic<'a> {
    /// The autonomy tier does not permit the side effect.
    Tier { tier: Slot<'a>, effect: Slot<'a> },
    /// An affected path is protected.
    Path(Slot<'a>),
    /// The side effect needs a human gate.
    SideEffect(Slot<'a>),
    /// The mutation budget is exhausted.
    Budget { count: Slot<'a>, budget: Slot<'a> },
    /// Rule `rule`'s `diff_within_scope` assert failed for these paths
    /// (already joined with `", "`).
    Assert { rule: u32, outside: String },
}

impl Dynamic<'_> {
    /// Which stage made it: 0 tier, 1 path, 2 side effect, 3 budget,
    /// 4 + i the assert of rule i.
    pub fn tag(&self) -> u32 {
        match self {
            Dynamic::Tier { .. } => 0,
            Dynamic::Path(_) => 1,
            Dynamic::SideEffect(_) => 2,
            Dynamic::Budget { .. } => 3,
            Dynamic::Assert { rule, .. } => 4 + rule,
        }
    }

    /// The context-dependent part of the reason: equal keys (with equal
    /// tags) mean equal decisions.
    pub fn key(&self) -> Cow<'_, str> {
        let pair = |a: &Slot, b: &Slot| {
            let (a, b) = (a.render(), b.render());
            let mut k = String::with_capacity(a.len() + b.len() + 1);
            k.push_str(&a);
            k.push('\0');
            k.push_str(&b);
            Cow::Owned(k)
        };
        match self {
            Dynamic::Tier { tier, effect } => pair(tier, effect),
            Dynamic::Path(p) => p.render(),
            Dynamic::SideEffect(e) => e.render(),
            Dynamic::Budget { count, budget } => pair(count, budget),
            Dynamic::Assert { outside, .. } => Cow::Borrowed(outside),
        }
    }
}

/// What an evaluation decided.
#[derive(Clone, Debug)]
pub enum Outcome<'a> {
    /// An entry of [`CompiledPolicy::table`].
    Static(u32),
    /// A decision whose reason depends on the context.
    Dynamic(Dynamic<'a>),
}

// ------------------------------------------------------------------ rules

#[derive(Clone, Debug)]
pub(super) enum When {
    /// `when` is null or missing: reading it throws.
    Missing,
    /// The truthy fields of the clause, in the order they are compared.
    Fields(Vec<(usize, Value)>),
}

#[derive(Clone, Debug)]
pub(super) enum Rule {
    /// Not an object: reading `rule.when` throws.
    Invalid,
    Valid {
        id: Option<Value>,
        when: When,
        assert_scope: bool,
        /// Index in the table of the decision its action gives.
        action: Option<u32>,
    },
}

const WHEN_FIELDS: [&str; 5] = ["tool", "env", "kind", "side_effect_class", "autonomy_tier"];

fn compile_rule(rule: &Value, table: &mut Vec<Verdict>) -> Rule {
    let Value::Object(r) = rule else {
        return Rule::Invalid;
    };
    let id = r.get("id").cloned();
    let shown = Slot::of(id.as_ref()).render().into_owned();
    let when = match r.get("when") {
        None | Some(Value::Null) => When::Missing,
        Some(Value::Object(w)) => When::Fields(
            WHEN_FIELDS
                .iter()
                .enumerate()
                .filter_map(|(i, k)| {
                    w.get(*k)
                        .filter(|v| Slot::of(Some(v)).truthy())
                        .map(|v| (i, v.clone()))
                })
                .collect(),
        ),
        // a primitive or an array has none of the fields: matches everything
        Some(_) => When::Fields(Vec::new()),
    };
    let assert_scope = matches!(
        r.get("assert"),
        Some(Value::Object(a)) if a.get("diff_within_scope") == Some(&Value::Bool(true))
    );
    let action = match r.get("action") {
        Some(Value::String(a)) => match a.as_str() {
            "allow" => Some((true, false, format!("Allowed by rule {shown}"))),
            "deny" => Some((false, false, format!("Denied by rule {shown}"))),
            "require_human_gate" => Some((true, true, format!("Gate required by rule {shown}"))),
            _ => None,
        },
        _ => None,
    }
    .map(|(allowed, gate_required, reason)| {
        table.push(Verdict {
            decision_id: id.clone(),
            allowed,
            gate_required,
            reason,
            rule_id: id.clone(),
        });
        (table.len() - 1) as u32
    });
    Rule::Valid {
        id,
        when,
        assert_scope,
        action,
    }
}

/// Protected paths and side-effect classes that need a human gate. `None`
/// when the guardrail's field is not an array (reading it then throws).
#[derive(Clone, Debug)]
struct Guardrail {
    /// Each protected path with its `"<path>/"` prefix.
    protected_paths: Option<Vec<(Value, String)>>,
    require_human_gate_on: Option<Vec<Value>>,
}

impl Guardrail {
    fn compile(g: &Value) -> Guardrail {
        let field = |k: &str| match g {
            Value::Object(m) => match m.get(k) {
                Some(Value::Array(a)) => Some(a.clone()),
                _ => None,
            },
            _ => None,
        };
        Guardrail {
            protected_paths: field("protected_paths").map(|a| {
                a.into_iter()
                    .map(|v| {
                        let prefix = format!("{}/", Slot::of(Some(&v)).render());
                        (v, prefix)
                    })
                    .collect()
            }),
            require_human_gate_on: field("require_human_gate_on"),
        }
    }
}

/// An engine's rules and guardrail, ready to evaluate contexts.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    /// `None` when the rules are not an array.
    rules: Option<Vec<Rule>>,
    index: RuleIndex,
    guardrail: Guardrail,
    table: Vec<Verdict>,
}

impl CompiledPolicy {
    /// Compiles `rules` (the engine's rule array) and `guardrail`. Never
    /// fails: a malformed piece only fails the evaluations that reach it, as
    /// in 1.4.0.
    pub fn compile(rules: &Value, guardrail: &Value) -> CompiledPolicy {
        let mut table = vec![Verdict::default_allow()];
        let rules: Option<Vec<Rule>> = match rules {
            Value::Array(rs) => Some(rs.iter().map(|r| compile_rule(r, &mut table)).collect()),
            _ => None,
        };
        let index = rules.as_deref().map(RuleIndex::build).unwrap_or_default();
        CompiledPolicy {
            rules,
            index,
            guardrail: Guardrail::compile(guardrail),
            table,
        }
    }

    /// The context-independent decisions: index 0 is the default allow,
    /// then one entry per rule with a known action.
    pub fn table(&self) -> &[Verdict] {
        &self.table
    }

    /// The verdict of an outcome.
    pub fn verdict(&self, outcome: &Outcome) -> Verdict {
        match outcome {
            Outcome::Static(i) => self
                .table
                .get(*i as usize)
                .cloned()
                .unwrap_or_else(Verdict::default_allow),
            Outcome::Dynamic(d) => self.dynamic_verdict(d),
        }
    }

    /// The decision of each stage tag without its reason: 0 tier, 1 path,
    /// 2 side effect, 3 budget, then 4 + i for the assert of rule i.
    pub fn templates(&self) -> Vec<Verdict> {
        let blank = Slot::Undef;
        let mut out = vec![
            self.dynamic_verdict(&Dynamic::Tier {
                tier: blank,
                effect: blank,
            }),
            self.dynamic_verdict(&Dynamic::Path(blank)),
            self.dynamic_verdict(&Dynamic::SideEffect(blank)),
            self.dynamic_verdict(&Dynamic::Budget {
                count: blank,
                budget: blank,
            }),
        ];
        let n = self.rules.as_ref().map_or(0, Vec::len);
        for i in 0..n {
            out.push(self.dynamic_verdict(&Dynamic::Assert {
                rule: i as u32,
                outside: String::new(),
            }));
        }
        for v in &mut out {
            v.reason.clear();
        }
        out
    }

    /// Renders a context-dependent decision.
    pub fn dynamic_verdict(&self, d: &Dynamic) -> Verdict {
        match d {
            Dynamic::Tier { tier, effect } => Verdict::builtin(
                AUTONOMY_TIER_ID,
                false,
                false,
                format!(
                    "Autonomy tier {} does not permit side effect '{}'",
                    tier.render(),
                    effect.render()
                ),
            ),
            Dynamic::Path(p) => Verdict::builtin(
                GUARDRAIL_PATH_ID,
                true,
                true,
                format!("Protected path affected: {}", p.render()),
            ),
            Dynamic::SideEffect(e) => Verdict::builtin(
                GUARDRAIL_SIDE_EFFECT_ID,
                true,
                true,
                format!("Side effect class '{}' requires human gate", e.render()),
            ),
            Dynamic::Budget { count, budget } => Verdict::builtin(
                MUTATION_BUDGET_ID,
                false,
                false,
                format!(
                    "Mutation budget exhausted: {}/{}",
                    count.render(),
                    budget.render()
                ),
            ),
            Dynamic::Assert { rule, outside } => {
                let id = match self.rules.as_ref().and_then(|r| r.get(*rule as usize)) {
                    Some(Rule::Valid { id, .. }) => id.clone(),
                    _ => None,
                };
                let shown = Slot::of(id.as_ref()).render().into_owned();
                Verdict {
                    decision_id: id.clone(),
                    allowed: false,
                    gate_required: false,
                    reason: format!(
                        "Assert failed for rule {shown}: paths outside mutation scope: {outside}"
                    ),
                    rule_id: id,
                }
            }
        }
    }

    /// `evaluate(ctx)` with a fresh timestamp.
    pub fn evaluate(&self, input: &PolicyInput) -> OxeResult<Map<String, Value>> {
        let outcome = self.outcome(input)?;
        Ok(self.verdict(&outcome).to_map(Some(&clock::now_iso())))
    }

    /// The stages of 1.4.0, first decision wins.
    pub fn outcome<'a>(&self, ctx: &PolicyInput<'a>) -> OxeResult<Outcome<'a>> {
        if let Some(d) = check_tier(ctx) {
            return Ok(Outcome::Dynamic(d));
        }
        if let Some(d) = self.check_guardrails(ctx)? {
            return Ok(Outcome::Dynamic(d));
        }
        if let Some(d) = check_budget(ctx) {
            return Ok(Outcome::Dynamic(d));
        }
        let Some(rules) = &self.rules else {
            return Err(OxeError::Arg(
                "PolicyEngine.evaluate: the engine's rules are not an array".into(),
            ));
        };
        let values = [
            ctx.tool,
            ctx.env,
            ctx.kind,
            ctx.side_effect_class,
            ctx.autonomy_tier,
        ];
        let rows: [&[u64]; 5] = [
            self.index.fields[0].row(&values[0]),
            self.index.fields[1].row(&values[1]),
            self.index.fields[2].row(&values[2]),
            self.index.fields[3].row(&values[3]),
            self.index.fields[4].row(&values[4]),
        ];
        for w in 0..self.index.words {
            let mut word = rows
                .iter()
                .fold(u64::MAX, |acc, r| acc & r.get(w).copied().unwrap_or(0));
            while word != 0 {
                let i = w * 64 + word.trailing_zeros() as usize;
                word &= word - 1;
                let Some(rule) = rules.get(i) else {
                    break;
                };
                let Rule::Valid {
                    when,
                    assert_scope,
                    action,
                    ..
                } = rule
                else {
                    return Err(OxeError::Arg(format!(
                        "PolicyEngine.evaluate: rule {i} is not an object"
                    )));
                };
                if let When::Missing = when {
                    return Err(OxeError::Arg(format!(
                        "PolicyEngine.evaluate: rule {i} has no `when` clause"
                    )));
                }
                if *assert_scope {
                    if let Some(outside) = check_scope(ctx)? {
                        return Ok(Outcome::Dynamic(Dynamic::Assert {
                            rule: i as u32,
                            outside,
                        }));
                    }
                }
                // an unknown action decides nothing: the next rule is tried
                if let Some(idx) = action {
                    return Ok(Outcome::Static(*idx));
                }
            }
        }
        Ok(Outcome::Static(0))
    }

    fn check_guardrails<'a>(&self, ctx: &PolicyInput<'a>) -> OxeResult<Option<Dynamic<'a>>> {
        let protected = &self.guardrail.protected_paths;
        let hit = ctx.affected_paths.find_map("affected_paths", |p| {
            let Some(list) = protected else {
                return Err(OxeError::Arg(
                    "PolicyEngine.evaluate: guardrail.protected_paths is not an array".into(),
                ));
            };
            for (pp, prefix) in list {
                if strict_eq(&p, &Slot::of(Some(pp))) {
                    return Ok(Some(p));
                }
                match p {
                    Slot::Str(s) if s.starts_with(prefix.as_str()) => return Ok(Some(p)),
                    Slot::Str(_) => {}
                    _ => {
                        return Err(OxeError::Arg(format!(
                            "PolicyEngine.evaluate: affected path {} is not a string",
                            p.render()
                        )))
                    }
                }
            }
            Ok(None)
        })?;
        if let Some(p) = hit {
            return Ok(Some(Dynamic::Path(p)));
        }
        let effect = ctx.side_effect_class;
        if effect.truthy() {
            let Some(gate_on) = &self.guardrail.require_human_gate_on else {
                return Err(OxeError::Arg(
                    "PolicyEngine.evaluate: guardrail.require_human_gate_on is not an array".into(),
                ));
            };
            if includes(gate_on, &effect) {
                return Ok(Some(Dynamic::SideEffect(effect)));
            }
        }
        Ok(None)
    }
}

fn check_tier<'a>(ctx: &PolicyInput<'a>) -> Option<Dynamic<'a>> {
    let (tier, effect) = (ctx.autonomy_tier, ctx.side_effect_class);
    if !tier.truthy() || !effect.truthy() || tier_allows(&tier, &effect) {
        return None;
    }
    Some(Dynamic::Tier { tier, effect })
}

fn check_budget<'a>(ctx: &PolicyInput<'a>) -> Option<Dynamic<'a>> {
    let budget = ctx.mutation_budget;
    if budget.is_nullish() {
        return None;
    }
    let count = if ctx.mutation_count.is_nullish() {
        Slot::Num(0.0)
    } else {
        ctx.mutation_count
    };
    if !js_ge(&count, &budget) {
        return None;
    }
    Some(Dynamic::Budget { count, budget })
}

/// `diff_within_scope`: the affected paths outside the mutation scope,
/// joined with `", "`, or `None` when the assert holds.
fn check_scope(ctx: &PolicyInput) -> OxeResult<Option<String>> {
    let (scope, affected) = (ctx.mutation_scope, ctx.affected_paths);
    let n_scope = match scope {
        Seq::Text("") => return Ok(None),
        s => s.array_len().ok_or_else(|| {
            OxeError::Arg("PolicyEngine.evaluate: ctx.mutation_scope is not an array".into())
        })?,
    };
    if n_scope == 0 {
        return Ok(None);
    }
    let n_affected = affected.array_len().ok_or_else(|| {
        OxeError::Arg("PolicyEngine.evaluate: ctx.affected_paths is not an array".into())
    })?;
    let not_string = |v: &Slot| {
        OxeError::Arg(format!(
            "PolicyEngine.evaluate: path {} in the assert is not a string",
            v.render()
        ))
    };
    let mut outside = String::new();
    for a in 0..n_affected {
        let p = affected.at(a);
        let Slot::Str(ps) = p else {
            return Err(not_string(&p));
        };
        let mut inside = false;
        for k in 0..n_scope {
            let s = scope.at(k);
            let hit = match s {
                Slot::Str(ss) => ps.starts_with(ss) || ss.starts_with(ps),
                other => {
                    if ps.starts_with(other.render().as_ref()) {
                        true
                    } else {
                        return Err(not_string(&other));
                    }
                }
            };
            if hit {
                inside = true;
                break;
            }
        }
        if !inside {
            if !outside.is_empty() {
                outside.push_str(", ");
            }
            outside.push_str(ps);
        }
    }
    Ok(if outside.is_empty() {
        None
    } else {
        Some(outside)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(rules: Value, guardrail: Option<Value>, ctx: Value) -> Map<String, Value> {
        let p = CompiledPolicy::compile(&rules, &guardrail.unwrap_or_else(default_guardrail));
        p.evaluate(&PolicyInput::from_value(&ctx).unwrap()).unwrap()
    }

    fn id_reason(d: &Map<String, Value>) -> (Value, Value, bool, bool) {
        (
            d["decision_id"].clone(),
            d["reason"].clone(),
            d["allowed"] == json!(true),
            d["gate_required"] == json!(true),
        )
    }

    #[test]
    fn default_allow_shape() {
        let d = eval(json!([]), None, json!({"tool": "x"}));
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "decision_id",
                "allowed",
                "gate_required",
                "reason",
                "rule_id",
                "timestamp"
            ]
        );
        assert_eq!(d["rule_id"], Value::Null);
        assert_eq!(d["reason"], json!("no matching policy — default allow"));
    }

    #[test]
    fn stage_order_and_reasons() {
        // tier denial beats the guardrail gate
        let d = eval(
            json!([]),
            None,
            json!({"tool": "t", "autonomy_tier": "L1", "side_effect_class": "infra_operation", "affected_paths": [".env"]}),
        );
        assert_eq!(
            id_reason(&d),
            (
                json!("__autonomy_tier"),
                json!("Autonomy tier L1 does not permit side effect 'infra_operation'"),
                false,
                false
            )
        );
        let d = eval(
            json!([]),
            None,
            json!({"tool": "t", "affected_paths": ["a", ".oxe/config.json/x"]}),
        );
        assert_eq!(
            id_reason(&d),
            (
                json!("__guardrail_path"),
                json!("Protected path affected: .oxe/config.json/x"),
                true,
                true
            )
        );
        // ".envrc" is neither equal to nor under ".env"
        let d = eval(
            json!([]),
            None,
            json!({"tool": "t", "affected_paths": [".envrc"]}),
        );
        assert_eq!(d["decision_id"], json!("__default_allow"));
        let d = eval(
            json!([]),
            None,
            json!({"tool": "t", "side_effect_class": "db_change"}),
        );
        assert_eq!(
            d["reason"],
            json!("Side effect class 'db_change' requires human gate")
        );
        let d = eval(
            json!([{"id": "r", "when": {}, "action": "allow"}]),
            None,
            json!({"tool": "t", "mutation_count": 3, "node_policy": {"max_retries": 0, "mutation_budget": 3}}),
        );
        assert_eq!(
            id_reason(&d),
            (
                json!("__mutation_budget"),
                json!("Mutation budget exhausted: 3/3"),
                false,
                false
            )
        );
        // missing count counts as 0; a budget of 0 is exhausted at once
        let d = eval(
            json!([]),
            None,
            json!({"tool": "t", "node_policy": {"mutation_budget": 0}}),
        );
        assert_eq!(d["reason"], json!("Mutation budget exhausted: 0/0"));
    }

    #[test]
    fn rules_first_match_and_actions() {
        let rules = json!([
            {"id": "odd", "when": {"tool": "a"}, "action": "maybe"},
            {"id": "g", "when": {"tool": "a", "env": "prod"}, "action": "require_human_gate"},
            {"id": "d", "when": {"tool": "a"}, "action": "deny"},
            {"id": 7, "when": {"tool": ""}, "action": "allow"}
        ]);
        let d = eval(rules.clone(), None, json!({"tool": "a", "env": "prod"}));
        assert_eq!(
            id_reason(&d),
            (json!("g"), json!("Gate required by rule g"), true, true)
        );
        let d = eval(rules.clone(), None, json!({"tool": "a"}));
        assert_eq!(
            id_reason(&d),
            (json!("d"), json!("Denied by rule d"), false, false)
        );
        // an empty-string when field is ignored (falsy): rule 7 matches anything
        let d = eval(rules, None, json!({"tool": "zzz"}));
        assert_eq!(
            id_reason(&d),
            (json!(7), json!("Allowed by rule 7"), true, false)
        );
        assert_eq!(d["rule_id"], json!(7));
    }

    #[test]
    fn scope_assert() {
        let rules = json!([{"id": "s", "when": {"tool": "p"}, "assert": {"diff_within_scope": true}, "action": "allow"}]);
        let d = eval(
            rules.clone(),
            None,
            json!({"tool": "p", "mutation_scope": ["src/auth/"], "affected_paths": ["src/auth/a.ts", "src/x.ts", "src"]}),
        );
        assert_eq!(
            d["reason"],
            json!("Assert failed for rule s: paths outside mutation scope: src/x.ts")
        );
        assert_eq!(d["allowed"], json!(false));
        let d = eval(
            rules.clone(),
            None,
            json!({"tool": "p", "mutation_scope": [], "affected_paths": ["x"]}),
        );
        assert_eq!(d["reason"], json!("Allowed by rule s"));
        let d = eval(rules, None, json!({"tool": "p", "mutation_scope": ["a"]}));
        assert_eq!(d["allowed"], json!(true));
    }

    #[test]
    fn malformed_pieces_fail_only_when_reached() {
        let p = CompiledPolicy::compile(&json!([null]), &Value::Null);
        // nothing reaches the guardrail or the rules
        assert!(p
            .evaluate(
                &PolicyInput::from_value(
                    &json!({"tool": "t", "autonomy_tier": "L0", "side_effect_class": "write_fs"})
                )
                .unwrap()
            )
            .is_ok());
        let e = p
            .evaluate(
                &PolicyInput::from_value(&json!({"tool": "t", "affected_paths": ["x"]})).unwrap(),
            )
            .unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
        let e = p
            .evaluate(&PolicyInput::from_value(&json!({"tool": "t"})).unwrap())
            .unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
        assert!(PolicyInput::from_value(&Value::Null).is_err());
        let p = CompiledPolicy::compile(&json!([]), &default_guardrail());
        let e = p
            .evaluate(&PolicyInput::from_value(&json!({"tool": "t", "affected_paths": 5})).unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("not iterable"));
        // a string iterates by character
        let d = p
            .evaluate(
                &PolicyInput::from_value(&json!({"tool": "t", "affected_paths": "ab"})).unwrap(),
            )
            .unwrap();
        assert_eq!(d["decision_id"], json!("__default_allow"));
    }

    #[test]
    fn rule_index_keeps_first_match_semantics() {
        // more than 64 rules (several bitset words), non-string when values
        let mut rules = vec![
            json!({"id": "obj", "when": {"tool": {}}, "action": "deny"}),
            json!({"id": "num", "when": {"tool": 5}, "action": "deny"}),
            json!({"id": "bool", "when": {"env": true}, "action": "deny"}),
        ];
        for i in 0..100 {
            rules.push(json!({"id": format!("r{i}"), "when": {"tool": format!("t{i}"), "kind": if i % 2 == 0 { "a" } else { "b" }}, "action": "allow"}));
        }
        rules.push(json!({"id": "last", "when": {"kind": "b"}, "action": "require_human_gate"}));
        let p = CompiledPolicy::compile(&Value::Array(rules), &default_guardrail());
        let id = |ctx: Value| {
            p.evaluate(&PolicyInput::from_value(&ctx).unwrap()).unwrap()["decision_id"].clone()
        };
        assert_eq!(id(json!({"tool": 5})), json!("num"));
        assert_eq!(id(json!({"tool": "5"})), json!("__default_allow"));
        assert_eq!(id(json!({"tool": "x", "env": true})), json!("bool"));
        assert_eq!(id(json!({"tool": "t99", "kind": "b"})), json!("r99"));
        assert_eq!(id(json!({"tool": "t98", "kind": "b"})), json!("last"));
        assert_eq!(id(json!({"tool": "t70", "kind": "a"})), json!("r70"));
        assert_eq!(id(json!({"kind": "b"})), json!("last"));
        // a rule that throws when reached is reached in order
        let p = CompiledPolicy::compile(
            &json!([{"id": "a", "when": {"tool": "x"}, "action": "allow"}, {"id": "bad"}, {"id": "c", "when": {}, "action": "deny"}]),
            &default_guardrail(),
        );
        assert!(p
            .evaluate(&PolicyInput::from_value(&json!({"tool": "x"})).unwrap())
            .is_ok());
        assert!(p
            .evaluate(&PolicyInput::from_value(&json!({"tool": "y"})).unwrap())
            .is_err());
    }

    #[test]
    fn table_holds_static_outcomes() {
        let p = CompiledPolicy::compile(
            &json!([{"id": "a", "when": {}, "action": "deny"}, {"when": {}, "action": "x"}]),
            &default_guardrail(),
        );
        assert_eq!(p.table().len(), 2);
        let ctx = json!({"tool": "t"});
        let o = p.outcome(&PolicyInput::from_value(&ctx).unwrap()).unwrap();
        assert!(matches!(o, Outcome::Static(1)));
        assert_eq!(p.table()[1].reason, "Denied by rule a");
    }
}
