//! `oxe-cc init-oxe` and the `.oxe/` bootstrap it shares with `install`,
//! `runtime`, `capabilities`, `azure` and `context build`.
//!
//! The bootstrap creates the folders and files 1.4.0 creates, with the
//! same names and the same "keep what exists" rules: `STATE.md` and
//! `config.json` are replaced only with `--force`; the other files are
//! written only when missing; `.gitignore` gains a `.oxe/` rule unless
//! one already covers the folder. Every file is written atomically
//! (temporary file + rename), so an interrupted bootstrap never leaves a
//! half-written file.
//!
//! Template contents come from the package's `oxe/templates/` folder when
//! it ships one (the rendered copy), else from the same canonical sources
//! (`assets/templates/`) compiled into this crate.

use std::path::{Path, PathBuf};

use crate::flags::InstallOpts;
use crate::i18n::Msg;
use crate::output::{Ctx, NextStep, CYAN, DIM, GREEN, YELLOW};

/// The templates the bootstrap writes: (file name under `oxe/templates/`,
/// embedded text).
const TEMPLATES: [(&str, &str); 9] = [
    (
        "STATE.md",
        include_str!("../../../assets/templates/STATE.md"),
    ),
    (
        "config.template.json",
        include_str!("../../../assets/templates/config.template.json"),
    ),
    (
        "PLUGINS.md",
        include_str!("../../../assets/templates/PLUGINS.md"),
    ),
    (
        "LESSONS.template.md",
        include_str!("../../../assets/templates/LESSONS.template.md"),
    ),
    (
        "MILESTONES.template.md",
        include_str!("../../../assets/templates/MILESTONES.template.md"),
    ),
    (
        "EXECUTION-RUNTIME.template.md",
        include_str!("../../../assets/templates/EXECUTION-RUNTIME.template.md"),
    ),
    (
        "ACTIVE-RUN.template.json",
        include_str!("../../../assets/templates/ACTIVE-RUN.template.json"),
    ),
    (
        "CHECKPOINTS.template.md",
        include_str!("../../../assets/templates/CHECKPOINTS.template.md"),
    ),
    (
        "CAPABILITIES.template.md",
        include_str!("../../../assets/templates/CAPABILITIES.template.md"),
    ),
];

/// Header of a new `INVESTIGATIONS.md`: a title and an empty index table
/// (date, file, goal, mode, status).
const INVESTIGATIONS_INDEX: &str = "# OXE — Investigations\n\n| Date | File | Goal | Mode | Status |\n|------|------|------|------|--------|\n";

/// The bytes of template `name`: the package's own copy if present, else
/// the embedded one.
pub fn template(package_root: &Path, name: &str) -> Option<Vec<u8>> {
    let shipped = package_root.join("oxe").join("templates").join(name);
    if let Ok(bytes) = std::fs::read(&shipped) {
        return Some(bytes);
    }
    TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text.as_bytes().to_vec())
}

/// What went wrong while bootstrapping: the file and the reason.
#[derive(Debug)]
pub struct BootstrapError {
    pub path: PathBuf,
    pub reason: String,
}

impl BootstrapError {
    /// The red "could not write" line on stderr.
    pub fn report(&self, ctx: &mut Ctx) {
        let msg = ctx.t(
            Msg::WriteFailed,
            &[&self.path.display().to_string(), &self.reason],
        );
        ctx.error(&msg);
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), BootstrapError> {
    oxe_runtime::store::write_atomic(path, bytes).map_err(|e| BootstrapError {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn mkdir(path: &Path) -> Result<(), BootstrapError> {
    std::fs::create_dir_all(path).map_err(|e| BootstrapError {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn log_init(ctx: &mut Ctx, path: &Path) {
    let line = format!("{}  {}", ctx.paint(GREEN, "init"), path.display());
    ctx.say(&line);
}

fn log_skipped(ctx: &mut Ctx, path: &Path) {
    let label = ctx.t(Msg::Skipped, &[]);
    let why = ctx.t(Msg::SkippedExists, &[]);
    let line = format!("{} {} {why}", ctx.paint(DIM, &label), path.display());
    ctx.say(&line);
}

/// `.gitignore` already ignores `.oxe/` when an uncommented, non-negated
/// line reads `.oxe`, `.oxe/`, `.oxe/*` or `.oxe/**`.
pub fn gitignore_ignores_oxe(content: &str) -> bool {
    content.split('\n').any(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // `#.*$`: a comment runs to the end unless a line break interrupts it
        let cut = line
            .char_indices()
            .filter(|(_, c)| *c == '#')
            .map(|(i, _)| i)
            .find(|&i| !line[i..].contains(crate::jstext::is_lt))
            .unwrap_or(line.len());
        let t = crate::jstext::trim(&line[..cut]);
        !t.is_empty() && !t.starts_with('!') && matches!(t, ".oxe" | ".oxe/" | ".oxe/*" | ".oxe/**")
    })
}

/// Makes sure the project's `.gitignore` ignores `.oxe/`.
pub fn ensure_gitignore(
    ctx: &mut Ctx,
    project: &Path,
    dry_run: bool,
) -> Result<(), BootstrapError> {
    let path = project.join(".gitignore");
    let rel = ".gitignore";
    if dry_run {
        let what = ctx.t(Msg::GitignoreDryRun, &[rel]);
        let line = format!("{}  {what}", ctx.paint(DIM, "gitignore"));
        ctx.say(&line);
        return Ok(());
    }
    let comment = ctx.t(Msg::GitignoreComment, &[]);
    let block = format!("\n{comment}\n.oxe/\n");
    let next = match std::fs::read(&path) {
        Ok(bytes) => {
            let raw = String::from_utf8_lossy(&bytes).into_owned();
            if gitignore_ignores_oxe(&raw) {
                return Ok(());
            }
            let mut out = raw;
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out + &block
        }
        Err(_) => block[1..].to_string(),
    };
    write(&path, next.as_bytes())?;
    let line = format!("{}  {rel} (+ .oxe/)", ctx.paint(GREEN, "gitignore"));
    ctx.say(&line);
    Ok(())
}

/// `bootstrapOxe(target, {dryRun, force})`.
pub fn bootstrap_oxe(
    ctx: &mut Ctx,
    target: &Path,
    dry_run: bool,
    force: bool,
) -> Result<(), BootstrapError> {
    let oxe = target.join(".oxe");
    if dry_run {
        let what = ctx.t(Msg::InitDryRun, &[&oxe.display().to_string()]);
        let line = format!("{}  {what}", ctx.paint(DIM, "init"));
        ctx.say(&line);
        return ensure_gitignore(ctx, target, true);
    }
    let pkg = ctx.env.package_root.clone();
    for sub in [
        "codebase",
        "capabilities",
        "investigations",
        "dashboard",
        "context/packs",
        "context/summaries",
        "install",
    ] {
        mkdir(&oxe.join(sub))?;
    }
    for (name, dest) in [
        ("STATE.md", "STATE.md"),
        ("config.template.json", "config.json"),
    ] {
        let dest = oxe.join(dest);
        if !dest.exists() || force {
            if let Some(bytes) = template(&pkg, name) {
                write(&dest, &bytes)?;
                log_init(ctx, &dest);
            }
        } else {
            log_skipped(ctx, &dest);
        }
    }
    let plugins = oxe.join("plugins");
    if !plugins.exists() {
        mkdir(&plugins)?;
        let readme = plugins.join("README.md");
        if !readme.exists() {
            if let Some(bytes) = template(&pkg, "PLUGINS.md") {
                write(&readme, &bytes)?;
                log_init(ctx, &readme);
            }
        }
    }
    for sub in ["workstreams", "sessions", "global", "global/milestones"] {
        mkdir(&oxe.join(sub))?;
    }
    let only_if_missing =
        |ctx: &mut Ctx, name: &str, dest: PathBuf| -> Result<(), BootstrapError> {
            if !dest.exists() {
                if let Some(bytes) = template(&pkg, name) {
                    write(&dest, &bytes)?;
                    log_init(ctx, &dest);
                }
            }
            Ok(())
        };
    only_if_missing(
        ctx,
        "LESSONS.template.md",
        oxe.join("global").join("LESSONS.md"),
    )?;
    only_if_missing(
        ctx,
        "MILESTONES.template.md",
        oxe.join("global").join("MILESTONES.md"),
    )?;
    mkdir(&oxe.join("memory"))?;
    mkdir(&oxe.join("runs"))?;
    only_if_missing(
        ctx,
        "EXECUTION-RUNTIME.template.md",
        oxe.join("EXECUTION-RUNTIME.md"),
    )?;
    only_if_missing(ctx, "ACTIVE-RUN.template.json", oxe.join("ACTIVE-RUN.json"))?;
    let events = oxe.join("OXE-EVENTS.ndjson");
    if !events.exists() {
        write(&events, b"")?;
        log_init(ctx, &events);
    }
    only_if_missing(ctx, "CHECKPOINTS.template.md", oxe.join("CHECKPOINTS.md"))?;
    only_if_missing(ctx, "CAPABILITIES.template.md", oxe.join("CAPABILITIES.md"))?;
    let investigations = oxe.join("INVESTIGATIONS.md");
    if !investigations.exists() {
        write(&investigations, INVESTIGATIONS_INDEX.as_bytes())?;
        log_init(ctx, &investigations);
    }
    ensure_gitignore(ctx, target, false)
}

/// `oxe-cc init-oxe [--dir p] [--force] [--dry-run] [dir]`, after the
/// shared prelude (help, version, conflicts, banner).
pub fn run(ctx: &mut Ctx, opts: &InstallOpts) -> i32 {
    let target = opts.dir.clone();
    if !opts.dry_run && !target.exists() {
        let msg = ctx.t(Msg::DirNotFound, &[&target.display().to_string()]);
        ctx.notice(&msg);
        return 1;
    }
    ctx.section("OXE ▸ init-oxe");
    let label = ctx.t(Msg::Destination, &[]);
    let line = format!(
        "  {} {}",
        ctx.paint(GREEN, &label),
        ctx.paint(CYAN, &target.display().to_string())
    );
    ctx.say(&line);
    if opts.dry_run {
        let tag = ctx.t(Msg::DryRunTag, &[]);
        let line = format!("  {}", ctx.paint(YELLOW, &tag));
        ctx.say(&line);
    }
    if let Err(e) = bootstrap_oxe(ctx, &target, opts.dry_run, opts.force) {
        let prefix = ctx.t(Msg::ErrorPrefix, &[]);
        let msg = ctx.t(
            Msg::WriteFailed,
            &[&e.path.display().to_string(), &e.reason],
        );
        let line = format!("{} {msg}", ctx.paint(crate::output::RED, &prefix));
        ctx.warn(&line);
        return 1;
    }
    let bullet = ctx.t(
        if opts.dry_run {
            Msg::InitBulletDryRun
        } else {
            Msg::InitBullet
        },
        &[],
    );
    let next = vec![
        NextStep {
            desc: ctx.t(Msg::NextDoctor, &[]),
            cmd: "npx oxe-cc doctor".into(),
        },
        NextStep {
            desc: ctx.t(Msg::NextInstall, &[]),
            cmd: "npx oxe-cc@latest".into(),
        },
        NextStep {
            desc: ctx.t(Msg::NextScan, &[]),
            cmd: "/oxe-scan".into(),
        },
    ];
    ctx.footer(&[bullet], &next, opts.dry_run);
    let done = ctx.t(Msg::InitDone, &[]);
    ctx.done(&done);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_rules() {
        assert!(gitignore_ignores_oxe("node_modules\n.oxe/\n"));
        assert!(gitignore_ignores_oxe(".oxe # state\r\n"));
        assert!(gitignore_ignores_oxe("  .oxe/**  "));
        assert!(!gitignore_ignores_oxe("# .oxe/\n!.oxe/\n.oxe/x\n"));
        assert!(!gitignore_ignores_oxe(""));
    }

    #[test]
    fn embedded_templates_parse() {
        let state = TEMPLATES[0].1;
        let s = crate::parsers::state::parse_state(state);
        assert_eq!(s.phase.as_deref(), Some("initial"));
        assert_eq!(s.last_scan_date, None);
        assert_eq!(s.run_id, None);
        assert_eq!(s.lifecycle_status, None);
        assert_eq!(s.loop_status, None);
        assert_eq!(s.active_milestone, None);
        assert!(s.decisions.is_empty() && s.active_workstreams.is_empty());
        assert_eq!(crate::parsers::state::parse_active_session(state), None);
        let cfg = oxe_runtime::jsjson::parse(TEMPLATES[1].1).expect("config template is JSON");
        assert_eq!(cfg["plan_confidence_threshold"], 70);
        let run = oxe_runtime::jsjson::parse(TEMPLATES[6].1).expect("active run template is JSON");
        assert_eq!(run["run_id"], "oxe-run-YYYYMMDD-001");
    }
}
