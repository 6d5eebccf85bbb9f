//! The audit trail's appender: like `store::append_line` (whole lines, one
//! `write(2)` under an exclusive `flock` on the file, torn tails cut, fsync
//! under strict durability), plus the hash chain: the previous line's hash
//! is read *under the same lock* as the append, so concurrent writers (in
//! this process or others) always extend one chain. `store::append_line`
//! cannot run code inside its lock, hence this small sibling.
//!
//! The open handle, the file's size and its last line's hash are kept per
//! path; another writer's append (a different size) or a replaced file (a
//! different inode) makes us read the tail again.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::chain::{last_complete_line, last_line_end, line_hash, GENESIS};
use crate::store::{self, Durability, StoreError};

struct Writer {
    file: File,
    identity: Option<(u64, u64)>,
    /// Size after our last append, and the hash of the line it ends with.
    len: u64,
    tip: String,
}

/// Open trail writers by path; the mutex also serializes this process's
/// threads (`flock` only separates open file descriptions).
static WRITERS: Mutex<Option<HashMap<PathBuf, Writer>>> = Mutex::new(None);

fn lock(file: &File) -> io::Result<()> {
    loop {
        match fs4::fs_std::FileExt::lock_exclusive(file) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn unlock(file: &File) {
    let _ = fs4::fs_std::FileExt::unlock(file);
}

fn open(path: &Path) -> io::Result<Writer> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    let identity = file
        .metadata()
        .ok()
        .and_then(|m| crate::store::identity_of(&m));
    Ok(Writer {
        file,
        identity,
        // unknown: the first append reads the tail
        len: u64::MAX,
        tip: String::new(),
    })
}

/// Appends `make_line(prev_hash)` + `\n` to the trail at `path`, where
/// `prev_hash` is the hash of the file's last complete line ([`GENESIS`]
/// for an empty file). Returns the line.
pub fn append_chained(
    path: &Path,
    make_line: impl Fn(&str) -> String,
) -> Result<String, StoreError> {
    let err = |e: io::Error| StoreError::io(path, e);
    let mut writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
    let map = writers.get_or_insert_with(HashMap::new);
    for attempt in 0..8 {
        let mut w = match map.remove(path) {
            Some(w) => w,
            None => open(path).map_err(err)?,
        };
        let locked = match lock(&w.file) {
            Ok(()) => true,
            Err(e) => {
                store::report(store::Diagnostic::new(
                    store::W_LOCK_UNAVAILABLE,
                    path,
                    format!("file locking is not available ({e}); continuing without it"),
                ));
                false
            }
        };
        // the file may have been replaced or removed since we opened it
        let meta = match fs::metadata(path) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => {
                if locked {
                    unlock(&w.file);
                }
                return Err(err(e));
            }
        };
        let current = meta
            .as_ref()
            .is_some_and(|m| w.identity.is_some() && crate::store::identity_of(m) == w.identity);
        if !current && attempt < 7 {
            if locked {
                unlock(&w.file);
            }
            continue; // `w` is dropped: reopen
        }
        let result = append_locked(path, &mut w, meta.map_or(0, |m| m.len()), &make_line);
        if locked {
            unlock(&w.file);
        }
        if result.is_ok() {
            if map.len() >= 64 {
                map.clear();
            }
            map.insert(path.to_path_buf(), w);
        }
        return result.map_err(err);
    }
    Err(err(io::Error::other("the trail kept being replaced")))
}

fn append_locked(
    path: &Path,
    w: &mut Writer,
    len: u64,
    make_line: &impl Fn(&str) -> String,
) -> io::Result<String> {
    let mut len = len;
    if len != w.len {
        // someone else wrote (or this is our first append): read the tail
        let end = last_line_end(&w.file, len)?;
        if end != len {
            w.file.set_len(end)?;
            store::report(store::Diagnostic::new(
                store::W_TORN_TAIL,
                path,
                format!(
                    "{}: dropped {} bytes of a line left incomplete by a crashed writer",
                    path.display(),
                    len - end
                ),
            ));
            len = end;
        }
        w.tip = match last_complete_line(&w.file, len)? {
            Some(line) => line_hash(&line),
            None => GENESIS.to_string(),
        };
    }
    let line = make_line(&w.tip);
    let mut payload = Vec::with_capacity(line.len() + 1);
    payload.extend_from_slice(line.as_bytes());
    payload.push(b'\n');
    if let Err(e) = (&w.file).write_all(&payload) {
        // cut a partial write back (nobody else writes while we hold the lock)
        let _ = w.file.set_len(len);
        w.len = u64::MAX;
        return Err(e);
    }
    if store::durability() == Durability::Strict {
        w.file.sync_data()?;
    }
    w.len = len + payload.len() as u64;
    w.tip = line_hash(line.as_bytes());
    Ok(line)
}
