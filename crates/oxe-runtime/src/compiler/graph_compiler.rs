//! `compile(plan, spec, opts)`: one node per task, dependency edges, waves
//! sorted by number, and the plan/spec hashes 1.4.0 computes (first 12 hex
//! chars of sha256 over the caller's `JSON.stringify` text).
//!
//! The compiler decides everything about the graph and returns a compact
//! plan of it: which task becomes which node (a duplicate id keeps the first
//! position and the last task, as `Map.set` does), its wave, which optional
//! actions it gets, the edges and the sorted waves. The JS glue then builds
//! the node objects from the caller's task objects, so fields such as
//! `depends_on` and `mutation_scope` are the task's own arrays, as in 1.4.0,
//! and a 5,000-task plan never crosses the boundary twice.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::{OxeError, OxeResult};

/// First 12 hex chars of sha256 over a JSON text.
pub fn hash_object_text(json_text: &str) -> String {
    let digest = Sha256::digest(json_text.as_bytes());
    let mut s = String::with_capacity(12);
    for b in digest.iter().take(6) {
        s.push(clock::HEX[(b >> 4) as usize] as char);
        s.push(clock::HEX[(b & 15) as usize] as char);
    }
    s
}

/// Node flag: the node reads its files first (`read_code`).
pub const READ_CODE: u32 = 1;
/// Node flag: the node runs its verify command (`run_tests`, `must_pass: ['tests']`).
pub const RUN_TESTS: u32 = 2;

/// One node: the task it comes from, its wave number (JSON text) and flags.
#[derive(Debug, Clone)]
pub struct NodePlan {
    pub task: usize,
    pub wave: String,
    pub flags: u32,
}

#[derive(Debug)]
pub struct CompiledGraph {
    /// Nodes in Map order.
    pub nodes: Vec<NodePlan>,
    /// `(task index, index in its dependsOn)` per edge, in plan order.
    pub edges: Vec<(usize, usize)>,
    /// `(wave number JSON text, task indexes)`, sorted by number.
    pub waves: Vec<(String, Vec<usize>)>,
    pub metadata: Value,
    /// Option values (JSON text) the nodes carry.
    pub strategy: String,
    pub max_retries: String,
    pub approval: String,
}

impl CompiledGraph {
    /// Wire JSON for the glue.
    pub fn to_wire(&self) -> String {
        let mut out = String::with_capacity(32 * self.nodes.len() + 16 * self.edges.len() + 256);
        out.push_str("{\"nodes\":[");
        for (i, n) in self.nodes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            out.push_str(&n.task.to_string());
            out.push(',');
            out.push_str(&n.wave);
            out.push(',');
            out.push_str(&n.flags.to_string());
            out.push(']');
        }
        out.push_str("],\"edges\":[");
        for (i, (t, d)) in self.edges.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!("{t},{d}"));
        }
        out.push_str("],\"waves\":[");
        for (i, (n, tasks)) in self.waves.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            out.push_str(n);
            for t in tasks {
                out.push(',');
                out.push_str(&t.to_string());
            }
            out.push(']');
        }
        out.push_str("],\"strategy\":");
        out.push_str(&self.strategy);
        out.push_str(",\"maxRetries\":");
        out.push_str(&self.max_retries);
        out.push_str(",\"approval\":");
        out.push_str(&self.approval);
        out.push_str(",\"metadata\":");
        out.push_str(&crate::jsjson::to_line(&self.metadata));
        out.push('}');
        out
    }
}

#[derive(Deserialize)]
struct PlanIn<'a> {
    #[serde(borrow, default)]
    tasks: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct TaskIn<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    wave: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "dependsOn")]
    depends_on: Option<&'a RawValue>,
    #[serde(borrow, default)]
    files: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "verifyCommand")]
    verify_command: Option<&'a RawValue>,
    #[serde(borrow, default)]
    done: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct OptionsIn<'a> {
    #[serde(borrow, default)]
    default_workspace_strategy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    default_max_retries: Option<&'a RawValue>,
    #[serde(borrow, default)]
    require_approval_for_all: Option<&'a RawValue>,
    #[serde(borrow, default)]
    skip_done_tasks: Option<&'a RawValue>,
}

/// JS truthiness of a value as `JSON.stringify` renders it.
fn truthy_raw(v: Option<&RawValue>) -> bool {
    !matches!(
        v.map(RawValue::get),
        None | Some("null" | "false" | "0" | "\"\"")
    )
}

/// JS `ToNumber` of a wave number (JSON text).
fn wave_number(text: &str) -> f64 {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Ok(Value::Null) => 0.0,
        Ok(Value::Bool(b)) => f64::from(u8::from(b)),
        Ok(Value::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                0.0
            } else {
                t.parse().unwrap_or(f64::NAN)
            }
        }
        _ => f64::NAN,
    }
}

fn array_len(v: Option<&RawValue>) -> Option<usize> {
    let v = v?;
    if !v.get().starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<&RawValue>>(v.get())
        .ok()
        .map(|a| a.len())
}

fn label(i: usize, id: Option<&RawValue>) -> String {
    match id {
        Some(id) => format!("plan.tasks[{i}] ({})", id.get().trim_matches('"')),
        None => format!("plan.tasks[{i}]"),
    }
}

/// Compile. `plan_text`/`spec_text` are the callers' `JSON.stringify` texts;
/// `opts_text` the CompilerOptions, if any.
pub fn compile(
    plan_text: &str,
    spec_text: &str,
    opts_text: Option<&str>,
) -> OxeResult<CompiledGraph> {
    let plan: PlanIn = match serde_json::from_str(plan_text) {
        Ok(p) => p,
        Err(_) if plan_text.trim_start().starts_with('{') => {
            return Err(OxeError::Plan("compile: plan is not valid JSON".into()))
        }
        Err(_) if serde_json::from_str::<serde::de::IgnoredAny>(plan_text).is_ok() => {
            return Err(OxeError::Plan(
                "compile: plan must be an object with a tasks array".into(),
            ))
        }
        Err(e) => return Err(OxeError::json("plan", e)),
    };
    let tasks: Vec<&RawValue> = plan
        .tasks
        .and_then(|t| serde_json::from_str(t.get()).ok())
        .ok_or_else(|| {
            OxeError::Plan("compile: plan.tasks must be an array of parsed tasks".into())
        })?;
    let opts: Option<OptionsIn> = match opts_text {
        None => None,
        Some(t) => match serde_json::from_str(t) {
            Ok(o) => Some(o),
            Err(_) if t.trim() == "null" => None,
            Err(_) => return Err(OxeError::Arg("compile: options must be an object".into())),
        },
    };
    // Destructuring defaults apply to `undefined` only: an explicit null
    // stays null (serde reads null as None, so look for it in the text).
    let pick = |raw: Option<&RawValue>, key: &str, default: &str| -> String {
        match raw {
            Some(r) => r.get().to_string(),
            None if opts_text.is_some_and(|t| t.contains(&format!("\"{key}\":null"))) => {
                "null".into()
            }
            None => default.into(),
        }
    };
    let o = opts.as_ref();
    let strategy = pick(
        o.and_then(|o| o.default_workspace_strategy),
        "default_workspace_strategy",
        "\"git_worktree\"",
    );
    let max_retries = pick(
        o.and_then(|o| o.default_max_retries),
        "default_max_retries",
        "2",
    );
    let approval = pick(
        o.and_then(|o| o.require_approval_for_all),
        "require_approval_for_all",
        "false",
    );
    let skip_done = opts.as_ref().is_some_and(|o| truthy_raw(o.skip_done_tasks));

    let mut nodes: IndexMap<&str, NodePlan> = IndexMap::with_capacity(tasks.len());
    let mut edges = Vec::new();
    let mut waves: IndexMap<String, Vec<usize>> = IndexMap::new();
    for (i, raw) in tasks.iter().enumerate() {
        let task: TaskIn = serde_json::from_str(raw.get())
            .map_err(|_| OxeError::Plan(format!("compile: plan.tasks[{i}] must be an object")))?;
        if skip_done && truthy_raw(task.done) {
            continue;
        }
        let id = task
            .id
            .ok_or_else(|| OxeError::Plan(format!("compile: {} has no id", label(i, None))))?;
        let deps = array_len(task.depends_on).ok_or_else(|| {
            OxeError::Plan(format!(
                "compile: {}.dependsOn must be an array of task ids",
                label(i, Some(id))
            ))
        })?;
        let files = array_len(task.files).ok_or_else(|| {
            OxeError::Plan(format!(
                "compile: {}.files must be an array of paths",
                label(i, Some(id))
            ))
        })?;
        let wave = task
            .wave
            .map_or_else(|| "1".to_string(), |w| w.get().to_string());
        let mut flags = 0;
        if files > 0 {
            flags |= READ_CODE;
        }
        if truthy_raw(task.verify_command) {
            flags |= RUN_TESTS;
        }
        match nodes.get_mut(id.get()) {
            Some(existing) => {
                existing.task = i;
                existing.wave = wave.clone();
                existing.flags = flags;
            }
            None => {
                nodes.insert(
                    id.get(),
                    NodePlan {
                        task: i,
                        wave: wave.clone(),
                        flags,
                    },
                );
            }
        }
        for d in 0..deps {
            edges.push((i, d));
        }
        waves.entry(wave).or_default().push(i);
    }
    let mut waves: Vec<(String, Vec<usize>)> = waves.into_iter().collect();
    waves.sort_by(|(a, _), (b, _)| {
        wave_number(a)
            .partial_cmp(&wave_number(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let metadata = json!({
        "compiled_at": clock::now_iso(),
        "plan_hash": hash_object_text(plan_text),
        "spec_hash": hash_object_text(spec_text),
        "node_count": nodes.len(),
        "wave_count": waves.len(),
    });
    Ok(CompiledGraph {
        nodes: nodes.into_values().collect(),
        edges,
        waves,
        metadata,
        strategy,
        max_retries,
        approval,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{"totalTasks":3,"waves":{"1":["T1","T2"],"2":["T3"]},"tasks":[
      {"id":"T1","title":"Setup","wave":1,"dependsOn":[],"files":[],"verifyCommand":null,"aceite":["A1"],"done":false},
      {"id":"T2","title":"Impl","wave":1,"dependsOn":[],"files":["src/a.ts"],"verifyCommand":"npm test","aceite":["A1","A2"],"done":true},
      {"id":"T3","title":"Int","wave":2,"dependsOn":["T1","T2"],"files":[],"verifyCommand":"npm t","aceite":[],"done":false}]}"#;

    #[test]
    fn compiles_like_upstream() {
        let g = compile(PLAN, "{}", None).unwrap();
        assert_eq!(g.nodes.len(), 3);
        assert_eq!(g.edges, vec![(2, 0), (2, 1)]);
        assert_eq!(
            g.waves,
            vec![("1".to_string(), vec![0, 1]), ("2".to_string(), vec![2])]
        );
        assert_eq!(g.nodes[0].flags, 0);
        assert_eq!(g.nodes[1].flags, READ_CODE | RUN_TESTS);
        assert_eq!(g.nodes[2].flags, RUN_TESTS);
        assert_eq!(g.strategy, "\"git_worktree\"");
        assert_eq!(g.max_retries, "2");
        assert_eq!(g.metadata["plan_hash"].as_str().unwrap().len(), 12);
        assert_eq!(g.metadata["spec_hash"], json!(hash_object_text("{}")));
        let w: Value = serde_json::from_str(&g.to_wire()).unwrap();
        assert_eq!(w["nodes"], json!([[0, 1, 0], [1, 1, 3], [2, 2, 2]]));
        assert_eq!(w["waves"], json!([[1, 0, 1], [2, 2]]));
    }

    #[test]
    fn options_skip_done_and_duplicates() {
        let o = r#"{"default_workspace_strategy":"inplace","default_max_retries":0,"require_approval_for_all":true,"skip_done_tasks":true}"#;
        let g = compile(PLAN, "{}", Some(o)).unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(
            (
                g.strategy.as_str(),
                g.max_retries.as_str(),
                g.approval.as_str()
            ),
            ("\"inplace\"", "0", "true")
        );
        let dup = r#"{"tasks":[{"id":"a","dependsOn":[],"files":[]},{"id":"b","dependsOn":[],"files":[]},{"id":"a","wave":3,"dependsOn":[],"files":["x"]}]}"#;
        let g = compile(dup, "{}", Some(r#"{"default_max_retries":null}"#)).unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(
            (g.nodes[0].task, g.nodes[0].wave.as_str(), g.nodes[0].flags),
            (2, "3", READ_CODE)
        );
        assert_eq!(g.max_retries, "null");
        assert_eq!(g.waves.len(), 2);
    }

    #[test]
    fn hash_matches_node_crypto() {
        // node -e "console.log(require('crypto').createHash('sha256').update('{\"a\":1}').digest('hex').slice(0,12))"
        assert_eq!(hash_object_text("{\"a\":1}"), "015abd7f5cc5");
    }

    #[test]
    fn waves_sorted_numerically_and_errors_are_clear() {
        let p = r#"{"tasks":[{"id":"a","wave":10,"dependsOn":[],"files":[]},{"id":"b","wave":9,"dependsOn":[],"files":[]},{"id":"c","dependsOn":[],"files":[]}]}"#;
        let g = compile(p, "null", None).unwrap();
        let nums: Vec<_> = g.waves.iter().map(|w| w.0.clone()).collect();
        assert_eq!(nums, vec!["1", "9", "10"]);
        let e = compile(
            r#"{"tasks":[{"id":"x","dependsOn":"y","files":[]}]}"#,
            "{}",
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "OXE_E_PLAN");
        assert!(e.to_string().contains("plan.tasks[0] (x).dependsOn"));
        assert_eq!(compile("{}", "{}", None).unwrap_err().code(), "OXE_E_PLAN");
        assert_eq!(
            compile("null", "{}", None).unwrap_err().code(),
            "OXE_E_PLAN"
        );
        assert_eq!(compile("[1]", "{}", None).unwrap_err().code(), "OXE_E_PLAN");
        assert_eq!(
            compile("{oops", "{}", None).unwrap_err().code(),
            "OXE_E_PLAN"
        );
        assert_eq!(
            compile("oops", "{}", None).unwrap_err().code(),
            "OXE_E_JSON"
        );
        assert_eq!(
            compile(r#"{"tasks":[5]}"#, "{}", None).unwrap_err().code(),
            "OXE_E_PLAN"
        );
    }
}
