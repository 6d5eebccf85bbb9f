//! The resource inventory: `az graph query` through Resource Graph into
//! `inventory.json` and four Markdown views (all, Service Bus, Event Grid,
//! SQL); search over it, and what changed between two syncs.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::auth::{get_context, write_auth_artifacts, AzOptions, Context};
use super::error::{AzureError, AzureResult};
use super::runner::{args, parse_json_output, Az};
use super::{
    ensure_artifacts, locale_cmp, now_iso, read_json, text, tr, write_json, write_text, AzurePaths,
    RESOURCE_GRAPH_QUERY,
};
use crate::i18n::Lang;
use crate::runtime_cmd::js::{get, truthy_of};
use oxe_runtime::jsjson::{js_string, truthy};

/// `deriveServiceFamily(type)`.
pub fn service_family(kind: &str) -> &'static str {
    let v = kind.to_lowercase();
    if v.starts_with("microsoft.servicebus/") {
        "servicebus"
    } else if v.starts_with("microsoft.eventgrid/") {
        "eventgrid"
    } else if v.starts_with("microsoft.sql/") {
        "sql"
    } else {
        "other"
    }
}

/// `summarizeInventory(items)`: `{total, servicebus, eventgrid, sql, other}`.
pub fn summarize(items: &[Value]) -> Value {
    let mut counts = [0u64; 5];
    for item in items {
        let i = Some(item);
        let t = truthy_of(get(i, "type")).or(get(i, "service_family"));
        let idx = match service_family(&text(t)) {
            "servicebus" => 1,
            "eventgrid" => 2,
            "sql" => 3,
            _ => 4,
        };
        counts[0] += 1;
        counts[idx] += 1;
    }
    json!({
        "total": counts[0],
        "servicebus": counts[1],
        "eventgrid": counts[2],
        "sql": counts[3],
        "other": counts[4],
    })
}

/// `normalizeInventoryItem(item)`.
pub fn normalize_item(item: &Value) -> Value {
    let i = Some(item);
    let pick = |a: &str, b: Option<&str>| -> Value {
        truthy_of(get(i, a))
            .or_else(|| b.and_then(|b| truthy_of(get(i, b))))
            .cloned()
            .unwrap_or_else(|| json!(""))
    };
    let tags = match get(i, "tags") {
        Some(t @ (Value::Object(_) | Value::Array(_))) => t.clone(),
        _ => json!({}),
    };
    let kind = pick("type", None);
    let family = service_family(&text(Some(&kind)));
    json!({
        "id": pick("id", None),
        "name": pick("name", None),
        "type": kind,
        "resourceGroup": pick("resourceGroup", Some("resource_group")),
        "location": pick("location", None),
        "subscriptionId": pick("subscriptionId", Some("subscription_id")),
        "tags": tags,
        "sku": pick("sku", None),
        "service_family": family,
    })
}

/// `loadAzureInventory(projectRoot)`.
pub fn load(project: &Path) -> Value {
    read_json(&AzurePaths::new(project).inventory).unwrap_or(Value::Null)
}

fn items_of(inventory: &Value) -> Vec<Value> {
    match inventory.get("items") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    }
}

/// A value as JS's `[…].join(' ')` renders it (`null` and missing are empty).
fn join_part(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Object(_)) => "[object Object]".into(),
        Some(x) => js_string(x),
    }
}

fn tag_parts(tags: Option<&Value>) -> (Vec<String>, Vec<String>) {
    match tags {
        Some(Value::Object(m)) => (
            m.keys().cloned().collect(),
            m.values().map(|v| join_part(Some(v))).collect(),
        ),
        Some(Value::Array(a)) => (
            (0..a.len()).map(|i| i.to_string()).collect(),
            a.iter().map(|v| join_part(Some(v))).collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

/// `searchAzureInventory(projectRoot, query, {type, resourceGroup})`:
/// items whose type or family contains `type`, whose resource group is
/// `resource_group` (both case-insensitive), and whose name, type, group,
/// location, subscription, family, tag names or tag values contain the
/// query (case-insensitive; an empty query matches everything).
pub fn search(project: &Path, query: &str, kind: Option<&str>, group: Option<&str>) -> Vec<Value> {
    let inventory = load(project);
    let Some(Value::Array(items)) = inventory.get("items") else {
        return Vec::new();
    };
    let low = |v: Option<&Value>| text(v).to_lowercase();
    let mut out: Vec<&Value> = items.iter().collect();
    if let Some(t) = kind.filter(|t| !t.is_empty()) {
        let ft = t.to_lowercase();
        out.retain(|item| {
            low(get(Some(item), "type")).contains(&ft)
                || low(get(Some(item), "service_family")).contains(&ft)
        });
    }
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        let fg = g.to_lowercase();
        out.retain(|item| low(get(Some(item), "resourceGroup")) == fg);
    }
    let q = crate::jstext::trim(query).to_lowercase();
    if !q.is_empty() {
        out.retain(|item| {
            let i = Some(*item);
            let mut parts: Vec<String> = [
                "name",
                "type",
                "resourceGroup",
                "location",
                "subscriptionId",
                "service_family",
            ]
            .iter()
            .map(|k| join_part(get(i, k)))
            .collect();
            let (keys, values) = tag_parts(get(i, "tags").filter(|t| truthy(t)));
            parts.extend(keys);
            parts.extend(values);
            parts.join(" ").to_lowercase().contains(&q)
        });
    }
    out.into_iter().cloned().collect()
}

/// The key an item's `id` has in 1.4.0's `Map` (missing ≠ null).
fn id_key(item: &Value) -> String {
    match item.get("id") {
        None => "\u{0}undefined".into(),
        Some(v) => oxe_runtime::jsjson::to_line(v),
    }
}

/// `diffInventory(previous, current)`: `{added, removed, unchanged}` by id.
pub fn diff(previous: &[Value], current: &[Value]) -> Value {
    use std::collections::HashSet;
    let prev: HashSet<String> = previous.iter().map(id_key).collect();
    let curr: HashSet<String> = current.iter().map(id_key).collect();
    let added: Vec<Value> = current
        .iter()
        .filter(|i| !prev.contains(&id_key(i)))
        .cloned()
        .collect();
    let removed: Vec<Value> = previous
        .iter()
        .filter(|i| !curr.contains(&id_key(i)))
        .cloned()
        .collect();
    let unchanged = current.len() - added.len();
    json!({ "added": added, "removed": removed, "unchanged": unchanged })
}

/// One Markdown view of the inventory (ends with a newline).
pub fn render_markdown(
    title: &str,
    profile: &Value,
    auth: &Value,
    items: &[Value],
    synced_at: &str,
) -> String {
    let s = summarize(items);
    let p = |k: &str| super::truthy_text(profile.get(k));
    let dash = || "—".to_string();
    let auth_check = p("last_auth_check")
        .or_else(|| super::truthy_text(auth.get("checked_at")))
        .unwrap_or_else(dash);
    let mut lines = vec![
        format!("# OXE — {title}"),
        String::new(),
        "> Azure resources recorded by the OXE Azure provider (Azure CLI + Resource Graph).".into(),
        String::new(),
        format!("- **Cloud:** {}", p("cloud").unwrap_or_else(dash)),
        format!("- **Tenant:** {}", p("tenant_id").unwrap_or_else(dash)),
        format!(
            "- **Subscription:** {}",
            p("subscription_name")
                .or_else(|| p("subscription_id"))
                .unwrap_or_else(dash)
        ),
        format!(
            "- **Auth mode:** {}",
            p("auth_mode").unwrap_or_else(|| "unknown".into())
        ),
        format!("- **Last auth check:** {auth_check}"),
        format!(
            "- **Last sync:** {}",
            if synced_at.is_empty() {
                "—"
            } else {
                synced_at
            }
        ),
        String::new(),
        "## Summary".into(),
        String::new(),
        format!("- **Total:** {}", s["total"]),
        format!("- **Service Bus:** {}", s["servicebus"]),
        format!("- **Event Grid:** {}", s["eventgrid"]),
        format!("- **Azure SQL:** {}", s["sql"]),
        format!("- **Other:** {}", s["other"]),
        String::new(),
        "| Name | Type | Family | Resource Group | Location | SKU |".into(),
        "|------|------|--------|----------------|----------|-----|".into(),
    ];
    if items.is_empty() {
        lines.push("| (empty) | — | — | — | — | — |".into());
    }
    for item in items {
        let f = |k: &str, d: &str| super::truthy_text(item.get(k)).unwrap_or_else(|| d.to_string());
        lines.push(format!(
            "| {} | {} | {} | {} | {} | {} |",
            f("name", "—"),
            f("type", "—"),
            f("service_family", "other"),
            f("resourceGroup", "—"),
            f("location", "—"),
            f("sku", "—")
        ));
    }
    lines.push(String::new());
    lines.join("\n")
}

/// `az extension show --name resource-graph --output json`.
pub(super) fn resource_graph_show_args() -> Vec<String> {
    args(&[
        "extension",
        "show",
        "--name",
        "resource-graph",
        "--output",
        "json",
    ])
}

/// `ensureResourceGraphExtension(projectRoot, {autoInstall})`.
pub fn ensure_resource_graph(az: &dyn Az, auto_install: bool, lang: Lang) -> Value {
    let show = resource_graph_show_args();
    let out = az.run(&show, false);
    if out.ok() {
        let ext = parse_json_output(&out.stdout).unwrap_or_else(|_| json!({}));
        return json!({"ok": true, "installed": true, "changed": false, "extension": ext});
    }
    let missing = tr(
        lang,
        "The resource-graph extension is missing.",
        "Extensão resource-graph ausente.",
    );
    if !auto_install {
        return json!({"ok": false, "installed": false, "changed": false, "extension": null, "message": missing});
    }
    let add = args(&[
        "extension",
        "add",
        "--name",
        "resource-graph",
        "--upgrade",
        "--only-show-errors",
    ]);
    let out = az.run(&add, false);
    if let Some(e) = out.error(&add, "") {
        let message = match e {
            AzureError::CommandFailed { detail, .. } if !detail.is_empty() => detail,
            other => other.message(lang),
        };
        return json!({"ok": false, "installed": false, "changed": false, "extension": null, "message": message});
    }
    let ext = parse_json_output(&az.run(&show, false).stdout).unwrap_or_else(|_| json!({}));
    json!({"ok": true, "installed": true, "changed": true, "extension": ext})
}

/// `syncAzureInventory(projectRoot, {autoInstall, diff})`: the result
/// object `{paths, profile, authStatus, inventory, diff?}`.
pub fn sync(project: &Path, az: &dyn Az, o: &AzOptions, lang: Lang) -> AzureResult<Value> {
    let p = ensure_artifacts(project)?;
    let previous = if o.diff { load(project) } else { Value::Null };
    let ctx: Context = get_context(project, az, o, lang)?;
    ctx.require_session()?;
    let ext = ensure_resource_graph(az, o.auto_install, lang);
    if ext.get("ok") != Some(&Value::Bool(true)) {
        return Err(AzureError::Extension {
            detail: text(ext.get("message")),
        });
    }
    let mut a = args(&[
        "graph",
        "query",
        "-q",
        RESOURCE_GRAPH_QUERY,
        "--first",
        "1000",
        "--output",
        "json",
    ]);
    if let Some(sub) = ctx.profile_text("subscription_id") {
        a.push("--subscriptions".into());
        a.push(sub);
    }
    let parsed = az.run(&a, false).json(&a, "az graph query failed")?;
    let mut items: Vec<Value> = match parsed.get("data") {
        Some(Value::Array(d)) => d.iter().map(normalize_item).collect(),
        _ => Vec::new(),
    };
    items.sort_by(|x, y| {
        locale_cmp(
            &text(x.get("service_family")),
            &text(y.get("service_family")),
        )
        .then_with(|| locale_cmp(&text(x.get("name")), &text(y.get("name"))))
    });
    let synced_at = now_iso();
    let pf = |k: &str| ctx.profile.get(k).cloned().unwrap_or(Value::Null);
    let inventory = json!({
        "oxeAzureInventorySchema": 1,
        "synced_at": synced_at,
        "query": RESOURCE_GRAPH_QUERY,
        "cloud": pf("cloud"),
        "tenant_id": pf("tenant_id"),
        "subscription_id": pf("subscription_id"),
        "subscription_name": pf("subscription_name"),
        "summary": summarize(&items),
        "items": items.clone(),
    });
    let family = |f: &str| -> Vec<Value> {
        items
            .iter()
            .filter(|i| i.get("service_family").and_then(Value::as_str) == Some(f))
            .cloned()
            .collect()
    };
    let views = [
        (&p.inventory_md, "Azure Inventory", items.clone()),
        (&p.service_bus_md, "Service Bus", family("servicebus")),
        (&p.event_grid_md, "Event Grid", family("eventgrid")),
        (&p.sql_md, "Azure SQL", family("sql")),
    ];
    write_json(&p.inventory, &inventory)?;
    for (path, title, list) in views {
        let md = render_markdown(title, &ctx.profile, &ctx.auth_status, &list, &synced_at);
        write_text(path, &md)?;
    }
    let mut next_profile = match &ctx.profile {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    next_profile.insert("resource_graph_enabled".into(), json!(true));
    next_profile.insert(
        "last_auth_check".into(),
        ctx.auth_status
            .get("checked_at")
            .cloned()
            .unwrap_or(Value::Null),
    );
    let next_profile = Value::Object(next_profile);
    let mut auth = match &ctx.auth_status {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    auth.insert("checked_at".into(), json!(synced_at));
    auth.insert("resource_graph_enabled".into(), json!(true));
    auth.insert("last_sync".into(), json!(synced_at));
    write_auth_artifacts(project, Some(&next_profile), Some(&Value::Object(auth)))?;
    let mut out = Map::new();
    out.insert("paths".into(), p.to_value());
    out.insert("profile".into(), next_profile);
    out.insert("authStatus".into(), ctx.auth_status.clone());
    out.insert("inventory".into(), inventory);
    if o.diff && truthy(&previous) {
        out.insert("diff".into(), diff(&items_of(&previous), &items));
    }
    Ok(Value::Object(out))
}
