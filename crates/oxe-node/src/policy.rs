//! policy binding: a compiled engine per `PolicyEngine` instance, held here
//! and named by a small integer handle (plain calls with numbers are much
//! cheaper than napi class methods or string arguments). Contexts arrive in
//! two arrays the glue writes into (numbers, and strings as UTF-8 bytes);
//! answers are indexes into a decision table the glue mirrors
//! (`oxe_runtime::policy::wire`). Also the persisted decisions.

use std::cell::RefCell;
use std::path::Path;

use napi::bindgen_prelude::{Float64Array, Uint8Array};
use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::policy::js_ops::Slot;
use oxe_runtime::policy::wire::DecisionCache;
use oxe_runtime::policy::{self, CompiledPolicy, PolicyInput, Seq};
use oxe_runtime::{OxeError, OxeResult};
use serde_json::Value;

use crate::guard::guard;

/// Answer of `policyEvaluateSlots` when the arrays do not hold what the
/// lengths announce: the glue then sends JSON.
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

thread_local! {
    /// The glue's transfer arrays (`policyBindSlots`): numbers in a
    /// Float64Array, the context's strings as UTF-8 in a Uint8Array. Read by
    /// the calls below, which take no arguments.
    static SLOTS: RefCell<Option<(Float64Array, Uint8Array)>> = const { RefCell::new(None) };
}

/// Slot layout: `[handle, mask, nScope, nAffected, count, budget, then the
/// byte length of each string: tool, env, kind, side_effect_class,
/// autonomy_tier, ...scope, ...affected]`; the strings themselves follow
/// one another in the byte array.
const S_HANDLE: usize = 0;
const S_MASK: usize = 1;
const S_SCOPE: usize = 2;
const S_AFFECTED: usize = 3;
const S_COUNT: usize = 4;
const S_BUDGET: usize = 5;
const S_LENGTHS: usize = 6;

/// Keeps the glue's transfer arrays (and references to them).
#[napi(js_name = "policyBindSlots")]
pub fn policy_bind_slots(slots: Float64Array, bytes: Uint8Array) -> napi::Result<(), String> {
    guard("PolicyEngine", || {
        SLOTS.with(|s| *s.borrow_mut() = Some((slots, bytes)));
        Ok(())
    })
}

fn with_slots<T>(f: impl FnOnce(&[f64], &[u8]) -> OxeResult<T>) -> OxeResult<T> {
    SLOTS.with(|s| match s.borrow().as_ref() {
        Some((slots, bytes)) => f(slots, bytes),
        None => Err(OxeError::Arg("PolicyEngine: no slot array bound".into())),
    })
}

fn slot_handle(slots: &[f64]) -> u32 {
    slots.get(S_HANDLE).map_or(u32::MAX, |h| *h as u32)
}

/// Evaluates the context the glue wrote into the bound arrays (layout
/// above; the strings are borrowed from the byte array, not copied). `mask`
/// bits 0-4 say which of the five strings are present, 5 and 6 whether the
/// lists are, 7 and 8 whether `mutation_count` and the mutation budget
/// are. Answers as `oxe_runtime::policy::wire` describes, or `RETRY` when
/// the lengths do not fit the arrays or the bytes are not UTF-8.
#[napi(js_name = "policyEvaluateSlots")]
pub fn policy_evaluate_slots() -> napi::Result<u32, String> {
    guard("PolicyEngine.evaluate", || {
        with_slots(|slots, bytes| {
            let num = |i: usize| slots.get(i).copied().unwrap_or(f64::NAN);
            let mask = num(S_MASK) as u32;
            let bit = |b: u32| mask & (1 << b) != 0;
            let (ns, na) = (num(S_SCOPE) as usize, num(S_AFFECTED) as usize);
            let count = 5 + ns + na;
            let mut pieces: Vec<&str> = Vec::with_capacity(count);
            let mut at = 0usize;
            for i in 0..count {
                let len = num(S_LENGTHS + i);
                if len.is_nan() || len < 0.0 || len.fract() != 0.0 {
                    return Ok(RETRY);
                }
                let end = at + len as usize;
                let Some(piece) = bytes.get(at..end).and_then(|b| std::str::from_utf8(b).ok())
                else {
                    return Ok(RETRY);
                };
                pieces.push(piece);
                at = end;
            }
            let (head, lists) = pieces.split_at(5);
            let (scope, affected) = lists.split_at(ns.min(lists.len()));
            let text = |b: u32| match head.get(b as usize) {
                Some(s) if bit(b) => Slot::Str(s),
                _ => Slot::Undef,
            };
            let input = PolicyInput {
                tool: text(0),
                env: text(1),
                kind: text(2),
                side_effect_class: text(3),
                autonomy_tier: text(4),
                mutation_scope: if bit(5) {
                    Seq::Strs(scope)
                } else {
                    Seq::Absent
                },
                affected_paths: if bit(6) {
                    Seq::Strs(affected)
                } else {
                    Seq::Absent
                },
                mutation_count: if bit(7) {
                    Slot::Num(num(S_COUNT))
                } else {
                    Slot::Undef
                },
                mutation_budget: if bit(8) {
                    Slot::Num(num(S_BUDGET))
                } else {
                    Slot::Undef
                },
            };
            with_engine(slot_handle(slots), |c| c.evaluate_code(&input))
        })
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

/// The timestamp of the last evaluation of the engine in the handle slot.
#[napi(js_name = "policyTimestamp")]
pub fn policy_timestamp() -> napi::Result<String, String> {
    guard("PolicyEngine.evaluate", || {
        with_slots(|s, _| with_engine(slot_handle(s), |c| Ok(c.timestamp())))
    })
}

/// The engine's initial decision table and templates, as JSON text.
#[napi(js_name = "policyInitial")]
pub fn policy_initial(handle: u32) -> napi::Result<String, String> {
    guard("PolicyEngine.evaluate", || {
        with_engine(handle, |c| Ok(c.initial_wire()))
    })
}

/// The reason of the last new decision of the engine in the handle slot.
#[napi(js_name = "policyReason")]
pub fn policy_reason() -> napi::Result<String, String> {
    guard("PolicyEngine.evaluate", || {
        with_slots(|s, _| with_engine(slot_handle(s), |c| Ok(c.reason().to_string())))
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
        Ok(jsjson::to_line(&Value::Object(
            policy::summarize_policy_decisions(&d)?,
        )))
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
            napi::sys::napi_get_value_string_utf8(
                env,
                value,
                buf.as_mut_ptr().cast(),
                CAP,
                &mut written,
            )
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
