//! The signed-in context: is `az` installed (and recent enough), which
//! account, tenant, subscription and cloud it uses, whether the
//! resource-graph extension is there; `az login` and `az account set`.
//! `profile.json` and `auth-status.json` record the last answer.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::error::{AzureError, AzureResult};
use super::runner::{args, parse_json_output, Az, Failure};
use super::{default_profile, ensure_artifacts, now_iso, read_json, tr, write_json, AzurePaths};
use crate::i18n::Lang;
use crate::runtime_cmd::js::{get, truthy_of};
use crate::runtime_cmd::ops::Op;

/// Options shared by the provider's calls (1.4.0's `options` object).
#[derive(Debug, Clone)]
pub struct AzOptions {
    /// `write !== false`: record profile / auth status.
    pub write: bool,
    /// `autoInstall !== false`: add the resource-graph extension if missing.
    pub auto_install: bool,
    /// `sync`: report what changed since the last inventory.
    pub diff: bool,
    /// `az login` on the terminal instead of captured.
    pub inherit: bool,
}

impl Default for AzOptions {
    fn default() -> Self {
        AzOptions {
            write: true,
            auto_install: true,
            diff: false,
            inherit: false,
        }
    }
}

/// `detectAzureCli`.
#[derive(Debug, Clone)]
pub struct CliInfo {
    pub installed: bool,
    pub version: Option<String>,
    pub major: Option<i64>,
    pub ok_version: bool,
    pub message: Option<String>,
    pub raw: Value,
    /// Why `az version` did not run (kept to pick the error code).
    pub failure: Option<Failure>,
}

impl CliInfo {
    pub fn to_value(&self) -> Value {
        json!({
            "installed": self.installed,
            "version": self.version,
            "major": self.major,
            "okVersion": self.ok_version,
            "message": self.message,
            "raw": self.raw,
        })
    }

    /// The error to throw when the CLI is needed but not usable.
    pub fn error(&self) -> AzureError {
        match &self.failure {
            Some(Failure::Timeout(ms)) => AzureError::Timeout {
                command: "az version --output json".into(),
                ms: *ms,
            },
            _ => AzureError::CliMissing {
                detail: self
                    .message
                    .clone()
                    .unwrap_or_else(|| "az version failed".into()),
            },
        }
    }
}

/// `parseInt(s, 10)` (leading blanks, a sign, then digits).
fn parse_int(s: &str) -> Option<i64> {
    let t = crate::jstext::trim_start(s);
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: i64 = digits.parse().ok()?;
    Some(if neg { -n } else { n })
}

/// `detectAzureCli(projectRoot)`: runs `az version`.
pub fn detect_cli(az: &dyn Az, lang: Lang) -> CliInfo {
    let out = az.run(&args(&["version", "--output", "json"]), false);
    let missing = |message: String, failure: Option<Failure>| CliInfo {
        installed: false,
        version: None,
        major: None,
        ok_version: false,
        message: Some(message),
        raw: Value::Null,
        failure,
    };
    if let Some(f) = &out.failure {
        let m = match f {
            Failure::NotFound => tr(
                lang,
                "Azure CLI not found: no executable `az` on PATH.",
                "Azure CLI não encontrada: nenhum `az` executável no PATH.",
            ),
            Failure::Timeout(ms) => match lang {
                Lang::En => format!("`az version` timed out after {ms} ms."),
                Lang::PtBr => format!("`az version` excedeu {ms} ms."),
            },
            Failure::Spawn(e) => match lang {
                Lang::En => format!("`az` could not be started: {e}"),
                Lang::PtBr => format!("`az` não pôde ser iniciado: {e}"),
            },
        };
        return missing(m, Some(f.clone()));
    }
    if out.status != 0 {
        let fallback = tr(lang, "Azure CLI not found.", "Azure CLI não encontrada.");
        return missing(out.detail(&fallback), None);
    }
    let parsed = parse_json_output(&out.stdout).unwrap_or_else(|_| json!({}));
    let version = truthy_of(get(Some(&parsed), "azure-cli"))
        .map(oxe_runtime::jsjson::js_string)
        .map(|v| crate::jstext::trim(&v).to_string())
        .filter(|v| !v.is_empty());
    let major = version
        .as_deref()
        .and_then(|v| parse_int(v.split('.').next().unwrap_or("")));
    CliInfo {
        installed: true,
        ok_version: major.is_some_and(|m| m >= super::MIN_AZURE_CLI_MAJOR),
        version,
        major,
        message: None,
        raw: parsed,
        failure: None,
    }
}

/// `normalizeAuthMode(account)`.
pub fn auth_mode(account: &Value) -> &'static str {
    let t = super::text(get(get(Some(account), "user"), "type")).to_lowercase();
    match t.as_str() {
        "serviceprincipal" => "service_principal",
        "user" => "user_mfa",
        "managedidentity" => "managed_identity",
        _ => "unknown",
    }
}

/// `{...DEFAULT_AZURE_PROFILE, ...existing}`.
fn merged_profile(existing: &Value) -> Map<String, Value> {
    let mut m = match default_profile() {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Value::Object(e) = existing {
        for (k, v) in e {
            m.insert(k.clone(), v.clone());
        }
    }
    m
}

/// `normalizeAzureProfile(account, cloud, existing)`.
pub fn normalize_profile(account: &Value, cloud: &Value, existing: &Value) -> Value {
    let mut p = merged_profile(existing);
    if !account.is_object() {
        return Value::Object(p);
    }
    let or = |a: Option<&Value>, b: Option<&Value>| -> Value {
        truthy_of(a)
            .or(truthy_of(b))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let cloud_name = truthy_of(get(Some(cloud), "name"))
        .or(truthy_of(p.get("cloud")))
        .map(oxe_runtime::jsjson::js_string)
        .unwrap_or_else(|| "AzureCloud".into());
    let tenant = or(account.get("tenantId"), p.get("tenant_id"));
    let sub_id = or(account.get("id"), p.get("subscription_id"));
    let sub_name = or(account.get("name"), p.get("subscription_name"));
    p.insert("cloud".into(), Value::String(cloud_name));
    p.insert("tenant_id".into(), tenant);
    p.insert("subscription_id".into(), sub_id);
    p.insert("subscription_name".into(), sub_name);
    p.insert("auth_mode".into(), json!(auth_mode(account)));
    p.insert("last_auth_check".into(), json!(now_iso()));
    Value::Object(p)
}

/// `loadAzureProfile(projectRoot)`.
pub fn load_profile(project: &Path) -> Value {
    let existing = read_json(&AzurePaths::new(project).profile).unwrap_or(Value::Null);
    Value::Object(merged_profile(&existing))
}

/// `loadAzureAuthStatus(projectRoot)`.
pub fn load_auth_status(project: &Path) -> Value {
    read_json(&AzurePaths::new(project).auth_status).unwrap_or(Value::Null)
}

/// `writeAzureAuthArtifacts`: the profile as is, the auth status redacted.
pub fn write_auth_artifacts(
    project: &Path,
    profile: Option<&Value>,
    auth_status: Option<&Value>,
) -> AzureResult<AzurePaths> {
    let p = ensure_artifacts(project)?;
    if let Some(v) = profile.filter(|v| oxe_runtime::jsjson::truthy(v)) {
        write_json(&p.profile, v)?;
    }
    if let Some(v) = auth_status.filter(|v| oxe_runtime::jsjson::truthy(v)) {
        write_json(&p.auth_status, &super::redact::redact(v))?;
    }
    Ok(p)
}

/// `getAzureContext(projectRoot, options)`.
#[derive(Debug, Clone)]
pub struct Context {
    pub cli: CliInfo,
    pub profile: Value,
    pub auth_status: Value,
    pub account: Value,
    pub cloud: Value,
    pub extension: Value,
}

impl Context {
    pub fn to_value(&self) -> Value {
        json!({
            "cli": self.cli.to_value(),
            "profile": self.profile,
            "authStatus": self.auth_status,
            "account": self.account,
            "cloud": self.cloud,
            "extension": self.extension,
        })
    }

    pub fn login_active(&self) -> bool {
        self.auth_status.get("login_active") == Some(&Value::Bool(true))
    }

    /// Fails unless the CLI is installed and signed in (the guard of sync,
    /// read, plan and apply).
    pub fn require_session(&self) -> AzureResult<()> {
        if !self.cli.installed {
            return Err(self.cli.error());
        }
        if !self.login_active() {
            return Err(AzureError::NotLoggedIn);
        }
        Ok(())
    }

    /// `profile[key]` as text, when truthy.
    pub fn profile_text(&self, key: &str) -> Option<String> {
        super::truthy_text(self.profile.get(key))
    }
}

/// The auth status without a usable session.
fn inactive_status(existing: &Value, cli: &CliInfo, warning: String) -> Value {
    let e = Some(existing);
    let or_null = |k: &str| truthy_of(get(e, k)).cloned().unwrap_or(Value::Null);
    let or_text = |k: &str, d: &str| truthy_of(get(e, k)).cloned().unwrap_or_else(|| json!(d));
    let mut m = Map::new();
    m.insert("checked_at".into(), json!(now_iso()));
    m.insert("installed".into(), json!(cli.installed));
    m.insert("version".into(), json!(cli.version));
    m.insert("login_active".into(), json!(false));
    m.insert(
        "subscription_selected".into(),
        json!(cli.installed && truthy_of(get(e, "subscription_id")).is_some()),
    );
    m.insert(
        "tenant_id".into(),
        if cli.installed {
            or_null("tenant_id")
        } else {
            Value::Null
        },
    );
    m.insert("subscription_id".into(), or_null("subscription_id"));
    m.insert("subscription_name".into(), or_null("subscription_name"));
    m.insert("cloud".into(), or_text("cloud", "AzureCloud"));
    m.insert("auth_mode".into(), or_text("auth_mode", "unknown"));
    m.insert("user".into(), Value::Null);
    m.insert("user_type".into(), Value::Null);
    m.insert("resource_graph_enabled".into(), json!(false));
    m.insert("warnings".into(), json!([warning]));
    Value::Object(m)
}

/// `getAzureContext(projectRoot, options)`: `az version`, `az account
/// show`, `az cloud show`, `az extension show --name resource-graph`;
/// writes the profile and the auth status unless `options.write` is false.
pub fn get_context(project: &Path, az: &dyn Az, o: &AzOptions, lang: Lang) -> AzureResult<Context> {
    let cli = detect_cli(az, lang);
    let existing = load_profile(project);
    let done = |cli: CliInfo, profile: Value, auth: Value| -> AzureResult<Context> {
        if o.write {
            write_auth_artifacts(project, Some(&profile), Some(&auth))?;
        }
        Ok(Context {
            cli,
            profile,
            auth_status: auth,
            account: Value::Null,
            cloud: Value::Null,
            extension: Value::Null,
        })
    };
    if !cli.installed {
        let w = cli
            .message
            .clone()
            .unwrap_or_else(|| tr(lang, "Azure CLI not installed.", "Azure CLI não instalada."));
        let auth = inactive_status(&existing, &cli, w);
        return done(cli, existing, auth);
    }
    let account_out = az.run(&args(&["account", "show", "--output", "json"]), false);
    if !account_out.ok() {
        let w = tr(
            lang,
            "Azure CLI is installed but no session is active. Run \"oxe-cc azure auth login\".",
            "Azure CLI instalada, mas sem sessão ativa. Execute \"oxe-cc azure auth login\".",
        );
        let auth = inactive_status(&existing, &cli, w);
        return done(cli, existing, auth);
    }
    let mut warnings = Vec::new();
    let account = match parse_json_output(&account_out.stdout) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            warnings.push(json!(tr(
                lang,
                "`az account show` did not answer a JSON object; the account details are unknown.",
                "`az account show` não respondeu um objeto JSON; os dados da conta são desconhecidos.",
            )));
            json!({})
        }
    };
    let cloud_out = az.run(&args(&["cloud", "show", "--output", "json"]), false);
    let cloud = parse_json_output(&cloud_out.stdout).unwrap_or_else(|_| json!({}));
    let ext_args = super::inventory::resource_graph_show_args();
    let extension = parse_json_output(&az.run(&ext_args, false).stdout).unwrap_or(Value::Null);
    let has_ext = oxe_runtime::jsjson::truthy(&extension);
    let mut profile = normalize_profile(&account, &cloud, &existing);
    if let Value::Object(m) = &mut profile {
        m.insert("resource_graph_enabled".into(), json!(has_ext));
    }
    let a = Some(&account);
    let user = get(a, "user");
    let mut m = Map::new();
    m.insert("checked_at".into(), json!(now_iso()));
    m.insert("installed".into(), json!(true));
    m.insert("version".into(), json!(cli.version));
    m.insert("login_active".into(), json!(true));
    m.insert(
        "subscription_selected".into(),
        json!(truthy_of(get(a, "id")).is_some()),
    );
    for (to, from) in [
        ("tenant_id", "tenantId"),
        ("subscription_id", "id"),
        ("subscription_name", "name"),
    ] {
        m.insert(
            to.into(),
            truthy_of(get(a, from)).cloned().unwrap_or(Value::Null),
        );
    }
    let cloud_name = truthy_of(get(Some(&cloud), "name"))
        .or(truthy_of(profile.get("cloud")))
        .cloned()
        .unwrap_or_else(|| json!("AzureCloud"));
    m.insert("cloud".into(), cloud_name);
    m.insert("auth_mode".into(), json!(auth_mode(&account)));
    for (to, from) in [("user", "name"), ("user_type", "type")] {
        m.insert(
            to.into(),
            truthy_of(get(user, from)).cloned().unwrap_or(Value::Null),
        );
    }
    m.insert("resource_graph_enabled".into(), json!(has_ext));
    m.insert("warnings".into(), Value::Array(warnings));
    Ok(Context {
        account,
        cloud,
        extension,
        ..done(cli, profile, Value::Object(m))?
    })
}

fn event(project: &Path, lang: Lang, ev: Value) -> AzureResult<()> {
    Op::new(project, None, lang).append_event(&ev)?;
    Ok(())
}

/// `loginAzure(projectRoot, {inherit, tenant})`.
pub fn login(
    project: &Path,
    az: &dyn Az,
    tenant: Option<&str>,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<Context> {
    let cli = detect_cli(az, lang);
    if !cli.installed {
        return Err(cli.error());
    }
    event(project, lang, json!({"type": "azure_login_started"}))?;
    let mut a = args(&["login", "--output", "json"]);
    if let Some(t) = tenant.filter(|t| !t.is_empty()) {
        a.push("--tenant".into());
        a.push(t.to_string());
    }
    let out = az.run(&a, o.inherit);
    if let Some(e) = out.error(&a, "az login failed") {
        return Err(e);
    }
    event(project, lang, json!({"type": "azure_login_succeeded"}))?;
    let ctx_opts = AzOptions {
        inherit: false,
        ..o.clone()
    };
    get_context(project, az, &ctx_opts, lang)
}

/// `setAzureSubscription(projectRoot, subscription)`.
pub fn set_subscription(
    project: &Path,
    az: &dyn Az,
    subscription: &str,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<Context> {
    if subscription.is_empty() {
        return Err(AzureError::MissingInput {
            label: "--subscription <id|name>".into(),
        });
    }
    let cli = detect_cli(az, lang);
    if !cli.installed {
        return Err(cli.error());
    }
    let a = args(&["account", "set", "--subscription", subscription]);
    if let Some(e) = az.run(&a, false).error(&a, "az account set failed") {
        return Err(e);
    }
    let ctx = get_context(project, az, o, lang)?;
    event(
        project,
        lang,
        json!({
            "type": "azure_subscription_selected",
            "payload": {
                "subscription": ctx.profile.get("subscription_id").cloned().unwrap_or(Value::Null),
                "subscription_name": ctx.profile.get("subscription_name").cloned().unwrap_or(Value::Null),
            },
        }),
    )?;
    Ok(ctx)
}
