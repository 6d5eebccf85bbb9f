//! Writes that only happen when bytes change, and removal of rendered
//! files the sources no longer produce.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use oxe_runtime::store::{write_atomic, StoreError};

/// Counts of what one render did.
#[derive(Debug, Default)]
pub struct Sync {
    pub written: u32,
    pub unchanged: u32,
    pub removed: u32,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::io(path, e)
}

impl Sync {
    /// Writes `bytes` to `dst` unless it already holds exactly them.
    pub fn put(&mut self, dst: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        if fs::read(dst).is_ok_and(|old| old == bytes) {
            self.unchanged += 1;
            return Ok(());
        }
        if dst.is_dir() {
            fs::remove_dir_all(dst).map_err(io(dst))?;
        }
        write_atomic(dst, bytes)?;
        self.written += 1;
        Ok(())
    }

    fn remove(&mut self, path: &Path) -> Result<(), StoreError> {
        if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(path).map_err(io(path))?;
        } else {
            fs::remove_file(path).map_err(io(path))?;
        }
        self.removed += 1;
        Ok(())
    }

    /// Makes `dst` an exact copy of the tree `src` (files and folders not in
    /// `src` are removed). A missing `src` removes `dst`.
    pub fn mirror_dir(&mut self, src: &Path, dst: &Path) -> Result<(), StoreError> {
        if !src.is_dir() {
            if dst.exists() {
                self.remove(dst)?;
            }
            return Ok(());
        }
        if dst.exists() && !dst.is_dir() {
            self.remove(dst)?;
        }
        fs::create_dir_all(dst).map_err(io(dst))?;
        let mut keep = BTreeSet::new();
        let mut entries: Vec<_> = fs::read_dir(src)
            .map_err(io(src))?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            let (from, to) = (src.join(&name), dst.join(&name));
            if from.is_dir() {
                self.mirror_dir(&from, &to)?;
            } else {
                let bytes = fs::read(&from).map_err(io(&from))?;
                self.put(&to, &bytes)?;
            }
            keep.insert(name);
        }
        let stale: Vec<_> = fs::read_dir(dst)
            .map_err(io(dst))?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .filter(|n| !keep.contains(n))
            .collect();
        for n in stale {
            self.remove(&dst.join(n))?;
        }
        Ok(())
    }

    /// Writes `files` into `dir` and removes every other file of `dir`
    /// that `owned` claims (files it does not claim are left alone).
    pub fn replace_owned(
        &mut self,
        dir: &Path,
        files: &[(String, String)],
        owned: impl Fn(&str) -> bool,
    ) -> Result<(), StoreError> {
        let names: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        if dir.is_dir() {
            let stale: Vec<String> = fs::read_dir(dir)
                .map_err(io(dir))?
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| owned(n) && !names.contains(n.as_str()))
                .collect();
            for n in stale {
                self.remove(&dir.join(n))?;
            }
        }
        for (name, content) in files {
            self.put(&dir.join(name), content.as_bytes())?;
        }
        Ok(())
    }

    /// Copies one file when its source exists (a copy is never removed:
    /// the destination may be a file someone keeps by hand).
    pub fn copy_file(&mut self, src: &Path, dst: &Path) -> Result<(), StoreError> {
        match fs::read(src) {
            Ok(bytes) => self.put(dst, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(src, e)),
        }
    }
}
