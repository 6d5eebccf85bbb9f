//! `oxe-cc plan --visual` (the waves and tasks of PLAN.md as a text graph)
//! and `oxe-cc verify --matrix` (SPEC criteria × PLAN tasks × VERIFY
//! results as a table).
//!
//! The PLAN, SPEC and VERIFY.md are read with the crate's parsers
//! ([`crate::parsers::plan`], [`crate::parsers::spec`],
//! [`crate::parsers::verify`], the dashboard's reader, as in 1.4.0): a
//! VERIFY table row naming `A<n>` gives that criterion a status
//! (`passed`, `failed` or `mentioned`), and an `A<n>` anywhere else in the
//! text marks it `mentioned`. Both commands only read; a missing file is a
//! notice and exit 0.

use std::path::{Path, PathBuf};

use crate::flags::ViewOpts;
use crate::i18n::Lang;
use crate::output::{Ctx, CYAN, DIM, GREEN, RED, YELLOW};
use crate::parsers::plan::{parse_plan, PlanTask};
use crate::parsers::spec::parse_spec;
use crate::parsers::verify::parse_verify;

#[derive(Clone, Copy)]
enum M {
    Project,
    Session,
    LegacyMode,
    NoPlan,
    RunPlan,
    NoWaves,
    Wave,
    Counts,
    PlanDone,
    NoCriteria,
    RunSpec,
    NoMatrixData,
    Criterion,
    Tasks,
    Totals,
    MatrixDone,
}

fn msg(lang: Lang, m: M) -> &'static str {
    use Lang::{En, PtBr};
    match (lang, m) {
        (En, M::Project) => "Project:",
        (PtBr, M::Project) => "Projeto:",
        (En, M::Session) => "Session:",
        (PtBr, M::Session) => "Sessão:",
        (En, M::LegacyMode) => "none (project root)",
        (PtBr, M::LegacyMode) => "nenhuma (raiz do projeto)",
        (En, M::NoPlan) => "No PLAN.md at {0}",
        (PtBr, M::NoPlan) => "Sem PLAN.md em {0}",
        (En, M::RunPlan) => "Create the plan with /oxe-plan.",
        (PtBr, M::RunPlan) => "Crie o plano com /oxe-plan.",
        (En, M::NoWaves) => "PLAN.md has no task with a wave (**Onda:** n).",
        (PtBr, M::NoWaves) => "O PLAN.md não tem tarefa com onda (**Onda:** n).",
        (En, M::Wave) => "Wave",
        (PtBr, M::Wave) => "Onda",
        (En, M::Counts) => "{0} task(s) · {1} wave(s)",
        (PtBr, M::Counts) => "{0} tarefa(s) · {1} onda(s)",
        (En, M::PlanDone) => "plan --visual done.",
        (PtBr, M::PlanDone) => "plan --visual pronto.",
        (En, M::NoCriteria) => "SPEC.md has no acceptance criterion (A1, A2, …).",
        (PtBr, M::NoCriteria) => "O SPEC.md não tem critério de aceite (A1, A2, …).",
        (En, M::RunSpec) => "Write the specification with /oxe-spec.",
        (PtBr, M::RunSpec) => "Escreva a especificação com /oxe-spec.",
        (En, M::NoMatrixData) => "Nothing to show in the matrix.",
        (PtBr, M::NoMatrixData) => "Nada a mostrar na matriz.",
        (En, M::Criterion) => " Criterion",
        (PtBr, M::Criterion) => " Critério",
        (En, M::Tasks) => "  Tasks",
        (PtBr, M::Tasks) => "  Tarefas",
        (En, M::Totals) => "{0}/{2} criteria covered by the plan · {1}/{2} passed in verify",
        (PtBr, M::Totals) => "{0}/{2} critérios cobertos pelo plano · {1}/{2} aprovados no verify",
        (En, M::MatrixDone) => "verify --matrix done.",
        (PtBr, M::MatrixDone) => "verify --matrix pronto.",
    }
}

fn t(lang: Lang, m: M, args: &[&str]) -> String {
    let mut s = msg(lang, m).to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}

/// The folder holding a session's files: `.oxe/<session split at '/'>`.
/// `None` when the session would leave `.oxe/` (a `..` or empty part).
fn session_root(root: &Path, session: &str) -> Option<PathBuf> {
    let mut p = root.join(".oxe");
    for part in session.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return None;
        }
        p.push(part);
    }
    Some(p)
}

/// The active session: `--session`, else `**active_session:**` of STATE.md.
fn active_session(opts: &ViewOpts) -> Option<String> {
    if let Some(s) = opts.active_session.as_ref().filter(|s| !s.is_empty()) {
        return Some(s.clone());
    }
    let state = std::fs::read_to_string(opts.dir.join(".oxe").join("STATE.md")).ok()?;
    crate::parsers::state::parse_active_session(&state)
}

/// `(spec, plan, verify)` paths for the session (or the project root).
fn doc_paths(root: &Path, session: Option<&str>) -> (PathBuf, PathBuf, PathBuf) {
    let oxe = root.join(".oxe");
    match session.and_then(|s| session_root(root, s)) {
        Some(sr) => (
            sr.join("spec").join("SPEC.md"),
            sr.join("plan").join("PLAN.md"),
            sr.join("verification").join("VERIFY.md"),
        ),
        None => (
            oxe.join("SPEC.md"),
            oxe.join("PLAN.md"),
            oxe.join("VERIFY.md"),
        ),
    }
}

fn header(ctx: &mut Ctx, dir: &Path, session: Option<&str>) {
    let lang = ctx.lang;
    let l = format!(
        "  {} {}",
        ctx.paint(GREEN, msg(lang, M::Project)),
        ctx.paint(CYAN, &dir.display().to_string())
    );
    ctx.say(&l);
    let s = session.unwrap_or(msg(lang, M::LegacyMode)).to_string();
    let l = format!(
        "  {} {}",
        ctx.paint(GREEN, msg(lang, M::Session)),
        ctx.paint(CYAN, &s)
    );
    ctx.say(&l);
}

/// One wave: its number and its tasks, in PLAN order.
pub struct Wave<'a> {
    pub wave: f64,
    pub tasks: Vec<&'a PlanTask>,
}

/// Tasks grouped by wave number, ascending (tasks without a wave, or with
/// wave 0, are left out as 1.4.0's dashboard does).
pub fn group_waves(tasks: &[PlanTask]) -> Vec<Wave<'_>> {
    let mut waves: Vec<Wave> = Vec::new();
    for task in tasks {
        let Some(w) = task.wave.filter(|w| *w != 0.0 && w.is_finite()) else {
            continue;
        };
        match waves.iter_mut().find(|x| x.wave == w) {
            Some(x) => x.tasks.push(task),
            None => waves.push(Wave {
                wave: w,
                tasks: vec![task],
            }),
        }
    }
    waves.sort_by(|a, b| a.wave.total_cmp(&b.wave));
    waves
}

fn num(n: f64) -> String {
    oxe_runtime::jsjson::number_to_js_string(n)
}

/// `oxe-cc plan --visual`.
pub fn run_plan(ctx: &mut Ctx, opts: &ViewOpts) -> i32 {
    let lang = ctx.lang;
    ctx.section("OXE ▸ plan --visual");
    let session = active_session(opts);
    let (_, plan_path, _) = doc_paths(&opts.dir, session.as_deref());
    header(ctx, &opts.dir, session.as_deref());
    let Ok(md) = std::fs::read_to_string(&plan_path) else {
        let l = format!(
            "\n  {}",
            ctx.paint(
                YELLOW,
                &t(lang, M::NoPlan, &[&plan_path.display().to_string()])
            )
        );
        ctx.say(&l);
        let l = format!("  {}\n", ctx.paint(DIM, msg(lang, M::RunPlan)));
        ctx.say(&l);
        return 0;
    };
    let plan = parse_plan(&md);
    let waves = group_waves(&plan.tasks);
    if waves.is_empty() {
        let l = format!("\n  {}\n", ctx.paint(YELLOW, msg(lang, M::NoWaves)));
        ctx.say(&l);
        return 0;
    }
    ctx.say("");
    for wave in &waves {
        let label = format!("{} {}", msg(lang, M::Wave), num(wave.wave));
        let indent = " ".repeat(2 + label.chars().count() + 3);
        for (i, task) in wave.tasks.iter().enumerate() {
            let deps = if task.depends_on.is_empty() {
                String::new()
            } else {
                format!(
                    " {}",
                    ctx.paint(DIM, &format!("← {}", task.depends_on.join(", ")))
                )
            };
            let body = format!("{} — {}{deps}", ctx.paint(CYAN, &task.id), task.title);
            let line = if i == 0 {
                format!("  {}   {body}", ctx.paint(YELLOW, &label))
            } else {
                format!("{indent}{body}")
            };
            ctx.say(&line);
        }
        ctx.say("");
    }
    let counts = t(
        lang,
        M::Counts,
        &[&plan.total_tasks.to_string(), &waves.len().to_string()],
    );
    let l = format!("  {}", ctx.paint(DIM, &counts));
    ctx.say(&l);
    let l = format!("  {} {}\n", ctx.paint(GREEN, "✓"), msg(lang, M::PlanDone));
    ctx.say(&l);
    0
}

/// One matrix row: criterion id, covering tasks, PLAN coverage, VERIFY
/// status (`passed`, `failed`, `mentioned` or `missing`).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    pub id: String,
    pub tasks: Vec<String>,
    pub plan_covered: bool,
    pub verify_status: &'static str,
}

pub fn coverage_matrix(spec_md: &str, plan_md: &str, verify_md: &str) -> (usize, Vec<MatrixRow>) {
    let spec = parse_spec(spec_md);
    let plan = parse_plan(plan_md);
    let verify = parse_verify(verify_md);
    let rows = spec
        .criteria
        .iter()
        .map(|c| {
            let tasks: Vec<String> = plan
                .tasks
                .iter()
                .filter(|t| t.aceite.contains(&c.id))
                .map(|t| t.id.clone())
                .collect();
            let status = match verify.criteria.iter().rev().find(|r| r.id == c.id) {
                Some(r) => r.status,
                None if verify.mentioned.contains(&c.id) => "mentioned",
                None => "missing",
            };
            MatrixRow {
                id: c.id.clone(),
                plan_covered: !tasks.is_empty(),
                tasks,
                verify_status: status,
            }
        })
        .collect();
    (spec.criteria.len(), rows)
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// `oxe-cc verify --matrix`.
pub fn run_verify(ctx: &mut Ctx, opts: &ViewOpts) -> i32 {
    let lang = ctx.lang;
    ctx.section("OXE ▸ verify --matrix");
    let session = active_session(opts);
    let (spec_p, plan_p, verify_p) = doc_paths(&opts.dir, session.as_deref());
    header(ctx, &opts.dir, session.as_deref());
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let (criteria, matrix) = coverage_matrix(&read(&spec_p), &read(&plan_p), &read(&verify_p));
    if matrix.is_empty() {
        let (a, b) = if criteria == 0 {
            (msg(lang, M::NoCriteria), msg(lang, M::RunSpec))
        } else {
            (msg(lang, M::NoMatrixData), "")
        };
        let l = format!("\n  {}", ctx.paint(YELLOW, a));
        ctx.say(&l);
        if !b.is_empty() {
            let l = format!("  {}", ctx.paint(DIM, b));
            ctx.say(&l);
        }
        ctx.say("");
        return 0;
    }
    let col_id = matrix
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(9)
        + 2;
    let task_text = |r: &MatrixRow| {
        if r.tasks.is_empty() {
            "—".to_string()
        } else {
            r.tasks.join(", ")
        }
    };
    let col_tasks = matrix
        .iter()
        .map(|r| task_text(r).chars().count())
        .max()
        .unwrap_or(0)
        .max(12)
        + 2;
    let sep = format!(
        "  {}┼{}┼──────────┼──────────",
        "─".repeat(col_id),
        "─".repeat(col_tasks)
    );
    let head = format!(
        "  {}│{}│  PLAN    │  VERIFY",
        pad(msg(lang, M::Criterion), col_id),
        pad(msg(lang, M::Tasks), col_tasks)
    );
    ctx.say("");
    let h = ctx.paint(DIM, &head);
    ctx.say(&h);
    ctx.say(&sep);
    let (mut covered, mut passed) = (0, 0);
    for r in &matrix {
        let plan_cell = if r.plan_covered {
            ctx.paint(GREEN, "✓")
        } else {
            ctx.paint(DIM, "✗")
        };
        let verify_cell = match r.verify_status {
            "passed" => ctx.paint(GREEN, "✓"),
            "failed" => ctx.paint(RED, "✗"),
            _ => ctx.paint(DIM, "—"),
        };
        let line = format!(
            "  {}│{}│  {plan_cell}       │  {verify_cell}",
            pad(&format!(" {}", r.id), col_id),
            pad(&format!("  {}", task_text(r)), col_tasks)
        );
        ctx.say(&line);
        covered += usize::from(r.plan_covered);
        passed += usize::from(r.verify_status == "passed");
    }
    ctx.say(&sep);
    let total = matrix.len().to_string();
    let totals = t(
        lang,
        M::Totals,
        &[&covered.to_string(), &passed.to_string(), &total],
    );
    let l = format!("\n  {}", ctx.paint(DIM, &totals));
    ctx.say(&l);
    let l = format!("  {} {}\n", ctx.paint(GREEN, "✓"), msg(lang, M::MatrixDone));
    ctx.say(&l);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "# SPEC\n\n## Objetivo\n\nX\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----------|----------------|\n| A1 | Login | teste |\n| A2 | Logout | teste |\n| A3 | Perfil | teste |\n";
    const PLAN: &str = "# PLAN\n\n### T1 — Login\n**Onda:** 1\n**Aceite vinculado:** A1\n\n### T2 — Logout\n**Onda:** 1\n**Depende de:** T1\n**Aceite vinculado:** A2\n\n### T3 — Docs\n**Onda:** 2\n";
    const VERIFY: &str =
        "| ID | Status |\n|----|--------|\n| A1 | pass |\n| A2 | falhou |\n\nA3 citado.\n";

    #[test]
    fn matrix() {
        let (n, m) = coverage_matrix(SPEC, PLAN, VERIFY);
        assert_eq!(n, 3);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].tasks, vec!["T1"]);
        assert_eq!(m[0].verify_status, "passed");
        assert_eq!(m[1].verify_status, "failed");
        assert_eq!(m[2].verify_status, "mentioned");
        assert!(!m[2].plan_covered);
        let (_, m) = coverage_matrix(SPEC, "", "");
        assert_eq!(m[0].verify_status, "missing");
    }

    #[test]
    fn waves() {
        let plan = parse_plan(PLAN);
        let w = group_waves(&plan.tasks);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].tasks.len(), 2);
        assert_eq!(w[1].tasks[0].id, "T3");
    }

    #[test]
    fn sessions_stay_inside() {
        let root = Path::new("/p");
        assert!(session_root(root, "../x").is_none());
        assert_eq!(
            session_root(root, "sessions/s1"),
            Some(PathBuf::from("/p/.oxe/sessions/s1"))
        );
    }
}
