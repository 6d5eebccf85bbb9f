//! Reading and writing `GATES.json` (`JSON.stringify(gates, null, 2)`).
//!
//! 1.4.0 re-reads and re-writes the whole file on every call, and so do we,
//! but the parsed gates and each gate's rendered text are kept per file:
//! when the bytes on disk are still the ones we last read or wrote (same
//! length and hash), nothing is parsed again, and a write only renders the
//! gate that changed. Any other content (another process, 1.4.0, an edit)
//! is parsed afresh.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::jsjson;
use crate::store::{self, StoreError};

/// The gates of a file with each one's text as an array element (indented
/// by two spaces, as `JSON.stringify(gates, null, 2)` nests it).
#[derive(Clone, Debug, Default)]
pub struct GateList {
    pub items: Vec<Value>,
    texts: Vec<String>,
}

fn element_text(v: &Value) -> String {
    let pretty = jsjson::to_pretty(v);
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8 + 2);
    out.push_str("  ");
    for (i, line) in pretty.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\n  ");
        }
        out.push_str(line);
    }
    out
}

impl GateList {
    fn from_items(items: Vec<Value>) -> GateList {
        let texts = items.iter().map(element_text).collect();
        GateList { items, texts }
    }

    pub fn push(&mut self, v: Value) {
        self.texts.push(element_text(&v));
        self.items.push(v);
    }

    /// Replaces gate `i` (ignored when out of range).
    pub fn set(&mut self, i: usize, v: Value) {
        if let (Some(t), Some(slot)) = (self.texts.get_mut(i), self.items.get_mut(i)) {
            *t = element_text(&v);
            *slot = v;
        }
    }

    /// `JSON.stringify(items, null, 2)`.
    pub fn render(&self) -> String {
        if self.texts.is_empty() {
            return "[]".into();
        }
        let total: usize = self.texts.iter().map(|t| t.len() + 2).sum();
        let mut out = String::with_capacity(total + 4);
        out.push_str("[\n");
        for (i, t) in self.texts.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            out.push_str(t);
        }
        out.push_str("\n]");
        out
    }
}

struct Known {
    len: usize,
    hash: u64,
    list: Arc<GateList>,
}

static KNOWN: Mutex<Option<HashMap<PathBuf, Known>>> = Mutex::new(None);

fn remember(path: &Path, bytes: &[u8], list: Arc<GateList>) {
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let map = known.get_or_insert_with(HashMap::new);
    if map.len() >= 32 && !map.contains_key(path) {
        map.clear();
    }
    map.insert(
        path.to_path_buf(),
        Known {
            len: bytes.len(),
            hash: crate::store::content_hash(bytes),
            list,
        },
    );
}

/// The gates stored at `path`: `[]` when the file is missing, unreadable
/// (reported), not JSON or not an array (moved aside and reported).
pub fn load(path: &Path) -> Arc<GateList> {
    load_with(path, false)
}

/// As [`load`], for a caller about to change and [`save`] the list: the
/// remembered copy is handed over instead of cloned.
pub fn load_for_update(path: &Path) -> GateList {
    Arc::unwrap_or_clone(load_with(path, true))
}

fn load_with(path: &Path, take: bool) -> Arc<GateList> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Arc::new(GateList::default()),
        Err(e) => {
            store::report(store::Diagnostic::new(
                store::W_READ_FAILED,
                path,
                format!("cannot read {}: {e}", path.display()),
            ));
            return Arc::new(GateList::default());
        }
    };
    {
        let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(map) = known.as_mut() {
            let hit = map.get(path).is_some_and(|k| {
                k.len == bytes.len() && k.hash == crate::store::content_hash(&bytes)
            });
            if hit {
                let entry = if take { map.remove(path) } else { None };
                if let Some(k) = entry {
                    return k.list;
                }
                if let Some(k) = map.get(path) {
                    return Arc::clone(&k.list);
                }
            }
        }
    }
    // unknown content: parse it (a corrupt file is moved aside, reported)
    let text = String::from_utf8_lossy(&bytes);
    let list = match jsjson::parse(text.strip_prefix('\u{feff}').unwrap_or(&text)) {
        Ok(Value::Array(items)) => Arc::new(GateList::from_items(items)),
        Ok(_) => {
            store::quarantine(path, "GATES.json is not a JSON array");
            return Arc::new(GateList::default());
        }
        Err(e) => {
            store::quarantine(path, &format!("invalid JSON ({e})"));
            return Arc::new(GateList::default());
        }
    };
    remember(path, &bytes, Arc::clone(&list));
    list
}

/// Writes `list` to `path` atomically and remembers it.
pub fn save(path: &Path, list: GateList) -> Result<(), StoreError> {
    let text = list.render();
    store::write_atomic(path, text.as_bytes())?;
    remember(path, text.as_bytes(), Arc::new(list));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn render_equals_pretty_json() {
        let mut l = GateList::default();
        assert_eq!(l.render(), jsjson::to_pretty(&json!([])));
        let a = json!({"gate_id": "g1", "context": {"risks": ["a\nb"], "n": 1.5}, "h": []});
        let b = json!({"gate_id": "g2", "x": {}, "y": [1, {"z": null}]});
        l.push(a.clone());
        l.push(b.clone());
        assert_eq!(l.render(), jsjson::to_pretty(&json!([a, b])));
        let c = json!({"gate_id": "g3"});
        l.set(0, c.clone());
        assert_eq!(l.render(), jsjson::to_pretty(&json!([c, b])));
    }

    #[test]
    fn known_bytes_are_not_parsed_again_and_others_are() {
        let d = std::env::temp_dir().join(format!(
            "oxe-gatefile-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("GATES.json");
        let mut l = GateList::default();
        l.push(json!({"gate_id": "a"}));
        save(&p, l).unwrap();
        let first = load(&p);
        assert!(Arc::ptr_eq(&first, &load(&p)));
        // same length, other content
        std::fs::write(&p, jsjson::to_pretty(&json!([{"gate_id": "b"}]))).unwrap();
        assert_eq!(load(&p).items, vec![json!({"gate_id": "b"})]);
        // 1.4.0 may write it compact: still read, re-rendered on save
        std::fs::write(&p, r#"[{"gate_id":"c"}]"#).unwrap();
        let l = load(&p);
        assert_eq!(l.items, vec![json!({"gate_id": "c"})]);
        save(&p, (*l).clone()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            jsjson::to_pretty(&json!([{"gate_id": "c"}]))
        );
    }
}
