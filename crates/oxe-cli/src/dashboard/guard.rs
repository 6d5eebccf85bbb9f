//! Request checks of the dashboard server, kept free of HTTP types so they
//! can be tested directly.
//!
//! * `Host` must name a loopback host (`127.0.0.1`, `localhost`, `[::1]`)
//!   with the server's port: a page on another site that rebinds its DNS
//!   name to 127.0.0.1 still sends its own name and is refused.
//! * `Origin`, when sent, must be this server's own origin.
//! * Writes carry the per-session token in `X-OXE-Token` when the server
//!   has one (the CLI always does; the page gets it when it is served).
//! * Bodies are JSON objects of at most [`MAX_BODY`] bytes; an empty body
//!   is `{}`.

use std::hash::{BuildHasher, Hasher};

use serde_json::{Map, Value};

use super::DashError;

/// Largest accepted request body (1 MiB, as 1.4.0).
pub const MAX_BODY: usize = 1024 * 1024;

/// The header carrying the write token.
pub const TOKEN_HEADER: &str = "x-oxe-token";

const LOOPBACK: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// Splits `host[:port]` (IPv6 in brackets).
fn split_host(h: &str) -> (&str, Option<&str>) {
    if h.starts_with('[') {
        return match h.find(']') {
            Some(end) => {
                let rest = &h[end + 1..];
                (&h[..=end], rest.strip_prefix(':'))
            }
            None => (h, None),
        };
    }
    match h.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (h, None),
    }
}

fn loopback_with_port(hostport: &str, port: u16) -> bool {
    let (name, p) = split_host(hostport.trim());
    let name_ok = LOOPBACK.iter().any(|l| l.eq_ignore_ascii_case(name));
    let port_ok = match p {
        None => port == 80,
        Some(p) => p.parse::<u16>().ok() == Some(port),
    };
    name_ok && port_ok
}

/// True when the `Host` header names this loopback server.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    host.is_some_and(|h| loopback_with_port(h, port))
}

/// True when there is no `Origin` header, or it is this server's origin.
pub fn origin_allowed(origin: Option<&str>, port: u16) -> bool {
    match origin {
        None => true,
        Some(o) => o
            .strip_prefix("http://")
            .is_some_and(|rest| !rest.contains('/') && loopback_with_port(rest, port)),
    }
}

/// Compares the token in constant time (for equal lengths). `expected`
/// `None` means the server takes writes without a token.
pub fn token_ok(expected: Option<&str>, got: Option<&str>) -> bool {
    let Some(want) = expected else {
        return true;
    };
    let Some(got) = got else {
        return false;
    };
    if want.len() != got.len() {
        return false;
    }
    want.bytes()
        .zip(got.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// A fresh 128-bit token in hex, from the OS-seeded keys of std's hasher.
pub fn make_token() -> String {
    let mut out = String::with_capacity(32);
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// The request body as a JSON object (`{}` when empty).
pub fn parse_body(bytes: &[u8]) -> Result<Value, DashError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| DashError::BadRequest("request body is not UTF-8 text".into()))?;
    if text.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    match oxe_runtime::jsjson::parse(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(DashError::BadRequest(
            "request body must be a JSON object".into(),
        )),
        Err(e) => Err(DashError::BadRequest(format!("invalid JSON body: {e}"))),
    }
}

/// The `session` query parameter of a URL query string, percent-decoded.
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == name).then(|| decode(v))
    })
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_must_be_loopback_with_our_port() {
        assert!(host_allowed(Some("127.0.0.1:4173"), 4173));
        assert!(host_allowed(Some("localhost:4173"), 4173));
        assert!(host_allowed(Some("[::1]:4173"), 4173));
        assert!(!host_allowed(Some("127.0.0.1:9999"), 4173));
        assert!(!host_allowed(Some("evil.example:4173"), 4173));
        assert!(!host_allowed(Some("127.0.0.1.evil.example:4173"), 4173));
        assert!(!host_allowed(None, 4173));
        assert!(host_allowed(Some("127.0.0.1"), 80));
    }

    #[test]
    fn origin_must_be_ours_when_sent() {
        assert!(origin_allowed(None, 5000));
        assert!(origin_allowed(Some("http://127.0.0.1:5000"), 5000));
        assert!(origin_allowed(Some("http://localhost:5000"), 5000));
        assert!(!origin_allowed(Some("http://evil.example"), 5000));
        assert!(!origin_allowed(Some("null"), 5000));
        assert!(!origin_allowed(Some("https://127.0.0.1:5000"), 5000));
        assert!(!origin_allowed(Some("http://127.0.0.1:5001"), 5000));
    }

    #[test]
    fn tokens() {
        assert!(token_ok(None, None));
        assert!(token_ok(Some("abc"), Some("abc")));
        assert!(!token_ok(Some("abc"), Some("abd")));
        assert!(!token_ok(Some("abc"), None));
        assert!(!token_ok(Some("abc"), Some("abcd")));
        let (a, b) = (make_token(), make_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_body(b"").ok(), Some(serde_json::json!({})));
        assert_eq!(parse_body(b"  \n").ok(), Some(serde_json::json!({})));
        assert!(parse_body(b"{\"a\":1}").is_ok());
        for bad in [&b"{"[..], b"[1]", b"3", b"null", b"\xff"] {
            let e = parse_body(bad).err();
            assert_eq!(e.map(|e| e.status()), Some(400));
        }
    }

    #[test]
    fn query_decoding() {
        let q = Some("x=1&session=sessions%2Fs001-a&y");
        assert_eq!(
            query_param(q, "session").as_deref(),
            Some("sessions/s001-a")
        );
        assert_eq!(query_param(q, "y").as_deref(), Some(""));
        assert_eq!(query_param(q, "z"), None);
        assert_eq!(
            query_param(Some("session=a%2"), "session").as_deref(),
            Some("a%2")
        );
    }
}
