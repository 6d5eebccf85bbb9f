//! The projection engine: Markdown views of a run (PLAN, VERIFY, STATE, run,
//! commit and promotion/PR summaries), byte for byte as oxe-cc 1.4.0
//! renders them for the same inputs.
//!
//! The glue (`lib/runtime/projection.js`) hands over a *projection wire*: the
//! few values each view reads, taken from the caller's RunState (Maps and
//! Sets) and ExecutionGraph, as one JSON object:
//!
//! ```text
//! { run:        {run_id, status, mode, started_at, ended_at} | null,
//!   completed, failed, blocked: [ids…],          // the three Sets
//!   completed_titles, failed_titles, blocked_titles:  // commit, promotion
//!               [graph.nodes.get(id)?.title…],   // aligned with the Sets
//!   attempts:   [length…],                       // attempts values (run summary)
//!   rows:       [[hasNode, title, depends_on, status]…],  // plan: one per
//!               // wave node id in wave order (graph.nodes / workItems)
//!   waves, metadata,                             // graph, as they are
//!   results:       [{c: check_id, s: summary, t: status, e: evidence_refs}…],
//!   check_results: [{c: check_id, a: acceptance_ref, t: status, d: duration_ms}…],
//!   manifest: {summary} | falsy, risk_ledger: {risks} | falsy, coverage }
//! ```
//!
//! Rows are objects so that an `undefined` field stays absent (JSON arrays
//! would turn it into `null`, which interpolates differently).
//!
//! Values keep JS semantics: a missing key is `undefined` (rendered
//! `undefined` in a template), `??` falls back on `null` and `undefined`,
//! `||` on every falsy value, and interpolation is `String(value)`.

pub mod wire;

use std::borrow::Cow;

use crate::error::{OxeError, OxeResult};
use crate::jsjson;

pub use wire::J;

const GENERATED: &str =
    "<!-- Gerado automaticamente pelo Projection Engine — não editar diretamente -->";
const DASH: &str = "—";

fn arg(msg: impl Into<String>) -> OxeError {
    OxeError::Arg(format!("ProjectionEngine: {}", msg.into()))
}

/// `String(v)` of an optional value (`undefined` when absent).
fn s<'b>(v: Option<&'b J<'_>>) -> Cow<'b, str> {
    match v {
        None => Cow::Borrowed("undefined"),
        Some(v) => v.js_string(),
    }
}

/// `v ?? d`, then `String(…)`.
fn or<'b>(v: Option<&'b J<'_>>, d: &'b str) -> Cow<'b, str> {
    match v {
        None | Some(J::Null) => Cow::Borrowed(d),
        other => s(other),
    }
}

use wire::join;

/// `x.join(', ')` on a value that must be an array.
fn join_value(v: Option<&J<'_>>, what: &str) -> OxeResult<String> {
    match v {
        Some(J::Arr(a)) => Ok(join(a, ", ")),
        _ => Err(arg(format!("{what} must be an array"))),
    }
}

/// `text || '—'`.
fn or_dash(text: String) -> String {
    if text.is_empty() {
        DASH.to_string()
    } else {
        text
    }
}

/// The first `n` UTF-16 units of `text` (a split surrogate pair becomes
/// U+FFFD, as a lone surrogate cannot cross back to JS as UTF-8).
fn slice_utf16(text: &str, n: usize) -> String {
    let mut units = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.len_utf16();
        if units + w > n {
            if units < n {
                out.push('\u{FFFD}');
            }
            break;
        }
        units += w;
        out.push(c);
    }
    out
}

/// `isoToDate(iso)`: `—` when falsy, else `iso.slice(0, 10)`.
fn iso_date(v: Option<&J<'_>>) -> OxeResult<String> {
    match v {
        None => Ok(DASH.into()),
        Some(v) if !v.truthy() => Ok(DASH.into()),
        Some(J::Str(x)) => Ok(slice_utf16(x, 10)),
        Some(J::Arr(a)) => Ok(join(&a[..a.len().min(10)], ",")),
        Some(_) => Err(arg("run dates must be ISO strings")),
    }
}

fn status_icon(status: &J<'_>) -> &'static str {
    match status.as_str() {
        Some("completed") => "✓",
        Some("failed") => "✗",
        Some("blocked") => "⊘",
        Some("running") => "⟳",
        _ => "○",
    }
}

fn verify_icon<'b>(status: Option<&'b J<'_>>) -> Cow<'b, str> {
    match status.and_then(J::as_str) {
        Some("pass") => Cow::Borrowed("✓ PASS"),
        Some("fail") => Cow::Borrowed("✗ FAIL"),
        Some("skip") => Cow::Borrowed("— SKIP"),
        Some("error") => Cow::Borrowed("! ERROR"),
        _ => s(status),
    }
}

/// The projection wire of one call.
pub struct Input<'a> {
    w: &'a J<'a>,
}

impl<'a> Input<'a> {
    pub fn new(w: &'a J<'a>) -> OxeResult<Input<'a>> {
        if !matches!(w, J::Obj(_)) {
            return Err(arg("the projection input must be an object"));
        }
        Ok(Input { w })
    }

    fn run(&self, k: &str) -> Option<&'a J<'a>> {
        self.w
            .get("run")
            .filter(|r| !r.is_null())
            .and_then(|r| r.get(k))
    }

    fn list(&self, k: &str) -> &'a [J<'a>] {
        match self.w.get(k) {
            Some(J::Arr(a)) => a,
            _ => &[],
        }
    }

    fn graph(&self, k: &str) -> OxeResult<&'a J<'a>> {
        self.w
            .get(k)
            .filter(|v| !v.is_null())
            .ok_or_else(|| arg(format!("graph.{k} is missing")))
    }

    fn waves(&self) -> OxeResult<&'a [J<'a>]> {
        match self.graph("waves")? {
            J::Arr(a) => Ok(a),
            _ => Err(arg("graph.waves must be an array")),
        }
    }

    /// The ids of one of the three Sets with their nodes' titles
    /// (`<set>_titles`, aligned with the ids).
    fn items(&self, set: &str) -> Vec<(&'a J<'a>, Option<&'a J<'a>>)> {
        let titles = match self.w.get(&format!("{set}_titles")) {
            Some(J::Arr(t)) => t.as_slice(),
            _ => &[],
        };
        self.list(set)
            .iter()
            .enumerate()
            .map(|(n, id)| (id, titles.get(n)))
            .collect()
    }
}

/// `node?.title ?? id`.
fn title_or_id<'a>(title: Option<&'a J<'a>>, id: &'a J<'a>) -> Cow<'a, str> {
    match title {
        Some(t) if !t.is_null() => t.js_string(),
        _ => id.js_string(),
    }
}

fn wave_ids<'a>(wave: &'a J<'a>) -> OxeResult<&'a [J<'a>]> {
    match wave.get("node_ids") {
        Some(J::Arr(a)) => Ok(a),
        _ => Err(arg("graph.waves[].node_ids must be an array")),
    }
}

/// Lines joined with `\n`, built in one buffer.
struct Doc {
    out: String,
    first: bool,
}

impl Doc {
    fn new(cap: usize) -> Doc {
        Doc {
            out: String::with_capacity(cap),
            first: true,
        }
    }
    fn line(&mut self, parts: &[&str]) {
        if !self.first {
            self.out.push('\n');
        }
        self.first = false;
        for p in parts {
            self.out.push_str(p);
        }
    }
    fn blank(&mut self) {
        self.line(&[]);
    }
    fn finish(self) -> String {
        self.out
    }
}

/// `projectPlan(state, graph)`. `rows` holds, for each node id of each
/// wave in order, `[hasNode, node.title, node.depends_on, workItem.status]`.
pub fn project_plan(w: &J<'_>) -> OxeResult<String> {
    let i = Input::new(w)?;
    let meta = i.graph("metadata")?;
    let waves = i.waves()?;
    let rows = i.list("rows");
    let mut d = Doc::new(1024 + 96 * rows.len());
    d.line(&["# OXE — Plano de Execução"]);
    d.blank();
    d.line(&[GENERATED]);
    d.blank();
    d.line(&["## Resumo"]);
    d.blank();
    d.line(&["- **Run:** ", &or(i.run("run_id"), DASH)]);
    d.line(&["- **Status:** ", &or(i.run("status"), "sem run")]);
    d.line(&["- **Iniciado em:** ", &iso_date(i.run("started_at"))?]);
    d.line(&[
        "- **Nós:** ",
        &s(meta.get("node_count")),
        " tarefas em ",
        &s(meta.get("wave_count")),
        " onda(s)",
    ]);
    d.blank();
    d.line(&["## Ondas e tarefas"]);
    d.blank();
    let pending = J::Str(Cow::Borrowed("pending"));
    let mut row = rows.iter();
    for wave in waves {
        d.line(&["### Onda ", &s(wave.get("wave_number"))]);
        d.blank();
        d.line(&["| ID | Título | Status | Dependências |"]);
        d.line(&["|----|--------|--------|--------------|"]);
        for id in wave_ids(wave)? {
            let r = row.next().and_then(J::as_array).unwrap_or(&[]);
            let has_node = r.first().is_some_and(J::truthy);
            let status = match r.get(3) {
                Some(v) if !v.is_null() => v,
                _ => &pending,
            };
            let deps = if has_node {
                join_value(r.get(2), "graph node depends_on")?
            } else {
                String::new()
            };
            let title = if has_node { r.get(1) } else { None };
            d.line(&[
                "| ",
                &id.js_string(),
                " | ",
                &title_or_id(title, id),
                " | ",
                status_icon(status),
                " ",
                &status.js_string(),
                " | ",
                &or_dash(deps),
                " |",
            ]);
        }
        d.blank();
    }
    let (done, failed, blocked) = (i.list("completed"), i.list("failed"), i.list("blocked"));
    if !done.is_empty() || !failed.is_empty() {
        d.line(&["## Progresso"]);
        d.blank();
        d.line(&["- **Concluídos:** ", &or_dash(join(done, ", "))]);
        d.line(&["- **Falhos:** ", &or_dash(join(failed, ", "))]);
        d.line(&["- **Bloqueados:** ", &or_dash(join(blocked, ", "))]);
        d.blank();
    }
    Ok(d.finish())
}

/// `projectVerify(state, results, checkResults?, manifest?, riskLedger?, evidenceCoverage?)`.
pub fn project_verify(w: &J<'_>) -> OxeResult<String> {
    let i = Input::new(w)?;
    let results = match w.get("results") {
        Some(J::Arr(r)) => r.as_slice(),
        _ => {
            return Err(arg(
                "results must be an array of VerificationResult objects",
            ))
        }
    };
    let mut d = Doc::new(2048 + 128 * results.len());
    d.line(&["# OXE — Verificação"]);
    d.blank();
    d.line(&[GENERATED]);
    d.blank();
    d.line(&["## Auditoria de pré-execução"]);
    d.blank();
    d.line(&["- **Run:** ", &or(i.run("run_id"), DASH)]);
    d.line(&["- **Iniciado em:** ", &iso_date(i.run("started_at"))?]);
    d.line(&["- **Concluído em:** ", &iso_date(i.run("ended_at"))?]);
    d.line(&["- **Status:** ", &or(i.run("status"), DASH)]);
    d.blank();

    if !results.is_empty() {
        d.line(&["## Critérios de aceite"]);
        d.blank();
        d.line(&["| ID | Check | Status | Evidências |"]);
        d.line(&["|----|-------|--------|------------|"]);
        for r in results {
            let refs = join_value(r.get("e"), "results[].evidence_refs")?;
            let check = r.get("c");
            let summary = match r.get("s") {
                None | Some(J::Null) => s(check),
                some => s(some),
            };
            d.line(&[
                "| ",
                &s(check),
                " | ",
                &summary,
                " | ",
                &verify_icon(r.get("t")),
                " | ",
                &or_dash(refs),
                " |",
            ]);
        }
        d.blank();
    }

    if let Some(m) = w.get("manifest").filter(|m| m.truthy()) {
        let sum = m
            .get("summary")
            .filter(|v| !v.is_null())
            .ok_or_else(|| arg("manifest.summary is missing"))?;
        d.line(&["## Verification Manifest"]);
        d.blank();
        d.line(&["- **Checks:** ", &s(sum.get("total"))]);
        d.line(&["- **Pass:** ", &s(sum.get("pass"))]);
        d.line(&["- **Fail:** ", &s(sum.get("fail"))]);
        d.line(&["- **Skip:** ", &s(sum.get("skip"))]);
        d.line(&["- **Errors:** ", &s(sum.get("error"))]);
        let all = sum.get("all_passed").is_some_and(J::truthy);
        d.line(&["- **All passed:** ", if all { "sim" } else { "não" }]);
        d.blank();
    }

    if let Some(c) = w.get("coverage").filter(|c| c.truthy()) {
        d.line(&["## Evidence Coverage"]);
        d.blank();
        d.line(&[
            "- **Checks com evidência:** ",
            &s(c.get("checks_with_evidence")),
            "/",
            &s(c.get("total_checks")),
        ]);
        d.line(&["- **Refs totais:** ", &s(c.get("total_evidence_refs"))]);
        d.line(&["- **Cobertura:** ", &s(c.get("coverage_percent")), "%"]);
        d.blank();
    }

    if let Some(l) = w.get("risk_ledger").filter(|l| l.truthy()) {
        let risks = match l.get("risks") {
            Some(J::Arr(r)) => r.as_slice(),
            _ => return Err(arg("riskLedger.risks must be an array")),
        };
        if !risks.is_empty() {
            d.line(&["## Residual Risks"]);
            d.blank();
            for r in risks {
                let sev = match r.get("severity") {
                    Some(J::Str(x)) => x.to_uppercase(),
                    _ => return Err(arg("riskLedger.risks[].severity must be a string")),
                };
                d.line(&["- [", &sev, "] ", &s(r.get("description"))]);
            }
            d.blank();
        }
    }

    if let Some(J::Arr(crs)) = w.get("check_results") {
        if !crs.is_empty() {
            d.line(&["## Resultados dos checks executados"]);
            d.blank();
            d.line(&["| Check | Aceite | Status | Duração |"]);
            d.line(&["|-------|--------|--------|---------|"]);
            for cr in crs {
                d.line(&[
                    "| ",
                    &s(cr.get("c")),
                    " | ",
                    &or(cr.get("a"), DASH),
                    " | ",
                    &verify_icon(cr.get("t")),
                    " | ",
                    &s(cr.get("d")),
                    "ms |",
                ]);
            }
            d.blank();
        }
    }

    let count = |st: &str| {
        results
            .iter()
            .filter(|r| r.get("t").and_then(J::as_str) == Some(st))
            .count()
    };
    let (passed, failed) = (count("pass"), count("fail"));
    d.line(&["## Conclusão"]);
    d.blank();
    d.line(&["- **Total de critérios:** ", &results.len().to_string()]);
    d.line(&["- **Aprovados:** ", &passed.to_string()]);
    d.line(&["- **Reprovados:** ", &failed.to_string()]);
    d.blank();
    if failed == 0 && !results.is_empty() {
        d.line(&["> ✓ **Verificação concluída com sucesso.** Todos os critérios foram atendidos."]);
    } else {
        d.line(&[
            "> ✗ **Verificação com falhas.** ",
            &failed.to_string(),
            " critério(s) não atendido(s).",
        ]);
    }
    d.blank();
    Ok(d.finish())
}

/// `projectState(state)`.
pub fn project_state(w: &J<'_>) -> OxeResult<String> {
    let i = Input::new(w)?;
    let (done, failed, blocked) = (i.list("completed"), i.list("failed"), i.list("blocked"));
    let status = i.run("status").and_then(J::as_str);
    let lifecycle = match status {
        Some("completed") => "closed",
        Some("running") => "executing",
        _ => "pending_execute",
    };
    let mut d = Doc::new(1024);
    d.line(&["# OXE — Estado"]);
    d.blank();
    d.line(&[GENERATED]);
    d.blank();
    d.line(&["## Fase atual"]);
    d.blank();
    d.line(&[
        "- **Status da run:** ",
        &or(i.run("status"), "sem run ativa"),
    ]);
    d.line(&["- **Run ID:** ", &or(i.run("run_id"), DASH)]);
    d.line(&["- **Modo:** ", &or(i.run("mode"), DASH)]);
    d.blank();
    d.line(&["## Runtime operacional"]);
    d.blank();
    d.line(&["- **runtime_status:** ", &or(i.run("status"), DASH)]);
    d.line(&["- **active_run_ref:** ", &or(i.run("run_id"), DASH)]);
    d.blank();
    d.line(&["## Progresso"]);
    d.blank();
    for (label, list) in [
        ("Concluídos", done),
        ("Falhos", failed),
        ("Bloqueados", blocked),
    ] {
        d.line(&[
            "- **",
            label,
            " (",
            &list.len().to_string(),
            "):** ",
            &or_dash(join(list, ", ")),
        ]);
    }
    d.blank();
    d.line(&["- **lifecycleStatus:** ", lifecycle]);
    d.blank();
    Ok(d.finish())
}

/// `projectRunSummary(state)`.
pub fn project_run_summary(w: &J<'_>) -> OxeResult<String> {
    let i = Input::new(w)?;
    let (done, failed, blocked) = (i.list("completed"), i.list("failed"), i.list("blocked"));
    let total: f64 = i
        .list("attempts")
        .iter()
        .map(|n| match n {
            J::Num(t) => t.parse::<f64>().unwrap_or(f64::NAN),
            _ => f64::NAN,
        })
        .sum();
    let mut d = Doc::new(512);
    d.line(&["## Run Summary — ", &or(i.run("run_id"), "unknown")]);
    d.blank();
    d.line(&["**Status:** ", &or(i.run("status"), DASH), "  "]);
    d.line(&["**Mode:** ", &or(i.run("mode"), DASH), "  "]);
    d.line(&["**Started:** ", &iso_date(i.run("started_at"))?, "  "]);
    d.line(&["**Ended:** ", &iso_date(i.run("ended_at"))?, "  "]);
    d.blank();
    d.line(&["**Completed:** ", &done.len().to_string(), " tasks  "]);
    d.line(&["**Failed:** ", &failed.len().to_string(), " tasks  "]);
    d.line(&["**Blocked:** ", &blocked.len().to_string(), " tasks  "]);
    d.line(&[
        "**Total attempts:** ",
        &jsjson::number_to_js_string(total),
        "  ",
    ]);
    d.blank();
    if !done.is_empty() {
        d.line(&["**✓ Completed:** ", &join(done, ", ")]);
    }
    if !failed.is_empty() {
        d.line(&["**✗ Failed:** ", &join(failed, ", ")]);
    }
    if !blocked.is_empty() {
        d.line(&["**⊘ Blocked:** ", &join(blocked, ", ")]);
    }
    Ok(d.finish())
}

fn item_lines(d: &mut Doc, icon: &str, items: &[(&J<'_>, Option<&J<'_>>)]) {
    for (id, title) in items {
        d.line(&[
            "- ",
            icon,
            " ",
            &title_or_id(*title, id),
            " (`",
            &id.js_string(),
            "`)",
        ]);
    }
}

/// `projectCommitSummary(state, graph)`.
pub fn project_commit_summary(w: &J<'_>) -> OxeResult<String> {
    let i = Input::new(w)?;
    let (done, failed, blocked) = (i.items("completed"), i.items("failed"), i.items("blocked"));
    let mut d = Doc::new(256 + 64 * (done.len() + failed.len() + blocked.len()));
    d.line(&["## Commit Summary"]);
    d.blank();
    d.line(&["**Run:** `", &or(i.run("run_id"), DASH), "`"]);
    d.line(&["**Status:** ", &or(i.run("status"), DASH)]);
    d.blank();
    d.line(&["### Included work items"]);
    d.blank();
    item_lines(&mut d, "✓", &done);
    if !failed.is_empty() || !blocked.is_empty() {
        d.blank();
        d.line(&["### Attention points"]);
        d.blank();
        item_lines(&mut d, "✗", &failed);
        item_lines(&mut d, "⊘", &blocked);
    }
    d.blank();
    d.line(&["Generated by OXE Runtime."]);
    Ok(d.finish())
}

/// `projectPromotionSummary(state, graph)` (and `projectPRSummary`).
pub fn project_promotion_summary(w: &J<'_>) -> OxeResult<String> {
    let i = Input::new(w)?;
    let (done, failed, blocked) = (i.items("completed"), i.items("failed"), i.items("blocked"));
    let mut d = Doc::new(256 + 64 * (done.len() + failed.len() + blocked.len()));
    d.line(&["## Promotion Summary"]);
    d.blank();
    item_lines(&mut d, "✓", &done);
    if !failed.is_empty() || !blocked.is_empty() {
        d.blank();
        d.line(&["**⚠️ Incomplete tasks:**"]);
        item_lines(&mut d, "✗", &failed);
        item_lines(&mut d, "⊘", &blocked);
    }
    d.blank();
    d.line(&["## Test plan"]);
    d.blank();
    for wave in i.waves()? {
        d.line(&[
            "- [ ] Wave ",
            &s(wave.get("wave_number")),
            ": ",
            &join(wave_ids(wave)?, ", "),
        ]);
    }
    d.blank();
    d.line(&[
        "**Run:** `",
        &or(i.run("run_id"), DASH),
        "` | **Status:** ",
        &or(i.run("status"), DASH),
    ]);
    d.blank();
    d.line(&["🤖 Generated with [OXE Runtime](https://github.com/propagno/oxe-build)"]);
    Ok(d.finish())
}

/// Renders one projection by its upstream method name from the wire's
/// JSON text.
pub fn project(method: &str, text: &str) -> OxeResult<String> {
    let w = J::parse(text).ok_or_else(|| arg("the projection input is not valid JSON"))?;
    let w = &w;
    match method {
        "projectPlan" => project_plan(w),
        "projectVerify" => project_verify(w),
        "projectState" => project_state(w),
        "projectRunSummary" => project_run_summary(w),
        "projectCommitSummary" => project_commit_summary(w),
        "projectPromotionSummary" | "projectPRSummary" => project_promotion_summary(w),
        other => Err(OxeError::Arg(format!("unknown projection {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn run(method: &str, w: &Value) -> OxeResult<String> {
        project(method, &jsjson::to_line(w))
    }

    fn state() -> Value {
        json!({
            "run": {"run_id": "r001", "status": "running", "mode": "por_onda", "started_at": "2026-04-18T10:00:00Z"},
            "completed": ["T1"], "failed": [], "blocked": [],
            "completed_titles": ["Setup DB"], "failed_titles": [], "blocked_titles": [],
            "rows": [[1, "Setup DB", [], "completed"], [1, "Auth endpoint", ["T1"], "pending"], [0, null, null, null]],
            "attempts": [1, 2],
            "waves": [{"wave_number": 1, "node_ids": ["T1"]}, {"wave_number": 2, "node_ids": ["T2", "T9"]}],
            "metadata": {"node_count": 2, "wave_count": 2},
        })
    }

    #[test]
    fn plan_rows() {
        let md = run("projectPlan", &state()).unwrap();
        assert!(md.contains("- **Iniciado em:** 2026-04-18\n"));
        assert!(md.contains("| T1 | Setup DB | ✓ completed | — |\n"));
        assert!(md.contains("| T2 | Auth endpoint | ○ pending | T1 |\n"));
        assert!(md.contains("| T9 | T9 | ○ pending | — |\n"));
        assert!(md.ends_with("- **Bloqueados:** —\n"));
    }

    #[test]
    fn state_and_run_summary() {
        let md = run("projectState", &state()).unwrap();
        assert!(md.contains("- **Concluídos (1):** T1\n"));
        assert!(md.ends_with("- **lifecycleStatus:** executing\n"));
        let md = run("projectRunSummary", &state()).unwrap();
        assert!(md.starts_with("## Run Summary — r001\n\n**Status:** running  \n"));
        assert!(md.contains("**Total attempts:** 3  \n"));
        assert!(md.ends_with("**✓ Completed:** T1"));
        let empty =
            json!({"run": null, "completed": [], "failed": [], "blocked": [], "attempts": []});
        let md = run("projectRunSummary", &empty).unwrap();
        assert!(md.starts_with("## Run Summary — unknown\n"));
        assert!(md.ends_with("**Total attempts:** 0  \n"));
    }

    #[test]
    fn summaries() {
        let mut w = state();
        w["blocked"] = json!(["T2"]);
        w["blocked_titles"] = json!(["Auth endpoint"]);
        let md = run("projectCommitSummary", &w).unwrap();
        assert!(md
            .contains("- ✓ Setup DB (`T1`)\n\n### Attention points\n\n- ⊘ Auth endpoint (`T2`)\n"));
        assert!(md.ends_with("\n\nGenerated by OXE Runtime."));
        let md = run("projectPromotionSummary", &w).unwrap();
        assert!(md.contains("- [ ] Wave 2: T2, T9\n"));
        assert!(md.contains("**Run:** `r001` | **Status:** running\n"));
    }

    #[test]
    fn verify_sections() {
        let mut w = state();
        w["results"] = json!([{"c": "check-a1", "t": "pass", "e": ["ev-1", null], "s": null}]);
        w["manifest"] = json!({"summary": {"total": 1, "pass": 1, "fail": 0, "skip": 0, "error": 0, "all_passed": true}});
        w["coverage"] = json!({"total_checks": 1, "checks_with_evidence": 1, "total_evidence_refs": 2, "coverage_percent": 100});
        w["risk_ledger"] =
            json!({"risks": [{"severity": "high", "description": "Check x fail: deterministic"}]});
        w["check_results"] = json!([{"c": "check-a1", "t": "pass", "d": 12}]);
        let md = run("projectVerify", &w).unwrap();
        assert!(md.contains("| check-a1 | check-a1 | ✓ PASS | ev-1,  |\n"));
        assert!(md.contains("- **Concluído em:** —\n"));
        assert!(md.contains("- **All passed:** sim\n"));
        assert!(md.contains("- **Cobertura:** 100%\n"));
        assert!(md.contains("- [HIGH] Check x fail: deterministic\n"));
        assert!(md.contains("| check-a1 | — | ✓ PASS | 12ms |\n"));
        assert!(md.ends_with("Todos os critérios foram atendidos.\n"));
        w["results"] = json!([]);
        let md = run("projectVerify", &w).unwrap();
        assert!(md.ends_with("> ✗ **Verificação com falhas.** 0 critério(s) não atendido(s).\n"));
    }

    #[test]
    fn helpers() {
        assert_eq!(slice_utf16("2026-04-18T10:00:00Z", 10), "2026-04-18");
        assert_eq!(slice_utf16("abcdefghi🎉x", 10), "abcdefghi\u{FFFD}");
        assert_eq!(iso_date(Some(&J::Str(Cow::Borrowed("")))).unwrap(), "—");
        assert!(iso_date(Some(&J::Num("5"))).is_err());
        let list = J::parse("[1,null,[1,2]]").unwrap();
        assert_eq!(join(list.as_array().unwrap(), ", "), "1, , 1,2");
        assert!(project("projectPlan", "{").is_err());
        assert!(run("projectPlan", &json!({"waves": []})).is_err());
    }
}
