//! Whole-line, cross-process-safe NDJSON appends with a small cache of open
//! handles.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{
    durability, ensure_parent, identity_of, io_err, lock_exclusive, report_lock_unavailable,
    unlock, Durability, Identity, StoreError,
};

/// Appends `line` + `"\n"` to `path` as one write under an exclusive
/// advisory lock on the file, so concurrent processes never interleave or
/// tear lines. Creates the parent directories and the file. If the file does
/// not end with `'\n'` (a writer died mid-line), a `'\n'` is written first so
/// our line stays whole. fsyncs when `sync` is true or the durability is
/// [`Durability::Strict`]. `line` must not contain `'\n'` itself (JSON from
/// `jsjson::to_line` never does).
pub fn append_line(path: &Path, line: &str, sync: bool) -> Result<(), StoreError> {
    let mut payload = Vec::with_capacity(line.len() + 1);
    payload.extend_from_slice(line.as_bytes());
    payload.push(b'\n');
    append_payload(path, &payload, sync)
}

/// Appends many lines in one locked write (same rules as [`append_line`]).
/// An empty slice does nothing.
pub fn append_lines(path: &Path, lines: &[String], sync: bool) -> Result<(), StoreError> {
    if lines.is_empty() {
        return Ok(());
    }
    let total = lines.iter().map(|l| l.len() + 1).sum();
    let mut payload = Vec::with_capacity(total);
    for line in lines {
        payload.extend_from_slice(line.as_bytes());
        payload.push(b'\n');
    }
    append_payload(path, &payload, sync)
}

struct Appender {
    file: File,
    identity: Identity,
    /// File length right after our last write: when the file still has
    /// that length, nobody wrote since and its tail is our whole line.
    end: Option<u64>,
}

impl Appender {
    fn open(path: &Path) -> Result<Appender, StoreError> {
        ensure_parent(path)?;
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err(path))?;
        let identity = file.metadata().ok().and_then(|m| identity_of(&m));
        Ok(Appender {
            file,
            identity,
            end: None,
        })
    }

    /// Is `path` still the file this handle has open (not deleted, not
    /// replaced by a rename)? Always false where identities are unknown, so
    /// such platforms simply reopen on every append.
    fn is_current(&self, path: &Path) -> bool {
        self.identity.is_some()
            && fs::metadata(path).ok().and_then(|m| identity_of(&m)) == self.identity
    }
}

type Slot = Arc<Mutex<Option<Appender>>>;

/// Open handles by path. Each slot's mutex also serializes the threads of
/// this process (`flock` only separates open file descriptions).
static CACHE: OnceLock<Mutex<HashMap<PathBuf, Slot>>> = OnceLock::new();
const MAX_CACHED: usize = 64;

fn slot_for(path: &Path) -> Slot {
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(slot) = map.get(path) {
        return Arc::clone(slot);
    }
    if map.len() >= MAX_CACHED {
        // drop the handles nobody is using right now
        map.retain(|_, slot| Arc::strong_count(slot) > 1);
    }
    let slot = Slot::default();
    map.insert(path.to_path_buf(), Arc::clone(&slot));
    slot
}

fn append_payload(path: &Path, payload: &[u8], sync: bool) -> Result<(), StoreError> {
    let sync = sync || durability() == Durability::Strict;
    let slot = slot_for(path);
    let mut cached = slot.lock().unwrap_or_else(|e| e.into_inner());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut app = match cached.take() {
            Some(a) => a,
            None => Appender::open(path)?,
        };
        let locked = match lock_exclusive(&app.file) {
            Ok(()) => true,
            Err(e) => {
                report_lock_unavailable(path, &e);
                false
            }
        };
        // The file may have been replaced or removed between open and lock:
        // then our handle points at a dead inode; reopen and try again.
        if app.identity.is_some() && attempt < 8 && !app.is_current(path) {
            if locked {
                unlock(&app.file);
            }
            continue;
        }
        let result = write_whole(path, &app.file, app.end, payload, sync);
        if locked {
            unlock(&app.file);
        }
        return match result {
            Ok(end) => {
                app.end = Some(end);
                *cached = Some(app);
                drop(cached);
                super::crash::after_write();
                Ok(())
            }
            Err(e) => Err(StoreError::io(path, e)),
        };
    }
}

/// Writes `payload` at the end of `file` (opened in append mode, lock held).
/// A torn tail (a writer died mid-line) is cut back to the last whole line
/// first: those bytes were never acknowledged to anyone. On a failed write
/// the file is cut back to its old length when nobody else wrote meanwhile.
fn write_whole(
    path: &Path,
    file: &File,
    known_end: Option<u64>,
    payload: &[u8],
    sync: bool,
) -> io::Result<u64> {
    let mut len = file.metadata()?.len();
    if len > 0 && known_end != Some(len) && last_byte(file, len)? != b'\n' {
        let keep = last_line_end(file, len)?;
        file.set_len(keep)?;
        crate::store::report(crate::store::Diagnostic::new(
            crate::store::W_TORN_TAIL,
            path,
            format!(
                "{}: dropped {} bytes of a line left incomplete by a crashed writer",
                path.display(),
                len - keep
            ),
        ));
        len = keep;
    }
    let buf: &[u8] = payload;
    let mut w = file;
    let mut written = 0usize;
    while written < buf.len() {
        let rest = buf.get(written..).unwrap_or_default();
        match w.write(rest) {
            Ok(0) => {
                rollback(file, len, written);
                return Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "the file accepted no more bytes",
                ));
            }
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                rollback(file, len, written);
                return Err(e);
            }
        }
    }
    if sync {
        file.sync_data()?;
    }
    Ok(len + written as u64)
}

fn rollback(file: &File, old_len: u64, written: usize) {
    if written == 0 {
        return;
    }
    if let Ok(meta) = file.metadata() {
        if meta.len() == old_len + written as u64 {
            let _ = file.set_len(old_len);
        }
    }
}

/// Offset just past the last `'\n'` before `len` (0 when there is none).
fn last_line_end(file: &File, len: u64) -> io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = len;
    let mut buf = vec![0u8; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let n = (end - start) as usize;
        let part = buf.get_mut(..n).unwrap_or_default();
        read_at(file, part, start)?;
        if let Some(i) = part.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        let n = file.seek_read(&mut buf[done..], offset + done as u64)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_file: &File, _buf: &mut [u8], _offset: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(unix)]
fn last_byte(file: &File, len: u64) -> io::Result<u8> {
    use std::os::unix::fs::FileExt;
    let mut b = [0u8; 1];
    file.read_exact_at(&mut b, len - 1)?;
    Ok(b[0])
}

#[cfg(windows)]
fn last_byte(file: &File, len: u64) -> io::Result<u8> {
    use std::os::windows::fs::FileExt;
    let mut b = [0u8; 1];
    match file.seek_read(&mut b, len - 1)? {
        1 => Ok(b[0]),
        _ => Ok(b'\n'),
    }
}

#[cfg(not(any(unix, windows)))]
fn last_byte(_file: &File, _len: u64) -> io::Result<u8> {
    Ok(b'\n')
}
