//! Delivery records under `.oxe/runs/<run>/`: `commit-record.json`,
//! `promotion-record.json`, `pr-link.json` and (beyond 1.4.0)
//! `promotion-intent.json`. JSON files are written atomically with
//! 1.4.0's bytes (`JSON.stringify(v, null, 2)`); loads return `None` for a
//! missing or unreadable file, as 1.4.0 does, and a corrupt record is moved
//! aside and reported.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{OxeError, OxeResult};
use crate::paths;
use crate::plugins::node_path;
use crate::store;

/// The files this module knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Commit,
    Promotion,
    PrLink,
    PromotionIntent,
}

impl RecordKind {
    pub fn file_name(self) -> &'static str {
        match self {
            RecordKind::Commit => "commit-record.json",
            RecordKind::Promotion => "promotion-record.json",
            RecordKind::PrLink => "pr-link.json",
            RecordKind::PromotionIntent => "promotion-intent.json",
        }
    }

    pub fn parse(s: &str) -> OxeResult<RecordKind> {
        Ok(match s {
            "commit" => RecordKind::Commit,
            "promotion" => RecordKind::Promotion,
            "pr-link" => RecordKind::PrLink,
            "intent" => RecordKind::PromotionIntent,
            other => return Err(OxeError::Arg(format!("unknown delivery record {other:?}"))),
        })
    }
}

/// `path.join(projectRoot, '.oxe', 'runs', runId, <file>)`, refusing run
/// ids that would leave `.oxe/runs/`.
pub fn record_path(root: &str, run_id: &str, kind: RecordKind) -> OxeResult<String> {
    if run_id.is_empty() {
        return Err(OxeError::Arg("runId must be a non-empty string".into()));
    }
    let segs = paths::safe_segments("runId", run_id)?;
    let mut parts = vec![root, ".oxe", "runs"];
    parts.extend(segs);
    parts.push(kind.file_name());
    Ok(node_path::join(&parts))
}

fn path_of(root: &str, run_id: &str, kind: RecordKind) -> OxeResult<PathBuf> {
    Ok(PathBuf::from(record_path(root, run_id, kind)?))
}

/// Writes a record (pretty JSON, no trailing newline, atomic).
pub fn save(root: &str, run_id: &str, kind: RecordKind, record: &Value) -> OxeResult<()> {
    store::write_json(&path_of(root, run_id, kind)?, record)?;
    Ok(())
}

/// Reads a record; `None` when missing or corrupt (a corrupt file is moved
/// aside and reported).
pub fn load(root: &str, run_id: &str, kind: RecordKind) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&path_of(root, run_id, kind)?))
}

/// How `pr-link.json` reads.
#[derive(Clone, Debug, PartialEq)]
pub enum PrLinkRead {
    Missing,
    /// Present but unreadable or unparsable (left in place: the link is
    /// derived from `promotion-record.json` and is rebuilt from it).
    Unreadable,
    Ok(Value),
}

/// Reads `pr-link.json` without moving a corrupt file aside.
pub fn read_pr_link(root: &str, run_id: &str) -> OxeResult<PrLinkRead> {
    let p = path_of(root, run_id, RecordKind::PrLink)?;
    if !p.exists() {
        return Ok(PrLinkRead::Missing);
    }
    let text = match std::fs::read(&p) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => return Ok(PrLinkRead::Unreadable),
    };
    match crate::jsjson::parse(&text) {
        Ok(v) => Ok(PrLinkRead::Ok(v)),
        Err(e) => {
            store::report(store::Diagnostic::new(
                store::W_CORRUPT_FILE,
                Path::new(&p),
                format!(
                    "pr-link.json is not valid JSON ({e}); using promotion-record.json instead"
                ),
            ));
            Ok(PrLinkRead::Unreadable)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_round_trip() {
        assert_eq!(
            record_path("/p/", "run-1", RecordKind::Commit).unwrap(),
            "/p/.oxe/runs/run-1/commit-record.json"
        );
        assert_eq!(
            record_path(".", "r", RecordKind::Promotion).unwrap(),
            ".oxe/runs/r/promotion-record.json"
        );
        assert_eq!(
            record_path("/p", "../x", RecordKind::Commit)
                .unwrap_err()
                .code(),
            "OXE_E_PATH"
        );
        let root = std::env::temp_dir().join(format!("oxe-records-{}", std::process::id()));
        let root_s = root.to_str().unwrap();
        let rec = json!({"run_id": "r", "coverage": 1.5, "n": null});
        save(root_s, "r", RecordKind::Commit, &rec).unwrap();
        let text = std::fs::read_to_string(root.join(".oxe/runs/r/commit-record.json")).unwrap();
        assert_eq!(
            text,
            "{\n  \"run_id\": \"r\",\n  \"coverage\": 1.5,\n  \"n\": null\n}"
        );
        assert_eq!(load(root_s, "r", RecordKind::Commit).unwrap(), Some(rec));
        assert_eq!(load(root_s, "none", RecordKind::Commit).unwrap(), None);
        std::fs::write(root.join(".oxe/runs/r/pr-link.json"), "{oops").unwrap();
        assert_eq!(read_pr_link(root_s, "r").unwrap(), PrLinkRead::Unreadable);
        assert!(root.join(".oxe/runs/r/pr-link.json").exists());
        assert_eq!(read_pr_link(root_s, "x").unwrap(), PrLinkRead::Missing);
        let _ = std::fs::remove_dir_all(&root);
    }
}
