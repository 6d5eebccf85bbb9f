//! Applying a [`Plan`]: every write atomic (temp file + rename), so an
//! interrupted install leaves each file old or new and can be re-run.
//!
//! Modes:
//! * install — a missing file is written; an existing one is left alone
//!   unless `--force`;
//! * update — a file still matching the hash recorded when it was
//!   installed is replaced; a file the user changed is kept and the new
//!   version is written beside it as `<file>.oxe-new`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::manifest::sha256_bytes;
use super::plan::{Content, Planned};
use super::text::{INST_BEGIN, INST_END};

/// Suffix of the new version written beside a file the user edited.
pub const NEW_SUFFIX: &str = ".oxe-new";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Install { force: bool },
    Update,
}

/// What happened to one planned file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Written (created or replaced); carries the new bytes' sha256.
    Written {
        hash: String,
        replaced: bool,
    },
    /// Already had the planned bytes.
    Unchanged {
        hash: String,
    },
    /// Left alone: it exists and this is an install without `--force`.
    /// `has_block` tells, for the Copilot instructions, whether the OXE
    /// block is already there.
    Skipped {
        has_block: bool,
    },
    /// Kept because the user changed it; the new version is at `new_path`.
    KeptUserEdit {
        new_path: PathBuf,
    },
    Failed {
        reason: String,
    },
}

/// `existing` with the OXE block replaced by `block` (or appended after a
/// blank line when it has none); stray end markers left by 1.4.0 right
/// after the block are dropped.
pub fn merge_instructions(existing: &str, block: &str) -> String {
    let block_trim = block.trim_end_matches('\n');
    if let Some(b) = existing.find(INST_BEGIN) {
        if let Some(e) = existing[b..].find(INST_END).map(|e| b + e + INST_END.len()) {
            let mut tail = &existing[e..];
            loop {
                let t = tail.trim_start_matches(['\n', '\r', ' ', '\t']);
                match t.strip_prefix(INST_END) {
                    Some(rest) => tail = rest,
                    None => break,
                }
            }
            return format!("{}{block_trim}{tail}", &existing[..b]);
        }
    }
    format!("{}\n\n{block}", existing.trim_end())
}

/// The full block text (begin marker, body, end marker, LF).
pub fn instructions_block(body: &str) -> String {
    format!("{INST_BEGIN}\n{body}\n{INST_END}\n")
}

/// The bytes a planned file would have, given what is on disk now.
pub fn final_bytes(p: &Planned, existing: Option<&[u8]>) -> Vec<u8> {
    match &p.content {
        Content::Bytes(b) => b.clone(),
        Content::InstructionsBlock(body) => {
            let block = instructions_block(body);
            match existing {
                None => block.into_bytes(),
                Some(e) => merge_instructions(&String::from_utf8_lossy(e), &block).into_bytes(),
            }
        }
    }
}

fn write(dest: &Path, bytes: &[u8]) -> Result<(), String> {
    oxe_runtime::store::write_atomic(dest, bytes).map_err(|e| e.to_string())
}

/// What applying a file will do, decided from the disk without writing.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Write `bytes` to the destination (`replaced`: it existed).
    Write {
        bytes: Vec<u8>,
        replaced: bool,
    },
    Unchanged {
        hash: String,
    },
    Skip {
        has_block: bool,
    },
    /// Keep the user's file; write `bytes` to `new_path`.
    Propose {
        bytes: Vec<u8>,
        new_path: PathBuf,
    },
}

/// The path of the new version written beside a kept file.
pub fn proposal_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_os_string();
    name.push(NEW_SUFFIX);
    PathBuf::from(name)
}

/// Decides for one file. `recorded` is the manifest's hash of `dest`.
pub fn decide(p: &Planned, mode: Mode, recorded: Option<&str>) -> Decision {
    let existing = std::fs::read(&p.dest).ok();
    let bytes = final_bytes(p, existing.as_deref());
    let Some(current) = existing else {
        return Decision::Write {
            bytes,
            replaced: false,
        };
    };
    if current == bytes {
        return Decision::Unchanged {
            hash: sha256_bytes(&bytes),
        };
    }
    let is_merge = matches!(p.content, Content::InstructionsBlock(_));
    match mode {
        Mode::Install { force: true } => Decision::Write {
            bytes,
            replaced: true,
        },
        Mode::Install { force: false } => Decision::Skip {
            has_block: is_merge && String::from_utf8_lossy(&current).contains(INST_BEGIN),
        },
        // The instructions merge keeps the user's text outside the block.
        Mode::Update if is_merge || recorded.is_some_and(|h| h == sha256_bytes(&current)) => {
            Decision::Write {
                bytes,
                replaced: true,
            }
        }
        Mode::Update => Decision::Propose {
            bytes,
            new_path: proposal_path(&p.dest),
        },
    }
}

/// Applies one file. `recorded` is the manifest's hash of `dest`, if any.
pub fn apply_one(p: &Planned, mode: Mode, recorded: Option<&str>) -> Outcome {
    match decide(p, mode, recorded) {
        Decision::Write { bytes, replaced } => match write(&p.dest, &bytes) {
            Ok(()) => Outcome::Written {
                hash: sha256_bytes(&bytes),
                replaced,
            },
            Err(reason) => Outcome::Failed { reason },
        },
        Decision::Unchanged { hash } => Outcome::Unchanged { hash },
        Decision::Skip { has_block } => Outcome::Skipped { has_block },
        Decision::Propose { bytes, new_path } => match write(&new_path, &bytes) {
            Ok(()) => Outcome::KeptUserEdit { new_path },
            Err(reason) => Outcome::Failed { reason },
        },
    }
}

/// Applies every file in order.
pub fn apply(files: &[Planned], mode: Mode, recorded: &BTreeMap<String, String>) -> Vec<Outcome> {
    files
        .iter()
        .map(|p| {
            let key = p.dest.to_string_lossy();
            apply_one(p, mode, recorded.get(key.as_ref()).map(String::as_str))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_replaces_block_and_drops_stray_end_markers() {
        let block = instructions_block("new");
        let old = format!(
            "mine\n\n{INST_BEGIN}\nold\n{INST_BEGIN}\nx\n{INST_END}\n{INST_END}\n\nafter\n"
        );
        let m = merge_instructions(&old, &block);
        assert_eq!(
            m,
            format!("mine\n\n{INST_BEGIN}\nnew\n{INST_END}\n\nafter\n")
        );
        assert_eq!(
            merge_instructions("mine\n\n", &block),
            format!("mine\n\n{block}")
        );
        // idempotent
        assert_eq!(merge_instructions(&m, &block), m);
    }

    #[test]
    fn update_keeps_edits() {
        let dir = std::env::temp_dir().join(format!("oxe-apply-{}", std::process::id()));
        let dest = dir.join("a.md");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&dest, "installed").unwrap();
        let p = Planned::bytes(
            "cursor",
            "file",
            PathBuf::from("src"),
            dest.clone(),
            b"new".to_vec(),
        );
        let h = sha256_bytes(b"installed");
        assert!(matches!(
            apply_one(&p, Mode::Update, Some(&h)),
            Outcome::Written { replaced: true, .. }
        ));
        std::fs::write(&dest, "mine").unwrap();
        match apply_one(&p, Mode::Update, Some(&h)) {
            Outcome::KeptUserEdit { new_path } => {
                assert_eq!(std::fs::read_to_string(&dest).unwrap(), "mine");
                assert_eq!(std::fs::read_to_string(new_path).unwrap(), "new");
            }
            o => panic!("{o:?}"),
        }
        assert!(matches!(
            apply_one(&p, Mode::Install { force: false }, None),
            Outcome::Skipped { .. }
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
