//! Policy packs: `.oxe/policy-packs/<pack_id>.json`, one pretty JSON file
//! per pack. Beyond 1.4.0 a pack id that would name a file outside that
//! directory (a `/`, `\` or NUL in it) is rejected with `OXE_E_PATH`, and a
//! save is atomic.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{OxeError, OxeResult};
use crate::policy::js_ops::Slot;
use crate::{paths, store};

/// `.oxe/policy-packs/`.
pub fn pack_dir(root: &Path) -> PathBuf {
    paths::oxe_dir(root).join("policy-packs")
}

/// `.oxe/policy-packs/<packId>.json`.
pub fn pack_path(root: &Path, pack_id: &str) -> OxeResult<PathBuf> {
    if pack_id.contains(['/', '\\', '\0']) {
        return Err(OxeError::Path(format!(
            "policy pack id {pack_id:?} would leave .oxe/policy-packs/"
        )));
    }
    Ok(pack_dir(root).join(format!("{pack_id}.json")))
}

/// `savePolicyPack(projectRoot, pack)`.
pub fn save_policy_pack(root: &Path, pack: &Value) -> OxeResult<()> {
    let Value::Object(p) = pack else {
        return Err(OxeError::Arg(
            "savePolicyPack: the pack must be an object".into(),
        ));
    };
    let id = Slot::of(p.get("pack_id")).render();
    let path = pack_path(root, &id)?;
    store::write_json(&path, pack)?;
    Ok(())
}

/// `loadPolicyPack(projectRoot, packId)`: the pack, or `None` when missing
/// or corrupt (moved aside and reported).
pub fn load_policy_pack(root: &Path, pack_id: &str) -> OxeResult<Option<Value>> {
    Ok(store::read_json(&pack_path(root, pack_id)?))
}

/// `listPolicyPacks(projectRoot)`: every `*.json` pack, by file name in byte
/// order; files that do not parse are skipped (and moved aside, reported).
pub fn list_policy_packs(root: &Path) -> OxeResult<Vec<Value>> {
    let dir = pack_dir(root);
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(store::StoreError::io(&dir, e).into()),
    };
    let mut names: Vec<std::ffi::OsString> = rd
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().ends_with(".json"))
        .collect();
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    Ok(names
        .into_iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .filter_map(|p| store::read_json(&p))
        .filter(|v| !v.is_null())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn save_load_list() {
        let root = std::env::temp_dir().join(format!(
            "oxe-pack-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        assert!(list_policy_packs(&root).unwrap().is_empty());
        for id in ["b", "a", "c"] {
            save_policy_pack(&root, &json!({"pack_id": id, "version": "1.0.0", "n": 1})).unwrap();
        }
        let text = std::fs::read_to_string(root.join(".oxe/policy-packs/a.json")).unwrap();
        assert_eq!(
            text,
            "{\n  \"pack_id\": \"a\",\n  \"version\": \"1.0.0\",\n  \"n\": 1\n}"
        );
        std::fs::write(root.join(".oxe/policy-packs/bad.json"), "{nope").unwrap();
        std::fs::write(root.join(".oxe/policy-packs/null.json"), "null").unwrap();
        std::fs::create_dir_all(root.join(".oxe/policy-packs/dir.json")).unwrap();
        let ids: Vec<Value> = list_policy_packs(&root)
            .unwrap()
            .iter()
            .map(|p| p["pack_id"].clone())
            .collect();
        assert_eq!(ids, vec![json!("a"), json!("b"), json!("c")]);
        assert_eq!(
            load_policy_pack(&root, "b").unwrap().unwrap()["pack_id"],
            json!("b")
        );
        assert_eq!(load_policy_pack(&root, "zz").unwrap(), None);
        assert_eq!(
            load_policy_pack(&root, "../x").unwrap_err().code(),
            "OXE_E_PATH"
        );
        assert_eq!(
            save_policy_pack(&root, &json!({"pack_id": "a/b"}))
                .unwrap_err()
                .code(),
            "OXE_E_PATH"
        );
        // no id at all: the file is "undefined.json", as in 1.4.0
        save_policy_pack(&root, &json!({"name": "x"})).unwrap();
        assert!(root.join(".oxe/policy-packs/undefined.json").exists());
    }
}
