//! The `workflows` SDK namespace (1.4.0's `oxe-workflows`): where a
//! project keeps its workflows, the package-vs-project file diff, and the
//! shape lint (shared with doctor, in [`crate::health::doctor`]).

use std::path::Path;

use serde_json::{json, Value};

use crate::health::{md_files, resolve_workflows_dir};
use crate::i18n::Lang;

/// The soft size limit of one workflow file, in bytes.
pub const DEFAULT_MAX_BYTES_SOFT: u32 = 45_000;

/// Files that need no `<success_criteria>` block.
pub const SUCCESS_CRITERIA_EXCEPTIONS: [&str; 1] = ["help.md"];

/// `resolveWorkflowsDir(project)`: `.oxe/workflows`, else `oxe/workflows`,
/// else `None`.
pub fn resolve_dir(project: &Path) -> Option<String> {
    resolve_workflows_dir(project).map(|p| p.to_string_lossy().into_owned())
}

/// `listWorkflowMdFiles(dir)`: the `*.md` names of `dir`, sorted.
pub fn list_md_files(dir: &Path) -> Vec<String> {
    md_files(dir)
}

/// `diffWorkflows(expectedDir, actualDir)` →
/// `{expected, actual, missing, extra, ok}` (`ok`: nothing missing).
pub fn diff(expected_dir: &Path, actual_dir: &Path) -> Value {
    let expected = md_files(expected_dir);
    let actual = md_files(actual_dir);
    let missing: Vec<&String> = expected.iter().filter(|f| !actual.contains(f)).collect();
    let extra: Vec<&String> = actual.iter().filter(|f| !expected.contains(f)).collect();
    let ok = missing.is_empty();
    json!({
        "expected": expected,
        "actual": actual,
        "missing": missing,
        "extra": extra,
        "ok": ok,
    })
}

/// `validateWorkflowShapes(dir, {maxBytesSoft})`: warnings only; a missing
/// folder gives none.
pub fn validate_shapes(dir: Option<&Path>, max_bytes_soft: Option<f64>, lang: Lang) -> Value {
    match dir.filter(|d| d.exists()) {
        Some(d) => crate::health::doctor::validate_workflow_shapes(
            d,
            max_bytes_soft.unwrap_or(f64::from(DEFAULT_MAX_BYTES_SOFT)),
            lang,
        ),
        None => json!({"fileResults": [], "warnings": []}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("oxe-wf-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn diff_lists_missing_and_extra() {
        let (a, b) = (tmp("a"), tmp("b"));
        for f in ["x.md", "y.md", "z.txt"] {
            std::fs::write(a.join(f), "").unwrap();
        }
        for f in ["y.md", "w.md"] {
            std::fs::write(b.join(f), "").unwrap();
        }
        let d = diff(&a, &b);
        assert_eq!(d["missing"], json!(["x.md"]));
        assert_eq!(d["extra"], json!(["w.md"]));
        assert_eq!(d["ok"], false);
        assert_eq!(d.as_object().unwrap().keys().next_back().unwrap(), "ok");
        let same = diff(&a, &a);
        assert_eq!(same["ok"], true);
    }

    #[test]
    fn shapes_missing_dir_and_oversize() {
        let none = validate_shapes(Some(Path::new("/no/such/dir")), None, Lang::En);
        assert_eq!(none["warnings"], json!([]));
        let d = tmp("shape");
        std::fs::write(
            d.join("big.md"),
            format!(
                "<objective>x</objective><success_criteria>y</success_criteria>{}",
                "z".repeat(300)
            ),
        )
        .unwrap();
        let r = validate_shapes(Some(&d), Some(100.0), Lang::En);
        assert_eq!(r["warnings"].as_array().unwrap().len(), 1);
        assert!(r["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bytes"));
        let r = validate_shapes(Some(&d), None, Lang::En);
        assert_eq!(r["warnings"], json!([]));
    }
}
