//! The closing summary of an install: footer bullets for people, a JSON
//! object for `--json`.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::apply::Outcome;
use super::build::Built;
use super::plan::Planned;
use super::say::t;
use crate::flags::InstallOpts;
use crate::i18n::Lang;
use crate::output::display_path;
use crate::CliEnv;

/// Counts and lists of one run.
#[derive(Debug, Default)]
pub struct Tally {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub skipped: Vec<PathBuf>,
    pub kept: Vec<(PathBuf, PathBuf)>,
    pub failed: Vec<(PathBuf, String)>,
}

impl Tally {
    pub fn new(files: &[Planned], outcomes: &[Outcome]) -> Tally {
        let mut t = Tally::default();
        for (p, o) in files.iter().zip(outcomes) {
            match o {
                Outcome::Written { .. } => t.written.push(p.dest.clone()),
                Outcome::Unchanged { .. } => t.unchanged += 1,
                Outcome::Skipped { .. } => t.skipped.push(p.dest.clone()),
                Outcome::KeptUserEdit { new_path } => {
                    t.kept.push((p.dest.clone(), new_path.clone()))
                }
                Outcome::Failed { reason } => t.failed.push((p.dest.clone(), reason.clone())),
            }
        }
        t
    }
}

fn s(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Footer bullets.
pub fn bullets(
    lang: Lang,
    env: &CliEnv,
    o: &InstallOpts,
    b: &Built,
    files: &[Planned],
    dry: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let tag = |x: String| if dry { format!("[dry-run] {x}") } else { x };
    let layout = if b.classic {
        t(
            lang,
            "Repo layout: classic (oxe/ at the root + .oxe/)",
            "Layout do repo: clássico (oxe/ na raiz + .oxe/)",
            &[],
        )
    } else {
        t(
            lang,
            "Repo layout: nested (.oxe/workflows, .oxe/templates)",
            "Layout do repo: aninhado (.oxe/workflows, .oxe/templates)",
            &[],
        )
    };
    out.push(tag(layout));
    let mut targets: Vec<&str> = Vec::new();
    for p in files {
        if p.target != "repo" && !targets.contains(&p.target) {
            targets.push(p.target);
        }
    }
    for target in targets {
        let n = files.iter().filter(|p| p.target == target).count();
        let first = files
            .iter()
            .find(|p| p.target == target)
            .map(|p| p.dest.clone())
            .unwrap_or_default();
        let dir = first
            .parent()
            .map(|d| display_path(env, d))
            .unwrap_or_default();
        out.push(tag(t(
            lang,
            "{0}: {1} file(s) (e.g. {2})",
            "{0}: {1} arquivo(s) (ex.: {2})",
            &[target, &n.to_string(), &dir],
        )));
    }
    if !o.no_init_oxe {
        out.push(tag(t(
            lang,
            ".oxe/ bootstrapped (STATE.md, config.json, …)",
            ".oxe/ inicializado (STATE.md, config.json, …)",
            &[],
        )));
    }
    out
}

/// The `--json` summary.
#[allow(clippy::too_many_arguments)]
pub fn json_summary(
    o: &InstallOpts,
    b: &Built,
    files: &[Planned],
    tally: Option<&Tally>,
    mode: &str,
    backup: Option<&super::manifest::Backup>,
    vsix: &super::vsix::VsixOutcome,
    ok: bool,
) -> Value {
    let r = b.runtimes;
    let planned: Vec<Value> = files
        .iter()
        .map(|p| json!({"target": p.target, "src": s(&p.src), "dest": s(&p.dest)}))
        .collect();
    let vs = match vsix {
        super::vsix::VsixOutcome::NoVsix => json!({"status": "no-vsix"}),
        super::vsix::VsixOutcome::DryRun(v) => json!({"status": "dry-run", "vsix": s(v)}),
        super::vsix::VsixOutcome::Installed { vsix, cli } => {
            json!({"status": "installed", "vsix": s(vsix), "cli": cli})
        }
        super::vsix::VsixOutcome::NoCli(v) => json!({"status": "no-code-cli", "vsix": s(v)}),
    };
    let mut v = json!({
        "ok": ok,
        "dryRun": o.dry_run,
        "mode": mode,
        "dir": s(&o.dir),
        "layout": if b.classic { "classic" } else { "nested" },
        "ideScope": if o.ide_local { "local" } else { "global" },
        "runtimes": {
            "cursor": r.cursor, "copilot_vscode": r.copilot_vscode, "copilot_cli": r.copilot_cli,
            "opencode": r.opencode, "gemini": r.gemini, "codex": r.codex,
            "windsurf": r.windsurf, "antigravity": r.antigravity,
        },
        "planned": planned,
        "backup": backup.map(|bk| json!({"dir": s(&bk.dir), "files": bk.files})),
        "vscodeExtension": vs,
        "warnings": b.plan.warnings,
    });
    if let (Some(t), Value::Object(m)) = (tally, &mut v) {
        m.insert(
            "written".into(),
            json!(t.written.iter().map(|p| s(p)).collect::<Vec<_>>()),
        );
        m.insert("unchanged".into(), json!(t.unchanged));
        m.insert(
            "skipped".into(),
            json!(t.skipped.iter().map(|p| s(p)).collect::<Vec<_>>()),
        );
        m.insert(
            "keptUserEdits".into(),
            json!(t
                .kept
                .iter()
                .map(|(a, b)| json!({"path": s(a), "newVersion": s(b)}))
                .collect::<Vec<_>>()),
        );
        m.insert(
            "failed".into(),
            json!(t
                .failed
                .iter()
                .map(|(a, r)| json!({"path": s(a), "error": r}))
                .collect::<Vec<_>>()),
        );
    }
    v
}
