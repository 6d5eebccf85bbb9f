//! delivery binding: git and gh operations, CI checks, delivery records,
//! the merge gate and the two steps of the promotion pipeline. Values cross
//! as JSON text.

use napi_derive::napi;
use oxe_runtime::delivery::{branch, ci_checks, pr, promotion, records};
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

fn string_arg(args: &Value, i: usize, what: &str) -> Result<String, OxeError> {
    args.get(i)
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| OxeError::Arg(format!("BranchManager: {what} must be a string")))
}

/// One BranchManager operation; `args` is a JSON array. Returns
/// `{value, stderr, error?: {message, status}}`.
#[napi(js_name = "branchGit")]
pub fn branch_git(project_root: String, op: String, args: String) -> napi::Result<String, String> {
    guard("BranchManager", || {
        let a = parse_wire("args", &args)?;
        let run = match op.as_str() {
            "currentBranch" => branch::current_branch(&project_root),
            "currentCommit" => branch::current_commit(&project_root),
            "createSessionBranch" => branch::create_session_branch(
                &project_root,
                &a.get(0)
                    .map(jsjson::js_string)
                    .unwrap_or_else(|| "undefined".into()),
            )?,
            "createOxeBranch" => {
                let base = match a.get(1) {
                    Some(b) if jsjson::truthy(b) => Some(string_arg(&a, 1, "base")?),
                    _ => None,
                };
                branch::create_oxe_branch(
                    &project_root,
                    &string_arg(&a, 0, "name")?,
                    base.as_deref(),
                )?
            }
            "switchTo" => branch::switch_to(&project_root, &string_arg(&a, 0, "branch")?)?,
            "deleteBranch" => branch::delete_branch(
                &project_root,
                &string_arg(&a, 0, "name")?,
                a.get(1).is_some_and(jsjson::truthy),
            )?,
            "listOxeBranches" => branch::list_oxe_branches(&project_root),
            "mergeWorktreeBranch" => branch::merge_worktree_branch(
                &project_root,
                &string_arg(&a, 0, "worktree branch")?,
                &string_arg(&a, 1, "target branch")?,
            )?,
            "branchExists" => {
                let exists = match a.get(0).and_then(Value::as_str) {
                    Some(n) => branch::branch_exists(&project_root, n),
                    None => false,
                };
                branch::GitRun {
                    value: exists.into(),
                    ..Default::default()
                }
            }
            "push" => branch::push(
                &project_root,
                &string_arg(&a, 0, "remote")?,
                &string_arg(&a, 1, "branch")?,
                a.get(2).is_some_and(jsjson::truthy),
            )?,
            other => {
                return Err(OxeError::Arg(format!(
                    "unknown BranchManager operation {other:?}"
                )))
            }
        };
        Ok(jsjson::to_line(&run.to_json()))
    })
}

/// One PRManager operation: `isAvailable`, `createDraft` (`arg` = options
/// JSON), `view` (`arg` = the PR as text), `mergePR` (`arg` = the PR as
/// text, `method`). Returns JSON.
#[napi(js_name = "prGh")]
pub fn pr_gh(
    project_root: String,
    op: String,
    arg: String,
    method: Option<String>,
) -> napi::Result<String, String> {
    guard("PRManager", || {
        let out = match op.as_str() {
            "isAvailable" => Value::Bool(pr::is_available(&project_root)),
            "createDraft" => pr::create_draft(&project_root, &parse_wire("options", &arg)?)?,
            "view" => pr::view(&project_root, &arg),
            "mergePR" => pr::merge_pr(&project_root, &arg, method.as_deref().unwrap_or("merge")),
            other => {
                return Err(OxeError::Arg(format!(
                    "unknown PRManager operation {other:?}"
                )))
            }
        };
        Ok(jsjson::to_line(&out))
    })
}

/// `[{name, description}]` of the built-in checks, in OXE_CI_CHECKS order.
#[napi(js_name = "ciCheckCatalog")]
pub fn ci_check_catalog() -> napi::Result<String, String> {
    guard("ciCheckCatalog", || {
        let all: Vec<Value> = ci_checks::CheckKind::ALL
            .iter()
            .map(|k| json!({"name": k.name(), "description": k.description()}))
            .collect();
        Ok(jsjson::to_line(&Value::Array(all)))
    })
}

/// Runs the built-in check `kind` (its canonical name); `check` is the JSON
/// of `this.name` (`undefined` = absent).
#[napi(js_name = "ciRunCheck")]
pub fn ci_run_check(
    kind: String,
    check: Option<String>,
    ctx: String,
) -> napi::Result<String, String> {
    guard("CI check", || {
        let k = ci_checks::CheckKind::from_name(&kind)
            .ok_or_else(|| OxeError::Arg(format!("unknown CI check {kind:?}")))?;
        let check = check.map(|c| parse_wire("check name", &c)).transpose()?;
        let ctx = ci_checks::CiContext::from_wire(&parse_wire("ctx", &ctx)?)?;
        Ok(jsjson::to_line(&ci_checks::run_check(k, check, &ctx)))
    })
}

/// `summarizeCIResults` from the results' statuses (`null` = not a string).
#[napi(js_name = "ciSummarize")]
pub fn ci_summarize(statuses: Vec<Option<String>>) -> napi::Result<String, String> {
    guard("summarizeCIResults", || {
        Ok(jsjson::to_line(&ci_checks::summarize(&statuses)))
    })
}

#[napi(js_name = "deliveryRecordPath")]
pub fn delivery_record_path(
    project_root: String,
    run_id: String,
    kind: String,
) -> napi::Result<String, String> {
    guard("deliveryRecordPath", || {
        records::record_path(&project_root, &run_id, records::RecordKind::parse(&kind)?)
    })
}

#[napi(js_name = "deliverySaveRecord")]
pub fn delivery_save_record(
    project_root: String,
    run_id: String,
    kind: String,
    record: String,
) -> napi::Result<(), String> {
    guard("saveRecord", || {
        let v = parse_wire("record", &record)?;
        records::save(
            &project_root,
            &run_id,
            records::RecordKind::parse(&kind)?,
            &v,
        )
    })
}

/// The record's JSON text, or `null`.
#[napi(js_name = "deliveryLoadRecord")]
pub fn delivery_load_record(
    project_root: String,
    run_id: String,
    kind: String,
) -> napi::Result<Option<String>, String> {
    guard("loadRecord", || {
        let kind = records::RecordKind::parse(&kind)?;
        let v = if kind == records::RecordKind::PrLink {
            promotion::load_pr_link(&project_root, &run_id)?
        } else {
            records::load(&project_root, &run_id, kind)?
        };
        Ok(v.map(|v| jsjson::to_line(&v)))
    })
}

/// `MergeGateEvaluator.evaluate`; `input` is `{run_result, manifest,
/// ledger, gates, coverage, min_coverage}`.
#[napi(js_name = "mergeGateEvaluate")]
pub fn merge_gate_evaluate(input: String) -> napi::Result<String, String> {
    guard("MergeGateEvaluator.evaluate", || {
        let i = parse_wire("input", &input)?;
        let n = Value::Null;
        let g = |k: &str| i.get(k).unwrap_or(&n);
        let report = promotion::evaluate(
            g("run_result"),
            g("manifest"),
            g("ledger"),
            g("gates"),
            g("coverage"),
            g("min_coverage"),
        )?;
        Ok(jsjson::to_line(&report))
    })
}

/// The Markdown summaries: `kind` is `commit`, `promotion` or `base`;
/// `input` is `{run_result, manifest, ledger, message}`.
#[napi(js_name = "promotionSummary")]
pub fn promotion_summary(kind: String, input: String) -> napi::Result<String, String> {
    guard("PromotionPipeline summary", || {
        let kind = match kind.as_str() {
            "commit" => promotion::SummaryKind::Commit,
            "promotion" => promotion::SummaryKind::Promotion,
            _ => promotion::SummaryKind::Base,
        };
        let i = parse_wire("input", &input)?;
        let n = Value::Null;
        let g = |k: &str| i.get(k).unwrap_or(&n);
        promotion::summary(
            kind,
            g("run_result"),
            g("manifest"),
            g("ledger"),
            g("message"),
        )
    })
}

#[napi(js_name = "promotionRecordLocalCommit")]
pub fn promotion_record_local_commit(
    project_root: String,
    input: String,
) -> napi::Result<String, String> {
    guard("PromotionPipeline.recordLocalCommit", || {
        let i = parse_wire("input", &input)?;
        Ok(jsjson::to_line(&promotion::record_local_commit(
            &project_root,
            &i,
        )?))
    })
}

#[napi(js_name = "promotionAsRunPrLink")]
pub fn promotion_as_run_pr_link(record: String) -> napi::Result<String, String> {
    guard("asRunPRLink", || {
        Ok(jsjson::to_line(&promotion::as_run_pr_link(&parse_wire(
            "record", &record,
        )?)))
    })
}

/// First step of `promote`: `{effect: 'done'|'push'|'create_draft', ...}`.
#[napi(js_name = "promotionBegin")]
pub fn promotion_begin(project_root: String, input: String) -> napi::Result<String, String> {
    guard("PromotionPipeline.promote", || {
        let i = parse_wire("input", &input)?;
        Ok(jsjson::to_line(
            &promotion::promote_begin(&project_root, &i)?.to_json(),
        ))
    })
}

/// Second step of `promote`: `{record}` or `{rethrow: true}`.
#[napi(js_name = "promotionFinish")]
pub fn promotion_finish(
    project_root: String,
    state: String,
    outcome: String,
) -> napi::Result<String, String> {
    guard("PromotionPipeline.promote", || {
        let s = parse_wire("state", &state)?;
        let o = parse_wire("outcome", &outcome)?;
        Ok(jsjson::to_line(
            &match promotion::promote_finish(&project_root, &s, &o)? {
                promotion::PromoteEnd::Record(r) => json!({"record": r}),
                promotion::PromoteEnd::Rethrow => json!({"rethrow": true}),
            },
        ))
    })
}
