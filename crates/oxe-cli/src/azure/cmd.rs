//! `oxe-cc azure <scope> [action] [query…] [flags]`: status, operations,
//! doctor (the default), auth login|whoami|set-subscription, sync [--diff],
//! find, and servicebus|eventgrid|sql list|show|plan|apply.
//!
//! Like 1.4.0, every run first bootstraps `.oxe/`, makes sure the Azure
//! folders and capability manifests exist and rewrites
//! `.oxe/CAPABILITIES.md`. `list` and `show` print the `az` answer as JSON
//! (2-space indent); for them stdout carries only that JSON, and the header
//! and prelude lines go to stderr. A failure prints one red message on
//! stderr that names the `az` command and what to do, and exits 1.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::auth::{self, AzOptions};
use super::error::AzureError;
use super::operations::{self, ApplyFlags};
use super::runner::SystemAz;
use super::{azure_config, inventory, status, text, truthy_text};
use crate::flags::AzureOpts;
use crate::i18n::{Lang, Msg};
use crate::output::{Ctx, DIM, GREEN, RED, YELLOW};

fn l(lang: Lang, en: &str, pt: &str) -> String {
    super::tr(lang, en, pt)
}

struct Out<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
}

impl Out<'_, '_> {
    fn t(&self, en: &str, pt: &str) -> String {
        l(self.ctx.lang, en, pt)
    }
    /// `  <Label> value`, the label in `color`.
    fn field(&mut self, color: &str, label: &str, value: &str) {
        let line = format!("  {} {value}", self.ctx.paint(color, label));
        self.ctx.say(&line);
    }
    fn done(&mut self, text: &str) {
        let line = format!("  {} {text}", self.ctx.paint(GREEN, "✓"));
        self.ctx.say(&line);
    }
    fn fail(&mut self, e: &AzureError) -> i32 {
        let msg = e.message(self.ctx.lang);
        self.ctx.error(&msg);
        1
    }
}

/// `${x}` of a JSON value (0 stays `0`; null and missing are empty).
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(x) => oxe_runtime::jsjson::js_string(x),
    }
}

fn dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

/// The input object every operation receives (1.4.0's `input`).
pub fn input_of(o: &AzureOpts, cfg: &Map<String, Value>) -> Value {
    let location = match cfg.get("preferred_locations") {
        Some(Value::Array(a)) if !a.is_empty() => oxe_runtime::jsjson::js_string(&a[0]),
        _ => String::new(),
    };
    let or = |a: &str, b: String| if a.is_empty() { b } else { a.to_string() };
    json!({
        "kind": o.kind,
        "resourceGroup": or(&o.resource_group, text(cfg.get("default_resource_group"))),
        "name": or(&o.name, o.server.clone()),
        "namespace": o.namespace,
        "topicName": o.topic_name,
        "subscriptionName": o.subscription_name,
        "sourceResourceId": o.source_resource_id,
        "endpoint": o.endpoint,
        "location": or(&o.location, location),
        "server": o.server,
        "database": o.database,
        "adminUser": o.admin_user,
        "adminPasswordEnv": or(&o.admin_password_env, "AZURE_SQL_ADMIN_PASSWORD".into()),
        "startIpAddress": o.start_ip_address,
        "endIpAddress": o.end_ip_address,
    })
}

/// The preparation every scope shares: header, folder check, bootstrap,
/// Azure folders, capability manifests and index. `Err(code)` to stop.
fn prelude(ctx: &mut Ctx, dir: &Path) -> Result<(), i32> {
    ctx.section("OXE ▸ azure");
    if !dir.exists() {
        let m = ctx.t(Msg::DirNotFound, &[&dir.display().to_string()]);
        ctx.notice(&m);
        return Err(1);
    }
    if let Err(e) = crate::init_oxe::bootstrap_oxe(ctx, dir, false, false) {
        e.report(ctx);
        return Err(1);
    }
    let ready = super::ensure_artifacts(dir)
        .and_then(|_| super::capabilities::ensure(dir))
        .and_then(|_| {
            let index = crate::capabilities_cmd::render_index(dir);
            super::write_text(&dir.join(".oxe").join("CAPABILITIES.md"), &index)
        });
    if let Err(e) = ready {
        let m = e.message(ctx.lang);
        ctx.error(&m);
        return Err(1);
    }
    Ok(())
}

/// Runs the command after the shared parser prelude (help, unknown flag,
/// banner).
pub fn run(ctx: &mut Ctx, o: &AzureOpts) -> i32 {
    let dir = o.dir.clone();
    let to_stderr = matches!(o.action.as_str(), "list" | "show")
        && matches!(o.scope.as_str(), "servicebus" | "eventgrid" | "sql");
    let lang = ctx.lang;
    let config = crate::health::config::load_oxe_config_merged(&dir, &ctx.env.vars, lang).config;
    let config = Value::Object(config);
    let cfg = azure_config(&config);
    let session = crate::runtime_cmd::active_session(&dir, o.active_session.as_deref());
    let head = |c: &mut Ctx| -> Result<(), i32> {
        prelude(c, &dir)?;
        c.project_and_session(&dir, session.as_deref());
        Ok(())
    };
    if let Err(code) = ctx.to_stderr_if(to_stderr, head) {
        return code;
    }
    let _ = ctx.out.flush();
    let az = SystemAz::new(&dir, ctx.env.vars.clone(), None);
    let auto_install = cfg.get("resource_graph_auto_install") != Some(&Value::Bool(false));
    let opts = AzOptions {
        auto_install,
        ..AzOptions::default()
    };
    let input = input_of(o, &cfg);
    let mut w = Out { ctx };
    match run_scope(
        &mut w,
        o,
        &dir,
        &config,
        &cfg,
        session.as_deref(),
        &az,
        &opts,
        &input,
    ) {
        Ok(code) => code,
        Err(e) => w.fail(&e),
    }
}

#[allow(clippy::too_many_arguments)]
fn run_scope(
    w: &mut Out,
    o: &AzureOpts,
    dir: &Path,
    config: &Value,
    cfg: &Map<String, Value>,
    session: Option<&str>,
    az: &SystemAz,
    opts: &AzOptions,
    input: &Value,
) -> Result<i32, AzureError> {
    let lang = w.ctx.lang;
    let sub_of = |profile: &Value| {
        dash(
            truthy_text(profile.get("subscription_name"))
                .or_else(|| truthy_text(profile.get("subscription_id"))),
        )
    };
    match o.scope.as_str() {
        "status" => {
            let st = status::status(dir, config, az, lang)?;
            let b = |k: &str| st.get(k) == Some(&Value::Bool(true));
            let installed = b("cliInstalled");
            let cli = if installed {
                format!("Azure CLI {}", truthy_text(st.get("cliVersion")).unwrap_or_else(|| w.t("(detected)", "(detectada)")))
            } else {
                w.t("not installed", "não instalada")
            };
            w.field(if installed { GREEN } else { RED }, "CLI:", &format!("      {cli}"));
            let login = if b("loginActive") { w.t("active", "ativo") } else { w.t("none", "ausente") };
            w.field(if b("loginActive") { GREEN } else { RED }, "Login:", &format!("    {login}"));
            w.field(GREEN, "Sub:", &format!("      {}", dash(truthy_text(st.get("subscription")))));
            let inv = if b("inventoryPresent") {
                let age = match st.get("inventoryAgeHours").and_then(Value::as_i64) {
                    Some(h) => w.t(&format!("{h}h ago"), &format!("{h}h atrás")),
                    None => w.t("present", "presente"),
                };
                if b("inventoryStale") {
                    format!("{age} (stale)")
                } else {
                    age
                }
            } else {
                w.t("none", "ausente")
            };
            let inv_color = if b("inventoryPresent") && !b("inventoryStale") { GREEN } else { YELLOW };
            let inv_label = w.t("Inventory:", "Inventário:");
            w.field(inv_color, &inv_label, &inv);
            if let Some(s) = st.get("inventorySummary").filter(|s| s.is_object()) {
                let line = format!(
                    "total={} sb={} eg={} sql={}",
                    show(s.get("total")),
                    show(s.get("servicebus")),
                    show(s.get("eventgrid")),
                    show(s.get("sql"))
                );
                let label = w.t("Resources:", "Recursos:");
                w.field(GREEN, &label, &format!(" {line}"));
            }
            let pending = st.get("pendingOperations").and_then(Value::as_u64).unwrap_or(0);
            if pending > 0 {
                let ids: Vec<String> = match st.get("pendingOperationIds") {
                    Some(Value::Array(a)) => a.iter().map(|v| text(Some(v))).collect(),
                    _ => Vec::new(),
                };
                let label = w.t("Pending ops:", "Ops pendentes:");
                w.field(YELLOW, &label, &format!("{pending} ({})", ids.join(", ")));
            }
            if b("vpnRequired") {
                let v = w.t("required by the project configuration", "requerida pela configuração do projeto");
                w.field(YELLOW, "VPN:", &format!("      {v}"));
            }
            Ok(0)
        }
        "operations" => {
            let ops = operations::list(dir);
            if ops.is_empty() {
                let m = w.t("No Azure operation recorded.", "Nenhuma operação registrada.");
                let line = format!("  {}", w.ctx.paint(DIM, &m));
                w.ctx.say(&line);
                return Ok(0);
            }
            for op in ops {
                let phase = text(op.get("phase"));
                let color = match phase.as_str() {
                    "applied" => GREEN,
                    "waiting_approval" => YELLOW,
                    "failed" => RED,
                    _ => DIM,
                };
                let line = format!(
                    "  {} · {} · {}/{} · {}",
                    w.ctx.paint(color, &phase),
                    text(op.get("operation_id")),
                    text(op.get("domain")),
                    text(op.get("kind")),
                    dash(truthy_text(op.get("summary")))
                );
                w.ctx.say(&line);
            }
            Ok(0)
        }
        "doctor" => {
            let r = status::doctor(dir, config, az, opts, lang)?;
            let auth = &r["authStatus"];
            let installed = auth.get("installed") == Some(&Value::Bool(true));
            let login = auth.get("login_active") == Some(&Value::Bool(true));
            let cli = if installed {
                format!("Azure CLI {}", truthy_text(auth.get("version")).unwrap_or_else(|| w.t("(detected)", "(detectada)")))
            } else {
                w.t("not installed", "não instalada")
            };
            w.field(GREEN, "CLI:", &cli);
            let lv = if login { w.t("active", "ativo") } else { w.t("none", "ausente") };
            w.field(GREEN, "Login:", &lv);
            w.field(GREEN, "Subscription:", &sub_of(&r["profile"]));
            let inv = match truthy_text(r["inventory"].get("synced_at")) {
                Some(at) => w.t(&format!("synced at {at}"), &format!("sincronizado em {at}")),
                None => w.t("none", "ausente"),
            };
            let label = w.t("Inventory:", "Inventário:");
            w.field(GREEN, &label, &inv);
            let warnings: Vec<String> = match r.get("warnings") {
                Some(Value::Array(a)) => a.iter().map(|v| text(Some(v))).collect(),
                _ => Vec::new(),
            };
            if warnings.is_empty() {
                let m = w.t("Azure context is healthy.", "Contexto Azure saudável.");
                w.done(&m);
            }
            for warning in &warnings {
                let label = w.t("WARNING", "AVISO");
                w.field(YELLOW, &label, warning);
            }
            let has_sub = truthy_text(r["profile"].get("subscription_id")).is_some();
            Ok(if installed && login && has_sub { 0 } else { 1 })
        }
        "auth" => match o.action.as_str() {
            "login" => {
                let o2 = AzOptions { inherit: true, ..opts.clone() };
                let tenant = Some(o.tenant.as_str()).filter(|t| !t.is_empty());
                let c = auth::login(dir, az, tenant, &o2, lang)?;
                let m = w.t("Azure login complete.", "Login Azure concluído.");
                w.done(&m);
                let acc = w.t("Account:", "Conta:");
                w.field(GREEN, &acc, &dash(truthy_text(c.auth_status.get("user"))));
                w.field(GREEN, "Subscription:", &sub_of(&c.profile));
                Ok(0)
            }
            "whoami" | "" => {
                let c = auth::get_context(dir, az, opts, lang)?;
                let (p, a) = (&c.profile, &c.auth_status);
                w.field(GREEN, "Cloud:", &dash(truthy_text(p.get("cloud"))));
                let acc = w.t("Account:", "Conta:");
                w.field(GREEN, &acc, &dash(truthy_text(a.get("user"))));
                let kind = w.t("Type:", "Tipo:");
                let tv = truthy_text(a.get("user_type")).or_else(|| truthy_text(p.get("auth_mode")));
                w.field(GREEN, &kind, &dash(tv));
                w.field(GREEN, "Tenant:", &dash(truthy_text(p.get("tenant_id"))));
                w.field(GREEN, "Subscription:", &sub_of(p));
                let rg = if a.get("resource_graph_enabled") == Some(&Value::Bool(true)) {
                    w.t("enabled", "habilitado")
                } else {
                    w.t("missing", "ausente")
                };
                w.field(GREEN, "Resource Graph:", &rg);
                Ok(0)
            }
            "set-subscription" => {
                if o.subscription.is_empty() {
                    let m = w.t("Give --subscription <id|name>.", "Informe --subscription <id|nome>.");
                    w.ctx.error(&m);
                    return Ok(1);
                }
                let c = auth::set_subscription(dir, az, &o.subscription, opts, lang)?;
                let m = w.t("Subscription selected.", "Subscription selecionada.");
                w.done(&m);
                w.field(GREEN, "Subscription:", &sub_of(&c.profile));
                Ok(0)
            }
            other => Err(AzureError::Unsupported {
                en: format!("Unknown azure auth action: {other} (use login | whoami | set-subscription)"),
                pt: format!("Subcomando Azure auth desconhecido: {other} (use login | whoami | set-subscription)"),
            }),
        },
        "sync" => {
            let o2 = AzOptions { diff: o.diff, ..opts.clone() };
            let r = inventory::sync(dir, az, &o2, lang)?;
            let m = w.t("Azure inventory synced.", "Inventário Azure sincronizado.");
            w.done(&m);
            w.field(GREEN, "Subscription:", &sub_of(&r["profile"]));
            let s = &r["inventory"]["summary"];
            let line = format!(
                "total={} servicebus={} eventgrid={} sql={}",
                show(s.get("total")),
                show(s.get("servicebus")),
                show(s.get("eventgrid")),
                show(s.get("sql"))
            );
            let label = w.t("Summary:", "Resumo:");
            w.field(GREEN, &label, &line);
            let label = w.t("Artifact:", "Artefato:");
            w.field(GREEN, &label, &text(r["paths"].get("inventory")));
            if let Some(d) = r.get("diff") {
                let n = |k: &str| d.get(k).and_then(Value::as_array).map_or(0, Vec::len);
                let line = w.t(
                    &format!("+{} added · -{} removed · {} unchanged", n("added"), n("removed"), show(d.get("unchanged"))),
                    &format!("+{} adicionados · -{} removidos · {} inalterados", n("added"), n("removed"), show(d.get("unchanged"))),
                );
                w.field(GREEN, "Diff:", &line);
                for (k, sign, color) in [("added", "+", GREEN), ("removed", "-", RED)] {
                    for item in d.get(k).and_then(Value::as_array).into_iter().flatten() {
                        let line = format!(
                            "    {} {} · {} · {}",
                            w.ctx.paint(color, sign),
                            text(item.get("name")),
                            text(item.get("type")),
                            dash(truthy_text(item.get("resourceGroup")))
                        );
                        w.ctx.say(&line);
                    }
                }
            }
            Ok(0)
        }
        "find" => {
            let kind = Some(o.filter_type.as_str()).filter(|s| !s.is_empty());
            let group = Some(o.filter_rg.as_str()).filter(|s| !s.is_empty());
            let found = inventory::search(dir, &o.query, kind, group);
            if found.is_empty() {
                let m = w.t("No resource found in the local inventory.", "Nenhum recurso encontrado no inventário local.");
                let line = format!("  {}", w.ctx.paint(YELLOW, &m));
                w.ctx.say(&line);
                return Ok(0);
            }
            for item in found {
                let line = format!(
                    "  {} {} · {} · {} · {}",
                    w.ctx.paint(DIM, "•"),
                    text(item.get("name")),
                    text(item.get("type")),
                    dash(truthy_text(item.get("resourceGroup"))),
                    dash(truthy_text(item.get("location")))
                );
                w.ctx.say(&line);
            }
            Ok(0)
        }
        scope @ ("servicebus" | "eventgrid" | "sql") => match o.action.as_str() {
            "" => Err(AzureError::Unsupported {
                en: format!("Give the action for {scope}: list | show | plan | apply"),
                pt: format!("Informe a ação para {scope}: list | show | plan | apply"),
            }),
            verb @ ("list" | "show") => {
                let r = operations::read(dir, session, scope, verb, input, az, opts, lang)?;
                let t = oxe_runtime::jsjson::to_pretty(&r);
                w.ctx.say(&t);
                Ok(0)
            }
            "plan" => {
                let r = operations::plan(dir, session, scope, input, az, opts, lang)?;
                let op = &r["operation"];
                let m = w.t("Azure operation planned.", "Operação Azure planejada.");
                w.done(&m);
                w.field(GREEN, "Operation ID:", &text(op.get("operation_id")));
                w.field(GREEN, "Checkpoint:", &text(op.get("checkpoint_id")));
                let c = w.t("Command:", "Comando:");
                w.field(GREEN, &c, &text(op.get("command_display_redacted")));
                let s = w.t("Summary:", "Resumo:");
                w.field(GREEN, &s, &text(op.get("summary")));
                let a = w.t("Artifacts:", "Artefatos:");
                let files = format!("{} · {}", text(r["files"].get("jsonPath")), text(r["files"].get("mdPath")));
                w.field(GREEN, &a, &files);
                Ok(0)
            }
            "apply" => {
                let flags = ApplyFlags {
                    approve: o.approve,
                    override_policy: o.override_policy,
                    dry_run: o.dry_run,
                    vpn_required: cfg.get("vpn_required").is_some_and(oxe_runtime::jsjson::truthy),
                    vpn_confirmed: o.vpn_confirmed,
                };
                let r = operations::apply(dir, session, scope, input, &flags, az, opts, lang)?;
                let op = &r["operation"];
                let c = w.t("Command:", "Comando:");
                let s = w.t("Summary:", "Resumo:");
                if r.get("dryRun") == Some(&Value::Bool(true)) {
                    let m = w.t("validation OK; nothing was changed.", "validação OK; nenhuma alteração foi feita.");
                    let line = format!("  {} {m}", w.ctx.paint(YELLOW, "[dry-run]"));
                    w.ctx.say(&line);
                    w.field(GREEN, &c, &text(r.get("commandPreview")));
                    w.field(GREEN, &s, &text(op.get("summary")));
                    return Ok(0);
                }
                if r.get("approved") != Some(&Value::Bool(true)) {
                    let m = w.t("Checkpoint opened before the mutation.", "Checkpoint aberto antes da mutação.");
                    let line = format!("  {}", w.ctx.paint(YELLOW, &m));
                    w.ctx.say(&line);
                    w.field(GREEN, "Operation ID:", &text(op.get("operation_id")));
                    w.field(GREEN, "Checkpoint:", &text(r.get("checkpoint_id")));
                    w.field(GREEN, &s, &text(op.get("summary")));
                    let again = format!(
                        "npx oxe-cc azure {scope} apply --approve --kind {} --resource-group {}",
                        text(op.get("kind")),
                        text(op.get("resource_group"))
                    );
                    let label = w.t("Re-run:", "Reexecute:");
                    w.field(GREEN, &label, &again);
                    return Ok(0);
                }
                let m = w.t("Azure operation applied.", "Operação Azure aplicada.");
                w.done(&m);
                w.field(GREEN, "Operation ID:", &text(op.get("operation_id")));
                let a = w.t("Artifacts:", "Artefatos:");
                let files = format!("{} · {}", text(r["files"].get("jsonPath")), text(r["files"].get("mdPath")));
                w.field(GREEN, &a, &files);
                Ok(0)
            }
            other => Err(AzureError::Unsupported {
                en: format!("Unknown Azure action: {other} (use list | show | plan | apply)"),
                pt: format!("Ação Azure desconhecida: {other} (use list | show | plan | apply)"),
            }),
        },
        other => Err(AzureError::Unsupported {
            en: format!("Unknown Azure scope: {other}. Use: doctor | status | auth | sync | find | operations | servicebus | eventgrid | sql"),
            pt: format!("Escopo Azure desconhecido: {other}. Use: doctor | status | auth | sync | find | operations | servicebus | eventgrid | sql"),
        }),
    }
}
