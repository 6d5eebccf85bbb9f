//! Where the runtime's files live under a project, and the guard that keeps
//! caller-supplied ids (session ids, run ids) inside `.oxe/`.
//!
//! 1.4.0 joins these ids with `path.join`, which resolves `..`; an id such
//! as `../../etc` therefore escaped the project. We reject such ids with
//! `OXE_E_PATH` (docs/compat.md).

use std::path::{Path, PathBuf};

use crate::error::{OxeError, OxeResult};

/// Split `id` on `/` into path segments, rejecting anything that would
/// leave the directory it is joined to.
pub fn safe_segments<'a>(what: &str, id: &'a str) -> OxeResult<Vec<&'a str>> {
    if id.contains('\0') {
        return Err(OxeError::Path(format!("{what} {id:?} contains a NUL byte")));
    }
    if id.starts_with('/') || id.starts_with('\\') {
        return Err(OxeError::Path(format!(
            "{what} {id:?} is an absolute path; it must be relative to .oxe/"
        )));
    }
    let mut out = Vec::new();
    for seg in id.split(['/', '\\']) {
        match seg {
            "" | "." => continue,
            ".." => {
                return Err(OxeError::Path(format!(
                    "{what} {id:?} contains '..' and would leave .oxe/"
                )))
            }
            s => out.push(s),
        }
    }
    Ok(out)
}

fn join_id(base: PathBuf, what: &str, id: &str) -> OxeResult<PathBuf> {
    let mut p = base;
    for seg in safe_segments(what, id)? {
        p.push(seg);
    }
    Ok(p)
}

pub fn oxe_dir(root: &Path) -> PathBuf {
    root.join(".oxe")
}

/// The execution directory: `.oxe/` or `.oxe/<session>/execution/`.
pub fn execution_root(root: &Path, session: Option<&str>) -> OxeResult<PathBuf> {
    match session.filter(|s| !s.is_empty()) {
        Some(s) => Ok(join_id(oxe_dir(root), "sessionId", s)?.join("execution")),
        None => Ok(oxe_dir(root)),
    }
}

/// `.oxe/OXE-EVENTS.ndjson`, or `.oxe/<session>/execution/OXE-EVENTS.ndjson`.
pub fn events_path(root: &Path, session: Option<&str>) -> OxeResult<PathBuf> {
    Ok(execution_root(root, session)?.join("OXE-EVENTS.ndjson"))
}

/// `.oxe/runs/<runId>/`.
pub fn run_dir(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    if run_id.is_empty() {
        return Err(OxeError::Arg("runId must be a non-empty string".into()));
    }
    join_id(oxe_dir(root).join("runs"), "runId", run_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_paths() {
        let r = Path::new("/p");
        assert_eq!(
            events_path(r, None).unwrap(),
            PathBuf::from("/p/.oxe/OXE-EVENTS.ndjson")
        );
        assert_eq!(
            events_path(r, Some("")).unwrap(),
            PathBuf::from("/p/.oxe/OXE-EVENTS.ndjson")
        );
        assert_eq!(
            events_path(r, Some("sessions/s001-x")).unwrap(),
            PathBuf::from("/p/.oxe/sessions/s001-x/execution/OXE-EVENTS.ndjson")
        );
    }

    #[test]
    fn escapes_are_rejected() {
        let r = Path::new("/p");
        for bad in ["../x", "a/../../b", "/etc", "a\0b"] {
            let e = events_path(r, Some(bad)).unwrap_err();
            assert_eq!(e.code(), "OXE_E_PATH", "{bad}");
            assert_eq!(run_dir(r, bad).unwrap_err().code(), "OXE_E_PATH");
        }
        assert_eq!(run_dir(r, "").unwrap_err().code(), "OXE_E_ARG");
        assert_eq!(
            run_dir(r, "run-1").unwrap(),
            PathBuf::from("/p/.oxe/runs/run-1")
        );
    }
}
