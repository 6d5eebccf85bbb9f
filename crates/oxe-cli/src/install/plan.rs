//! An install as data: every file it would write, computed before anything
//! is written. Dry runs print it, installs and updates apply it.

use std::path::PathBuf;

/// What a planned file will contain.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// The whole file.
    Bytes(Vec<u8>),
    /// The OXE block of `copilot-instructions.md` (merged into the user's
    /// file between the begin / end markers).
    InstructionsBlock(String),
}

/// One file of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The target it belongs to (`repo`, `cursor`, `copilot`, `claude`,
    /// `copilot-cli`, `opencode`, `gemini`, `windsurf`, `codex`,
    /// `antigravity`, `vscode`).
    pub target: &'static str,
    /// Label of the dry-run line (`file`, `opencode`, `gemini`, …).
    pub label: &'static str,
    pub src: PathBuf,
    pub dest: PathBuf,
    pub content: Content,
}

impl Planned {
    pub fn bytes(
        target: &'static str,
        label: &'static str,
        src: PathBuf,
        dest: PathBuf,
        bytes: Vec<u8>,
    ) -> Planned {
        Planned {
            target,
            label,
            src,
            dest,
            content: Content::Bytes(bytes),
        }
    }
}

/// The files of an install, in the order they are written.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub files: Vec<Planned>,
    /// Problems met while reading the package (unreadable source files).
    pub warnings: Vec<String>,
}

impl Plan {
    pub fn push(&mut self, p: Planned) {
        self.files.push(p);
    }

    pub fn extend(&mut self, other: Plan) {
        self.files.extend(other.files);
        self.warnings.extend(other.warnings);
    }
}
