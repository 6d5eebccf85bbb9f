//! The capability matrix: one entry per provider of every registered
//! plugin, built from `registry.snapshot()` and the registry's own lookups,
//! plus the selection rules of the matrix helpers.

use serde_json::{json, Map, Value};

use super::abi::{CURRENT_ABI_VERSION, TOOL_ACTION_TYPES, VERIFIER_CHECK_TYPES};
use super::js::JsVal;
use crate::error::{OxeError, OxeResult};

fn providers<'a>(plugin: &'a Value, field: &str) -> &'a [Value] {
    plugin
        .get(field)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `buildMatrix(registry)`. `snapshot` is `registry.snapshot()`;
/// `tool_winners[i]` is the name of `registry.toolProviderFor(TOOL_ACTION_TYPES[i])`
/// (`undefined` when none) and `verifier_winners[i]` the same for
/// `verifierProviderFor(VERIFIER_CHECK_TYPES[i])`.
pub fn build(
    snapshot: &Value,
    tool_winners: &[JsVal],
    verifier_winners: &[JsVal],
) -> OxeResult<Value> {
    let plugins = snapshot.as_array().ok_or_else(|| {
        OxeError::Arg("buildMatrix: registry.snapshot() must return an array".into())
    })?;
    let mut entries = Vec::new();
    for plugin in plugins {
        let abi = match plugin.get("abi_version") {
            None | Some(Value::Null) => Value::from(CURRENT_ABI_VERSION),
            Some(v) => v.clone(),
        };
        let mut push = |provider: &Value, kind: &str, supported: Vec<Value>, fallback: bool| {
            let name = provider.get("name");
            let mut e = Map::new();
            if let Some(p) = plugin.get("name") {
                e.insert("plugin".into(), p.clone());
            }
            if let Some(n) = name {
                e.insert("name".into(), n.clone());
                e.insert("capability".into(), n.clone());
            }
            e.insert("provider_type".into(), kind.into());
            e.insert("stability".into(), "stable".into());
            e.insert("abi_version".into(), abi.clone());
            e.insert("since_abi_version".into(), CURRENT_ABI_VERSION.into());
            e.insert("supported".into(), Value::Array(supported));
            e.insert("fallback_available".into(), fallback.into());
            entries.push(Value::Object(e));
        };
        let won = |provider: &Value, types: &[&str], winners: &[JsVal]| -> Vec<Value> {
            let name = JsVal::from_wire(provider.get("name"));
            types
                .iter()
                .zip(winners)
                .filter(|(_, w)| w.strict_eq(&name))
                .map(|(t, _)| Value::from(*t))
                .collect()
        };
        for p in providers(plugin, "toolProviders") {
            push(p, "tool", won(p, &TOOL_ACTION_TYPES, tool_winners), true);
        }
        for p in providers(plugin, "workspaceProviders") {
            let own = p.get("name").cloned().unwrap_or(Value::Null);
            push(p, "workspace", vec![own], true);
        }
        for p in providers(plugin, "verifierProviders") {
            push(
                p,
                "verifier",
                won(p, &VERIFIER_CHECK_TYPES, verifier_winners),
                true,
            );
        }
        for p in providers(plugin, "contextProviders") {
            let own = p.get("name").cloned().unwrap_or(Value::Null);
            push(p, "context", vec![own], false);
        }
    }
    Ok(json!({"abi_version": CURRENT_ABI_VERSION, "entries": entries}))
}

/// A selection over matrix entries; each entry is described by its `name`,
/// `stability` and `provider_type` (as [`JsVal`]s).
#[derive(Clone, Debug)]
pub enum Select {
    /// Entries whose stability is the given one.
    Stability(&'static str),
    /// Entries whose name is strictly equal to the given one (`markDeprecated`).
    Named(JsVal),
    /// Entries with the same name and provider type as the given entry (`addEntry`).
    SameAs { name: JsVal, provider_type: JsVal },
}

impl Select {
    /// Parses `op` (`stable`, `experimental`, `deprecated`, `name`, `same`)
    /// with its argument.
    pub fn parse(op: &str, arg: &Value) -> OxeResult<Select> {
        Ok(match op {
            "stable" => Select::Stability("stable"),
            "experimental" => Select::Stability("experimental"),
            "deprecated" => Select::Stability("deprecated"),
            "name" => Select::Named(JsVal::from_wire(Some(arg))),
            "same" => Select::SameAs {
                name: JsVal::from_wire(arg.get("name")),
                provider_type: JsVal::from_wire(arg.get("provider_type")),
            },
            other => return Err(OxeError::Arg(format!("unknown matrix selection {other:?}"))),
        })
    }
}

/// The indices of the entries the selection keeps.
pub fn select(entries: &[Value], sel: &Select) -> Vec<u32> {
    let field = |e: &Value, k: &str| JsVal::from_wire(e.get(k));
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| match sel {
            Select::Stability(s) => {
                field(e, "stability").strict_eq(&JsVal::from_wire(Some(&Value::from(*s))))
            }
            Select::Named(n) => field(e, "name").strict_eq(n),
            Select::SameAs {
                name,
                provider_type,
            } => {
                field(e, "name").strict_eq(name)
                    && field(e, "provider_type").strict_eq(provider_type)
            }
        })
        .map(|(i, _)| i as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matrix_from_snapshot() {
        let snap = json!([
            {"name": "a", "version": "1.0.0", "toolProviders": [{"name": "a-tool", "kind": "mutation", "idempotent": false}],
             "workspaceProviders": [], "verifierProviders": [], "contextProviders": [{"name": "ctx"}]},
            {"name": "b", "abi_version": "1.2", "toolProviders": [{"name": "b-tool"}],
             "workspaceProviders": [{"name": "ws"}], "verifierProviders": [], "contextProviders": []}
        ]);
        let winners: Vec<JsVal> = (0..5)
            .map(|_| JsVal::from_wire(Some(&json!("a-tool"))))
            .collect();
        let none: Vec<JsVal> = (0..6).map(|_| JsVal::undefined()).collect();
        let m = build(&snap, &winners, &none).unwrap();
        assert_eq!(m["abi_version"], json!("1"));
        let e = m["entries"].as_array().unwrap();
        assert_eq!(e.len(), 4);
        assert_eq!(
            e[0],
            json!({"plugin": "a", "name": "a-tool", "capability": "a-tool", "provider_type": "tool",
                "stability": "stable", "abi_version": "1", "since_abi_version": "1",
                "supported": ["read_code", "generate_patch", "run_tests", "collect_evidence", "custom"],
                "fallback_available": true})
        );
        assert_eq!(e[1]["provider_type"], json!("context"));
        assert_eq!(e[1]["fallback_available"], json!(false));
        assert_eq!(e[2]["supported"], json!([]));
        assert_eq!(e[2]["abi_version"], json!("1.2"));
        assert_eq!(e[3]["supported"], json!(["ws"]));
    }

    #[test]
    fn selections() {
        let entries = vec![
            json!({"name": "s", "stability": "stable", "provider_type": "tool"}),
            json!({"name": "x", "stability": "experimental", "provider_type": "tool"}),
            json!({"name": "s", "stability": "deprecated", "provider_type": "verifier"}),
        ];
        assert_eq!(
            select(&entries, &Select::parse("stable", &Value::Null).unwrap()),
            [0]
        );
        assert_eq!(
            select(
                &entries,
                &Select::parse("deprecated", &Value::Null).unwrap()
            ),
            [2]
        );
        assert_eq!(
            select(&entries, &Select::parse("name", &json!("s")).unwrap()),
            [0, 2]
        );
        let same =
            Select::parse("same", &json!({"name": "s", "provider_type": "verifier"})).unwrap();
        assert_eq!(select(&entries, &same), [2]);
    }
}
