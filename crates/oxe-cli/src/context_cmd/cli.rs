//! `oxe-cc context [build|inspect] [--workflow slug] [--tier t]
//! [--session s] [--json] [--dir p]`. With `--json` stdout holds only the
//! JSON (section header and bootstrap lines go to stderr).

use serde_json::Value;

use super::pack::{build_all, build_pack, inspect_pack, PackInput};
use crate::flags::{ContextAction, ContextOpts};
use crate::i18n::pick as l;
use crate::output::{Ctx, DIM, GREEN, RED, YELLOW};
use crate::runtime_semantics::Semantics;

fn label(ctx: &mut Ctx, en: &str, pt: &str, value: &str) {
    let name = ctx.paint(GREEN, &l(ctx.lang, en, pt));
    ctx.say(&format!("  {name} {value}"));
}

/// The `Quality:` line of a pack and, when its context is critical, a
/// warning that ends with `next_en` / `next_pt` (what to do about it).
fn say_quality(ctx: &mut Ctx, pack: &Value, next_en: &str, next_pt: &str) {
    let (q, critical) = quality(pack);
    label(ctx, "Quality:", "Qualidade:", &q);
    if critical {
        let w = ctx.paint(YELLOW, &l(ctx.lang, "WARNING", "AVISO"));
        let text = l(
            ctx.lang,
            &format!("Critical context: required artifacts are missing. {next_en}"),
            &format!("Contexto crítico: faltam artefatos obrigatórios. {next_pt}"),
        );
        ctx.say(&format!("  {w} {text}"));
    }
}

fn quality(pack: &Value) -> (String, bool) {
    let q = &pack["context_quality"];
    let score = q["score"].as_f64().unwrap_or(0.0);
    let status = q["status"].as_str().unwrap_or_default();
    (
        format!("{} ({status})", oxe_runtime::jsjson::js_string(&q["score"])),
        score < 30.0 || status == "critical",
    )
}

fn print_json(ctx: &mut Ctx, v: &Value) {
    let text = oxe_runtime::jsjson::to_pretty(v);
    ctx.say(&text);
}

/// Runs the command after the banner and the folder check.
pub fn run(ctx: &mut Ctx, o: &ContextOpts) -> i32 {
    let lang = ctx.lang;
    let dir = o.dir.clone();
    let session = crate::runtime_cmd::active_session(&dir, o.active_session.as_deref());
    let sem = Semantics::load(&ctx.env.package_root);
    let now = oxe_runtime::clock::now_ms() as f64;
    let inspect = o.action == ContextAction::Inspect;
    let prelude = |c: &mut Ctx| {
        c.section("OXE ▸ context");
        if inspect {
            return Ok(());
        }
        crate::init_oxe::bootstrap_oxe(c, &dir, false, false)
    };
    if let Err(e) = ctx.to_stderr_if(o.json, prelude) {
        e.report(ctx);
        return 1;
    }
    let s = Some(session.as_deref());
    if inspect {
        let wf = if o.workflow.is_empty() {
            "dashboard"
        } else {
            o.workflow.as_str()
        };
        let pack = match inspect_pack(&sem, &dir, wf, &o.tier, s, now) {
            Ok(p) => p,
            Err(e) => {
                ctx.error(&l(
                    lang,
                    &format!("Could not inspect the context pack of \"{wf}\": {e}"),
                    &format!("Erro ao inspecionar context pack para \"{wf}\": {e}"),
                ));
                return 1;
            }
        };
        if o.json {
            print_json(ctx, &pack);
            return 0;
        }
        ctx.project_and_session(&dir, session.as_deref());
        label(ctx, "Workflow:", "Workflow:", wf);
        label(
            ctx,
            "Tier:",
            "Tier:",
            &oxe_runtime::jsjson::js_string(&pack["context_tier"]),
        );
        say_quality(
            ctx,
            &pack,
            &format!("Run `oxe-cc context build --workflow {wf}` to rebuild it."),
            &format!("Rode `oxe-cc context build --workflow {wf}` para regenerar."),
        );
        let f = &pack["freshness"];
        let age = match f["pack_age_hours"].as_f64() {
            Some(h) => format!(" · {}h", oxe_runtime::jsjson::number_to_js_string(h)),
            None => String::new(),
        };
        label(
            ctx,
            "Freshness:",
            "Frescor:",
            &format!("{}{age}", oxe_runtime::jsjson::js_string(&f["reason"])),
        );
        label(ctx, "Pack:", "Pack:", pack["path"].as_str().unwrap_or("—"));
        let order: Vec<String> = pack["read_order"]
            .as_array()
            .map(|a| a.iter().map(oxe_runtime::jsjson::js_string).collect())
            .unwrap_or_default();
        label(
            ctx,
            "Artifacts:",
            "Artefatos:",
            &if order.is_empty() {
                "—".into()
            } else {
                order.join(", ")
            },
        );
        for g in pack["gaps"].as_array().cloned().unwrap_or_default() {
            let sev = g["severity"].as_str().unwrap_or_default();
            let tag = ctx.paint(
                if sev == "critical" { RED } else { YELLOW },
                &sev.to_uppercase(),
            );
            ctx.say(&format!(
                "  {tag} {}: {}",
                oxe_runtime::jsjson::js_string(&g["alias"]),
                oxe_runtime::jsjson::js_string(&g["reason"])
            ));
        }
        for c in pack["conflicts"].as_array().cloned().unwrap_or_default() {
            let tag = ctx.paint(YELLOW, "CONFLICT");
            ctx.say(&format!(
                "  {tag} {}: {}",
                oxe_runtime::jsjson::js_string(&c["alias"]),
                oxe_runtime::jsjson::js_string(&c["reason"])
            ));
        }
        return 0;
    }
    if !o.workflow.is_empty() {
        let wf = o.workflow.as_str();
        let input = PackInput {
            workflow: wf,
            tier: &o.tier,
            mode: "standard",
            session: s,
            write: true,
        };
        let pack = match build_pack(&sem, &dir, &input, now) {
            Ok(p) => p,
            Err(e) => {
                ctx.error(&l(
                    lang,
                    &format!("Could not build the context pack of \"{wf}\": {e}"),
                    &format!("Erro ao gerar context pack para \"{wf}\": {e}"),
                ));
                return 1;
            }
        };
        if o.json {
            print_json(ctx, &pack);
            return 0;
        }
        let tick = ctx.paint(GREEN, "✓");
        ctx.say(&format!(
            "  {tick} {}",
            l(
                lang,
                &format!("Context pack built for {wf}."),
                &format!("Context pack gerado para {wf}.")
            )
        ));
        say_quality(
            ctx,
            &pack,
            "Check STATE and the workflow's artifacts.",
            "Verifique o STATE e os artefatos do workflow.",
        );
        let file = super::resolve_pack_file(&dir, wf, s);
        label(ctx, "Pack:", "Pack:", &file);
        return 0;
    }
    let packs = match build_all(&sem, &dir, None, &o.tier, s, true, now) {
        Ok(p) => p,
        Err(e) => {
            ctx.error(&l(
                lang,
                &format!("Could not build the context packs: {e}"),
                &format!("Erro ao gerar context packs: {e}"),
            ));
            return 1;
        }
    };
    if o.json {
        print_json(ctx, &Value::Array(packs));
        return 0;
    }
    ctx.project_and_session(&dir, session.as_deref());
    label(ctx, "Packs:", "Packs:", &packs.len().to_string());
    for p in &packs {
        let (q, critical) = quality(p);
        let flag = if critical {
            format!(
                " {}",
                ctx.paint(YELLOW, &l(lang, "[CRITICAL]", "[CRÍTICO]"))
            )
        } else {
            String::new()
        };
        let dot = ctx.paint(DIM, "•");
        ctx.say(&format!(
            "  {dot} {} · {q} · {}{flag}",
            oxe_runtime::jsjson::js_string(&p["workflow"]),
            oxe_runtime::jsjson::js_string(&p["freshness"]["reason"])
        ));
    }
    0
}
