//! Decision memos: the change strategy chosen for a work item and the
//! alternatives rejected (`StrategySelector`), the estimated blast radius
//! (`buildBlastRadius`), the rollback plan (`buildRollbackPlan`), the memo
//! itself (`buildMemo`) and its files `.oxe/runs/<run>/memos/<id>.json`
//! (`saveMemo`, `loadMemo`, `listMemos`).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::engine::timestamp;
use crate::clock;
use crate::context::js;
use crate::context::store::file_in;
use crate::error::{OxeError, OxeResult};
use crate::jsjson::number_to_js_string;
use crate::paths::run_dir;
use crate::store;

/// `ChangeStrategy`, in 1.4.0's fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    MinimalPatch,
    IsolatedRefactor,
    ExpandContract,
    FeatureFlag,
    NoOp,
}

pub const STRATEGIES: [Strategy; 5] = [
    Strategy::MinimalPatch,
    Strategy::IsolatedRefactor,
    Strategy::ExpandContract,
    Strategy::FeatureFlag,
    Strategy::NoOp,
];

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::MinimalPatch => "minimal_patch",
            Strategy::IsolatedRefactor => "isolated_refactor",
            Strategy::ExpandContract => "expand_contract",
            Strategy::FeatureFlag => "feature_flag",
            Strategy::NoOp => "no_op",
        }
    }
}

fn is_high_or_critical(risk: Option<&str>) -> bool {
    matches!(risk, Some("high" | "critical"))
}

/// `StrategySelector.select(scope, retryCount, riskLevel)`, first match
/// wins. `files` is `mutationScope.length` and `retries` a JS number.
pub fn select(files: f64, retries: f64, risk: Option<&str>) -> Strategy {
    if risk == Some("critical") {
        Strategy::FeatureFlag
    } else if retries > 1.0 {
        Strategy::MinimalPatch
    } else if files > 8.0 {
        Strategy::IsolatedRefactor
    } else if risk == Some("high") {
        Strategy::FeatureFlag
    } else if files > 3.0 {
        Strategy::ExpandContract
    } else if files == 0.0 {
        Strategy::NoOp
    } else {
        Strategy::MinimalPatch
    }
}

/// Why a strategy was not chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    NoOpUnsatisfying,
    FlagNotWarranted,
    FlagPreferred,
    ScopeSmall,
    RefactorPreferred,
    ExpandContractOverhead,
    PatchPreferred,
}

const REASONS: [Reason; 7] = [
    Reason::NoOpUnsatisfying,
    Reason::FlagNotWarranted,
    Reason::FlagPreferred,
    Reason::ScopeSmall,
    Reason::RefactorPreferred,
    Reason::ExpandContractOverhead,
    Reason::PatchPreferred,
];

impl Reason {
    fn of(s: Strategy, files: f64, risk: Option<&str>) -> Reason {
        match s {
            Strategy::NoOp => Reason::NoOpUnsatisfying,
            Strategy::FeatureFlag if !is_high_or_critical(risk) => Reason::FlagNotWarranted,
            Strategy::FeatureFlag => Reason::FlagPreferred,
            Strategy::IsolatedRefactor if files <= 8.0 => Reason::ScopeSmall,
            Strategy::IsolatedRefactor => Reason::RefactorPreferred,
            Strategy::ExpandContract => Reason::ExpandContractOverhead,
            Strategy::MinimalPatch => Reason::PatchPreferred,
        }
    }

    /// The text; `chosen` is the text of the caller's choice.
    fn text(self, chosen: &str) -> String {
        match self {
            Reason::NoOpUnsatisfying => {
                "mutation scope is non-empty; no-op would not satisfy requirements".into()
            }
            Reason::FlagNotWarranted => "risk level does not warrant feature flag overhead".into(),
            Reason::FlagPreferred => format!("{chosen} preferred for scope size"),
            Reason::ScopeSmall => "scope is small enough for simpler strategy".into(),
            Reason::RefactorPreferred => format!("{chosen} preferred"),
            Reason::ExpandContractOverhead => {
                "expand-contract requires coordinated deployment; overhead not justified here"
                    .into()
            }
            Reason::PatchPreferred => format!("{chosen} preferred due to scope or risk level"),
        }
    }
}

/// `StrategySelector.alternatives(chosen, scope, riskLevel)`: every other
/// strategy, in the fixed order, with its reason.
pub fn alternatives(chosen: &str, files: f64, risk: Option<&str>) -> Vec<(Strategy, String)> {
    STRATEGIES
        .iter()
        .filter(|s| s.as_str() != chosen)
        .map(|&s| (s, Reason::of(s, files, risk).text(chosen)))
        .collect()
}

/// `BlastRadiusEstimate`.
#[derive(Debug, Clone, PartialEq)]
pub struct BlastRadius {
    pub estimated_files: usize,
    pub subsystems: Vec<String>,
    /// Rounded to 2 decimals.
    pub risk_score: f64,
    pub reversible: bool,
}

impl BlastRadius {
    pub fn to_value(&self) -> Value {
        json!({
            "estimated_files": self.estimated_files,
            "subsystems": self.subsystems,
            "risk_score": js::number(self.risk_score),
            "reversible": self.reversible,
        })
    }
}

/// Byte position of the first path separator (`/`, or `\` which 1.4.0
/// turns into `/` first).
fn first_separator(p: &str) -> Option<usize> {
    p.find(['/', '\\'])
}

/// The unique subsystems of a scope, in order: for each, the index of the
/// path it came from and, when the path has a separator, the length in
/// UTF-16 units of its first segment (a path with a single segment is taken
/// whole).
pub fn subsystem_cuts<S: AsRef<str>>(scope: &[S]) -> Vec<(usize, Option<usize>)> {
    let mut seen: Vec<(&str, usize, Option<usize>)> = Vec::new();
    for (i, p) in scope.iter().enumerate() {
        let p = p.as_ref();
        let (sub, cut) = match first_separator(p) {
            Some(at) => (&p[..at], Some(js::utf16_len(&p[..at]))),
            None => (p, None),
        };
        if !seen.iter().any(|(s, _, _)| *s == sub) {
            seen.push((sub, i, cut));
        }
    }
    seen.into_iter().map(|(_, i, cut)| (i, cut)).collect()
}

fn subsystems<S: AsRef<str>>(scope: &[S]) -> Vec<String> {
    subsystem_cuts(scope)
        .into_iter()
        .map(|(i, _)| {
            let p = scope[i].as_ref();
            p[..first_separator(p).unwrap_or(p.len())].to_string()
        })
        .collect()
}

fn risk_weight(risk: Option<&str>) -> f64 {
    match risk {
        Some("critical") => 0.4,
        Some("high") => 0.3,
        Some("medium") => 0.15,
        Some("low") => 0.05,
        _ => 0.0,
    }
}

/// `buildBlastRadius(scope, retryCount, riskLevel)`.
pub fn blast_radius<S: AsRef<str>>(scope: &[S], retries: f64, risk: Option<&str>) -> BlastRadius {
    BlastRadius {
        subsystems: subsystems(scope),
        ..blast_radius_without_names(scope, retries, risk)
    }
}

fn blast_radius_without_names<S: AsRef<str>>(
    scope: &[S],
    retries: f64,
    risk: Option<&str>,
) -> BlastRadius {
    let n = scope.len();
    let mut score = 0.0;
    score += js::min(0.4, n as f64 * 0.05);
    score += if retries > 0.0 {
        js::min(0.2, retries * 0.05)
    } else {
        0.0
    };
    score += risk_weight(risk);
    BlastRadius {
        estimated_files: n,
        subsystems: Vec::new(),
        risk_score: js::round2(js::min(1.0, score)),
        reversible: risk != Some("critical") && n <= 10,
    }
}

/// `RollbackPlan` kinds; steps, cost and preconditions are fixed per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollback {
    RestoreWorkspace,
    RevertCommit,
    UndoPatch,
}

impl Rollback {
    pub fn to_value(self) -> Value {
        let (strategy, steps, cost, pre): (&str, &[&str], &str, &[&str]) = match self {
            Rollback::RestoreWorkspace => (
                "restore_workspace",
                &[
                    "snapshot workspace before mutation",
                    "restore snapshot on failure",
                    "verify clean state",
                ],
                "high",
                &["workspace snapshot available", "no shared-state mutations"],
            ),
            Rollback::RevertCommit => (
                "revert_commit",
                &["record commit SHA before change", "git revert on failure"],
                "medium",
                &["git repo initialized", "changes committed atomically"],
            ),
            Rollback::UndoPatch => (
                "undo_patch",
                &["apply inverse patch"],
                "low",
                &["original file state recorded"],
            ),
        };
        json!({"strategy": strategy, "steps": steps, "estimated_cost": cost, "preconditions": pre})
    }
}

/// `buildRollbackPlan(blastRadius, retryCount)` from the fields it reads:
/// `risk_score`, `reversible` (truthiness) and `estimated_files`.
pub fn rollback_plan(risk_score: f64, reversible: bool, files: f64, retries: f64) -> Rollback {
    if risk_score >= 0.7 || !reversible {
        Rollback::RestoreWorkspace
    } else if retries > 1.0 || files > 5.0 {
        Rollback::RevertCommit
    } else {
        Rollback::UndoPatch
    }
}

/// A fresh `memo-<8 hex>` id.
pub fn new_memo_id() -> String {
    format!("memo-{}", clock::random_chars(8, clock::HEX))
}

/// What `buildMemo` computes from the scope, retries and risk; the caller's
/// pass-through fields (`work_item_id`, `run_id`, `problem_summary`,
/// `min_evidence_required`, an explicit `confidence`) are added by the glue.
/// `{memo_id, chosen_strategy, alternatives_rejected, blast_radius,
/// rollback_plan, confidence, created_at}`, where `confidence` is the
/// default `1 − risk_score` (not re-rounded).
pub fn memo_parts<S: AsRef<str>>(scope: &[S], retries: f64, risk: Option<&str>) -> Value {
    let chosen = select(scope.len() as f64, retries, risk);
    let br = blast_radius(scope, retries, risk);
    let plan = rollback_plan(
        br.risk_score,
        br.reversible,
        br.estimated_files as f64,
        retries,
    );
    let alts: Vec<Value> = alternatives(chosen.as_str(), scope.len() as f64, risk)
        .into_iter()
        .map(|(s, reason)| json!({"strategy": s.as_str(), "reason": reason}))
        .collect();
    json!({
        "memo_id": new_memo_id(),
        "chosen_strategy": chosen.as_str(),
        "alternatives_rejected": alts,
        "blast_radius": br.to_value(),
        "rollback_plan": plan.to_value(),
        "confidence": js::number(1.0 - br.risk_score),
        "created_at": timestamp(),
    })
}

/// `buildMemo(input)` for a `BuildMemoInput` object, in 1.4.0's key order.
pub fn build_memo(input: &Value) -> OxeResult<Value> {
    let arg = |m: &str| OxeError::Arg(format!("buildMemo: {m}"));
    let scope: Vec<String> = input
        .get("mutation_scope")
        .and_then(Value::as_array)
        .ok_or_else(|| arg("input.mutation_scope must be an array of strings"))?
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect::<Option<_>>()
        .ok_or_else(|| arg("input.mutation_scope must be an array of strings"))?;
    let parts = memo_parts(
        &scope,
        js::to_number(input.get("retry_count")),
        input.get("risk_level").and_then(Value::as_str),
    );
    let pass = |k: &str| input.get(k).cloned();
    let mut memo = serde_json::Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            memo.insert(k.to_string(), v);
        }
    };
    put("memo_id", pass_field(&parts, "memo_id"));
    put("work_item_id", pass("work_item_id"));
    put("run_id", pass("run_id"));
    put("problem_summary", pass("problem_summary"));
    for k in [
        "chosen_strategy",
        "alternatives_rejected",
        "blast_radius",
        "rollback_plan",
    ] {
        put(k, pass_field(&parts, k));
    }
    put(
        "min_evidence_required",
        Some(
            pass("min_evidence_required")
                .filter(|v| !v.is_null())
                .unwrap_or(json!([])),
        ),
    );
    put(
        "confidence",
        pass("confidence")
            .filter(|v| !v.is_null())
            .or_else(|| pass_field(&parts, "confidence")),
    );
    put("created_at", pass_field(&parts, "created_at"));
    Ok(Value::Object(memo))
}

fn pass_field(v: &Value, k: &str) -> Option<Value> {
    v.get(k).cloned()
}

// --------------------------------------------------------- compact form
//
// `buildMemo` is called in bulk, so the glue gets the fixed texts once
// (`memo_tables`) and each memo as a few codes and numbers on one line per
// field (`memo_compact`), instead of a JSON document to parse per memo.

impl Strategy {
    /// Position in [`STRATEGIES`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl Rollback {
    /// The kinds, in the order of their codes.
    pub const ALL: [Rollback; 3] = [
        Rollback::RestoreWorkspace,
        Rollback::RevertCommit,
        Rollback::UndoPatch,
    ];

    /// Position in [`Rollback::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The reason texts for each chosen strategy: entry `chosen × 7 + reason`.
fn reason_table() -> Vec<String> {
    STRATEGIES
        .iter()
        .flat_map(|chosen| REASONS.iter().map(|r| r.text(chosen.as_str())))
        .collect()
}

/// The fixed texts the compact form refers to:
/// `{strategies: [name…], reasons: [text…], rollback_plans: [RollbackPlan…]}`.
pub fn memo_tables() -> Value {
    json!({
        "strategies": STRATEGIES.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "reasons": reason_table(),
        "rollback_plans": Rollback::ALL.iter().map(|r| r.to_value()).collect::<Vec<_>>(),
    })
}

/// A blast radius as four lines: `estimated_files`, `risk_score`,
/// `reversible` (`1`/`0`), and the subsystems as `index:cut` pairs
/// (see [`subsystem_cuts`]; cut `-1` is the whole path).
pub fn blast_compact<S: AsRef<str>>(
    out: &mut String,
    scope: &[S],
    retries: f64,
    risk: Option<&str>,
) -> BlastRadius {
    use std::fmt::Write;
    let br = blast_radius_without_names(scope, retries, risk);
    let _ = write!(
        out,
        "{}\n{}\n{}\n",
        br.estimated_files,
        number_to_js_string(br.risk_score),
        u8::from(br.reversible)
    );
    for (k, (i, cut)) in subsystem_cuts(scope).into_iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = match cut {
            Some(c) => write!(out, "{i}:{c}"),
            None => write!(out, "{i}:-1"),
        };
    }
    br
}

/// `buildMemo`'s computed part, compact: lines `memo_id`, `created_at`,
/// chosen strategy code, the alternatives as `strategy:reason` code pairs,
/// rollback plan code, default confidence (`1 − risk_score`), then the
/// four lines of [`blast_compact`].
pub fn memo_compact<S: AsRef<str>>(scope: &[S], retries: f64, risk: Option<&str>) -> String {
    use std::fmt::Write;
    let mut tail = String::with_capacity(48);
    let br = blast_compact(&mut tail, scope, retries, risk);
    let files = scope.len() as f64;
    let chosen = select(files, retries, risk);
    let plan = rollback_plan(br.risk_score, br.reversible, files, retries);
    let mut out = String::with_capacity(96 + tail.len());
    let _ = write!(
        out,
        "{}\n{}\n{}\n",
        new_memo_id(),
        timestamp(),
        chosen.index()
    );
    let others = STRATEGIES.iter().filter(|&&s| s != chosen);
    for (k, &s) in others.enumerate() {
        if k > 0 {
            out.push(',');
        }
        let reason = Reason::of(s, files, risk) as usize;
        let _ = write!(
            out,
            "{}:{}",
            s.index(),
            chosen.index() * REASONS.len() + reason
        );
    }
    let _ = write!(
        out,
        "\n{}\n{}\n",
        plan.index(),
        number_to_js_string(1.0 - br.risk_score)
    );
    out.push_str(&tail);
    out
}

// ------------------------------------------------------------ persistence

pub fn memo_dir(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join("memos"))
}

pub fn memo_path(root: &Path, run_id: &str, memo_id: &str) -> OxeResult<PathBuf> {
    file_in(
        memo_dir(root, run_id)?,
        "memoId",
        &format!("{memo_id}.json"),
    )
}

/// `saveMemo(projectRoot, memo)`: `.oxe/runs/<memo.run_id>/memos/<memo.memo_id>.json`.
pub fn save_memo(root: &Path, memo: &Value) -> OxeResult<()> {
    let field = |k: &str| {
        memo.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| OxeError::Arg(format!("saveMemo: memo.{k} must be a string")))
    };
    let path = memo_path(root, field("run_id")?, field("memo_id")?)?;
    store::write_json(&path, memo)?;
    Ok(())
}

/// `loadMemo(projectRoot, runId, memoId)`.
pub fn load_memo(root: &Path, run_id: &str, memo_id: &str) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&memo_path(root, run_id, memo_id)?))
}

/// `listMemos(projectRoot, runId)`: every `*.json` of the run's memo
/// directory in byte order of the names; unreadable files are skipped
/// (corrupt ones are moved aside and reported).
pub fn list_memos(root: &Path, run_id: &str) -> OxeResult<Vec<Value>> {
    let dir = memo_dir(root, run_id)?;
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<std::ffi::OsString> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.as_encoded_bytes().ends_with(b".json"))
        .collect();
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    Ok(names
        .iter()
        .filter(|n| dir.join(n).is_file())
        .filter_map(|n| store::read_json(&dir.join(n)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsjson;

    fn scope(n: usize, prefix: &str) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}.ts")).collect()
    }

    #[test]
    fn selection_order() {
        assert_eq!(select(1.0, 0.0, Some("low")), Strategy::MinimalPatch);
        assert_eq!(select(2.0, 2.0, Some("low")), Strategy::MinimalPatch);
        assert_eq!(select(10.0, 0.0, Some("low")), Strategy::IsolatedRefactor);
        assert_eq!(select(2.0, 0.0, Some("high")), Strategy::FeatureFlag);
        assert_eq!(select(10.0, 5.0, Some("critical")), Strategy::FeatureFlag);
        assert_eq!(select(0.0, 0.0, Some("none")), Strategy::NoOp);
        assert_eq!(select(4.0, 0.0, Some("low")), Strategy::ExpandContract);
        assert_eq!(select(f64::NAN, 0.0, None), Strategy::MinimalPatch);
    }

    #[test]
    fn alternatives_and_reasons() {
        let alts = alternatives("minimal_patch", 1.0, Some("low"));
        let names: Vec<_> = alts.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "isolated_refactor",
                "expand_contract",
                "feature_flag",
                "no_op"
            ]
        );
        assert_eq!(alts[0].1, "scope is small enough for simpler strategy");
        assert_eq!(
            alts[2].1,
            "risk level does not warrant feature flag overhead"
        );
        let alts = alternatives("isolated_refactor", 9.0, Some("high"));
        assert_eq!(
            alts[0].1,
            "isolated_refactor preferred due to scope or risk level"
        );
        assert_eq!(alts[2].1, "isolated_refactor preferred for scope size");
        assert_eq!(alternatives("other", 9.0, None)[1].1, "other preferred");
        assert_eq!(alternatives("other", 0.0, None).len(), 5);
    }

    #[test]
    fn blast_radius_and_rollback() {
        let r = blast_radius(&["src/auth.ts"], 0.0, Some("low"));
        assert_eq!(r.risk_score, 0.1);
        assert!(r.reversible);
        let r = blast_radius(&scope(15, "src/mod"), 0.0, Some("medium"));
        assert_eq!(r.risk_score, 0.55);
        assert!(!r.reversible);
        assert!(!blast_radius(&["a"], 0.0, Some("critical")).reversible);
        let r = blast_radius(
            &[
                "src/auth/login.ts",
                "src\\auth\\x.ts",
                "tests/a.ts",
                "README",
            ],
            3.0,
            Some("high"),
        );
        assert_eq!(r.subsystems, ["src", "tests", "README"]);
        assert_eq!(r.risk_score, js::round2(0.2 + 0.15 + 0.3));

        let plan = |br: &BlastRadius, retries: f64| {
            rollback_plan(
                br.risk_score,
                br.reversible,
                br.estimated_files as f64,
                retries,
            )
        };
        assert_eq!(
            plan(&blast_radius(&["a.ts"], 0.0, Some("low")), 0.0),
            Rollback::UndoPatch
        );
        assert_eq!(
            plan(&blast_radius(&scope(6, "f"), 0.0, Some("medium")), 2.0),
            Rollback::RevertCommit
        );
        assert_eq!(
            plan(&blast_radius(&scope(20, "f"), 5.0, Some("critical")), 0.0),
            Rollback::RestoreWorkspace
        );
        assert_eq!(
            jsjson::to_line(&Rollback::UndoPatch.to_value()),
            r#"{"strategy":"undo_patch","steps":["apply inverse patch"],"estimated_cost":"low","preconditions":["original file state recorded"]}"#
        );
    }

    #[test]
    fn memo_shape_and_files() {
        let memo = build_memo(&json!({"work_item_id": "T1", "run_id": "r1", "problem_summary": "Fix", "mutation_scope": ["src/auth.ts"], "retry_count": 0, "risk_level": "low"})).unwrap();
        let keys: Vec<_> = memo.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "memo_id",
                "work_item_id",
                "run_id",
                "problem_summary",
                "chosen_strategy",
                "alternatives_rejected",
                "blast_radius",
                "rollback_plan",
                "min_evidence_required",
                "confidence",
                "created_at"
            ]
        );
        assert_eq!(memo["confidence"], json!(0.9));
        assert_eq!(memo["min_evidence_required"], json!([]));
        let given = build_memo(&json!({"run_id": "r1", "mutation_scope": [], "confidence": 0.42, "min_evidence_required": ["junit"]})).unwrap();
        assert_eq!(
            (
                given["confidence"].clone(),
                given["chosen_strategy"].clone()
            ),
            (json!(0.42), json!("no_op"))
        );
        assert_eq!(
            build_memo(&json!({"mutation_scope": "x"}))
                .unwrap_err()
                .code(),
            "OXE_E_ARG"
        );

        let root = std::env::temp_dir().join(format!("oxe-memo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert!(list_memos(&root, "r1").unwrap().is_empty());
        save_memo(&root, &memo).unwrap();
        save_memo(&root, &given).unwrap();
        let id = memo["memo_id"].as_str().unwrap();
        assert_eq!(load_memo(&root, "r1", id).unwrap(), Some(memo.clone()));
        assert_eq!(load_memo(&root, "r1", "memo-nope").unwrap(), None);
        std::fs::write(memo_dir(&root, "r1").unwrap().join("zz-broken.json"), "{").unwrap();
        std::fs::write(memo_dir(&root, "r1").unwrap().join("notes.txt"), "{}").unwrap();
        let all = list_memos(&root, "r1").unwrap();
        assert_eq!(all.len(), 2);
        let mut ids: Vec<_> = [memo["memo_id"].clone(), given["memo_id"].clone()].to_vec();
        ids.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        assert_eq!(
            all.iter().map(|m| m["memo_id"].clone()).collect::<Vec<_>>(),
            ids
        );
        let _ = store::take_diagnostics();
        assert_eq!(
            save_memo(&root, &json!({"run_id": "r1", "memo_id": "../../x"}))
                .unwrap_err()
                .code(),
            "OXE_E_PATH"
        );
        assert_eq!(
            save_memo(&root, &json!({"run_id": "r1"}))
                .unwrap_err()
                .code(),
            "OXE_E_ARG"
        );
    }

    /// Decodes the compact form the way the glue does.
    fn decode(line: &str, scope: &[&str]) -> Value {
        let t = memo_tables();
        let f: Vec<&str> = line.split('\n').collect();
        let pair = |p: &str| {
            let (a, b) = p.split_once(':').unwrap();
            (a.parse::<usize>().unwrap(), b.parse::<i64>().unwrap())
        };
        let alts: Vec<Value> = f[3]
            .split(',')
            .map(|p| {
                let (s, r) = pair(p);
                json!({"strategy": t["strategies"][s], "reason": t["reasons"][r as usize]})
            })
            .collect();
        let subs: Vec<Value> = if f[9].is_empty() {
            vec![]
        } else {
            f[9].split(',')
                .map(|p| {
                    let (i, cut) = pair(p);
                    let u: Vec<u16> = scope[i].encode_utf16().collect();
                    let end = if cut < 0 { u.len() } else { cut as usize };
                    json!(String::from_utf16(&u[..end]).unwrap())
                })
                .collect()
        };
        json!({
            "chosen_strategy": t["strategies"][f[2].parse::<usize>().unwrap()],
            "alternatives_rejected": alts,
            "rollback_plan": t["rollback_plans"][f[4].parse::<usize>().unwrap()],
            "confidence": f[5].parse::<f64>().unwrap(),
            "blast_radius": {
                "estimated_files": f[6].parse::<u64>().unwrap(),
                "subsystems": subs,
                "risk_score": f[7].parse::<f64>().unwrap(),
                "reversible": f[8] == "1",
            },
        })
    }

    #[test]
    fn compact_form_decodes_to_the_json_form() {
        let paths = [
            "src/a.ts",
            "lib\\b.ts",
            "ação/ç.rs",
            "🎉/x",
            "README",
            "/abs",
            "src/c.ts",
            "docs/",
            "a\nb/c",
        ];
        let risks = [
            None,
            Some("low"),
            Some("medium"),
            Some("high"),
            Some("critical"),
            Some("other"),
        ];
        let mut n = 0;
        for len in [0usize, 1, 3, 4, 6, 9, 12] {
            for (k, risk) in risks.iter().enumerate() {
                for retries in [0.0, 1.0, 2.0, 7.0, f64::NAN] {
                    let scope: Vec<&str> =
                        (0..len).map(|i| paths[(i * 7 + k) % paths.len()]).collect();
                    let json = memo_parts(&scope, retries, *risk);
                    let got = decode(&memo_compact(&scope, retries, *risk), &scope);
                    for key in [
                        "chosen_strategy",
                        "alternatives_rejected",
                        "rollback_plan",
                        "blast_radius",
                    ] {
                        assert_eq!(
                            got[key], json[key],
                            "{key} for {scope:?} {retries} {risk:?}"
                        );
                    }
                    assert_eq!(got["confidence"].as_f64(), json["confidence"].as_f64());
                    n += 1;
                }
            }
        }
        assert_eq!(n, 7 * 6 * 5);
        let t = memo_tables();
        assert_eq!(t["strategies"].as_array().unwrap().len(), 5);
        assert_eq!(
            t["rollback_plans"][Rollback::UndoPatch.index()]["strategy"],
            json!("undo_patch")
        );
    }
}
