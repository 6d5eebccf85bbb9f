//! `checkPathSafety` and `validatePlanPaths`: may a workflow touch a path?
//!
//! A path is unsafe when it resolves outside the project root, when its
//! project-relative form matches a denied pattern, or when its base name
//! matches a secret pattern, checked in that order.
//!
//! Containment: 1.4.0 compared the resolved path with the root as strings
//! (`resolved.startsWith(root)`), which let `/proj-evil/x` through for the
//! root `/proj` and refused every path for a relative root such as `.`.
//! Here both are resolved against the working directory and the path must
//! be the root itself or lie below it segment-wise.

use serde_json::{json, Value};

use super::{first_match, PatternError, PatternSet};
use crate::i18n::Lang;
use oxe_runtime::plugins::node_path;

/// Verdict of [`check_path_safety`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Safety {
    pub safe: bool,
    pub reason: Option<String>,
}

impl Safety {
    pub fn to_value(&self) -> Value {
        json!({"safe": self.safe, "reason": self.reason})
    }
}

fn t(lang: Lang, en: String, pt: String) -> String {
    match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    }
}

/// Whether the absolute, normalised `path` is `root` or below it.
pub fn is_within(root: &str, path: &str) -> bool {
    if path == root || root == "/" {
        return true;
    }
    path.strip_prefix(root)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// `checkPathSafety(file, root, {deniedPatterns, secretPatterns})`.
pub fn check_path_safety(
    file: &str,
    root: &str,
    denied: &mut dyn PatternSet,
    secret: &mut dyn PatternSet,
    lang: Lang,
) -> Result<Safety, PatternError> {
    let root_abs = node_path::resolve(&[root]);
    let resolved = node_path::resolve(&[root, file]);
    if !is_within(&root_abs, &resolved) {
        return Ok(Safety {
            safe: false,
            reason: Some(t(
                lang,
                format!("Path traversal: \"{file}\" resolves outside the project root"),
                format!("Caminho fora da raiz do projeto (path traversal): \"{file}\""),
            )),
        });
    }
    let relative = node_path::relative(&root_abs, &resolved);
    if let Some(i) = first_match(denied, &relative)? {
        let p = denied.label(i);
        return Ok(Safety {
            safe: false,
            reason: Some(t(
                lang,
                format!("Path in a denied area ({p}): \"{relative}\""),
                format!("Caminho em área bloqueada ({p}): \"{relative}\""),
            )),
        });
    }
    let base = node_path::basename(&resolved).to_string();
    if let Some(i) = first_match(secret, &base)? {
        let p = secret.label(i);
        return Ok(Safety {
            safe: false,
            reason: Some(t(
                lang,
                format!("File name suggests a secret ({p}): \"{base}\""),
                format!("Nome de arquivo sugere um segredo ({p}): \"{base}\""),
            )),
        });
    }
    Ok(Safety {
        safe: true,
        reason: None,
    })
}

/// `validatePlanPaths(paths, root)` with the default patterns:
/// `{ok, issues:[{path, reason}]}`.
pub fn validate_plan_paths(paths: &[String], root: &str, lang: Lang) -> Value {
    let mut issues = Vec::new();
    for p in paths {
        let mut denied = super::Builtin::DeniedPaths;
        let mut secret = super::Builtin::SecretNames;
        // Built-in sets never fail.
        let verdict =
            check_path_safety(p, root, &mut denied, &mut secret, lang).unwrap_or(Safety {
                safe: true,
                reason: None,
            });
        if !verdict.safe {
            issues.push(json!({"path": p, "reason": verdict.reason}));
        }
    }
    json!({"ok": issues.is_empty(), "issues": issues})
}
