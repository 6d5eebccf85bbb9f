//! `redactObject(value)`: a deep copy in which every value under a key that
//! names a secret (token, secret, password, connection string, access /
//! primary / secondary key; any case, any one separator) is replaced by
//! `"[redacted]"`, or by `null` when it was empty.

use serde_json::{Map, Value};

/// Whether `key` names a secret (1.4.0's key rule).
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_lowercase();
    if ["token", "secret", "password"]
        .iter()
        .any(|w| k.contains(w))
    {
        return true;
    }
    // `connection.?string`, `access.?key`, `primary.?key`, `secondary.?key`:
    // the two words joined by nothing or by any one character.
    let pairs = [
        ("connection", "string"),
        ("access", "key"),
        ("primary", "key"),
        ("secondary", "key"),
    ];
    let chars: Vec<char> = k.chars().collect();
    pairs.iter().any(|(a, b)| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        (0..chars.len()).any(|i| {
            if !chars[i..].starts_with(&a) {
                return false;
            }
            let rest = &chars[i + a.len()..];
            rest.starts_with(&b) || (!rest.is_empty() && rest[1..].starts_with(&b))
        })
    })
}

/// `redactObject(value)`.
pub fn redact(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, item) in m {
                let next = if is_secret_key(k) {
                    match item {
                        Value::Null => Value::Null,
                        Value::String(s) if s.is_empty() => Value::Null,
                        _ => Value::String("[redacted]".into()),
                    }
                } else {
                    redact(item)
                };
                out.insert(k.clone(), next);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}
