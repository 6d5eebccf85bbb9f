//! `compile(plan, spec, opts)`: one node per task, dependency edges, waves
//! sorted by number, and the plan/spec hashes 1.4.0 computes (first 12 hex
//! chars of sha256 over the caller's `JSON.stringify` text).

use indexmap::IndexMap;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson::{self, truthy};
use crate::reducers::Key;

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

/// A compiled graph: nodes in Map order (a duplicate id keeps the first
/// position and the last value, as `Map.set` does).
#[derive(Debug)]
pub struct CompiledGraph {
    pub nodes: Vec<(Value, Value)>,
    pub edges: Vec<Value>,
    pub waves: Vec<Value>,
    pub metadata: Value,
}

impl CompiledGraph {
    /// Wire JSON: `{nodes: [[id, node]…], edges, waves, metadata}`.
    pub fn to_wire(&self) -> String {
        let mut out = String::with_capacity(512 * self.nodes.len() + 256);
        out.push_str("{\"nodes\":[");
        for (i, (id, node)) in self.nodes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            out.push_str(&jsjson::to_line(id));
            out.push(',');
            out.push_str(&jsjson::to_line(node));
            out.push(']');
        }
        out.push_str("],\"edges\":");
        out.push_str(&jsjson::to_line(&Value::Array(self.edges.clone())));
        out.push_str(",\"waves\":");
        out.push_str(&jsjson::to_line(&Value::Array(self.waves.clone())));
        out.push_str(",\"metadata\":");
        out.push_str(&jsjson::to_line(&self.metadata));
        out.push('}');
        out
    }
}

/// JS `ToNumber` for the values a wave number can hold.
fn to_number(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => {
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

fn opt<'a>(opts: &'a Map<String, Value>, k: &str, default: &'a Value) -> &'a Value {
    // destructuring defaults apply to `undefined` only, never to null
    opts.get(k).unwrap_or(default)
}

fn task_label(i: usize, task: &Map<String, Value>) -> String {
    match task.get("id") {
        Some(id) => format!("plan.tasks[{i}] ({})", jsjson::js_string(id)),
        None => format!("plan.tasks[{i}]"),
    }
}

/// Compile. `plan_text`/`spec_text` are the callers' `JSON.stringify` texts;
/// `opts` the CompilerOptions object, if any.
pub fn compile(plan_text: &str, spec_text: &str, opts: Option<&Value>) -> OxeResult<CompiledGraph> {
    let plan = crate::error::parse_wire("plan", plan_text)?;
    let tasks = plan.get("tasks").and_then(Value::as_array).ok_or_else(|| {
        OxeError::Plan("compile: plan.tasks must be an array of parsed tasks".into())
    })?;
    let empty = Map::new();
    let opts = match opts {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err(OxeError::Arg("compile: options must be an object".into())),
    };
    let strategy = opt(
        opts,
        "default_workspace_strategy",
        &Value::String("git_worktree".into()),
    )
    .clone();
    let max_retries = opt(opts, "default_max_retries", &Value::from(2)).clone();
    let approval = opt(opts, "require_approval_for_all", &Value::Bool(false)).clone();
    let skip_done = truthy(opt(opts, "skip_done_tasks", &Value::Bool(false)));

    let mut nodes: IndexMap<Key, (Value, Value)> = IndexMap::with_capacity(tasks.len());
    let mut edges = Vec::new();
    let mut wave_map: IndexMap<Key, (Value, Vec<Value>)> = IndexMap::new();

    for (i, task) in tasks.iter().enumerate() {
        let task = task
            .as_object()
            .ok_or_else(|| OxeError::Plan(format!("compile: plan.tasks[{i}] must be an object")))?;
        if skip_done && task.get("done").is_some_and(truthy) {
            continue;
        }
        let id = task
            .get("id")
            .cloned()
            .ok_or_else(|| OxeError::Plan(format!("compile: {} has no id", task_label(i, task))))?;
        let deps = match task.get("dependsOn") {
            Some(Value::Array(d)) => d,
            _ => {
                return Err(OxeError::Plan(format!(
                    "compile: {}.dependsOn must be an array of task ids",
                    task_label(i, task)
                )))
            }
        };
        let files = match task.get("files") {
            Some(Value::Array(f)) => f,
            _ => {
                return Err(OxeError::Plan(format!(
                    "compile: {}.files must be an array of paths",
                    task_label(i, task)
                )))
            }
        };
        let wave = match task.get("wave") {
            None | Some(Value::Null) => Value::from(1),
            Some(w) => w.clone(),
        };
        let verify_cmd = task.get("verifyCommand");
        let has_verify = verify_cmd.is_some_and(truthy);

        let mut actions = Vec::with_capacity(4);
        if !files.is_empty() {
            actions.push(obj([
                ("type", "read_code".into()),
                ("targets", Value::Array(files.clone())),
            ]));
        }
        actions.push(obj([("type", "generate_patch".into())]));
        if has_verify {
            let mut a = Map::new();
            a.insert("type".into(), "run_tests".into());
            if let Some(c) = verify_cmd {
                a.insert("command".into(), c.clone());
            }
            actions.push(Value::Object(a));
        }
        actions.push(obj([("type", "collect_evidence".into())]));

        let mut verify = Map::new();
        verify.insert(
            "must_pass".into(),
            if has_verify {
                Value::Array(vec!["tests".into()])
            } else {
                Value::Array(vec![])
            },
        );
        if let Some(a) = task.get("aceite") {
            verify.insert("acceptance_refs".into(), a.clone());
        }
        if let Some(c) = verify_cmd {
            verify.insert("command".into(), c.clone());
        }

        let mut node = Map::with_capacity(9);
        node.insert("id".into(), id.clone());
        if let Some(t) = task.get("title") {
            node.insert("title".into(), t.clone());
        }
        node.insert("wave".into(), wave.clone());
        node.insert("depends_on".into(), Value::Array(deps.clone()));
        node.insert("workspace_strategy".into(), strategy.clone());
        node.insert("mutation_scope".into(), Value::Array(files.clone()));
        node.insert("actions".into(), Value::Array(actions));
        node.insert("verify".into(), Value::Object(verify));
        node.insert(
            "policy".into(),
            obj([
                ("requires_human_approval", approval.clone()),
                ("max_retries", max_retries.clone()),
            ]),
        );
        nodes.insert(Key::of(&id), (id.clone(), Value::Object(node)));

        for dep in deps {
            edges.push(obj([
                ("from", dep.clone()),
                ("to", id.clone()),
                ("type", "dependency".into()),
            ]));
        }
        wave_map
            .entry(Key::of(&wave))
            .or_insert_with(|| (wave.clone(), Vec::new()))
            .1
            .push(id);
    }

    let mut waves: Vec<(Value, Vec<Value>)> = wave_map.into_values().collect();
    waves.sort_by(|(a, _), (b, _)| {
        to_number(a)
            .partial_cmp(&to_number(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let waves: Vec<Value> = waves
        .into_iter()
        .map(|(n, ids)| obj([("wave_number", n), ("node_ids", Value::Array(ids))]))
        .collect();

    let metadata = obj([
        ("compiled_at", Value::String(clock::now_iso())),
        ("plan_hash", Value::String(hash_object_text(plan_text))),
        ("spec_hash", Value::String(hash_object_text(spec_text))),
        ("node_count", Value::from(nodes.len())),
        ("wave_count", Value::from(waves.len())),
    ]);
    Ok(CompiledGraph {
        nodes: nodes.into_values().collect(),
        edges,
        waves,
        metadata,
    })
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut m = Map::with_capacity(N);
    for (k, v) in pairs {
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PLAN: &str = r#"{"totalTasks":3,"waves":{"1":["T1","T2"],"2":["T3"]},"tasks":[
      {"id":"T1","title":"Setup","wave":1,"dependsOn":[],"files":[],"verifyCommand":null,"aceite":["A1"],"done":false},
      {"id":"T2","title":"Impl","wave":1,"dependsOn":[],"files":["src/a.ts"],"verifyCommand":"npm test","aceite":["A1","A2"],"done":true},
      {"id":"T3","title":"Int","wave":2,"dependsOn":["T1","T2"],"files":[],"verifyCommand":"npm t","aceite":[],"done":false}]}"#;

    #[test]
    fn compiles_like_upstream() {
        let g = compile(PLAN, "{}", None).unwrap();
        assert_eq!(g.nodes.len(), 3);
        assert_eq!(g.edges.len(), 2);
        assert_eq!(
            g.waves,
            vec![
                json!({"wave_number":1,"node_ids":["T1","T2"]}),
                json!({"wave_number":2,"node_ids":["T3"]})
            ]
        );
        let t2 = &g.nodes[1].1;
        assert_eq!(
            t2["actions"],
            json!([{"type":"read_code","targets":["src/a.ts"]},{"type":"generate_patch"},{"type":"run_tests","command":"npm test"},{"type":"collect_evidence"}])
        );
        assert_eq!(
            t2["verify"],
            json!({"must_pass":["tests"],"acceptance_refs":["A1","A2"],"command":"npm test"})
        );
        assert_eq!(
            t2["policy"],
            json!({"requires_human_approval":false,"max_retries":2})
        );
        assert_eq!(t2["workspace_strategy"], json!("git_worktree"));
        assert_eq!(g.metadata["plan_hash"].as_str().unwrap().len(), 12);
        assert_eq!(g.metadata["spec_hash"], json!(hash_object_text("{}")));
        let keys: Vec<_> = g.nodes[0].1.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "id",
                "title",
                "wave",
                "depends_on",
                "workspace_strategy",
                "mutation_scope",
                "actions",
                "verify",
                "policy"
            ]
        );
    }

    #[test]
    fn options_and_skip_done() {
        let o = json!({"default_workspace_strategy":"inplace","default_max_retries":0,"require_approval_for_all":true,"skip_done_tasks":true});
        let g = compile(PLAN, "{}", Some(&o)).unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.nodes[0].1["workspace_strategy"], json!("inplace"));
        assert_eq!(
            g.nodes[0].1["policy"],
            json!({"requires_human_approval":true,"max_retries":0})
        );
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
        let nums: Vec<_> = g.waves.iter().map(|w| w["wave_number"].clone()).collect();
        assert_eq!(nums, vec![json!(1), json!(9), json!(10)]);
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
            compile("{oops", "{}", None).unwrap_err().code(),
            "OXE_E_JSON"
        );
    }
}
