//! Reads, plans and applies. A mutation is never run without an explicit
//! approval: `plan` only records it; `apply` without `--approve` records
//! it as `waiting_approval` and opens a checkpoint; a policy-blocked
//! mutation (a firewall range too wide) needs `--override-policy`; a
//! project with `azure.vpn_required` needs `--vpn-confirmed`. Each step
//! writes `operations/<id>.json` (redacted) and `.md`, the checkpoint row,
//! the run's `provider_context.azure` and one event.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::auth::{get_context, AzOptions, Context};
use super::commands::{mutation_plan, read_command, MutationPlan};
use super::error::{AzureError, AzureResult};
use super::inventory::{load as load_inventory, summarize};
use super::redact::redact;
use super::runner::{display_command, Az};
use super::{
    ensure_artifacts, locale_cmp, now_iso, read_json, text, tr, write_json, write_text, AzurePaths,
};
use crate::i18n::Lang;
use crate::runtime_cmd::js::{get, truthy_of};
use crate::runtime_cmd::ops::Op;

/// `listAzureOperations(projectRoot)`: every readable operation JSON,
/// newest first (by `updated_at`, else `created_at`).
pub fn list(project: &Path) -> Vec<Value> {
    let dir = AzurePaths::new(project).operations_dir;
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = rd
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut ops: Vec<Value> = names
        .iter()
        .filter_map(|n| read_json(&dir.join(n)))
        .filter(oxe_runtime::jsjson::truthy)
        .collect();
    let stamp = |o: &Value| text(truthy_of(o.get("updated_at")).or(truthy_of(o.get("created_at"))));
    ops.sort_by(|a, b| locale_cmp(&stamp(b), &stamp(a)));
    ops
}

/// The Markdown record of an operation (ends with a newline).
pub fn render_markdown(op: &Value) -> String {
    let f = |k: &str| text(op.get(k));
    let or_dash = |k: &str| super::truthy_text(op.get(k)).unwrap_or_else(|| "—".into());
    let mutate = if oxe_runtime::jsjson::truthy(op.get("mutate").unwrap_or(&Value::Null)) {
        "yes"
    } else {
        "no"
    };
    let command = super::truthy_text(op.get("command_display_redacted"))
        .or_else(|| super::truthy_text(op.get("command_display")))
        .unwrap_or_default();
    let mut lines = vec![
        format!("# OXE — Azure Operation {}", f("operation_id")),
        String::new(),
        format!("- **Domain:** {}", f("domain")),
        format!("- **Kind:** {}", f("kind")),
        format!("- **Action:** {}", f("action")),
        format!("- **Phase:** {}", f("phase")),
        format!("- **Mutation:** {mutate}"),
        format!("- **Policy:** {}", f("approval_policy")),
        format!("- **Checkpoint:** {}", or_dash("checkpoint_id")),
        format!("- **Summary:** {}", or_dash("summary")),
        format!("- **Created:** {}", f("created_at")),
        format!("- **Updated:** {}", f("updated_at")),
        String::new(),
        "## Command".into(),
        String::new(),
        "```bash".into(),
        command,
        "```".into(),
        String::new(),
        "## Target resources".into(),
        String::new(),
    ];
    if let Some(Value::Array(refs)) = op.get("resource_refs") {
        for r in refs {
            lines.push(format!("- {}", oxe_runtime::jsjson::to_line(r)));
        }
    }
    lines.extend([String::new(), "## Evidence".into(), String::new()]);
    if let Some(Value::Array(ev)) = op.get("evidence_outputs") {
        for e in ev {
            lines.push(format!("- {}", oxe_runtime::jsjson::js_string(e)));
        }
    }
    lines.push(String::new());
    lines.join("\n")
}

/// `persistAzureOperation`: `operations/<id>.json` (redacted) and `.md`;
/// answers `{jsonPath, mdPath}`.
pub fn persist(project: &Path, op: &Value) -> AzureResult<Value> {
    let p = ensure_artifacts(project)?;
    let id = text(op.get("operation_id"));
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        return Err(AzureError::Core(oxe_runtime::OxeError::Path(format!(
            "invalid Azure operation id: {id:?}"
        ))));
    }
    let json_path = p.operations_dir.join(format!("{id}.json"));
    let md_path = p.operations_dir.join(format!("{id}.md"));
    let safe = redact(op);
    write_json(&json_path, &safe)?;
    write_text(&md_path, &render_markdown(&safe))?;
    Ok(json!({
        "jsonPath": json_path.to_string_lossy(),
        "mdPath": md_path.to_string_lossy(),
    }))
}

/// The columns of a checkpoint row, in the table's order.
const CHECKPOINT_COLUMNS: [&str; 11] = [
    "id",
    "type",
    "phase",
    "scope",
    "status",
    "policy",
    "decision",
    "override",
    "created_at",
    "resolved_at",
    "notes",
];

/// The checkpoint rows (`| CP-… |` with eleven cells) of a CHECKPOINTS.md.
pub fn parse_checkpoint_rows(textv: &str) -> Vec<Map<String, Value>> {
    let mut rows = Vec::new();
    for line in textv.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some(body) = line.strip_prefix('|') else {
            continue;
        };
        let cells: Vec<&str> = body.split('|').collect();
        // eleven cells, each followed by a `|`
        if cells.len() < 12 {
            continue;
        }
        let first = cells[0].trim();
        if !first.to_ascii_uppercase().starts_with("CP-") {
            continue;
        }
        let mut m = Map::new();
        for (i, col) in CHECKPOINT_COLUMNS.iter().enumerate() {
            m.insert(col.to_string(), json!(cells[i].trim()));
        }
        rows.push(m);
    }
    rows
}

/// The CHECKPOINTS.md text for `rows` (the table header keeps 1.4.0's
/// column keys).
pub fn render_checkpoints(rows: &[Map<String, Value>]) -> String {
    let mut lines = vec![
        "# OXE — Checkpoints".to_string(),
        String::new(),
        "> Formal checkpoints of the current cycle: human approvals and sensitive gates.".into(),
        String::new(),
        "| ID | Tipo | Fase | Escopo | Estado | Política | Decisão | Override | Criado em | Resolvido em | Notas |".into(),
        "|----|------|------|--------|--------|----------|---------|----------|-----------|--------------|-------|".into(),
    ];
    for r in rows {
        let cells: Vec<String> = CHECKPOINT_COLUMNS.iter().map(|c| text(r.get(*c))).collect();
        lines.push(format!("| {} |", cells.join(" | ")));
    }
    lines.push(String::new());
    lines.join("\n")
}

/// `upsertCheckpoint`: replaces the row with the same id, else adds it
/// first.
fn upsert_checkpoint(op: &Op, row: Map<String, Value>) -> AzureResult<()> {
    let path = op.paths()?.checkpoints;
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let mut rows = parse_checkpoint_rows(&existing);
    match rows.iter().position(|r| r.get("id") == row.get("id")) {
        Some(i) => rows[i] = row,
        None => rows.insert(0, row),
    }
    write_text(&path, &render_checkpoints(&rows))
}

fn checkpoint_row(
    plan: &MutationPlan,
    domain: &str,
    status: &str,
    decision: &str,
    over: &str,
    resolved: &str,
) -> Map<String, Value> {
    let day = |s: String| s.chars().take(10).collect::<String>();
    let vals = [
        plan.text("checkpoint_id"),
        "approval".into(),
        "execution".into(),
        format!("azure:{domain}:{}", plan.text("kind")),
        status.into(),
        plan.text("approval_policy"),
        decision.into(),
        over.into(),
        day(plan.text("created_at")),
        if resolved == "—" {
            resolved.into()
        } else {
            day(resolved.to_string())
        },
        plan.text("summary"),
    ];
    CHECKPOINT_COLUMNS
        .iter()
        .zip(vals)
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
}

/// `attachAzureContextToRun`: merges the Azure context into the active
/// run's `provider_context.azure` (creating a run when there is none).
fn attach_to_run(
    op: &Op,
    ctx: &Context,
    operation: Option<&Value>,
    status: &str,
    pending: Vec<Value>,
    evidence: Vec<Value>,
) -> AzureResult<Value> {
    let inventory = load_inventory(op.root);
    let items = match inventory.get("items") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    let pf = |k: &str, d: Value| truthy_of(ctx.profile.get(k)).cloned().unwrap_or(d);
    let last = operation.map(|o| {
        let g = |k: &str| o.get(k).cloned().unwrap_or(Value::Null);
        let domain = text(o.get("domain"));
        let cap = if domain == "sql" { "sql-admin".to_string() } else { domain };
        json!({
            "operation_id": g("operation_id"),
            "domain": g("domain"),
            "kind": g("kind"),
            "action": g("action"),
            "phase": g("phase"),
            "summary": g("summary"),
            "checkpoint_id": truthy_of(o.get("checkpoint_id")).cloned().unwrap_or(Value::Null),
            "capability_id": format!("azure-{cap}"),
            "resource_refs": truthy_of(o.get("resource_refs")).cloned().unwrap_or_else(|| json!([])),
        })
    });
    let azure_update = json!({
        "enabled": true,
        "cloud": pf("cloud", json!("AzureCloud")),
        "tenant_id": pf("tenant_id", Value::Null),
        "subscription_id": pf("subscription_id", Value::Null),
        "auth_mode": pf("auth_mode", json!("unknown")),
        "inventory_summary": summarize(&items),
        "last_sync": truthy_of(inventory.get("synced_at")).cloned().unwrap_or(Value::Null),
        "last_operation": last.unwrap_or(Value::Null),
    });
    let current = op.read_run_state()?.filter(oxe_runtime::jsjson::truthy);
    let cur = current.as_ref();
    let mut provider = match get(cur, "provider_context") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let mut az = match provider.get("azure") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    if let Value::Object(u) = azure_update {
        for (k, v) in u {
            az.insert(k, v);
        }
    }
    provider.insert("azure".into(), Value::Object(az));
    let now = now_iso();
    let next = match current {
        Some(Value::Object(mut m)) => {
            m.insert("updated_at".into(), json!(now));
            let st = if status.is_empty() {
                m.get("status").cloned().unwrap_or(Value::Null)
            } else {
                json!(status)
            };
            m.insert("status".into(), st);
            // 1.4.0 passes both lists every time (an empty array is truthy
            // there), so they always replace the run's.
            m.insert("pending_checkpoints".into(), Value::Array(pending));
            m.insert("provider_context".into(), Value::Object(provider));
            m.insert("evidence".into(), Value::Array(evidence));
            Value::Object(m)
        }
        _ => json!({
            "run_id": crate::runtime_cmd::ops::make_run_id(),
            "created_at": now,
            "updated_at": now,
            "status": if status.is_empty() { "planned" } else { status },
            "current_wave": null,
            "cursor": {"wave": null, "task": null, "mode": "provider-azure"},
            "active_tasks": [],
            "pending_checkpoints": pending,
            "evidence": evidence,
            "provider_context": provider,
        }),
    };
    Ok(op.write_run_state(&next)?)
}

fn event(op: &Op, kind: &str, payload: Value) -> AzureResult<()> {
    op.append_event(&json!({"type": kind, "payload": payload}))?;
    Ok(())
}

/// The run-state handle (its paths checked) and the Azure context of an
/// operation, which needs a logged-in session.
fn open<'a>(
    project: &'a Path,
    session: Option<&'a str>,
    az: &dyn Az,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<(Op<'a>, Context)> {
    let op = Op::new(project, session, lang);
    op.paths()?;
    let ctx = get_context(project, az, o, lang)?;
    ctx.require_session()?;
    Ok((op, ctx))
}

/// `executeAzureRead(projectRoot, session, domain, verb, input)`: the
/// parsed `az … list|show` answer.
#[allow(clippy::too_many_arguments)]
pub fn read(
    project: &Path,
    session: Option<&str>,
    domain: &str,
    verb: &str,
    input: &Value,
    az: &dyn Az,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<Value> {
    let (op, ctx) = open(project, session, az, o, lang)?;
    let a = read_command(domain, verb, input)?;
    let parsed = az.run(&a, false).json(&a, "Azure read failed")?;
    attach_to_run(&op, &ctx, None, "completed", Vec::new(), Vec::new())?;
    event(
        &op,
        "azure_resource_found",
        json!({
            "domain": domain,
            "verb": verb,
            "kind": truthy_of(input.get("kind")).cloned().unwrap_or(Value::Null),
            "query": redact(&without_env(input)),
        }),
    )?;
    Ok(parsed)
}

/// The input as stored in events: everything but the caller's environment
/// (1.4.0 stored the whole `process.env`, redacting only secret-looking
/// names).
fn without_env(input: &Value) -> Value {
    match input {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "env")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `planAzureOperation(projectRoot, session, domain, input)`:
/// `{context, operation, files}`.
pub fn plan(
    project: &Path,
    session: Option<&str>,
    domain: &str,
    input: &Value,
    az: &dyn Az,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<Value> {
    let (op, ctx) = open(project, session, az, o, lang)?;
    let env = |k: &str| az.var(k);
    let mut p = mutation_plan(domain, input, &env, lang)?;
    p.set("phase", json!("planned"));
    p.set("updated_at", json!(now_iso()));
    let operation = p.to_value();
    let files = persist(project, &operation)?;
    attach_to_run(
        &op,
        &ctx,
        Some(&operation),
        "planned",
        Vec::new(),
        Vec::new(),
    )?;
    event(
        &op,
        "azure_operation_planned",
        json!({
            "domain": domain,
            "operation_id": operation["operation_id"],
            "checkpoint_id": operation["checkpoint_id"],
            "summary": operation["summary"],
            "files": files,
        }),
    )?;
    Ok(json!({"context": ctx.to_value(), "operation": operation, "files": files}))
}

/// The switches of `apply`.
#[derive(Debug, Clone, Default)]
pub struct ApplyFlags {
    pub approve: bool,
    pub override_policy: bool,
    pub dry_run: bool,
    pub vpn_required: bool,
    pub vpn_confirmed: bool,
}

/// `applyAzureOperation(projectRoot, session, domain, input, flags)`.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    project: &Path,
    session: Option<&str>,
    domain: &str,
    input: &Value,
    flags: &ApplyFlags,
    az: &dyn Az,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<Value> {
    let (op, ctx) = open(project, session, az, o, lang)?;
    if flags.vpn_required && !flags.vpn_confirmed {
        return Err(AzureError::VpnRequired);
    }
    let env = |k: &str| az.var(k);
    let mut p = mutation_plan(domain, input, &env, lang)?;
    if flags.dry_run {
        let mut preview = p.clone();
        preview.set("phase", json!("dry_run"));
        return Ok(json!({
            "approved": false,
            "dryRun": true,
            "operation": preview.to_value(),
            "commandPreview": p.text("command_display_redacted"),
            "message": tr(lang, "[dry-run] Validation OK. Nothing was changed.", "[dry-run] Validação OK. Nenhuma alteração foi feita."),
        }));
    }
    if p.blocked() && !flags.override_policy {
        persist(project, &p.to_value())?;
        let reason = p.text("blocked_reason");
        return Err(AzureError::PolicyBlocked { reason });
    }
    if !flags.approve {
        p.set("phase", json!("waiting_approval"));
        p.set("updated_at", json!(now_iso()));
        let operation = p.to_value();
        let files = persist(project, &operation)?;
        upsert_checkpoint(
            &op,
            checkpoint_row(&p, domain, "pending_approval", "—", "—", "—"),
        )?;
        let cp = operation["checkpoint_id"].clone();
        attach_to_run(
            &op,
            &ctx,
            Some(&operation),
            "waiting_approval",
            vec![cp.clone()],
            Vec::new(),
        )?;
        event(
            &op,
            "azure_checkpoint_opened",
            json!({
                "domain": domain,
                "operation_id": operation["operation_id"],
                "checkpoint_id": cp,
                "summary": operation["summary"],
                "files": files,
            }),
        )?;
        return Ok(json!({
            "approved": false,
            "operation": operation,
            "files": files,
            "checkpoint_id": cp,
            "message": tr(lang, "Azure mutation planned. Re-run with --approve to apply it.", "Mutação Azure planejada. Reexecute com --approve para aplicar."),
        }));
    }
    p.set("phase", json!("running"));
    let now = now_iso();
    p.set("updated_at", json!(now));
    let over = if flags.override_policy {
        "explicit"
    } else {
        "—"
    };
    upsert_checkpoint(
        &op,
        checkpoint_row(&p, domain, "approved", "approved", over, &now),
    )?;
    attach_to_run(
        &op,
        &ctx,
        Some(&p.to_value()),
        "running",
        Vec::new(),
        Vec::new(),
    )?;
    let mut run_args = p.exec_args.clone();
    run_args.extend(["--output".to_string(), "json".to_string()]);
    let out = az.run(&run_args, false);
    let failure = out.error(&run_args, "Azure apply failed").map(|e| match e {
        AzureError::CommandFailed { detail, .. } => detail,
        other => other.message(lang),
    });
    if let Some(detail) = failure {
        p.set("phase", json!("failed"));
        p.set("updated_at", json!(now_iso()));
        p.set("error", json!(detail));
        let operation = p.to_value();
        let files = persist(project, &operation)?;
        attach_to_run(
            &op,
            &ctx,
            Some(&operation),
            "failed",
            Vec::new(),
            Vec::new(),
        )?;
        event(
            &op,
            "azure_operation_failed",
            json!({
                "domain": domain,
                "operation_id": operation["operation_id"],
                "checkpoint_id": operation["checkpoint_id"],
                "error": detail,
                "files": files,
            }),
        )?;
        return Err(out.error(&run_args, "Azure apply failed").unwrap_or(
            AzureError::CommandFailed {
                command: display_command(&run_args),
                status: out.status,
                detail,
            },
        ));
    }
    // The mutation ran: its answer is recorded even when it is not JSON.
    let result = super::runner::parse_json_output(&out.stdout).unwrap_or_else(|_| json!({}));
    p.set("phase", json!("applied"));
    p.set("updated_at", json!(now_iso()));
    p.set("result", redact(&result));
    let operation = p.to_value();
    let files = persist(project, &operation)?;
    let md = files["mdPath"].clone();
    attach_to_run(
        &op,
        &ctx,
        Some(&operation),
        "completed",
        Vec::new(),
        vec![md],
    )?;
    event(
        &op,
        "azure_operation_applied",
        json!({
            "domain": domain,
            "operation_id": operation["operation_id"],
            "checkpoint_id": operation["checkpoint_id"],
            "files": files,
            "resources": operation["resource_refs"],
        }),
    )?;
    Ok(
        json!({"approved": true, "operation": operation, "files": files, "result": operation["result"]}),
    )
}
