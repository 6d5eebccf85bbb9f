//! SDK helpers on package metadata: `readPackageMeta` and `readMinNode`.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use oxe_runtime::jsjson;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageMeta {
    pub version: String,
    pub name: String,
}

fn read_json(path: &Path) -> Option<Value> {
    let bytes = std::fs::read(path).ok()?;
    jsjson::parse(&String::from_utf8_lossy(&bytes)).ok()
}

/// `readPackageMeta(root)`: `{version, name}` of `root/package.json`, both
/// as `String(x)` of a truthy value, with `0.0.0` / `oxe-cc` when the file
/// cannot be read or parsed.
pub fn read_package_meta(root: &Path) -> PackageMeta {
    let fallback = PackageMeta {
        version: "0.0.0".into(),
        name: "oxe-cc".into(),
    };
    let Some(j) = read_json(&root.join("package.json")) else {
        return fallback;
    };
    let field = |k: &str, dflt: &str| {
        j.get(k)
            .filter(|v| jsjson::truthy(v))
            .map_or_else(|| dflt.to_string(), jsjson::js_string)
    };
    PackageMeta {
        version: field("version", "0.0.0"),
        name: field("name", "oxe-cc"),
    }
}

/// `readMinNode(packageRoot)`: the first integer after `>=` (or `>`) in
/// `engines.node`, else 18. `None` (no root given) answers 18 without
/// reading anything, as 1.4.0 does.
pub fn read_min_node(root: Option<&Path>) -> f64 {
    const DEFAULT: f64 = 18.0;
    let Some(root) = root else {
        return DEFAULT;
    };
    let Some(j) = read_json(&root.join("package.json")) else {
        return DEFAULT;
    };
    let Some(Value::String(eng)) = j.get("engines").and_then(|e| e.get("node")) else {
        return DEFAULT;
    };
    let mut from = 0;
    while let Some(i) = eng[from..].find('>') {
        let at = from + i + 1;
        from = at;
        let p = if eng[at..].starts_with('=') {
            at + 1
        } else {
            at
        };
        let p = crate::jstext::ws_end(eng, p);
        let n = eng[p..].bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 {
            return crate::jstext::digits_value(&eng[p..p + n]);
        }
    }
    DEFAULT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(text: &str) -> crate::tests::TempDir {
        let d = crate::tests::TempDir::new("sdk");
        std::fs::write(d.path().join("package.json"), text).expect("write");
        d
    }

    #[test]
    fn meta() {
        let d = pkg(r#"{"name":"x","version":2}"#);
        assert_eq!(
            read_package_meta(d.path()),
            PackageMeta {
                version: "2".into(),
                name: "x".into()
            }
        );
        let d = pkg("{");
        assert_eq!(read_package_meta(d.path()).version, "0.0.0");
        let d = pkg(r#"{"name":"","version":""}"#);
        assert_eq!(
            read_package_meta(d.path()),
            PackageMeta {
                version: "0.0.0".into(),
                name: "oxe-cc".into()
            }
        );
    }

    #[test]
    fn min_node() {
        assert_eq!(read_min_node(None), 18.0);
        assert_eq!(
            read_min_node(Some(pkg(r#"{"engines":{"node":">= 20.0.0"}}"#).path())),
            20.0
        );
        assert_eq!(
            read_min_node(Some(pkg(r#"{"engines":{"node":"^16 || >22"}}"#).path())),
            22.0
        );
        assert_eq!(
            read_min_node(Some(pkg(r#"{"engines":{"node":"lts/*"}}"#).path())),
            18.0
        );
        assert_eq!(read_min_node(Some(pkg(r#"{"name":"x"}"#).path())), 18.0);
    }
}
