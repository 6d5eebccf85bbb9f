//! decision binding: the decision engine, the decision log and memos.
//! Hot calls (`evaluate`, memo parts) take plain numbers and booleans and
//! answer with one string, so a call costs one crossing each way.

use std::path::Path;

use napi::Either;
use napi_derive::napi;
use oxe_runtime::context::js::JsNumber;
use oxe_runtime::decision::{self, engine, memo};
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson::{self, number_to_js_string};
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

/// A mutation scope as the glue sends it: one NUL-joined string (one
/// conversion instead of one per path), or the array itself when a path
/// contains a NUL.
type ScopeWire = Either<String, Vec<String>>;

fn with_scope<T>(scope: &ScopeWire, f: impl FnOnce(&[&str]) -> T) -> T {
    match scope {
        Either::A(joined) => f(&joined.split('\0').collect::<Vec<_>>()),
        Either::B(items) => f(&items.iter().map(String::as_str).collect::<Vec<_>>()),
    }
}

/// Bits of the `flags` argument of `decisionEvaluate` (the input's
/// truthy flags).
const POLICY_ALLOWED: u32 = 1;
const GATE_PENDING: u32 = 2;
const GATE_APPROVED: u32 = 4;
const LESSON_MATCH: u32 = 8;
/// `retry_count` / `max_retries` is `null` or `undefined` (shown as such in
/// the rationale).
const RETRY_NULL: u32 = 1 << 16;
const RETRY_UNDEFINED: u32 = 1 << 17;
const MAX_NULL: u32 = 1 << 18;
const MAX_UNDEFINED: u32 = 1 << 19;

fn js_number(value: f64, flags: u32, null: u32, undefined: u32) -> JsNumber {
    if flags & null != 0 {
        JsNumber::Null
    } else if flags & undefined != 0 {
        JsNumber::Undefined
    } else {
        JsNumber::Number(value)
    }
}

/// `DecisionEngine.evaluate` on the input's signals. Answers
/// `id\ntimestamp\ntype\nseniority\nconfidence\nsignal,signal…\nrationale`
/// (no part can contain a newline).
#[napi(js_name = "decisionEvaluate")]
pub fn decision_evaluate(
    flags: u32,
    retry_count: f64,
    max_retries: f64,
    evidence_count: f64,
    risk_level: Option<String>,
) -> napi::Result<String, String> {
    guard("DecisionEngine.evaluate", || {
        let v = decision::evaluate(&decision::DecisionInput {
            policy_allowed: flags & POLICY_ALLOWED != 0,
            gate_pending: flags & GATE_PENDING != 0,
            gate_approved: flags & GATE_APPROVED != 0,
            retry_count: js_number(retry_count, flags, RETRY_NULL, RETRY_UNDEFINED),
            max_retries: js_number(max_retries, flags, MAX_NULL, MAX_UNDEFINED),
            evidence_count,
            risk_level: risk_level.as_deref(),
            lesson_match: flags & LESSON_MATCH != 0,
        });
        let mut out = String::with_capacity(160);
        for part in [
            engine::new_decision_id().as_str(),
            engine::timestamp().as_str(),
            v.kind.as_str(),
            v.seniority.as_str(),
            number_to_js_string(v.confidence).as_str(),
        ] {
            out.push_str(part);
            out.push('\n');
        }
        for (i, s) in v.signals.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(s.as_str());
        }
        out.push('\n');
        out.push_str(&v.rationale);
        Ok(out)
    })
}

#[napi(js_name = "decisionAppend")]
pub fn decision_append(
    project_root: String,
    run_id: String,
    record: String,
) -> napi::Result<(), String> {
    guard("appendDecision", || {
        let record = parse_wire("record", &record)?;
        decision::append_decision(Path::new(&project_root), &run_id, record)
    })
}

/// The log's JSON text, or `null`.
#[napi(js_name = "decisionLoadLog")]
pub fn decision_load_log(
    project_root: String,
    run_id: String,
) -> napi::Result<Option<String>, String> {
    guard("loadDecisionLog", || {
        Ok(
            decision::load_decision_log(Path::new(&project_root), &run_id)?
                .map(|v| jsjson::to_line(&v)),
        )
    })
}

/// `queryDecisions`: `decisions` is a JSON array of `{type, work_item_id,
/// confidence}` projections; answers the indices that pass.
#[napi(js_name = "decisionQuery")]
pub fn decision_query(decisions: String, filter: String) -> napi::Result<Vec<u32>, String> {
    guard("queryDecisions", || {
        let Value::Array(d) = parse_wire("log.decisions", &decisions)? else {
            return Err(OxeError::Arg(
                "queryDecisions: log.decisions must be an array".into(),
            ));
        };
        let filter = decision::DecisionFilter::from_value(&parse_wire("filter", &filter)?);
        Ok(decision::query_decisions(&d, &filter)
            .into_iter()
            .map(|i| i as u32)
            .collect())
    })
}

#[napi(js_name = "memoSelect")]
pub fn memo_select(
    files: f64,
    retry_count: f64,
    risk_level: Option<String>,
) -> napi::Result<&'static str, String> {
    guard("StrategySelector.select", || {
        Ok(memo::select(files, retry_count, risk_level.as_deref()).as_str())
    })
}

/// `[{strategy, reason}…]` as JSON text.
#[napi(js_name = "memoAlternatives")]
pub fn memo_alternatives(
    chosen: String,
    files: f64,
    risk_level: Option<String>,
) -> napi::Result<String, String> {
    guard("StrategySelector.alternatives", || {
        let alts: Vec<Value> = memo::alternatives(&chosen, files, risk_level.as_deref())
            .into_iter()
            .map(|(s, reason)| serde_json::json!({"strategy": s.as_str(), "reason": reason}))
            .collect();
        Ok(jsjson::to_line(&Value::Array(alts)))
    })
}

/// The fixed texts of the compact memo form (see `memo::memo_tables`).
#[napi(js_name = "memoTables")]
pub fn memo_tables() -> String {
    jsjson::to_line(&memo::memo_tables())
}

/// `buildBlastRadius` in the compact form of `memo::blast_compact`.
#[napi(js_name = "memoBlastRadius")]
pub fn memo_blast_radius(
    scope: ScopeWire,
    retry_count: f64,
    risk_level: Option<String>,
) -> napi::Result<String, String> {
    guard("buildBlastRadius", || {
        let mut out = String::with_capacity(48);
        with_scope(&scope, |s| {
            memo::blast_compact(&mut out, s, retry_count, risk_level.as_deref())
        });
        Ok(out)
    })
}

/// `buildRollbackPlan`: the code of the plan in the memo tables.
#[napi(js_name = "memoRollbackPlan")]
pub fn memo_rollback_plan(
    risk_score: f64,
    reversible: bool,
    files: f64,
    retry_count: f64,
) -> napi::Result<u32, String> {
    guard("buildRollbackPlan", || {
        Ok(memo::rollback_plan(risk_score, reversible, files, retry_count).index() as u32)
    })
}

/// The computed part of `buildMemo` in the compact form of
/// `memo::memo_compact`.
#[napi(js_name = "memoBuild")]
pub fn memo_build(
    scope: ScopeWire,
    retry_count: f64,
    risk_level: Option<String>,
) -> napi::Result<String, String> {
    guard("buildMemo", || {
        Ok(with_scope(&scope, |s| {
            memo::memo_compact(s, retry_count, risk_level.as_deref())
        }))
    })
}

#[napi(js_name = "memoSave")]
pub fn memo_save(project_root: String, memo: String) -> napi::Result<(), String> {
    guard("saveMemo", || {
        decision::save_memo(Path::new(&project_root), &parse_wire("memo", &memo)?)
    })
}

#[napi(js_name = "memoLoad")]
pub fn memo_load(
    project_root: String,
    run_id: String,
    memo_id: String,
) -> napi::Result<Option<String>, String> {
    guard("loadMemo", || {
        Ok(
            decision::load_memo(Path::new(&project_root), &run_id, &memo_id)?
                .map(|v| jsjson::to_line(&v)),
        )
    })
}

/// A JSON array text of the run's memos.
#[napi(js_name = "memoList")]
pub fn memo_list(project_root: String, run_id: String) -> napi::Result<String, String> {
    guard("listMemos", || {
        Ok(jsjson::to_line(&Value::Array(decision::list_memos(
            Path::new(&project_root),
            &run_id,
        )?)))
    })
}
