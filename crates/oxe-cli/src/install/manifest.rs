//! The user-level install manifest `~/.oxe-cc/manifest.json`:
//! `{version, updated_at, files: {<absolute path>: <sha256 hex>}}`, the
//! shape 1.4.0 reads and writes, so either version can take over an
//! install made by the other.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

pub const MANIFEST_DIR: &str = ".oxe-cc";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const PATCHES_DIR: &str = "oxe-local-patches";

/// Absolute path → sha256 hex, in the file's key order.
pub type Files = Vec<(String, String)>;

pub fn manifest_path(home: &Path) -> PathBuf {
    home.join(MANIFEST_DIR).join(MANIFEST_FILE)
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// sha256 of a file's bytes (an error for a missing file or a folder).
pub fn sha256_file(p: &Path) -> std::io::Result<String> {
    std::fs::read(p).map(|b| sha256_bytes(&b))
}

/// The `files` map of the manifest; empty when it is missing or invalid.
/// Values are kept as 1.4.0 reads them (any JSON value).
pub fn load_raw(home: &Path) -> Map<String, Value> {
    let Ok(text) = std::fs::read_to_string(manifest_path(home)) else {
        return Map::new();
    };
    match oxe_runtime::jsjson::parse(&text) {
        Ok(Value::Object(m)) => match m.get("files") {
            Some(Value::Object(f)) => f.clone(),
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

/// [`load_raw`] with string hashes only.
pub fn load(home: &Path) -> BTreeMap<String, String> {
    load_raw(home)
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
        .collect()
}

/// Writes `{version, updated_at, files}` (2-space JSON and a final LF),
/// atomically.
pub fn write(
    home: &Path,
    files: &Map<String, Value>,
    version: &str,
) -> Result<(), oxe_runtime::store::StoreError> {
    write_with(home, files, Some(version))
}

/// [`write`]; without a version the key is left out (as JavaScript drops
/// an `undefined` value).
pub fn write_with(
    home: &Path,
    files: &Map<String, Value>,
    version: Option<&str>,
) -> Result<(), oxe_runtime::store::StoreError> {
    let mut payload = Map::new();
    if let Some(v) = version {
        payload.insert("version".into(), Value::String(v.to_string()));
    }
    payload.insert(
        "updated_at".into(),
        Value::String(oxe_runtime::clock::now_iso()),
    );
    payload.insert("files".into(), Value::Object(files.clone()));
    let text = format!(
        "{}\n",
        oxe_runtime::jsjson::to_pretty(&Value::Object(payload))
    );
    oxe_runtime::store::write_atomic(&manifest_path(home), text.as_bytes())
}

/// Files under `dir` whose name passes `filter`, depth first in sorted
/// order; empty when `dir` does not exist.
pub fn collect_files_recursive(dir: &Path, filter: &mut dyn FnMut(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, filter, &mut out);
    out
}

fn walk(dir: &Path, filter: &mut dyn FnMut(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(String, PathBuf, bool)> = rd
        .filter_map(Result::ok)
        .map(|e| {
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path(),
                is_dir,
            )
        })
        .collect();
    entries.sort();
    for (name, p, is_dir) in entries {
        if is_dir {
            walk(&p, filter, out);
        } else if filter(&name) {
            out.push(p);
        }
    }
}

/// Where a backed-up file goes inside a backup folder: its absolute path
/// made relative (root and drive prefix dropped), so files with the same
/// name never overwrite each other.
pub fn backup_relative(abs: &Path) -> PathBuf {
    let mut rel = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::Normal(n) => rel.push(n),
            std::path::Component::Prefix(p) => {
                let s: String = p
                    .as_os_str()
                    .to_string_lossy()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                rel.push(s);
            }
            _ => {}
        }
    }
    rel
}

/// The files of `prev` that exist and no longer match their hash.
pub fn modified_files(prev: &BTreeMap<String, String>) -> Vec<String> {
    prev.iter()
        .filter(|(p, h)| {
            let p = Path::new(p);
            p.exists() && sha256_file(p).is_ok_and(|now| &now != *h)
        })
        .map(|(p, _)| p.clone())
        .collect()
}

/// A backup made before an overwrite.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub dir: PathBuf,
    pub files: Vec<String>,
}

/// Copies each modified file of `prev` to
/// `~/.oxe-cc/oxe-local-patches/<stamp>/<its absolute path>` and writes
/// `backup-meta.json` (`{backed_up_at, files}`) beside them. Only with
/// `force` and outside a dry run. `None` when nothing was modified.
pub fn backup_modified(
    home: &Path,
    prev: &BTreeMap<String, String>,
    force: bool,
    dry_run: bool,
) -> Result<Option<Backup>, oxe_runtime::store::StoreError> {
    if !force || dry_run {
        return Ok(None);
    }
    let modified = modified_files(prev);
    if modified.is_empty() {
        return Ok(None);
    }
    let stamp = oxe_runtime::clock::now_iso().replace([':', '.'], "-");
    let root = home.join(MANIFEST_DIR).join(PATCHES_DIR).join(stamp);
    let mut saved = Vec::new();
    for f in &modified {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        oxe_runtime::store::write_atomic(&root.join(backup_relative(Path::new(f))), &bytes)?;
        saved.push(f.clone());
    }
    let meta = json!({ "backed_up_at": oxe_runtime::clock::now_iso(), "files": saved });
    let text = format!("{}\n", oxe_runtime::jsjson::to_pretty(&meta));
    oxe_runtime::store::write_atomic(&root.join("backup-meta.json"), text.as_bytes())?;
    Ok(Some(Backup {
        dir: root,
        files: saved,
    }))
}

/// The report lines of a backup, painted with the caller's colour codes
/// (`yellow`, `cyan`, `dim`, `reset`).
pub fn backup_report(
    home: &Path,
    b: &Backup,
    colors: &Value,
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let c = |k: &str| {
        colors
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (y, cy, d, r) = (c("yellow"), c("cyan"), c("dim"), c("reset"));
    let rel = b
        .dir
        .strip_prefix(home)
        .unwrap_or(&b.dir)
        .to_string_lossy()
        .into_owned();
    let head = super::say::t(
        lang,
        "{0} OXE file(s) changed locally; backed up in {1}",
        "{0} arquivo(s) OXE alterado(s) localmente; backup em {1}",
        &[&b.files.len().to_string(), &format!("{cy}{rel}{r}")],
    );
    let mut lines = vec![format!("  {y}i{r}  {head}")];
    lines.extend(b.files.iter().map(|f| format!("     {d}{f}{r}")));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_keeps_structure() {
        let home = std::env::temp_dir().join(format!("oxe-mf-test-{}", std::process::id()));
        let a = home.join("p1").join("SKILL.md");
        let b = home.join("p2").join("SKILL.md");
        for f in [&a, &b] {
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, "v1").unwrap();
        }
        let mut prev = BTreeMap::new();
        prev.insert(a.to_string_lossy().into_owned(), sha256_bytes(b"v1"));
        prev.insert(b.to_string_lossy().into_owned(), sha256_bytes(b"v1"));
        std::fs::write(&a, "mine-a").unwrap();
        std::fs::write(&b, "mine-b").unwrap();
        assert_eq!(backup_modified(&home, &prev, false, false).unwrap(), None);
        let bk = backup_modified(&home, &prev, true, false).unwrap().unwrap();
        assert_eq!(bk.files.len(), 2);
        assert_eq!(
            std::fs::read_to_string(bk.dir.join(backup_relative(&a))).unwrap(),
            "mine-a"
        );
        assert_eq!(
            std::fs::read_to_string(bk.dir.join(backup_relative(&b))).unwrap(),
            "mine-b"
        );
        let _ = std::fs::remove_dir_all(&home);
    }

    #[test]
    fn sha_known() {
        assert_eq!(
            sha256_bytes(b"test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
    }
}
