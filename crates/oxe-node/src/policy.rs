//! policy binding: a compiled engine per `PolicyEngine` instance, held here
//! and named by a small integer handle (plain calls with numbers and one
//! string are much cheaper than napi class methods); answers are indexes
//! into a decision table the glue mirrors (`oxe_runtime::policy::wire`).
//! Also the persisted decisions.

use std::cell::RefCell;
use std::path::Path;

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::{OxeError, OxeResult};
use oxe_runtime::policy::js_ops::Slot;
use oxe_runtime::policy::wire::DecisionCache;
use oxe_runtime::policy::{self, CompiledPolicy, PolicyInput, Seq};
use serde_json::Value;

use crate::guard::guard;

/// Answer of `evaluate` when the packed context does not split into the
/// announced fields (a string held a NUL): the glue then sends JSON.
const RETRY: u32 = u32::MAX;

thread_local! {
    /// The compiled engines of this JS thread, by handle. Handles are
    /// released by the glue's FinalizationRegistry when an engine object is
    /// collected.
    static ENGINES: RefCell<Engines> = RefCell::new(Engines::default());
}

#[derive(Default)]
struct Engines {
    slots: Vec<Option<DecisionCache>>,
    free: Vec<u32>,
}

fn with_engine<T>(handle: u32, f: impl FnOnce(&mut DecisionCache) -> OxeResult<T>) -> OxeResult<T> {
    ENGINES.with(|e| {
        let mut e = e.borrow_mut();
        match e.slots.get_mut(handle as usize).and_then(Option::as_mut) {
            Some(cache) => f(cache),
            None => Err(OxeError::Arg(format!(
                "PolicyEngine: unknown engine handle {handle}"
            ))),
        }
    })
}

/// Compiles an engine from its rules and guardrail (JSON texts); returns a
/// handle for the other `policy*` calls.
#[napi(js_name = "policyCompile")]
pub fn policy_compile(rules: String, guardrail: String) -> napi::Result<u32, String> {
    guard("PolicyEngine", || {
        let rules = parse_wire("policy rules", &rules)?;
        let guardrail = parse_wire("guardrail", &guardrail)?;
        let cache = DecisionCache::new(CompiledPolicy::compile(&rules, &guardrail));
        Ok(ENGINES.with(|e| {
            let mut e = e.borrow_mut();
            match e.free.pop() {
                Some(h) => {
                    if let Some(slot) = e.slots.get_mut(h as usize) {
                        *slot = Some(cache);
                    }
                    h
                }
                None => {
                    e.slots.push(Some(cache));
                    (e.slots.len() - 1) as u32
                }
            }
        }))
    })
}

/// Frees an engine's handle.
#[napi(js_name = "policyRelease")]
pub fn policy_release(handle: u32) -> napi::Result<(), String> {
    guard("PolicyEngine", || {
        ENGINES.with(|e| {
            let mut e = e.borrow_mut();
            if let Some(slot) = e.slots.get_mut(handle as usize) {
                if slot.take().is_some() {
                    e.free.push(handle);
                }
            }
        });
        Ok(())
    })
}

fn text_slot(present: bool, s: &str) -> Slot<'_> {
    if present {
        Slot::Str(s)
    } else {
        Slot::Undef
    }
}

/// Evaluates a context packed by the glue: `packed` is `tool, env, kind,
/// side_effect_class, autonomy_tier, ...mutation_scope, ...affected_paths`
/// joined with NUL (an empty list still takes one empty piece); `mask` bits
/// 0-4 say which of the five strings are present, 5 and 6 whether the lists
/// are, 7 and 8 whether `mutation_count` and the mutation budget are.
/// Answers as `oxe_runtime::policy::wire` describes, or `RETRY`.
#[napi(js_name = "policyEvaluate")]
pub fn policy_evaluate(
    handle: u32,
    packed: OneCallText,
    mask: u32,
    n_scope: u32,
    n_affected: u32,
    count: f64,
    budget: f64,
) -> napi::Result<u32, String> {
    guard("PolicyEngine.evaluate", || {
        let mut pieces = packed.0.split('\0');
        let mut head = [""; 5];
        for h in head.iter_mut() {
            match pieces.next() {
                Some(p) => *h = p,
                None => return Ok(RETRY),
            }
        }
        let rest: Vec<&str> = pieces.collect();
        let (ns, na) = (n_scope as usize, n_affected as usize);
        if rest.len() != ns.max(1) + na.max(1) {
            return Ok(RETRY);
        }
        let scope = rest.get(..ns).unwrap_or_default();
        let affected = rest.get(ns.max(1)..ns.max(1) + na).unwrap_or_default();
        let bit = |b: u32| mask & (1 << b) != 0;
        let input = PolicyInput {
            tool: text_slot(bit(0), head[0]),
            env: text_slot(bit(1), head[1]),
            kind: text_slot(bit(2), head[2]),
            side_effect_class: text_slot(bit(3), head[3]),
            autonomy_tier: text_slot(bit(4), head[4]),
            mutation_scope: if bit(5) { Seq::Strs(scope) } else { Seq::Absent },
            affected_paths: if bit(6) { Seq::Strs(affected) } else { Seq::Absent },
            mutation_count: if bit(7) { Slot::Num(count) } else { Slot::Undef },
            mutation_budget: if bit(8) { Slot::Num(budget) } else { Slot::Undef },
        };
        with_engine(handle, |c| c.evaluate_code(&input))
    })
}

/// Evaluates a context given as JSON text (any shape).
#[napi(js_name = "policyEvaluateWire")]
pub fn policy_evaluate_wire(handle: u32, ctx: String) -> napi::Result<u32, String> {
    guard("PolicyEngine.evaluate", || {
        let ctx = parse_wire("policy context", &ctx)?;
        let input = PolicyInput::from_value(&ctx)?;
        with_engine(handle, |c| c.evaluate_code(&input))
    })
}

/// The timestamp of the engine's last evaluation.
#[napi(js_name = "policyTimestamp")]
pub fn policy_timestamp(handle: u32) -> napi::Result<String, String> {
    guard("PolicyEngine.evaluate", || with_engine(handle, |c| Ok(c.timestamp())))
}

/// The engine's initial decision table and templates, as JSON text.
#[napi(js_name = "policyInitial")]
pub fn policy_initial(handle: u32) -> napi::Result<String, String> {
    guard("PolicyEngine.evaluate", || with_engine(handle, |c| Ok(c.initial_wire())))
}

/// The reason of the engine's last new decision.
#[napi(js_name = "policyReason")]
pub fn policy_reason(handle: u32) -> napi::Result<String, String> {
    guard("PolicyEngine.evaluate", || {
        with_engine(handle, |c| Ok(c.reason().to_string()))
    })
}

#[napi(js_name = "policyDefaultGuardrail")]
pub fn policy_default_guardrail() -> napi::Result<String, String> {
    guard("PolicyEngine.defaultGuardrail", || {
        Ok(jsjson::to_line(&policy::default_guardrail()))
    })
}

#[napi(js_name = "savePolicyDecision")]
pub fn save_policy_decision(project_root: String, decision: String) -> napi::Result<(), String> {
    guard("savePolicyDecision", || {
        let d = parse_wire("policy decision", &decision)?;
        policy::save_policy_decision(Path::new(&project_root), &d)
    })
}

/// JSON array text of the run's stored decisions.
#[napi(js_name = "loadPolicyDecisions")]
pub fn load_policy_decisions(project_root: String, run_id: String) -> napi::Result<String, String> {
    guard("loadPolicyDecisions", || {
        let list = policy::load_policy_decisions(Path::new(&project_root), &run_id)?;
        Ok(jsjson::to_line(&Value::Array(list)))
    })
}

#[napi(js_name = "summarizePolicyDecisions")]
pub fn summarize_policy_decisions(decisions: String) -> napi::Result<String, String> {
    guard("summarizePolicyDecisions", || {
        let d = parse_wire("policy decisions", &decisions)?;
        Ok(jsjson::to_line(&Value::Object(policy::summarize_policy_decisions(&d)?)))
    })
}


/// A string argument read with a single N-API call (napi-rs's `String`
/// asks for the length first, then copies).
pub struct OneCallText(pub String);

impl napi::bindgen_prelude::FromNapiValue for OneCallText {
    unsafe fn from_napi_value(
        env: napi::sys::napi_env,
        value: napi::sys::napi_value,
    ) -> napi::Result<Self> {
        const CAP: usize = 512;
        let mut buf: Vec<u8> = Vec::with_capacity(CAP);
        let mut written = 0usize;
        // SAFETY: `buf` has CAP writable bytes; N-API writes at most CAP
        // bytes (NUL included) and reports how many it wrote before the NUL.
        let status = unsafe {
            napi::sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), CAP, &mut written)
        };
        if status == napi::sys::Status::napi_ok && written + 1 < CAP {
            // SAFETY: the first `written` bytes were initialized by N-API.
            unsafe { buf.set_len(written) };
            if let Ok(s) = String::from_utf8(buf) {
                return Ok(OneCallText(s));
            }
        }
        // SAFETY: same contract as ours.
        unsafe { <String as napi::bindgen_prelude::FromNapiValue>::from_napi_value(env, value) }
            .map(OneCallText)
    }
}

