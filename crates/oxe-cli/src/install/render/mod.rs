//! One renderer per target. Each turns the package's rendered folders
//! (`.cursor/commands`, `.github/prompts`, `oxe/…`, `commands/oxe`) into
//! the [`Plan`] entries of its destination, in 1.4.0's file names and
//! formats. Nothing here writes.

pub mod antigravity;
pub mod codex;
pub mod copilot_cli;
pub mod copilot_vscode;
pub mod cursor;
pub mod gemini;
pub mod opencode;
pub mod repo;
pub mod skill;
pub mod windsurf;

use std::path::{Path, PathBuf};

use super::plan::{Plan, Planned};
use super::text::{adjust_workflow_paths, is_rewritable};

/// Names in `dir` (files only), sorted; empty when it does not exist.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false) || e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// `oxe-*.md` names of a command folder, sorted.
pub fn oxe_command_names(dir: &Path) -> Vec<String> {
    file_names(dir)
        .into_iter()
        .filter(|n| n.starts_with("oxe-") && n.ends_with(".md"))
        .collect()
}

/// Each readable `oxe-*.md` of `commands` as `(name, source, text)`, in
/// name order, path-rewritten when `rewrite`; see [`read_source`] for the
/// unreadable ones.
pub fn read_commands(
    plan: &mut Plan,
    commands: &Path,
    rewrite: bool,
) -> Vec<(String, std::path::PathBuf, String)> {
    oxe_command_names(commands)
        .into_iter()
        .filter_map(|name| {
            let src = commands.join(&name);
            read_source(plan, &src, rewrite).map(|text| (name, src, text))
        })
        .collect()
}

/// The text of a source file, path-rewritten when `rewrite`; `None` (and
/// a warning) when it cannot be read.
pub fn read_source(plan: &mut Plan, src: &Path, rewrite: bool) -> Option<String> {
    match std::fs::read(src) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Some(if rewrite {
                adjust_workflow_paths(&text)
            } else {
                text
            })
        }
        Err(e) => {
            plan.warnings.push(format!("{}: {e}", src.display()));
            None
        }
    }
}

/// Every file under `src` copied to the same place under `dest`; text
/// assets (`.md`, `.mdc`) path-rewritten when `rewrite`.
pub fn copy_tree(target: &'static str, src: &Path, dest: &Path, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    copy_tree_into(&mut plan, target, src, dest, rewrite);
    plan
}

fn copy_tree_into(plan: &mut Plan, target: &'static str, src: &Path, dest: &Path, rewrite: bool) {
    let mut entries: Vec<(String, PathBuf, bool)> = match std::fs::read_dir(src) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| {
                let p = e.path();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    p.clone(),
                    p.is_dir(),
                )
            })
            .collect(),
        Err(_) => return,
    };
    entries.sort();
    for (name, path, is_dir) in entries {
        let to = dest.join(&name);
        if is_dir {
            copy_tree_into(plan, target, &path, &to, rewrite);
            continue;
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                plan.warnings.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let bytes = if rewrite && is_rewritable(&name) {
            adjust_workflow_paths(&String::from_utf8_lossy(&bytes)).into_bytes()
        } else {
            bytes
        };
        plan.push(Planned::bytes(target, "file", path, to, bytes));
    }
}
