//! The usage text (`-h`, `--help`, and after an unknown flag). One text
//! for all commands, as in 1.4.0; `{g}`/`{c}`/`{d}`/`{r}` mark colours.

use crate::i18n::Lang;
use crate::output::{CYAN, DIM, GREEN, RESET};

const EN: &str = r#"
{c}oxe-cc{r}: spec-driven workflows for AI coding agents. Sets up the .oxe/ core and the
integrations for Cursor, GitHub Copilot, Claude Code, OpenCode, Gemini, Codex, Windsurf
and Antigravity, and runs the project's workflow state from the command line.

{g}Usage:{r}
  npx oxe-cc@latest [options] [project-folder]        install (the default command)
  npx oxe-cc install [options] [project-folder]
  npx oxe-cc doctor [project-folder]                  check the install and the project
  npx oxe-cc status [--json] [--hints] [--full] [project-folder]
  npx oxe-cc init-oxe [--force] [--dry-run] [project-folder]
  npx oxe-cc context <build|inspect> [options]
  npx oxe-cc dashboard [options] [project-folder]
  npx oxe-cc runtime <action> [options] [project-folder]
  npx oxe-cc azure <scope> [action] [options]
  npx oxe-cc capabilities <list|install|remove|update> [id] [options]
  npx oxe-cc plugins <list|install|remove> [target]
  npx oxe-cc plan --visual | verify --matrix [project-folder]
  npx oxe-cc uninstall [options] [project-folder]
  npx oxe-cc update [--check|--if-newer] [--dry-run] [install options]
  Every command takes --dir <folder> (default: the current folder) and --lang <en|pt-BR>.

{g}Install options:{r}
  --cursor                 Cursor commands and rules (~/.cursor)
  --copilot, --copilot-vscode
                           GitHub Copilot in VS Code (.github/ in the workspace)
  --copilot-cli            Claude Code and Copilot CLI skills and commands
  --all-agents             every integration: Cursor, Copilot, CLIs, OpenCode, Gemini, Codex,
                           Windsurf, Antigravity
  --opencode --gemini --codex --windsurf --antigravity
                           only that agent
  --ide-global | --ide-local
                           integrations in your user folders (default) or in this repository
  --vscode                 also .vscode/settings.json (classic layout)
  -a, --all                Cursor + Copilot
  --no-commands            skip commands/oxe
  --no-agents              skip AGENTS.md
  --no-init-oxe            do not create .oxe/STATE.md and friends
  --oxe-only               only the .oxe/ workflows and templates, no integrations
  --global | --local       repository layout: oxe/ at the root, or .oxe/ only (default)
  -g, --global-cli         then run npm install -g oxe-cc
  -l, --no-global-cli      never ask about the global CLI (use in CI)
  -f, --force              replace existing files
  --dry-run                show what would happen, write nothing
  -c, --config-dir <path>  custom config folder, with exactly one of --cursor or --copilot-cli
  --no-install-config      ignore the "install" block of .oxe/config.json
  -h, --help               this text
  -v, --version            print the version

{g}status{r}   --json one JSON line for CI · --hints routine reminders · --full coverage view
{g}init-oxe{r} creates .oxe/ (STATE.md, config.json, codebase/, runs/, …); --force replaces STATE.md and config.json

{g}context{r}
  build [--workflow <slug>]          write context packs to .oxe/context/packs/ (all workflows by default)
  inspect [--workflow <slug>]        show a pack (default workflow: dashboard)
  --tier <minimal|standard|full>     --session <sessions/sNNN-slug>     --json

{g}dashboard{r}  --port <n> (4173) · --no-open · --read-only · --dump-context · --session <s>

{g}runtime{r} status | start | pause | resume | replay | compile | verify | project | ci | promote
        | recover | gates <list|show|resolve> | agents
  --session <s> --wave <n> --task <Tn> --mode <complete|wave|task> --reason <text>
  --run <run_id> --from <event_id> --write (replay report) --gate <gate_id>
  --decision <approve|reject|waive> --actor <id> --status <s> --scope <s>
  --target <pr_draft|branch_push> --remote <name> --base <branch> --minimum-coverage <0-100>
  --timeout <ms> --json

{g}azure{r} status | doctor | auth <login|whoami|set-subscription> | sync [--diff] | find <text>
      | servicebus|eventgrid|sql <list|show|plan|apply> | operations
  --subscription --kind --resource-group --name --namespace --topic-name --subscription-name
  --source-resource-id --endpoint --location --server --database --admin-user
  --admin-password-env --start-ip-address --end-ip-address --type --filter-rg --tenant
  --approve --override-policy --dry-run --vpn-confirmed --session

{g}capabilities{r} list | install <id> | remove <id> | update
{g}uninstall{r}    --cursor --copilot --copilot-cli --copilot-legacy-clean --all-agents --ide-local
             --ide-only -g -c <path> --dry-run
{g}update{r}       --check (exit 0 up to date, 1 newer exists, 2 registry error) · --if-newer · --dry-run
             {d}OXE_UPDATE_SKIP_REGISTRY=1 skips the registry (exit 2){r}

{g}Environment:{r} NO_COLOR, OXE_NO_BANNER=1, OXE_NO_PROMPT=1, OXE_DEBUG=1, LANG/LC_ALL=pt_BR…

{g}Examples:{r}
  npx oxe-cc@latest
  npx oxe-cc@latest ./my-app --cursor --dry-run
  npx oxe-cc@latest --all-agents
  npx oxe-cc doctor
  npx oxe-cc init-oxe --dir ./my-app
  npx oxe-cc status --json
"#;

const PT: &str = r#"
{c}oxe-cc{r}: fluxos guiados por especificação para agentes de código. Prepara o núcleo .oxe/ e
as integrações para Cursor, GitHub Copilot, Claude Code, OpenCode, Gemini, Codex, Windsurf e
Antigravity, e acompanha o estado do fluxo do projeto pela linha de comando.

{g}Uso:{r}
  npx oxe-cc@latest [opções] [pasta-do-projeto]       instalação (o comando padrão)
  npx oxe-cc install [opções] [pasta-do-projeto]
  npx oxe-cc doctor [pasta-do-projeto]                confere a instalação e o projeto
  npx oxe-cc status [--json] [--hints] [--full] [pasta-do-projeto]
  npx oxe-cc init-oxe [--force] [--dry-run] [pasta-do-projeto]
  npx oxe-cc context <build|inspect> [opções]
  npx oxe-cc dashboard [opções] [pasta-do-projeto]
  npx oxe-cc runtime <ação> [opções] [pasta-do-projeto]
  npx oxe-cc azure <escopo> [ação] [opções]
  npx oxe-cc capabilities <list|install|remove|update> [id] [opções]
  npx oxe-cc plugins <list|install|remove> [alvo]
  npx oxe-cc plan --visual | verify --matrix [pasta-do-projeto]
  npx oxe-cc uninstall [opções] [pasta-do-projeto]
  npx oxe-cc update [--check|--if-newer] [--dry-run] [opções de instalação]
  Todo comando aceita --dir <pasta> (padrão: a pasta atual) e --lang <en|pt-BR>.

{g}Opções de instalação:{r}
  --cursor                 comandos e regras do Cursor (~/.cursor)
  --copilot, --copilot-vscode
                           GitHub Copilot no VS Code (.github/ do workspace)
  --copilot-cli            skills e comandos do Claude Code e do Copilot CLI
  --all-agents             todas as integrações: Cursor, Copilot, CLIs, OpenCode, Gemini, Codex,
                           Windsurf, Antigravity
  --opencode --gemini --codex --windsurf --antigravity
                           só esse agente
  --ide-global | --ide-local
                           integrações nas pastas do usuário (padrão) ou neste repositório
  --vscode                 também .vscode/settings.json (layout clássico)
  -a, --all                Cursor + Copilot
  --no-commands            sem commands/oxe
  --no-agents              sem AGENTS.md
  --no-init-oxe            não cria .oxe/STATE.md e companhia
  --oxe-only               só os workflows e modelos em .oxe/, sem integrações
  --global | --local       layout do repositório: oxe/ na raiz, ou só .oxe/ (padrão)
  -g, --global-cli         depois roda npm install -g oxe-cc
  -l, --no-global-cli      nunca pergunta sobre o CLI global (use em CI)
  -f, --force              substitui arquivos existentes
  --dry-run                mostra o que aconteceria, sem gravar nada
  -c, --config-dir <pasta> pasta de configuração própria, com exatamente um entre --cursor e --copilot-cli
  --no-install-config      ignora o bloco "install" de .oxe/config.json
  -h, --help               este texto
  -v, --version            mostra a versão

{g}status{r}   --json uma linha JSON para CI · --hints lembretes de rotina · --full visão de cobertura
{g}init-oxe{r} cria .oxe/ (STATE.md, config.json, codebase/, runs/, …); --force substitui STATE.md e config.json

{g}context{r}
  build [--workflow <slug>]          grava context packs em .oxe/context/packs/ (todos por padrão)
  inspect [--workflow <slug>]        mostra um pack (workflow padrão: dashboard)
  --tier <minimal|standard|full>     --session <sessions/sNNN-slug>     --json

{g}dashboard{r}  --port <n> (4173) · --no-open · --read-only · --dump-context · --session <s>

{g}runtime{r} status | start | pause | resume | replay | compile | verify | project | ci | promote
        | recover | gates <list|show|resolve> | agents
  --session <s> --wave <n> --task <Tn> --mode <complete|wave|task> --reason <texto>
  --run <run_id> --from <event_id> --write (relatório do replay) --gate <gate_id>
  --decision <approve|reject|waive> --actor <id> --status <s> --scope <s>
  --target <pr_draft|branch_push> --remote <nome> --base <branch> --minimum-coverage <0-100>
  --timeout <ms> --json

{g}azure{r} status | doctor | auth <login|whoami|set-subscription> | sync [--diff] | find <texto>
      | servicebus|eventgrid|sql <list|show|plan|apply> | operations
  --subscription --kind --resource-group --name --namespace --topic-name --subscription-name
  --source-resource-id --endpoint --location --server --database --admin-user
  --admin-password-env --start-ip-address --end-ip-address --type --filter-rg --tenant
  --approve --override-policy --dry-run --vpn-confirmed --session

{g}capabilities{r} list | install <id> | remove <id> | update
{g}uninstall{r}    --cursor --copilot --copilot-cli --copilot-legacy-clean --all-agents --ide-local
             --ide-only -g -c <pasta> --dry-run
{g}update{r}       --check (saída 0 em dia, 1 há versão nova, 2 erro no registry) · --if-newer · --dry-run
             {d}OXE_UPDATE_SKIP_REGISTRY=1 não consulta o registry (saída 2){r}

{g}Ambiente:{r} NO_COLOR, OXE_NO_BANNER=1, OXE_NO_PROMPT=1, OXE_DEBUG=1, LANG/LC_ALL=pt_BR…

{g}Exemplos:{r}
  npx oxe-cc@latest
  npx oxe-cc@latest ./meu-app --cursor --dry-run
  npx oxe-cc@latest --all-agents
  npx oxe-cc doctor
  npx oxe-cc init-oxe --dir ./meu-app
  npx oxe-cc status --json
"#;

/// The usage text, coloured or plain.
pub fn usage(lang: Lang, color: bool) -> String {
    let raw = match lang {
        Lang::En => EN,
        Lang::PtBr => PT,
    };
    let (g, c, d, r) = if color {
        (GREEN, CYAN, DIM, RESET)
    } else {
        ("", "", "", "")
    };
    raw.replace("{g}", g)
        .replace("{c}", c)
        .replace("{d}", d)
        .replace("{r}", r)
}
