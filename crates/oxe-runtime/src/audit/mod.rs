//! audit: the `AuditTrail` of oxe-cc 1.4.0 (NDJSON `.oxe/AUDIT-TRAIL.ndjson`,
//! severities, queries, metrics), made append-only and tamper-evident by a
//! hash chain; run quotas; and organisation policy packs.

mod append;
pub mod chain;
pub mod policy_pack;
pub mod quota;
pub mod trail;

pub use chain::{verify_text, ChainReport, GENESIS, HASH_FIELD};
pub use policy_pack::{list_policy_packs, load_policy_pack, save_policy_pack};
pub use quota::{check_quota, consumed_field, create_quota, Violation};
pub use trail::{
    load, metrics, query, record, record_with_text, to_json_array, trail_path, verify,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::path::PathBuf;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "oxe-audit-{name}-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn rec(
        root: &std::path::Path,
        action: &str,
        actor: &str,
        opts: Value,
    ) -> serde_json::Map<String, Value> {
        record(root, Some(&json!(action)), Some(&json!(actor)), &opts).unwrap()
    }

    #[test]
    fn record_shape_and_chain() {
        let root = tmp("rec");
        let e = rec(
            &root,
            "secret_accessed",
            "plugin",
            json!({"resource": "env.X"}),
        );
        let keys: Vec<&str> = e.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "audit_id",
                "action",
                "severity",
                "run_id",
                "work_item_id",
                "actor",
                "resource",
                "detail",
                "timestamp"
            ]
        );
        assert_eq!(e["severity"], json!("critical"));
        assert_eq!(e["detail"], json!({}));
        rec(
            &root,
            "run_started",
            "s",
            json!({"runId": "r1", "detail": {"a": 1}}),
        );
        let e3 = record(&root, Some(&json!("mystery")), None, &json!({})).unwrap();
        assert!(e3.get("severity").is_none() && e3.get("actor").is_none());
        let text = std::fs::read_to_string(trail_path(&root)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        // each line is the entry plus prev_hash, last
        let first: Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first[HASH_FIELD], json!(GENESIS));
        let mut public = e.clone();
        public.insert(HASH_FIELD.into(), json!(GENESIS));
        assert_eq!(lines[0], crate::jsjson::to_line(&Value::Object(public)));
        let second: Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(
            second[HASH_FIELD],
            json!(chain::line_hash(lines[0].as_bytes()))
        );
        let v = verify(&root).unwrap();
        assert_eq!(v["ok"], json!(true));
        assert_eq!(v["chained_entries"], json!(3));
        // queries return the entries without their hash
        let all = load(&root).unwrap();
        let q = query(&all, &json!({}));
        let arr: Value = serde_json::from_str(&to_json_array(&q)).unwrap();
        assert_eq!(arr[0], Value::Object(e));
        assert!(arr[1].get(HASH_FIELD).is_none());
        assert!(record(&root, None, None, &Value::Null).is_err());
    }

    #[test]
    fn legacy_trails_load_and_chain_on() {
        let root = tmp("legacy");
        let legacy = r#"{"audit_id":"aud-00000001","action":"run_started","severity":"info","run_id":"r","work_item_id":null,"actor":"a","resource":null,"detail":{},"timestamp":"2025-01-01T00:00:00.000Z"}"#;
        std::fs::create_dir_all(root.join(".oxe")).unwrap();
        std::fs::write(trail_path(&root), format!("{legacy}\n")).unwrap();
        assert_eq!(load(&root).unwrap().len(), 1);
        rec(&root, "run_completed", "a", json!({"runId": "r"}));
        let v = verify(&root).unwrap();
        assert_eq!(
            (
                v["ok"].clone(),
                v["legacy_entries"].clone(),
                v["chained_entries"].clone()
            ),
            (json!(true), json!(1), json!(1))
        );
        let text = std::fs::read_to_string(trail_path(&root)).unwrap();
        let second: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
        assert_eq!(
            second[HASH_FIELD],
            json!(chain::line_hash(legacy.as_bytes()))
        );
        assert_eq!(load(&root).unwrap().len(), 2);
        // tampering is reported at the first broken link
        std::fs::write(
            trail_path(&root),
            text.replace("\"actor\":\"a\"", "\"actor\":\"b\""),
        )
        .unwrap();
        let v = verify(&root).unwrap();
        assert_eq!(v["ok"], json!(false));
        assert_eq!(v["first_broken"]["line"], json!(2));
        // and a rewritten file (same size, new mtime) is read afresh, not
        // from the cache
        let all = load(&root).unwrap();
        assert!(all.iter().all(|e| e.text.contains("\"actor\":\"b\"")));
    }

    #[test]
    fn corrupt_lines_are_skipped_and_cache_follows_appends() {
        let root = tmp("corrupt");
        rec(&root, "run_started", "a", json!({"runId": "r1"}));
        std::fs::OpenOptions::new()
            .append(true)
            .open(trail_path(&root))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"{broken\n"))
            .unwrap();
        assert_eq!(load(&root).unwrap().len(), 1);
        rec(&root, "gate_requested", "b", json!({"runId": "r2"}));
        rec(&root, "secret_accessed", "a", json!({"runId": "r2"}));
        let all = load(&root).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(query(&all, &json!({"runId": "r2"})).len(), 2);
        assert_eq!(query(&all, &json!({"severity": "critical"})).len(), 1);
        assert_eq!(query(&all, &json!({"since": "9999"})).len(), 0);
        assert_eq!(query(&all, &json!({"since": "2000"})).len(), 3);
        let m = metrics(&all);
        assert_eq!(m["total_entries"], json!(3));
        assert_eq!(m["warn_count"], json!(1));
        assert_eq!(m["actors"], json!(["a", "b"]));
        assert_eq!(
            m["by_action"],
            json!({"run_started": 1, "gate_requested": 1, "secret_accessed": 1})
        );
        assert!(m["oldest"].as_str() <= m["newest"].as_str());
        // the corrupt line breaks the chain where it sits
        assert_eq!(verify(&root).unwrap()["first_broken"]["line"], json!(2));
        assert!(metrics(&[])["oldest"].is_null());
    }

    #[test]
    fn concurrent_appends_keep_one_chain() {
        let root = tmp("conc");
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let root = root.clone();
                std::thread::spawn(move || {
                    for i in 0..50 {
                        rec(
                            &root,
                            "plugin_invoked",
                            &format!("t{t}"),
                            json!({"runId": format!("r{i}")}),
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let v = verify(&root).unwrap();
        assert_eq!(v["ok"], json!(true), "{v}");
        assert_eq!(v["total_entries"], json!(200));
    }
}
