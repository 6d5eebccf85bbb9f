//! `extractManifest` and `validatePlugin` over a [`PluginDesc`].

use serde_json::{json, Map, Value};

use super::abi::{
    is_abi_compatible, PluginDesc, ProviderKind, ProviderList, CURRENT_ABI_VERSION,
    TOOL_ACTION_TYPES, VERIFIER_CHECK_TYPES,
};
use super::js::JsType;

/// `{valid, errors, warnings}` of `validatePlugin`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl Validation {
    pub fn valid(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn to_json(&self) -> Value {
        json!({
            "valid": self.valid(),
            "errors": self.errors,
            "warnings": self.warnings,
        })
    }
}

/// `^\d+\.\d+\.\d+` (ASCII digits, a prefix match).
fn looks_semver(s: &str) -> bool {
    let mut rest = s;
    for i in 0..3 {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        if i < 2 {
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => return false,
            }
        }
    }
    true
}

/// `validatePlugin(plugin)`.
pub fn validate(p: &PluginDesc) -> Validation {
    let mut v = Validation::default();
    if let Some(t) = &p.not_object {
        v.errors.push(format!("Plugin must be an object, got {t}"));
        return v;
    }
    if !p.name.truthy || !p.name.is_string() {
        v.errors
            .push("Plugin must have a non-empty string name".into());
    }
    if p.version.truthy && !looks_semver(&p.version.text) {
        v.warnings.push(format!(
            "Plugin version \"{}\" does not follow semver",
            p.version.text
        ));
    }
    if !p.abi_version.is_nullish() {
        if !p.abi_version.is_string() {
            v.errors.push(format!(
                "Plugin abi_version must be a string, got {}",
                type_name(&p.abi_version.ty)
            ));
        } else if !is_abi_compatible(&p.abi_version.text) {
            v.errors.push(format!(
                "Plugin ABI \"{}\" is incompatible with runtime ABI \"{CURRENT_ABI_VERSION}\"",
                p.abi_version.text
            ));
        }
    }
    let any_providers = ProviderKind::ALL.iter().any(|k| p.list(*k).non_empty());
    if !any_providers && !p.hooks.as_ref().is_some_and(|h| h.truthy) {
        v.warnings
            .push("Plugin declares no providers or hooks — it has no effect".into());
    }
    for kind in ProviderKind::ALL {
        match p.list(kind) {
            ProviderList::Absent => {}
            ProviderList::NotArray(val) => v.errors.push(format!(
                "{} must be an array, got {}",
                kind.field(),
                type_name(&val.ty)
            )),
            ProviderList::Items(items) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(pd) = item else {
                        v.errors
                            .push(format!("{}[{i}] must be an object", kind.field()));
                        continue;
                    };
                    if kind == ProviderKind::Context {
                        continue;
                    }
                    if !pd.name.truthy {
                        v.errors.push(format!("{} missing name", kind.interface()));
                    }
                    for m in kind.required_methods() {
                        if !pd.has_fn(m) {
                            let suffix = if kind == ProviderKind::Tool {
                                " method"
                            } else {
                                ""
                            };
                            v.errors.push(format!(
                                "{} \"{}\" missing {m}(){suffix}",
                                kind.interface(),
                                pd.name.text
                            ));
                        }
                    }
                }
            }
        }
    }
    v
}

fn type_name(t: &JsType) -> String {
    match t {
        JsType::Undefined => "undefined".into(),
        JsType::Null => "null".into(),
        JsType::Boolean => "boolean".into(),
        JsType::Number => "number".into(),
        JsType::String => "string".into(),
        JsType::Other(s) => s.clone(),
    }
}

/// `extractManifest(plugin)`; the description carries the `supports()`
/// answers (`probe`) of tool and verifier providers.
pub fn extract(p: &PluginDesc) -> Value {
    let mut caps = Vec::new();
    for kind in ProviderKind::ALL {
        if p.list(kind).non_empty() {
            caps.push(kind.short());
        }
    }
    if p.hooks
        .as_ref()
        .is_some_and(|h| h.truthy && !h.keys.is_empty())
    {
        caps.push("hooks");
    }
    let probed = |kind: ProviderKind, types: &[&str]| -> Vec<Value> {
        p.list(kind)
            .providers()
            .flat_map(|pd| {
                types
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| pd.probe.get(*i).copied().unwrap_or(false))
                    .map(|(_, t)| Value::from(*t))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let names = |kind: ProviderKind| -> Vec<Value> {
        p.list(kind)
            .providers()
            .map(|pd| pd.name.to_json())
            .collect()
    };
    let mut m = Map::new();
    if let Some(name) = &p.name.raw {
        m.insert("name".into(), name.clone());
    }
    m.insert(
        "version".into(),
        if p.version.is_nullish() {
            Value::from("0.0.0")
        } else {
            p.version.to_json()
        },
    );
    m.insert(
        "abi_version".into(),
        if p.abi_version.is_nullish() {
            Value::from(CURRENT_ABI_VERSION)
        } else {
            p.abi_version.to_json()
        },
    );
    m.insert("capabilities".into(), json!(caps));
    m.insert(
        "tool_action_types".into(),
        Value::Array(probed(ProviderKind::Tool, &TOOL_ACTION_TYPES)),
    );
    m.insert(
        "workspace_strategies".into(),
        Value::Array(names(ProviderKind::Workspace)),
    );
    m.insert(
        "verifier_check_types".into(),
        Value::Array(probed(ProviderKind::Verifier, &VERIFIER_CHECK_TYPES)),
    );
    m.insert(
        "context_provider_names".into(),
        Value::Array(names(ProviderKind::Context)),
    );
    m.insert(
        "hook_names".into(),
        json!(p
            .hooks
            .as_ref()
            .filter(|h| h.truthy)
            .map(|h| h.keys.clone())
            .unwrap_or_default()),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn desc(v: Value) -> PluginDesc {
        PluginDesc::from_wire(&v).unwrap()
    }

    fn tool(name: &str) -> Value {
        json!({"name": name, "kind": "read", "idempotent": true, "fns": ["supports", "invoke"], "probe": [false, true, false, false, false]})
    }

    #[test]
    fn validation_messages() {
        let ok = validate(&desc(
            json!({"name": "p", "version": "1.0.0", "toolProviders": [tool("t")]}),
        ));
        assert!(ok.valid() && ok.warnings.is_empty(), "{ok:?}");

        let v = validate(&desc(json!({"name": ""})));
        assert_eq!(v.errors, ["Plugin must have a non-empty string name"]);
        assert_eq!(
            v.warnings,
            ["Plugin declares no providers or hooks — it has no effect"]
        );

        let v = validate(&desc(
            json!({"name": "p", "version": "latest", "hooks": {"truthy": true, "keys": []}}),
        ));
        assert_eq!(
            v.warnings,
            ["Plugin version \"latest\" does not follow semver"]
        );

        let v = validate(&desc(json!({"name": "p", "abi_version": "2"})));
        assert_eq!(
            v.errors,
            ["Plugin ABI \"2\" is incompatible with runtime ABI \"1\""]
        );

        let v = validate(&desc(
            json!({"name": "p", "toolProviders": [{"name": "bad", "fns": []}],
            "workspaceProviders": [{"fns": ["allocate"]}], "verifierProviders": [null], "contextProviders": "x"}),
        ));
        assert_eq!(
            v.errors,
            [
                "ToolProvider \"bad\" missing supports() method",
                "ToolProvider \"bad\" missing invoke() method",
                "WorkspaceProvider missing name",
                "WorkspaceProvider \"undefined\" missing supportsStrategy()",
                "verifierProviders[0] must be an object",
                "contextProviders must be an array, got string",
            ]
        );
        let v = validate(&desc(json!({"$js": "number", "text": "5", "truthy": true})));
        assert_eq!(v.errors, ["Plugin must be an object, got number"]);
    }

    #[test]
    fn manifest_fields() {
        let m = extract(&desc(json!({"name": "p", "toolProviders": [tool("t")],
            "contextProviders": [{"name": "c"}], "hooks": {"truthy": true, "keys": ["pre"]}})));
        assert_eq!(
            m,
            json!({"name": "p", "version": "0.0.0", "abi_version": "1",
                "capabilities": ["tool", "context", "hooks"], "tool_action_types": ["generate_patch"],
                "workspace_strategies": [], "verifier_check_types": [], "context_provider_names": ["c"],
                "hook_names": ["pre"]})
        );
        let m = extract(&desc(
            json!({"name": "e", "hooks": {"truthy": true, "keys": []}}),
        ));
        assert_eq!(m["capabilities"], json!([]));
        assert_eq!(m["hook_names"], json!([]));
    }
}
