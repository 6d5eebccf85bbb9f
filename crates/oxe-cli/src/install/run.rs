//! `oxe-cc [install]`: resolve the selection, plan, apply, record.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::apply::{apply, Decision, Mode, Outcome};
use super::build::{build, Built};
use super::manifest;
use super::paths::Env;
use super::plan::{Content, Planned};
use super::say::t;
use super::select::{any_ide, resolve_selection};
use super::summary::{bullets, json_summary, Tally};
use super::vsix::install_extension;
use super::workspace;
use crate::flags::InstallOpts;
use crate::output::{Ctx, NextStep, CYAN, DIM, GREEN, RED, YELLOW};

/// `OXE_INSTALL_MODE=update` (set by `oxe-cc update`) turns the install
/// into a refresh that keeps the user's edits.
pub fn mode_of(ctx: &Ctx, force: bool) -> Mode {
    if ctx.env.var("OXE_INSTALL_MODE") == Some("update") {
        Mode::Update
    } else {
        Mode::Install { force }
    }
}

/// Runs the install after the shared prelude (banner printed, flags
/// valid). With `--json`, human lines go to stderr and stdout carries one
/// JSON summary.
pub fn run(ctx: &mut Ctx, opts: &InstallOpts) -> i32 {
    if !opts.json_output {
        return run_inner(ctx, opts).0;
    }
    let mut buf: Vec<u8> = Vec::new();
    let (code, summary) = {
        let mut sub = Ctx {
            env: ctx.env,
            lang: ctx.lang,
            color: false,
            out: &mut buf,
            err: &mut *ctx.err,
        };
        run_inner(&mut sub, opts)
    };
    let _ = ctx.err.write_all(&buf);
    if let Some(v) = summary {
        ctx.say(&oxe_runtime::jsjson::to_pretty(&v));
    }
    code
}

fn line(ctx: &mut Ctx, label: &str, color: &str, rest: &str) {
    let l = format!("{}  {rest}", ctx.paint(color, label));
    ctx.say(&l);
}

fn run_inner(ctx: &mut Ctx, opts: &InstallOpts) -> (i32, Option<Value>) {
    let mut o = opts.clone();
    resolve_selection(ctx, &mut o, opts.json_output);
    if !o.dry_run && !o.dir.exists() {
        let msg = ctx.t(
            crate::i18n::Msg::DirNotFound,
            &[&o.dir.display().to_string()],
        );
        ctx.notice(&msg);
        return (1, None);
    }
    if let Some(code) = super::wsl::guard(ctx) {
        return (code, None);
    }
    let lang = ctx.lang;
    let env = Env::new(ctx.env.vars.clone());
    let pkg = ctx.env.package_root.clone();
    let version = crate::sdk::read_package_meta(&pkg).version;
    let mode = mode_of(ctx, o.force);
    let b = build(&pkg, &env, &o);
    let mode_name = match mode {
        Mode::Update => "update",
        Mode::Install { .. } => "install",
    };

    ctx.section(&t(
        lang,
        "OXE ▸ Install into the project",
        "OXE ▸ Instalação no projeto",
        &[],
    ));
    let dest_label = ctx.t(crate::i18n::Msg::Destination, &[]);
    let l = format!(
        "  {} {}",
        ctx.paint(GREEN, &dest_label),
        ctx.paint(CYAN, &o.dir.display().to_string())
    );
    ctx.say(&l);
    if o.dry_run {
        let tag = ctx.t(crate::i18n::Msg::DryRunTag, &[]);
        let l = format!("  {}", ctx.paint(YELLOW, &tag));
        ctx.say(&l);
    }
    let layout = if b.classic {
        t(
            lang,
            "Repo layout: oxe/ at the root + .oxe/",
            "Layout do repo: oxe/ na raiz + .oxe/",
            &[],
        )
    } else {
        t(
            lang,
            "Repo layout: .oxe/ only (.oxe/workflows)",
            "Layout do repo: só .oxe/ (.oxe/workflows)",
            &[],
        )
    };
    let l = format!("  {}", ctx.paint(DIM, &layout));
    ctx.say(&l);
    if matches!(mode, Mode::Update) {
        let m = t(lang, "Update mode: files you edited are kept; their new version is written beside them as <file>.oxe-new.", "Modo atualização: arquivos editados por você são mantidos; a nova versão fica ao lado como <arquivo>.oxe-new.", &[]);
        let l = format!("  {}", ctx.paint(DIM, &m));
        ctx.say(&l);
    }
    for w in &b.plan.warnings {
        let label = t(lang, "warning:", "aviso:", &[]);
        let l = format!("{} {w}", ctx.paint(YELLOW, &label));
        ctx.warn(&l);
    }

    if o.dry_run {
        return dry_run(ctx, &o, &b, &pkg, mode_name);
    }

    let home = env.home.clone();
    let prev = manifest::load(&home);
    let prev_raw = manifest::load_raw(&home);
    // Back up, before a forced overwrite, the planned files the user changed.
    let mut backup = None;
    if let Mode::Install { force: true } = mode {
        let scope: BTreeMap<String, String> = b
            .plan
            .files
            .iter()
            .filter_map(|p| {
                let k = p.dest.to_string_lossy().into_owned();
                prev.get(&k).map(|h| (k, h.clone()))
            })
            .collect();
        match manifest::backup_modified(&home, &scope, true, false) {
            Ok(Some(bk)) => {
                let m = t(
                    lang,
                    "{0} OXE file(s) changed locally; backed up in {1}",
                    "{0} arquivo(s) OXE alterado(s) localmente; backup em {1}",
                    &[&bk.files.len().to_string(), &ctx.display_path(&bk.dir)],
                );
                let l = format!("  {}  {m}", ctx.paint(YELLOW, "i"));
                ctx.say(&l);
                for f in &bk.files {
                    let l = format!("     {}", ctx.paint(DIM, f));
                    ctx.say(&l);
                }
                backup = Some(bk);
            }
            Ok(None) => {}
            Err(e) => {
                let l = format!("{} {e}", ctx.paint(RED, "backup:"));
                ctx.warn(&l);
                return (1, None);
            }
        }
    }

    let outcomes = apply(&b.plan.files, mode, &prev);
    report_outcomes(ctx, &b.plan.files, &outcomes);
    let tally = Tally::new(&b.plan.files, &outcomes);
    let mut ok = tally.failed.is_empty();
    let mut extra_tracked: Vec<std::path::PathBuf> = Vec::new();

    if o.copilot {
        let p = workspace::copilot_manifest_path(&o.dir);
        let text = workspace::copilot_manifest(
            &o.dir,
            &version,
            if b.classic { "classic" } else { "nested" },
        );
        ok &= write_or_report(ctx, &p, text.as_bytes());
        extra_tracked.push(p);
    }
    let boot = if o.no_init_oxe {
        crate::init_oxe::ensure_gitignore(ctx, &o.dir, false)
    } else {
        crate::init_oxe::bootstrap_oxe(ctx, &o.dir, false, o.force)
    };
    if let Err(e) = boot {
        let l = format!(
            "{} {}: {}",
            ctx.paint(RED, "init:"),
            e.path.display(),
            e.reason
        );
        ctx.warn(&l);
        ok = false;
    }
    let sem_path = workspace::semantics_manifest_path(&o.dir);
    let sem = workspace::semantics_manifest(
        &o.dir,
        &pkg,
        &version,
        if b.classic { "classic" } else { "nested" },
        b.runtimes,
    );
    ok &= write_or_report(ctx, &sem_path, sem.as_bytes());
    extra_tracked.push(sem_path);

    // Manifest: previous entries, then what this run installed. Files left
    // alone keep their previous entry (the user's edit is not a new baseline).
    let mut files: Map<String, Value> = prev_raw;
    for (p, out) in b.plan.files.iter().zip(&outcomes) {
        let key = p.dest.to_string_lossy().into_owned();
        match out {
            Outcome::Written { .. } | Outcome::Unchanged { .. } => {
                let h = match &p.content {
                    Content::Bytes(_) => match out {
                        Outcome::Written { hash, .. } | Outcome::Unchanged { hash } => {
                            Some(hash.clone())
                        }
                        _ => None,
                    },
                    Content::InstructionsBlock(_) => manifest::sha256_file(&p.dest).ok(),
                };
                if let Some(h) = h {
                    files.insert(key, Value::String(h));
                }
            }
            // the proposal written beside a user's edit is ours
            Outcome::KeptUserEdit { new_path } => {
                if let Ok(h) = manifest::sha256_file(new_path) {
                    files.insert(new_path.to_string_lossy().into_owned(), Value::String(h));
                }
            }
            _ => {}
        }
    }
    for p in extra_tracked {
        if let Ok(h) = manifest::sha256_file(&p) {
            files.insert(p.to_string_lossy().into_owned(), Value::String(h));
        }
    }
    if let Err(e) = manifest::write(&home, &files, &version) {
        let l = format!("{} {e}", ctx.paint(RED, "manifest:"));
        ctx.warn(&l);
        ok = false;
    }

    let vs = install_extension(ctx, &pkg, false);
    let bl = bullets(lang, ctx.env, &o, &b, &b.plan.files, false);
    let mut bl = bl;
    if !tally.kept.is_empty() {
        bl.push(t(
            lang,
            "{0} file(s) you edited were kept (new versions: *.oxe-new)",
            "{0} arquivo(s) editado(s) por você mantido(s) (novas versões: *.oxe-new)",
            &[&tally.kept.len().to_string()],
        ));
    }
    if !tally.skipped.is_empty() {
        bl.push(t(
            lang,
            "{0} existing file(s) left as they were (use --force to replace)",
            "{0} arquivo(s) existente(s) mantido(s) (use --force para substituir)",
            &[&tally.skipped.len().to_string()],
        ));
    }
    ctx.footer(&bl, &next_steps(lang), false);
    if o.copilot {
        legacy_note(ctx, &env, &o);
    }
    let summary = json_summary(
        &o,
        &b,
        &b.plan.files,
        Some(&tally),
        mode_name,
        backup.as_ref(),
        &vs,
        ok,
    );
    if !ok {
        let m = t(
            lang,
            "Install finished with errors (see above); re-run it to complete.",
            "Instalação concluída com erros (veja acima); execute de novo para completar.",
            &[],
        );
        ctx.error(&m);
        return (1, Some(summary));
    }
    let done = t(
        lang,
        "Install finished successfully.",
        "Instalação concluída com sucesso.",
        &[],
    );
    ctx.done(&done);
    super::globalcli::maybe_install(ctx, &o, &version);
    (0, Some(summary))
}

fn write_or_report(ctx: &mut Ctx, p: &std::path::Path, bytes: &[u8]) -> bool {
    match oxe_runtime::store::write_atomic(p, bytes) {
        Ok(()) => true,
        Err(e) => {
            let l = format!("{} {e}", ctx.paint(RED, "error:"));
            ctx.warn(&l);
            false
        }
    }
}

fn report_outcomes(ctx: &mut Ctx, files: &[Planned], outcomes: &[Outcome]) {
    let lang = ctx.lang;
    for (p, o) in files.iter().zip(outcomes) {
        let dest = p.dest.display().to_string();
        match o {
            Outcome::Skipped { has_block } => {
                let why = match (&p.content, has_block) {
                    (Content::InstructionsBlock(_), true) => t(
                        lang,
                        "(OXE block already there; use --force to update it)",
                        "(bloco OXE já existe; use --force para atualizar)",
                        &[],
                    ),
                    (Content::InstructionsBlock(_), false) => t(
                        lang,
                        "(file exists; use --force to add the OXE block)",
                        "(arquivo existe; use --force para acrescentar o bloco OXE)",
                        &[],
                    ),
                    _ => ctx.t(crate::i18n::Msg::SkippedExists, &[]),
                };
                let label = ctx.t(crate::i18n::Msg::Skipped, &[]);
                line(ctx, &label, DIM, &format!("{dest} {why}"));
            }
            Outcome::KeptUserEdit { new_path } => {
                let m = t(
                    lang,
                    "{0} (edited by you; new version in {1})",
                    "{0} (editado por você; nova versão em {1})",
                    &[&dest, &new_path.display().to_string()],
                );
                line(ctx, &t(lang, "kept", "mantido", &[]), YELLOW, &m);
            }
            Outcome::Failed { reason } => {
                let l = format!("{} {dest}: {reason}", ctx.paint(RED, "error:"));
                ctx.warn(&l);
            }
            _ => {}
        }
    }
}

fn dry_run(
    ctx: &mut Ctx,
    o: &InstallOpts,
    b: &Built,
    pkg: &std::path::Path,
    mode: &str,
) -> (i32, Option<Value>) {
    let lang = ctx.lang;
    let recorded = manifest::load(&Env::new(ctx.env.vars.clone()).home);
    let m = mode_of(ctx, o.force);
    for p in &b.plan.files {
        let dest = p.dest.display().to_string();
        let decision = super::apply::decide(p, m, recorded.get(dest.as_str()).map(String::as_str));
        match (decision, &p.content) {
            (Decision::Unchanged { .. }, _) => {
                let l = t(lang, "unchanged", "sem mudança", &[]);
                line(ctx, &l, DIM, &dest);
            }
            (Decision::Skip { .. }, _) => {
                let label = ctx.t(crate::i18n::Msg::Skipped, &[]);
                let why = ctx.t(crate::i18n::Msg::SkippedExists, &[]);
                line(ctx, &label, DIM, &format!("{dest} {why}"));
            }
            (Decision::Propose { new_path, .. }, _) => {
                let m = t(
                    lang,
                    "{0} (edited by you; new version would go to {1})",
                    "{0} (editado por você; a nova versão iria para {1})",
                    &[&dest, &new_path.display().to_string()],
                );
                line(ctx, &t(lang, "keep", "manter", &[]), YELLOW, &m);
            }
            (Decision::Write { .. }, Content::InstructionsBlock(_)) => {
                let l = t(lang, "merge", "fusão", &[]);
                line(ctx, &l, DIM, &format!("copilot-instructions.md → {dest}"));
            }
            (Decision::Write { .. }, Content::Bytes(_)) => {
                line(ctx, p.label, DIM, &format!("{} → {dest}", p.src.display()));
            }
        }
    }
    if o.copilot {
        line(
            ctx,
            "manifest",
            DIM,
            &workspace::copilot_manifest_path(&o.dir)
                .display()
                .to_string(),
        );
    }
    let _ = if o.no_init_oxe {
        crate::init_oxe::ensure_gitignore(ctx, &o.dir, true)
    } else {
        crate::init_oxe::bootstrap_oxe(ctx, &o.dir, true, o.force)
    };
    line(
        ctx,
        "manifest",
        DIM,
        &workspace::semantics_manifest_path(&o.dir)
            .display()
            .to_string(),
    );
    let vs = install_extension(ctx, pkg, true);
    let bl = bullets(lang, ctx.env, o, b, &b.plan.files, true);
    ctx.footer(&bl, &[], true);
    (
        0,
        Some(json_summary(
            o,
            b,
            &b.plan.files,
            None,
            mode,
            None,
            &vs,
            true,
        )),
    )
}

fn next_steps(lang: crate::i18n::Lang) -> Vec<NextStep> {
    vec![
        NextStep {
            desc: t(lang, "Check the install", "Verifique a instalação", &[]),
            cmd: "npx oxe-cc doctor".into(),
        },
        NextStep {
            desc: t(
                lang,
                "Map the codebase in your agent",
                "Mapeie o código no seu agente",
                &[],
            ),
            cmd: "/oxe-scan".into(),
        },
    ]
}

/// A note when the old `~/.copilot` prompts of earlier versions are there.
fn legacy_note(ctx: &mut Ctx, env: &Env, o: &InstallOpts) {
    let dir = super::paths::copilot_user_dir(env, None, Default::default());
    let has_prompts = super::render::file_names(&dir.join("prompts"))
        .iter()
        .any(|n| n.starts_with("oxe-") && n.ends_with(".prompt.md"));
    let has_block = std::fs::read_to_string(dir.join("copilot-instructions.md"))
        .is_ok_and(|s| s.contains(super::text::INST_BEGIN));
    if !(has_prompts || has_block) {
        return;
    }
    let m = t(ctx.lang, "Note: an old Copilot VS Code install was found in {0}; OXE now uses the workspace .github/.", "Nota: instalação antiga do Copilot VS Code em {0}; o OXE agora usa .github/ no workspace.", &[&ctx.display_path(&dir)]);
    let l = format!("  {}", ctx.paint(YELLOW, &m));
    ctx.say(&l);
    let cmd = format!(
        "npx oxe-cc uninstall --copilot-legacy-clean --dir \"{}\"",
        o.dir.display()
    );
    let l = format!("  {}", ctx.paint(CYAN, &cmd));
    ctx.say(&l);
    let _ = any_ide(o);
}
