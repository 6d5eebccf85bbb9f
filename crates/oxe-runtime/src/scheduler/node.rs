//! One node of a wave: quota, attempts with retries, policy, gates,
//! workspace allocation, execution (executor or plugin tool provider) and
//! disposal, in 1.4.0's order and with its event sequence.

use serde_json::{json, Map, Value};

use super::actions::{candidate_actions, gate_scope, preferred_action, side_effect_class};
use super::coroutine::{Host, Thrown};
use super::state::{audit, block_node, emit, NodeInfo, NodeStatus, Shared};
use crate::jsjson::truthy;

/// How an attempt ended.
enum Flow {
    /// The node is settled (completed or blocked): stop.
    Return,
    /// Give up retrying (a `policy` failure).
    Break,
    /// Try again if attempts remain.
    Continue,
}

fn node_of(sh: &Shared, id: &str) -> Option<NodeInfo> {
    sh.borrow().nodes.get(id).cloned()
}

fn get<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    v.as_object().and_then(|m| m.get(k))
}

/// `a ?? b`
fn or<'a>(v: Option<&'a Value>, d: &'a Value) -> &'a Value {
    match v {
        Some(x) if !x.is_null() => x,
        _ => d,
    }
}

/// Consume quota for the node (work item, plus a mutation when it mutates);
/// `Some(detail)` when the quota is now exceeded.
async fn consume(sh: &Shared, host: &Host, kinds: &[&str]) -> Result<Option<Value>, Thrown> {
    if !sh.borrow().cfg.has.quota {
        return Ok(None);
    }
    let v = host
        .ask(json!({ "op": "quota", "sync": true, "kinds": kinds }))
        .await?;
    Ok(if v.is_null() { None } else { Some(v) })
}

/// The primary action, asking the plugin registry (when there is one) for
/// a tool provider per candidate, in order.
async fn pick_primary(sh: &Shared, host: &Host, node: &NodeInfo) -> Result<Option<Value>, Thrown> {
    let candidates = candidate_actions(&node.actions);
    let preferred = preferred_action(&candidates).cloned();
    if !sh.borrow().cfg.has.plugin_registry {
        return Ok(preferred);
    }
    for a in &candidates {
        let t = get(a, "type").cloned().unwrap_or(Value::Null);
        let p = host
            .ask(json!({ "op": "toolProviderFor", "sync": true, "type": t }))
            .await?;
        if truthy(&p) {
            return Ok(Some((*a).clone()));
        }
    }
    Ok(preferred)
}

fn action_name(a: &Option<Value>) -> Value {
    a.as_ref()
        .and_then(|a| get(a, "type"))
        .cloned()
        .unwrap_or_else(|| json!("custom"))
}

async fn evaluate_policy(
    sh: &Shared,
    host: &Host,
    node: &NodeInfo,
) -> Result<Option<Value>, Thrown> {
    let (has, run_id, actor) = {
        let s = sh.borrow();
        (
            s.cfg.has.policy_engine,
            s.cfg.run_id.clone(),
            s.cfg.policy_actor.clone(),
        )
    };
    if !has {
        return Ok(None);
    }
    let primary = pick_primary(sh, host, node).await?;
    let action = action_name(&primary);
    let context = json!({
        "tool": action,
        "kind": node.workspace_strategy,
        "mutation_scope": node.mutation_scope,
        "affected_paths": node.mutation_scope,
        "side_effect_class": side_effect_class(node.mutation_count, &node.actions),
        "mutation_count": node.mutation_count,
        "node_policy": { "max_retries": node.max_retries },
    });
    let evaluated = host
        .ask(json!({ "op": "policyEvaluate", "sync": true, "context": context }))
        .await?;
    let mut persisted = match evaluated {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    persisted.insert("run_id".into(), json!(run_id));
    persisted.insert("work_item_id".into(), json!(node.id));
    persisted.insert("action".into(), action);
    persisted.insert("actor".into(), json!(actor));
    persisted.insert("override".into(), json!(false));
    persisted.insert("rationale".into(), Value::Null);
    persisted.insert("context".into(), context);
    let persisted = Value::Object(persisted);
    host.ask(json!({ "op": "savePolicyDecision", "sync": true, "decision": persisted }))
        .await?;
    Ok(Some(persisted))
}

async fn request_gate(
    sh: &Shared,
    host: &Host,
    node: &NodeInfo,
    decision: &Option<Value>,
) -> Result<Value, Thrown> {
    if !sh.borrow().cfg.has.gate_manager {
        return Ok(json!("gate-missing-manager"));
    }
    let run_id = sh.borrow().cfg.run_id.clone();
    let scope = gate_scope(node.mutation_count, &node.actions);
    let primary = pick_primary(sh, host, node).await?;
    let reason = decision
        .as_ref()
        .and_then(|d| get(d, "reason"))
        .filter(|r| !r.is_null());
    let context = json!({
        "run_id": run_id,
        "work_item_id": node.id,
        "action": action_name(&primary),
        "description": format!("Gate required before executing {}", node.id),
        "evidence_refs": [],
        "risks": [reason.cloned().unwrap_or_else(|| json!("human approval required"))],
        "rationale": reason.cloned().unwrap_or_else(|| json!("node policy requires approval")),
        "policy_decision_id": decision.as_ref().and_then(|d| get(d, "decision_id")).cloned().unwrap_or(Value::Null),
    });
    let gate = host
        .ask(json!({ "op": "gateRequest", "scope": scope, "context": context }))
        .await?;
    let gate_id = get(&gate, "gate_id").cloned().unwrap_or(Value::Null);
    {
        let mut s = sh.borrow_mut();
        if let Some(Value::Array(pending)) =
            s.journal.as_mut().and_then(|j| j.get_mut("pending_gates"))
        {
            if !pending.contains(&gate_id) {
                pending.push(gate_id.clone());
            }
        }
    }
    audit(
        sh,
        host,
        "gate_requested",
        json!({ "runId": run_id, "workItemId": node.id, "detail": {
            "gate_id": gate_id, "scope": get(&gate, "scope"), "action": get(&gate, "action") } }),
    )
    .await?;
    Ok(gate_id)
}

/// Run the node's work: a plugin tool provider for the primary action if
/// the registry has one, the executor otherwise. Returns a TaskResult.
async fn execute(
    sh: &Shared,
    host: &Host,
    node: &NodeInfo,
    lease: &Value,
    attempt: u32,
    attempt_id: &str,
) -> Result<Value, Thrown> {
    let primary = pick_primary(sh, host, node).await?;
    let provider = match (&primary, sh.borrow().cfg.has.plugin_registry) {
        (Some(a), true) => Some(get(a, "type").cloned().unwrap_or(Value::Null)),
        _ => None,
    };
    let provider = match provider {
        Some(t) => {
            let p = host
                .ask(json!({ "op": "toolProviderFor", "sync": true, "type": t }))
                .await?;
            if truthy(&p) {
                Some(p)
            } else {
                None
            }
        }
        None => None,
    };
    let (Some(provider), Some(primary)) = (provider, primary) else {
        return host
            .ask(json!({ "op": "execute", "attempt": attempt }))
            .await;
    };
    let run_id = sh.borrow().cfg.run_id.clone();
    let name = get(&provider, "name").cloned().unwrap_or(Value::Null);
    let action_type = get(&primary, "type").cloned().unwrap_or(Value::Null);
    audit(
        sh,
        host,
        "plugin_invoked",
        json!({ "runId": run_id, "workItemId": node.id, "resource": name,
                "detail": { "action_type": action_type, "attempt_id": attempt_id } }),
    )
    .await?;
    emit(
        sh,
        host,
        json!({ "type": "ToolInvoked", "work_item_id": node.id, "attempt_id": attempt_id,
                "payload": { "provider": name, "action_type": action_type } }),
    )
    .await?;
    let input = json!({
        "action_type": action_type,
        "work_item_id": node.id,
        "run_id": run_id,
        "attempt_id": attempt_id,
        "params": {
            "command": or(get(&primary, "command"), &Value::Null),
            "targets": or(get(&primary, "targets"), &json!([])),
        },
        "workspace_root": get(lease, "root_path"),
    });
    let result = host
        .ask(json!({ "op": "invokeProvider", "input": input }))
        .await?;
    let success = get(&result, "success").is_some_and(truthy);
    let mut payload = Map::new();
    payload.insert("provider".into(), name);
    payload.insert("action_type".into(), action_type);
    if let Some(v) = get(&result, "evidence_paths") {
        payload.insert("evidence_paths".into(), v.clone());
    }
    if let Some(v) = get(&result, "side_effects_applied") {
        payload.insert("side_effects_applied".into(), v.clone());
    }
    payload.insert(
        "error".into(),
        or(get(&result, "error"), &Value::Null).clone(),
    );
    emit(
        sh,
        host,
        json!({ "type": if success { "ToolCompleted" } else { "ToolFailed" }, "work_item_id": node.id,
                "attempt_id": attempt_id, "payload": payload }),
    )
    .await?;
    let external = get(&provider, "kind").and_then(Value::as_str) == Some("external_operation");
    let mut out = Map::new();
    out.insert(
        "success".into(),
        get(&result, "success").cloned().unwrap_or(Value::Null),
    );
    out.insert(
        "failure_class".into(),
        if success {
            Value::Null
        } else if external {
            json!("policy")
        } else {
            json!("env")
        },
    );
    if let Some(v) = get(&result, "evidence_paths") {
        out.insert("evidence".into(), v.clone());
    }
    if let Some(v) = get(&result, "output") {
        out.insert("output".into(), v.clone());
    }
    Ok(Value::Object(out))
}

/// The body of one attempt (1.4.0's `try` block). `lease` receives the
/// allocated workspace id so the caller's `finally` can dispose it.
async fn attempt_body(
    sh: &Shared,
    host: &Host,
    node: &NodeInfo,
    attempt: u32,
    max_attempts: u32,
    lease_id: &mut Option<Value>,
    last: &mut Option<Value>,
) -> Result<Flow, Thrown> {
    let id = node.id.as_str();
    let attempt_id = format!("{id}-a{attempt}");
    emit(
        sh,
        host,
        json!({ "type": "AttemptStarted", "work_item_id": id, "attempt_id": attempt_id,
                "payload": { "attempt_number": attempt } }),
    )
    .await?;

    let decision = evaluate_policy(sh, host, node).await?;
    if let Some(d) = &decision {
        if !get(d, "allowed").is_some_and(truthy) {
            emit(sh, host, json!({ "type": "PolicyEvaluated", "work_item_id": id, "attempt_id": attempt_id, "payload": d }))
                .await?;
            let run_id = sh.borrow().cfg.run_id.clone();
            audit(
                sh,
                host,
                "policy_denied",
                json!({ "runId": run_id, "workItemId": id,
                        "detail": { "reason": get(d, "reason"), "rule_id": get(d, "rule_id") } }),
            )
            .await?;
            let reason = get(d, "reason").cloned().unwrap_or(Value::Null);
            block_node(sh, host, id, "policy_denied", reason).await?;
            return Ok(Flow::Return);
        }
        emit(sh, host, json!({ "type": "PolicyEvaluated", "work_item_id": id, "attempt_id": attempt_id, "payload": d }))
            .await?;
    }

    let gate_required = decision
        .as_ref()
        .and_then(|d| get(d, "gate_required"))
        .is_some_and(truthy);
    if gate_required || node.requires_human_approval {
        let gate_id = request_gate(sh, host, node, &decision).await?;
        block_node(sh, host, id, "pending_gate", gate_id).await?;
        return Ok(Flow::Return);
    }

    let request = json!({
        "work_item_id": id,
        "attempt_number": attempt,
        "strategy": node.workspace_strategy,
        "mutation_scope": node.mutation_scope,
    });
    let via_provider = if sh.borrow().cfg.has.plugin_registry {
        let p = host
            .ask(json!({ "op": "workspaceProviderFor", "sync": true, "strategy": node.workspace_strategy }))
            .await?;
        truthy(&p)
    } else {
        false
    };
    let lease = host
        .ask(json!({ "op": "allocate", "request": request, "viaProvider": via_provider }))
        .await?;
    *lease_id = Some(get(&lease, "workspace_id").cloned().unwrap_or(Value::Null));
    emit(
        sh,
        host,
        json!({ "type": "WorkspaceAllocated", "work_item_id": id, "attempt_id": attempt_id,
                "payload": { "workspace_id": get(&lease, "workspace_id"), "strategy": get(&lease, "strategy") } }),
    )
    .await?;

    let result = execute(sh, host, node, &lease, attempt, &attempt_id).await?;
    *last = Some(result.clone());
    if get(&result, "success").is_some_and(truthy) {
        let mut payload = Map::new();
        payload.insert("attempt_number".into(), json!(attempt));
        if let Some(ev) = get(&result, "evidence") {
            payload.insert("evidence".into(), ev.clone());
        }
        emit(
            sh,
            host,
            json!({ "type": "WorkItemCompleted", "work_item_id": id, "attempt_id": attempt_id, "payload": payload }),
        )
        .await?;
        let mut s = sh.borrow_mut();
        s.status.insert(id.to_string(), NodeStatus::Completed);
        s.completed.push(id.to_string());
        return Ok(Flow::Return);
    }
    let class = get(&result, "failure_class")
        .cloned()
        .unwrap_or(Value::Null);
    if class.as_str() == Some("policy") {
        return Ok(Flow::Break);
    }
    if attempt < max_attempts {
        if let Some(v) = consume(sh, host, &["retries"]).await? {
            block_node(sh, host, id, "quota_exceeded", v).await?;
            return Ok(Flow::Return);
        }
        emit(
            sh,
            host,
            json!({ "type": "RetryScheduled", "work_item_id": id,
                    "payload": { "next_attempt": attempt + 1, "reason": class } }),
        )
        .await?;
    }
    Ok(Flow::Continue)
}

/// Run one node to completion, failure or block.
pub async fn run_node(sh: Shared, host: Host, id: String) -> Result<Value, Thrown> {
    let Some(node) = node_of(&sh, &id) else {
        return Err(Thrown::internal(
            "OXE_E_GRAPH",
            format!("node {id} is not in the graph"),
        ));
    };
    sh.borrow_mut()
        .status
        .insert(id.clone(), NodeStatus::Running);
    emit(
        &sh,
        &host,
        json!({ "type": "WorkItemReady", "work_item_id": id, "payload": { "title": node.title, "wave": node.wave } }),
    )
    .await?;

    let tries = (node.max_retries + 1.0).max(0.0);
    let max_attempts = if tries.is_finite() {
        tries.min(1e6) as u32
    } else {
        1_000_000
    };
    let kinds: &[&str] = if node.mutation_count > 0 {
        &["work_items", "mutations"]
    } else {
        &["work_items"]
    };
    if let Some(v) = consume(&sh, &host, kinds).await? {
        block_node(&sh, &host, &id, "quota_exceeded", v).await?;
        return Ok(Value::Null);
    }

    let offset = sh.borrow().attempt_offset.get(&id).copied().unwrap_or(0);
    let mut last: Option<Value> = None;
    for attempt in (offset + 1)..=(offset + max_attempts) {
        let mut lease_id: Option<Value> = None;
        let body = attempt_body(
            &sh,
            &host,
            &node,
            attempt,
            offset + max_attempts,
            &mut lease_id,
            &mut last,
        )
        .await;
        let (flow, after_finally) = match body {
            Ok(flow) => (flow, Ok(())),
            Err(thrown) => {
                // 1.4.0's catch: the attempt counts as an env failure.
                let mut r = Map::new();
                r.insert("success".into(), json!(false));
                r.insert("failure_class".into(), json!("env"));
                r.insert("evidence".into(), json!([]));
                r.insert("output".into(), json!(thrown.message));
                last = Some(Value::Object(r));
                let retry = if attempt < offset + max_attempts {
                    emit(
                        &sh,
                        &host,
                        json!({ "type": "RetryScheduled", "work_item_id": id,
                                "payload": { "next_attempt": attempt + 1, "reason": "env" } }),
                    )
                    .await
                } else {
                    Ok(())
                };
                (Flow::Continue, retry)
            }
        };
        // 1.4.0's finally: the ctx manager disposes whatever was allocated.
        if let Some(ws) = lease_id.take() {
            let _ = host
                .ask(json!({ "op": "dispose", "workspaceId": ws }))
                .await;
        }
        after_finally?;
        match flow {
            Flow::Return => return Ok(Value::Null),
            Flow::Break => break,
            Flow::Continue => {}
        }
    }

    let class = last
        .as_ref()
        .and_then(|l| get(l, "failure_class"))
        .filter(|c| !c.is_null())
        .cloned()
        .unwrap_or_else(|| json!("env"));
    emit(
        &sh,
        &host,
        json!({ "type": "WorkItemBlocked", "work_item_id": id,
                "payload": { "failure_class": class, "max_attempts": max_attempts } }),
    )
    .await?;
    let mut s = sh.borrow_mut();
    s.status.insert(id.clone(), NodeStatus::Failed);
    s.failed.push(id);
    Ok(Value::Null)
}
