//! run journal: save/load/delete/create.

use std::path::Path;

use napi_derive::napi;
use oxe_runtime::jsjson;
use oxe_runtime::scheduler::run_journal;

use crate::guard::guard;

#[napi(js_name = "saveJournal")]
pub fn save_journal(
    project_root: String,
    run_id: String,
    journal: String,
) -> napi::Result<(), String> {
    guard("saveJournal", || {
        run_journal::save_journal_text(Path::new(&project_root), &run_id, &journal)
    })
}

/// The journal's JSON text, or `null`.
#[napi(js_name = "loadJournal")]
pub fn load_journal(project_root: String, run_id: String) -> napi::Result<Option<String>, String> {
    guard("loadJournal", || {
        Ok(
            run_journal::load_journal(Path::new(&project_root), &run_id)?
                .map(|v| jsjson::to_line(&v)),
        )
    })
}

#[napi(js_name = "deleteJournal")]
pub fn delete_journal(project_root: String, run_id: String) -> napi::Result<(), String> {
    guard("deleteJournal", || {
        run_journal::delete_journal(Path::new(&project_root), &run_id)
    })
}

#[napi(js_name = "createJournal")]
pub fn create_journal(run_id: String) -> napi::Result<String, String> {
    guard("createJournal", || {
        Ok(jsjson::to_line(&run_journal::create_journal(&run_id)))
    })
}
