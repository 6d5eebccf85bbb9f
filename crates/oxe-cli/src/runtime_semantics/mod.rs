//! Placeholder of the runtime-semantics module (replaced at merge).

pub struct Semantics;

impl Semantics {
    pub fn load(_package_root: &std::path::Path) -> Semantics {
        Semantics
    }
    pub fn contract_version(&self) -> &str {
        "0.0.0"
    }
    pub fn semantics_hashes(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::Map::new()
    }
    pub fn audit_runtime_targets(&self, _root: &std::path::Path) -> serde_json::Value {
        serde_json::json!({ "ok": true, "warnings": [], "mismatches": [] })
    }
    pub fn runtime_metadata_lines(&self, _slug: &str) -> String {
        String::new()
    }
    pub fn reasoning_contract_block(&self, _slug: &str) -> String {
        String::new()
    }
}
