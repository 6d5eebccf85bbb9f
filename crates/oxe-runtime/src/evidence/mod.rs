//! The evidence store: artifacts that prove a work item's attempt did what
//! it claims (stdout, diffs, reports…), one directory per attempt under
//! `.oxe/evidence/runs/<run>/<workItem>/attempt-<n>/`, described by that
//! directory's `index.json` (a pretty-printed array of Evidence records).
//!
//! Layout, file names, ids, checksums and JSON bytes are those of oxe-cc
//! 1.4.0. Beyond 1.4.0:
//! * ids that would leave `.oxe/evidence/` (`..`, absolute paths, NUL) and
//!   types that are not plain file names are rejected with `OXE_E_PATH`,
//!   and so is an index entry whose `path` points outside `.oxe/evidence/`;
//! * the index is replaced atomically (temp file + rename) while holding a
//!   cross-process lock, so concurrent collectors never lose an entry;
//! * a corrupt index is moved aside and reported instead of being silently
//!   overwritten;
//! * `path` entries written on Windows (with `\`) are read on any OS.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::paths::safe_segments;
use crate::store::{self, StoreError};

/// Where one attempt's evidence lives, from `EvidenceCollectOptions`.
#[derive(Debug, Clone)]
pub struct Attempt {
    run_id: String,
    work_item_id: String,
    /// `attempt_number` as JS renders it in a template string.
    attempt: String,
    /// Path segments below `.oxe/evidence/`.
    segments: Vec<String>,
}

impl Attempt {
    /// Reads `{work_item_id, run_id, attempt_number}`; `what` names the
    /// calling method in error messages.
    pub fn from_opts(what: &str, opts: &Value) -> OxeResult<Attempt> {
        let Some(o) = opts.as_object() else {
            return Err(OxeError::Arg(format!(
                "{what}: opts must be an object {{work_item_id, run_id, attempt_number}}"
            )));
        };
        let text = |k: &str| -> OxeResult<String> {
            match o.get(k) {
                Some(Value::String(s)) => Ok(s.clone()),
                other => Err(OxeError::Arg(format!(
                    "{what}: opts.{k} must be a string, got {}",
                    describe(other)
                ))),
            }
        };
        let run_id = text("run_id")?;
        let work_item_id = text("work_item_id")?;
        let attempt = template(o.get("attempt_number"));
        let mut segments = vec!["runs".to_string()];
        let attempt_dir = format!("attempt-{attempt}");
        for (name, id) in [
            ("opts.run_id", run_id.as_str()),
            ("opts.work_item_id", work_item_id.as_str()),
            ("opts.attempt_number", attempt_dir.as_str()),
        ] {
            segments.extend(safe_segments(name, id)?.into_iter().map(str::to_string));
        }
        Ok(Attempt {
            run_id,
            work_item_id,
            attempt,
            segments,
        })
    }

    fn dir(&self, root: &Path) -> PathBuf {
        let mut p = evidence_root(root);
        p.extend(&self.segments);
        p
    }

    fn index_path(&self, root: &Path) -> PathBuf {
        self.dir(root).join("index.json")
    }
}

/// JS template-literal rendering of an optional value (`undefined` when absent).
pub(crate) fn template(v: Option<&Value>) -> String {
    match v {
        None => "undefined".to_string(),
        Some(v) => jsjson::js_string(v),
    }
}

fn describe(v: Option<&Value>) -> &'static str {
    match v {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

fn evidence_root(root: &Path) -> PathBuf {
    root.join(".oxe").join("evidence")
}

/// File extension per evidence type; anything else is `bin`.
pub fn extension(ty: &str) -> &'static str {
    match ty {
        "diff" => "patch",
        "stdout" | "stderr" | "log" => "txt",
        "junit_xml" => "xml",
        "coverage" | "trace" | "security_report" | "api_output" | "summary" => "json",
        "screenshot" => "png",
        _ => "bin",
    }
}

/// First 16 hex chars of sha256 over the bytes.
pub fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(16);
    for b in digest.iter().take(8) {
        s.push(clock::HEX[(b >> 4) as usize] as char);
        s.push(clock::HEX[(b & 15) as usize] as char);
    }
    s
}

/// Replaces `path` with `bytes` so that readers and a crash only ever see
/// the old or the new content: a temp file in the same directory renamed
/// over the target. With `OXE_DURABILITY=strict` the data and the rename
/// are also fsynced ([`store::write_atomic`]).
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if store::durability() == store::Durability::Strict {
        return store::write_atomic(path, bytes);
    }
    let dir = parent_of(path);
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    replace_in_dir(path, bytes)
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// [`replace_file`] when the directory is known to exist.
fn replace_in_dir(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if store::durability() == store::Durability::Strict {
        return store::write_atomic(path, bytes);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(96).collect::<String>())
        .unwrap_or_default();
    let tmp = parent_of(path).join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        clock_free_suffix()
    ));
    let result = (|| -> io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::io(path, e));
    }
    Ok(())
}

/// A per-process unique suffix for temp names that does not touch the
/// (possibly seeded) test random source.
fn clock_free_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{:x}{:08x}", N.fetch_add(1, Ordering::Relaxed), nanos)
}

/// The index of one attempt: `[]` when missing; a corrupt index (bad JSON
/// or not an array) is moved aside, reported, and read as `[]`.
fn read_index(path: &Path) -> Vec<Value> {
    match store::read_json(path) {
        None => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            store::quarantine(path, "evidence index is not a JSON array");
            Vec::new()
        }
    }
}

/// `collect(type, content, opts)`: writes the artifact, appends its record
/// to the index and returns the record
/// `{evidence_id, attempt_id, type, path, checksum, created_at}`.
pub fn collect(root: &Path, ty: &Value, content: &[u8], opts: &Value) -> OxeResult<Value> {
    let at = Attempt::from_opts("EvidenceStore.collect", opts)?;
    let type_text = jsjson::js_string(ty);
    if type_text.is_empty()
        || type_text == "."
        || type_text == ".."
        || type_text.contains(['/', '\\', '\0'])
    {
        return Err(OxeError::Path(format!(
            "EvidenceStore.collect: evidence type {type_text:?} is not a plain file name"
        )));
    }
    let ext = match ty {
        Value::String(s) => extension(s),
        _ => "bin",
    };
    let dir = at.dir(root);
    let index_path = at.index_path(root);
    // with_lock creates the directory (it holds the lock file too).
    let evidence = store::with_lock(&index_path, || {
        let mut items = read_index(&index_path);
        let same = items
            .iter()
            .filter(|e| e.get("type").is_some_and(|t| t == ty))
            .count();
        let seq = same + 1;
        let filename = if seq == 1 {
            format!("{type_text}.{ext}")
        } else {
            format!("{type_text}-{seq}.{ext}")
        };
        let file = dir.join(&filename);
        fs::write(&file, content).map_err(|e| StoreError::io(&file, e))?;
        let sep = std::path::MAIN_SEPARATOR_STR;
        let mut rel = String::with_capacity(64);
        rel.push_str(".oxe");
        rel.push_str(sep);
        rel.push_str("evidence");
        for s in &at.segments {
            rel.push_str(sep);
            rel.push_str(s);
        }
        rel.push_str(sep);
        rel.push_str(&filename);
        let mut ev = Map::new();
        ev.insert(
            "evidence_id".into(),
            Value::String(format!(
                "ev-{}-{}-a{}-{}-{}",
                at.run_id, at.work_item_id, at.attempt, type_text, seq
            )),
        );
        ev.insert(
            "attempt_id".into(),
            Value::String(format!("{}-a{}", at.work_item_id, at.attempt)),
        );
        ev.insert("type".into(), ty.clone());
        ev.insert("path".into(), Value::String(rel));
        ev.insert("checksum".into(), Value::String(checksum(content)));
        ev.insert("created_at".into(), Value::String(clock::now_iso()));
        let ev = Value::Object(ev);
        items.push(ev.clone());
        let text = jsjson::to_pretty(&Value::Array(items));
        replace_in_dir(&index_path, text.as_bytes())?;
        Ok(ev)
    })?;
    Ok(evidence)
}

/// `list(opts)`: the attempt's index (`[]` when missing or corrupt).
pub fn list(root: &Path, opts: &Value) -> OxeResult<Vec<Value>> {
    let at = Attempt::from_opts("EvidenceStore.list", opts)?;
    Ok(read_index(&at.index_path(root)))
}

/// Resolves an index entry's `path` (relative to the project root, with
/// either separator) to a file under `.oxe/evidence/`.
fn artifact_path(root: &Path, rel: &str) -> OxeResult<PathBuf> {
    let segs = safe_segments("evidence path", rel)?;
    if segs.len() < 3 || segs[0] != ".oxe" || segs[1] != "evidence" {
        return Err(OxeError::Path(format!(
            "evidence path {rel:?} is outside .oxe/evidence/"
        )));
    }
    let mut p = root.to_path_buf();
    p.extend(segs);
    Ok(p)
}

/// `get(evidenceId, opts)`: the record and the artifact's bytes, `None` when
/// the id is not indexed or the artifact is gone.
pub fn get(root: &Path, evidence_id: &Value, opts: &Value) -> OxeResult<Option<(Value, Vec<u8>)>> {
    let at = Attempt::from_opts("EvidenceStore.get", opts)?;
    let items = read_index(&at.index_path(root));
    let Some(ev) = items.into_iter().find(|e| {
        e.get("evidence_id")
            .is_some_and(|id| same_value(id, evidence_id))
    }) else {
        return Ok(None);
    };
    let rel = match ev.get("path") {
        Some(Value::String(s)) => s.clone(),
        other => {
            return Err(OxeError::Arg(format!(
                "EvidenceStore.get: the index entry's path must be a string, got {}",
                describe(other)
            )))
        }
    };
    let file = artifact_path(root, &rel)?;
    match fs::read(&file) {
        Ok(bytes) => Ok(Some((ev, bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(&file, e).into()),
    }
}

/// Strict equality of two JSON values as JS `===` sees primitives.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

fn sorted_entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = rd
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out
}

/// `listByRun(runId)`: every attempt's index of the run, work items and
/// attempts in byte order of their directory names; corrupt indexes are
/// skipped (moved aside and reported).
pub fn list_by_run(root: &Path, run_id: &str) -> OxeResult<Vec<Value>> {
    let mut run_dir = evidence_root(root).join("runs");
    for s in safe_segments("runId", run_id)? {
        run_dir.push(s);
    }
    let mut all = Vec::new();
    for (_, wi_dir) in sorted_entries(&run_dir) {
        if !wi_dir.is_dir() {
            continue;
        }
        for (_, attempt_dir) in sorted_entries(&wi_dir) {
            let index = attempt_dir.join("index.json");
            if index.is_file() {
                all.extend(read_index(&index));
            }
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tmp() -> PathBuf {
        let p = std::env::temp_dir().join(format!(
            "oxe-ev-{}-{}",
            std::process::id(),
            clock_free_suffix()
        ));
        fs::create_dir_all(&p).unwrap();
        p
    }

    fn opts(run: &str, wi: &str, n: u32) -> Value {
        json!({"work_item_id": wi, "run_id": run, "attempt_number": n})
    }

    #[test]
    fn collect_list_get_round_trip() {
        let root = tmp();
        let o = opts("r1", "T1", 1);
        let a = collect(&root, &json!("stdout"), b"hello", &o).unwrap();
        let b = collect(&root, &json!("stdout"), b"again", &o).unwrap();
        let c = collect(&root, &json!("weird"), &[0, 159, 146, 150], &o).unwrap();
        assert_eq!(a["evidence_id"], "ev-r1-T1-a1-stdout-1");
        assert_eq!(b["evidence_id"], "ev-r1-T1-a1-stdout-2");
        assert_eq!(a["attempt_id"], "T1-a1");
        assert_eq!(a["path"], ".oxe/evidence/runs/r1/T1/attempt-1/stdout.txt");
        assert_eq!(b["path"], ".oxe/evidence/runs/r1/T1/attempt-1/stdout-2.txt");
        assert_eq!(c["path"], ".oxe/evidence/runs/r1/T1/attempt-1/weird.bin");
        assert_eq!(a["checksum"], "2cf24dba5fb0a30e");
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "evidence_id",
                "attempt_id",
                "type",
                "path",
                "checksum",
                "created_at"
            ]
        );
        let items = list(&root, &o).unwrap();
        assert_eq!(items.len(), 3);
        let text =
            fs::read_to_string(root.join(".oxe/evidence/runs/r1/T1/attempt-1/index.json")).unwrap();
        assert_eq!(text, jsjson::to_pretty(&Value::Array(items)));
        let (ev, bytes) = get(&root, &json!("ev-r1-T1-a1-weird-1"), &o)
            .unwrap()
            .unwrap();
        assert_eq!(ev, c);
        assert_eq!(bytes, vec![0, 159, 146, 150]);
        assert!(get(&root, &json!("ev-none"), &o).unwrap().is_none());
        fs::remove_file(root.join(".oxe/evidence/runs/r1/T1/attempt-1/stdout.txt")).unwrap();
        assert!(get(&root, &json!("ev-r1-T1-a1-stdout-1"), &o)
            .unwrap()
            .is_none());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn list_by_run_walks_sorted() {
        let root = tmp();
        collect(&root, &json!("diff"), b"d", &opts("r", "T2", 1)).unwrap();
        collect(&root, &json!("log"), b"l", &opts("r", "T1", 2)).unwrap();
        collect(&root, &json!("log"), b"l", &opts("r", "T1", 10)).unwrap();
        fs::write(root.join(".oxe/evidence/runs/r/stray-file"), b"x").unwrap();
        let all = list_by_run(&root, "r").unwrap();
        let ids: Vec<&str> = all
            .iter()
            .map(|e| e["evidence_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["ev-r-T1-a10-log-1", "ev-r-T1-a2-log-1", "ev-r-T2-a1-diff-1"]
        );
        assert!(list_by_run(&root, "nope").unwrap().is_empty());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn escapes_are_rejected() {
        let root = &tmp();
        for o in [
            opts("../x", "T1", 1),
            opts("r", "../../x", 1),
            opts("/abs", "T1", 1),
            opts("r\0", "T1", 1),
            json!({"work_item_id": "T", "run_id": "r", "attempt_number": "1/../../../x"}),
        ] {
            let e = collect(root, &json!("stdout"), b"x", &o).unwrap_err();
            assert_eq!(e.code(), "OXE_E_PATH", "{o}");
            assert_eq!(list(root, &o).unwrap_err().code(), "OXE_E_PATH");
        }
        for t in ["../x", "a/b", "..", "a\\b"] {
            let e = collect(root, &json!(t), b"x", &opts("r", "T", 1)).unwrap_err();
            assert_eq!(e.code(), "OXE_E_PATH", "{t}");
        }
        assert_eq!(list_by_run(root, "../..").unwrap_err().code(), "OXE_E_PATH");
        let e = collect(root, &json!("stdout"), b"x", &json!({"run_id": 1})).unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
        assert_eq!(
            fs::read_dir(root).unwrap().count(),
            0,
            "nothing was written"
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn tampered_index_path_is_rejected_and_backslashes_read() {
        let root = tmp();
        let o = opts("r", "T", 1);
        collect(&root, &json!("log"), b"abc", &o).unwrap();
        let idx = root.join(".oxe/evidence/runs/r/T/attempt-1/index.json");
        let mut items = list(&root, &o).unwrap();
        items[0]["path"] = json!("../../etc/passwd");
        items.push(
            json!({"evidence_id": "win", "path": ".oxe\\evidence\\runs\\r\\T\\attempt-1\\log.txt"}),
        );
        fs::write(&idx, jsjson::to_pretty(&Value::Array(items))).unwrap();
        let e = get(&root, &json!("ev-r-T-a1-log-1"), &o).unwrap_err();
        assert_eq!(e.code(), "OXE_E_PATH");
        let (_, bytes) = get(&root, &json!("win"), &o).unwrap().unwrap();
        assert_eq!(bytes, b"abc");
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn corrupt_index_is_moved_aside() {
        let root = tmp();
        let o = opts("r", "T", 1);
        let dir = root.join(".oxe/evidence/runs/r/T/attempt-1");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.json"), b"[{\"evidence_id\":").unwrap();
        assert!(list(&root, &o).unwrap().is_empty());
        let ev = collect(&root, &json!("log"), b"x", &o).unwrap();
        assert_eq!(ev["evidence_id"], "ev-r-T-a1-log-1");
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("index.json.corrupt-")),
            "{names:?}"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
