//! Unit tests of the provider's decisions, with a scripted fake `az`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Value};

use super::auth::{self, AzOptions};
use super::commands::{ip_range_too_wide, mutation_plan, read_command};
use super::operations::{self, parse_checkpoint_rows, render_checkpoints, ApplyFlags};
use super::redact::{is_secret_key, redact};
use super::runner::{display_command, parse_json_output, resolve_az, Az, AzOutput, Failure};
use super::{inventory, status, AzureError};
use crate::i18n::Lang;

/// Answers by the longest matching command prefix; records every call.
#[derive(Default)]
struct Fake {
    answers: Vec<(String, AzOutput)>,
    env: BTreeMap<String, String>,
    calls: RefCell<Vec<Vec<String>>>,
}

fn ok(stdout: &str) -> AzOutput {
    AzOutput {
        status: 0,
        stdout: stdout.into(),
        ..AzOutput::default()
    }
}

fn fail(status: i32, stderr: &str) -> AzOutput {
    AzOutput {
        status,
        stderr: stderr.into(),
        ..AzOutput::default()
    }
}

impl Fake {
    fn signed_in() -> Fake {
        let mut f = Fake::default();
        f.on("version", ok(r#"{"azure-cli":"2.61.0"}"#));
        f.on(
            "account show",
            ok(r#"{"id":"s1","name":"Sub One","tenantId":"t1","user":{"name":"u@x","type":"servicePrincipal"}}"#),
        );
        f.on("cloud show", ok(r#"{"name":"AzureChinaCloud"}"#));
        f.on("extension show", ok(r#"{"name":"resource-graph"}"#));
        f.on(
            "graph query",
            ok(r#"{"data":[{"id":"2","name":"b","type":"Microsoft.Sql/servers"},{"id":"1","name":"a","type":"Microsoft.ServiceBus/namespaces","resource_group":"g"}]}"#),
        );
        f
    }
    fn on(&mut self, prefix: &str, out: AzOutput) {
        self.answers.retain(|(p, _)| p != prefix);
        self.answers.push((prefix.into(), out));
    }
    fn calls(&self) -> Vec<String> {
        self.calls.borrow().iter().map(|c| c.join(" ")).collect()
    }
}

impl Az for Fake {
    fn run(&self, args: &[String], _inherit: bool) -> AzOutput {
        self.calls.borrow_mut().push(args.to_vec());
        let line = args.join(" ");
        self.answers
            .iter()
            .filter(|(p, _)| line.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| fail(3, "unexpected command"))
    }
    fn var(&self, key: &str) -> Option<String> {
        self.env.get(key).cloned()
    }
}

fn project(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "oxe-az-unit-{tag}-{}-{}",
        std::process::id(),
        oxe_runtime::clock::random_chars(6, oxe_runtime::clock::BASE36)
    ));
    std::fs::create_dir_all(&d).ok();
    d
}

#[test]
fn json_output_and_command_display() {
    assert_eq!(parse_json_output("  "), Ok(Value::Null));
    assert_eq!(parse_json_output(" {\"a\":1}\n"), Ok(json!({"a": 1})));
    assert!(parse_json_output("WARNING: x").is_err());
    let a: Vec<String> = [
        "sql",
        "server",
        "create",
        "--admin-password",
        "p@ss",
        "--name",
        "n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        display_command(&a),
        "az sql server create --admin-password *** --name n"
    );
}

#[test]
fn outputs_map_to_error_codes() {
    let a = vec!["graph".to_string(), "query".to_string()];
    let missing = AzOutput {
        status: 1,
        failure: Some(Failure::NotFound),
        ..AzOutput::default()
    };
    assert_eq!(
        missing.json(&a, "").unwrap_err().code(),
        "OXE_E_AZURE_CLI_MISSING"
    );
    let slow = AzOutput {
        status: 1,
        failure: Some(Failure::Timeout(10)),
        ..AzOutput::default()
    };
    assert_eq!(slow.json(&a, "").unwrap_err().code(), "OXE_E_AZURE_TIMEOUT");
    let e = fail(2, "  boom \n").json(&a, "").unwrap_err();
    assert_eq!(e.code(), "OXE_E_AZURE_COMMAND_FAILED");
    assert_eq!(e.to_string(), "`az graph query` failed (exit 2): boom");
    assert!(e.message(Lang::PtBr).contains("falhou (saída 2)"));
    assert_eq!(
        ok("nope").json(&a, "").unwrap_err().code(),
        "OXE_E_AZURE_BAD_JSON"
    );
    assert_eq!(ok("[1]").json(&a, "").ok(), Some(json!([1])));
}

#[test]
fn resolves_az_on_path_only_when_executable() {
    let d = project("path");
    assert_eq!(resolve_az(Some(d.to_str().unwrap_or(""))), None);
    let f = d.join("az");
    std::fs::write(&f, "#!/bin/sh\n").ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(resolve_az(Some(d.to_str().unwrap_or(""))), None);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).ok();
    }
    let path = format!("/nonexistent-oxe::{}", d.display());
    assert_eq!(resolve_az(Some(&path)), Some(f));
    assert_eq!(resolve_az(None), None);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn secret_keys_are_redacted() {
    for k in [
        "password",
        "adminPassword",
        "SAS_TOKEN",
        "clientSecret",
        "connectionString",
        "connection_string",
        "Access-Key",
        "primaryKey",
        "secondary key",
    ] {
        assert!(is_secret_key(k), "{k}");
    }
    for k in ["name", "keys", "primary", "connection", "accessPolicy"] {
        assert!(!is_secret_key(k), "{k}");
    }
    let v = redact(&json!({"a": [{"token": "x", "k": {"password": ""}}], "b": 1}));
    assert_eq!(
        v,
        json!({"a": [{"token": "[redacted]", "k": {"password": null}}], "b": 1})
    );
}

#[test]
fn read_commands() {
    let rc = |d: &str, v: &str, i: Value| read_command(d, v, &i).map(|a| a.join(" "));
    assert_eq!(
        rc("servicebus", "list", json!({"resourceGroup": "g"}))
            .ok()
            .as_deref(),
        Some("servicebus namespace list --resource-group g --output json")
    );
    assert_eq!(
        rc("servicebus", "show", json!({"kind": "subscription", "subscriptionName": "s", "namespace": "n", "topicName": "t"})).ok().as_deref(),
        Some("servicebus topic subscription show --name s --namespace-name n --topic-name t --output json")
    );
    assert_eq!(
        rc(
            "eventgrid",
            "list",
            json!({"kind": "event-subscription", "sourceResourceId": "/x", "resourceGroup": "g"})
        )
        .ok()
        .as_deref(),
        Some("eventgrid event-subscription list --source-resource-id /x --output json")
    );
    assert_eq!(
        rc(
            "sql",
            "show",
            json!({"kind": "database", "name": "d", "server": "s"})
        )
        .ok()
        .as_deref(),
        Some("sql db show --name d --server s --output json")
    );
    let e = read_command("sql", "show", &json!({"kind": "database", "name": "d"})).unwrap_err();
    assert_eq!(e.to_string(), "Missing --server.");
    assert_eq!(e.message(Lang::PtBr), "Informe --server.");
    assert_eq!(
        read_command("sql", "drop", &json!({})).unwrap_err().code(),
        "OXE_E_AZURE_UNSUPPORTED"
    );
    assert_eq!(
        read_command("sql", "list", &json!({"kind": "vm"}))
            .unwrap_err()
            .code(),
        "OXE_E_AZURE_UNSUPPORTED"
    );
}

#[test]
fn mutation_plans_and_their_rules() {
    let no_env = |_: &str| None;
    let rg_first = mutation_plan("cosmos", &json!({}), &no_env, Lang::En).unwrap_err();
    assert_eq!(rg_first.to_string(), "Missing --resource-group.");
    let p = mutation_plan(
        "eventgrid",
        &json!({"kind": "TOPIC", "name": "t", "resourceGroup": "g"}),
        &no_env,
        Lang::En,
    )
    .map_err(|e| e.to_string());
    let p = p.as_ref().map(|p| p.to_value());
    let op = p.as_ref().cloned().unwrap_or(Value::Null);
    assert_eq!(op["kind"], json!("topic"));
    assert_eq!(
        op["command_display"],
        json!("az eventgrid topic create --name t --resource-group g --location eastus")
    );
    assert_eq!(op["location"], Value::Null);
    assert_eq!(op["blocked"], json!(false));
    let id = op["operation_id"].as_str().unwrap_or("");
    assert!(
        id.starts_with("azure-eventgrid-") && id.rsplit('-').next().map(str::len) == Some(6),
        "{id}"
    );
    assert!(op["checkpoint_id"]
        .as_str()
        .unwrap_or("")
        .starts_with("CP-AZ-"));
    assert_eq!(
        op["evidence_outputs"][0],
        json!(format!(".oxe/cloud/azure/operations/{id}.json"))
    );
    let keys: Vec<&String> = op
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 21);

    let env = |k: &str| (k == "PW").then(|| "hunter2".to_string());
    let sql = mutation_plan(
        "sql",
        &json!({"kind": "server", "name": "s", "resourceGroup": "g", "adminUser": "a", "adminPasswordEnv": "PW", "location": "brazilsouth"}),
        &env,
        Lang::En,
    );
    let sql = sql.map_err(|e| e.to_string());
    if let Ok(sql) = &sql {
        assert_eq!(sql.exec_args.last().map(String::as_str), Some("hunter2"));
        assert!(!sql.to_value().to_string().contains("hunter2"));
        assert_eq!(sql.text("command_display_redacted"), "az sql server create --name s --resource-group g --location brazilsouth --admin-user a --admin-password ${PW}");
    } else {
        panic!("{sql:?}");
    }
    // the password may also come with the input (the CLI passes process.env)
    let from_input = mutation_plan(
        "sql",
        &json!({"kind": "server", "name": "s", "resourceGroup": "g", "adminUser": "a", "adminPasswordEnv": "X", "env": {"X": "pw2"}}),
        &no_env,
        Lang::En,
    );
    assert_eq!(
        from_input
            .ok()
            .and_then(|p| p.exec_args.last().cloned())
            .as_deref(),
        Some("pw2")
    );
    let wide = mutation_plan(
        "sql",
        &json!({"kind": "firewall-rule", "name": "f", "server": "s", "resourceGroup": "g", "startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}),
        &no_env,
        Lang::En,
    );
    assert!(wide
        .as_ref()
        .is_ok_and(|p| p.blocked() && p.text("approval_policy") == "deny_unless_overridden"));
    assert!(ip_range_too_wide(" * ", "*"));
    assert!(!ip_range_too_wide("10.0.0.0", "10.0.0.255"));
    let bad = mutation_plan(
        "servicebus",
        &json!({"kind": "relay", "resourceGroup": "g"}),
        &no_env,
        Lang::PtBr,
    )
    .unwrap_err();
    assert_eq!(
        bad.message(Lang::PtBr),
        "Service Bus suporta --kind namespace | queue | topic | subscription."
    );
}

#[test]
fn inventory_rules() {
    assert_eq!(
        inventory::service_family("Microsoft.SQL/servers/databases"),
        "sql"
    );
    assert_eq!(
        inventory::service_family("microsoft.servicebusx/a"),
        "other"
    );
    let s = inventory::summarize(&[
        json!({"type": "Microsoft.EventGrid/topics"}),
        json!(null),
        json!({"service_family": "Microsoft.Sql/x"}),
    ]);
    assert_eq!(
        s,
        json!({"total": 3, "servicebus": 0, "eventgrid": 1, "sql": 1, "other": 1})
    );
    let d = inventory::diff(
        &[json!({"name": "no id"}), json!({"id": "a"})],
        &[json!({"id": "a"}), json!({"name": "also no id"})],
    );
    // items without an id share the `undefined` key, as in 1.4.0's Map
    assert_eq!(d["added"], json!([]));
    assert_eq!(d["removed"], json!([]));
    assert_eq!(d["unchanged"], json!(2));
    let md = inventory::render_markdown("Azure SQL", &json!({}), &json!(null), &[], "");
    assert!(md.contains("| (empty) | — | — | — | — | — |\n"));
    assert!(md.contains("- **Last sync:** —\n"));
    assert!(md.ends_with('\n'));
}

#[test]
fn context_without_cli_or_login_is_a_result() {
    let dir = project("ctx");
    let none = Fake::default();
    let o = AzOptions {
        write: false,
        ..AzOptions::default()
    };
    let c = auth::get_context(&dir, &none, &o, Lang::En).map_err(|e| e.to_string());
    assert!(c
        .as_ref()
        .is_ok_and(|c| !c.cli.installed && c.auth_status["subscription_selected"] == json!(false)));
    assert!(!dir.join(".oxe").exists());
    let mut out = Fake::signed_in();
    out.on("account show", fail(1, "Please run az login"));
    std::fs::create_dir_all(dir.join(".oxe/cloud/azure")).ok();
    std::fs::write(
        dir.join(".oxe/cloud/azure/profile.json"),
        r#"{"subscription_id":"old","extra":1}"#,
    )
    .ok();
    let c =
        auth::get_context(&dir, &out, &AzOptions::default(), Lang::En).map_err(|e| e.to_string());
    let c = c.unwrap_or_else(|e| panic!("{e}"));
    assert!(!c.login_active());
    assert_eq!(c.auth_status["subscription_selected"], json!(true));
    assert_eq!(c.profile["extra"], json!(1));
    assert_eq!(
        c.require_session().unwrap_err().code(),
        "OXE_E_AZURE_NOT_LOGGED_IN"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn signed_in_context_sync_and_status() {
    let dir = project("sync");
    let az = Fake::signed_in();
    let c = auth::get_context(&dir, &az, &AzOptions::default(), Lang::En)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.profile["auth_mode"], json!("service_principal"));
    assert_eq!(c.profile["cloud"], json!("AzureChinaCloud"));
    assert_eq!(c.auth_status["user_type"], json!("servicePrincipal"));
    let r = inventory::sync(&dir, &az, &AzOptions::default(), Lang::En)
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = r["inventory"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, vec!["a", "b"]);
    assert_eq!(r["inventory"]["items"][0]["resourceGroup"], json!("g"));
    assert!(az.calls().iter().any(|c| c.ends_with("--subscriptions s1")));
    let st = status::status(
        &dir,
        &json!({"azure": {"inventory_max_age_hours": 0}}),
        &az,
        Lang::En,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(st["inventoryAgeHours"], json!(0));
    assert_eq!(st["inventoryStale"], json!(false));
    assert_eq!(st["subscription"], json!("Sub One"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_graph_json_keeps_the_previous_inventory() {
    let dir = project("bad");
    let mut az = Fake::signed_in();
    inventory::sync(&dir, &az, &AzOptions::default(), Lang::En).unwrap_or_else(|e| panic!("{e}"));
    let inv = dir.join(".oxe/cloud/azure/inventory.json");
    let before = std::fs::read(&inv).unwrap_or_default();
    az.on("graph query", ok("<html>proxy error</html>"));
    let e = inventory::sync(&dir, &az, &AzOptions::default(), Lang::En).unwrap_err();
    assert_eq!(e.code(), "OXE_E_AZURE_BAD_JSON");
    assert_eq!(std::fs::read(&inv).unwrap_or_default(), before);
    az.on("extension show", fail(1, "not installed"));
    let e = inventory::sync(
        &dir,
        &az,
        &AzOptions {
            auto_install: false,
            ..AzOptions::default()
        },
        Lang::En,
    )
    .unwrap_err();
    assert!(matches!(e, AzureError::Extension { .. }));
    assert!(!az.calls().iter().any(|c| c.starts_with("extension add")));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn checkpoints_round_trip() {
    let text = "# x\n\n| ID | Tipo |\n|----|\n| — | — | — | — | — | — | — | — | — | — | — |\n| CP-01 | approval | execution | s | pending_approval | p | — | — | 2024-01-01 | — | notes |\n";
    let rows = parse_checkpoint_rows(text);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["notes"], json!("notes"));
    let out = render_checkpoints(&rows);
    assert!(out.contains("\n| CP-01 | approval | execution | s | pending_approval | p | — | — | 2024-01-01 | — | notes |\n"));
    assert_eq!(parse_checkpoint_rows(&out), rows);
}

#[test]
fn apply_needs_approval_and_respects_policy() {
    let dir = project("apply");
    let mut az = Fake::signed_in();
    az.on(
        "servicebus namespace create",
        ok(r#"{"name":"n","primaryKey":"k"}"#),
    );
    let o = AzOptions::default();
    let input = json!({"kind": "namespace", "name": "n", "resourceGroup": "g"});
    let vpn = ApplyFlags {
        vpn_required: true,
        ..ApplyFlags::default()
    };
    let e =
        operations::apply(&dir, None, "servicebus", &input, &vpn, &az, &o, Lang::En).unwrap_err();
    assert_eq!(e.code(), "OXE_E_AZURE_VPN_REQUIRED");
    let r = operations::apply(
        &dir,
        None,
        "servicebus",
        &input,
        &ApplyFlags::default(),
        &az,
        &o,
        Lang::En,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r["approved"], json!(false));
    assert!(!az.calls().iter().any(|c| c.contains("create")));
    let flags = ApplyFlags {
        approve: true,
        ..ApplyFlags::default()
    };
    let r = operations::apply(&dir, None, "servicebus", &input, &flags, &az, &o, Lang::En)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r["result"],
        json!({"name": "n", "primaryKey": "[redacted]"})
    );
    assert_eq!(operations::list(&dir).len(), 2);
    let e = operations::read(
        &dir,
        Some("../x"),
        "sql",
        "list",
        &json!({}),
        &az,
        &o,
        Lang::En,
    )
    .unwrap_err();
    assert_eq!(e.code(), "OXE_E_PATH");
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
fn script(tag: &str, body: &str) -> (PathBuf, BTreeMap<String, String>) {
    use std::os::unix::fs::PermissionsExt;
    let d = project(tag);
    let f = d.join("az");
    std::fs::write(&f, format!("#!/bin/sh\n{body}\n")).ok();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).ok();
    let mut env = BTreeMap::new();
    env.insert("PATH".to_string(), format!("{}:/usr/bin:/bin", d.display()));
    (d, env)
}

#[cfg(unix)]
#[test]
fn system_az_passes_arguments_verbatim_without_a_shell() {
    use super::runner::SystemAz;
    let (d, env) = script(
        "argv",
        "printf '%s|' \"$@\"; printf 'cwd=%s' \"$(pwd)\" >&2; exit 4",
    );
    let az = SystemAz::new(&d, env, None);
    let a: Vec<String> = ["a b", "$(touch pwned)", "';", "--x"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let out = az.run(&a, false);
    assert_eq!(out.status, 4);
    assert_eq!(out.stdout, "a b|$(touch pwned)|';|--x|");
    assert!(out.stderr.starts_with("cwd="));
    assert!(!d.join("pwned").exists());
    std::fs::remove_dir_all(&d).ok();
}

#[cfg(unix)]
#[test]
fn system_az_timeout_and_lingering_children() {
    use super::runner::SystemAz;
    let (d, env) = script("slow", "sleep 20");
    let az = SystemAz::new(&d, env.clone(), Some(300));
    let t0 = std::time::Instant::now();
    let out = az.run(&[], false);
    assert_eq!(out.failure, Some(Failure::Timeout(300)));
    assert!(t0.elapsed().as_secs() < 10);
    // `az` exits at once but leaves a process holding its stdout: the answer
    // is still returned, at the latest at the deadline.
    let (d2, env2) = script("linger", "(sleep 5) & echo '{\"ok\":true}'");
    let az = SystemAz::new(&d2, env2, Some(1500));
    let t0 = std::time::Instant::now();
    let out = az.run(&[], false);
    assert!(t0.elapsed().as_millis() < 4000);
    assert!(out.ok());
    assert_eq!(parse_json_output(&out.stdout), Ok(json!({"ok": true})));
    let mut none = BTreeMap::new();
    none.insert("PATH".to_string(), "/nonexistent-oxe-az".to_string());
    let out = SystemAz::new(&d, none, None).run(&[], false);
    assert_eq!(out.failure, Some(Failure::NotFound));
    std::fs::remove_dir_all(&d).ok();
    std::fs::remove_dir_all(&d2).ok();
    let _ = env;
}

#[cfg(unix)]
#[test]
fn interactive_calls_outlive_the_short_timeout() {
    use super::runner::SystemAz;
    let (d, env) = script("interactive", "sleep 1; exit 0");
    let az = SystemAz::new(&d, env, Some(200));
    assert_eq!(az.run(&[], true).failure, None);
    assert_eq!(az.run(&[], false).failure, Some(Failure::Timeout(200)));
    std::fs::remove_dir_all(&d).ok();
}
