//! From parsed flags to the final selection: config `install` block,
//! dry-run defaults, interactive questions or non-interactive defaults.

use super::prompt;
use super::resolve::{resolve, Fields};
use super::say::t;
use crate::flags::InstallOpts;
use crate::output::{Ctx, YELLOW};

pub fn any_granular(o: &InstallOpts) -> bool {
    o.agent_opencode || o.agent_gemini || o.agent_codex || o.agent_windsurf || o.agent_antigravity
}

/// Any IDE or agent target on.
pub fn any_ide(o: &InstallOpts) -> bool {
    o.cursor || o.copilot || o.copilot_cli || o.all_agents || any_granular(o)
}

/// Resolves `o` in place (1.4.0's `resolveInteractiveInstall`).
pub fn resolve_selection(ctx: &mut Ctx, o: &mut InstallOpts, json: bool) {
    let mut f = Fields::from_opts(o);
    let warnings = resolve(&o.dir, &ctx.env.vars, &mut f);
    f.into_opts(o);
    for w in warnings {
        let label = t(ctx.lang, "warning:", "aviso:", &[]);
        let line = format!(
            "{} .oxe/config.json: {}",
            ctx.paint(YELLOW, &label),
            w.text(ctx.lang)
        );
        ctx.warn(&line);
    }
    if o.dry_run {
        if o.integrations_unset {
            o.cursor = true;
            o.copilot = true;
            o.integrations_unset = false;
        }
        if !o.explicit_scope && any_ide(o) {
            o.install_assets_global = false;
        }
        return;
    }
    if !json && prompt::can_prompt(ctx) {
        if o.integrations_unset {
            prompt::runtime_menu(ctx, o);
        }
        if any_ide(o) && !o.explicit_ide_scope {
            prompt::ide_location(ctx, o);
        }
        if any_ide(o) && !o.explicit_scope {
            prompt::repo_layout(ctx, o);
        }
        return;
    }
    let notice = |ctx: &mut Ctx, en: &str, pt: &str| {
        let m = t(ctx.lang, en, pt, &[]);
        ctx.notice(&m);
    };
    if o.integrations_unset {
        o.cursor = true;
        o.copilot = true;
        o.integrations_unset = false;
        notice(
            ctx,
            "Terminal is not interactive: installing for Cursor and Copilot (choose with --cursor, --copilot, --all-agents…).",
            "Terminal não interativo: instalando para Cursor e Copilot (escolha com --cursor, --copilot, --all-agents…).",
        );
    }
    if !o.explicit_ide_scope && any_ide(o) {
        o.ide_local = false;
        notice(
            ctx,
            "Terminal is not interactive: IDE integrations go to your home folder (use --ide-local for this project).",
            "Terminal não interativo: integrações de IDE na sua pasta pessoal (use --ide-local para este projeto).",
        );
    }
    if !o.explicit_scope {
        o.install_assets_global = false;
        if any_ide(o) {
            notice(
                ctx,
                "Terminal is not interactive: nested layout (everything under .oxe/; use --global for oxe/ at the root).",
                "Terminal não interativo: layout aninhado (tudo em .oxe/; use --global para oxe/ na raiz).",
            );
        }
    }
}
