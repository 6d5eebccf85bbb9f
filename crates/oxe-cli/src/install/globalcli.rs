//! After an install: `npm install -g oxe-cc@<version>` with `-g`, or a
//! question on a terminal (default: no).

use super::proc::run_inherit;
use super::prompt::{can_prompt, yes_no};
use super::say::t;
use crate::flags::InstallOpts;
use crate::output::{Ctx, DIM};

pub fn maybe_install(ctx: &mut Ctx, o: &InstallOpts, version: &str) {
    if o.oxe_only || o.dry_run || o.json_output {
        return;
    }
    let spec = format!("oxe-cc@{version}");
    if o.global_cli {
        let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
        let _ = run_inherit(npm, &["install", "-g", &spec], &ctx.env.vars, None, None);
        return;
    }
    if o.no_global_cli || matches!(ctx.env.var("OXE_NO_PROMPT"), Some("1" | "true")) {
        return;
    }
    if !can_prompt(ctx) {
        let m = t(
            ctx.lang,
            "Terminal is not interactive: the global CLI was not installed (use -g to install it).",
            "Terminal não interativo: a CLI global não foi instalada (use -g para instalar).",
            &[],
        );
        let l = format!("  {}", ctx.paint(DIM, &m));
        ctx.say(&l);
        return;
    }
    let q = t(
        ctx.lang,
        "\nInstall the oxe-cc command globally ({0})?\n  1 no (default)\n  2 yes\nChoice [1]: ",
        "\nInstalar o comando oxe-cc globalmente ({0})?\n  1 não (padrão)\n  2 sim\nEscolha [1]: ",
        &[&spec],
    );
    if yes_no(ctx, &q) {
        let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
        let _ = run_inherit(npm, &["install", "-g", &spec], &ctx.env.vars, None, None);
    }
}
