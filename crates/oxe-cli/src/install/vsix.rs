//! The VS Code extension post-step: `code --install-extension <vsix>
//! --force` with the newest `vscode-extension/oxe-agents*.vsix` of the
//! package. It never fails the install: no VSIX or no `code` CLI only
//! prints a note.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::proc::run_inherit;
use super::say::t;
use crate::output::{Ctx, CYAN, DIM, GREEN};

/// The VSIX to install: reverse lexical order of `oxe-agents*.vsix`.
pub fn find_vsix(pkg: &Path) -> Option<PathBuf> {
    let dir = pkg.join("vscode-extension");
    let mut names: Vec<String> = super::render::file_names(&dir)
        .into_iter()
        .filter(|n| n.starts_with("oxe-agents") && n.ends_with(".vsix"))
        .collect();
    names.sort();
    names.pop().map(|n| dir.join(n))
}

/// Result for the summary.
#[derive(Debug, Clone, PartialEq)]
pub enum VsixOutcome {
    NoVsix,
    DryRun(PathBuf),
    Installed { vsix: PathBuf, cli: String },
    NoCli(PathBuf),
}

pub fn install_extension(ctx: &mut Ctx, pkg: &Path, dry_run: bool) -> VsixOutcome {
    let lang = ctx.lang;
    let Some(vsix) = find_vsix(pkg) else {
        let m = t(
            lang,
            "VS Code extension: no .vsix in the package, skipped.",
            "Extensão VS Code: nenhum .vsix no pacote, ignorada.",
            &[],
        );
        let line = format!("  {}", ctx.paint(DIM, &m));
        ctx.say(&line);
        return VsixOutcome::NoVsix;
    };
    let shown = vsix.to_string_lossy().into_owned();
    if dry_run {
        let line = format!(
            "{}  code --install-extension \"{shown}\"",
            ctx.paint(DIM, "(dry-run)")
        );
        ctx.say(&line);
        return VsixOutcome::DryRun(vsix);
    }
    let clis: &[&str] = if cfg!(windows) {
        &["code.cmd", "code", "code-insiders.cmd", "code-insiders"]
    } else {
        &["code", "code-insiders"]
    };
    for cli in clis {
        let status = run_inherit(
            cli,
            &["--install-extension", &shown, "--force"],
            &ctx.env.vars,
            None,
            Some(Duration::from_secs(30)),
        );
        if status == Some(0) {
            let m = t(
                lang,
                "VS Code extension installed with {0}",
                "Extensão VS Code instalada com {0}",
                &[cli],
            );
            let line = format!("  {} {m}", ctx.paint(GREEN, "✓"));
            ctx.say(&line);
            return VsixOutcome::Installed {
                vsix,
                cli: (*cli).to_string(),
            };
        }
    }
    let m = t(
        lang,
        "VS Code extension not installed (no `code` CLI). To install it by hand:",
        "Extensão VS Code não instalada (sem a CLI `code`). Para instalar manualmente:",
        &[],
    );
    let line = format!(
        "  {}\n     {}",
        ctx.paint(DIM, &m),
        ctx.paint(CYAN, &format!("code --install-extension \"{shown}\""))
    );
    ctx.say(&line);
    VsixOutcome::NoCli(vsix)
}
