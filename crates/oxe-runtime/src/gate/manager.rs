//! `GateManager`: human-approval gates of a session, stored as one JSON
//! array in `.oxe/execution/GATES.json` (or `.oxe/<session>/execution/
//! GATES.json`), re-read on every call as in 1.4.0.
//!
//! Beyond 1.4.0: `request` and `resolve` read, change and write the file
//! under its lock ([`store::with_lock`]), so two processes requesting or
//! resolving gates at once never lose an entry; the write is atomic; a
//! `GATES.json` that is not a JSON array (1.4.0 would throw on it) is moved
//! aside and reported, and the manager answers as if it were empty.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::file::{self, GateList};
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::events::bus::append_event;
use crate::paths;
use crate::policy::js_ops::{value_strict_eq, Slot};
use crate::store;

pub const GATES_FILE: &str = "GATES.json";

/// A manager's identity: `new GateManager(projectRoot, sessionId, runId)`.
/// `session` is `None` when the session id is falsy; `run_id` is `None`
/// when it is `undefined`.
#[derive(Clone, Copy, Debug)]
pub struct GateManager<'a> {
    pub root: &'a Path,
    pub session: Option<&'a str>,
    pub run_id: Option<&'a Value>,
}

fn field<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(k),
        _ => None,
    }
}

/// `a ?? null`.
fn or_null(v: Option<&Value>) -> Value {
    match v {
        Some(v) if !v.is_null() => v.clone(),
        _ => Value::Null,
    }
}

/// Sets `key` to `v`, or removes it (keeping the other keys' order) when
/// `v` is `undefined`, as `{...obj, key: undefined}` then `JSON.stringify`
/// would.
fn set_or_drop(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    match v {
        Some(v) => {
            m.insert(key.into(), v);
        }
        None => {
            m.shift_remove(key);
        }
    }
}

impl<'a> GateManager<'a> {
    /// Where the gates live.
    pub fn gates_path(&self) -> OxeResult<PathBuf> {
        Ok(match self.session {
            Some(s) => paths::execution_root(self.root, Some(s))?.join(GATES_FILE),
            None => paths::oxe_dir(self.root).join("execution").join(GATES_FILE),
        })
    }

    /// Every stored gate (`[]` when the file is missing or unusable).
    pub fn read_gates(&self) -> OxeResult<Arc<GateList>> {
        Ok(file::load(&self.gates_path()?))
    }

    fn emit(&self, input: Map<String, Value>) -> OxeResult<()> {
        append_event(self.root, self.session, &Value::Object(input), None)?;
        Ok(())
    }

    /// `request(scope, ctx)`: stores a pending gate, emits `GateRequested`
    /// and returns the token. `scope` is `None` when `undefined`.
    pub fn request(&self, scope: Option<&Value>, ctx: &Value) -> OxeResult<Value> {
        if ctx.is_null() {
            return Err(OxeError::Arg(
                "GateManager.request: the gate context must be an object, got null".into(),
            ));
        }
        let path = self.gates_path()?;
        let get = |k: &str| field(ctx, k);
        let mut token = Map::new();
        let gate_id = format!("gate-{}", clock::random_chars(8, clock::HEX));
        token.insert("gate_id".into(), Value::String(gate_id.clone()));
        set_or_drop(&mut token, "scope", scope.cloned());
        let run = match get("run_id") {
            Some(v) if !v.is_null() => Some(v.clone()),
            _ => self.run_id.cloned(),
        };
        set_or_drop(&mut token, "run_id", run);
        token.insert("work_item_id".into(), or_null(get("work_item_id")));
        token.insert("action".into(), or_null(get("action")));
        token.insert("requested_at".into(), Value::String(clock::now_iso()));
        token.insert("context".into(), ctx.clone());
        token.insert("status".into(), Value::String("pending".into()));
        token.insert("resolution_history".into(), Value::Array(Vec::new()));
        let token = Value::Object(token);

        store::with_lock(&path, || {
            let mut gates = file::load_for_update(&path);
            gates.push(token.clone());
            file::save(&path, gates)
        })?;

        let mut payload = Map::new();
        payload.insert("gate_id".into(), Value::String(gate_id));
        set_or_drop(&mut payload, "scope", scope.cloned());
        payload.insert("action".into(), or_null(field(&token, "action")));
        for k in ["description", "evidence_refs", "risks"] {
            set_or_drop(&mut payload, k, get(k).cloned());
        }
        payload.insert("rationale".into(), or_null(get("rationale")));
        payload.insert(
            "policy_decision_id".into(),
            or_null(get("policy_decision_id")),
        );
        let mut input = Map::new();
        input.insert("type".into(), Value::String("GateRequested".into()));
        set_or_drop(&mut input, "run_id", self.run_id.cloned());
        input.insert("work_item_id".into(), or_null(get("work_item_id")));
        input.insert("payload".into(), Value::Object(payload));
        self.emit(input)?;
        Ok(token)
    }

    /// `resolve(token, {decision, actor, reason?})`: marks the stored gate
    /// with `token.gate_id` resolved, appends to its history, emits
    /// `GateResolved` and returns the stored gate. A missing gate is an
    /// `OXE_E_ARG` error `Gate <id> not found`.
    pub fn resolve(&self, token: &Value, resolution: &Value) -> OxeResult<Value> {
        if token.is_null() || resolution.is_null() {
            return Err(OxeError::Arg(
                "GateManager.resolve: the token and the resolution must be objects".into(),
            ));
        }
        let path = self.gates_path()?;
        let wanted = field(token, "gate_id");
        let decision = field(resolution, "decision").cloned();
        let actor = field(resolution, "actor").cloned();
        let reason = field(resolution, "reason")
            .filter(|v| !v.is_null())
            .cloned();
        let resolved_at = Value::String(clock::now_iso());

        let found = store::with_lock(&path, || {
            let mut gates = file::load_for_update(&path);
            let Some(idx) = gates
                .items
                .iter()
                .position(|g| value_strict_eq(field(g, "gate_id"), wanted))
            else {
                return Ok(None);
            };
            let Some(Value::Object(stored)) = gates.items.get(idx) else {
                return Ok(None);
            };
            let mut next = stored.clone();
            let mut history = match next.get("resolution_history") {
                Some(Value::Array(h)) => h.clone(),
                _ => Vec::new(),
            };
            next.insert("status".into(), Value::String("resolved".into()));
            set_or_drop(&mut next, "decision", decision.clone());
            set_or_drop(&mut next, "actor", actor.clone());
            set_or_drop(&mut next, "reason", reason.clone());
            next.insert("resolved_at".into(), resolved_at.clone());
            let mut record = Map::new();
            set_or_drop(&mut record, "decision", decision.clone());
            set_or_drop(&mut record, "actor", actor.clone());
            set_or_drop(&mut record, "reason", reason.clone());
            record.insert("resolved_at".into(), resolved_at.clone());
            history.push(Value::Object(record));
            next.insert("resolution_history".into(), Value::Array(history));
            let next = Value::Object(next);
            gates.set(idx, next.clone());
            file::save(&path, gates)?;
            Ok(Some(next))
        })?;
        let Some(resolved) = found else {
            return Err(OxeError::Arg(format!(
                "Gate {} not found",
                Slot::of(wanted).render()
            )));
        };

        let mut payload = Map::new();
        set_or_drop(&mut payload, "gate_id", wanted.cloned());
        set_or_drop(&mut payload, "scope", field(token, "scope").cloned());
        set_or_drop(&mut payload, "action", field(token, "action").cloned());
        set_or_drop(&mut payload, "decision", decision);
        set_or_drop(&mut payload, "actor", actor);
        payload.insert("reason".into(), reason.unwrap_or(Value::Null));
        let mut input = Map::new();
        input.insert("type".into(), Value::String("GateResolved".into()));
        set_or_drop(&mut input, "run_id", self.run_id.cloned());
        input.insert("payload".into(), Value::Object(payload));
        self.emit(input)?;
        Ok(resolved)
    }
}
