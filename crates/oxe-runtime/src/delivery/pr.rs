//! `PRManager`: pull requests through the GitHub CLI (`gh`), run in the
//! project root with argument lists. Every operation first checks that
//! `gh --version` works and reports 1.4.0's "not available" error if not.
//! Beyond 1.4.0, gh's "authentication required" exit status (4) becomes an
//! error that says how to authenticate, `mergePR` accepts only the three
//! merge methods, and a PR number or URL that starts with `-` is refused
//! (either would reach gh as a flag).

use serde_json::{json, Map, Value};

use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::plugins::capability_adapter::{spawn_sync, SpawnOutcome};
use crate::plugins::js::js_trim;

const NOT_AVAILABLE: &str = "gh CLI not available";
const GH_AUTH_REQUIRED: i32 = 4;

fn gh(root: &str, args: &[&str]) -> SpawnOutcome {
    spawn_sync("gh", args, root, &[])
}

/// `isAvailable()`: `gh --version` exits 0.
pub fn is_available(root: &str) -> bool {
    gh(root, &["--version"]).status == Some(0)
}

/// The error text of a failed gh command.
fn failure_text(out: &SpawnOutcome, fallback: &str) -> String {
    if let Some(e) = &out.error {
        return format!("{fallback}: {e}");
    }
    let stderr = js_trim(&out.stderr);
    if out.status == Some(GH_AUTH_REQUIRED) {
        return format!(
            "gh CLI is not authenticated — run \"gh auth login\" or set GH_TOKEN ({stderr})"
        );
    }
    stderr.to_string()
}

fn fail(error: impl Into<String>) -> Value {
    json!({"success": false, "error": error.into()})
}

fn opt_string<'a>(o: &'a Map<String, Value>, k: &str) -> OxeResult<Option<&'a str>> {
    match o.get(k) {
        Some(v) if jsjson::truthy(v) => v
            .as_str()
            .map(Some)
            .ok_or_else(|| OxeError::Arg(format!("PRManager.createDraft: {k} must be a string"))),
        _ => Ok(None),
    }
}

/// `createDraft({title, body, base?, head?, draft?})`:
/// `gh pr create --title T --body B [--draft] [--base b] [--head h]`.
pub fn create_draft(root: &str, opts: &Value) -> OxeResult<Value> {
    let o = opts
        .as_object()
        .ok_or_else(|| OxeError::Arg("PRManager.createDraft: options must be an object".into()))?;
    let text = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| OxeError::Arg(format!("PRManager.createDraft: {k} must be a string")))
    };
    let title = text("title")?;
    let body = text("body")?;
    let base = opt_string(o, "base")?;
    let head = opt_string(o, "head")?;
    if !is_available(root) {
        return Ok(fail(format!(
            "{NOT_AVAILABLE} — install from https://cli.github.com"
        )));
    }
    let mut args = vec!["pr", "create", "--title", title, "--body", body];
    if o.get("draft") != Some(&Value::Bool(false)) {
        args.push("--draft");
    }
    if let Some(b) = base {
        args.extend(["--base", b]);
    }
    if let Some(h) = head {
        args.extend(["--head", h]);
    }
    let out = gh(root, &args);
    if out.status != Some(0) {
        return Ok(fail(failure_text(&out, "gh pr create failed")));
    }
    Ok(json!({"success": true, "url": js_trim(&out.stdout)}))
}

/// A PR number or URL that gh would read as a flag (`--web`, `--admin`).
fn flag_like(pr: &str) -> Option<Value> {
    pr.starts_with('-')
        .then(|| fail(format!("PR number or URL {pr:?} must not start with '-'")))
}

/// `view(prNumberOrUrl)`: `gh pr view <n> --json …`, mapped to PRInfo.
pub fn view(root: &str, pr: &str) -> Value {
    if !is_available(root) {
        return fail(NOT_AVAILABLE);
    }
    if let Some(refused) = flag_like(pr) {
        return refused;
    }
    let out = gh(
        root,
        &[
            "pr",
            "view",
            pr,
            "--json",
            "number,title,url,state,isDraft,headRefName,baseRefName",
        ],
    );
    if out.status != Some(0) {
        return fail(failure_text(&out, "gh pr view failed"));
    }
    let parsed = jsjson::parse(&out.stdout).ok();
    let Some(raw) = parsed.as_ref().and_then(Value::as_object) else {
        return fail("Failed to parse gh output");
    };
    let Some(state) = raw.get("state").and_then(Value::as_str) else {
        return fail("Failed to parse gh output");
    };
    let mut pr = Map::new();
    let mut put = |to: &str, from: &str| {
        if let Some(v) = raw.get(from) {
            pr.insert(to.into(), v.clone());
        }
    };
    put("number", "number");
    put("title", "title");
    put("url", "url");
    pr.insert("state".into(), state.to_lowercase().into());
    let mut put = |to: &str, from: &str| {
        if let Some(v) = raw.get(from) {
            pr.insert(to.into(), v.clone());
        }
    };
    put("draft", "isDraft");
    put("head", "headRefName");
    put("base", "baseRefName");
    let mut r = Map::new();
    r.insert("success".into(), true.into());
    if let Some(u) = raw.get("url") {
        r.insert("url".into(), u.clone());
    }
    r.insert("pr".into(), Value::Object(pr));
    Value::Object(r)
}

/// `mergePR(n, method)`: `gh pr merge <n> --<method> --delete-branch`.
pub fn merge_pr(root: &str, pr: &str, method: &str) -> Value {
    if !is_available(root) {
        return fail(NOT_AVAILABLE);
    }
    if let Some(refused) = flag_like(pr) {
        return refused;
    }
    if !matches!(method, "merge" | "squash" | "rebase") {
        return fail(format!(
            "mergePR: method must be \"merge\", \"squash\" or \"rebase\", got {method:?}"
        ));
    }
    let flag = format!("--{method}");
    let out = gh(root, &["pr", "merge", pr, &flag, "--delete-branch"]);
    if out.status == Some(0) {
        json!({"success": true})
    } else {
        fail(failure_text(&out, "gh pr merge failed"))
    }
}
