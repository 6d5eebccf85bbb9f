//! Tests of the operational layer and of `oxe-cc runtime`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::ops::{build_operational_graph, summarize_events, Op, OpError};
use crate::i18n::Lang;
use crate::tests::TempDir;
use crate::{run_cli, CliEnv};

const SPEC: &str = "# OXE — Spec\n\n## Objetivo\n\nCompilar runtime.\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----------|----------------|\n| A1 | Runtime compilado | node --test |\n";
const PLAN: &str = "## Tarefas\n\n### T1 — Demo\n**Onda:** 1\n**Depende de:** —\n**Verificar:**\n- Comando: `node --test`\n**Aceite vinculado:** A1\n";

fn op(root: &Path) -> Op<'_> {
    Op::new(root, None, Lang::En)
}

fn read(p: &Path) -> Value {
    oxe_runtime::jsjson::parse(&std::fs::read_to_string(p).expect("read")).expect("json")
}

fn seed(root: &Path) {
    let oxe = root.join(".oxe");
    std::fs::create_dir_all(&oxe).expect("mkdir");
    std::fs::write(oxe.join("SPEC.md"), SPEC).expect("spec");
    std::fs::write(oxe.join("PLAN.md"), PLAN).expect("plan");
}

struct Out {
    code: i32,
    out: String,
    err: String,
}

fn cli(dir: &Path, args: &[&str]) -> Out {
    let mut vars = BTreeMap::new();
    vars.insert("HOME".to_string(), dir.display().to_string());
    vars.insert("OXE_NO_BANNER".to_string(), "1".to_string());
    let env = CliEnv {
        cwd: dir.to_path_buf(),
        vars,
        stdout_is_tty: false,
        package_root: Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(".."),
    };
    let mut a: Vec<String> = vec!["runtime".into()];
    a.extend(args.iter().map(|s| s.to_string()));
    a.push("--dir".into());
    a.push(dir.display().to_string());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_cli(&a, &env, &mut out, &mut err);
    Out {
        code,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// With `--json`, stdout is exactly one JSON document.
fn json_of(o: &Out) -> Value {
    oxe_runtime::jsjson::parse(o.out.trim()).unwrap_or_else(|e| panic!("{e}: {}\n{}", o.out, o.err))
}

fn active_run_file(root: &Path) -> PathBuf {
    let ptr = read(&root.join(".oxe").join("ACTIVE-RUN.json"));
    root.join(".oxe")
        .join("runs")
        .join(format!("{}.json", ptr["run_id"].as_str().unwrap_or("")))
}

#[test]
fn run_state_round_trip_and_graph() {
    let d = TempDir::new("rt-state");
    let o = op(d.path());
    let saved = o
        .write_run_state(&json!({
            "run_id": "oxe-run-test", "status": "running", "current_wave": 2,
            "cursor": {"wave": 2, "task": "T3", "mode": "wave"},
            "active_tasks": ["T3"], "pending_checkpoints": ["CP-01"],
            "multi_agent": {"enabled": true, "mode": "parallel",
                "agents": [{"agent_id": "agent-a"}],
                "ownership": [{"work_item_id": "T3", "agent_id": "agent-a"}],
                "handoffs": [{"from_agent_id": "agent-a", "to_agent_id": "agent-b"}]},
        }))
        .expect("write");
    assert_eq!(saved["run_id"], json!("oxe-run-test"));
    let loaded = o.read_run_state().expect("read").expect("some");
    assert_eq!(loaded, saved);
    assert_eq!(loaded["current_wave"], json!(2));
    let keys: Vec<&String> = loaded.as_object().expect("obj").keys().collect();
    assert_eq!(keys[0], "run_id");
    assert_eq!(keys.last().map(|k| k.as_str()), Some("metrics"));
    let nodes = loaded["graph"]["nodes"].as_array().expect("nodes");
    assert!(nodes.iter().any(|n| n["id"] == json!("agent:agent-a")));
    assert!(nodes.iter().any(|n| n["id"] == json!("checkpoint:CP-01")));
    let edges = loaded["graph"]["edges"].as_array().expect("edges");
    assert!(edges
        .iter()
        .any(|e| e["from"] == json!("agent:agent-a") && e["to"] == json!("task:T3")));
    // no trailing newline, 2-space indent, pointer holds the summary keys
    let raw = std::fs::read_to_string(d.path().join(".oxe/runs/oxe-run-test.json")).expect("raw");
    assert!(raw.starts_with("{\n  \"run_id\"") && !raw.ends_with('\n'));
    let ptr = read(&d.path().join(".oxe/ACTIVE-RUN.json"));
    assert_eq!(ptr.as_object().map(|m| m.len()), Some(10));
    // invalid status becomes planned
    let s = o
        .write_run_state(&json!({"run_id": "x", "status": "bogus"}))
        .expect("w");
    assert_eq!(s["status"], json!("planned"));
}

#[test]
fn graph_dedupes_nodes_and_edges() {
    let g = build_operational_graph(&json!({
        "run_id": "r", "status": "running", "active_tasks": ["T1", "T1"],
        "graph": {"nodes": [{"id": "task:T1", "extra": 1}], "edges": []},
    }));
    let nodes = g["nodes"].as_array().expect("nodes");
    let t1: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["id"] == json!("task:T1"))
        .collect();
    assert_eq!(t1.len(), 1);
    assert_eq!(t1[0]["extra"], json!(1));
    assert_eq!(t1[0]["status"], json!("active"));
    assert_eq!(nodes[0]["id"], json!("task:T1"), "first position kept");
}

#[test]
fn placeholder_pointer_reads_as_no_run() {
    let d = TempDir::new("rt-placeholder");
    let r = cli(d.path(), &["status", "--json"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(json_of(&r), json!({"run": null, "status": "absent"}));
    assert!(
        d.path().join(".oxe/ACTIVE-RUN.json").exists(),
        "bootstrapped"
    );
    assert!(
        r.err.contains("OXE ▸ runtime"),
        "header on stderr with --json"
    );
    let r = cli(d.path(), &["status"]);
    assert!(r.out.contains("No ACTIVE-RUN found."), "{}", r.out);
}

#[test]
fn lifecycle_start_pause_resume_replay() {
    let d = TempDir::new("rt-life");
    let r = cli(
        d.path(),
        &["start", "--wave", "2", "--task", "T3", "--reason", "go"],
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("Runtime updated."));
    let file = active_run_file(d.path());
    let s = read(&file);
    assert_eq!(s["status"], json!("running"));
    assert_eq!(s["current_wave"], json!(2));
    assert_eq!(
        s["cursor"],
        json!({"wave": 2, "task": "T3", "mode": "task"})
    );
    assert_eq!(s["metrics"]["transitions"], json!(1));

    assert_eq!(cli(d.path(), &["pause", "--reason", "wait"]).code, 0);
    let s = read(&file);
    assert_eq!(s["status"], json!("paused"));
    assert_eq!(s["metrics"]["pause_count"], json!(1));
    assert_eq!(s["metrics"]["transitions"], json!(2));
    assert_eq!(s["cursor"]["task"], json!("T3"));

    assert_eq!(cli(d.path(), &["resume"]).code, 0);
    assert_eq!(read(&file)["status"], json!("running"));

    let r = cli(
        d.path(),
        &["replay", "--wave", "3", "--task", "T7", "--json"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let s = json_of(&r);
    assert_eq!(s["status"], json!("replaying"));
    assert_eq!(s["current_wave"], json!(3));
    assert_eq!(s["cursor"]["task"], json!("T7"));
    assert_eq!(s["metrics"]["replay_count"], json!(1));
    assert!(s["graph"]["nodes"]
        .as_array()
        .expect("n")
        .iter()
        .any(|n| n["id"] == json!("task:T7")));

    let events = op(d.path()).read_events().expect("events");
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        [
            "run_started",
            "run_paused",
            "run_resumed",
            "run_replay_requested"
        ]
    );
    assert_eq!(events[0]["wave_id"], json!("wave-2"));
    assert_eq!(events[0]["task_id"], json!("T3"));
    assert_eq!(
        events[0]["payload"],
        json!({"reason": "go", "mode": "task"})
    );
    assert_eq!(events[3]["wave_id"], json!("wave-3"));
    assert_eq!(events[0].as_object().map(|m| m.len()), Some(13));
    let sum = summarize_events(&events);
    assert_eq!(sum["total"], json!(4));
    assert_eq!(sum["byType"]["run_paused"], json!(1));
}

#[test]
fn resume_with_pending_checkpoints_waits_for_approval() {
    let d = TempDir::new("rt-wait");
    let o = op(d.path());
    o.apply_action(&json!({"action": "start", "pending_checkpoints": ["CP-1"]}))
        .expect("start");
    let s = o
        .apply_action(&json!({"action": "resume"}))
        .expect("resume");
    assert_eq!(s["status"], json!("waiting_approval"));
    assert_eq!(s["cursor"]["mode"], json!("complete"));
}

#[test]
fn actions_without_a_run_and_unknown_actions_fail() {
    let d = TempDir::new("rt-none");
    let r = cli(d.path(), &["pause"]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("No ACTIVE-RUN"), "{}", r.err);
    assert!(matches!(
        op(d.path()).apply_action(&json!({"action": "pause"})),
        Err(OpError::NoActiveRun)
    ));
    assert_eq!(cli(d.path(), &["start"]).code, 0);
    let r = cli(d.path(), &["explode"]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains("Unknown runtime action: explode"),
        "{}",
        r.err
    );
}

#[test]
fn session_ids_cannot_leave_oxe() {
    let d = TempDir::new("rt-escape");
    let r = cli(d.path(), &["start", "--session", "../../outside"]);
    assert_eq!(r.code, 1);
    assert!(!d.path().join("..").join("outside").exists());
    let r = cli(d.path(), &["start", "--session", "sessions/s001-x"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let exec = d.path().join(".oxe/sessions/s001-x/execution");
    assert!(exec.join("ACTIVE-RUN.json").exists());
    assert!(exec.join("OXE-EVENTS.ndjson").exists());
}

#[test]
fn compile_persists_graph_suite_and_canonical_state() {
    let d = TempDir::new("rt-compile");
    seed(d.path());
    let r = cli(d.path(), &["compile"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("Runtime compiled."), "{}", r.out);
    let s = read(&active_run_file(d.path()));
    assert_eq!(s["compiled_graph"]["metadata"]["node_count"], json!(1));
    assert_eq!(
        s["compiled_graph"]["nodes"]["T1"]["verify"]["acceptance_refs"],
        json!(["A1"])
    );
    assert!(s["verification_suite"]["checks"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
    assert_eq!(s["canonical_state"]["summary"]["work_item_count"], json!(1));
    assert_eq!(s["status"], json!("planned"));
    let types: Vec<String> = op(d.path())
        .read_events()
        .expect("e")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(types, ["GraphCompiled", "verification_suite_compiled"]);
}

#[test]
fn compile_without_spec_fails() {
    let d = TempDir::new("rt-nospec");
    let r = cli(d.path(), &["compile"]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("SPEC.md is missing"), "{}", r.err);
}

#[test]
fn project_writes_views_without_overwriting_user_files() {
    let d = TempDir::new("rt-project");
    seed(d.path());
    assert_eq!(cli(d.path(), &["compile"]).code, 0);
    let r = cli(d.path(), &["project"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let oxe = d.path().join(".oxe");
    // the user's PLAN.md and the bootstrap STATE.md stay; their views go aside
    assert_eq!(
        std::fs::read_to_string(oxe.join("PLAN.md")).expect("plan"),
        PLAN
    );
    assert!(oxe.join("projections/PLAN.md").exists());
    assert!(oxe.join("projections/STATE.md").exists());
    // VERIFY.md did not exist: written in place, with the engine's marker
    let verify = std::fs::read_to_string(oxe.join("VERIFY.md")).expect("verify");
    assert!(verify.contains(super::artifacts::PROJECTION_MARKER) && verify.ends_with('\n'));
    for f in [
        "RUN-SUMMARY.md",
        "COMMIT-SUMMARY.md",
        "PROMOTION-SUMMARY.md",
        "PR-SUMMARY.md",
    ] {
        assert!(oxe.join(f).exists(), "{f}");
    }
    let s = read(&active_run_file(d.path()));
    assert_eq!(
        s["projections"]["plan_ref"],
        json!(".oxe/projections/PLAN.md")
    );
    assert_eq!(s["projections"]["verify_ref"], json!(".oxe/VERIFY.md"));
    // a projected file is ours: the next projection replaces it in place
    let r = cli(d.path(), &["project", "--json"]);
    let v = json_of(&r);
    assert!(v["paths"]["verify"]
        .as_str()
        .is_some_and(|p| p.ends_with("VERIFY.md") && !p.contains("projections")));
}

#[test]
fn project_without_a_run_compiles_first() {
    let d = TempDir::new("rt-project-fresh");
    seed(d.path());
    let v = op(d.path())
        .project(&json!({"write": false}))
        .expect("project");
    assert!(v["run"]["compiled_graph"].is_object());
    assert!(v["projections"]["plan"]
        .as_str()
        .is_some_and(|p| p.contains("T1")));
    assert!(
        !d.path().join(".oxe/RUN-SUMMARY.md").exists(),
        "write: false"
    );
}

fn write_gates(root: &Path, run_id: &str) {
    let dir = root.join(".oxe/execution");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let old = "2000-01-01T00:00:00.000Z";
    let gates = json!([
        {"gate_id": "g-1", "scope": "critical_mutation", "run_id": run_id, "work_item_id": "T1",
         "action": "apply_patch", "requested_at": oxe_runtime::clock::now_iso(),
         "context": {"description": "Approve mutation", "evidence_refs": [], "risks": [], "rationale": null, "policy_decision_id": null},
         "status": "pending"},
        {"gate_id": "g-2", "scope": "security", "run_id": run_id, "work_item_id": "T2",
         "action": "deploy", "requested_at": old, "context": {}, "status": "pending"},
        {"gate_id": "g-3", "scope": "security", "run_id": "other", "requested_at": old, "status": "pending"},
    ]);
    std::fs::write(
        dir.join("GATES.json"),
        oxe_runtime::jsjson::to_pretty(&gates),
    )
    .expect("gates");
}

#[test]
fn gates_list_show_and_resolve() {
    let d = TempDir::new("rt-gates");
    assert_eq!(cli(d.path(), &["start"]).code, 0);
    let run_id = read(&d.path().join(".oxe/ACTIVE-RUN.json"))["run_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    write_gates(d.path(), &run_id);

    let v = json_of(&cli(d.path(), &["gates", "list", "--json"]));
    assert_eq!(v["total"], json!(2), "other runs filtered out");
    assert_eq!(v["staleCount"], json!(1));
    assert_eq!(v["byScope"], json!({"critical_mutation": 1, "security": 1}));
    assert_eq!(
        v["filters"],
        json!({"runId": run_id, "status": "all", "scope": null, "workItemId": null, "action": null})
    );
    let v = json_of(&cli(
        d.path(),
        &["gates", "list", "--status", "stale", "--json"],
    ));
    assert_eq!(v["all"].as_array().map(Vec::len), Some(1));
    let v = json_of(&cli(
        d.path(),
        &["gates", "list", "--scope", "security", "--json"],
    ));
    assert_eq!(v["total"], json!(1));
    let r = cli(d.path(), &["gates"]);
    assert!(
        r.out.contains("g-1") && r.out.contains("stale"),
        "{}",
        r.out
    );

    let v = json_of(&cli(
        d.path(),
        &["gates", "show", "--gate", "g-1", "--json"],
    ));
    assert_eq!(v["gate_id"], json!("g-1"));
    assert_eq!(cli(d.path(), &["gates", "show"]).code, 1);
    assert_eq!(cli(d.path(), &["gates", "show", "--gate", "nope"]).code, 1);

    assert_eq!(
        cli(d.path(), &["gates", "resolve", "--gate", "g-1"]).code,
        1
    );
    let r = cli(
        d.path(),
        &[
            "gates",
            "resolve",
            "--gate",
            "g-1",
            "--decision",
            "reject",
            "--actor",
            "qa",
        ],
    );
    assert_eq!(r.code, 1, "reject needs a reason");
    let r = cli(
        d.path(),
        &[
            "gates",
            "resolve",
            "--gate",
            "g-1",
            "--decision",
            "approve",
            "--actor",
            "qa",
            "--json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json_of(&r);
    assert_eq!(v["gate"]["status"], json!("resolved"));
    assert_eq!(v["gate"]["decision"], json!("approved"));
    assert_eq!(v["impact"]["pendingRemaining"], json!(1));
    assert_eq!(v["impact"]["runId"], json!(run_id));
    let r = cli(
        d.path(),
        &[
            "gates",
            "resolve",
            "--gate",
            "g-2",
            "--decision",
            "waive",
            "--actor",
            "qa",
            "--reason",
            "ok",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("no gate left"), "{}", r.out);
    let v = json_of(&cli(
        d.path(),
        &["gates", "show", "--gate", "g-2", "--json"],
    ));
    assert_eq!(v["decision"], json!("approved_with_caveats"));
    let r = cli(d.path(), &["gates", "frob"]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("frob"));
}

#[test]
fn ci_runs_the_checks_and_persists_them() {
    let d = TempDir::new("rt-ci");
    seed(d.path());
    assert_eq!(cli(d.path(), &["compile"]).code, 0);
    let r = cli(d.path(), &["ci", "--json"]);
    let v = json_of(&r);
    assert_eq!(v["summary"]["total"], json!(5));
    let all = v["summary"]["allPassed"] == json!(true);
    assert_eq!(r.code, if all { 0 } else { 1 });
    let run_id = v["runId"].as_str().expect("run id").to_string();
    let saved = read(
        &d.path()
            .join(".oxe/runs")
            .join(&run_id)
            .join("ci-results.json"),
    );
    assert_eq!(saved["summary"], v["summary"]);
    let s = read(&active_run_file(d.path()));
    assert_eq!(s["ci_checks"]["summary"]["total"], json!(5));
    assert_eq!(
        s["ci_checks"]["path"],
        json!(format!(".oxe/runs/{run_id}/ci-results.json"))
    );
    let r = cli(d.path(), &["ci"]);
    assert!(r.out.contains("oxe-plan-consistency"), "{}", r.out);
}

#[test]
fn recover_needs_a_journal_and_rebuilds_the_run() {
    let d = TempDir::new("rt-recover");
    seed(d.path());
    assert_eq!(cli(d.path(), &["compile"]).code, 0);
    let r = cli(d.path(), &["recover"]);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("No journal"), "{}", r.err);
    let file = active_run_file(d.path());
    let run_id = read(&file)["run_id"].as_str().expect("id").to_string();
    let journal = json!({"run_id": run_id, "scheduler_state": "paused", "pending_gates": ["T9"]});
    std::fs::create_dir_all(d.path().join(".oxe/runs").join(&run_id)).expect("mkdir");
    std::fs::write(
        d.path()
            .join(".oxe/runs")
            .join(&run_id)
            .join("journal.json"),
        journal.to_string(),
    )
    .ok();
    let r = cli(d.path(), &["recover", "--json"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json_of(&r);
    assert_eq!(v["recoverySummary"]["orphan_work_items"], json!(["T9"]));
    assert_eq!(v["recoverySummary"]["journal_state"], json!("paused"));
    assert_eq!(v["run"]["status"], json!("paused"));
    assert_eq!(v["run"]["metrics"]["recover_count"], json!(1));
    assert!(d.path().join(".oxe/RECOVERY-SUMMARY.md").exists());
    let saved = read(
        &d.path()
            .join(".oxe/runs")
            .join(&run_id)
            .join("recovery-summary.json"),
    );
    assert!(
        saved.get("json_ref").is_none() && saved["consistency"]["journal_exists"] == json!(true)
    );
    assert_eq!(
        read(&file)["recovery_summary"]["json_ref"],
        json!(format!(".oxe/runs/{run_id}/recovery-summary.json"))
    );
    let last = op(d.path()).read_events().expect("e").pop().expect("last");
    assert_eq!(last["type"], json!("RunStarted"));
    assert_eq!(last["payload"]["recovered"], json!(true));
}

#[test]
fn agents_reads_persisted_multi_agent_state() {
    let d = TempDir::new("rt-agents");
    let v = json_of(&cli(d.path(), &["agents", "--json"]));
    assert_eq!(v["enabled"], json!(false));
    assert_eq!(v["path"], Value::Null);
    op(d.path())
        .write_run_state(&json!({"run_id": "run-ma", "status": "running"}))
        .expect("w");
    let dir = d.path().join(".oxe/runs/run-ma");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(dir.join("multi-agent-state.json"), json!({"mode": "parallel", "workspace_isolation_enforced": true, "agent_results": [{"agent_id": "a"}], "ownership": [], "orphan_reassignments": []}).to_string()).ok();
    std::fs::write(dir.join("handoffs.json"), "[{\"handoff_id\":\"h1\"}]").ok();
    std::fs::write(
        dir.join("arbitration-results.json"),
        "[{\"work_item_id\":\"T1\"}]",
    )
    .ok();
    let v = json_of(&cli(d.path(), &["agents", "--json"]));
    assert_eq!(v["enabled"], json!(true));
    assert_eq!(v["mode"], json!("parallel"));
    assert_eq!(v["workspaceIsolationEnforced"], json!(true));
    assert_eq!(v["agents"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["handoffs"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["arbitrationResults"].as_array().map(Vec::len), Some(1));
    let r = cli(d.path(), &["agents"]);
    assert!(
        r.out.contains("parallel") && r.out.contains("enforced"),
        "{}",
        r.out
    );
}

#[test]
fn replay_events_filters_sorts_and_reports() {
    let d = TempDir::new("rt-replay");
    let o = op(d.path());
    assert_eq!(
        o.replay_events(&json!({})).expect("r")["duration_ms"],
        Value::Null
    );
    for (ty, run, wave, task, ts) in [
        (
            "run_started",
            "r1",
            "wave-1",
            "",
            "2024-01-01T00:00:02.000Z",
        ),
        (
            "task_completed",
            "r1",
            "wave-1",
            "T1",
            "2024-01-01T00:00:01.000Z",
        ),
        (
            "task_failed",
            "r1",
            "wave-2",
            "T2",
            "2024-01-01T00:00:03.250Z",
        ),
        (
            "checkpoint_opened",
            "r2",
            "wave-3",
            "",
            "2024-01-01T00:00:04.000Z",
        ),
    ] {
        o.append_event(
            &json!({"type": ty, "run_id": run, "wave_id": wave, "task_id": task, "timestamp": ts}),
        )
        .expect("append");
    }
    let r = o.replay_events(&json!({})).expect("replay");
    assert_eq!(r["totalEvents"], json!(4));
    assert_eq!(
        r["events"][0]["type"],
        json!("task_completed"),
        "sorted by time"
    );
    assert_eq!(r["events"][0]["_delta_ms"], json!(0));
    assert_eq!(r["events"][2]["_delta_ms"], json!(1250));
    assert_eq!(r["duration_ms"], json!(3000));
    assert_eq!(r["waveIds"], json!([1, 2, 3]));
    assert_eq!(r["taskSequence"], json!(["T1", "T2"]));
    assert_eq!(r["failureEvents"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["checkpointSequence"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["runId"], json!("r1"));
    let r = o.replay_events(&json!({"runId": "r2"})).expect("r");
    assert_eq!(r["totalEvents"], json!(1));
    let r = o.replay_events(&json!({"waveId": 1})).expect("r");
    assert_eq!(r["totalEvents"], json!(2));
    let r = o
        .replay_events(&json!({"limit": 1, "writeReport": true}))
        .expect("r");
    assert_eq!(r["totalEvents"], json!(1));
    let report = std::fs::read_to_string(r["_reportPath"].as_str().expect("path")).expect("md");
    assert!(
        report.contains("OXE — Replay Session") && report.contains("| 1 | run_started |"),
        "{report}"
    );

    let cli_out = cli(d.path(), &["replay", "--write"]);
    assert_eq!(cli_out.code, 0, "{}", cli_out.err);
    assert!(cli_out.out.contains("+1.3s"), "{}", cli_out.out);
}

#[test]
fn replay_state_gathers_run_artefacts() {
    let d = TempDir::new("rt-replay-state");
    let o = op(d.path());
    o.write_run_state(&json!({"run_id": "run-replay", "status": "paused",
        "verification_manifest": {"summary": {"total": 1}, "checks": [{"evidence_refs": ["e1"]}]}}))
        .expect("w");
    let dir = d.path().join(".oxe/runs/run-replay");
    std::fs::create_dir_all(&dir).ok();
    std::fs::write(
        dir.join("journal.json"),
        "{\"scheduler_state\":\"paused\",\"pending_gates\":[\"T9\"]}",
    )
    .ok();
    std::fs::write(
        dir.join("policy-decisions.json"),
        "[{\"decision_id\":\"pd-1\"}]",
    )
    .ok();
    std::fs::write(
        dir.join("promotion-record.json"),
        "{\"target_kind\":\"pr_draft\",\"status\":\"blocked\"}",
    )
    .ok();
    o.append_event(&json!({"type": "run_started", "run_id": "run-replay", "wave_id": "wave-1", "task_id": "T1"})).expect("e");
    let v = o
        .replay_state(&json!({"runId": "run-replay", "writeReport": true}))
        .expect("state");
    assert_eq!(v["run_id"], json!("run-replay"));
    assert_eq!(v["policyDecisions"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["promotion"]["status"], json!("blocked"));
    assert_eq!(v["consistency"]["evidence_refs_tracked"], json!(1));
    assert_eq!(v["consistency"]["promotion_status"], json!("blocked"));
    assert_eq!(
        v["verification"]["evidenceCoverage"]["coverage_percent"],
        json!(100)
    );
    assert!(Path::new(v["report_path"].as_str().expect("p")).exists());
    let r = cli(d.path(), &["replay", "--json", "--run", "run-replay"]);
    assert_eq!(json_of(&r)["run_id"], json!("run-replay"));
}

#[test]
fn status_reports_the_active_run() {
    let d = TempDir::new("rt-status");
    seed(d.path());
    assert_eq!(cli(d.path(), &["compile"]).code, 0);
    let r = cli(d.path(), &["status", "--json"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json_of(&r);
    assert_eq!(v["runtimeMode"]["runtime_mode"], json!("enterprise"));
    assert!(v["gateQueue"].is_object());
    assert_eq!(v["gateSla"], json!(24));
    assert_eq!(v["staleGateCount"], json!(0));
    assert!(v["providerCatalog"].is_object());
    let keys: Vec<&String> = v.as_object().expect("o").keys().collect();
    assert_eq!(
        keys,
        [
            "run",
            "runtimeMode",
            "gateQueue",
            "gateSla",
            "staleGateCount",
            "policyCoverage",
            "promotionReadiness",
            "recoveryState",
            "providerCatalog",
            "multiAgent"
        ]
    );
    let r = cli(d.path(), &["status"]);
    assert!(
        r.out.contains("Graph: 1 nodes · 1 waves") && r.out.contains("enterprise"),
        "{}",
        r.out
    );
}

#[test]
fn verify_halves_around_the_runtime() {
    let d = TempDir::new("rt-verify");
    seed(d.path());
    let o = op(d.path());
    let prep = o.verify_prepare(&json!({})).expect("prepare");
    assert_eq!(prep["workItemId"], json!("run"));
    assert!(prep["run"]["compiled_graph"].is_object() && prep["suite"]["checks"].is_array());
    let report = json!({
        "status": "passed", "gaps": [], "verification_results": [{"check_id": "A1", "status": "pass", "summary": "ok", "evidence_refs": []}],
        "check_results": [{"check_id": "A1", "status": "pass", "duration_ms": 5}],
        "manifest": {"summary": {"total": 1, "pass": 1, "fail": 0, "skip": 0, "error": 0, "all_passed": true}, "checks": []},
        "risk_ledger": {"risks": []}, "evidence_coverage": {"coverage_percent": 100},
    });
    let done = o
        .verify_finish(&prep["run"], &report, "run")
        .expect("finish");
    assert_eq!(done["run"]["status"], json!("running"));
    assert_eq!(
        done["run"]["verification_manifest"]["summary"]["total"],
        json!(1)
    );
    assert_eq!(done["run"]["residual_risks"], json!({"risks": []}));
    assert!(d.path().join(".oxe/VERIFY.md").exists());
    let types: Vec<String> = o
        .read_events()
        .expect("e")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("").into())
        .collect();
    assert!(
        types.contains(&"VerificationStarted".to_string())
            && types.contains(&"VerificationCompleted".to_string())
    );
    let last = o
        .read_events()
        .expect("e")
        .into_iter()
        .find(|e| e["type"] == json!("VerificationCompleted"))
        .expect("vc");
    assert_eq!(
        last["payload"],
        json!({"status": "passed", "total_checks": 1, "fail": 0, "error": 0, "gaps": []})
    );
    let failed = o
        .verify_finish(&done["run"], &json!({"status": "failed"}), "run")
        .expect("f");
    assert_eq!(failed["run"]["status"], json!("failed"));
    let odd = o
        .verify_finish(&done["run"], &json!({"status": "partial"}), "run")
        .expect("f");
    assert_eq!(odd["run"]["status"], json!("blocked"));
}

#[test]
fn promote_halves_around_the_pipeline() {
    let d = TempDir::new("rt-promote");
    seed(d.path());
    let o = op(d.path());
    assert!(matches!(
        o.promote_prepare(&json!({})),
        Err(OpError::NoRunForPromote)
    ));
    o.compile_graph(&json!({})).expect("compile");
    assert!(matches!(
        o.promote_prepare(&json!({})),
        Err(OpError::ManifestMissing)
    ));
    let run = o.read_run_state().expect("r").expect("run");
    let mut with_manifest = run.clone();
    with_manifest["verification_manifest"] = json!({"summary": {"total": 1}, "checks": []});
    o.write_run_state(&with_manifest).expect("w");
    let prep = o
        .promote_prepare(&json!({"baseBranch": "dev", "minimumCoverage": "80"}))
        .expect("prep");
    assert_eq!(
        prep["promoteOptions"],
        json!({"targetKind": "pr_draft", "remote": "origin", "baseBranch": "dev", "targetRef": "dev", "minimumCoverage": 80, "draftPR": true})
    );
    assert_eq!(prep["runResult"]["status"], json!("planned"));
    assert!(prep["gates"].is_array());
    let promotion =
        json!({"target_kind": "pr_draft", "status": "blocked", "reasons": ["coverage"]});
    let pkg = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..");
    let done = o
        .promote_finish(
            &prep["run"],
            &json!({"status": "recorded"}),
            &promotion,
            &pkg,
        )
        .expect("finish");
    assert_eq!(
        done["run"]["delivery"]["promotion_record"]["target_kind"],
        json!("pr_draft")
    );
    let run_id = done["run"]["run_id"].as_str().expect("id").to_string();
    assert!(d
        .path()
        .join(".oxe/runs")
        .join(&run_id)
        .join("promotion-readiness.json")
        .exists());
    let last = o
        .read_events()
        .expect("e")
        .into_iter()
        .rev()
        .find(|e| e["payload"].get("promotion_status").is_some())
        .expect("ev");
    assert_eq!(last["type"], json!("GateRequested"));
}
