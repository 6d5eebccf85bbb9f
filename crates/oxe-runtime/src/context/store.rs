//! The context pack store under `.oxe/runs/<run>/`: one
//! `context-pack-<wi>.json` per work item, the metadata index
//! `context-packs.index.json` (one entry per work item, upserted), and the
//! `context-ref-<attemptId>.json` link between a pack and an attempt.
//!
//! Beyond 1.4.0: files are replaced atomically, the index's
//! read-modify-write is locked against other processes, a corrupt file (or
//! an index that is not an array) is moved aside and reported instead of
//! being silently overwritten, and ids that would leave the run directory
//! are rejected with `OXE_E_PATH`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::js;
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson::js_string;
use crate::paths::{run_dir, safe_segments};
use crate::store;

/// `dir/<name>`, where `name` embeds a caller's id: it may contain `/`
/// (1.4.0 creates the subdirectory) but never a `..` segment, a NUL or a
/// leading separator.
pub fn file_in(dir: PathBuf, what: &str, name: &str) -> OxeResult<PathBuf> {
    let mut p = dir;
    for seg in safe_segments(what, name)? {
        p.push(seg);
    }
    Ok(p)
}

pub fn pack_path(root: &Path, run_id: &str, work_item_id: &str) -> OxeResult<PathBuf> {
    file_in(
        run_dir(root, run_id)?,
        "workItemId",
        &format!("context-pack-{work_item_id}.json"),
    )
}

pub fn index_path(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join("context-packs.index.json"))
}

pub fn ref_path(root: &Path, run_id: &str, attempt_id: &str) -> OxeResult<PathBuf> {
    file_in(
        run_dir(root, run_id)?,
        "attemptId",
        &format!("context-ref-{attempt_id}.json"),
    )
}

/// The index entries; a file that is not a JSON array is moved aside
/// (reported as `OXE_W_CORRUPT_FILE`) and counts as empty.
fn load_index(path: &Path) -> Vec<Value> {
    match store::read_json(path) {
        Some(Value::Array(items)) => items,
        Some(_) => {
            store::quarantine(path, "not a JSON array of context pack metadata");
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn same_work_item(entry: &Value, work_item_id: &Value) -> bool {
    entry
        .get("work_item_id")
        .is_some_and(|id| js::strict_eq(id, work_item_id))
}

/// `savePack(projectRoot, runId, pack)`: writes the pack, upserts its
/// metadata (keyed by `work_item_id`) into the index and returns it.
pub fn save_pack(root: &Path, run_id: &str, pack: &Value) -> OxeResult<Value> {
    let arg = |m: &str| OxeError::Arg(format!("savePack: {m}"));
    let wi = pack
        .get("work_item_id")
        .and_then(Value::as_str)
        .ok_or_else(|| arg("pack.work_item_id must be a string"))?;
    let artifacts = pack
        .get("artifacts")
        .and_then(Value::as_array)
        .ok_or_else(|| arg("pack.artifacts must be an array"))?;
    let mut chars = 0usize;
    for (i, a) in artifacts.iter().enumerate() {
        let content = a
            .get("content")
            .and_then(Value::as_str)
            .ok_or_else(|| arg(&format!("pack.artifacts[{i}].content must be a string")))?;
        chars += js::utf16_len(content);
    }
    let path = pack_path(root, run_id, wi)?;
    store::write_json(&path, pack)?;

    let mut meta = Map::new();
    meta.insert("pack_id".into(), json!(format!("cp-{run_id}-{wi}")));
    meta.insert("work_item_id".into(), json!(wi));
    meta.insert("run_id".into(), json!(run_id));
    if let Some(b) = pack.get("built_at") {
        meta.insert("built_at".into(), b.clone());
    }
    meta.insert("artifact_count".into(), json!(artifacts.len()));
    meta.insert("estimated_tokens".into(), json!(chars.div_ceil(4)));
    meta.insert("stale".into(), json!(false));
    meta.insert("stale_reason".into(), Value::Null);
    let meta = Value::Object(meta);

    let ipath = index_path(root, run_id)?;
    store::with_lock(&ipath, || {
        let mut index = load_index(&ipath);
        let key = json!(wi);
        match index.iter_mut().find(|m| same_work_item(m, &key)) {
            Some(slot) => *slot = meta.clone(),
            None => index.push(meta.clone()),
        }
        store::write_json(&ipath, &Value::Array(index))
    })?;
    Ok(meta)
}

/// `loadPack(projectRoot, runId, workItemId)`.
pub fn load_pack(root: &Path, run_id: &str, work_item_id: &str) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&pack_path(root, run_id, work_item_id)?))
}

/// `markStale(projectRoot, runId, workItemId, reason)`: nothing happens for
/// an unknown work item. `reason` `None` is JS `undefined`: the entry's
/// `stale_reason` is then left out of the file, as `JSON.stringify` does.
pub fn mark_stale(
    root: &Path,
    run_id: &str,
    work_item_id: &str,
    reason: Option<Value>,
) -> OxeResult<()> {
    let ipath = index_path(root, run_id)?;
    let key = json!(work_item_id);
    store::with_lock(&ipath, || {
        let mut index = load_index(&ipath);
        let Some(Value::Object(entry)) = index.iter_mut().find(|m| same_work_item(m, &key)) else {
            return Ok(());
        };
        entry.insert("stale".into(), json!(true));
        match reason {
            Some(r) => {
                entry.insert("stale_reason".into(), r);
            }
            None => {
                entry.shift_remove("stale_reason");
            }
        }
        store::write_json(&ipath, &Value::Array(index))
    })?;
    Ok(())
}

/// `isStale(projectRoot, runId, workItemId)`: the entry's `stale` value,
/// `false` when the entry or the value is missing.
pub fn is_stale(root: &Path, run_id: &str, work_item_id: &str) -> OxeResult<Value> {
    let key = json!(work_item_id);
    Ok(load_index(&index_path(root, run_id)?)
        .iter()
        .find(|m| same_work_item(m, &key))
        .and_then(|m| m.get("stale"))
        .filter(|s| !s.is_null())
        .cloned()
        .unwrap_or(json!(false)))
}

/// `listPackMeta(projectRoot, runId)`.
pub fn list_pack_meta(root: &Path, run_id: &str) -> OxeResult<Vec<Value>> {
    Ok(load_index(&index_path(root, run_id)?))
}

/// One artifact as `diffPacks` sees it: its id and `relevanceScore`
/// (`None` when the artifact has none).
pub type ScoredId = (Value, Option<Value>);

fn id_key(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(format!("s{s}")),
        Value::Number(n) => Some(format!(
            "n{}",
            crate::jsjson::number_to_js_string(n.as_f64().unwrap_or(f64::NAN) + 0.0)
        )),
        Value::Bool(b) => Some(format!("b{b}")),
        Value::Null => Some("null".into()),
        // two copied objects are never the same id
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// The ids of one pack: unique, in first-seen order (with their keys), and
/// the last score seen for each key.
struct IdSet<'a> {
    order: Vec<(Option<String>, &'a Value)>,
    last: HashMap<String, Option<&'a Value>>,
}

impl<'a> IdSet<'a> {
    fn new(items: &'a [ScoredId]) -> Self {
        let mut set = IdSet {
            order: Vec::new(),
            last: HashMap::new(),
        };
        for (id, score) in items {
            let key = id_key(id);
            if let Some(k) = &key {
                if set.last.insert(k.clone(), score.as_ref()).is_some() {
                    continue;
                }
            }
            set.order.push((key, id));
        }
        set
    }

    fn contains(&self, key: &Option<String>) -> bool {
        key.as_ref().is_some_and(|k| self.last.contains_key(k))
    }
}

/// `diffPacks(before, after)`: ids added and removed (in first-seen order)
/// and the common ids whose score moved by more than 0.05.
pub fn diff_packs(before: &[ScoredId], after: &[ScoredId]) -> Value {
    let (b, a) = (IdSet::new(before), IdSet::new(after));
    let only_in = |x: &IdSet, y: &IdSet| -> Vec<Value> {
        x.order
            .iter()
            .filter(|(k, _)| !y.contains(k))
            .map(|(_, id)| (*id).clone())
            .collect()
    };
    let (added, removed) = (only_in(&a, &b), only_in(&b, &a));
    let mut changed = Vec::new();
    for (k, id) in &a.order {
        let Some(k) = k else { continue };
        let Some(bs) = b.last.get(k).copied() else {
            continue;
        };
        let as_ = a.last.get(k).copied().flatten();
        if (js::to_number(bs) - js::to_number(as_)).abs() > 0.05 {
            let mut entry = Map::new();
            entry.insert("id".into(), (*id).clone());
            if let Some(v) = bs {
                entry.insert("before".into(), v.clone());
            }
            if let Some(v) = as_ {
                entry.insert("after".into(), v.clone());
            }
            changed.push(Value::Object(entry));
        }
    }
    json!({ "added": added, "removed": removed, "score_changed": changed })
}

/// `linkPackToAttempt(projectRoot, runId, attemptId, pack, quality)`:
/// writes and returns the `ContextPackRef`. `None` for the work item id or
/// the quality is JS `undefined` (left out of the file, as
/// `JSON.stringify` does).
pub fn link_pack_to_attempt(
    root: &Path,
    run_id: &str,
    attempt_id: &str,
    work_item_id: Option<&Value>,
    artifact_ids: Vec<Value>,
    quality: Option<Value>,
) -> OxeResult<Value> {
    let path = ref_path(root, run_id, attempt_id)?;
    let mut r = Map::new();
    r.insert("ref_id".into(), json!(format!("ref-{run_id}-{attempt_id}")));
    let wi_text = work_item_id.map_or_else(|| "undefined".to_string(), js_string);
    r.insert("pack_id".into(), json!(format!("cp-{run_id}-{wi_text}")));
    r.insert("attempt_id".into(), json!(attempt_id));
    if let Some(wi) = work_item_id {
        r.insert("work_item_id".into(), wi.clone());
    }
    r.insert("run_id".into(), json!(run_id));
    r.insert("artifacts_used".into(), Value::Array(artifact_ids));
    if let Some(q) = quality {
        r.insert("quality".into(), q);
    }
    r.insert("linked_at".into(), json!(clock::now_iso()));
    let r = Value::Object(r);
    store::write_json(&path, &r)?;
    Ok(r)
}

/// `getPackRefForAttempt(projectRoot, runId, attemptId)`.
pub fn get_pack_ref_for_attempt(
    root: &Path,
    run_id: &str,
    attempt_id: &str,
) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&ref_path(root, run_id, attempt_id)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsjson;

    fn tmp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("oxe-ctx-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        p
    }

    fn pack(wi: &str, contents: &[&str]) -> Value {
        let arts: Vec<Value> = contents
            .iter()
            .enumerate()
            .map(|(i, c)| json!({"id": format!("a{i}"), "kind": "evidence", "content": c, "relevanceScore": 0.5, "tags": []}))
            .collect();
        json!({"work_item_id": wi, "artifacts": arts, "total_artifacts_considered": 5, "redundancy_removed": 3, "built_at": "2026-01-01T00:00:00.000Z"})
    }

    #[test]
    fn save_load_and_index() {
        let root = tmp("save");
        let meta = save_pack(&root, "run-1", &pack("T1", &["test output passed", "🎉"])).unwrap();
        assert_eq!(
            jsjson::to_line(&meta),
            r#"{"pack_id":"cp-run-1-T1","work_item_id":"T1","run_id":"run-1","built_at":"2026-01-01T00:00:00.000Z","artifact_count":2,"estimated_tokens":5,"stale":false,"stale_reason":null}"#
        );
        let text =
            std::fs::read_to_string(root.join(".oxe/runs/run-1/context-pack-T1.json")).unwrap();
        assert_eq!(
            text,
            jsjson::to_pretty(&pack("T1", &["test output passed", "🎉"]))
        );
        assert_eq!(
            load_pack(&root, "run-1", "T1").unwrap(),
            Some(pack("T1", &["test output passed", "🎉"]))
        );
        assert_eq!(load_pack(&root, "run-1", "NOPE").unwrap(), None);

        save_pack(&root, "run-1", &pack("T2", &["x"])).unwrap();
        save_pack(&root, "run-1", &pack("T1", &["updated"])).unwrap();
        let metas = list_pack_meta(&root, "run-1").unwrap();
        assert_eq!(metas.len(), 2);
        assert_eq!(metas[0]["artifact_count"], json!(1));
        assert_eq!(metas[1]["work_item_id"], json!("T2"));

        assert_eq!(is_stale(&root, "run-1", "T2").unwrap(), json!(false));
        mark_stale(&root, "run-1", "T2", Some(json!("state changed"))).unwrap();
        assert_eq!(is_stale(&root, "run-1", "T2").unwrap(), json!(true));
        let metas = list_pack_meta(&root, "run-1").unwrap();
        assert_eq!(metas[1]["stale_reason"], json!("state changed"));
        mark_stale(&root, "run-1", "NOPE", None).unwrap();
        assert_eq!(is_stale(&root, "run-x", "NOPE").unwrap(), json!(false));
        assert!(list_pack_meta(&root, "run-x").unwrap().is_empty());
    }

    #[test]
    fn bad_ids_and_bad_index() {
        let root = tmp("bad");
        let e = save_pack(&root, "r", &pack("../../x", &[])).unwrap_err();
        assert_eq!(e.code(), "OXE_E_PATH");
        let e = save_pack(&root, "r", &json!({"work_item_id": 5, "artifacts": []})).unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
        assert_eq!(
            get_pack_ref_for_attempt(&root, "r", "../../a")
                .unwrap_err()
                .code(),
            "OXE_E_PATH"
        );
        // an id with a slash lands in a subdirectory, as in 1.4.0
        save_pack(&root, "r", &pack("a/b", &[])).unwrap();
        assert!(root.join(".oxe/runs/r/context-pack-a/b.json").exists());

        let ipath = index_path(&root, "r").unwrap();
        std::fs::write(&ipath, "{\"not\": \"an array\"}").unwrap();
        assert!(list_pack_meta(&root, "r").unwrap().is_empty());
        assert!(!ipath.exists());
        let _ = store::take_diagnostics();
    }

    #[test]
    fn diff() {
        let s = |id: &str, score: f64| (json!(id), Some(json!(score)));
        let before = [s("a1", 0.9), s("a2", 0.6)];
        let after = [s("a1", 0.5), s("a3", 0.8)];
        assert_eq!(
            jsjson::to_line(&diff_packs(&before, &after)),
            r#"{"added":["a3"],"removed":["a2"],"score_changed":[{"id":"a1","before":0.9,"after":0.5}]}"#
        );
        assert_eq!(
            jsjson::to_line(&diff_packs(&before, &before)),
            r#"{"added":[],"removed":[],"score_changed":[]}"#
        );
        // a missing score is NaN: never "changed"
        let after = [(json!("a1"), None)];
        assert_eq!(diff_packs(&before, &after)["score_changed"], json!([]));
    }

    #[test]
    fn refs() {
        let root = tmp("refs");
        let r = link_pack_to_attempt(
            &root,
            "run-1",
            "attempt-1",
            Some(&json!("T1")),
            vec![json!("a0")],
            Some(json!({"overall": 0.9})),
        )
        .unwrap();
        assert_eq!(r["ref_id"], json!("ref-run-1-attempt-1"));
        assert_eq!(r["pack_id"], json!("cp-run-1-T1"));
        assert_eq!(
            get_pack_ref_for_attempt(&root, "run-1", "attempt-1").unwrap(),
            Some(r)
        );
        assert_eq!(
            get_pack_ref_for_attempt(&root, "run-1", "nope").unwrap(),
            None
        );
    }
}
