//! `oxe-cc runtime <action>`: explicit control of a project's active run
//! (1.4.0 §2.7), and the operational layer behind it and behind the SDK's
//! `operational` namespace.
//!
//! Map: [`ops`] (paths, run state, trace, start/pause/resume/replay, gates,
//! multi-agent status), [`canon`] (the canonical state and the reducer
//! bridge), [`artifacts`] (compile, verification suite, projections, CI,
//! recover, replay), [`js`] (the JavaScript value rules the files follow).
//!
//! Every action first bootstraps `.oxe/` (as 1.4.0 does), then reads the
//! session from `--session` or `STATE.md`. With `--json` the only thing on
//! stdout is the JSON document; the header, bootstrap lines and the
//! project/session lines go to stderr.

pub mod artifacts;
pub mod canon;
pub mod deliver;
pub mod extras;
pub mod js;
pub mod ops;

#[cfg(test)]
mod tests;

use std::path::Path;

use serde_json::{json, Value};

use crate::flags::RuntimeOpts;
use crate::i18n::{pick as l, Lang};
use crate::output::{Ctx, DIM, GREEN, RED, YELLOW};
use ops::{Op, OpError};

use self::js::{arr, get, js_string, text_or, truthy, truthy_of};

/// The session of a command: `--session`, else `STATE.md`'s active one.
pub fn active_session(dir: &Path, flag: Option<&str>) -> Option<String> {
    if let Some(s) = flag.filter(|s| !s.is_empty()) {
        return Some(s.to_string());
    }
    let state = std::fs::read_to_string(dir.join(".oxe").join("STATE.md")).unwrap_or_default();
    crate::parsers::state::parse_active_session(&state).filter(|s| !s.is_empty())
}

struct Run<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    json: bool,
}

impl Run<'_, '_> {
    fn lang(&self) -> Lang {
        self.ctx.lang
    }
    fn t(&self, en: &str, pt: &str) -> String {
        l(self.ctx.lang, en, pt)
    }
    /// `  <Label:> value` in green.
    fn field(&mut self, label: &str, value: &str) {
        let line = format!("  {} {value}", self.ctx.paint(GREEN, label));
        self.ctx.say(&line);
    }
    fn done(&mut self, text: &str) {
        let line = format!("  {} {text}", self.ctx.paint(GREEN, "✓"));
        self.ctx.say(&line);
    }
    fn emit(&mut self, v: &Value) {
        let text = oxe_runtime::jsjson::to_pretty(v);
        self.ctx.say(&text);
    }
    fn fail(&mut self, e: OpError) -> i32 {
        let msg = e.message(self.lang());
        self.ctx.error(&msg);
        1
    }
    fn fail_text(&mut self, msg: &str) -> i32 {
        self.ctx.error(msg);
        1
    }
}

/// `oxe-cc runtime …` after the banner and the folder check.
pub fn run(ctx: &mut Ctx, o: &RuntimeOpts) -> i32 {
    let json = o.json_output;
    let boot = |c: &mut Ctx| {
        c.section("OXE ▸ runtime");
        crate::init_oxe::bootstrap_oxe(c, &o.dir, false, false)
    };
    if let Err(e) = ctx.to_stderr_if(json, boot) {
        e.report(ctx);
        return 1;
    }
    let session = active_session(&o.dir, o.active_session.as_deref());
    let lang = ctx.lang;
    let op = Op::new(&o.dir, session.as_deref(), lang);
    let paths = match op.paths() {
        Ok(p) => p,
        Err(e) => {
            let msg = e.message(lang);
            ctx.error(&msg);
            return 1;
        }
    };
    ctx.to_stderr_if(json, |c| c.project_and_session(&o.dir, session.as_deref()));
    let mut r = Run { ctx, json };
    match o.action.as_str() {
        "status" => status(&mut r, &op, &paths),
        "gates" => gates(&mut r, &op, o),
        "replay" if o.task.is_empty() => replay(&mut r, &op, o),
        "compile" => compile(&mut r, &op, &paths),
        "project" => project(&mut r, &op),
        "ci" => ci(&mut r, &op, o),
        "recover" => recover(&mut r, &op, o),
        "agents" => agents(&mut r, &op, o),
        "verify" => verify(&mut r, &op, o),
        "promote" => promote(&mut r, &op, o),
        _ => action(&mut r, &op, o, &paths),
    }
}

fn opt_str(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        json!(s)
    }
}

fn num_or_dash(v: Option<&Value>) -> String {
    match v {
        Some(x) if !x.is_null() => js_string(x),
        _ => "—".into(),
    }
}

fn cursor_line(r: &Run, run: &Value) -> String {
    let c = get(Some(run), "cursor");
    let task = truthy_of(get(c, "task")).map_or_else(|| "—".into(), js_string);
    let mode = truthy_of(get(c, "mode")).map_or_else(|| "—".into(), js_string);
    let wave = num_or_dash(get(c, "wave"));
    match r.lang() {
        Lang::En => format!("wave={wave} task={task} mode={mode}"),
        Lang::PtBr => format!("onda={wave} tarefa={task} modo={mode}"),
    }
}

fn count(v: Option<&Value>) -> String {
    truthy_of(v).map_or_else(|| "0".into(), js_string)
}

fn status(r: &mut Run, op: &Op, paths: &ops::OpPaths) -> i32 {
    let current = match op.read_run_state() {
        Ok(c) => c,
        Err(e) => return r.fail(e),
    };
    let Some(current) = current else {
        if r.json {
            r.emit(&json!({"run": null, "status": "absent"}));
        } else {
            let m = r.t("No ACTIVE-RUN found.", "Nenhum ACTIVE-RUN encontrado.");
            let line = format!("  {}", r.ctx.paint(YELLOW, &m));
            r.ctx.say(&line);
        }
        return 0;
    };
    let env = crate::health::report::HealthEnv {
        vars: r.ctx.env.vars.clone(),
        lang: r.lang(),
        package_root: r.ctx.env.package_root.clone(),
    };
    let report = crate::health::report::build_health_report(op.root, &env);
    let run_id = current.get("run_id").cloned().unwrap_or(Value::Null);
    let gates = match op.read_gates(&json!({"runId": run_id})) {
        Ok(g) => g,
        Err(e) => return r.fail(e),
    };
    let mode = ops::runtime_mode(Some(&current), r.lang());
    let multi = match op.multi_agent_status(&json!({"runId": run_id})) {
        Ok(m) => m,
        Err(e) => return r.fail(e),
    };
    let rep = |k: &str| truthy_of(report.get(k)).cloned().unwrap_or(Value::Null);
    if r.json {
        let sla = truthy_of(gates.get("gateSlaHours"))
            .cloned()
            .unwrap_or_else(|| json!(24));
        let stale = truthy_of(gates.get("staleCount"))
            .cloned()
            .unwrap_or_else(|| json!(0));
        r.emit(&json!({
            "run": current,
            "runtimeMode": mode,
            "gateQueue": gates,
            "gateSla": sla,
            "staleGateCount": stale,
            "policyCoverage": rep("policyCoverage"),
            "promotionReadiness": rep("promotionReadiness"),
            "recoveryState": rep("recoveryState"),
            "providerCatalog": rep("providerCatalog"),
            "multiAgent": multi,
        }));
        return 0;
    }
    let c = Some(&current);
    let lang = r.lang();
    r.field("Run:", &js_string(&run_id));
    r.field(
        &l(lang, "Status:", "Estado:"),
        &text_or(get(c, "status"), ""),
    );
    let cl = cursor_line(r, &current);
    r.field("Cursor:", &cl);
    let file = paths.runs_dir.join(format!("{}.json", js_string(&run_id)));
    r.field(&l(lang, "File:", "Arquivo:"), &file.display().to_string());
    if let Some(meta) = truthy_of(get(get(c, "compiled_graph"), "metadata")) {
        let (n, w) = (count(meta.get("node_count")), count(meta.get("wave_count")));
        let v = match lang {
            Lang::En => format!("{n} nodes · {w} waves"),
            Lang::PtBr => format!("{n} nós · {w} ondas"),
        };
        r.field("Graph:", &v);
    }
    if let Some(s) = truthy_of(get(get(c, "canonical_state"), "summary")) {
        let v = format!(
            "work_items={} · attempts={}",
            count(s.get("work_item_count")),
            count(s.get("attempt_count"))
        );
        r.field("Canonical:", &v);
    }
    if let Some(s) = truthy_of(get(get(c, "ci_checks"), "summary")) {
        let v = format!(
            "pass={} fail={} skip={} error={}",
            count(s.get("pass")),
            count(s.get("fail")),
            count(s.get("skip")),
            count(s.get("error"))
        );
        r.field("CI:", &v);
    }
    if let Some(g) = truthy_of(get(get(c, "projections"), "generated_at")) {
        r.field("Projection:", &js_string(g));
    }
    let sla = text_or(gates.get("gateSlaHours"), "24");
    let pending = arr(gates.get("pending")).map_or(0, Vec::len);
    let stale = arr(gates.get("stalePending")).map_or(0, Vec::len);
    let v = match lang {
        Lang::En => format!("{pending} pending · stale {stale} · SLA {sla}h"),
        Lang::PtBr => format!("{pending} pendente(s) · stale {stale} · SLA {sla}h"),
    };
    r.field("Gates:", &v);
    let v = format!(
        "{} · fallback={}",
        text_or(mode.get("runtime_mode"), "legacy"),
        text_or(mode.get("fallback_mode"), "none")
    );
    r.field("Runtime:", &v);
    let pc = rep("policyCoverage");
    if truthy(&pc) {
        let v = format!(
            "{}% · uncovered={}",
            num_or_dash(pc.get("coveragePercent")),
            num_or_dash(pc.get("uncoveredMutations"))
        );
        r.field("Policy coverage:", &v);
    }
    let pr = rep("promotionReadiness");
    if truthy(&pr) {
        let blockers: Vec<String> = arr(pr.get("blockers"))
            .into_iter()
            .flatten()
            .map(js_string)
            .collect();
        let mut v = text_or(pr.get("status"), "");
        if !blockers.is_empty() {
            v.push_str(&format!(" · {}", blockers.join(", ")));
        }
        r.field("Promotion readiness:", &v);
    }
    let rs = rep("recoveryState");
    if truthy(&rs) {
        let v = format!(
            "{} · recoveries={} · issues={}",
            text_or(rs.get("status"), ""),
            match rs.get("recoverCount") {
                Some(x) if !x.is_null() => js_string(x),
                _ => "0".into(),
            },
            arr(rs.get("issues")).map_or(0, Vec::len)
        );
        r.field("Recovery:", &v);
    }
    let ma_mode = if multi.get("enabled").is_some_and(truthy) {
        text_or(multi.get("mode"), "active")
    } else {
        "disabled".into()
    };
    let v = match lang {
        Lang::En => format!(
            "{ma_mode} · agents={} · ownership={}",
            arr(multi.get("agents")).map_or(0, Vec::len),
            arr(multi.get("ownership")).map_or(0, Vec::len)
        ),
        Lang::PtBr => format!(
            "{ma_mode} · agentes={} · ownership={}",
            arr(multi.get("agents")).map_or(0, Vec::len),
            arr(multi.get("ownership")).map_or(0, Vec::len)
        ),
    };
    r.field("Multi-agent:", &v);
    let cat = rep("providerCatalog");
    if let Some(s) = truthy_of(cat.get("summary")) {
        let first = |keys: &[&str]| -> Option<String> {
            keys.iter()
                .find_map(|k| s.get(*k).filter(|v| !v.is_null()))
                .map(js_string)
        };
        let plugins = first(&["pluginsCount", "total_plugins"])
            .unwrap_or_else(|| arr(s.get("plugins")).map_or(0, Vec::len).to_string());
        let tools = first(&["toolProviders", "tool_providers"]).unwrap_or_else(|| "0".into());
        let verifiers =
            first(&["verifierProviders", "verifier_providers"]).unwrap_or_else(|| "0".into());
        let errors = first(&["loadErrors", "load_errors"])
            .unwrap_or_else(|| arr(cat.get("load_errors")).map_or(0, Vec::len).to_string());
        let v =
            format!("plugins={plugins} tools={tools} verifiers={verifiers} load_errors={errors}");
        r.field("Providers:", &v);
    }
    0
}

fn gates(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let sub = if o.sub_action.is_empty() {
        "list"
    } else {
        o.sub_action.as_str()
    };
    let current = match op.read_run_state() {
        Ok(c) => c,
        Err(e) => return r.fail(e),
    };
    let run_id = if o.run_id.is_empty() {
        truthy_of(get(current.as_ref(), "run_id"))
            .cloned()
            .unwrap_or(Value::Null)
    } else {
        json!(o.run_id)
    };
    let lang = r.lang();
    match sub {
        "list" => {
            let q = json!({
                "runId": run_id,
                "status": if o.gate_status.is_empty() { "all" } else { o.gate_status.as_str() },
                "scope": opt_str(&o.gate_scope),
                "task": opt_str(&o.task),
            });
            let g = match op.read_gates(&q) {
                Ok(g) => g,
                Err(e) => return r.fail(e),
            };
            if r.json {
                r.emit(&g);
                return 0;
            }
            let sla = js::to_number(g.get("gateSlaHours"));
            let sla = if sla.is_finite() && sla != 0.0 {
                sla
            } else {
                24.0
            };
            let sla_t = js::num_text(sla);
            let len = |k: &str| arr(g.get(k)).map_or(0, Vec::len);
            r.field("Run:", &text_or(Some(&run_id), "—"));
            let v = match lang {
                Lang::En => format!(
                    "total={} pending={} stale={} resolved<24h={} SLA={sla_t}h",
                    js_string(&g["total"]),
                    len("pending"),
                    len("stalePending"),
                    len("resolvedRecent")
                ),
                Lang::PtBr => format!(
                    "total={} pendentes={} stale={} resolvidos<24h={} SLA={sla_t}h",
                    js_string(&g["total"]),
                    len("pending"),
                    len("stalePending"),
                    len("resolvedRecent")
                ),
            };
            r.field("Gates:", &v);
            let fl = &g["filters"];
            let v = format!(
                "status={} scope={} task={}",
                text_or(fl.get("status"), "all"),
                text_or(fl.get("scope"), "—"),
                text_or(fl.get("workItemId"), "—")
            );
            r.field(&l(lang, "Filters:", "Filtros:"), &v);
            let now = js::now_ms();
            for gate in arr(g.get("pending")).cloned().unwrap_or_default() {
                let at = js::date_parse(gate.get("requested_at"));
                let age = if truthy_of(gate.get("requested_at")).is_some() {
                    let h = ((now - at) / 3.6e6).round().max(0.0);
                    (!h.is_nan()).then_some(h)
                } else {
                    None
                };
                let is_stale = age.is_some_and(|a| a > sla);
                let icon = if is_stale {
                    r.ctx.paint(YELLOW, &format!("⚠ stale (>{sla_t}h)"))
                } else {
                    r.ctx.paint(YELLOW, "⏳ pending")
                };
                let age_t = age.map_or_else(String::new, |a| match lang {
                    Lang::En => format!(" · open {}h", js::num_text(a)),
                    Lang::PtBr => format!(" · {}h aberto", js::num_text(a)),
                });
                let line = format!(
                    "  {icon}  {} · {} · {}{age_t}",
                    text_or(gate.get("gate_id"), "undefined"),
                    text_or(gate.get("scope"), "—"),
                    text_or(gate.get("work_item_id"), "run")
                );
                r.ctx.say(&line);
                let suggested = if gate.get("action").and_then(Value::as_str) == Some("approve") {
                    "approve"
                } else {
                    "approve|reject|waive"
                };
                let hint = match lang {
                    Lang::En => {
                        format!("suggested: --decision {suggested} · impact: blocks promotion")
                    }
                    Lang::PtBr => format!(
                        "ação sugerida: --decision {suggested} · impacto: bloqueia promoção"
                    ),
                };
                let line = format!("    {}", r.ctx.paint(DIM, &hint));
                r.ctx.say(&line);
            }
            for gate in arr(g.get("resolvedRecent")).cloned().unwrap_or_default() {
                let line = format!(
                    "  {}  {} · {} · {} · {}",
                    r.ctx.paint(GREEN, "✓ resolved"),
                    text_or(gate.get("gate_id"), "undefined"),
                    text_or(gate.get("scope"), "—"),
                    text_or(gate.get("decision"), "—"),
                    text_or(gate.get("actor"), "—")
                );
                r.ctx.say(&line);
            }
            if len("pending") == 0 && len("resolvedRecent") == 0 {
                let m = r.t("No pending gate.", "Nenhum gate pendente.");
                let line = format!("  {}", r.ctx.paint(DIM, &m));
                r.ctx.say(&line);
            }
            0
        }
        "show" => {
            if o.gate_id.is_empty() {
                let m = r.t(
                    "Give --gate <gate_id> to runtime gates show.",
                    "Use --gate <gate_id> com runtime gates show.",
                );
                return r.fail_text(&m);
            }
            let g = match op.read_gates(&json!({"runId": run_id})) {
                Ok(g) => g,
                Err(e) => return r.fail(e),
            };
            let found = arr(g.get("all"))
                .into_iter()
                .flatten()
                .find(|x| x.get("gate_id") == Some(&json!(o.gate_id)))
                .cloned();
            let Some(gate) = found else {
                return r.fail(OpError::GateNotFound(o.gate_id.clone()));
            };
            if r.json {
                r.emit(&gate);
                return 0;
            }
            r.field("Gate:", &text_or(gate.get("gate_id"), ""));
            r.field("Status:", &text_or(gate.get("status"), "pending"));
            let v = format!(
                "{} · action={} · work_item={}",
                text_or(gate.get("scope"), "—"),
                text_or(gate.get("action"), "—"),
                text_or(gate.get("work_item_id"), "run")
            );
            r.field(&l(lang, "Scope:", "Escopo:"), &v);
            let v = match lang {
                Lang::En => format!(
                    "{} · decision={}",
                    text_or(gate.get("actor"), "—"),
                    text_or(gate.get("decision"), "—")
                ),
                Lang::PtBr => format!(
                    "{} · decisão={}",
                    text_or(gate.get("actor"), "—"),
                    text_or(gate.get("decision"), "—")
                ),
            };
            r.field(&l(lang, "Actor:", "Ator:"), &v);
            let reason = truthy_of(gate.get("reason"))
                .or_else(|| truthy_of(get(gate.get("context"), "description")))
                .map_or_else(|| "—".into(), js_string);
            r.field(&l(lang, "Reason:", "Motivo:"), &reason);
            let history = arr(gate.get("resolution_history"))
                .cloned()
                .unwrap_or_default();
            if !history.is_empty() {
                r.field(&l(lang, "History:", "Histórico:"), "");
                for h in &history {
                    let mut line = format!(
                        "    • {} · {} · {}",
                        text_or(h.get("timestamp"), "—"),
                        text_or(h.get("actor"), "—"),
                        text_or(h.get("decision"), "—")
                    );
                    if let Some(x) = truthy_of(h.get("reason")) {
                        line.push_str(&format!(" · {}", js_string(x)));
                    }
                    r.ctx.say(&line);
                }
            }
            0
        }
        "resolve" => {
            if o.gate_id.is_empty() || o.decision.is_empty() || o.actor.is_empty() {
                let m = r.t(
                    "Give --gate, --decision and --actor to runtime gates resolve.",
                    "Use --gate, --decision e --actor com runtime gates resolve.",
                );
                return r.fail_text(&m);
            }
            if matches!(o.decision.as_str(), "reject" | "waive") && o.reason.is_empty() {
                let m = r.t(
                    "reject and waive need an explicit --reason.",
                    "Reject/waive exigem --reason explícito.",
                );
                return r.fail_text(&m);
            }
            let res = op.resolve_gate(&json!({
                "runId": run_id,
                "gateId": o.gate_id,
                "decision": o.decision,
                "actor": o.actor,
                "reason": o.reason,
            }));
            let res = match res {
                Ok(x) => x,
                Err(e) => return r.fail(e),
            };
            if r.json {
                r.emit(&res);
                return 0;
            }
            let n = |k: &str| {
                js::to_number(Some(
                    &truthy_of(res["impact"].get(k)).cloned().unwrap_or(json!(0)),
                ))
            };
            let (remaining, stale) = (n("pendingRemaining"), n("staleRemaining"));
            let gate = &res["gate"];
            let m = match lang {
                Lang::En => format!(
                    "Gate {} resolved ({}).",
                    text_or(gate.get("gate_id"), ""),
                    text_or(gate.get("decision"), "")
                ),
                Lang::PtBr => format!(
                    "Gate {} resolvido ({}).",
                    text_or(gate.get("gate_id"), ""),
                    text_or(gate.get("decision"), "")
                ),
            };
            r.done(&m);
            r.field(&l(lang, "Actor:", "Ator:"), &text_or(gate.get("actor"), ""));
            if remaining == 0.0 && stale == 0.0 {
                let m = r.t(
                    "✓ The run can move on to promotion: no gate left.",
                    "✓ A run pode avançar para promoção: nenhum gate restante.",
                );
                let line = format!("  {}", r.ctx.paint(GREEN, &m));
                r.ctx.say(&line);
            } else {
                let st = if stale > 0.0 {
                    format!(" ({} stale)", js::num_text(stale))
                } else {
                    String::new()
                };
                let m = match lang {
                    Lang::En => format!(
                        "⚠ The run is still blocked by {} gate(s){st}.",
                        js::num_text(remaining)
                    ),
                    Lang::PtBr => format!(
                        "⚠ A run ainda está bloqueada por {} gate(s) restante(s){st}.",
                        js::num_text(remaining)
                    ),
                };
                let line = format!("  {}", r.ctx.paint(YELLOW, &m));
                r.ctx.say(&line);
            }
            0
        }
        other => {
            let m = match lang {
                Lang::En => format!("Unknown runtime gates sub-command: {other}"),
                Lang::PtBr => format!("Subcomando runtime gates desconhecido: {other}"),
            };
            r.fail_text(&m)
        }
    }
}

fn replay(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let q = json!({
        "runId": opt_str(&o.run_id),
        "fromEventId": opt_str(&o.from_event_id),
        "waveId": o.wave.map_or(Value::Null, js::num),
        "writeReport": o.write_report,
    });
    let report = if r.json {
        op.replay_state(&q)
    } else {
        op.replay_events(&q)
    };
    let report = match report {
        Ok(x) => x,
        Err(e) => return r.fail(e),
    };
    if r.json {
        r.emit(&report);
        return 0;
    }
    let lang = r.lang();
    let total = arr(report.get("events")).map_or(0, Vec::len);
    r.field(&l(lang, "Events:", "Total eventos:"), &total.to_string());
    let duration = match report.get("duration_ms") {
        Some(Value::Null) | None => "—".to_string(),
        Some(d) => format!("{}s", js::to_fixed1(js::to_number(Some(d)) / 1000.0)),
    };
    r.field(&l(lang, "Duration:", "Duração:"), &duration);
    let join = |k: &str| {
        let s: Vec<String> = arr(report.get(k))
            .into_iter()
            .flatten()
            .map(js_string)
            .collect();
        if s.is_empty() {
            "—".to_string()
        } else {
            s.join(", ")
        }
    };
    r.field(&l(lang, "Waves:", "Ondas:"), &join("waveIds"));
    r.field(&l(lang, "Tasks:", "Tarefas:"), &join("taskSequence"));
    let fails = arr(report.get("failureEvents")).map_or(0, Vec::len);
    r.field(&l(lang, "Failures:", "Falhas:"), &fails.to_string());
    if total > 0 {
        r.ctx.say("");
        let head = format!(
            "#   {}Wave    Task    Delta      Timestamp",
            pad_end(&l(lang, "Type", "Tipo"), 24)
        );
        let line = format!("  {}", r.ctx.paint(DIM, &head));
        r.ctx.say(&line);
        let events = arr(report.get("events")).cloned().unwrap_or_default();
        for (i, e) in events.iter().take(50).enumerate() {
            let g = |k: &str| get(Some(e), k);
            let delta = if i > 0 {
                format!(
                    "+{}s",
                    js::to_fixed1(js::to_number(g("_delta_ms")) / 1000.0)
                )
            } else {
                "—".into()
            };
            let ty = cut(
                &pad_end(&g("type").map_or_else(|| "undefined".into(), js_string), 22),
                22,
            );
            let wave = cut(&pad_end(&text_or(g("wave_id"), "—"), 7), 7);
            let task = cut(
                &pad_end(
                    &text_or(truthy_of(g("task_id")).or_else(|| g("work_item_id")), "—"),
                    7,
                ),
                7,
            );
            let line = format!(
                "  {:>3} {ty} {wave} {task} {:>10}  {}",
                i + 1,
                delta,
                g("timestamp").map_or_else(|| "undefined".into(), js_string)
            );
            r.ctx.say(&line);
        }
        if events.len() > 50 {
            let more = events.len() - 50;
            let m = match lang {
                Lang::En => format!("  … ({more} more)"),
                Lang::PtBr => format!("  … ({more} mais)"),
            };
            r.ctx.say(&m);
        }
    }
    if let Some(p) = truthy_of(report.get("_reportPath")) {
        let line = format!(
            "\n  {} {}",
            r.ctx.paint(GREEN, &l(lang, "Report:", "Relatório:")),
            js_string(p)
        );
        r.ctx.say(&line);
    }
    0
}

fn pad_end(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len >= n {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(n - len))
    }
}

fn cut(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn compile(r: &mut Run, op: &Op, paths: &ops::OpPaths) -> i32 {
    let compiled = match op.compile_graph(&json!({})) {
        Ok(c) => c,
        Err(e) => return r.fail(e),
    };
    let suite = match op.compile_suite(&json!({"runState": compiled["run"]})) {
        Ok(s) => s,
        Err(e) => return r.fail(e),
    };
    let run = &suite["run"];
    let errors: Vec<String> = arr(compiled.get("validationErrors"))
        .into_iter()
        .flatten()
        .map(js_string)
        .collect();
    if r.json {
        r.emit(&json!({
            "run": run,
            "graph": compiled["graph"],
            "validationErrors": errors,
            "suite": suite["suite"],
            "paths": compiled["paths"],
        }));
        return 0;
    }
    let lang = r.lang();
    r.done(&l(lang, "Runtime compiled.", "Runtime compilado."));
    r.field("Run:", &text_or(run.get("run_id"), ""));
    let meta = &compiled["graph"]["metadata"];
    let v = match lang {
        Lang::En => format!(
            "{} node(s) · {} wave(s)",
            num_or_dash(meta.get("node_count")),
            num_or_dash(meta.get("wave_count"))
        ),
        Lang::PtBr => format!(
            "{} nó(s) · {} onda(s)",
            num_or_dash(meta.get("node_count")),
            num_or_dash(meta.get("wave_count"))
        ),
    };
    r.field("Graph:", &v);
    let checks = arr(suite["suite"].get("checks")).map_or(0, Vec::len);
    r.field("Checks:", &checks.to_string());
    if !errors.is_empty() {
        let line = format!(
            "  {} {}",
            r.ctx.paint(YELLOW, "Validation:"),
            errors.join(" | ")
        );
        r.ctx.say(&line);
    }
    let file = paths
        .runs_dir
        .join(format!("{}.json", text_or(run.get("run_id"), "")));
    r.field(&l(lang, "File:", "Arquivo:"), &file.display().to_string());
    0
}

fn project(r: &mut Run, op: &Op) -> i32 {
    let projected = match op.project(&json!({"write": true})) {
        Ok(p) => p,
        Err(e) => return r.fail(e),
    };
    if r.json {
        r.emit(&json!({"run": projected["run"], "paths": projected["paths"]}));
        return 0;
    }
    let lang = r.lang();
    r.done(&l(
        lang,
        "Projections generated from the canonical state.",
        "Projeções geradas a partir do estado canônico.",
    ));
    r.field("Run:", &text_or(projected["run"].get("run_id"), ""));
    let p = &projected["paths"];
    for (label, k) in [
        ("STATE:", "state"),
        ("PLAN:", "plan"),
        ("VERIFY:", "verify"),
        ("RUN-SUMMARY:", "runSummary"),
        ("PR-SUMMARY:", "prSummary"),
    ] {
        r.field(label, &text_or(p.get(k), ""));
    }
    0
}

fn ci(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let report = match op.run_ci(&json!({"runId": opt_str(&o.run_id)})) {
        Ok(x) => x,
        Err(e) => return r.fail(e),
    };
    let all_passed = report["summary"].get("allPassed").is_some_and(truthy);
    let code = if all_passed { 0 } else { 1 };
    if r.json {
        r.emit(&report);
        return code;
    }
    r.field("Run:", &text_or(report.get("runId"), "—"));
    for res in arr(report.get("results")).cloned().unwrap_or_default() {
        let status = text_or(res.get("status"), "");
        let color = match status.as_str() {
            "pass" => GREEN,
            "skip" => DIM,
            _ => RED,
        };
        let line = format!(
            "  {} {} · {}",
            r.ctx.paint(color, &status.to_uppercase()),
            text_or(res.get("check"), ""),
            text_or(res.get("message"), "")
        );
        r.ctx.say(&line);
    }
    let s = &report["summary"];
    let v = format!(
        "pass={} fail={} skip={} error={}",
        num_or_dash(s.get("pass")),
        num_or_dash(s.get("fail")),
        num_or_dash(s.get("skip")),
        num_or_dash(s.get("error"))
    );
    let label = r.t("Summary:", "Resumo:");
    r.field(&label, &v);
    code
}

fn recover(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let res = match op.recover(&json!({"runId": opt_str(&o.run_id)})) {
        Ok(x) => x,
        Err(e) => return r.fail(e),
    };
    if r.json {
        r.emit(&res);
        return 0;
    }
    let lang = r.lang();
    r.done(&l(
        lang,
        "Runtime recover done.",
        "Runtime recover concluído.",
    ));
    r.field("Run:", &text_or(res["run"].get("run_id"), ""));
    r.field(
        &l(lang, "Status:", "Estado:"),
        &text_or(res["run"].get("status"), ""),
    );
    r.field(
        "Journal:",
        &text_or(res["journal"].get("scheduler_state"), "undefined"),
    );
    let orphans: Vec<String> = arr(res["recoverySummary"].get("orphan_work_items"))
        .into_iter()
        .flatten()
        .map(js_string)
        .collect();
    let v = if orphans.is_empty() {
        "—".to_string()
    } else {
        orphans.join(", ")
    };
    r.field(&l(lang, "Orphans:", "Órfãos:"), &v);
    0
}

fn agents(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let sub = if o.sub_action.is_empty() {
        "status"
    } else {
        o.sub_action.as_str()
    };
    let lang = r.lang();
    if sub != "status" {
        let m = match lang {
            Lang::En => format!("Unknown runtime agents sub-command: {sub}"),
            Lang::PtBr => format!("Subcomando runtime agents desconhecido: {sub}"),
        };
        return r.fail_text(&m);
    }
    let ma = match op.multi_agent_status(&json!({"runId": opt_str(&o.run_id)})) {
        Ok(m) => m,
        Err(e) => return r.fail(e),
    };
    if r.json {
        r.emit(&ma);
        return 0;
    }
    let enabled = ma.get("enabled").is_some_and(truthy);
    r.field("Run:", &text_or(ma.get("runId"), "—"));
    let mode = if enabled {
        text_or(ma.get("mode"), "active")
    } else {
        "disabled".into()
    };
    r.field(&l(lang, "Mode:", "Modo:"), &mode);
    let iso = if ma.get("workspaceIsolationEnforced").is_some_and(truthy) {
        "enforced"
    } else {
        "shared/disabled"
    };
    r.field(&l(lang, "Isolation:", "Isolamento:"), iso);
    let n = |k: &str| arr(ma.get(k)).map_or(0, Vec::len);
    let v = format!(
        "{} · ownership={} · handoffs={}",
        n("agents"),
        n("ownership"),
        n("handoffs")
    );
    r.field(&l(lang, "Agents:", "Agentes:"), &v);
    0
}

/// start / pause / resume / replay --task (and any other word, which the
/// state machine refuses).
fn action(r: &mut Run, op: &Op, o: &RuntimeOpts, paths: &ops::OpPaths) -> i32 {
    let next = op.apply_action(&json!({
        "action": o.action,
        "wave": o.wave.map_or(Value::Null, js::num),
        "task": opt_str(&o.task),
        "mode": opt_str(&o.mode),
        "reason": o.reason,
    }));
    let next = match next {
        Ok(n) => n,
        Err(e) => return r.fail(e),
    };
    if r.json {
        r.emit(&next);
        return 0;
    }
    let lang = r.lang();
    r.done(&l(lang, "Runtime updated.", "Runtime atualizado."));
    r.field("Run:", &text_or(next.get("run_id"), ""));
    r.field(
        &l(lang, "Status:", "Estado:"),
        &text_or(next.get("status"), ""),
    );
    let cl = cursor_line(r, &next);
    r.field("Cursor:", &cl);
    r.field("Trace:", &paths.events.display().to_string());
    0
}

fn in_node(r: &mut Run, op: &Op, method: &str, options: Value) -> Result<Value, i32> {
    let env = r.ctx.env;
    deliver::run_in_node(
        &env.package_root,
        &env.vars,
        method,
        op.root,
        op.session,
        &options,
    )
    .map_err(|e| r.fail_text(&e))
}

fn verify(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let options = json!({
        "runId": opt_str(&o.run_id),
        "task": opt_str(&o.task),
        "workItemId": opt_str(&o.task),
        "timeoutMs": o.timeout_ms.filter(|t| *t != 0.0).map_or(Value::Null, js::num),
    });
    let v = match in_node(r, op, "runRuntimeVerify", options) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if r.json {
        r.emit(&v);
        return 0;
    }
    let lang = r.lang();
    let rep = &v["report"];
    r.done(&l(
        lang,
        "Runtime verify done.",
        "Runtime verify executado.",
    ));
    r.field("Run:", &text_or(v["run"].get("run_id"), ""));
    r.field("Status:", &text_or(rep.get("status"), ""));
    if let Some(s) = truthy_of(get(rep.get("manifest"), "summary")) {
        let val = format!(
            "total={} pass={} fail={} error={}",
            num_or_dash(s.get("total")),
            num_or_dash(s.get("pass")),
            num_or_dash(s.get("fail")),
            num_or_dash(s.get("error"))
        );
        r.field("Checks:", &val);
    }
    if let Some(c) = truthy_of(rep.get("evidence_coverage")) {
        r.field(
            "Coverage:",
            &format!("{}%", num_or_dash(c.get("coverage_percent"))),
        );
    }
    for gap in arr(rep.get("gaps")).cloned().unwrap_or_default() {
        let line = format!("  {} {}", r.ctx.paint(YELLOW, "GAP"), js_string(&gap));
        r.ctx.say(&line);
    }
    r.field(
        "VERIFY:",
        &text_or(v["projected"]["paths"].get("verify"), ""),
    );
    0
}

fn promote(r: &mut Run, op: &Op, o: &RuntimeOpts) -> i32 {
    let or = |s: &str, d: &str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    let options = json!({
        "runId": opt_str(&o.run_id),
        "targetKind": or(&o.target_kind, "pr_draft"),
        "remote": or(&o.remote, "origin"),
        "baseBranch": or(&o.base_branch, "main"),
        "minimumCoverage": js::num(o.minimum_coverage.unwrap_or(100.0)),
    });
    let v = match in_node(r, op, "runRuntimePromotion", options) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if r.json {
        r.emit(&v);
        return 0;
    }
    let c = &v["commitRecord"];
    let p = &v["promotion"];
    r.field("Run:", &text_or(v["run"].get("run_id"), ""));
    r.field(
        "Commit:",
        &format!(
            "{} · {}",
            text_or(c.get("commit_sha"), "—"),
            text_or(c.get("status"), "")
        ),
    );
    r.field(
        "Promotion:",
        &format!(
            "{} · {}",
            text_or(p.get("target_kind"), ""),
            text_or(p.get("status"), "")
        ),
    );
    if let Some(url) = truthy_of(p.get("pr_url")) {
        r.field("PR:", &js_string(url));
    }
    for reason in arr(p.get("reasons")).cloned().unwrap_or_default() {
        let line = format!(
            "  {} {}",
            r.ctx.paint(YELLOW, "BLOCKER"),
            js_string(&reason)
        );
        r.ctx.say(&line);
    }
    0
}
