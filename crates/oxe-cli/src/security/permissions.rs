//! `checkFilePermission` / `checkPermissions`: the `permissions` rules of
//! `.oxe/config.json` (`[{pattern, action, scope?}]`). The first rule whose
//! scope applies and whose glob matches the path (with `\` read as `/`) or
//! its base name decides; no rule means `allow`.

use serde_json::{json, Value};

use super::glob::{Glob, GlobError};
use oxe_runtime::jsjson;

/// Outcome for one path: the action and the index of the deciding rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub action: String,
    pub rule: Option<usize>,
}

/// A rule that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BadRule {
    /// `pattern` is not a string (1.4.0 threw a `TypeError`).
    #[error("permissions[{0}].pattern must be a string")]
    NotAString(usize),
    /// `pattern` is too large for the regex engine.
    #[error("permissions[{0}].pattern: {1}")]
    TooLarge(usize, GlobError),
}

/// Rules with their globs compiled on first use, so a list of files is
/// checked without compiling a rule more than once.
struct Compiled<'r> {
    rules: &'r [Value],
    globs: Vec<Option<Glob>>,
}

impl<'r> Compiled<'r> {
    fn new(rules: &'r [Value]) -> Self {
        Compiled {
            rules,
            globs: vec![None; rules.len()],
        }
    }

    fn glob(&mut self, i: usize, pattern: &str) -> Result<&Glob, BadRule> {
        let slot = &mut self.globs[i];
        let glob = match slot.take() {
            Some(g) => g,
            None => Glob::new(pattern).map_err(|e| BadRule::TooLarge(i, e))?,
        };
        Ok(slot.insert(glob))
    }
}

/// `checkFilePermission(file, rules, scope)`. `scope` is `None` when the
/// caller passed a non-string scope (it then equals no rule scope).
pub fn check_file_permission(
    file: &str,
    rules: &[Value],
    scope: Option<&str>,
) -> Result<Decision, BadRule> {
    decide(file, &mut Compiled::new(rules), scope)
}

fn decide(file: &str, set: &mut Compiled<'_>, scope: Option<&str>) -> Result<Decision, BadRule> {
    let normalized = file.replace('\\', "/");
    let base = normalized.rsplit('/').next().unwrap_or("");
    let rules = set.rules;
    for (i, rule) in rules.iter().enumerate() {
        let rule_scope = rule.get("scope").filter(|v| jsjson::truthy(v));
        let applies = match rule_scope {
            None => true,
            Some(Value::String(s)) => s == "all" || Some(s.as_str()) == scope,
            Some(_) => false,
        };
        if !applies {
            continue;
        }
        let Some(pattern) = rule.get("pattern").and_then(Value::as_str) else {
            return Err(BadRule::NotAString(i));
        };
        let glob = set.glob(i, pattern)?;
        if glob.is_match(&normalized) || glob.is_match(base) {
            let action = match rule.get("action").filter(|v| jsjson::truthy(v)) {
                Some(v) => jsjson::js_string(v),
                None => "allow".to_string(),
            };
            return Ok(Decision {
                action,
                rule: Some(i),
            });
        }
    }
    Ok(Decision {
        action: "allow".into(),
        rule: None,
    })
}

/// `checkPermissions(files, rules, scope)`:
/// `{denied, needsApproval, allowed}` (`ask` needs approval; any action
/// other than `deny` and `ask` allows).
pub fn check_permissions(
    files: &[String],
    rules: &[Value],
    scope: Option<&str>,
) -> Result<Value, BadRule> {
    let (mut denied, mut ask, mut allowed) = (Vec::new(), Vec::new(), Vec::new());
    let mut set = Compiled::new(rules);
    for f in files {
        match decide(f, &mut set, scope)?.action.as_str() {
            "deny" => denied.push(f),
            "ask" => ask.push(f),
            _ => allowed.push(f),
        }
    }
    Ok(json!({"denied": denied, "needsApproval": ask, "allowed": allowed}))
}
