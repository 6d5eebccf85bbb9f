//! A whole run: waves in order, pause and cancel between waves, journal
//! syncs, the final status, and `recover` of a paused (1.4.0) or crashed
//! (beyond 1.4.0) run.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::coroutine::{Host, Thrown};
use super::run_journal;
use super::state::{audit, emit, internal, strings, NodeStatus, Shared};
use crate::clock;
use crate::events::bus;
use crate::reducers::{self, Key};

/// How the run was started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Run,
    Recover,
}

fn result(sh: &Shared, status: &str) -> Value {
    let s = sh.borrow();
    json!({
        "run_id": s.cfg.run_id,
        "status": status,
        "completed": strings(&s.completed),
        "failed": strings(&s.failed),
        "blocked": strings(&s.blocked),
        "pending_gates": s.pending_gates(),
    })
}

fn save(sh: &Shared) -> Result<(), Thrown> {
    sh.borrow().save_journal().map_err(internal)
}

/// Prepare a recovery. Returns `false` when there is nothing to recover
/// (no journal, or a run that ended), which makes `recover` resolve `null`.
///
/// A `paused` journal resumes exactly as 1.4.0 does. A `running` journal
/// means the process died mid-run: the event log then tells which nodes
/// completed after the last journal sync, and attempt numbers continue
/// after the attempts already made, so the interrupted node is retried as
/// a new attempt and nothing completed runs twice.
pub fn prepare_recovery(sh: &Shared) -> Result<bool, Thrown> {
    let (root, session, run_id) = {
        let s = sh.borrow();
        (
            s.cfg.project_root.clone(),
            s.cfg.session_id.clone(),
            s.cfg.run_id.clone(),
        )
    };
    let Some(Value::Object(mut journal)) =
        run_journal::load_journal(&root, &run_id).map_err(internal)?
    else {
        return Ok(false);
    };
    let state = journal
        .get("scheduler_state")
        .and_then(Value::as_str)
        .unwrap_or("");
    let crashed = match state {
        "paused" => false,
        "running" => true,
        _ => return Ok(false),
    };
    let list = |k: &str| -> Vec<String> {
        journal
            .get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut completed = list("completed_work_items");
    let failed = list("failed_work_items");
    let blocked = list("blocked_work_items");
    let mut s = sh.borrow_mut();
    if crashed {
        let events: Vec<Value> = bus::read_events(&root, session.as_deref())
            .map_err(internal)?
            .into_iter()
            .filter(|e| e.get("run_id").and_then(Value::as_str) == Some(run_id.as_str()))
            .map(Value::Object)
            .collect();
        let replayed = reducers::reduce(&events);
        for id in s.nodes.keys() {
            if replayed.completed_work_items.contains(&Key::str(id)) && !completed.contains(id) {
                completed.push(id.clone());
            }
        }
        let mut offsets = std::collections::HashMap::new();
        for id in s.nodes.keys() {
            if let Some(a) = replayed.attempts.get(&Key::str(id)) {
                offsets.insert(id.clone(), a.len() as u32);
            }
        }
        s.attempt_offset = offsets;
    }
    let ids: Vec<String> = s.nodes.keys().cloned().collect();
    for id in ids {
        let st = if completed.contains(&id) {
            NodeStatus::Completed
        } else if failed.contains(&id) {
            NodeStatus::Failed
        } else if blocked.contains(&id) {
            NodeStatus::Blocked
        } else {
            NodeStatus::Pending
        };
        s.status.insert(id, st);
    }
    dedup(&mut completed);
    s.completed = completed;
    s.failed = dedup_owned(failed);
    s.blocked = dedup_owned(blocked);
    journal.insert("scheduler_state".into(), json!("running"));
    journal.insert("paused_at".into(), Value::Null);
    s.journal = Some(journal);
    Ok(true)
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

fn dedup_owned(mut v: Vec<String>) -> Vec<String> {
    dedup(&mut v);
    v
}

/// The run coroutine. For `Mode::Recover`, `prepare_recovery` has run.
pub async fn run(sh: Shared, host: Host, mode: Mode) -> Result<Value, Thrown> {
    let recovering = mode == Mode::Recover;
    let run_id = sh.borrow().cfg.run_id.clone();
    if !recovering {
        let mut s = sh.borrow_mut();
        if let Value::Object(j) = run_journal::create_journal(&run_id) {
            s.journal = Some(j);
        }
    }
    save(&sh)?;
    let started = if recovering {
        json!({ "run_id": run_id, "recovered": true })
    } else {
        json!({ "run_id": run_id })
    };
    emit(
        &sh,
        &host,
        json!({ "type": "RunStarted", "payload": started }),
    )
    .await?;
    if !recovering {
        let session = sh.borrow().cfg.session_id.clone();
        audit(
            &sh,
            &host,
            "run_started",
            json!({ "runId": run_id, "detail": { "session_id": session } }),
        )
        .await?;
    }

    let restored: HashSet<String> = {
        let s = sh.borrow();
        s.completed
            .iter()
            .chain(&s.failed)
            .chain(&s.blocked)
            .cloned()
            .collect()
    };
    let waves = sh.borrow().waves.clone();
    for wave in &waves {
        if sh.borrow().cancelled {
            break;
        }
        if sh.borrow().paused {
            let detail = {
                let mut s = sh.borrow_mut();
                s.journal_set("scheduler_state", json!("paused"));
                s.journal_set("paused_at", json!(clock::now_iso()));
                s.journal_sync_lists();
                let partial = json!({ "run_id": run_id, "completed": strings(&s.completed),
                    "failed": strings(&s.failed), "blocked": strings(&s.blocked) });
                s.journal_set("partial_result", partial);
                let mut d = Map::new();
                if recovering {
                    d.insert("recovered".into(), json!(true));
                }
                d.insert("completed".into(), strings(&s.completed));
                d.insert("failed".into(), strings(&s.failed));
                d.insert("blocked".into(), strings(&s.blocked));
                Value::Object(d)
            };
            save(&sh)?;
            audit(
                &sh,
                &host,
                "run_paused",
                json!({ "runId": run_id, "detail": detail }),
            )
            .await?;
            return Ok(result(&sh, "paused"));
        }
        if recovering && wave.iter().all(|id| restored.contains(id)) {
            continue;
        }
        let wave_failed = run_wave(&sh, &host, wave).await?;
        {
            let mut s = sh.borrow_mut();
            s.journal_sync_lists();
        }
        save(&sh)?;
        if wave_failed {
            break;
        }
    }

    let pending: Vec<String> = sh
        .borrow()
        .status
        .iter()
        .filter(|(_, st)| **st == NodeStatus::Pending)
        .map(|(id, _)| id.clone())
        .collect();
    for id in pending {
        {
            let mut s = sh.borrow_mut();
            s.status.insert(id.clone(), NodeStatus::Blocked);
            s.blocked.push(id.clone());
        }
        emit(
            &sh,
            &host,
            json!({ "type": "WorkItemBlocked", "work_item_id": id, "payload": { "reason": "upstream_wave_failed" } }),
        )
        .await?;
    }

    let (cancelled, status) = {
        let s = sh.borrow();
        let status = if s.cancelled {
            "cancelled"
        } else if !s.failed.is_empty() {
            "failed"
        } else if !s.blocked.is_empty() {
            "blocked"
        } else {
            "completed"
        };
        (s.cancelled, status)
    };
    let completed_payload = if recovering {
        json!({ "run_id": run_id, "status": status, "recovered": true })
    } else {
        json!({ "run_id": run_id, "status": status })
    };
    emit(
        &sh,
        &host,
        json!({ "type": "RunCompleted", "payload": completed_payload }),
    )
    .await?;
    let detail = {
        let s = sh.borrow();
        json!({ "status": status, "completed": s.completed.len(), "failed": s.failed.len(),
                "blocked": s.blocked.len(), "pending_gates": s.pending_gates() })
    };
    let action = if recovering {
        "run_recovered"
    } else {
        "run_completed"
    };
    audit(
        &sh,
        &host,
        action,
        json!({ "runId": run_id, "detail": detail }),
    )
    .await?;
    {
        let mut s = sh.borrow_mut();
        let state = if cancelled {
            "cancelled"
        } else if status == "blocked" {
            "blocked"
        } else {
            "completed"
        };
        s.journal_set("scheduler_state", json!(state));
        s.journal_sync_lists();
    }
    save(&sh)?;
    if recovering {
        let root = sh.borrow().cfg.project_root.clone();
        run_journal::delete_journal(&root, &run_id).map_err(internal)?;
    }
    Ok(result(&sh, status))
}

/// One wave: nodes whose dependencies did not complete are blocked; the
/// read-only ones run concurrently, then the mutating ones one at a time.
/// Returns whether the run has failures.
async fn run_wave(sh: &Shared, host: &Host, ids: &[String]) -> Result<bool, Thrown> {
    let mut eligible = Vec::new();
    let mut unmet = Vec::new();
    {
        let s = sh.borrow();
        for id in ids {
            if s.status.get(id) == Some(&NodeStatus::Completed) {
                continue;
            }
            let Some(node) = s.nodes.get(id) else {
                continue;
            };
            let met = node
                .depends_on
                .iter()
                .all(|d| s.status.get(d) == Some(&NodeStatus::Completed));
            if met {
                eligible.push(id.clone());
            } else {
                unmet.push(id.clone());
            }
        }
    }
    for id in unmet {
        {
            let mut s = sh.borrow_mut();
            s.status.insert(id.clone(), NodeStatus::Blocked);
            s.blocked.push(id.clone());
        }
        emit(
            sh,
            host,
            json!({ "type": "WorkItemBlocked", "work_item_id": id, "payload": { "reason": "dependency_not_met" } }),
        )
        .await?;
    }
    let (read_only, mutations): (Vec<String>, Vec<String>) = {
        let s = sh.borrow();
        eligible
            .into_iter()
            .partition(|id| s.nodes.get(id).is_some_and(|n| n.mutation_count == 0))
    };
    if !read_only.is_empty() {
        host.ask(json!({ "op": "runNodes", "ids": read_only }))
            .await?;
    }
    for id in mutations {
        if sh.borrow().cancelled {
            break;
        }
        host.ask(json!({ "op": "runNodes", "ids": [id] })).await?;
    }
    Ok(!sh.borrow().failed.is_empty())
}
