//! The state one scheduler run shares between its coroutines: the graph,
//! node statuses, result lists, the journal and the cancel/pause flags, plus
//! the small effects every part uses (emit an event, record audit, block a
//! node, save the journal).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::coroutine::{Host, Thrown};
use super::run_journal;
use crate::error::{OxeError, OxeResult};
use crate::events::bus;
use crate::jsjson::{js_string, truthy};
use crate::{clock, compiler};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeStatus {
    Pending,
    Running,
    Completed,
    Failed,
    Blocked,
}

/// The parts of a `GraphNode` the scheduler reads.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub id: String,
    pub title: Value,
    pub wave: Value,
    pub depends_on: Vec<String>,
    pub mutation_scope: Value,
    pub mutation_count: usize,
    pub workspace_strategy: Value,
    pub actions: Vec<Value>,
    pub max_retries: f64,
    pub requires_human_approval: bool,
}

/// Which optional collaborators the caller's context provides.
#[derive(Clone, Copy, Debug, Default)]
pub struct Collaborators {
    pub on_event: bool,
    pub audit_trail: bool,
    pub policy_engine: bool,
    pub gate_manager: bool,
    pub plugin_registry: bool,
    pub quota: bool,
}

/// Run identity and collaborators, from the SchedulerContext.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Dependencies on nodes outside the graph are allowed (and block the
    /// node, as in 1.4.0) — used for the partitions of a multi-agent run.
    pub allow_external_deps: bool,
    pub project_root: PathBuf,
    pub session_id: Option<String>,
    pub run_id: String,
    pub policy_actor: String,
    pub has: Collaborators,
}

pub struct RunShared {
    pub cfg: RunConfig,
    pub nodes: IndexMap<String, NodeInfo>,
    pub waves: Vec<Vec<String>>,
    pub status: IndexMap<String, NodeStatus>,
    pub completed: Vec<String>,
    pub failed: Vec<String>,
    pub blocked: Vec<String>,
    pub journal: Option<Map<String, Value>>,
    pub cancelled: bool,
    pub paused: bool,
    /// Attempts already made per node (crash recovery continues numbering).
    pub attempt_offset: HashMap<String, u32>,
}

pub type Shared = Rc<RefCell<RunShared>>;

fn str_list(v: Option<&Value>, what: &str) -> OxeResult<Vec<String>> {
    match v {
        Some(Value::Array(a)) => Ok(a.iter().map(js_string).collect()),
        _ => Err(OxeError::Graph(format!("{what} must be an array"))),
    }
}

/// The graph as the scheduler holds it: nodes in Map order, and waves.
pub type ParsedGraph = (IndexMap<String, NodeInfo>, Vec<Vec<String>>);

/// Parse the graph wire `{nodes: [[id, node]…], waves: [{node_ids}…]}` and
/// check it: unknown dependencies, cycles and waves naming unknown nodes
/// are rejected with `OXE_E_GRAPH` before anything runs.
pub fn parse_graph(graph: &Value, allow_external_deps: bool) -> OxeResult<ParsedGraph> {
    let entries = graph
        .get("nodes")
        .and_then(Value::as_array)
        .ok_or_else(|| OxeError::Graph("graph.nodes must be a Map of GraphNode objects".into()))?;
    let mut nodes = IndexMap::with_capacity(entries.len());
    let mut dep_pairs = Vec::with_capacity(entries.len());
    for e in entries {
        let (id, node) = match e.as_array().map(Vec::as_slice) {
            Some([id, node]) => (js_string(id), node),
            _ => {
                return Err(OxeError::Graph(
                    "graph.nodes entries must be [id, node]".into(),
                ))
            }
        };
        let n = node
            .as_object()
            .ok_or_else(|| OxeError::Graph(format!("graph node {id} must be an object")))?;
        let depends_on = str_list(n.get("depends_on"), &format!("node {id}: depends_on"))?;
        let scope = n
            .get("mutation_scope")
            .cloned()
            .unwrap_or(Value::Array(vec![]));
        let mutation_count = match &scope {
            Value::Array(a) => a.len(),
            Value::String(s) => s.encode_utf16().count(),
            _ => {
                return Err(OxeError::Graph(format!(
                    "node {id}: mutation_scope must be an array"
                )))
            }
        };
        let policy = n.get("policy").and_then(Value::as_object);
        let max_retries = policy
            .and_then(|p| p.get("max_retries"))
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        dep_pairs.push((
            Value::String(id.clone()),
            Value::Array(depends_on.iter().cloned().map(Value::String).collect()),
        ));
        nodes.insert(
            id.clone(),
            NodeInfo {
                id,
                title: n.get("title").cloned().unwrap_or(Value::Null),
                wave: n.get("wave").cloned().unwrap_or(Value::Null),
                depends_on,
                mutation_scope: scope,
                mutation_count,
                workspace_strategy: n.get("workspace_strategy").cloned().unwrap_or(Value::Null),
                actions: n
                    .get("actions")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
                max_retries,
                requires_human_approval: policy
                    .and_then(|p| p.get("requires_human_approval"))
                    .is_some_and(truthy),
            },
        );
    }
    let mut problems = compiler::validate_graph(&dep_pairs)?;
    if allow_external_deps {
        problems.retain(|p| p.starts_with("Cycle detected"));
    }
    if !problems.is_empty() {
        return Err(OxeError::Graph(format!(
            "the execution graph is invalid: {}",
            problems.join("; ")
        )));
    }
    let mut waves = Vec::new();
    for w in graph
        .get("waves")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let ids = str_list(w.get("node_ids"), "wave.node_ids")?;
        if let Some(bad) = ids.iter().find(|id| !nodes.contains_key(*id)) {
            return Err(OxeError::Graph(format!(
                "wave {} lists node {bad}, which is not in graph.nodes",
                w.get("wave_number").map(js_string).unwrap_or_default()
            )));
        }
        waves.push(ids);
    }
    Ok((nodes, waves))
}

impl RunShared {
    pub fn new(
        cfg: RunConfig,
        nodes: IndexMap<String, NodeInfo>,
        waves: Vec<Vec<String>>,
    ) -> Shared {
        let status = nodes
            .keys()
            .map(|k| (k.clone(), NodeStatus::Pending))
            .collect();
        Rc::new(RefCell::new(RunShared {
            cfg,
            nodes,
            waves,
            status,
            completed: Vec::new(),
            failed: Vec::new(),
            blocked: Vec::new(),
            journal: None,
            cancelled: false,
            paused: false,
            attempt_offset: HashMap::new(),
        }))
    }

    pub fn save_journal(&self) -> OxeResult<()> {
        if let Some(j) = &self.journal {
            run_journal::save_journal(
                &self.cfg.project_root,
                &self.cfg.run_id,
                &Value::Object(j.clone()),
            )?;
        }
        Ok(())
    }

    pub fn journal_set(&mut self, key: &str, v: Value) {
        if let Some(j) = self.journal.as_mut() {
            j.insert(key.to_string(), v);
        }
    }

    /// Copy the result lists into the journal.
    pub fn journal_sync_lists(&mut self) {
        let (c, f, b) = (
            strings(&self.completed),
            strings(&self.failed),
            strings(&self.blocked),
        );
        self.journal_set("completed_work_items", c);
        self.journal_set("failed_work_items", f);
        self.journal_set("blocked_work_items", b);
    }

    pub fn pending_gates(&self) -> Value {
        self.journal
            .as_ref()
            .and_then(|j| j.get("pending_gates"))
            .cloned()
            .unwrap_or(Value::Array(vec![]))
    }

    /// `pause()`: flag, and persist `paused` when a run is active.
    pub fn pause(&mut self) -> OxeResult<()> {
        self.paused = true;
        if self.journal.is_some() {
            self.journal_set("scheduler_state", json!("paused"));
            self.journal_set("paused_at", json!(clock::now_iso()));
            self.save_journal()?;
        }
        Ok(())
    }

    pub fn resume(&mut self) -> OxeResult<()> {
        self.paused = false;
        if self.journal.is_some() {
            self.journal_set("scheduler_state", json!("running"));
            self.journal_set("paused_at", Value::Null);
            self.save_journal()?;
        }
        Ok(())
    }

    pub fn cancel(&mut self) -> OxeResult<()> {
        self.cancelled = true;
        if self.journal.is_some() {
            self.journal_set("cancelled", json!(true));
            self.journal_set("scheduler_state", json!("cancelled"));
            self.save_journal()?;
        }
        Ok(())
    }
}

pub fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().cloned().map(Value::String).collect())
}

pub fn internal(e: OxeError) -> Thrown {
    Thrown::internal(e.code(), e.to_string())
}

/// Append a scheduler event (run_id first, then the input), then hand it
/// to `ctx.onEvent` synchronously. A failure of either propagates like a
/// JS throw at this point of the run.
pub async fn emit(sh: &Shared, host: &Host, input: Value) -> Result<(), Thrown> {
    let (root, session, run_id, on_event) = {
        let s = sh.borrow();
        (
            s.cfg.project_root.clone(),
            s.cfg.session_id.clone(),
            s.cfg.run_id.clone(),
            s.cfg.has.on_event,
        )
    };
    let mut full = Map::with_capacity(5);
    full.insert("run_id".into(), Value::String(run_id));
    if let Value::Object(m) = input {
        full.extend(m);
    }
    let event = bus::append_event(&root, session.as_deref(), &Value::Object(full), None)
        .map_err(internal)?;
    if on_event {
        host.ask(json!({ "op": "onEvent", "sync": true, "event": event }))
            .await?;
    }
    Ok(())
}

/// `ctx.auditTrail?.record(action, actor, opts)`.
pub async fn audit(sh: &Shared, host: &Host, action: &str, opts: Value) -> Result<(), Thrown> {
    let (has, actor) = {
        let s = sh.borrow();
        (s.cfg.has.audit_trail, s.cfg.policy_actor.clone())
    };
    if has {
        host.ask(
            json!({ "op": "audit", "sync": true, "action": action, "actor": actor, "opts": opts }),
        )
        .await?;
    }
    Ok(())
}

/// Mark a node blocked and say why.
pub async fn block_node(
    sh: &Shared,
    host: &Host,
    id: &str,
    reason: &str,
    detail: Value,
) -> Result<(), Thrown> {
    emit(
        sh,
        host,
        json!({ "type": "WorkItemBlocked", "work_item_id": id, "payload": { "reason": reason, "detail": detail } }),
    )
    .await?;
    let mut s = sh.borrow_mut();
    s.status.insert(id.to_string(), NodeStatus::Blocked);
    if !s.blocked.iter().any(|b| b == id) {
        s.blocked.push(id.to_string());
    }
    Ok(())
}
