//! Which `az` arguments a read or a mutation needs, and the rules a
//! mutation is planned under: the inputs each kind requires, the default
//! location (`eastus`) and SQL service objective (`S0`), the firewall
//! ranges denied unless overridden, and the SQL admin password, which is
//! read from an environment variable and never stored (the stored command
//! shows `${VAR}` in its place).

use serde_json::{json, Map, Value};

use super::error::{AzureError, AzureResult};
use super::{now_iso, truthy_text};
use crate::i18n::Lang;
use crate::runtime_cmd::js::{get, present};
use oxe_runtime::clock;
use oxe_runtime::jsjson::js_string;

/// `requireField(input, key, label)`: the value as text, or an error
/// naming the flag when it is missing or empty.
pub fn require(input: &Value, key: &str, label: &str) -> AzureResult<String> {
    match get(Some(input), key) {
        Some(v) if present(Some(v)) && v != &json!("") => Ok(js_string(v)),
        _ => Err(AzureError::MissingInput {
            label: label.to_string(),
        }),
    }
}

fn opt(input: &Value, key: &str) -> Option<String> {
    truthy_text(get(Some(input), key))
}

fn unsupported(en: String, pt: String) -> AzureError {
    AzureError::Unsupported { en, pt }
}

fn v(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `head` (ending in `create`) followed by each flag and its value.
fn create_args(head: &[&str], flags: &[(&str, &str)]) -> Vec<String> {
    let mut a = v(head);
    for (flag, value) in flags {
        a.push(flag.to_string());
        a.push(value.to_string());
    }
    a
}

/// The `az` arguments of `<domain> list|show` for `input.kind` (defaults:
/// namespace, topic, server).
pub fn read_command(domain: &str, verb: &str, input: &Value) -> AzureResult<Vec<String>> {
    let rg: Vec<String> = match opt(input, "resourceGroup") {
        Some(g) => vec!["--resource-group".into(), g],
        None => Vec::new(),
    };
    // `head`, then each `(flag, key, label)` as the flag and the required
    // input, then the resource group when `with_rg`, then `--output json`.
    let cmd = |head: &[&str], fields: &[(&str, &str, &str)], with_rg: bool| {
        let mut a = v(head);
        for (flag, key, label) in fields {
            a.push(flag.to_string());
            a.push(require(input, key, label)?);
        }
        if with_rg {
            a.extend(rg.iter().cloned());
        }
        a.extend(v(&["--output", "json"]));
        AzureResult::Ok(Some(a))
    };
    const NAME: (&str, &str, &str) = ("--name", "name", "--name");
    const NAMESPACE: (&str, &str, &str) = ("--namespace-name", "namespace", "--namespace");
    const TOPIC: (&str, &str, &str) = ("--topic-name", "topicName", "--topic-name");
    const SUBSCRIPTION: (&str, &str, &str) = ("--name", "subscriptionName", "--subscription-name");
    const SOURCE: (&str, &str, &str) = (
        "--source-resource-id",
        "sourceResourceId",
        "--source-resource-id",
    );
    const SERVER: (&str, &str, &str) = ("--server", "server", "--server");
    let kind_or = |d: &str| opt(input, "kind").unwrap_or_else(|| d.to_string());
    let args = match (domain, verb) {
        ("servicebus", "list") => match kind_or("namespace").as_str() {
            "namespace" => cmd(&["servicebus", "namespace", "list"], &[], true)?,
            k @ ("queue" | "topic") => cmd(&["servicebus", k, "list"], &[NAMESPACE], true)?,
            "subscription" => cmd(
                &["servicebus", "topic", "subscription", "list"],
                &[NAMESPACE, TOPIC],
                true,
            )?,
            _ => None,
        },
        ("servicebus", "show") => match kind_or("namespace").as_str() {
            "namespace" => cmd(&["servicebus", "namespace", "show"], &[NAME], true)?,
            k @ ("queue" | "topic") => cmd(&["servicebus", k, "show"], &[NAME, NAMESPACE], true)?,
            "subscription" => cmd(
                &["servicebus", "topic", "subscription", "show"],
                &[SUBSCRIPTION, NAMESPACE, TOPIC],
                true,
            )?,
            _ => None,
        },
        ("eventgrid", "list") => match kind_or("topic").as_str() {
            k @ ("topic" | "system-topic") => cmd(&["eventgrid", k, "list"], &[], true)?,
            "event-subscription" => cmd(
                &["eventgrid", "event-subscription", "list"],
                &[SOURCE],
                false,
            )?,
            _ => None,
        },
        ("eventgrid", "show") => match kind_or("topic").as_str() {
            k @ ("topic" | "system-topic") => cmd(&["eventgrid", k, "show"], &[NAME], true)?,
            "event-subscription" => cmd(
                &["eventgrid", "event-subscription", "show"],
                &[NAME, SOURCE],
                false,
            )?,
            _ => None,
        },
        ("sql", "list") => match kind_or("server").as_str() {
            "server" => cmd(&["sql", "server", "list"], &[], true)?,
            "database" => cmd(&["sql", "db", "list"], &[SERVER], true)?,
            "firewall-rule" => cmd(&["sql", "server", "firewall-rule", "list"], &[SERVER], true)?,
            _ => None,
        },
        ("sql", "show") => match kind_or("server").as_str() {
            "server" => cmd(&["sql", "server", "show"], &[NAME], true)?,
            "database" => cmd(&["sql", "db", "show"], &[NAME, SERVER], true)?,
            "firewall-rule" => cmd(
                &["sql", "server", "firewall-rule", "show"],
                &[NAME, SERVER],
                true,
            )?,
            _ => None,
        },
        _ => None,
    };
    args.ok_or_else(|| {
        unsupported(
            format!("{domain}/{verb} with this --kind is not supported."),
            format!("Combinação {domain}/{verb} com este --kind ainda não suportada."),
        )
    })
}

/// `ipRangeTooWide(start, end)`: the whole IPv4 space, or `*`–`*`.
pub fn ip_range_too_wide(start: &str, end: &str) -> bool {
    let (s, e) = (crate::jstext::trim(start), crate::jstext::trim(end));
    (s == "0.0.0.0" && e == "255.255.255.255") || (s == "*" && e == "*")
}

/// A planned mutation: the operation record (safe to store and show) and
/// the arguments to run, which alone carry a secret.
#[derive(Debug, Clone)]
pub struct MutationPlan {
    pub operation: Map<String, Value>,
    pub exec_args: Vec<String>,
}

impl MutationPlan {
    pub fn text(&self, key: &str) -> String {
        super::text(self.operation.get(key))
    }
    pub fn set(&mut self, key: &str, value: Value) {
        self.operation.insert(key.to_string(), value);
    }
    pub fn blocked(&self) -> bool {
        self.operation.get("blocked") == Some(&Value::Bool(true))
    }
    pub fn to_value(&self) -> Value {
        Value::Object(self.operation.clone())
    }
}

/// `azure-<domain>-<ms base36>-<6 base36 chars>`.
pub fn operation_id(domain: &str) -> String {
    format!(
        "azure-{domain}-{}-{}",
        clock::to_base36(clock::now_ms().max(0) as u64),
        clock::random_chars(6, clock::BASE36)
    )
}

/// `CP-AZ-<MS BASE36>`.
pub fn checkpoint_id() -> String {
    format!(
        "CP-AZ-{}",
        clock::to_base36(clock::now_ms().max(0) as u64).to_uppercase()
    )
}

/// `buildMutationPlan(domain, input)`. `env` looks up the caller's
/// environment (for the SQL admin password).
pub fn mutation_plan(
    domain: &str,
    input: &Value,
    env: &dyn Fn(&str) -> Option<String>,
    lang: Lang,
) -> AzureResult<MutationPlan> {
    let kind = super::text(get(Some(input), "kind")).to_lowercase();
    let rg = require(input, "resourceGroup", "--resource-group")?;
    let location = opt(input, "location");
    let id = operation_id(domain);
    let now = now_iso();
    let t = |en: String, pt: String| match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    };
    let r = |k: &str, l: &str| require(input, k, l);
    let mut args: Vec<String>;
    let mut exec: Option<Vec<String>> = None;
    let summary: String;
    let mut refs: Vec<Value> = Vec::new();
    let mut metadata = Map::new();
    let mut display: Option<String> = None;
    let mut policy = "require_approval_if_external_side_effect";
    let mut blocked = false;
    let mut blocked_reason = Value::Null;
    match domain {
        "servicebus" => {
            let ns = opt(input, "namespace");
            match kind.as_str() {
                "namespace" => {
                    let name = r("name", "--name")?;
                    args = create_args(
                        &["servicebus", "namespace", "create"],
                        &[("--name", &name), ("--resource-group", &rg)],
                    );
                    if let Some(l) = &location {
                        args.extend(v(&["--location", l]));
                    }
                    summary = t(
                        format!("Create Service Bus namespace {name}"),
                        format!("Criar namespace Service Bus {name}"),
                    );
                    refs.push(json!({"kind": "namespace", "name": name, "resourceGroup": rg}));
                }
                k @ ("queue" | "topic") => {
                    let name = r("name", "--name")?;
                    let nsr = r("namespace", "--namespace")?;
                    args = create_args(
                        &["servicebus", k, "create"],
                        &[
                            ("--name", &name),
                            ("--namespace-name", &nsr),
                            ("--resource-group", &rg),
                        ],
                    );
                    let nsd = ns.clone().unwrap_or_else(|| "null".into());
                    summary = t(
                        format!("Create Service Bus {k} {name} in namespace {nsd}"),
                        format!("Criar {k} Service Bus {name} no namespace {nsd}"),
                    );
                    refs.push(
                        json!({"kind": k, "name": name, "namespace": ns, "resourceGroup": rg}),
                    );
                }
                "subscription" => {
                    let name = r("subscriptionName", "--subscription-name")?;
                    let topic = r("topicName", "--topic-name")?;
                    let nsr = r("namespace", "--namespace")?;
                    args = create_args(
                        &["servicebus", "topic", "subscription", "create"],
                        &[
                            ("--name", &name),
                            ("--namespace-name", &nsr),
                            ("--topic-name", &topic),
                            ("--resource-group", &rg),
                        ],
                    );
                    summary = t(
                        format!("Create subscription {name} on topic {topic}"),
                        format!("Criar subscription {name} no topic {topic}"),
                    );
                    refs.push(json!({"kind": "subscription", "name": name, "namespace": ns, "topicName": topic, "resourceGroup": rg}));
                }
                _ => {
                    return Err(unsupported(
                        "Service Bus supports --kind namespace | queue | topic | subscription."
                            .into(),
                        "Service Bus suporta --kind namespace | queue | topic | subscription."
                            .into(),
                    ))
                }
            }
        }
        "eventgrid" => {
            match kind.as_str() {
                "topic" => {
                    let name = r("name", "--name")?;
                    let loc = location.clone().unwrap_or_else(|| "eastus".into());
                    args = create_args(
                        &["eventgrid", "topic", "create"],
                        &[
                            ("--name", &name),
                            ("--resource-group", &rg),
                            ("--location", &loc),
                        ],
                    );
                    summary = t(
                        format!("Create Event Grid topic {name}"),
                        format!("Criar topic Event Grid {name}"),
                    );
                    refs.push(json!({"kind": "topic", "name": name, "resourceGroup": rg}));
                }
                "event-subscription" => {
                    let name = r("name", "--name")?;
                    let src = r("sourceResourceId", "--source-resource-id")?;
                    let endpoint = r("endpoint", "--endpoint")?;
                    args = create_args(
                        &["eventgrid", "event-subscription", "create"],
                        &[
                            ("--name", &name),
                            ("--source-resource-id", &src),
                            ("--endpoint", &endpoint),
                        ],
                    );
                    summary = t(
                        format!("Create event subscription {name}"),
                        format!("Criar event subscription {name}"),
                    );
                    refs.push(json!({"kind": "event-subscription", "name": name, "sourceResourceId": src}));
                    metadata.insert("endpoint".into(), json!(endpoint));
                }
                _ => {
                    return Err(unsupported(
                        "Event Grid mutations support --kind topic | event-subscription.".into(),
                        "Mutações Event Grid suportam --kind topic | event-subscription.".into(),
                    ))
                }
            }
        }
        "sql" => match kind.as_str() {
            "server" => {
                let name = r("name", "--name")?;
                let admin = r("adminUser", "--admin-user")?;
                let pw_env = r("adminPasswordEnv", "--admin-password-env")?;
                let from_input = get(get(Some(input), "env"), &pw_env)
                    .filter(|v| oxe_runtime::jsjson::truthy(v))
                    .map(js_string);
                let Some(password) = env(&pw_env).filter(|p| !p.is_empty()).or(from_input) else {
                    return Err(AzureError::SecretMissing { env: pw_env });
                };
                let loc = location.clone().unwrap_or_else(|| "eastus".into());
                let placeholder = format!("${{{pw_env}}}");
                let with_password = |pw: &str| {
                    create_args(
                        &["sql", "server", "create"],
                        &[
                            ("--name", &name),
                            ("--resource-group", &rg),
                            ("--location", &loc),
                            ("--admin-user", &admin),
                            ("--admin-password", pw),
                        ],
                    )
                };
                args = with_password(&placeholder);
                exec = Some(with_password(&password));
                summary = t(
                    format!("Create Azure SQL server {name}"),
                    format!("Criar Azure SQL server {name}"),
                );
                refs.push(json!({"kind": "server", "name": name, "resourceGroup": rg}));
                metadata.insert("admin_user".into(), json!(admin));
                metadata.insert("admin_password_env".into(), json!(pw_env));
                display = Some(format!("az {}", args.join(" ")));
            }
            "database" => {
                let name = r("name", "--name")?;
                let server = r("server", "--server")?;
                let objective = opt(input, "serviceObjective").unwrap_or_else(|| "S0".into());
                args = create_args(
                    &["sql", "db", "create"],
                    &[
                        ("--name", &name),
                        ("--resource-group", &rg),
                        ("--server", &server),
                        ("--service-objective", &objective),
                    ],
                );
                summary = t(
                    format!("Create Azure SQL database {name} on server {server}"),
                    format!("Criar Azure SQL database {name} no server {server}"),
                );
                refs.push(json!({"kind": "database", "name": name, "server": server, "resourceGroup": rg}));
                metadata.insert("service_objective".into(), json!(objective));
            }
            "firewall-rule" => {
                let name = r("name", "--name")?;
                let server = r("server", "--server")?;
                let start = r("startIpAddress", "--start-ip-address")?;
                let end = r("endIpAddress", "--end-ip-address")?;
                args = create_args(
                    &["sql", "server", "firewall-rule", "create"],
                    &[
                        ("--name", &name),
                        ("--resource-group", &rg),
                        ("--server", &server),
                        ("--start-ip-address", &start),
                        ("--end-ip-address", &end),
                    ],
                );
                summary = t(
                    format!("Create firewall rule {name} on Azure SQL server {server}"),
                    format!("Criar firewall rule {name} no Azure SQL server {server}"),
                );
                refs.push(json!({"kind": "firewall-rule", "name": name, "server": server, "resourceGroup": rg}));
                metadata.insert("start_ip_address".into(), json!(start));
                metadata.insert("end_ip_address".into(), json!(end));
                if ip_range_too_wide(&start, &end) {
                    policy = "deny_unless_overridden";
                    blocked = true;
                    blocked_reason = json!(t(
                        "Firewall range too wide: denied by policy (use --override-policy to override).".into(),
                        "Faixa de firewall ampla bloqueada por política (use --override-policy para sobrepor).".into(),
                    ));
                }
            }
            _ => {
                return Err(unsupported(
                    "Azure SQL supports --kind server | database | firewall-rule.".into(),
                    "Azure SQL suporta --kind server | database | firewall-rule.".into(),
                ))
            }
        },
        other => {
            return Err(unsupported(
                format!("Unknown Azure domain: {other}"),
                format!("Domínio Azure desconhecido: {other}"),
            ))
        }
    }
    let display = display.unwrap_or_else(|| format!("az {}", args.join(" ")));
    let evidence = json!([
        format!(".oxe/cloud/azure/operations/{id}.json"),
        format!(".oxe/cloud/azure/operations/{id}.md"),
    ]);
    let mut m = Map::new();
    m.insert("operation_id".into(), json!(id));
    m.insert("created_at".into(), json!(now));
    m.insert("updated_at".into(), json!(now));
    m.insert("domain".into(), json!(domain));
    m.insert("phase".into(), json!("planned"));
    m.insert("kind".into(), json!(kind));
    m.insert("action".into(), json!("create"));
    m.insert("mutate".into(), json!(true));
    m.insert("approval_policy".into(), json!(policy));
    m.insert("checkpoint_id".into(), json!(checkpoint_id()));
    m.insert("resource_group".into(), json!(rg));
    m.insert("location".into(), json!(location));
    m.insert("resource_refs".into(), Value::Array(refs));
    m.insert("evidence_outputs".into(), evidence);
    m.insert("blocked".into(), json!(blocked));
    m.insert("blocked_reason".into(), blocked_reason);
    m.insert("summary".into(), json!(summary));
    m.insert("command_args".into(), json!(args));
    m.insert("command_display".into(), json!(display));
    m.insert("command_display_redacted".into(), json!(display));
    m.insert("metadata".into(), Value::Object(metadata));
    Ok(MutationPlan {
        operation: m,
        exec_args: exec.unwrap_or(args),
    })
}
