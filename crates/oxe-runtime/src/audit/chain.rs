//! The hash chain that makes the audit trail tamper-evident (beyond 1.4.0).
//!
//! Every line we append carries, in an extra last field `prev_hash`, the
//! SHA-256 (hex) of the exact bytes of the previous non-empty line, or
//! [`GENESIS`] for the first line of the file. 1.4.0 readers ignore the
//! field. A trail that 1.4.0 started (lines without the field) is a legacy
//! prefix: the first hashed line links to its last line, and [`verify`]
//! accepts it as unverified history.

use std::fs::File;
use std::io;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::jsjson;

/// The name of the field that holds the previous line's hash.
pub const HASH_FIELD: &str = "prev_hash";
/// `prev_hash` of the first line of a trail.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hex SHA-256 of a line's bytes (without its `\n`).
pub fn line_hash(line: &[u8]) -> String {
    let digest = Sha256::digest(line);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// Reads `buf.len()` bytes of `file` at `offset`.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

/// Offset just past the last `\n` among the first `len` bytes (0 when
/// there is none): where a torn tail starts.
pub fn last_line_end(file: &File, len: u64) -> io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let mut buf = vec![0u8; (end - start) as usize];
        read_at(file, &mut buf, start)?;
        if let Some(i) = buf.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// The last non-empty line among the first `len` bytes of `file` that ends
/// with `\n` (a torn tail left by a crashed writer does not count).
pub fn last_complete_line(file: &File, len: u64) -> io::Result<Option<Vec<u8>>> {
    const CHUNK: u64 = 64 * 1024;
    // bytes read so far: `buf` holds the file from `start` to `len`
    let mut buf: Vec<u8> = Vec::new();
    let mut start = len;
    loop {
        if let Some(nl) = buf.iter().rposition(|&b| b == b'\n') {
            // `end`: index of the `\n` closing the candidate line
            let mut end = nl;
            loop {
                let line_start = buf
                    .get(..end)
                    .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
                    .map(|i| i + 1);
                match line_start {
                    Some(s) if s < end => return Ok(buf.get(s..end).map(<[u8]>::to_vec)),
                    // an empty line: look further back
                    Some(s) => end = s - 1,
                    None if start == 0 => {
                        return Ok(if end > 0 {
                            buf.get(..end).map(<[u8]>::to_vec)
                        } else {
                            None
                        });
                    }
                    // the line starts before what was read
                    None => break,
                }
            }
        } else if start == 0 {
            return Ok(None);
        }
        let from = start.saturating_sub(CHUNK);
        let mut chunk = vec![0u8; (start - from) as usize];
        read_at(file, &mut chunk, from)?;
        chunk.extend_from_slice(&buf);
        buf = chunk;
        start = from;
    }
}

/// The first link of the chain that does not hold.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenLink {
    /// 1-based line number in the file.
    pub line: usize,
    pub audit_id: Option<Value>,
    pub reason: String,
    pub expected_prev_hash: Option<String>,
    pub found_prev_hash: Option<Value>,
}

/// What [`verify_text`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainReport {
    /// Non-empty lines.
    pub total_entries: usize,
    /// Lines carrying a hash.
    pub chained_entries: usize,
    /// Lines before the first hashed one (written by 1.4.0).
    pub legacy_entries: usize,
    pub first_broken: Option<BrokenLink>,
}

impl ChainReport {
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("ok".into(), Value::Bool(self.first_broken.is_none()));
        m.insert(
            "total_entries".into(),
            Value::from(self.total_entries as u64),
        );
        m.insert(
            "chained_entries".into(),
            Value::from(self.chained_entries as u64),
        );
        m.insert(
            "legacy_entries".into(),
            Value::from(self.legacy_entries as u64),
        );
        m.insert(
            "first_broken".into(),
            match &self.first_broken {
                None => Value::Null,
                Some(b) => {
                    let mut o = Map::new();
                    o.insert("line".into(), Value::from(b.line as u64));
                    o.insert("audit_id".into(), b.audit_id.clone().unwrap_or(Value::Null));
                    o.insert("reason".into(), Value::String(b.reason.clone()));
                    o.insert(
                        "expected_prev_hash".into(),
                        b.expected_prev_hash
                            .clone()
                            .map_or(Value::Null, Value::String),
                    );
                    o.insert(
                        "found_prev_hash".into(),
                        b.found_prev_hash.clone().unwrap_or(Value::Null),
                    );
                    Value::Object(o)
                }
            },
        );
        Value::Object(m)
    }
}

/// Walks every line of a trail and reports the first broken link: a line
/// that does not parse, a `prev_hash` that is not the hash of the previous
/// non-empty line, or a line without a hash after the chain has started
/// (a removed or rewritten field). A last line without `\n` counts as a
/// line.
pub fn verify_text(text: &str) -> ChainReport {
    let mut report = ChainReport {
        total_entries: 0,
        chained_entries: 0,
        legacy_entries: 0,
        first_broken: None,
    };
    let mut expected = GENESIS.to_string();
    let mut started = false;
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        report.total_entries += 1;
        if report.first_broken.is_some() {
            continue;
        }
        let broken = |reason: &str,
                      id: Option<&Value>,
                      found: Option<&Value>,
                      exp: Option<&str>| BrokenLink {
            line: i + 1,
            audit_id: id.cloned(),
            reason: reason.to_string(),
            expected_prev_hash: exp.map(str::to_string),
            found_prev_hash: found.cloned(),
        };
        let parsed = jsjson::parse(line);
        let obj = match &parsed {
            Ok(Value::Object(m)) => m,
            _ => {
                report.first_broken = Some(broken("unparsable line", None, None, None));
                continue;
            }
        };
        let id = obj.get("audit_id");
        match obj.get(HASH_FIELD) {
            Some(found) => {
                report.chained_entries += 1;
                started = true;
                if found.as_str() != Some(expected.as_str()) {
                    report.first_broken = Some(broken(
                        "prev_hash does not match the previous entry",
                        id,
                        Some(found),
                        Some(&expected),
                    ));
                }
            }
            None if started => {
                report.first_broken = Some(broken(
                    "entry has no prev_hash after the chain started",
                    id,
                    None,
                    Some(&expected),
                ));
            }
            None => report.legacy_entries += 1,
        }
        expected = line_hash(line.as_bytes());
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            line_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(GENESIS.len(), 64);
    }

    #[test]
    fn last_line_skips_torn_and_empty_tails() {
        let d = std::env::temp_dir().join(format!(
            "oxe-chain-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("t.ndjson");
        let last = |content: &str| {
            std::fs::write(&p, content).unwrap();
            let f = File::open(&p).unwrap();
            let len = f.metadata().unwrap().len();
            (
                last_complete_line(&f, len).unwrap(),
                last_line_end(&f, len).unwrap(),
            )
        };
        assert_eq!(last(""), (None, 0));
        assert_eq!(last("a\nbb\n\n{torn"), (Some(b"bb".to_vec()), 6));
        assert_eq!(last("only\n"), (Some(b"only".to_vec()), 5));
        assert_eq!(last("\n\n"), (None, 2));
        let long = "x".repeat(200_000);
        let (line, end) = last(&format!("a\n{long}\ntorn"));
        assert_eq!(line.map(|v| v.len()), Some(200_000));
        assert_eq!(end, 200_003);
    }

    #[test]
    fn verify_finds_the_first_broken_link() {
        let l1 = r#"{"audit_id":"aud-1"}"#;
        let l2 = format!(
            r#"{{"audit_id":"aud-2","prev_hash":"{}"}}"#,
            line_hash(l1.as_bytes())
        );
        let l3 = format!(
            r#"{{"audit_id":"aud-3","prev_hash":"{}"}}"#,
            line_hash(l2.as_bytes())
        );
        let good = format!("{l1}\n{l2}\n{l3}\n");
        let r = verify_text(&good);
        assert_eq!(
            (r.total_entries, r.chained_entries, r.legacy_entries),
            (3, 2, 1)
        );
        assert!(r.first_broken.is_none());
        // tampering with line 2 breaks the link stored in line 3
        let bad = good.replace("aud-2", "aud-X");
        let r = verify_text(&bad);
        assert_eq!(r.first_broken.as_ref().map(|b| b.line), Some(3));
        // removing line 2 breaks it too
        let r = verify_text(&format!("{l1}\n{l3}\n"));
        assert_eq!(r.first_broken.as_ref().map(|b| b.line), Some(2));
        // an unhashed line after the chain started
        let r = verify_text(&format!("{l1}\n{l2}\n{l1}\n"));
        assert_eq!(
            r.first_broken.map(|b| b.reason),
            Some("entry has no prev_hash after the chain started".to_string())
        );
        let r = verify_text("{oops\n");
        assert_eq!(
            r.first_broken.map(|b| b.reason),
            Some("unparsable line".to_string())
        );
    }
}
