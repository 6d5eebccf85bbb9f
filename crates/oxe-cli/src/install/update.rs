//! `oxe-cc update`: `--check` and `--if-newer` ask the registry (exit 0
//! up to date, 1 newer available, 2 registry unreachable or
//! `OXE_UPDATE_SKIP_REGISTRY`); the refresh runs the newest installer
//! through `npx` in update mode (`OXE_INSTALL_MODE=update`): files still
//! as installed are replaced, files the user edited are kept with the new
//! version beside them. 1.4.0 forced `--force` here and overwrote edits.

use super::npm_version::{is_newer_than, sync_npm_view_version};
use super::proc::{run_capture, run_inherit};
use super::say::t;
use crate::flags::UpdateOpts;
use crate::output::{Ctx, CYAN, DIM, GREEN, YELLOW};

const NAME: &str = "oxe-cc";

fn skip_registry(ctx: &Ctx) -> bool {
    matches!(ctx.env.var("OXE_UPDATE_SKIP_REGISTRY"), Some("1" | "true"))
}

/// 0 up to date, 1 newer, 2 no answer.
fn check(ctx: &mut Ctx, current: &str) -> (i32, Option<String>) {
    let lang = ctx.lang;
    if skip_registry(ctx) {
        let m = t(
            lang,
            "OXE_UPDATE_SKIP_REGISTRY is set: registry not queried.",
            "OXE_UPDATE_SKIP_REGISTRY definido: registro não consultado.",
            &[],
        );
        ctx.notice(&m);
        return (2, None);
    }
    match sync_npm_view_version(NAME, &ctx.env.vars, None, lang) {
        Err(e) => {
            let m = t(
                lang,
                "Could not read the latest version from npm: {0}",
                "Não foi possível ler a última versão no npm: {0}",
                &[&e],
            );
            ctx.notice(&m);
            (2, None)
        }
        Ok(latest) => {
            let l = format!(
                "  {} {NAME}",
                ctx.paint(DIM, &t(lang, "package:", "pacote:", &[]))
            );
            ctx.say(&l);
            let l = format!(
                "  {} {current}",
                ctx.paint(DIM, &t(lang, "running:", "em uso:", &[]))
            );
            ctx.say(&l);
            let l = format!("  {} {latest}", ctx.paint(DIM, "npm latest:"));
            ctx.say(&l);
            if is_newer_than(&latest, current) {
                let m = t(
                    lang,
                    "A newer version is available.",
                    "Há uma versão mais nova.",
                    &[],
                );
                let l = format!("  {}", ctx.paint(YELLOW, &m));
                ctx.say(&l);
                (1, Some(latest))
            } else {
                let m = t(lang, "Up to date.", "Atualizado.", &[]);
                let l = format!("  {} {m}", ctx.paint(GREEN, "✓"));
                ctx.say(&l);
                (0, Some(latest))
            }
        }
    }
}

fn explicit_global_cli(rest: &[String]) -> bool {
    rest.iter()
        .any(|a| matches!(a.as_str(), "-g" | "--global-cli" | "-l" | "--no-global-cli"))
}

/// Whether this package runs from the global npm root.
fn from_global_root(ctx: &Ctx) -> bool {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let Ok(r) = run_capture(npm, &["root", "-g"], &ctx.env.vars, None) else {
        return false;
    };
    let root = crate::jstext::trim(&r.stdout).to_string();
    !root.is_empty() && r.status == Some(0) && ctx.env.package_root.starts_with(&root)
}

/// The arguments after `npx`.
fn npx_args(ctx: &Ctx, o: &UpdateOpts, for_display: bool) -> Vec<String> {
    let mut a = vec!["-y".to_string(), format!("{NAME}@latest")];
    if explicit_global_cli(&o.rest) {
        a.extend(o.rest.iter().cloned());
    } else {
        if from_global_root(ctx) {
            a.push("--global-cli".into());
        } else {
            a.push("--no-global-cli".into());
            a.push("-l".into());
        }
        if !for_display || !o.rest.is_empty() {
            a.extend(o.rest.iter().cloned());
        }
    }
    a
}

/// Runs `update` after the prelude.
pub fn run(ctx: &mut Ctx, o: &UpdateOpts) -> i32 {
    if let Some(code) = super::wsl::guard(ctx) {
        return code;
    }
    let lang = ctx.lang;
    let current = crate::sdk::read_package_meta(&ctx.env.package_root).version;
    if o.check {
        ctx.section(&t(
            lang,
            "OXE ▸ update — checking npm",
            "OXE ▸ update — verificação no npm",
            &[],
        ));
        return check(ctx, &current).0;
    }
    ctx.section(&t(lang, "OXE ▸ update", "OXE ▸ update", &[]));
    if o.if_newer {
        let (code, _) = check(ctx, &current);
        match code {
            2 => return 2,
            0 => {
                let m = t(
                    lang,
                    "No newer version on npm: nothing to install.",
                    "Nenhuma versão mais nova no npm: nada a instalar.",
                    &[],
                );
                ctx.say(&format!("  {m}"));
                return 0;
            }
            _ => {}
        }
    }
    let args = npx_args(ctx, o, o.dry_run);
    let shown = format!("npx {}", args.join(" "));
    if o.dry_run {
        let l = format!(
            "  {}  OXE_INSTALL_MODE=update {}",
            ctx.paint(DIM, "(dry-run)"),
            ctx.paint(CYAN, &shown)
        );
        ctx.say(&l);
        return 0;
    }
    let l = format!("  {} {}", ctx.paint(DIM, "$"), ctx.paint(CYAN, &shown));
    ctx.say(&l);
    let mut vars = ctx.env.vars.clone();
    vars.insert("OXE_INSTALL_MODE".into(), "update".into());
    let npx = if cfg!(windows) { "npx.cmd" } else { "npx" };
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    match run_inherit(npx, &argv, &vars, Some(&o.dir), None) {
        None => {
            let m = t(
                lang,
                "Could not run npx.",
                "Não foi possível executar o npx.",
                &[],
            );
            ctx.error(&m);
            1
        }
        Some(0) => {
            ctx.footer(&[t(lang, "Project refreshed; files you edited were kept (see *.oxe-new)", "Projeto atualizado; arquivos editados por você foram mantidos (veja *.oxe-new)", &[])], &[], false);
            let done = t(
                lang,
                "Update finished successfully.",
                "Atualização concluída com sucesso.",
                &[],
            );
            ctx.done(&done);
            0
        }
        Some(code) => code,
    }
}
