//! The plugin ABI: the runtime's ABI version, the fixed action and check
//! types plugins are probed with, and [`PluginDesc`], the description of a
//! live JS plugin object that the rules read.
//!
//! A plugin is a JS object (`{name, version?, abi_version?, toolProviders?,
//! workspaceProviders?, verifierProviders?, contextProviders?, hooks?}`)
//! that stays in JS; the glue sends its shape as JSON:
//!
//! ```json
//! {"name": <jsv>, "version": <jsv>, "abi_version": <jsv>,
//!  "toolProviders": null | <jsv marker of a non-array> | [null | {
//!      "name": <jsv>, "kind": <jsv>, "idempotent": <jsv>,
//!      "fns": ["supports", "invoke"], "probe": [true, false, ...]}],
//!  "workspaceProviders": ..., "verifierProviders": ..., "contextProviders": ...,
//!  "hooks": {"truthy": true, "keys": ["onRunStart"]}}
//! ```
//!
//! where `<jsv>` is a [`JsVal`] (absent = `undefined`), `fns` lists the
//! methods that are functions, and `probe` (only for `extractManifest`)
//! holds the `supports()` answers for [`TOOL_ACTION_TYPES`] or
//! [`VERIFIER_CHECK_TYPES`]. A plugin that is not an object is sent as a
//! `$js` marker.

use serde_json::Value;

use super::js::{string_to_number, JsVal};
use crate::error::{OxeError, OxeResult};

/// `CURRENT_ABI_VERSION`.
pub const CURRENT_ABI_VERSION: &str = "1";

/// Action types tool providers are probed with (manifest and matrix).
pub const TOOL_ACTION_TYPES: [&str; 5] = [
    "read_code",
    "generate_patch",
    "run_tests",
    "collect_evidence",
    "custom",
];

/// Check types verifier providers are probed with (manifest and matrix).
pub const VERIFIER_CHECK_TYPES: [&str; 6] = [
    "unit",
    "integration",
    "smoke",
    "policy",
    "security",
    "custom",
];

/// `isAbiCompatible(v)`: the first `.`-separated part, read as a JS number,
/// equals the runtime's major version.
pub fn is_abi_compatible(version: &str) -> bool {
    let major = |s: &str| string_to_number(s.split('.').next().unwrap_or(""));
    major(version) == major(CURRENT_ABI_VERSION)
}

/// The four provider kinds, in the order every listing uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderKind {
    Tool,
    Workspace,
    Verifier,
    Context,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 4] = [
        ProviderKind::Tool,
        ProviderKind::Workspace,
        ProviderKind::Verifier,
        ProviderKind::Context,
    ];

    /// The plugin field that holds providers of this kind.
    pub fn field(self) -> &'static str {
        match self {
            ProviderKind::Tool => "toolProviders",
            ProviderKind::Workspace => "workspaceProviders",
            ProviderKind::Verifier => "verifierProviders",
            ProviderKind::Context => "contextProviders",
        }
    }

    /// `tool`, `workspace`, `verifier`, `context`.
    pub fn short(self) -> &'static str {
        match self {
            ProviderKind::Tool => "tool",
            ProviderKind::Workspace => "workspace",
            ProviderKind::Verifier => "verifier",
            ProviderKind::Context => "context",
        }
    }

    /// The interface name used in validation messages.
    pub fn interface(self) -> &'static str {
        match self {
            ProviderKind::Tool => "ToolProvider",
            ProviderKind::Workspace => "WorkspaceProvider",
            ProviderKind::Verifier => "VerifierProvider",
            ProviderKind::Context => "ContextProvider",
        }
    }

    /// The methods a provider of this kind must have.
    pub fn required_methods(self) -> &'static [&'static str] {
        match self {
            ProviderKind::Tool => &["supports", "invoke"],
            ProviderKind::Workspace => &["supportsStrategy", "allocate"],
            ProviderKind::Verifier => &["supports", "execute"],
            ProviderKind::Context => &[],
        }
    }

    /// The method the registry's lookups call, if any.
    pub fn lookup_method(self) -> Option<&'static str> {
        match self {
            ProviderKind::Tool | ProviderKind::Verifier => Some("supports"),
            ProviderKind::Workspace => Some("supportsStrategy"),
            ProviderKind::Context => None,
        }
    }
}

/// One provider as described by the glue.
#[derive(Clone, Debug)]
pub struct ProviderDesc {
    pub name: JsVal,
    pub kind: JsVal,
    pub idempotent: JsVal,
    /// Methods that are functions.
    pub fns: Vec<String>,
    /// `supports()` answers over the probe list, when the glue probed.
    pub probe: Vec<bool>,
}

impl ProviderDesc {
    pub fn has_fn(&self, m: &str) -> bool {
        self.fns.iter().any(|f| f == m)
    }
}

/// A provider list field: absent (`undefined`/`null`), not an array, or
/// the items (`None` for an item that is not an object).
#[derive(Clone, Debug, Default)]
pub enum ProviderList {
    #[default]
    Absent,
    NotArray(JsVal),
    Items(Vec<Option<ProviderDesc>>),
}

impl ProviderList {
    /// The providers that are objects.
    pub fn providers(&self) -> impl Iterator<Item = &ProviderDesc> {
        let items: &[Option<ProviderDesc>] = match self {
            ProviderList::Items(v) => v,
            _ => &[],
        };
        items.iter().flatten()
    }

    /// `list?.length` is truthy.
    pub fn non_empty(&self) -> bool {
        matches!(self, ProviderList::Items(v) if !v.is_empty())
    }

    /// Number of items (what `.length` and iteration see).
    pub fn len(&self) -> usize {
        match self {
            ProviderList::Items(v) => v.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `hooks` of a plugin, when not `undefined`.
#[derive(Clone, Debug)]
pub struct HooksDesc {
    pub truthy: bool,
    pub keys: Vec<String>,
}

/// A plugin as described by the glue.
#[derive(Clone, Debug)]
pub struct PluginDesc {
    /// `Some(typeof)` when the plugin itself is not an object.
    pub not_object: Option<String>,
    pub name: JsVal,
    pub version: JsVal,
    pub abi_version: JsVal,
    pub lists: [ProviderList; 4],
    pub hooks: Option<HooksDesc>,
}

impl PluginDesc {
    pub fn list(&self, kind: ProviderKind) -> &ProviderList {
        &self.lists[kind as usize]
    }

    /// Reads a description sent by the glue.
    pub fn from_wire(v: &Value) -> OxeResult<PluginDesc> {
        let Value::Object(m) = v else {
            return Err(OxeError::Arg("plugin description must be an object".into()));
        };
        if let Some(t) = m.get("$js").and_then(Value::as_str) {
            return Ok(PluginDesc {
                not_object: Some(t.to_string()),
                name: JsVal::undefined(),
                version: JsVal::undefined(),
                abi_version: JsVal::undefined(),
                lists: Default::default(),
                hooks: None,
            });
        }
        let mut lists: [ProviderList; 4] = Default::default();
        for kind in ProviderKind::ALL {
            lists[kind as usize] = read_list(m.get(kind.field()));
        }
        let hooks = m
            .get("hooks")
            .and_then(Value::as_object)
            .map(|h| HooksDesc {
                truthy: h.get("truthy").and_then(Value::as_bool).unwrap_or(false),
                keys: h
                    .get("keys")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|k| k.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        Ok(PluginDesc {
            not_object: None,
            name: JsVal::from_wire(m.get("name")),
            version: JsVal::from_wire(m.get("version")),
            abi_version: JsVal::from_wire(m.get("abi_version")),
            lists,
            hooks,
        })
    }
}

fn read_list(v: Option<&Value>) -> ProviderList {
    match v {
        None | Some(Value::Null) => ProviderList::Absent,
        Some(Value::Array(items)) => ProviderList::Items(
            items
                .iter()
                .map(|item| {
                    let m = item.as_object()?;
                    Some(ProviderDesc {
                        name: JsVal::from_wire(m.get("name")),
                        kind: JsVal::from_wire(m.get("kind")),
                        idempotent: JsVal::from_wire(m.get("idempotent")),
                        fns: m
                            .get("fns")
                            .and_then(Value::as_array)
                            .map(|a| {
                                a.iter()
                                    .filter_map(|f| f.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        probe: m
                            .get("probe")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().map(|b| b.as_bool().unwrap_or(false)).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect(),
        ),
        Some(other) => ProviderList::NotArray(JsVal::from_wire(Some(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abi_versions() {
        for ok in ["1", "1.0.0", "1.5.3", "1.99.0", "1.9", " 1", "01"] {
            assert!(is_abi_compatible(ok), "{ok}");
        }
        for bad in ["2", "2.0.0", "0.9.0", "abc", "", "1x"] {
            assert!(!is_abi_compatible(bad), "{bad}");
        }
    }
}
