//! Durable file I/O shared by every runtime area.
//!
//! * JSON files are replaced atomically: written to a hidden temp file in the
//!   same directory, fsynced, renamed over the target, and the directory is
//!   fsynced. A crash leaves either the old or the new file, never a mix.
//! * NDJSON appends are one `write(2)` of whole lines under an exclusive
//!   advisory lock (`flock` via fs4) on the file itself, so processes never
//!   interleave or tear lines; a tail left torn by a writer that died mid-line
//!   is closed with a `'\n'` before our line. Appends are fsynced when the
//!   durability is [`Durability::Strict`] or the caller asks for it.
//! * Reading never panics: a corrupt JSON file is moved aside to
//!   `<name>.corrupt-<epoch ms>` and reported as a [`Diagnostic`].
//! * [`with_lock`] serializes read-modify-write cycles of a JSON file across
//!   threads and processes through a `<path>.lock` sidecar.
//!
//! If the file system does not support `flock` (some network mounts), the
//! write still happens (unlocked, as 1.4.0 always does) and a
//! `OXE_W_LOCK_UNAVAILABLE` diagnostic is reported once per process.

mod append;
mod crash;
mod diag;
#[cfg(test)]
mod tests;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

use serde_json::Value;

use crate::jsjson;

pub use append::{append_line, append_lines};
pub use diag::{report, take_diagnostics, Diagnostic};

/// Diagnostic code: a JSON file could not be parsed and was moved aside.
pub const W_CORRUPT_FILE: &str = "OXE_W_CORRUPT_FILE";
/// Diagnostic code: an NDJSON line could not be parsed (used by readers).
pub const W_CORRUPT_LINE: &str = "OXE_W_CORRUPT_LINE";
/// Diagnostic code: an append cut away a line left incomplete by a crashed writer.
pub const W_TORN_TAIL: &str = "OXE_W_TORN_TAIL";
/// Diagnostic code: a file exists but could not be read.
pub const W_READ_FAILED: &str = "OXE_W_READ_FAILED";
/// Diagnostic code: advisory locking is not supported where the file lives.
pub const W_LOCK_UNAVAILABLE: &str = "OXE_W_LOCK_UNAVAILABLE";

/// Errors of the store. Every variant names the file it is about.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("I/O error on {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot lock {}: {source}", .path.display())]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid JSON in {}: {source}", .path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
}

impl StoreError {
    /// Builds an [`StoreError::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            StoreError::Io { path, .. }
            | StoreError::Lock { path, .. }
            | StoreError::Json { path, .. } => path,
        }
    }

    /// A stable error code for the JS side (`err.code`).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Io { .. } => "OXE_E_IO",
            StoreError::Lock { .. } => "OXE_E_LOCK",
            StoreError::Json { .. } => "OXE_E_JSON",
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |e| StoreError::io(path, e)
}

// ---------------------------------------------------------------- durability

/// How hard appends try to reach the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// fsync after every append.
    Strict,
    /// fsync appends only when asked (`sync`) or at run boundaries
    /// ([`sync_path`]). Atomic JSON writes are always fsynced.
    Normal,
}

const DUR_UNSET: u8 = 0;
const DUR_STRICT: u8 = 1;
const DUR_NORMAL: u8 = 2;
static DURABILITY_OVERRIDE: AtomicU8 = AtomicU8::new(DUR_UNSET);

/// Parses a durability name (`"strict"` or `"normal"`, case-insensitive,
/// surrounding blanks ignored).
pub fn parse_durability(s: &str) -> Option<Durability> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("strict") {
        Some(Durability::Strict)
    } else if s.eq_ignore_ascii_case("normal") {
        Some(Durability::Normal)
    } else {
        None
    }
}

/// The current durability: the value given to [`set_durability`] if any,
/// else `OXE_DURABILITY` from the environment (read on every call, so a
/// change of `process.env` is seen), else `Normal`. Unknown values mean
/// `Normal`.
pub fn durability() -> Durability {
    match DURABILITY_OVERRIDE.load(Ordering::Relaxed) {
        DUR_STRICT => Durability::Strict,
        DUR_NORMAL => Durability::Normal,
        _ => std::env::var_os("OXE_DURABILITY")
            .and_then(|v| v.to_str().and_then(parse_durability))
            .unwrap_or(Durability::Normal),
    }
}

/// Overrides the environment (`Some`) or goes back to it (`None`).
pub fn set_durability(d: Option<Durability>) {
    let v = match d {
        None => DUR_UNSET,
        Some(Durability::Strict) => DUR_STRICT,
        Some(Durability::Normal) => DUR_NORMAL,
    };
    DURABILITY_OVERRIDE.store(v, Ordering::Relaxed);
}

// ---------------------------------------------------------------- writes

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn ensure_parent(path: &Path) -> Result<(), StoreError> {
    let parent = parent_dir(path);
    fs::create_dir_all(parent).map_err(io_err(parent))
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::AtomicU64;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

fn temp_path_for(path: &Path) -> Result<PathBuf, StoreError> {
    let name = path.file_name().ok_or_else(|| {
        StoreError::io(
            path,
            io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"),
        )
    })?;
    // keep the temp name well under NAME_MAX
    let short: String = name.to_string_lossy().chars().take(96).collect();
    Ok(parent_dir(path).join(format!(
        ".{short}.{}.{:016x}.tmp",
        std::process::id(),
        random_u64()
    )))
}

/// fsync a directory so a rename in it is durable (best effort: some file
/// systems refuse to fsync directories; the rename itself already happened).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Replaces `path` with `bytes` atomically: `mkdir -p` of the parent, write
/// to a hidden temp file in the same directory, rename over `path`. A crash
/// at any instant leaves the old file or the new one, never a mix. With
/// `strict` durability the temp file is fsynced before the rename and the
/// directory after it, so the new file also survives a power loss. On
/// error the temp file is removed and the old file is untouched. An
/// existing file's permissions are kept (Unix).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let strict = durability() == Durability::Strict;
    ensure_parent(path)?;
    let tmp = temp_path_for(path)?;
    let result = (|| -> io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        #[cfg(unix)]
        if let Ok(meta) = fs::metadata(path) {
            if meta.is_file() {
                let _ = f.set_permissions(meta.permissions());
            }
        }
        f.write_all(bytes)?;
        if strict {
            f.sync_all()?;
        }
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::io(path, e));
    }
    if strict {
        sync_dir(parent_dir(path));
    }
    crash::after_write();
    Ok(())
}

/// [`write_atomic`] of `JSON.stringify(v, null, 2)` (no trailing newline).
pub fn write_json(path: &Path, v: &Value) -> Result<(), StoreError> {
    write_atomic(path, jsjson::to_pretty(v).as_bytes())
}

/// fsync `path` if it exists (file or directory).
pub fn sync_path(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    let opened = File::open(path);
    #[cfg(not(unix))]
    let opened = OpenOptions::new().write(true).open(path);
    match opened {
        Ok(f) => f.sync_all().map_err(io_err(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

// ---------------------------------------------------------------- reads

/// The file's text, `Ok(None)` if it does not exist. Invalid UTF-8 is
/// decoded lossily (U+FFFD), as `fs.readFileSync(p, 'utf8')` does.
pub fn read_text(path: &Path) -> Result<Option<String>, StoreError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes_to_string(bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

fn bytes_to_string(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The parsed JSON content of `path`; `None` if it does not exist or cannot
/// be read (reported as `OXE_W_READ_FAILED`). Content that is not valid JSON
/// (an empty file included) is moved aside to `<name>.corrupt-<epoch ms>`,
/// reported as `OXE_W_CORRUPT_FILE`, and `None` is returned. A leading UTF-8
/// BOM is tolerated. Never panics.
pub fn read_json(path: &Path) -> Option<Value> {
    let (bytes, identity) = match read_with_identity(path) {
        Ok(x) => x,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            report(Diagnostic::new(
                W_READ_FAILED,
                path,
                format!("cannot read {}: {e}", path.display()),
            ));
            return None;
        }
    };
    let text = bytes_to_string(bytes);
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match jsjson::parse(body) {
        Ok(v) => Some(v),
        Err(e) => {
            quarantine_checked(path, &format!("invalid JSON ({e})"), identity);
            None
        }
    }
}

/// Like [`read_json`], but returns the checked JSON text (BOM removed)
/// instead of a parsed value, for callers that parse it themselves (the JS
/// glue, with `JSON.parse`).
pub fn read_json_text(path: &Path) -> Option<String> {
    let (bytes, identity) = match read_with_identity(path) {
        Ok(x) => x,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            report(Diagnostic::new(
                W_READ_FAILED,
                path,
                format!("cannot read {}: {e}", path.display()),
            ));
            return None;
        }
    };
    let mut text = bytes_to_string(bytes);
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let valid = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok()
        || jsjson::parse(&text).is_ok();
    if valid {
        Some(text)
    } else {
        let why = jsjson::parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        quarantine_checked(path, &format!("invalid JSON ({why})"), identity);
        None
    }
}

/// A file's `(device, inode)`, to tell whether a path still names the file
/// that was opened or read (`None` where the platform has no such id).
pub type Identity = Option<(u64, u64)>;

#[cfg(unix)]
pub fn identity_of(meta: &fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn identity_of(_meta: &fs::Metadata) -> Identity {
    None
}

fn read_with_identity(path: &Path) -> io::Result<(Vec<u8>, Identity)> {
    use std::io::Read;
    let mut f = File::open(path)?;
    let meta = f.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    f.read_to_end(&mut bytes)?;
    Ok((bytes, identity_of(&meta)))
}

/// Moves a corrupt file aside to `<name>.corrupt-<epoch ms>` in the same
/// directory (with `-1`, `-2`… appended if that name is taken) and reports an
/// `OXE_W_CORRUPT_FILE` diagnostic. Returns the new path; `None` if the file
/// does not exist or could not be moved (the failure is reported too).
pub fn quarantine(path: &Path, reason: &str) -> Option<PathBuf> {
    quarantine_checked(path, reason, None)
}

/// As [`quarantine`]; with `expected`, only if `path` is still the file that
/// was found corrupt (another process may have replaced it meanwhile).
fn quarantine_checked(path: &Path, reason: &str, expected: Identity) -> Option<PathBuf> {
    if expected.is_some() {
        match fs::metadata(path) {
            Ok(meta) if identity_of(&meta) == expected => {}
            // replaced (or removed) since we read it: nothing to move
            _ => return None,
        }
    }
    let name = path.file_name()?.to_string_lossy().into_owned();
    let dir = parent_dir(path);
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let mut target = dir.join(format!("{name}.corrupt-{ms}"));
    let mut n = 0u32;
    while target.exists() && n < 1000 {
        n += 1;
        target = dir.join(format!("{name}.corrupt-{ms}-{n}"));
    }
    match fs::rename(path, &target) {
        Ok(()) => {
            sync_dir(dir);
            report(Diagnostic::new(
                W_CORRUPT_FILE,
                path,
                format!("{reason}; moved aside to {}", target.display()),
            ));
            Some(target)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => {
            report(Diagnostic::new(
                W_CORRUPT_FILE,
                path,
                format!("{reason}; could not move it aside: {e}"),
            ));
            None
        }
    }
}

// ---------------------------------------------------------------- locks

/// Takes an exclusive `flock`, retrying on EINTR.
fn lock_exclusive(file: &File) -> io::Result<()> {
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

/// Reports (once per process) that locking is unavailable.
fn report_lock_unavailable(path: &Path, e: &io::Error) {
    use std::sync::atomic::AtomicBool;
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if !REPORTED.swap(true, Ordering::Relaxed) {
        report(Diagnostic::new(
            W_LOCK_UNAVAILABLE,
            path,
            format!("file locking is not available ({e}); continuing without it"),
        ));
    }
}

fn lock_path_for(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

thread_local! {
    static HELD_LOCKS: std::cell::RefCell<Vec<PathBuf>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct HeldLock {
    key: PathBuf,
    file: Option<File>,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            unlock(&f);
        }
        let _ = HELD_LOCKS.try_with(|h| {
            let mut h = h.borrow_mut();
            if let Some(i) = h.iter().rposition(|p| *p == self.key) {
                h.remove(i);
            }
        });
    }
}

/// Runs `f` while holding an exclusive lock on the sidecar `<path>.lock`
/// (created if needed, never deleted), so a read-modify-write of `path` is
/// atomic across threads and processes. Re-entrant on the same thread: a
/// nested `with_lock` on the same path just runs its closure. The lock is
/// released when `f` returns or panics.
pub fn with_lock<T>(
    path: &Path,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let lock_path = lock_path_for(path);
    let key = std::path::absolute(&lock_path).unwrap_or_else(|_| lock_path.clone());
    let reentrant = HELD_LOCKS
        .try_with(|h| h.borrow().contains(&key))
        .unwrap_or(false);
    if reentrant {
        return f();
    }
    ensure_parent(&lock_path)?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| StoreError::Lock {
            path: lock_path.clone(),
            source: e,
        })?;
    let file = match lock_exclusive(&file) {
        Ok(()) => Some(file),
        Err(e) => {
            report_lock_unavailable(&lock_path, &e);
            None
        }
    };
    let _ = HELD_LOCKS.try_with(|h| h.borrow_mut().push(key.clone()));
    let _guard = HeldLock { key, file };
    f()
}

/// A fast non-cryptographic hash of some bytes (8 at a time), used by the
/// in-process caches to notice that a file's content changed.
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0x243F_6A88_85A3_08D3 ^ (bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K);
        h ^= h >> 29;
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K);
        h ^= h >> 29;
    }
    h
}
