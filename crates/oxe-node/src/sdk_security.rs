//! SDK namespace `security`: adapters to `oxe_cli::security`. Default
//! pattern lists are matched in Rust; when the caller passes its own
//! `RegExp` lists, the core still decides and asks `tester(set, index,
//! subject)` (a JS callback from `lib/sdk/security.js`) whether pattern
//! `index` of list `set` matches.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use napi::bindgen_prelude::{FnArgs, Function};
use napi_derive::napi;
use oxe_cli::i18n::Lang;
use oxe_cli::security::{glob, paths, permissions, scan, Builtin, PatternError, PatternSet};
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

type Tester<'f> = Function<'f, FnArgs<(u32, u32, String)>, bool>;

/// Set ids the JS tester receives.
const SET_DENIED: u32 = 0;
const SET_SECRET: u32 = 1;
const SET_CONTENT: u32 = 2;

/// A caller-supplied list of `RegExp`s, matched by the JS tester.
struct JsPatterns<'a, 'f> {
    set: u32,
    labels: Vec<String>,
    tester: &'a Tester<'f>,
}

impl PatternSet for JsPatterns<'_, '_> {
    fn count(&self) -> usize {
        self.labels.len()
    }
    fn test(&mut self, index: usize, subject: &str) -> Result<bool, PatternError> {
        let idx = u32::try_from(index).map_err(|e| PatternError(e.to_string()))?;
        self.tester
            .call((self.set, idx, subject.to_string()).into())
            .map_err(|e| PatternError(e.reason.clone()))
    }
    fn label(&self, index: usize) -> String {
        self.labels.get(index).cloned().unwrap_or_default()
    }
}

fn pick<'a, 'f>(
    what: &str,
    set: u32,
    labels: Option<Vec<String>>,
    builtin: Builtin,
    tester: Option<&'a Tester<'f>>,
) -> Result<Box<dyn PatternSet + 'a>, OxeError>
where
    'f: 'a,
{
    match (labels, tester) {
        (None, _) => Ok(Box::new(builtin)),
        (Some(labels), Some(tester)) => Ok(Box::new(JsPatterns {
            set,
            labels,
            tester,
        })),
        (Some(_), None) => Err(OxeError::Arg(format!(
            "{what}: custom patterns need a tester"
        ))),
    }
}

fn failed(what: &str, e: PatternError) -> OxeError {
    OxeError::Arg(format!("{what}: a pattern test failed: {e}"))
}

fn lang_of(vars: HashMap<String, String>) -> Lang {
    let vars: BTreeMap<String, String> = vars.into_iter().collect();
    Lang::detect(&vars, None)
}

/// The three default lists as `{secretPatterns, contentPatterns,
/// deniedPatterns}` of `[source, flags]` pairs.
#[napi(js_name = "sdkSecurityDefaults")]
pub fn sdk_security_defaults() -> napi::Result<String, String> {
    guard("security", || {
        let list = |b: Builtin| -> Value {
            Value::Array(
                b.sources()
                    .iter()
                    .map(|p| json!([p.js_source, p.js_flags]))
                    .collect(),
            )
        };
        Ok(jsjson::to_line(&json!({
            "secretPatterns": list(Builtin::SecretNames),
            "contentPatterns": list(Builtin::SecretContent),
            "deniedPatterns": list(Builtin::DeniedPaths),
        })))
    })
}

/// `checkPathSafety(file, root, options)`; `denied` / `secret` are the
/// labels of caller-supplied lists (null: the defaults).
#[napi(js_name = "sdkSecurityCheckPath")]
pub fn sdk_security_check_path(
    file: String,
    root: String,
    env: HashMap<String, String>,
    denied: Option<Vec<String>>,
    secret: Option<Vec<String>>,
    tester: Option<Tester<'_>>,
) -> napi::Result<String, String> {
    guard("checkPathSafety", || {
        let what = "checkPathSafety";
        let t = tester.as_ref();
        let mut d = pick(what, SET_DENIED, denied, Builtin::DeniedPaths, t)?;
        let mut s = pick(what, SET_SECRET, secret, Builtin::SecretNames, t)?;
        let v = paths::check_path_safety(&file, &root, d.as_mut(), s.as_mut(), lang_of(env))
            .map_err(|e| failed(what, e))?;
        Ok(jsjson::to_line(&v.to_value()))
    })
}

/// `validatePlanPaths(paths, root)`.
#[napi(js_name = "sdkSecurityValidatePlanPaths")]
pub fn sdk_security_validate_plan_paths(
    list: Vec<String>,
    root: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("validatePlanPaths", || {
        Ok(jsjson::to_line(&paths::validate_plan_paths(
            &list,
            &root,
            lang_of(env),
        )))
    })
}

/// `scanFileForSecrets(file, options)`.
#[napi(js_name = "sdkSecurityScanFile")]
pub fn sdk_security_scan_file(
    file: String,
    content: Option<Vec<String>>,
    tester: Option<Tester<'_>>,
) -> napi::Result<String, String> {
    guard("scanFileForSecrets", || {
        let what = "scanFileForSecrets";
        let mut c = pick(
            what,
            SET_CONTENT,
            content,
            Builtin::SecretContent,
            tester.as_ref(),
        )?;
        let v = scan::scan_file_for_secrets(Path::new(&file), c.as_mut())
            .map_err(|e| failed(what, e))?;
        Ok(jsjson::to_line(&v))
    })
}

/// `scanDirForSecretFiles(dir, options)`.
#[napi(js_name = "sdkSecurityScanDir")]
pub fn sdk_security_scan_dir(
    dir: String,
    secret: Option<Vec<String>>,
    max_depth: f64,
    tester: Option<Tester<'_>>,
) -> napi::Result<String, String> {
    guard("scanDirForSecretFiles", || {
        let what = "scanDirForSecretFiles";
        let mut s = pick(
            what,
            SET_SECRET,
            secret,
            Builtin::SecretNames,
            tester.as_ref(),
        )?;
        let v = scan::scan_dir_for_secret_files(&dir, s.as_mut(), max_depth)
            .map_err(|e| failed(what, e))?;
        Ok(jsjson::to_line(&json!(v)))
    })
}

/// `globToRegex(glob)`: the regex source (the glue adds flag `i`).
#[napi(js_name = "sdkSecurityGlobSource")]
pub fn sdk_security_glob_source(pattern: String) -> napi::Result<String, String> {
    guard("globToRegex", || Ok(glob::regex_source(&pattern)))
}

fn rules_of(what: &str, rules: &str) -> Result<Vec<Value>, OxeError> {
    let v = jsjson::parse(rules).map_err(|e| OxeError::Arg(format!("{what}: rules ({e})")))?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// `checkFilePermission(file, rules, scope)` → `{action, rule}` with `rule`
/// the index of the deciding rule (the glue swaps in the rule object).
#[napi(js_name = "sdkSecurityCheckFilePermission")]
pub fn sdk_security_check_file_permission(
    file: String,
    rules: String,
    scope: Option<String>,
) -> napi::Result<String, String> {
    guard("checkFilePermission", || {
        let what = "checkFilePermission";
        let d =
            permissions::check_file_permission(&file, &rules_of(what, &rules)?, scope.as_deref())
                .map_err(|e| OxeError::Arg(format!("{what}: {e}")))?;
        Ok(jsjson::to_line(
            &json!({"action": d.action, "rule": d.rule}),
        ))
    })
}

/// `checkPermissions(files, rules, scope)`.
#[napi(js_name = "sdkSecurityCheckPermissions")]
pub fn sdk_security_check_permissions(
    files: Vec<String>,
    rules: String,
    scope: Option<String>,
) -> napi::Result<String, String> {
    guard("checkPermissions", || {
        let what = "checkPermissions";
        let v = permissions::check_permissions(&files, &rules_of(what, &rules)?, scope.as_deref())
            .map_err(|e| OxeError::Arg(format!("{what}: {e}")))?;
        Ok(jsjson::to_line(&v))
    })
}
