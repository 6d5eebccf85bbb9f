//! Tests of the git worktree and container managers against real
//! throwaway repositories and a fake docker CLI.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{Repository, Signature};
use serde_json::{json, Value};

use super::ephemeral_container::{self as container, ContainerOptions, Docker, Routed};
use super::git_worktree as git;
use super::{new_snapshot_id, snapshot_ref, Lease, RequestIds, ISOLATED};

#[test]
fn request_ids_render_like_js_templates() {
    let ids =
        RequestIds::from_request("t", &json!({"work_item_id": "T1", "attempt_number": 2})).unwrap();
    assert_eq!(ids.work_item_id, "T1");
    assert_eq!(ids.attempt_number, "2");
    let ids = RequestIds::from_request("t", &json!({"attempt_number": 1.5})).unwrap();
    assert_eq!(ids.work_item_id, "undefined");
    assert_eq!(ids.attempt_number, "1.5");
    let err = RequestIds::from_request("allocate", &Value::Null).unwrap_err();
    assert_eq!(err.code(), "OXE_E_ARG");
    assert!(err.to_string().contains("got null"), "{err}");
}

#[test]
fn lease_and_snapshot_field_order() {
    let lease = Lease {
        workspace_id: "ws-T1-a1".into(),
        strategy: "git_worktree",
        isolation_level: ISOLATED,
        branch: Some("oxe/T1-attempt1".into()),
        base_commit: None,
        root_path: Some(json!("/p")),
        ttl_minutes: 45,
    }
    .to_value();
    let keys: Vec<_> = lease.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "workspace_id",
            "strategy",
            "isolation_level",
            "branch",
            "base_commit",
            "root_path",
            "ttl_minutes"
        ]
    );
    let snap = snapshot_ref(new_snapshot_id(), Some(&json!("ws")), "HEAD".into());
    let keys: Vec<_> = snap.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["snapshot_id", "workspace_id", "commit", "created_at"]
    );
    let id = snap["snapshot_id"].as_str().unwrap();
    assert_eq!(id.len(), 13);
    assert!(id.starts_with("snap-"));
    assert!(id[5..].bytes().all(|b| b.is_ascii_hexdigit()));
    let snap = snapshot_ref("snap-0".into(), None, "HEAD".into());
    assert!(snap.get("workspace_id").is_none());
}

// ------------------------------------------------------------ git worktrees

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oxe-ws-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A repository with one commit holding `README.md`.
fn repo_with_commit(name: &str) -> (PathBuf, String) {
    let dir = temp_dir(name);
    let repo = Repository::init(&dir).unwrap();
    fs::write(dir.join("README.md"), "hello\n").unwrap();
    let oid = commit_all(&repo, "init");
    (dir, oid)
}

fn commit_all(repo: &Repository, msg: &str) -> String {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::now("t", "t@example.com").unwrap();
    let parents: Vec<_> = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let parents: Vec<_> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .unwrap()
        .to_string()
}

fn req(wi: &str, n: u32) -> Value {
    json!({"work_item_id": wi, "attempt_number": n, "strategy": "git_worktree", "mutation_scope": []})
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

#[test]
fn git_worktree_lifecycle() {
    let (root, base) = repo_with_commit("life");
    let lease = git::allocate(&s(&root), &req("T1", 1)).unwrap();
    let wt = root.join(".oxe/workspaces/ws-T1-a1");
    assert_eq!(
        crate::jsjson::to_line(&lease),
        format!(
            r#"{{"workspace_id":"ws-T1-a1","strategy":"git_worktree","isolation_level":"isolated","branch":"oxe/T1-attempt1","base_commit":"{base}","root_path":"{}","ttl_minutes":45}}"#,
            s(&wt)
        )
    );
    // The worktree is checked out on the new branch.
    assert_eq!(fs::read_to_string(wt.join("README.md")).unwrap(), "hello\n");
    let wrepo = Repository::open(&wt).unwrap();
    assert!(wrepo.is_worktree());
    assert_eq!(
        wrepo.head().unwrap().name(),
        Ok("refs/heads/oxe/T1-attempt1")
    );

    // snapshot → new commit in the worktree → reset back to the snapshot.
    let id = json!("ws-T1-a1");
    let snap = git::snapshot(Some(&id), &lease).unwrap();
    assert_eq!(snap["commit"], base.as_str());
    assert_eq!(snap["workspace_id"], "ws-T1-a1");
    fs::write(wt.join("README.md"), "changed\n").unwrap();
    fs::write(wt.join("new.txt"), "new\n").unwrap();
    let second = commit_all(&wrepo, "work");
    assert_eq!(
        git::snapshot(Some(&id), &lease).unwrap()["commit"],
        second.as_str()
    );
    fs::write(wt.join("README.md"), "dirty\n").unwrap();
    git::reset(Some(&id), &lease, &snap).unwrap();
    assert_eq!(fs::read_to_string(wt.join("README.md")).unwrap(), "hello\n");
    assert!(!wt.join("new.txt").exists());
    assert_eq!(
        wrepo
            .head()
            .unwrap()
            .peel_to_commit()
            .unwrap()
            .id()
            .to_string(),
        base
    );
    // The project's own checkout is untouched.
    let main = Repository::open(&root).unwrap();
    assert_eq!(
        main.head()
            .unwrap()
            .peel_to_commit()
            .unwrap()
            .id()
            .to_string(),
        base
    );

    // dispose removes the worktree, its registration and the branch.
    let done = git::dispose(Some(&s(&root)), &lease);
    assert!(done.worktree_removed && done.branch_deleted, "{done:?}");
    assert!(!wt.exists());
    assert!(main.worktrees().unwrap().is_empty());
    assert!(main
        .find_branch("oxe/T1-attempt1", git2::BranchType::Local)
        .is_err());
    // A second dispose finds nothing and does not fail.
    assert_eq!(
        git::dispose(Some(&s(&root)), &lease),
        git::Disposed::default()
    );
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn git_worktree_is_visible_to_the_git_cli() {
    let (root, _) = repo_with_commit("cli");
    let lease = git::allocate(&s(&root), &req("T2", 3)).unwrap();
    let out = std::process::Command::new("git")
        .args(["worktree", "list", "--porcelain"])
        .current_dir(&root)
        .output();
    if let Ok(out) = out {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("ws-T2-a3"), "{text}");
        assert!(text.contains("branch refs/heads/oxe/T2-attempt3"), "{text}");
    }
    git::dispose(Some(&s(&root)), &lease);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn dispose_tolerates_a_worktree_or_branch_already_gone() {
    let (root, _) = repo_with_commit("gone");
    let lease = git::allocate(&s(&root), &req("T1", 1)).unwrap();
    // Someone deleted the directory by hand: the registration is pruned
    // and the branch deleted all the same.
    fs::remove_dir_all(root.join(".oxe/workspaces/ws-T1-a1")).unwrap();
    let done = git::dispose(Some(&s(&root)), &lease);
    assert!(done.worktree_removed && done.branch_deleted, "{done:?}");
    let main = Repository::open(&root).unwrap();
    assert!(main.worktrees().unwrap().is_empty());

    // Not a lease, or not a repository at all: nothing happens.
    assert_eq!(
        git::dispose(Some(&s(&root)), &Value::Null),
        git::Disposed::default()
    );
    assert_eq!(git::dispose(None, &lease), git::Disposed::default());
    assert_eq!(git::project_root_arg(None).unwrap_err().code(), "OXE_E_ARG");
    assert_eq!(git::project_root_arg(Some(&json!("/p"))).unwrap(), "/p");
    let plain = temp_dir("gone-plain");
    assert_eq!(
        git::dispose(Some(&s(&plain)), &lease),
        git::Disposed::default()
    );
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&plain);
}

#[test]
fn dirty_worktree_is_removed() {
    let (root, _) = repo_with_commit("dirty");
    let lease = git::allocate(&s(&root), &req("T9", 1)).unwrap();
    let wt = root.join(".oxe/workspaces/ws-T9-a1");
    fs::write(wt.join("untracked.txt"), "x").unwrap();
    fs::write(wt.join("README.md"), "modified").unwrap();
    assert!(git::dispose(Some(&s(&root)), &lease).worktree_removed);
    assert!(!wt.exists());
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn allocate_errors_name_the_repository() {
    let plain = temp_dir("plain");
    let e = git::allocate(&s(&plain), &req("T1", 1)).unwrap_err();
    assert_eq!(e.code(), "OXE_E_WORKSPACE");
    assert!(e.to_string().contains("not inside a git repository"), "{e}");
    assert!(e.to_string().contains(&s(&plain)), "{e}");

    let empty = temp_dir("nocommit");
    Repository::init(&empty).unwrap();
    let e = git::allocate(&s(&empty), &req("T1", 1)).unwrap_err();
    assert!(e.to_string().contains("cannot resolve HEAD"), "{e}");
    assert!(!empty.join(".oxe").exists());

    let (root, _) = repo_with_commit("twice");
    let lease = git::allocate(&s(&root), &req("T1", 1)).unwrap();
    let e = git::allocate(&s(&root), &req("T1", 1)).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    // The failed second allocation left the first one intact.
    assert!(root.join(".oxe/workspaces/ws-T1-a1/README.md").exists());
    git::dispose(Some(&s(&root)), &lease);

    // A leftover branch of the same name is reported, and nothing is left behind.
    let repo = Repository::open(&root).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.branch("oxe/T1-attempt2", &head, false).unwrap();
    let e = git::allocate(&s(&root), &req("T1", 2)).unwrap_err();
    assert!(
        e.to_string()
            .contains("cannot create branch oxe/T1-attempt2"),
        "{e}"
    );
    assert!(!root.join(".oxe/workspaces/ws-T1-a2").exists());
    assert!(repo.worktrees().unwrap().is_empty());

    // An id that would leave .oxe/workspaces/ is refused before any git work.
    let e = git::allocate(&s(&root), &req("../../x", 1)).unwrap_err();
    assert_eq!(e.code(), "OXE_E_PATH");
    let _ = fs::remove_dir_all(&plain);
    let _ = fs::remove_dir_all(&empty);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn snapshot_and_reset_of_unknown_workspaces() {
    let id = json!("ws-nope-a1");
    let e = git::snapshot(Some(&id), &Value::Null).unwrap_err();
    assert_eq!(e.to_string(), "Workspace ws-nope-a1 not found");
    let e = git::snapshot(None, &json!({"root_path": null})).unwrap_err();
    assert_eq!(e.to_string(), "Workspace undefined not found");
    // reset of an unknown id is a no-op, whatever the snapshot.
    git::reset(Some(&id), &Value::Null, &Value::Null).unwrap();
    // A lease whose directory is gone is an error naming the path, never a
    // reset of the enclosing repository.
    let (root, base) = repo_with_commit("stale");
    let ghost = s(&root.join(".oxe/workspaces/ws-ghost-a1"));
    fs::create_dir_all(&ghost).unwrap();
    fs::write(root.join("README.md"), "local edit\n").unwrap();
    let lease = json!({"root_path": ghost});
    let e = git::reset(Some(&id), &lease, &json!({"commit": base})).unwrap_err();
    assert!(e.to_string().contains("is not a git worktree"), "{e}");
    assert!(e.to_string().contains("ws-ghost-a1"), "{e}");
    assert_eq!(
        fs::read_to_string(root.join("README.md")).unwrap(),
        "local edit\n"
    );
    let e = git::snapshot(Some(&id), &lease).unwrap_err();
    assert!(e.to_string().contains("is not a git worktree"), "{e}");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn path_join_is_normalized_like_node() {
    let sep = std::path::MAIN_SEPARATOR;
    if sep == '/' {
        assert_eq!(
            git::join_normalized("/tmp/p/", &[".oxe", "workspaces", "ws-T1-a1"]),
            "/tmp/p/.oxe/workspaces/ws-T1-a1"
        );
        assert_eq!(git::join_normalized(".", &[".oxe", "x"]), ".oxe/x");
        assert_eq!(git::join_normalized("", &[".oxe"]), ".oxe");
        assert_eq!(git::join_normalized("a/../..", &["b"]), "../b");
        assert_eq!(git::join_normalized("/a/./b/../c", &["d"]), "/a/c/d");
    }
}

// ------------------------------------------------------------ containers

/// A fake docker CLI: logs each call's arguments, answers per the mode.
#[cfg(unix)]
fn fake_docker(dir: &Path, mode: &str) -> (Docker, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("docker.log");
    let script = dir.join("docker");
    let body = format!(
        r#"#!/bin/sh
echo "$@" >> '{log}'
case "$1" in
  version) [ "{mode}" = nodaemon ] && {{ echo 'Cannot connect' >&2; exit 1; }}; echo 28.0.0 ;;
  run) [ "{mode}" = runfails ] && {{ echo 'no such image' >&2; exit 125; }}; echo 0123456789abcdef0123456789abcdef ;;
  commit) echo sha256:feed ;;
  *) echo "$2" ;;
esac
"#,
        log = log.display()
    );
    fs::write(&script, body).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    (Docker::with_program(&script), log)
}

fn opts(v: Value) -> ContainerOptions {
    ContainerOptions::from_value(&v).unwrap()
}

#[test]
fn container_options_defaults_and_fallback_flag() {
    let o = opts(container::default_options());
    assert_eq!(o.image, "node:20-alpine");
    assert_eq!(o.mount_path, "/workspace");
    assert!(o.fallback);
    assert!(opts(json!({"image": "x", "mountPath": "/w"})).fallback);
    assert!(!opts(json!({"fallback": false})).fallback);
    assert!(opts(json!({"fallback": 0})).fallback);
    assert_eq!(
        opts(json!({"extraEnv": {"B": "2", "A": 1}})).extra_env,
        [("B".to_string(), "2".to_string()), ("A".into(), "1".into())]
    );
    assert_eq!(
        ContainerOptions::from_value(&Value::Null)
            .unwrap_err()
            .code(),
        "OXE_E_ARG"
    );
}

#[test]
fn missing_docker_falls_back_or_fails_clearly() {
    let nowhere = Docker::with_program("/nonexistent/oxe-docker");
    assert!(!nowhere.available(container::AVAILABILITY_TIMEOUT));
    assert!(container::init(&nowhere, &opts(container::default_options())).unwrap());
    let e = container::init(
        &nowhere,
        &opts(json!({"image": "i", "mountPath": "/w", "fallback": false})),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Docker is not available and fallback is disabled"),
        "{e}"
    );
    assert_eq!(
        container::isolation_level(true, json!("isolated")),
        json!("isolated")
    );
    assert_eq!(
        container::isolation_level(true, json!("shared")),
        json!("shared")
    );
    assert_eq!(
        container::isolation_level(false, json!("shared")),
        json!("isolated")
    );
    // In fallback mode every operation is handed to the fallback manager.
    let o = opts(container::default_options());
    assert_eq!(
        container::allocate(&nowhere, "/p", &o, true, &req("T1", 1)).unwrap(),
        Routed::Delegate
    );
    assert_eq!(
        container::snapshot(&nowhere, true, None, Some("c")).unwrap(),
        Routed::Delegate
    );
    assert_eq!(
        container::reset(&nowhere, "/p", &o, true, Some("c"), &Value::Null).unwrap(),
        Routed::Delegate
    );
    assert_eq!(
        container::dispose(&nowhere, true, Some("c")),
        Routed::Delegate
    );
    // A docker run that cannot start switches to the fallback, or fails.
    assert_eq!(
        container::allocate(&nowhere, "/p", &o, false, &req("T1", 1)).unwrap(),
        Routed::Delegate
    );
    let strict = opts(json!({"image": "i", "mountPath": "/w", "fallback": false}));
    let e = container::allocate(&nowhere, "/p", &strict, false, &req("T1", 1)).unwrap_err();
    assert!(e.to_string().starts_with("docker run failed: "), "{e}");
}

#[cfg(unix)]
#[test]
fn container_lifecycle_with_a_fake_docker() {
    let dir = temp_dir("docker");
    let (docker, log) = fake_docker(&dir, "ok");
    assert!(docker.available(container::AVAILABILITY_TIMEOUT));
    let o = opts(json!({"image": "img:1", "mountPath": "/w", "extraEnv": {"A": "1", "B": "x y"}}));
    assert!(!container::init(&docker, &o).unwrap());
    let Routed::Done(started) =
        container::allocate(&docker, "/proj", &o, false, &req("T1", 2)).unwrap()
    else {
        panic!("expected a container");
    };
    assert_eq!(started.container_id, "0123456789ab");
    assert_eq!(
        crate::jsjson::to_line(&started.lease),
        r#"{"workspace_id":"ws-container-T1-a2","strategy":"ephemeral_container","isolation_level":"isolated","branch":null,"base_commit":null,"root_path":"docker:0123456789ab:/w","ttl_minutes":60}"#
    );
    let id = json!("ws-container-T1-a2");
    let Routed::Done(snap) =
        container::snapshot(&docker, false, Some(&id), Some("0123456789ab")).unwrap()
    else {
        panic!("expected a snapshot");
    };
    let tag = snap["snapshot_id"].as_str().unwrap().to_string();
    assert!(tag.starts_with("oxe-snap-") && tag.len() == 17, "{tag}");
    assert_eq!(snap["commit"], tag.as_str());
    let e = container::snapshot(&docker, false, Some(&id), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Container for workspace ws-container-T1-a2 not found"
    );
    assert_eq!(
        container::reset(&docker, "/proj", &o, false, Some("0123456789ab"), &snap).unwrap(),
        Routed::Done(Some("0123456789ab".into()))
    );
    assert_eq!(
        container::reset(&docker, "/proj", &o, false, None, &snap).unwrap(),
        Routed::Done(None)
    );
    assert_eq!(
        container::dispose(&docker, false, Some("0123456789ab")),
        Routed::Done(())
    );
    let calls = fs::read_to_string(&log).unwrap();
    let expected = format!(
        "version --format {{{{.Server.Version}}}}\n\
         version --format {{{{.Server.Version}}}}\n\
         run -d -v /proj:/w -w /w -e A=1 -e B=x y img:1 sleep 3600\n\
         commit 0123456789ab {tag}\n\
         stop 0123456789ab\n\
         rm 0123456789ab\n\
         run -d -v /proj:/w {tag} sleep 3600\n\
         stop 0123456789ab\n\
         rm 0123456789ab\n"
    );
    assert_eq!(calls, expected);
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn failing_docker_run_falls_back_or_rejects() {
    let dir = temp_dir("docker-fail");
    let (docker, _) = fake_docker(&dir, "runfails");
    let o = opts(container::default_options());
    assert_eq!(
        container::allocate(&docker, "/p", &o, false, &req("T1", 1)).unwrap(),
        Routed::Delegate
    );
    let strict = opts(json!({"image": "i", "mountPath": "/w", "fallback": false}));
    let e = container::allocate(&docker, "/p", &strict, false, &req("T1", 1)).unwrap_err();
    assert_eq!(e.to_string(), "docker run failed: no such image\n");
    let other = temp_dir("docker-nodaemon");
    let (nodaemon, _) = fake_docker(&other, "nodaemon");
    assert!(!nodaemon.available(container::AVAILABILITY_TIMEOUT));
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_dir_all(&other);
}
