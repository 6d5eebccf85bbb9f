//! gate: the `GateManager` of oxe-cc 1.4.0 (request, resolve with history,
//! queries, stale gates, queue snapshots) over the session's `GATES.json`,
//! emitting `GateRequested` / `GateResolved` on the event bus.

pub mod file;
pub mod manager;
pub mod queue;

pub use manager::{GateManager, GATES_FILE};
pub use queue::{filter, query, snapshot, snapshot_with};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::path::PathBuf;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "oxe-gate-{name}-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn ctx(desc: &str) -> Value {
        json!({"description": desc, "evidence_refs": [], "risks": ["r"]})
    }

    #[test]
    fn request_resolve_round_trip() {
        let root = tmp("rr");
        let run = json!("r1");
        let m = GateManager {
            root: &root,
            session: None,
            run_id: Some(&run),
        };
        let t = m
            .request(Some(&json!("merge")), &json!({"work_item_id": "T1", "action": "run_tests", "description": "d", "evidence_refs": [], "risks": []}))
            .unwrap();
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "gate_id",
                "scope",
                "run_id",
                "work_item_id",
                "action",
                "requested_at",
                "context",
                "status",
                "resolution_history"
            ]
        );
        let id = t["gate_id"].as_str().unwrap();
        assert!(id.starts_with("gate-") && id.len() == 13);
        let r = m
            .resolve(
                &t,
                &json!({"decision": "approved", "actor": "lead", "reason": "LGTM"}),
            )
            .unwrap();
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "gate_id",
                "scope",
                "run_id",
                "work_item_id",
                "action",
                "requested_at",
                "context",
                "status",
                "resolution_history",
                "decision",
                "actor",
                "reason",
                "resolved_at"
            ]
        );
        assert_eq!(r["resolution_history"].as_array().unwrap().len(), 1);
        // a second resolution without a reason drops the key and grows the history
        let r2 = m
            .resolve(&t, &json!({"decision": "rejected", "actor": "qa"}))
            .unwrap();
        assert!(r2.get("reason").is_none());
        assert_eq!(r2["resolution_history"].as_array().unwrap().len(), 2);
        let file = std::fs::read_to_string(root.join(".oxe/execution/GATES.json")).unwrap();
        assert_eq!(file, crate::jsjson::to_pretty(&json!([r2])));
        let events = crate::events::read_events(&root, None).unwrap();
        let types: Vec<&Value> = events.iter().map(|e| &e["type"]).collect();
        assert_eq!(
            types,
            [
                &json!("GateRequested"),
                &json!("GateResolved"),
                &json!("GateResolved")
            ]
        );
        assert_eq!(events[0]["payload"]["rationale"], Value::Null);
        assert_eq!(events[0]["work_item_id"], json!("T1"));
        // unknown gate
        let e = m
            .resolve(&json!({"gate_id": "gate-nope"}), &json!({}))
            .unwrap_err();
        assert_eq!(e.to_string(), "Gate gate-nope not found");
        assert_eq!(e.code(), "OXE_E_ARG");
    }

    #[test]
    fn queries_and_snapshot() {
        let root = tmp("q");
        let run = json!("r9");
        let m = GateManager {
            root: &root,
            session: Some("sessions/s1"),
            run_id: Some(&run),
        };
        let a = m.request(Some(&json!("plan_approval")), &ctx("a")).unwrap();
        m.request(
            Some(&json!("security")),
            &json!({"run_id": "other", "description": "b", "evidence_refs": [], "risks": []}),
        )
        .unwrap();
        assert!(root.join(".oxe/sessions/s1/execution/GATES.json").exists());
        let q = |op: &str, arg: Option<&Value>, h: f64| query(&m, op, arg, h).unwrap();
        assert_eq!(q("isPending", Some(&json!("security")), 24.0), json!(true));
        assert_eq!(q("isPending", Some(&json!("merge")), 24.0), json!(false));
        assert_eq!(
            q("listPendingByRun", Some(&run), 24.0)
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(q("get", Some(&a["gate_id"]), 24.0)["gate_id"], a["gate_id"]);
        assert_eq!(q("get", Some(&json!("x")), 24.0), Value::Null);
        assert_eq!(q("stalePending", None, 24.0).as_array().unwrap().len(), 0);
        // everything requested at or before "now" is stale under a 0 h SLA
        assert_eq!(q("stalePending", None, 0.0).as_array().unwrap().len(), 2);
        let s = Value::Object(snapshot(
            &m.read_gates().unwrap().items,
            999.0,
            &json!({}),
            crate::clock::now_ms() as f64,
        ));
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "total",
                "gate_sla_hours",
                "pending",
                "stale_pending",
                "staleCount",
                "resolved_recent",
                "byRun",
                "byScope",
                "all"
            ]
        );
        assert_eq!(s["byRun"], json!({"r9": 1, "other": 1}));
        assert_eq!(s["gate_sla_hours"], json!(999));
        let s = q("snapshot", Some(&json!({"run_id": "other"})), 24.0);
        assert_eq!(s["total"], json!(1));
        assert_eq!(s["pending"], json!([0]), "indexes into `all`");
        let f = q(
            "filter",
            Some(&json!({"status": "stale", "gate_sla_hours": 0})),
            24.0,
        );
        assert_eq!(f.as_array().unwrap().len(), 2);
        assert!(query(&m, "nope", None, 1.0).is_err());
    }

    #[test]
    fn unusable_gate_files_are_moved_aside() {
        let root = tmp("bad");
        let dir = root.join(".oxe/execution");
        std::fs::create_dir_all(&dir).unwrap();
        for content in ["{\"not\": \"an array\"}", "[{\"gate_id\": "] {
            std::fs::write(dir.join(GATES_FILE), content).unwrap();
            let m = GateManager {
                root: &root,
                session: None,
                run_id: None,
            };
            assert_eq!(query(&m, "listAll", None, 24.0).unwrap(), json!([]));
            assert!(!dir.join(GATES_FILE).exists());
            let t = m.request(None, &ctx("x")).unwrap();
            // no run id anywhere: the key is left out, as JSON.stringify does
            assert!(t.get("run_id").is_none() && t.get("scope").is_none());
        }
        let moved = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("GATES.json.corrupt-")
            })
            .count();
        assert_eq!(moved, 2);
    }

    #[test]
    fn concurrent_requests_keep_every_gate() {
        let root = tmp("conc");
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let root = root.clone();
                std::thread::spawn(move || {
                    let run = json!(format!("r{t}"));
                    let m = GateManager {
                        root: &root,
                        session: None,
                        run_id: Some(&run),
                    };
                    for i in 0..15 {
                        let tok = m
                            .request(Some(&json!("merge")), &ctx(&format!("{t}-{i}")))
                            .unwrap();
                        if i % 3 == 0 {
                            m.resolve(&tok, &json!({"decision": "approved", "actor": "a"}))
                                .unwrap();
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let m = GateManager {
            root: &root,
            session: None,
            run_id: None,
        };
        let all = m.read_gates().unwrap();
        assert_eq!(all.items.len(), 60);
        let resolved = all
            .items
            .iter()
            .filter(|g| g["status"] == json!("resolved"))
            .count();
        assert_eq!(resolved, 20);
    }
}
