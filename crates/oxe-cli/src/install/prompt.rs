//! Interactive choices (only when stdin and stdout are terminals and
//! `OXE_NO_PROMPT` is not `1`/`true`): the runtime menu, the IDE location
//! and the repo layout.

use std::io::{BufRead, IsTerminal};

use super::say::t;
use crate::flags::InstallOpts;
use crate::output::Ctx;

/// Whether the session may ask questions.
pub fn can_prompt(ctx: &Ctx) -> bool {
    if matches!(ctx.env.var("OXE_NO_PROMPT"), Some("1" | "true")) {
        return false;
    }
    ctx.env.stdout_is_tty && std::io::stdin().is_terminal()
}

fn ask(ctx: &mut Ctx, question: &str) -> String {
    let _ = write!(ctx.out, "{question}");
    let _ = ctx.out.flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_string()
}

/// The runtime keys of a multiselect answer (`1`…`9`, separated by spaces
/// or commas; empty means `7 5`).
pub fn parse_runtime_multiselect(input: &str) -> Vec<&'static str> {
    const KEYS: [&str; 9] = [
        "claude",
        "opencode",
        "gemini",
        "codex",
        "copilot",
        "antigravity",
        "cursor",
        "windsurf",
        "all",
    ];
    let trimmed = input.trim();
    let src = if trimmed.is_empty() { "7 5" } else { trimmed };
    let mut out: Vec<&'static str> = Vec::new();
    for tok in src
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        if let Ok(n) = tok.parse::<usize>() {
            if (1..=9).contains(&n) && !out.contains(&KEYS[n - 1]) {
                out.push(KEYS[n - 1]);
            }
        }
    }
    out
}

/// Sets the options of the chosen runtimes.
pub fn apply_runtime_keys(o: &mut InstallOpts, keys: &[&str]) {
    let all = keys.contains(&"all");
    if keys.is_empty() {
        o.cursor = true;
        o.copilot = true;
        return;
    }
    let has = |k: &str| all || keys.contains(&k);
    o.copilot_cli = has("claude");
    o.agent_opencode = has("opencode");
    o.agent_gemini = has("gemini");
    o.agent_codex = has("codex");
    o.copilot = has("copilot");
    o.agent_antigravity = has("antigravity");
    o.cursor = has("cursor");
    o.agent_windsurf = has("windsurf");
    o.all_agents = o.agent_opencode
        && o.agent_gemini
        && o.agent_codex
        && o.agent_windsurf
        && o.agent_antigravity;
}

/// The runtime menu.
pub fn runtime_menu(ctx: &mut Ctx, o: &mut InstallOpts) {
    let lang = ctx.lang;
    let q = t(
        lang,
        "\nWhich runtimes should OXE be installed for?\n  1 Claude Code   2 OpenCode   3 Gemini CLI   4 Codex   5 Copilot (VS Code)\n  6 Antigravity   7 Cursor     8 Windsurf     9 all\nNumbers separated by spaces or commas [7 5]: ",
        "\nPara quais runtimes instalar o OXE?\n  1 Claude Code   2 OpenCode   3 Gemini CLI   4 Codex   5 Copilot (VS Code)\n  6 Antigravity   7 Cursor     8 Windsurf     9 todos\nNúmeros separados por espaço ou vírgula [7 5]: ",
        &[],
    );
    let answer = ask(ctx, &q);
    let keys = parse_runtime_multiselect(&answer);
    apply_runtime_keys(o, &keys);
    o.integrations_unset = false;
}

/// IDE location: 1 global (default), 2 local.
pub fn ide_location(ctx: &mut Ctx, o: &mut InstallOpts) {
    let q = t(
        ctx.lang,
        "\nWhere should the IDE integrations go?\n  1 your home folder (global, default)\n  2 this project (local)\nChoice [1]: ",
        "\nOnde instalar as integrações de IDE?\n  1 na sua pasta pessoal (global, padrão)\n  2 neste projeto (local)\nEscolha [1]: ",
        &[],
    );
    o.ide_local = ask(ctx, &q) == "2";
    o.explicit_ide_scope = true;
}

/// Repo layout: 1 classic (default here), 2 nested.
pub fn repo_layout(ctx: &mut Ctx, o: &mut InstallOpts) {
    let q = t(
        ctx.lang,
        "\nRepository layout?\n  1 classic: oxe/ at the root plus .oxe/ (default)\n  2 nested: everything under .oxe/\nChoice [1]: ",
        "\nLayout do repositório?\n  1 clássico: oxe/ na raiz mais .oxe/ (padrão)\n  2 aninhado: tudo dentro de .oxe/\nEscolha [1]: ",
        &[],
    );
    o.install_assets_global = ask(ctx, &q) != "2";
    o.explicit_scope = true;
}

/// `1` no (default) / `2` yes.
pub fn yes_no(ctx: &mut Ctx, question: &str) -> bool {
    ask(ctx, question) == "2"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiselect() {
        assert_eq!(parse_runtime_multiselect(""), vec!["cursor", "copilot"]);
        assert_eq!(
            parse_runtime_multiselect("1, 3 x 10"),
            vec!["claude", "gemini"]
        );
        assert!(parse_runtime_multiselect("zz").is_empty());
    }
}
