//! Message catalogs of the command line: English (the default) and
//! Brazilian Portuguese, chosen by `--lang`, else `LC_ALL`, `LC_MESSAGES`
//! or `LANG` (POSIX precedence) starting with `pt`.
//!
//! The wording is ours. Placeholders are `{0}`, `{1}`, … in both languages.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    PtBr,
}

impl Lang {
    /// `--lang` wins; otherwise the first non-empty of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` decides.
    pub fn detect(vars: &BTreeMap<String, String>, flag: Option<&str>) -> Lang {
        let pick = |v: &str| {
            if v.to_ascii_lowercase().starts_with("pt") {
                Lang::PtBr
            } else {
                Lang::En
            }
        };
        if let Some(f) = flag {
            return pick(f);
        }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(v) = vars.get(key).filter(|v| !v.is_empty()) {
                return pick(v);
            }
        }
        Lang::En
    }
}

/// Every message the command line prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    ErrorPrefix,
    UnknownOption,
    DirNotFound,
    UsePlanVisual,
    UseVerifyMatrix,
    ConflictGlobalCli,
    ConflictLayout,
    ConflictIdeScope,
    ConflictIdeLocalConfigDir,
    ConflictConfigDirOxeOnly,
    ConflictConfigDirCopilot,
    ConflictConfigDirCount,
    UninstallConfigDirIdeLocal,
    UninstallConfigDirAllAgents,
    UninstallConfigDirCount,
    UpdateCheckDryRun,
    UpdateCheckIfNewer,
    Destination,
    DryRunTag,
    Skipped,
    SkippedExists,
    InitDryRun,
    GitignoreDryRun,
    GitignoreComment,
    FooterDone,
    FooterDryRun,
    FooterNext,
    InitBulletDryRun,
    InitBullet,
    NextDoctor,
    NextInstall,
    NextScan,
    InitDone,
    WriteFailed,
}

fn en(m: Msg) -> &'static str {
    use Msg::*;
    match m {
        ErrorPrefix => "Error:",
        UnknownOption => "Unknown option:",
        DirNotFound => "Directory not found: {0}",
        UsePlanVisual => "Usage: oxe-cc plan --visual",
        UseVerifyMatrix => "Usage: oxe-cc verify --matrix",
        ConflictGlobalCli => "--global-cli (-g) and --no-global-cli (-l) contradict each other; pick one",
        ConflictLayout => "--global and --local contradict each other (they choose the repository layout: oxe/ at the root, or .oxe/ only)",
        ConflictIdeScope => "--ide-global and --ide-local contradict each other; pick one",
        ConflictIdeLocalConfigDir => "--ide-local cannot be combined with --config-dir",
        ConflictConfigDirOxeOnly => "--config-dir cannot be combined with --oxe-only or --all-agents",
        ConflictConfigDirCopilot => "--config-dir cannot be used with --copilot alone: GitHub Copilot in VS Code always reads the workspace .github/ folder",
        ConflictConfigDirCount => "--config-dir needs exactly one of --cursor, --copilot or --copilot-cli (and no --oxe-only)",
        UninstallConfigDirIdeLocal => "--config-dir cannot be combined with --ide-local",
        UninstallConfigDirAllAgents => "--config-dir cannot be combined with --all-agents",
        UninstallConfigDirCount => "--config-dir needs exactly one of --cursor, --copilot or --copilot-cli",
        UpdateCheckDryRun => "Invalid combination: --check cannot be used with --dry-run.",
        UpdateCheckIfNewer => "Invalid combination: use --check or --if-newer, not both.",
        Destination => "Destination:",
        DryRunTag => "(dry-run: nothing is written)",
        Skipped => "skipped",
        SkippedExists => "(already exists; use --force to replace it)",
        InitDryRun => "would create {0}/ (STATE.md, config.json, codebase/, capabilities/, investigations/, dashboard/, context/, install/, runs/, OXE-EVENTS.ndjson, ACTIVE-RUN.json)",
        GitignoreDryRun => "would make sure {0} ignores .oxe/",
        GitignoreComment => "# OXE (oxe-cc): local workflow state, keep it out of version control",
        FooterDone => "What was done",
        FooterDryRun => "Dry run (nothing was written)",
        FooterNext => "Suggested next steps",
        InitBulletDryRun => "[dry-run] would create or update .oxe/STATE.md, .oxe/config.json, .oxe/codebase/, .oxe/ACTIVE-RUN.json and .oxe/OXE-EVENTS.ndjson",
        InitBullet => ".oxe/STATE.md, .oxe/config.json, .oxe/codebase/, .oxe/context/, .oxe/ACTIVE-RUN.json and .oxe/OXE-EVENTS.ndjson are in place (existing files kept unless --force)",
        NextDoctor => "Check the project:",
        NextInstall => "Install the IDE and agent integrations (if you have not yet):",
        NextScan => "Start the workflow in your coding agent:",
        InitDone => "init-oxe finished.",
        WriteFailed => "could not write {0}: {1}",
    }
}

fn pt(m: Msg) -> &'static str {
    use Msg::*;
    match m {
        ErrorPrefix => "Erro:",
        UnknownOption => "Opção desconhecida:",
        DirNotFound => "Diretório não encontrado: {0}",
        UsePlanVisual => "Uso: oxe-cc plan --visual",
        UseVerifyMatrix => "Uso: oxe-cc verify --matrix",
        ConflictGlobalCli => "--global-cli (-g) e --no-global-cli (-l) se contradizem; escolha um",
        ConflictLayout => "--global e --local se contradizem (as duas escolhem o layout do repositório: oxe/ na raiz, ou apenas .oxe/)",
        ConflictIdeScope => "--ide-global e --ide-local se contradizem; escolha um",
        ConflictIdeLocalConfigDir => "--ide-local não pode ser usado junto com --config-dir",
        ConflictConfigDirOxeOnly => "--config-dir não pode ser usado junto com --oxe-only ou --all-agents",
        ConflictConfigDirCopilot => "--config-dir não serve para --copilot sozinho: o GitHub Copilot no VS Code sempre lê a pasta .github/ do workspace",
        ConflictConfigDirCount => "--config-dir precisa de exatamente um entre --cursor, --copilot e --copilot-cli (e sem --oxe-only)",
        UninstallConfigDirIdeLocal => "--config-dir não pode ser usado junto com --ide-local",
        UninstallConfigDirAllAgents => "--config-dir não pode ser usado junto com --all-agents",
        UninstallConfigDirCount => "--config-dir precisa de exatamente um entre --cursor, --copilot e --copilot-cli",
        UpdateCheckDryRun => "Combinação inválida: --check não aceita --dry-run.",
        UpdateCheckIfNewer => "Combinação inválida: use --check ou --if-newer, não os dois.",
        Destination => "Destino:",
        DryRunTag => "(dry-run: nada é gravado)",
        Skipped => "omitido",
        SkippedExists => "(já existe; use --force para trocar)",
        InitDryRun => "criaria {0}/ (STATE.md, config.json, codebase/, capabilities/, investigations/, dashboard/, context/, install/, runs/, OXE-EVENTS.ndjson, ACTIVE-RUN.json)",
        GitignoreDryRun => "conferiria se {0} ignora .oxe/",
        GitignoreComment => "# OXE (oxe-cc): local workflow state, keep it out of version control",
        FooterDone => "O que foi feito",
        FooterDryRun => "Simulação (nada foi gravado)",
        FooterNext => "Próximos passos",
        InitBulletDryRun => "[dry-run] criaria ou atualizaria .oxe/STATE.md, .oxe/config.json, .oxe/codebase/, .oxe/ACTIVE-RUN.json e .oxe/OXE-EVENTS.ndjson",
        InitBullet => ".oxe/STATE.md, .oxe/config.json, .oxe/codebase/, .oxe/context/, .oxe/ACTIVE-RUN.json e .oxe/OXE-EVENTS.ndjson prontos (arquivos existentes mantidos, a menos que use --force)",
        NextDoctor => "Verificar o projeto:",
        NextInstall => "Instalar as integrações de IDE e agentes (se ainda não fez):",
        NextScan => "Começar o fluxo no seu agente de código:",
        InitDone => "init-oxe terminado.",
        WriteFailed => "não foi possível gravar {0}: {1}",
    }
}

/// The message text with `{0}`, `{1}`, … replaced by `args`.
pub fn tr(lang: Lang, msg: Msg, args: &[&str]) -> String {
    let mut s = match lang {
        Lang::En => en(msg),
        Lang::PtBr => pt(msg),
    }
    .to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}

/// `en` or `pt`, by language: for the short inline texts a command keeps
/// next to its code rather than in [`Msg`].
pub fn pick(lang: Lang, en: &str, pt: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::PtBr => pt.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn detection_order() {
        assert_eq!(Lang::detect(&vars(&[]), None), Lang::En);
        assert_eq!(
            Lang::detect(&vars(&[("LANG", "pt_BR.UTF-8")]), None),
            Lang::PtBr
        );
        assert_eq!(
            Lang::detect(&vars(&[("LANG", "pt_BR.UTF-8"), ("LC_ALL", "C")]), None),
            Lang::En
        );
        assert_eq!(
            Lang::detect(&vars(&[("LC_ALL", ""), ("LANG", "pt_PT")]), None),
            Lang::PtBr
        );
        assert_eq!(
            Lang::detect(&vars(&[("LANG", "pt_BR")]), Some("en")),
            Lang::En
        );
        assert_eq!(Lang::detect(&vars(&[]), Some("pt-BR")), Lang::PtBr);
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            tr(Lang::En, Msg::DirNotFound, &["/x"]),
            "Directory not found: /x"
        );
        assert_eq!(
            tr(Lang::PtBr, Msg::DirNotFound, &["/x"]),
            "Diretório não encontrado: /x"
        );
    }
}
