//! `GitWorktreeManager`: each attempt gets its own git worktree at
//! `<root>/.oxe/workspaces/ws-<wi>-a<n>`, checked out on a new branch
//! `oxe/<wi>-attempt<n>` that starts at the project's `HEAD`.
//!
//! All repository work goes through libgit2 (the `git2` crate); no `git`
//! process is spawned. Worktrees are registered under the name of their
//! directory, as `git worktree add` does, so the `git` CLI sees and manages
//! them normally.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{
    BranchType, ObjectType, Repository, ResetType, WorktreeAddOptions, WorktreePruneOptions,
};
use serde_json::Value;

use super::{new_snapshot_id, snapshot_ref, template_part, ws_error, Lease, RequestIds, ISOLATED};
use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::store::StoreError;

pub const STRATEGY: &str = "git_worktree";
pub const ISOLATION_LEVEL: &str = ISOLATED;
pub const TTL_MINUTES: u32 = 45;

const WHO: &str = "GitWorktreeManager";

/// `ws-<wi>-a<n>`.
pub fn workspace_id(ids: &RequestIds) -> String {
    format!("ws-{}-a{}", ids.work_item_id, ids.attempt_number)
}

/// `oxe/<wi>-attempt<n>`.
pub fn branch_name(ids: &RequestIds) -> String {
    format!("oxe/{}-attempt{}", ids.work_item_id, ids.attempt_number)
}

fn is_sep(c: char) -> bool {
    c == '/' || (cfg!(windows) && c == '\\')
}

/// `path.join(root, ...parts)`: joined with the platform separator and
/// normalized (`.` and empty segments dropped, `..` folded).
pub fn join_normalized(root: &str, parts: &[&str]) -> String {
    let sep = std::path::MAIN_SEPARATOR;
    let mut joined = root.to_string();
    for p in parts {
        if !joined.is_empty() {
            joined.push(sep);
        }
        joined.push_str(p);
    }
    let absolute = joined.starts_with(is_sep);
    let mut segs: Vec<&str> = Vec::new();
    for seg in joined.split(is_sep) {
        match seg {
            "" | "." => {}
            ".." => match segs.last() {
                Some(last) if *last != ".." => {
                    segs.pop();
                }
                _ if absolute => {}
                _ => segs.push(".."),
            },
            s => segs.push(s),
        }
    }
    let body = segs.join(&sep.to_string());
    match (absolute, body.is_empty()) {
        (true, _) => format!("{sep}{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// `<root>/.oxe/workspaces/<wsId>`, after checking that the id cannot
/// leave `.oxe/workspaces/` (1.4.0 joins it unchecked).
pub fn worktree_path(project_root: &str, ws_id: &str) -> OxeResult<String> {
    if ws_id.contains('\0') || ws_id.split(is_sep).any(|s| s == "..") {
        return Err(OxeError::Path(format!(
            "{WHO}.allocate: workspace id {ws_id:?} would place the worktree outside .oxe/workspaces/; \
             work_item_id must not contain '..' path segments or NUL bytes"
        )));
    }
    Ok(join_normalized(
        project_root,
        &[".oxe", "workspaces", ws_id],
    ))
}

fn fs_path(p: &str) -> &Path {
    if p.is_empty() {
        Path::new(".")
    } else {
        Path::new(p)
    }
}

fn repo_name(repo: &Repository) -> String {
    repo.workdir()
        .unwrap_or_else(|| repo.path())
        .display()
        .to_string()
}

/// The repository that contains the project root (found upward, as `git`
/// run in that directory finds it).
fn open_project(project_root: &str, op: &str) -> OxeResult<Repository> {
    Repository::discover(fs_path(project_root)).map_err(|e| {
        ws_error(format!(
            "{WHO}.{op}: {project_root:?} is not inside a git repository ({})",
            e.message()
        ))
    })
}

/// The repository of a worktree, opened at exactly that directory: a
/// missing or foreign directory is an error rather than a reason to walk
/// up into the project's own repository.
fn open_worktree(root: &str, op: &str, id: &str) -> OxeResult<Repository> {
    Repository::open(fs_path(root)).map_err(|e| {
        ws_error(format!(
            "{WHO}.{op}: workspace {id} at {root:?} is not a git worktree ({})",
            e.message()
        ))
    })
}

fn head_commit<'r>(repo: &'r Repository, op: &str) -> OxeResult<git2::Commit<'r>> {
    repo.head().and_then(|h| h.peel_to_commit()).map_err(|e| {
        ws_error(format!(
            "{WHO}.{op}: cannot resolve HEAD in {} ({}); the repository needs at least one commit",
            repo_name(repo),
            e.message()
        ))
    })
}

/// The manager's `projectRoot`, which must be a string to allocate
/// (1.4.0's `path.join` throws a TypeError otherwise).
pub fn project_root_arg(root: Option<&Value>) -> OxeResult<&str> {
    match root {
        Some(Value::String(s)) => Ok(s),
        other => Err(OxeError::Arg(format!(
            "{WHO}: projectRoot must be a string, got {}",
            other.map_or("undefined", super::kind_of)
        ))),
    }
}

/// `allocate(req)`: resolve `HEAD`, create the branch there and add the
/// worktree on it. On failure nothing is left behind (no branch, no
/// half-registered worktree).
pub fn allocate(project_root: &str, req: &Value) -> OxeResult<Value> {
    let ids = RequestIds::from_request("GitWorktreeManager.allocate", req)?;
    let ws_id = workspace_id(&ids);
    let branch = branch_name(&ids);
    let path = worktree_path(project_root, &ws_id)?;

    let repo = open_project(project_root, "allocate")?;
    let head = head_commit(&repo, "allocate")?;
    let base_commit = head.id().to_string();

    let wt_dir = PathBuf::from(fs_path(&path));
    if let Some(parent) = wt_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
    }
    add_worktree(&repo, &wt_dir, &branch, &head)?;

    Ok(Lease {
        workspace_id: ws_id,
        strategy: STRATEGY,
        isolation_level: ISOLATION_LEVEL,
        branch: Some(branch),
        base_commit: Some(base_commit),
        root_path: Some(Value::String(path)),
        ttl_minutes: TTL_MINUTES,
    }
    .to_value())
}

/// `git worktree add <dir> -b <branch>` from `head`.
fn add_worktree(repo: &Repository, dir: &Path, branch: &str, head: &git2::Commit) -> OxeResult<()> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            ws_error(format!(
                "{WHO}.allocate: bad worktree path {}",
                dir.display()
            ))
        })?
        .to_string();
    let fail = |what: String, e: &git2::Error| {
        ws_error(format!(
            "{WHO}.allocate: {what} in {} ({})",
            repo_name(repo),
            e.message()
        ))
    };

    // `git worktree add` accepts an existing empty directory; libgit2 wants
    // to create it, so an empty leftover is removed first.
    if fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none()) {
        let _ = fs::remove_dir(dir);
    }
    if dir.exists() {
        return Err(ws_error(format!(
            "{WHO}.allocate: {} already exists; dispose the workspace or remove it first",
            dir.display()
        )));
    }
    let admin = repo.commondir().join("worktrees").join(&name);
    if admin.exists() {
        return Err(ws_error(format!(
            "{WHO}.allocate: a worktree named {name:?} is already registered in {} \
             (see `git worktree list`; `git worktree prune` clears stale entries)",
            repo_name(repo)
        )));
    }

    let mut created = repo.branch(branch, head, false).map_err(|e| {
        fail(
            format!("cannot create branch {branch} at {}", head.id()),
            &e,
        )
    })?;
    let added = {
        let mut opts = WorktreeAddOptions::new();
        opts.reference(Some(created.get()));
        repo.worktree(&name, dir, Some(&opts))
    };
    match added {
        Ok(_) => Ok(()),
        Err(e) => {
            // Roll back what libgit2 may have created before failing.
            let _ = fs::remove_dir_all(&admin);
            let _ = fs::remove_dir_all(dir);
            let _ = created.delete();
            Err(fail(
                format!("cannot add worktree {} on branch {branch}", dir.display()),
                &e,
            ))
        }
    }
}

/// The lease's `root_path` when it is a non-empty string.
fn lease_root(lease: &Value) -> Option<&str> {
    lease
        .get("root_path")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// `snapshot(id)`: the commit the worktree's `HEAD` points at. An unknown
/// id (no lease, or a lease without a root path) is `Workspace <id> not found`.
pub fn snapshot(id: Option<&Value>, lease: &Value) -> OxeResult<Value> {
    let id_text = template_part(id);
    let root_value = lease.get("root_path").filter(|v| jsjson::truthy(v));
    let Some(root_value) = root_value else {
        return Err(ws_error(format!("Workspace {id_text} not found")));
    };
    let root = root_value.as_str().ok_or_else(|| {
        OxeError::Arg(format!(
            "{WHO}.snapshot: workspace {id_text} has a root_path that is not a string"
        ))
    })?;
    let repo = open_worktree(root, "snapshot", &id_text)?;
    let commit = head_commit(&repo, "snapshot")?.id().to_string();
    Ok(snapshot_ref(new_snapshot_id(), id, commit))
}

/// `reset(id, snap)`: `git reset --hard <snap.commit>` in the worktree.
/// Without a lease (an unknown id) it does nothing.
pub fn reset(id: Option<&Value>, lease: &Value, snap: &Value) -> OxeResult<()> {
    if !lease.is_object() {
        return Ok(());
    }
    let id_text = template_part(id);
    let root = lease_root(lease).ok_or_else(|| {
        OxeError::Arg(format!(
            "{WHO}.reset: workspace {id_text} has no root_path to reset"
        ))
    })?;
    let commit = snap.get("commit").and_then(Value::as_str).ok_or_else(|| {
        OxeError::Arg(format!(
            "{WHO}.reset: the snapshot must be an object with a string commit, got {}",
            super::kind_of(snap)
        ))
    })?;
    let repo = open_worktree(root, "reset", &id_text)?;
    let target = repo
        .revparse_single(commit)
        .and_then(|o| o.peel(ObjectType::Commit))
        .map_err(|e| {
            ws_error(format!(
                "{WHO}.reset: commit {commit:?} not found in workspace {id_text} at {root:?} ({})",
                e.message()
            ))
        })?;
    repo.reset(&target, ResetType::Hard, None).map_err(|e| {
        ws_error(format!(
            "{WHO}.reset: cannot reset workspace {id_text} at {root:?} to {commit} ({})",
            e.message()
        ))
    })
}

/// What `dispose` managed to do. Failures are not errors, as in 1.4.0: the
/// worktree or the branch may already be gone.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Disposed {
    pub worktree_removed: bool,
    pub branch_deleted: bool,
}

/// `dispose(id)`: remove the worktree (files included, even if dirty), then
/// delete its branch. Never fails; an unknown id (no lease) or a manager
/// without a string project root does nothing.
pub fn dispose(project_root: Option<&str>, lease: &Value) -> Disposed {
    let mut done = Disposed::default();
    let Some(project_root) = project_root.filter(|_| lease.is_object()) else {
        return done;
    };
    let Ok(repo) = Repository::discover(fs_path(project_root)) else {
        return done;
    };
    if let Some(root) = lease_root(lease) {
        done.worktree_removed = remove_worktree(&repo, fs_path(root));
    }
    let branch = lease.get("branch").filter(|v| jsjson::truthy(v));
    if let Some(name) = branch.and_then(Value::as_str) {
        done.branch_deleted = repo
            .find_branch(name, BranchType::Local)
            .and_then(|mut b| b.delete())
            .is_ok();
    }
    done
}

/// Absolute form of `p` without touching the file system beyond the
/// current directory, so a path that is already gone still compares.
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn same_path(a: &Path, b: &Path) -> bool {
    if absolute(a) == absolute(b) {
        return true;
    }
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// `git worktree remove --force <dir>`: prune the registered worktree whose
/// directory is `dir`, deleting its files. A locked worktree is kept.
fn remove_worktree(repo: &Repository, dir: &Path) -> bool {
    let Ok(names) = repo.worktrees() else {
        return false;
    };
    for name in names.iter().flatten().flatten() {
        let Ok(wt) = repo.find_worktree(name) else {
            continue;
        };
        if !same_path(wt.path(), dir) {
            continue;
        }
        let mut opts = WorktreePruneOptions::new();
        opts.valid(true).working_tree(true);
        return wt.prune(Some(&mut opts)).is_ok();
    }
    false
}
