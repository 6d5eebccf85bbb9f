//! The multi-agent coordinator (1.4.0's `multi-agent-coordinator`):
//! `parallel` (partitions run by sub-schedulers), `competitive` (two agents
//! race on each node, an arbiter picks the winner) and `cooperative`
//! (planner → executor handoff per node). Every agent must have an isolated
//! workspace manager. Written as a coroutine: the JS driver allocates,
//! executes, disposes and runs sub-schedulers on request.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::coroutine::{Host, Thrown};
use super::state::{internal, strings};
use crate::error::{OxeError, OxeResult};
use crate::events::bus;
use crate::jsjson::{js_string, truthy};
use crate::paths::run_dir;
use crate::{clock, store};

/// What the coordinator knows of an agent (its objects stay in JS).
#[derive(Clone, Debug)]
pub struct AgentInfo {
    pub id: String,
    pub isolation_level: Value,
    pub assigned: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct NodeBrief {
    pub strategy: Value,
    pub mutation_scope: Value,
}

#[derive(Clone, Debug)]
pub struct Coordination {
    pub mode: String,
    pub agents: Vec<AgentInfo>,
    pub project_root: PathBuf,
    pub session_id: Option<String>,
    pub run_id: String,
    pub nodes: IndexMap<String, NodeBrief>,
    pub edges: Vec<Value>,
    pub waves: Vec<(Value, Vec<String>)>,
    pub metadata: Value,
}

/// Check the mode, the agent count and isolation before anything runs.
pub fn check(c: &Coordination) -> OxeResult<()> {
    match c.mode.as_str() {
        "parallel" => {}
        "competitive" | "cooperative" if c.agents.len() < 2 => {
            let mode = if c.mode == "competitive" {
                "Competitive"
            } else {
                "Cooperative"
            };
            return Err(OxeError::Arg(format!(
                "{mode} mode requires at least 2 agents"
            )));
        }
        "competitive" | "cooperative" => {}
        other => return Err(OxeError::Arg(format!("Unknown coordination mode: {other}"))),
    }
    let shared: Vec<String> = c
        .agents
        .iter()
        .filter(|a| a.isolation_level.as_str() != Some("isolated"))
        .map(|a| {
            let level = match &a.isolation_level {
                Value::Null => "undefined".to_string(),
                v => js_string(v),
            };
            format!("{}:{level}", a.id)
        })
        .collect();
    if !shared.is_empty() {
        return Err(OxeError::Arg(format!(
            "Multi-agent requires isolated workspaces. Invalid agents: {}",
            shared.join(", ")
        )));
    }
    run_dir(&c.project_root, &c.run_id)?;
    Ok(())
}

fn append(c: &Coordination, event: Value) -> Result<(), Thrown> {
    bus::append_event(&c.project_root, c.session_id.as_deref(), &event, None)
        .map(|_| ())
        .map_err(internal)
}

fn ws_request(c: &Coordination, id: &str) -> Value {
    let n = c.nodes.get(id);
    json!({
        "work_item_id": id,
        "attempt_number": 1,
        "strategy": n.map(|n| n.strategy.clone()).unwrap_or(Value::Null),
        "mutation_scope": n.map(|n| n.mutation_scope.clone()).unwrap_or(json!([])),
    })
}

fn all_ids(c: &Coordination) -> Vec<String> {
    c.nodes.keys().cloned().collect()
}

struct AgentResult {
    agent_id: String,
    completed: Vec<String>,
    failed: Vec<String>,
}

impl AgentResult {
    fn json(&self) -> Value {
        json!({ "agent_id": self.agent_id, "completed": strings(&self.completed), "failed": strings(&self.failed) })
    }
}

/// `MultiAgentStatusSnapshot`.
fn snapshot(
    c: &Coordination,
    partitions: &[Vec<String>],
    results: &[AgentResult],
    completed: &[String],
    failed: &[String],
) -> Value {
    let mut ownership = Vec::new();
    for (idx, agent) in c.agents.iter().enumerate() {
        for wi in partitions.get(idx).into_iter().flatten() {
            ownership.push(json!({ "work_item_id": wi, "owner_agent_id": agent.id }));
        }
    }
    let agent_results: Vec<Value> = c
        .agents
        .iter()
        .enumerate()
        .map(|(idx, agent)| {
            let r = results.iter().find(|r| r.agent_id == agent.id);
            let assigned = partitions
                .get(idx)
                .cloned()
                .or_else(|| agent.assigned.clone())
                .unwrap_or_default();
            let mut m = Map::new();
            m.insert("agent_id".into(), json!(agent.id));
            if !agent.isolation_level.is_null() {
                m.insert("isolation_level".into(), agent.isolation_level.clone());
            }
            m.insert("assigned_task_ids".into(), strings(&assigned));
            m.insert(
                "completed".into(),
                r.map(|r| strings(&r.completed)).unwrap_or(json!([])),
            );
            m.insert(
                "failed".into(),
                r.map(|r| strings(&r.failed)).unwrap_or(json!([])),
            );
            Value::Object(m)
        })
        .collect();
    json!({
        "run_id": c.run_id,
        "mode": c.mode,
        "workspace_isolation_required": "isolated",
        "workspace_isolation_enforced": true,
        "agent_count": c.agents.len(),
        "ownership": ownership,
        "completed": strings(completed),
        "failed": strings(failed),
        "blocked": [],
        "agent_results": agent_results,
        "orphan_reassignments": [],
        "updated_at": clock::now_iso(),
    })
}

/// `.oxe/runs/<run>/multi-agent-state.json`.
pub fn state_path(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join("multi-agent-state.json"))
}

/// `loadMultiAgentState`: `None` when missing or unreadable.
pub fn load_state(root: &Path, run_id: &str) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&state_path(root, run_id)?))
}

fn persist(
    c: &Coordination,
    state: &Value,
    handoffs: &[Value],
    arbitration: &[Value],
) -> Result<(), Thrown> {
    let dir = run_dir(&c.project_root, &c.run_id).map_err(internal)?;
    let write = |name: &str, v: &Value| {
        store::write_json(&dir.join(name), v).map_err(|e| internal(e.into()))
    };
    write("multi-agent-state.json", state)?;
    write("handoffs.json", &Value::Array(handoffs.to_vec()))?;
    write(
        "arbitration-results.json",
        &Value::Array(arbitration.to_vec()),
    )?;
    Ok(())
}

fn result_json(
    c: &Coordination,
    completed: &[String],
    failed: &[String],
    results: &[AgentResult],
    extra: Vec<(&str, Value)>,
) -> Value {
    let mut m = Map::new();
    m.insert("mode".into(), json!(c.mode));
    m.insert("run_id".into(), json!(c.run_id));
    m.insert("completed".into(), strings(completed));
    m.insert("failed".into(), strings(failed));
    m.insert("blocked".into(), json!([]));
    m.insert(
        "agent_results".into(),
        Value::Array(results.iter().map(AgentResult::json).collect()),
    );
    for (k, v) in extra {
        m.insert(k.into(), v);
    }
    Value::Object(m)
}

fn list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(js_string).collect())
        .unwrap_or_default()
}

/// The sub-graph an agent runs in parallel mode: its nodes, the edges
/// between them, the non-empty waves, and metadata with new counts.
fn sub_graph(c: &Coordination, ids: &[String]) -> Value {
    let keep: std::collections::HashSet<&String> = ids.iter().collect();
    let nodes: Vec<&String> = c.nodes.keys().filter(|id| keep.contains(id)).collect();
    let edges: Vec<Value> = c
        .edges
        .iter()
        .filter(|e| {
            let f = e.get("from").map(js_string).unwrap_or_default();
            let t = e.get("to").map(js_string).unwrap_or_default();
            keep.contains(&f) && keep.contains(&t)
        })
        .cloned()
        .collect();
    let waves: Vec<Value> = c
        .waves
        .iter()
        .map(|(n, wave_ids)| {
            (
                n,
                wave_ids
                    .iter()
                    .filter(|id| keep.contains(id))
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, w)| !w.is_empty())
        .map(|(n, w)| json!({ "wave_number": n, "node_ids": w }))
        .collect();
    let mut metadata = c.metadata.as_object().cloned().unwrap_or_default();
    metadata.insert("node_count".into(), json!(nodes.len()));
    metadata.insert("wave_count".into(), json!(waves.len()));
    json!({ "ids": nodes, "edges": edges, "waves": waves, "metadata": metadata })
}

async fn parallel(c: &Coordination, host: &Host) -> Result<Value, Thrown> {
    let n = c.agents.len();
    let mut partitions: Vec<Vec<String>> = c
        .agents
        .iter()
        .map(|a| a.assigned.clone().unwrap_or_default())
        .collect();
    if n > 0 && partitions.iter().all(Vec::is_empty) {
        for (i, id) in all_ids(c).into_iter().enumerate() {
            partitions[i % n].push(id);
        }
    }
    append(
        c,
        json!({ "type": "RunStarted", "run_id": c.run_id,
        "payload": { "mode": "parallel", "agent_count": n, "isolation_level": "isolated" } }),
    )?;
    let runs: Vec<Value> = partitions
        .iter()
        .enumerate()
        .map(|(idx, ids)| {
            let sg = sub_graph(c, ids);
            if sg["ids"].as_array().is_none_or(Vec::is_empty) {
                Value::Null
            } else {
                json!({ "agent": idx, "runId": format!("{}-agent{idx}", c.run_id), "graph": sg })
            }
        })
        .collect();
    let outcome = host
        .ask(json!({ "op": "runSchedulers", "runs": runs }))
        .await?;
    let results: Vec<AgentResult> = c
        .agents
        .iter()
        .enumerate()
        .map(|(idx, a)| {
            let r = outcome.get(idx);
            AgentResult {
                agent_id: a.id.clone(),
                completed: list(r.and_then(|r| r.get("completed"))),
                failed: list(r.and_then(|r| r.get("failed"))),
            }
        })
        .collect();
    let completed: Vec<String> = results.iter().flat_map(|r| r.completed.clone()).collect();
    let failed: Vec<String> = results.iter().flat_map(|r| r.failed.clone()).collect();
    let state = snapshot(c, &partitions, &results, &completed, &failed);
    persist(c, &state, &[], &[])?;
    append(
        c,
        json!({ "type": "RunCompleted", "run_id": c.run_id,
        "payload": { "mode": "parallel", "completed": completed.len(), "failed": failed.len() } }),
    )?;
    Ok(result_json(
        c,
        &completed,
        &failed,
        &results,
        vec![("arbitration_results", json!([])), ("state", state)],
    ))
}

fn env_failure(message: &str) -> Value {
    json!({ "success": false, "failure_class": "env", "evidence": [], "output": message })
}

async fn competitive(c: &Coordination, host: &Host) -> Result<Value, Thrown> {
    let (a, b) = (&c.agents[0], &c.agents[1]);
    append(
        c,
        json!({ "type": "RunStarted", "run_id": c.run_id,
        "payload": { "mode": "competitive", "isolation_level": "isolated" } }),
    )?;
    let mut completed = Vec::new();
    let mut failed = Vec::new();
    let mut arbitration = Vec::new();
    'waves: for (_, ids) in &c.waves {
        for id in ids {
            let lease_a = host
                .ask(json!({ "op": "allocate", "agent": 0, "request": ws_request(c, id) }))
                .await?;
            let lease_b = host
                .ask(json!({ "op": "allocate", "agent": 1, "request": ws_request(c, id) }))
                .await?;
            append(
                c,
                json!({ "type": "AttemptStarted", "run_id": c.run_id, "work_item_id": id,
                "payload": { "mode": "competitive", "agents": [a.id, b.id] } }),
            )?;
            let both = host
                .ask(json!({ "op": "executeAll", "nodeId": id, "runs": [
                    { "agent": 0, "lease": lease_a["token"] }, { "agent": 1, "lease": lease_b["token"] } ] }))
                .await?;
            let result_of = |i: usize| -> Value {
                match both.get(i) {
                    Some(r) if r.get("threw").is_some() => env_failure(
                        &r["message"]
                            .as_str()
                            .map(str::to_string)
                            .unwrap_or_default(),
                    ),
                    Some(r) => r.get("value").cloned().unwrap_or(Value::Null),
                    None => env_failure(""),
                }
            };
            let (ra, rb) = (result_of(0), result_of(1));
            host.ask(json!({ "op": "disposeAll", "items": [
                { "agent": 0, "workspaceId": lease_a["workspace_id"] },
                { "agent": 1, "workspaceId": lease_b["workspace_id"] } ] }))
                .await?;
            let ok_a = ra.get("success").is_some_and(truthy);
            let ok_b = rb.get("success").is_some_and(truthy);
            let (winner, winner_id) = if ok_a || !ok_b {
                (&ra, &a.id)
            } else {
                (&rb, &b.id)
            };
            let success = winner.get("success").is_some_and(truthy);
            let evidence_count = winner
                .get("evidence")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            arbitration.push(json!({
                "work_item_id": id, "mode": "competitive", "winner_agent_id": winner_id,
                "participant_agent_ids": [a.id, b.id], "success": winner.get("success").cloned().unwrap_or(json!(false)),
                "failure_class": winner.get("failure_class").cloned().unwrap_or(Value::Null),
                "evidence_count": evidence_count, "recorded_at": clock::now_iso(),
            }));
            if success {
                append(
                    c,
                    json!({ "type": "WorkItemCompleted", "run_id": c.run_id, "work_item_id": id,
                    "payload": { "mode": "competitive", "winner_agent_id": winner_id } }),
                )?;
                completed.push(id.clone());
            } else {
                append(
                    c,
                    json!({ "type": "WorkItemBlocked", "run_id": c.run_id, "work_item_id": id,
                    "payload": { "mode": "competitive", "failure_class": winner.get("failure_class"), "winner_agent_id": winner_id } }),
                )?;
                failed.push(id.clone());
                break 'waves;
            }
        }
    }
    let partitions = vec![all_ids(c), all_ids(c)];
    let results = vec![
        AgentResult {
            agent_id: a.id.clone(),
            completed: completed.clone(),
            failed: failed.clone(),
        },
        AgentResult {
            agent_id: b.id.clone(),
            completed: vec![],
            failed: vec![],
        },
    ];
    let state = snapshot(c, &partitions, &results, &completed, &failed);
    persist(c, &state, &[], &arbitration)?;
    append(
        c,
        json!({ "type": "RunCompleted", "run_id": c.run_id,
        "payload": { "mode": "competitive", "completed": completed.len() } }),
    )?;
    Ok(result_json(
        c,
        &completed,
        &failed,
        &results,
        vec![
            ("arbitration_results", Value::Array(arbitration)),
            ("state", state),
        ],
    ))
}

async fn cooperative(c: &Coordination, host: &Host) -> Result<Value, Thrown> {
    let (planner, executor) = (&c.agents[0], &c.agents[1]);
    append(
        c,
        json!({ "type": "RunStarted", "run_id": c.run_id,
        "payload": { "mode": "cooperative", "planner": planner.id, "executor": executor.id, "isolation_level": "isolated" } }),
    )?;
    let mut completed = Vec::new();
    let mut failed = Vec::new();
    let mut handoffs = Vec::new();
    'waves: for (_, ids) in &c.waves {
        for id in ids {
            let plan = host
                .ask(json!({ "op": "allocate", "agent": 0, "request": ws_request(c, id) }))
                .await?;
            host.ask(json!({ "op": "disposeAll", "items": [{ "agent": 0, "workspaceId": plan["workspace_id"] }] })).await?;
            let handoff = host
                .ask(json!({ "op": "buildHandoff", "spec": {
                    "from_agent_id": planner.id, "to_agent_id": executor.id, "from_role": "planner",
                    "to_role": "executor", "work_item_id": id, "context_pack_ref": null } }))
                .await?;
            append(
                c,
                json!({ "type": "AttemptStarted", "run_id": c.run_id, "work_item_id": id,
                "payload": { "mode": "cooperative", "handoff_id": handoff.get("handoff_id") } }),
            )?;
            handoffs.push(handoff);
            let lease = host
                .ask(json!({ "op": "allocate", "agent": 1, "request": ws_request(c, id) }))
                .await?;
            let out = host
                .ask(json!({ "op": "executeAll", "nodeId": id, "runs": [{ "agent": 1, "lease": lease["token"] }] }))
                .await?;
            let result = match out.get(0) {
                Some(r) if r.get("threw").is_some() => {
                    env_failure(r["message"].as_str().unwrap_or_default())
                }
                Some(r) => r.get("value").cloned().unwrap_or(Value::Null),
                None => env_failure(""),
            };
            host.ask(json!({ "op": "disposeAll", "items": [{ "agent": 1, "workspaceId": lease["workspace_id"] }] })).await?;
            if result.get("success").is_some_and(truthy) {
                completed.push(id.clone());
                append(
                    c,
                    json!({ "type": "WorkItemCompleted", "run_id": c.run_id, "work_item_id": id,
                    "payload": { "mode": "cooperative" } }),
                )?;
            } else {
                failed.push(id.clone());
                append(
                    c,
                    json!({ "type": "WorkItemBlocked", "run_id": c.run_id, "work_item_id": id,
                    "payload": { "mode": "cooperative", "failure_class": result.get("failure_class") } }),
                )?;
                break 'waves;
            }
        }
    }
    let partitions = vec![all_ids(c), all_ids(c)];
    let results = vec![
        AgentResult {
            agent_id: planner.id.clone(),
            completed: vec![],
            failed: vec![],
        },
        AgentResult {
            agent_id: executor.id.clone(),
            completed: completed.clone(),
            failed: failed.clone(),
        },
    ];
    let state = snapshot(c, &partitions, &results, &completed, &failed);
    persist(c, &state, &handoffs, &[])?;
    append(
        c,
        json!({ "type": "RunCompleted", "run_id": c.run_id,
        "payload": { "mode": "cooperative", "completed": completed.len(), "failed": failed.len() } }),
    )?;
    Ok(result_json(
        c,
        &completed,
        &failed,
        &results,
        vec![
            ("handoffs", Value::Array(handoffs)),
            ("arbitration_results", json!([])),
            ("state", state),
        ],
    ))
}

/// The coordinator coroutine (after `check`).
pub async fn coordinate(c: Coordination, host: Host) -> Result<Value, Thrown> {
    match c.mode.as_str() {
        "parallel" => parallel(&c, &host).await,
        "competitive" => competitive(&c, &host).await,
        _ => cooperative(&c, &host).await,
    }
}

/// Parse the coordinator's wire input: `{mode, agents: [{id,
/// isolation_level, assignedTaskIds?}], projectRoot, sessionId, runId}` and
/// the graph `{nodes: [[id, {workspace_strategy, mutation_scope}]…], edges,
/// waves, metadata}`.
pub fn parse(opts: &Value, graph: &Value) -> OxeResult<Coordination> {
    let text = |k: &str| opts.get(k).and_then(Value::as_str).map(str::to_string);
    let agents = opts
        .get("agents")
        .and_then(Value::as_array)
        .ok_or_else(|| OxeError::Arg("MultiAgentCoordinator: opts.agents must be an array".into()))?
        .iter()
        .map(|a| AgentInfo {
            id: a.get("id").map(js_string).unwrap_or_default(),
            isolation_level: a.get("isolation_level").cloned().unwrap_or(Value::Null),
            assigned: a
                .get("assignedTaskIds")
                .and_then(Value::as_array)
                .map(|l| l.iter().map(js_string).collect()),
        })
        .collect();
    let mut nodes = IndexMap::new();
    for e in graph
        .get("nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some([id, n]) = e.as_array().map(Vec::as_slice) {
            nodes.insert(
                js_string(id),
                NodeBrief {
                    strategy: n.get("workspace_strategy").cloned().unwrap_or(Value::Null),
                    mutation_scope: n.get("mutation_scope").cloned().unwrap_or(json!([])),
                },
            );
        }
    }
    let waves = graph
        .get("waves")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w.get("wave_number").cloned().unwrap_or(Value::Null),
                list(w.get("node_ids")),
            )
        })
        .collect();
    Ok(Coordination {
        mode: text("mode").unwrap_or_default(),
        agents,
        project_root: PathBuf::from(text("projectRoot").ok_or_else(|| {
            OxeError::Arg("MultiAgentCoordinator: opts.projectRoot must be a string".into())
        })?),
        session_id: text("sessionId").filter(|s| !s.is_empty()),
        run_id: text("runId").ok_or_else(|| {
            OxeError::Arg("MultiAgentCoordinator: opts.runId must be a string".into())
        })?,
        nodes,
        edges: graph
            .get("edges")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        waves,
        metadata: graph.get("metadata").cloned().unwrap_or(Value::Null),
    })
}
