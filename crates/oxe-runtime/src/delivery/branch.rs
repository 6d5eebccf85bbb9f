//! `BranchManager`: the project's git branches through the `git` CLI, run
//! with argument lists (never a shell) in the project root, as 1.4.0 does.
//!
//! Every operation returns a [`GitRun`]: what git printed on stdout, what
//! it printed on stderr (1.4.0 echoes it to the parent's stderr, the glue
//! does the same), and on failure the error text of Node's `execFileSync`
//! (`Command failed: git <args>` followed by git's stderr).
//!
//! Beyond 1.4.0, a ref or remote name that starts with `-` is refused
//! before git runs, so a caller-supplied name can never become an option.

use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::error::{OxeError, OxeResult};
use crate::plugins::js::js_trim;

/// A failed git command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitFailure {
    /// `Command failed: git …\n<stderr>`, or the spawn error.
    pub message: String,
    pub status: Option<i32>,
}

/// The result of one or more git commands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitRun {
    /// The operation's value (its JSON form).
    pub value: Value,
    /// Everything git wrote to stderr, in order.
    pub stderr: String,
    pub failure: Option<GitFailure>,
}

impl GitRun {
    pub fn to_json(&self) -> Value {
        let mut v = json!({"value": self.value, "stderr": self.stderr});
        if let Some(f) = &self.failure {
            v["error"] = json!({"message": f.message, "status": f.status});
        }
        v
    }
}

struct Out {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    spawn_error: Option<String>,
}

fn run(root: &str, args: &[&str]) -> Out {
    let res = Command::new("git")
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .output();
    match res {
        Ok(o) => Out {
            status: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            spawn_error: None,
        },
        Err(e) => Out {
            status: None,
            stdout: String::new(),
            stderr: String::new(),
            spawn_error: Some(if e.kind() == std::io::ErrorKind::NotFound {
                "spawnSync git ENOENT".to_string()
            } else {
                format!("spawnSync git failed: {e}")
            }),
        },
    }
}

/// Runs git like `execFileSync`: stdout on success, a failure otherwise;
/// stderr is appended to `acc`.
fn exec(root: &str, args: &[&str], acc: &mut String) -> Result<String, GitFailure> {
    let out = run(root, args);
    acc.push_str(&out.stderr);
    if let Some(e) = out.spawn_error {
        return Err(GitFailure {
            message: e,
            status: None,
        });
    }
    if out.status == Some(0) {
        return Ok(out.stdout);
    }
    let mut message = format!("Command failed: git {}", args.join(" "));
    if !out.stderr.is_empty() {
        message.push('\n');
        message.push_str(&out.stderr);
    }
    Err(GitFailure {
        message,
        status: out.status,
    })
}

fn finish(value: Result<Value, GitFailure>, stderr: String) -> GitRun {
    match value {
        Ok(value) => GitRun {
            value,
            stderr,
            failure: None,
        },
        Err(f) => GitRun {
            value: Value::Null,
            stderr,
            failure: Some(f),
        },
    }
}

/// Refuses names git would read as options.
fn checked<'a>(op: &str, what: &str, name: &'a str) -> OxeResult<&'a str> {
    if name.starts_with('-') {
        return Err(OxeError::Arg(format!(
            "BranchManager.{op}: {what} {name:?} must not start with '-'"
        )));
    }
    if name.contains('\0') {
        return Err(OxeError::Arg(format!(
            "BranchManager.{op}: {what} contains a NUL byte"
        )));
    }
    Ok(name)
}

fn single(root: &str, args: &[&str], map: impl FnOnce(String) -> Value) -> GitRun {
    let mut err = String::new();
    let r = exec(root, args, &mut err).map(map);
    finish(r, err)
}

/// `currentBranch()`: `git rev-parse --abbrev-ref HEAD`, trimmed.
pub fn current_branch(root: &str) -> GitRun {
    single(root, &["rev-parse", "--abbrev-ref", "HEAD"], |s| {
        js_trim(&s).into()
    })
}

/// `currentCommit()`: `git rev-parse HEAD`, trimmed.
pub fn current_commit(root: &str) -> GitRun {
    single(root, &["rev-parse", "HEAD"], |s| js_trim(&s).into())
}

/// `createSessionBranch(sessionId)`: `git checkout -b oxe/<sessionId>`.
pub fn create_session_branch(root: &str, session_id: &str) -> OxeResult<GitRun> {
    let name = format!("oxe/{session_id}");
    checked("createSessionBranch", "branch", &name)?;
    Ok(single(root, &["checkout", "-b", &name], |_| {
        name.clone().into()
    }))
}

/// `createOxeBranch(name, base?)`: `git checkout -b <oxe/name> [base]`.
pub fn create_oxe_branch(root: &str, name: &str, base: Option<&str>) -> OxeResult<GitRun> {
    let full = if name.starts_with("oxe/") {
        name.to_string()
    } else {
        format!("oxe/{name}")
    };
    checked("createOxeBranch", "name", &full)?;
    let mut args = vec!["checkout", "-b", full.as_str()];
    if let Some(b) = base {
        args.push(checked("createOxeBranch", "base", b)?);
    }
    Ok(single(root, &args, |_| full.clone().into()))
}

/// `switchTo(branch)`: `git checkout <branch>`.
pub fn switch_to(root: &str, branch: &str) -> OxeResult<GitRun> {
    let b = checked("switchTo", "branch", branch)?;
    Ok(single(root, &["checkout", b], |_| Value::Null))
}

/// `deleteBranch(name, force)`: `git branch -d|-D <name>`.
pub fn delete_branch(root: &str, name: &str, force: bool) -> OxeResult<GitRun> {
    let n = checked("deleteBranch", "name", name)?;
    let flag = if force { "-D" } else { "-d" };
    Ok(single(root, &["branch", flag, n], |_| Value::Null))
}

/// Parses `git branch --format=%(refname:short) %(objectname:short) %(HEAD)`
/// output into `[{name, commit, current}]`.
pub fn parse_branch_list(raw: &str) -> Value {
    let items: Vec<Value> = raw
        .split('\n')
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = js_trim(line)
                .split(crate::plugins::js::is_js_space)
                .filter(|p| !p.is_empty())
                .collect();
            let name = match parts.first() {
                Some(n) => Value::from(*n),
                // a line of blanks: `''.split(/\s+/)` gives `['']`
                None => Value::from(""),
            };
            json!({
                "name": name,
                "commit": parts.get(1).copied().unwrap_or(""),
                "current": parts.get(2) == Some(&"*"),
            })
        })
        .collect();
    Value::Array(items)
}

/// `listOxeBranches()`.
pub fn list_oxe_branches(root: &str) -> GitRun {
    single(
        root,
        &[
            "branch",
            "--list",
            "oxe/*",
            "--format=%(refname:short) %(objectname:short) %(HEAD)",
        ],
        |s| parse_branch_list(&s),
    )
}

/// `mergeWorktreeBranch(worktreeBranch, targetBranch)`: checks out the
/// target, merges with `--no-ff`, and returns to the branch it started
/// on whatever happened (best effort).
pub fn merge_worktree_branch(root: &str, worktree_branch: &str, target: &str) -> OxeResult<GitRun> {
    let wt = checked("mergeWorktreeBranch", "worktree branch", worktree_branch)?;
    let target = checked("mergeWorktreeBranch", "target branch", target)?;
    let mut err = String::new();
    let saved = match exec(root, &["rev-parse", "--abbrev-ref", "HEAD"], &mut err) {
        Ok(s) => js_trim(&s).to_string(),
        Err(f) => return Ok(finish(Err(f), err)),
    };
    let message = format!("oxe: merge {wt}");
    let result = exec(root, &["checkout", target], &mut err)
        .and_then(|_| exec(root, &["merge", "--no-ff", wt, "-m", &message], &mut err));
    if !saved.starts_with('-') {
        let _ = exec(root, &["checkout", &saved], &mut err);
    }
    Ok(finish(result.map(|_| Value::Null), err))
}

/// `branchExists(name)`: `git rev-parse --verify <name>` exits 0.
pub fn branch_exists(root: &str, name: &str) -> bool {
    if name.starts_with('-') || name.contains('\0') {
        return false;
    }
    run(root, &["rev-parse", "--verify", name]).status == Some(0)
}

/// `push(remote, branch, setUpstream)`: `git push [-u] <remote> <branch>`.
pub fn push(root: &str, remote: &str, branch: &str, set_upstream: bool) -> OxeResult<GitRun> {
    let remote = checked("push", "remote", remote)?;
    let branch = checked("push", "branch", branch)?;
    let mut args = vec!["push"];
    if set_upstream {
        args.push("-u");
    }
    args.push(remote);
    args.push(branch);
    Ok(single(root, &args, |_| Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn git_ok(dir: &Path, args: &[&str]) {
        let st = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&st.stderr)
        );
    }

    fn repo(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("oxe-branch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        git_ok(&dir, &["init", "-q", "-b", "main"]);
        git_ok(&dir, &["config", "user.email", "t@example.com"]);
        git_ok(&dir, &["config", "user.name", "t"]);
        std::fs::write(dir.join("a.txt"), "a").unwrap();
        git_ok(&dir, &["add", "."]);
        git_ok(&dir, &["commit", "-q", "-m", "init"]);
        dir
    }

    #[test]
    fn parses_branch_lists() {
        assert_eq!(
            parse_branch_list("oxe/a 1234567 *\noxe/b 89abcde \n"),
            json!([{"name": "oxe/a", "commit": "1234567", "current": true},
                   {"name": "oxe/b", "commit": "89abcde", "current": false}])
        );
    }

    #[test]
    fn branches_in_a_real_repo() {
        let dir = repo("ops");
        let root = dir.to_str().unwrap();
        assert_eq!(current_branch(root).value, json!("main"));
        let sha = current_commit(root).value;
        assert_eq!(sha.as_str().unwrap().len(), 40);
        let r = create_oxe_branch(root, "feature", None).unwrap();
        assert_eq!(r.value, json!("oxe/feature"));
        assert!(r.stderr.contains("oxe/feature"));
        assert_eq!(current_branch(root).value, json!("oxe/feature"));
        let list = list_oxe_branches(root).value;
        assert_eq!(list[0]["name"], json!("oxe/feature"));
        assert_eq!(list[0]["current"], json!(true));
        assert!(branch_exists(root, "main"));
        assert!(!branch_exists(root, "nope"));
        assert!(!branch_exists(root, "--all"));
        std::fs::write(dir.join("b.txt"), "b").unwrap();
        git_ok(&dir, &["add", "."]);
        git_ok(&dir, &["commit", "-q", "-m", "b"]);
        switch_to(root, "main").unwrap();
        let m = merge_worktree_branch(root, "oxe/feature", "main").unwrap();
        assert!(m.failure.is_none(), "{m:?}");
        assert!(dir.join("b.txt").exists());
        let d = delete_branch(root, "oxe/feature", false).unwrap();
        assert!(d.failure.is_none());
        let again = create_session_branch(root, "s1").unwrap();
        assert_eq!(again.value, json!("oxe/s1"));
        let dup = create_session_branch(root, "s1").unwrap();
        let f = dup.failure.unwrap();
        assert!(
            f.message
                .starts_with("Command failed: git checkout -b oxe/s1\n"),
            "{}",
            f.message
        );
        assert_eq!(switch_to(root, "-f").unwrap_err().code(), "OXE_E_ARG");
        assert_eq!(
            push(root, "--upload-pack=x", "main", false)
                .unwrap_err()
                .code(),
            "OXE_E_ARG"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn push_to_a_bare_remote() {
        let dir = repo("push");
        let bare = dir.with_extension("remote.git");
        let _ = std::fs::remove_dir_all(&bare);
        git_ok(&dir, &["init", "-q", "--bare", bare.to_str().unwrap()]);
        git_ok(&dir, &["remote", "add", "origin", bare.to_str().unwrap()]);
        let root = dir.to_str().unwrap();
        let r = push(root, "origin", "main", true).unwrap();
        assert!(r.failure.is_none(), "{r:?}");
        let out = Command::new("git")
            .args(["rev-parse", "main"])
            .current_dir(&bare)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            current_commit(root).value.as_str().unwrap()
        );
        let bad = push(root, "nowhere", "main", false).unwrap();
        assert!(bad
            .failure
            .unwrap()
            .message
            .starts_with("Command failed: git push nowhere main"));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&bare);
    }
}
