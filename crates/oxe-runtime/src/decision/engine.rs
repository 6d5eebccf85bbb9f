//! The decision engine: from the signals around a work item (policy, gate,
//! retries, evidence, risk, lessons) to a decision with a confidence, a
//! seniority and a rationale (`DecisionEngine.evaluate`), and the per-run
//! decision log `.oxe/runs/<run>/decisions.json` (`appendDecision`,
//! `loadDecisionLog`, `queryDecisions`).
//!
//! Beyond 1.4.0 the log is replaced atomically under a lock, and a log that
//! is corrupt or not `{run_id, decisions: []}` is moved aside and reported
//! before a new one is started, instead of being overwritten.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::clock;
use crate::context::js::{self, JsNumber};
use crate::error::{OxeError, OxeResult};
use crate::jsjson::{number_to_js_string, truthy};
use crate::paths::run_dir;
use crate::store;

/// `DecisionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionType {
    Proceed,
    Retry,
    EscalateGate,
    Skip,
    Abort,
    PromoteLesson,
}

impl DecisionType {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionType::Proceed => "proceed",
            DecisionType::Retry => "retry",
            DecisionType::EscalateGate => "escalate_gate",
            DecisionType::Skip => "skip",
            DecisionType::Abort => "abort",
            DecisionType::PromoteLesson => "promote_lesson",
        }
    }
}

/// `DecisionSignal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    PolicyAllowed,
    PolicyDenied,
    GatePending,
    GateApproved,
    EvidenceSufficient,
    EvidenceMissing,
    RetryBudgetAvailable,
    RetryBudgetExhausted,
    LessonMatch,
    RiskHigh,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::PolicyAllowed => "policy_allowed",
            Signal::PolicyDenied => "policy_denied",
            Signal::GatePending => "gate_pending",
            Signal::GateApproved => "gate_approved",
            Signal::EvidenceSufficient => "evidence_sufficient",
            Signal::EvidenceMissing => "evidence_missing",
            Signal::RetryBudgetAvailable => "retry_budget_available",
            Signal::RetryBudgetExhausted => "retry_budget_exhausted",
            Signal::LessonMatch => "lesson_match",
            Signal::RiskHigh => "risk_high",
        }
    }
}

/// `SeniorityLevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seniority {
    Junior,
    Standard,
    Senior,
    Expert,
}

impl Seniority {
    /// From the unrounded confidence.
    pub fn from_confidence(c: f64) -> Self {
        if c >= 0.9 {
            Seniority::Expert
        } else if c >= 0.75 {
            Seniority::Senior
        } else if c >= 0.5 {
            Seniority::Standard
        } else {
            Seniority::Junior
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Seniority::Junior => "junior",
            Seniority::Standard => "standard",
            Seniority::Senior => "senior",
            Seniority::Expert => "expert",
        }
    }
}

/// The signals of a `DecisionInput`. Flags are JS truthiness; counts are
/// JS values compared as numbers (`undefined` is NaN, so comparisons fail
/// as in JS) and shown in the rationale as JS shows them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecisionInput<'a> {
    pub policy_allowed: bool,
    pub gate_pending: bool,
    pub gate_approved: bool,
    pub retry_count: JsNumber,
    pub max_retries: JsNumber,
    pub evidence_count: f64,
    /// `None` when `risk_level` is not a string.
    pub risk_level: Option<&'a str>,
    pub lesson_match: bool,
}

/// What `evaluate` decided (the record without ids and pass-through fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub kind: DecisionType,
    pub seniority: Seniority,
    /// Rounded to 2 decimals.
    pub confidence: f64,
    pub signals: Vec<Signal>,
    /// Trimmed.
    pub rationale: String,
}

const POLICY_DENIED: &str = "Policy denied execution — aborting without retry.";
const GATE_PENDING: &str = "Human gate pending — escalating for approval before proceeding.";
const HIGH_RISK: &str = "High residual risk detected. ";
const ALL_GREEN: &str = "All signals green — proceeding with execution.";

/// `DecisionEngine.evaluate`, the rules in 1.4.0's order.
pub fn evaluate(input: &DecisionInput) -> Verdict {
    let mut signals = Vec::with_capacity(5);
    let mut kind = DecisionType::Proceed;
    let mut confidence: f64 = 0.8;
    let mut rationale = String::new();

    if !input.policy_allowed {
        signals.push(Signal::PolicyDenied);
        kind = DecisionType::Abort;
        confidence = 1.0;
        rationale.push_str(POLICY_DENIED);
    } else {
        signals.push(Signal::PolicyAllowed);
        if input.gate_pending && !input.gate_approved {
            signals.push(Signal::GatePending);
            kind = DecisionType::EscalateGate;
            confidence = 0.95;
            rationale.push_str(GATE_PENDING);
        } else {
            if input.gate_approved {
                signals.push(Signal::GateApproved);
            }
            if matches!(input.risk_level, Some("high" | "critical")) {
                signals.push(Signal::RiskHigh);
                confidence = js::max(0.4, confidence - 0.3);
                rationale.push_str(HIGH_RISK);
            }
            let (rc, mr) = (input.retry_count, input.max_retries);
            let (r, m) = (rc.value(), mr.value());
            if r >= m {
                signals.push(Signal::RetryBudgetExhausted);
                kind = DecisionType::Abort;
                confidence = 0.9;
                rationale.push_str(&format!(
                    "Retry budget exhausted ({}/{}).",
                    rc.text(),
                    mr.text()
                ));
            } else if r > 0.0 {
                signals.push(Signal::RetryBudgetAvailable);
                kind = DecisionType::Retry;
                confidence = 0.7;
                rationale.push_str(&format!(
                    "Retrying (attempt {}/{}).",
                    number_to_js_string(r + 1.0),
                    number_to_js_string(m + 1.0)
                ));
            } else {
                if input.evidence_count > 0.0 {
                    signals.push(Signal::EvidenceSufficient);
                    confidence = js::min(1.0, confidence + 0.1);
                } else {
                    signals.push(Signal::EvidenceMissing);
                    confidence = js::max(0.3, confidence - 0.2);
                }
                if input.lesson_match {
                    signals.push(Signal::LessonMatch);
                    kind = DecisionType::PromoteLesson;
                    confidence = js::min(1.0, confidence + 0.05);
                }
                if rationale.is_empty() {
                    rationale.push_str(ALL_GREEN);
                }
            }
        }
    }
    let trimmed = rationale.trim_matches(js::is_js_space);
    if trimmed.len() != rationale.len() {
        rationale = trimmed.to_string();
    }
    Verdict {
        kind,
        seniority: Seniority::from_confidence(confidence),
        confidence: js::round2(confidence),
        signals,
        rationale,
    }
}

/// `new Date().toISOString()`. Records are made in bulk, many within the
/// same millisecond, so the text of the last millisecond is kept.
pub fn timestamp() -> String {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
    }
    let now = clock::now_ms();
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != now {
            *last = (now, clock::iso_from_ms(now));
        }
        last.1.clone()
    })
}

/// A fresh `dec-<8 hex>` id.
pub fn new_decision_id() -> String {
    format!("dec-{}", clock::random_chars(8, clock::HEX))
}

impl DecisionInput<'_> {
    /// The signals of a `DecisionInput` object, read as 1.4.0 reads them.
    pub fn from_value(v: &Value) -> DecisionInput<'_> {
        let flag = |k: &str| v.get(k).is_some_and(truthy);
        DecisionInput {
            policy_allowed: flag("policy_allowed"),
            gate_pending: flag("gate_pending"),
            gate_approved: flag("gate_approved"),
            retry_count: JsNumber::from_json(v.get("retry_count")),
            max_retries: JsNumber::from_json(v.get("max_retries")),
            evidence_count: js::to_number(v.get("evidence_count")),
            risk_level: v.get("risk_level").and_then(Value::as_str),
            lesson_match: flag("lesson_match"),
        }
    }
}

/// The whole `DecisionRecord` for a `DecisionInput` object, in 1.4.0's key
/// order; `memo` only when the input has one.
pub fn decision_record(input: &Value) -> OxeResult<Value> {
    if !input.is_object() {
        return Err(OxeError::Arg(
            "DecisionEngine.evaluate: input must be a DecisionInput object".into(),
        ));
    }
    let v = evaluate(&DecisionInput::from_value(input));
    let mut rec = Map::new();
    rec.insert("decision_id".into(), json!(new_decision_id()));
    rec.insert(
        "work_item_id".into(),
        input.get("work_item_id").cloned().unwrap_or(Value::Null),
    );
    if let Some(run) = input.get("run_id") {
        rec.insert("run_id".into(), run.clone());
    }
    rec.insert("type".into(), json!(v.kind.as_str()));
    rec.insert("seniority".into(), json!(v.seniority.as_str()));
    rec.insert("confidence".into(), js::number(v.confidence));
    rec.insert(
        "signals".into(),
        v.signals.iter().map(|s| s.as_str()).collect(),
    );
    rec.insert("rationale".into(), json!(v.rationale));
    rec.insert("timestamp".into(), json!(timestamp()));
    if let Some(memo) = input.get("memo") {
        rec.insert("memo".into(), memo.clone());
    }
    Ok(Value::Object(rec))
}

// ------------------------------------------------------------ persistence

pub fn log_path(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join("decisions.json"))
}

fn is_log(v: &Value) -> bool {
    v.get("decisions").is_some_and(Value::is_array)
}

/// The log if the file holds one; a file that does not is moved aside.
fn read_log(path: &Path) -> Option<Value> {
    let v = store::read_json(path)?;
    if is_log(&v) {
        Some(v)
    } else {
        store::quarantine(path, "not a decision log ({run_id, decisions: []})");
        None
    }
}

/// `appendDecision(projectRoot, runId, record)`.
pub fn append_decision(root: &Path, run_id: &str, record: Value) -> OxeResult<()> {
    let path = log_path(root, run_id)?;
    store::with_lock(&path, || {
        let mut log = read_log(&path).unwrap_or_else(|| json!({"run_id": run_id, "decisions": []}));
        if let Some(Value::Array(d)) = log.get_mut("decisions") {
            d.push(record);
        }
        store::write_json(&path, &log)
    })?;
    Ok(())
}

/// `loadDecisionLog(projectRoot, runId)`: `None` when missing or unusable.
pub fn load_decision_log(root: &Path, run_id: &str) -> OxeResult<Option<Value>> {
    Ok(read_log(&log_path(root, run_id)?))
}

/// The filter of `queryDecisions`: `type` and `workItemId` apply when
/// truthy, `minConfidence` when present (JS `!== undefined`).
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub kind: Option<Value>,
    pub work_item_id: Option<Value>,
    pub min_confidence: Option<Value>,
}

impl DecisionFilter {
    pub fn from_value(v: &Value) -> Self {
        DecisionFilter {
            kind: v.get("type").cloned(),
            work_item_id: v.get("workItemId").cloned(),
            min_confidence: v.get("minConfidence").cloned(),
        }
    }
}

/// JS `a < b` for two JSON values (strings compare by UTF-16 code units,
/// everything else numerically; `undefined` is `None` and never compares).
fn js_less(a: Option<&Value>, b: &Value) -> bool {
    match (a, b) {
        (Some(Value::String(x)), Value::String(y)) => x.encode_utf16().lt(y.encode_utf16()),
        (Some(x), y) => js::to_number(Some(x)) < js::to_number(Some(y)),
        (None, _) => false,
    }
}

/// `queryDecisions(log, filter)` on the decisions' `type`, `work_item_id`
/// and `confidence`: the indices of the records that pass.
pub fn query_decisions(decisions: &[Value], filter: &DecisionFilter) -> Vec<usize> {
    let kind = filter.kind.as_ref().filter(|v| truthy(v));
    let wi = filter.work_item_id.as_ref().filter(|v| truthy(v));
    let field = |d: &Value, k: &str| d.get(k).cloned();
    decisions
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            let same = |want: &Value, k: &str| field(d, k).is_some_and(|v| js::strict_eq(&v, want));
            if kind.is_some_and(|t| !same(t, "type")) {
                return false;
            }
            if wi.is_some_and(|w| !same(w, "work_item_id")) {
                return false;
            }
            if let Some(min) = &filter.min_confidence {
                if js_less(d.get("confidence"), min) {
                    return false;
                }
            }
            true
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> DecisionInput<'static> {
        DecisionInput {
            policy_allowed: true,
            gate_pending: false,
            gate_approved: false,
            retry_count: JsNumber::Number(0.0),
            max_retries: JsNumber::Number(2.0),
            evidence_count: 1.0,
            risk_level: Some("none"),
            lesson_match: false,
        }
    }

    #[test]
    fn green_is_expert_proceed() {
        let v = evaluate(&base());
        assert_eq!(v.kind, DecisionType::Proceed);
        // 0.8 + 0.1 = 0.9000000000000001: expert, shown as 0.9
        assert_eq!(v.seniority, Seniority::Expert);
        assert_eq!(v.confidence, 0.9);
        assert_eq!(
            v.signals,
            [Signal::PolicyAllowed, Signal::EvidenceSufficient]
        );
        assert_eq!(v.rationale, ALL_GREEN);
    }

    #[test]
    fn the_rules_in_order() {
        let v = evaluate(&DecisionInput {
            policy_allowed: false,
            ..base()
        });
        assert_eq!(
            (v.kind, v.confidence, v.seniority),
            (DecisionType::Abort, 1.0, Seniority::Expert)
        );
        let v = evaluate(&DecisionInput {
            gate_pending: true,
            ..base()
        });
        assert_eq!((v.kind, v.confidence), (DecisionType::EscalateGate, 0.95));
        let v = evaluate(&DecisionInput {
            gate_pending: true,
            gate_approved: true,
            ..base()
        });
        assert_eq!(v.signals[1], Signal::GateApproved);
        let v = evaluate(&DecisionInput {
            retry_count: JsNumber::Number(1.0),
            ..base()
        });
        assert_eq!(
            (v.kind, v.rationale.as_str()),
            (DecisionType::Retry, "Retrying (attempt 2/3).")
        );
        let v = evaluate(&DecisionInput {
            retry_count: JsNumber::Number(2.0),
            risk_level: Some("high"),
            ..base()
        });
        assert_eq!(v.kind, DecisionType::Abort);
        assert_eq!(
            v.rationale,
            "High residual risk detected. Retry budget exhausted (2/2)."
        );
        let v = evaluate(&DecisionInput {
            risk_level: Some("critical"),
            evidence_count: 0.0,
            ..base()
        });
        assert_eq!(v.rationale, "High residual risk detected.");
        assert_eq!((v.confidence, v.seniority), (0.3, Seniority::Junior));
        let v = evaluate(&DecisionInput {
            lesson_match: true,
            ..base()
        });
        assert_eq!((v.kind, v.confidence), (DecisionType::PromoteLesson, 0.95));
        // no counts at all: NaN comparisons all fail, as in JS
        let v = evaluate(&DecisionInput {
            retry_count: JsNumber::Undefined,
            max_retries: JsNumber::Undefined,
            evidence_count: f64::NAN,
            ..base()
        });
        assert_eq!(v.signals[1], Signal::EvidenceMissing);
        // null counts compare as 0 and show as "null"
        let v = evaluate(&DecisionInput {
            retry_count: JsNumber::Null,
            max_retries: JsNumber::Null,
            ..base()
        });
        assert_eq!(v.rationale, "Retry budget exhausted (null/null).");
    }

    #[test]
    fn record_shape() {
        let rec = decision_record(&json!({"run_id": "r", "policy_allowed": true, "max_retries": 1, "evidence_count": 1, "risk_level": "low"})).unwrap();
        let keys: Vec<_> = rec.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "decision_id",
                "work_item_id",
                "run_id",
                "type",
                "seniority",
                "confidence",
                "signals",
                "rationale",
                "timestamp"
            ]
        );
        assert!(rec["decision_id"].as_str().unwrap().len() == 12);
        assert_eq!(rec["work_item_id"], Value::Null);
        let rec = decision_record(&json!({"run_id": "r", "memo": {"memo_id": "memo-1"}})).unwrap();
        assert_eq!(rec["memo"]["memo_id"], json!("memo-1"));
        assert_eq!(
            decision_record(&json!(null)).unwrap_err().code(),
            "OXE_E_ARG"
        );
    }

    #[test]
    fn log_round_trip_and_query() {
        let root = std::env::temp_dir().join(format!("oxe-dec-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(load_decision_log(&root, "r").unwrap(), None);
        for (wi, allowed) in [("T1", true), ("T2", false)] {
            let rec = decision_record(&json!({"work_item_id": wi, "run_id": "r", "policy_allowed": allowed, "max_retries": 2, "retry_count": 0, "evidence_count": 1})).unwrap();
            append_decision(&root, "r", rec).unwrap();
        }
        let log = load_decision_log(&root, "r").unwrap().unwrap();
        assert_eq!(log["run_id"], json!("r"));
        let d = log["decisions"].as_array().unwrap();
        assert_eq!(d.len(), 2);
        let q = |f: Value| query_decisions(d, &DecisionFilter::from_value(&f));
        assert_eq!(q(json!({"type": "abort"})), [1]);
        assert_eq!(q(json!({"workItemId": "T1"})), [0]);
        assert_eq!(q(json!({"minConfidence": 0.99})), [1]);
        assert_eq!(q(json!({"type": "", "minConfidence": null})), [0, 1]);

        // a log of the wrong shape is moved aside, and a new one started
        let path = log_path(&root, "r").unwrap();
        std::fs::write(&path, "{\"run_id\":\"r\"}").unwrap();
        append_decision(&root, "r", json!({"decision_id": "dec-x"})).unwrap();
        let log = load_decision_log(&root, "r").unwrap().unwrap();
        assert_eq!(log["decisions"].as_array().unwrap().len(), 1);
        let _ = store::take_diagnostics();
    }
}
