//! `renderAssets(packageRoot)`: turns the canonical sources under
//! `assets/` into the folders 1.4.0's package ships (see ASSETS-FORMAT):
//! `oxe/{workflows,templates,personas,schemas}` (copies),
//! `.github/prompts/*.prompt.md`, `.cursor/commands/*.md` and
//! `commands/oxe/*.md` (wrappers with the nine runtime metadata lines and
//! the reasoning-contract block), `.github/copilot-instructions.md` and
//! `AGENTS.md` (copies).
//!
//! Idempotent: a file is written (durably, temp + rename) only when its
//! bytes change, and rendered files the sources no longer produce are
//! removed. Only paths the renderer owns are touched.
//!
//! Files: [`source`] (command sources), [`wrappers`] (the three wrapper
//! formats), [`sync`] (mirrored writes and stale-file removal).

pub mod source;
pub mod sync;
#[cfg(test)]
mod tests;
pub mod wrappers;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::runtime_semantics::Semantics;
use sync::Sync;

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `assets/` is missing from the package root.
    #[error("no assets folder at {0}")]
    NoAssets(PathBuf),
    /// A command source is malformed.
    #[error("{file}: {message}")]
    BadSource { file: PathBuf, message: String },
    /// A file could not be read, written or removed.
    #[error(transparent)]
    Store(#[from] oxe_runtime::store::StoreError),
}

/// The asset folders copied as they are to `oxe/<name>`.
pub const COPIED_DIRS: [&str; 4] = ["workflows", "templates", "personas", "schemas"];

/// Renders everything under `package_root` and returns a summary:
/// `{packageRoot, contractVersion, written, unchanged, removed,
/// prompts, cursor, commands}` (the last three: wrapper counts).
pub fn render_assets(package_root: &Path) -> Result<Value, RenderError> {
    let assets = package_root.join("assets");
    if !assets.is_dir() {
        return Err(RenderError::NoAssets(assets));
    }
    let mut sync = Sync::default();
    for name in COPIED_DIRS {
        sync.mirror_dir(&assets.join(name), &package_root.join("oxe").join(name))?;
    }
    // the registry is read from the copy just made, as at run time
    let sem = Semantics::load(package_root);
    let sources = source::read_command_sources(&assets.join("commands"))?;
    let sets = wrappers::render_all(&sem, &sources);
    let prompts = package_root.join(".github").join("prompts");
    let cursor = package_root.join(".cursor").join("commands");
    let commands = package_root.join("commands").join("oxe");
    sync.replace_owned(&prompts, &sets.prompts, wrappers::owns_prompt)?;
    sync.replace_owned(&cursor, &sets.cursor, wrappers::owns_cursor)?;
    sync.replace_owned(&commands, &sets.commands, |n| n.ends_with(".md"))?;
    for (src, dst) in [
        (
            assets.join("copilot-instructions.md"),
            package_root.join(".github").join("copilot-instructions.md"),
        ),
        (assets.join("AGENTS.md"), package_root.join("AGENTS.md")),
    ] {
        sync.copy_file(&src, &dst)?;
    }
    Ok(json!({
        "packageRoot": package_root.to_string_lossy(),
        "contractVersion": sem.contract_version(),
        "written": sync.written,
        "unchanged": sync.unchanged,
        "removed": sync.removed,
        "prompts": sets.prompts.len(),
        "cursor": sets.cursor.len(),
        "commands": sets.commands.len(),
    }))
}
