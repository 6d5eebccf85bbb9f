//! Runtime semantics (1.4.0's `oxe-runtime-semantics`): the workflow
//! contracts registry that ships with the package, the normalised contract
//! of each workflow, its semantics hash, the nine `oxe_*` metadata keys and
//! the reasoning-contract block every command wrapper carries, and the audit
//! that compares wrappers in a project with what the registry expects.
//!
//! The registry is always the package's own
//! `oxe/workflows/references/workflow-runtime-contracts.json`, never a
//! project's. [`Semantics::load`] never fails: a missing or invalid registry
//! gives contract version `0.0.0`, no contracts, and registry issues.
//!
//! Files: [`contract`] (normalisation, tiers, stable JSON, hash),
//! [`frontmatter`] (wrapper front matter and slugs), [`block`] (metadata
//! lines and the reasoning-contract block), [`audit`] (wrapper audit).

pub mod audit;
pub mod block;
pub mod contract;
pub mod frontmatter;
pub mod sdk;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub use contract::{build_context_tiers, stable_json};
pub use frontmatter::{
    parse_frontmatter_map, pick_runtime_metadata, slug_from_command_filename,
    slug_from_prompt_filename, split_frontmatter,
};

/// The nine wrapper front-matter keys, in their fixed order.
pub const RUNTIME_METADATA_KEYS: [&str; 9] = [
    "oxe_workflow_slug",
    "oxe_reasoning_mode",
    "oxe_question_policy",
    "oxe_output_contract",
    "oxe_tool_profile",
    "oxe_confidence_policy",
    "oxe_context_tier",
    "oxe_contract_version",
    "oxe_semantics_hash",
];

/// The fields every normalised contract must carry.
pub const REQUIRED_CONTRACT_FIELDS: [&str; 12] = [
    "reasoning_mode",
    "question_policy",
    "output_contract",
    "tool_profile",
    "confidence_policy",
    "required_artifacts",
    "optional_artifacts",
    "context_tiers",
    "freshness_policy",
    "fallback_policy",
    "blocking_conditions",
    "output_sections",
];

/// The registry's path relative to the package root.
pub const CONTRACTS_REL_PATH: [&str; 4] = [
    "oxe",
    "workflows",
    "references",
    "workflow-runtime-contracts.json",
];

/// The first line of the reasoning-contract block.
pub const BLOCK_START: &str = "<!-- oxe-reasoning-contract:start -->";
/// The last line of the reasoning-contract block.
pub const BLOCK_END: &str = "<!-- oxe-reasoning-contract:end -->";

/// The loaded contracts registry of one package.
#[derive(Debug, Clone)]
pub struct Semantics {
    registry: Value,
    path: PathBuf,
    version: String,
}

impl Semantics {
    /// Reads `<package_root>/oxe/workflows/references/workflow-runtime-contracts.json`.
    /// Anything but a JSON object counts as an empty registry.
    pub fn load(package_root: &Path) -> Semantics {
        let path = CONTRACTS_REL_PATH
            .iter()
            .fold(package_root.to_path_buf(), |p, s| p.join(s));
        let registry = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| oxe_runtime::jsjson::parse(t.trim_start_matches('\u{feff}')).ok())
            .filter(Value::is_object)
            .unwrap_or_else(|| Value::Object(Map::new()));
        Self::from_registry(registry, path)
    }

    /// A registry given as a value (tests, the renderer's temp roots).
    pub fn from_registry(registry: Value, path: PathBuf) -> Semantics {
        let registry = if registry.is_object() {
            registry
        } else {
            Value::Object(Map::new())
        };
        let version = registry
            .get("contract_version")
            .filter(|v| oxe_runtime::jsjson::truthy(v))
            .map(oxe_runtime::jsjson::js_string)
            .unwrap_or_else(|| "0.0.0".into());
        Semantics {
            registry,
            path,
            version,
        }
    }

    /// `CONTRACT_VERSION`.
    pub fn contract_version(&self) -> &str {
        &self.version
    }

    /// `CONTRACTS_PATH`.
    pub fn contracts_path(&self) -> &Path {
        &self.path
    }

    /// `CONTRACTS_REGISTRY`: the raw JSON (an empty object when unreadable).
    pub fn registry(&self) -> &Value {
        &self.registry
    }

    /// True when the registry declares a contract version (1.4.0 warns on
    /// stderr at load time otherwise).
    pub fn has_registry(&self) -> bool {
        self.registry
            .get("contract_version")
            .is_some_and(oxe_runtime::jsjson::truthy)
    }

    fn section(&self, key: &str) -> Option<&Map<String, Value>> {
        self.registry.get(key).and_then(Value::as_object)
    }

    /// `MODE_REFERENCES` (mode → package-relative reference path).
    pub fn mode_references(&self) -> Value {
        Value::Object(self.section("mode_references").cloned().unwrap_or_default())
    }

    /// `MODE_GUIDANCE` (mode → bullet strings).
    pub fn mode_guidance(&self) -> Value {
        Value::Object(self.section("mode_guidance").cloned().unwrap_or_default())
    }

    /// `MODE_DEFAULTS`: per mode, the five `oxe_*` metadata defaults.
    pub fn mode_defaults(&self) -> Value {
        let mut out = Map::new();
        for (mode, spec) in self.section("mode_defaults").into_iter().flatten() {
            let mut m = Map::new();
            m.insert("oxe_reasoning_mode".into(), Value::String(mode.clone()));
            for (k, src) in [
                ("oxe_question_policy", "question_policy"),
                ("oxe_output_contract", "output_contract"),
                ("oxe_tool_profile", "tool_profile"),
                ("oxe_confidence_policy", "confidence_policy"),
            ] {
                if let Some(v) = spec.get(src) {
                    m.insert(k.into(), v.clone());
                }
            }
            out.insert(mode.clone(), Value::Object(m));
        }
        Value::Object(out)
    }

    /// The workflow slugs of the registry, in registry order.
    pub fn registry_slugs(&self) -> Vec<String> {
        self.section("workflows")
            .map(|w| w.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// `getWorkflowContract(slug)`: the normalised contract, or `None`.
    pub fn workflow_contract(&self, slug: &str) -> Option<Value> {
        contract::normalise(self, slug)
    }

    /// `getAllWorkflowContracts()`: every contract, sorted by slug.
    pub fn all_workflow_contracts(&self) -> Vec<Value> {
        let mut slugs = self.registry_slugs();
        slugs.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        slugs
            .iter()
            .filter_map(|s| self.workflow_contract(s))
            .collect()
    }

    /// `computeSemanticsHash(slug)`: 16 hex of sha256 over the stable JSON
    /// of the normalised contract; `None` for a slug without a contract.
    pub fn semantics_hash(&self, slug: &str) -> Option<String> {
        self.workflow_contract(slug)
            .map(|c| contract::hash16(&stable_json(&c)))
    }

    /// Every slug's hash, sorted by slug (`runtime-semantics.json`).
    pub fn semantics_hashes(&self) -> Map<String, Value> {
        let mut slugs = self.registry_slugs();
        slugs.sort();
        slugs
            .into_iter()
            .filter_map(|s| self.semantics_hash(&s).map(|h| (s, Value::String(h))))
            .collect()
    }

    /// `validateWorkflowContractsRegistry(registry?)`: the issues of a
    /// registry (`None` = the loaded one). As in 1.4.0, each slug's
    /// contract is the loaded registry's.
    pub fn validate_registry(&self, registry: Option<&Value>) -> Vec<String> {
        contract::validate(self, registry.unwrap_or(&self.registry))
    }

    /// `getRuntimeMetadataForSlug(slug, {tier})`: the nine `oxe_*` keys.
    pub fn runtime_metadata(&self, slug: &str, tier: &str) -> Map<String, Value> {
        block::runtime_metadata(self, slug, tier)
    }

    /// The nine `key: value` lines of `slug` at tier `standard`, joined
    /// with `\n` (no trailing newline).
    pub fn runtime_metadata_lines(&self, slug: &str) -> String {
        block::render_metadata_lines(&self.runtime_metadata(slug, "standard")).join("\n")
    }

    /// The reasoning-contract block of `slug` (tier `standard`, with the
    /// canonical reference line), from its first marker to its last.
    pub fn reasoning_contract_block(&self, slug: &str) -> String {
        let meta = self.runtime_metadata(slug, "standard");
        block::reasoning_contract_block(self, &meta, None, true)
    }

    /// `auditWrapperText(slug, raw)`.
    pub fn audit_wrapper_text(&self, slug: &str, raw: &str) -> Value {
        audit::audit_wrapper_text(self, slug, raw)
    }

    /// `auditRuntimeTargets(root)`: the wrappers under `root` compared with
    /// the registry.
    pub fn audit_runtime_targets(&self, root: &Path) -> Value {
        audit::audit_runtime_targets(self, root)
    }
}

/// `buildContextPackPaths(slug)` → `{markdown, json, inspectCommand}`.
pub fn context_pack_paths(slug: &str) -> Value {
    serde_json::json!({
        "markdown": format!(".oxe/context/packs/{slug}.md"),
        "json": format!(".oxe/context/packs/{slug}.json"),
        "inspectCommand": format!("oxe-cc context inspect --workflow {slug} --json"),
    })
}
