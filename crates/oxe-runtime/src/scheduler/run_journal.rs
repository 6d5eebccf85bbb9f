//! The run journal, `.oxe/runs/<runId>/journal.json`: what a run completed,
//! failed, blocked and is waiting on, so a paused run can be recovered.
//! Written atomically (temp + fsync + rename); a corrupt journal is moved
//! aside and reported, and loads as `null` as in 1.4.0.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::error::{OxeError, OxeResult};
use crate::paths::run_dir;
use crate::store;

pub fn journal_path(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join("journal.json"))
}

/// `createJournal(runId)`.
pub fn create_journal(run_id: &str) -> Value {
    json!({
        "run_id": run_id,
        "paused_at": null,
        "cancelled": false,
        "eligible_work_items": [],
        "completed_work_items": [],
        "failed_work_items": [],
        "blocked_work_items": [],
        "pending_gates": [],
        "replay_cursor": null,
        "scheduler_state": "running",
        "partial_result": null,
    })
}

/// `saveJournal(projectRoot, runId, journal)`.
pub fn save_journal(root: &Path, run_id: &str, journal: &Value) -> OxeResult<()> {
    if !journal.is_object() {
        return Err(OxeError::Arg(
            "saveJournal: journal must be an object".into(),
        ));
    }
    store::write_json(&journal_path(root, run_id)?, journal)?;
    Ok(())
}

/// `saveJournal` for a journal the caller already rendered as
/// `JSON.stringify(journal, null, 2)` (the JS glue does, so the bytes are
/// exactly 1.4.0's). Only a JSON object is accepted.
pub fn save_journal_text(root: &Path, run_id: &str, pretty: &str) -> OxeResult<()> {
    if !pretty.starts_with('{') {
        return Err(OxeError::Arg(
            "saveJournal: journal must be an object".into(),
        ));
    }
    store::write_atomic(&journal_path(root, run_id)?, pretty.as_bytes())?;
    Ok(())
}

/// `loadJournal` as JSON text (checked to parse; a corrupt file is moved
/// aside and reported), for callers that parse it themselves.
pub fn load_journal_text(root: &Path, run_id: &str) -> OxeResult<Option<String>> {
    Ok(store::read_json_text(&journal_path(root, run_id)?))
}

/// `loadJournal(projectRoot, runId)`: `None` when missing or unreadable.
pub fn load_journal(root: &Path, run_id: &str) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&journal_path(root, run_id)?))
}

/// `deleteJournal(projectRoot, runId)`: a missing file is not an error.
pub fn delete_journal(root: &Path, run_id: &str) -> OxeResult<()> {
    let p = journal_path(root, run_id)?;
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(store::StoreError::Io { path: p, source: e }.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_delete() {
        let root = std::env::temp_dir().join(format!("oxe-journal-{}", std::process::id()));
        let j = create_journal("run-1");
        save_journal(&root, "run-1", &j).unwrap();
        let text = std::fs::read_to_string(root.join(".oxe/runs/run-1/journal.json")).unwrap();
        assert!(text.starts_with("{\n  \"run_id\": \"run-1\",\n  \"paused_at\": null,"));
        assert!(text.ends_with("\"partial_result\": null\n}"));
        assert_eq!(load_journal(&root, "run-1").unwrap(), Some(j));
        delete_journal(&root, "run-1").unwrap();
        delete_journal(&root, "run-1").unwrap();
        assert_eq!(load_journal(&root, "run-1").unwrap(), None);
        assert_eq!(
            load_journal(&root, "../x").unwrap_err().code(),
            "OXE_E_PATH"
        );
    }

    #[test]
    fn corrupt_journal_is_quarantined() {
        let root = std::env::temp_dir().join(format!("oxe-journal-c-{}", std::process::id()));
        let p = journal_path(&root, "r").unwrap();
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "{\"run_id\": ").unwrap();
        assert_eq!(load_journal(&root, "r").unwrap(), None);
        assert!(!p.exists());
        let moved = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("journal.json.corrupt-")
            });
        assert!(moved);
    }
}
