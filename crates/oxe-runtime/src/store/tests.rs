use super::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// A scratch directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "oxe-store-{tag}-{}-{:x}",
            std::process::id(),
            random_u64()
        ));
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
    fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Takes the diagnostics about `path` and puts the others back, so tests of
/// other modules running in parallel keep theirs.
fn take_diagnostics_for(path: &Path) -> Vec<Diagnostic> {
    let want = path.display().to_string();
    let (mine, others): (Vec<_>, Vec<_>) =
        take_diagnostics().into_iter().partition(|d| d.path == want);
    for d in others {
        report(d);
    }
    mine
}

/// Tests that change the global durability setting run one at a time.
static DURABILITY_TESTS: Mutex<()> = Mutex::new(());

/// Spawns this test binary to run only the test `name` (a child-role test
/// that does nothing unless its env var is set).
fn spawn_child(name: &str, envs: &[(&str, String)]) -> std::process::Child {
    let module = module_path!();
    let module = module.split_once("::").map_or(module, |(_, rest)| rest);
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.arg(format!("{module}::{name}"))
        .args(["--exact", "--test-threads=1", "--nocapture", "-q"])
        .env_remove("OXE_DURABILITY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

fn wait_ok(child: std::process::Child) {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "child failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // make sure the filter matched a test (otherwise nothing was checked)
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 passed"), "child ran no test: {stdout}");
}

/// Checks that every line of an NDJSON file is a whole JSON object with the
/// writer/seq/pad shape used by the append tests, and returns the
/// (writer, seq) pairs.
fn check_lines(path: &Path) -> Vec<(u64, u64)> {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "file must end with a newline");
    text.lines()
        .map(|l| {
            let v = jsjson::parse(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}"));
            let pad = v["pad"].as_str().unwrap();
            let seq = v["seq"].as_u64().unwrap();
            assert_eq!(pad.len() as u64, v["len"].as_u64().unwrap(), "line {l}");
            assert!(pad.bytes().all(|b| b == b'x'));
            (v["writer"].as_u64().unwrap(), seq)
        })
        .collect()
}

fn test_line(writer: u64, seq: u64) -> String {
    // varied sizes, some well above a page, to give tearing a chance
    let len = match seq % 10 {
        0 => 9000 + (seq as usize * 7) % 3000,
        1 | 2 => 500,
        _ => (seq as usize * 31) % 200,
    };
    jsjson::to_line(&json!({"writer": writer, "seq": seq, "len": len, "pad": "x".repeat(len)}))
}

// ---------------------------------------------------------------- write_atomic

#[test]
fn write_atomic_creates_replaces_and_leaves_no_temp_files() {
    let dir = TempDir::new("atomic");
    let path = dir.join("a/b/c/STATE.json");
    write_atomic(&path, b"first").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"first");
    write_atomic(&path, b"second, longer content").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"second, longer content");
    write_atomic(&path, b"").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"");
    assert_eq!(
        names_in(path.parent().unwrap()),
        BTreeSet::from(["STATE.json".to_string()])
    );
}

#[test]
fn write_atomic_failure_keeps_old_file_and_cleans_up() {
    let dir = TempDir::new("atomic-fail");
    // the target is a non-empty directory: the rename must fail
    let target = dir.join("target");
    fs::create_dir_all(target.join("inner")).unwrap();
    let err = write_atomic(&target, b"data").unwrap_err();
    assert_eq!(err.code(), "OXE_E_IO");
    assert_eq!(err.path(), target.as_path());
    assert!(err.to_string().contains("target"), "{err}");
    assert!(target.join("inner").is_dir());
    assert_eq!(names_in(dir.path()), BTreeSet::from(["target".to_string()]));
    // a parent that is a file cannot be created
    let file = dir.join("file");
    fs::write(&file, "x").unwrap();
    assert!(write_atomic(&file.join("child.json"), b"x").is_err());
    assert_eq!(fs::read(&file).unwrap(), b"x");
}

#[cfg(unix)]
#[test]
fn write_atomic_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("perm");
    let path = dir.join("x.json");
    fs::write(&path, "old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    write_atomic(&path, b"new").unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn write_json_is_pretty_js_without_newline() {
    let dir = TempDir::new("json");
    let path = dir.join("x.json");
    write_json(&path, &json!({"b": 1.0, "1": [], "a": {"c": null}})).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "{\n  \"1\": [],\n  \"b\": 1,\n  \"a\": {\n    \"c\": null\n  }\n}"
    );
    assert_eq!(
        read_json(&path),
        Some(json!({"1": [], "b": 1, "a": {"c": null}}))
    );
}

#[test]
fn write_atomic_concurrent_writers_leave_a_whole_file() {
    let dir = TempDir::new("atomic-conc");
    let path = dir.join("x.json");
    std::thread::scope(|s| {
        for t in 0..4u64 {
            let path = &path;
            s.spawn(move || {
                for i in 0..50u64 {
                    let v = json!({"t": t, "i": i, "pad": "y".repeat((i * 37 % 900) as usize)});
                    write_json(path, &v).unwrap();
                    assert!(read_json(path).is_some());
                }
            });
        }
    });
    assert!(read_json(&path).is_some());
    assert_eq!(names_in(dir.path()), BTreeSet::from(["x.json".to_string()]));
}

// ---------------------------------------------------------------- reads

#[test]
fn read_text_missing_and_present() {
    let dir = TempDir::new("read");
    let path = dir.join("t.md");
    assert!(read_text(&path).unwrap().is_none());
    fs::write(&path, "héllo\n").unwrap();
    assert_eq!(read_text(&path).unwrap().as_deref(), Some("héllo\n"));
    fs::write(&path, b"a\xffb").unwrap();
    assert_eq!(read_text(&path).unwrap().as_deref(), Some("a\u{fffd}b"));
    // a directory is an error, not "missing"
    let err = read_text(dir.path()).unwrap_err();
    assert_eq!(err.code(), "OXE_E_IO");
}

#[test]
fn read_json_missing_valid_bom() {
    let dir = TempDir::new("readjson");
    let path = dir.join("x.json");
    assert_eq!(read_json(&path), None);
    fs::write(&path, "{\"a\": [1, 2.5]}").unwrap();
    assert_eq!(read_json(&path), Some(json!({"a": [1, 2.5]})));
    fs::write(&path, "\u{feff}{\"a\":1}").unwrap();
    assert_eq!(read_json(&path), Some(json!({"a": 1})));
    assert!(path.exists());
    assert!(take_diagnostics_for(&path).is_empty());
}

#[test]
fn read_json_quarantines_corrupt_file() {
    let dir = TempDir::new("corrupt");
    let path = dir.join("GATES.json");
    fs::write(&path, "{\"a\": 1, \"b\": ").unwrap();
    assert_eq!(read_json(&path), None);
    assert!(!path.exists());
    let names = names_in(dir.path());
    assert_eq!(names.len(), 1, "{names:?}");
    let moved = names.iter().next().unwrap();
    assert!(moved.starts_with("GATES.json.corrupt-"), "{moved}");
    let ms: u128 = moved["GATES.json.corrupt-".len()..].parse().unwrap();
    assert!(ms > 1_600_000_000_000);
    assert_eq!(
        fs::read_to_string(dir.path().join(moved)).unwrap(),
        "{\"a\": 1, \"b\": "
    );
    let diags = take_diagnostics_for(&path);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, W_CORRUPT_FILE);
    assert!(
        diags[0].message.contains(moved.as_str()),
        "{}",
        diags[0].message
    );
    // a missing file is simply None, nothing reported
    assert_eq!(read_json(&path), None);
    assert!(take_diagnostics_for(&path).is_empty());
}

#[test]
fn read_json_empty_file_is_corrupt() {
    let dir = TempDir::new("empty");
    let path = dir.join("x.json");
    fs::write(&path, "").unwrap();
    assert_eq!(read_json(&path), None);
    assert!(!path.exists());
    assert_eq!(take_diagnostics_for(&path).len(), 1);
}

#[test]
fn read_json_unreadable_is_reported_not_quarantined() {
    let dir = TempDir::new("unreadable");
    let path = dir.join("isdir.json");
    fs::create_dir(&path).unwrap();
    assert_eq!(read_json(&path), None);
    assert!(path.is_dir());
    let diags = take_diagnostics_for(&path);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, W_READ_FAILED);
}

#[test]
fn quarantine_names_do_not_collide() {
    let dir = TempDir::new("quarantine");
    let path = dir.join("f.json");
    let mut moved = BTreeSet::new();
    for i in 0..5 {
        fs::write(&path, format!("bad {i}")).unwrap();
        let to = quarantine(&path, "test").unwrap();
        assert_eq!(to.parent(), path.parent());
        assert!(moved.insert(to));
    }
    assert_eq!(names_in(dir.path()).len(), 5);
    assert_eq!(quarantine(&path, "gone"), None);
    let diags = take_diagnostics_for(&path);
    assert_eq!(diags.len(), 5);
    assert!(diags
        .iter()
        .all(|d| d.code == W_CORRUPT_FILE && d.message.starts_with("test")));
}

#[test]
fn diagnostics_queue_roundtrip() {
    let dir = TempDir::new("diag");
    let path = dir.join("nowhere");
    report(Diagnostic::new(W_CORRUPT_LINE, &path, "line 3"));
    let d = take_diagnostics_for(&path);
    assert_eq!(
        d,
        vec![Diagnostic {
            code: "OXE_W_CORRUPT_LINE".into(),
            path: path.display().to_string(),
            message: "line 3".into()
        }]
    );
    assert_eq!(
        jsjson::stringify(&d[0], false).unwrap(),
        format!(
            "{{\"code\":\"OXE_W_CORRUPT_LINE\",\"path\":{},\"message\":\"line 3\"}}",
            jsjson::to_line(&json!(path.display().to_string()))
        )
    );
}

#[test]
fn sync_path_missing_and_present() {
    let dir = TempDir::new("sync");
    sync_path(&dir.join("missing")).unwrap();
    let path = dir.join("f");
    fs::write(&path, "x").unwrap();
    sync_path(&path).unwrap();
    sync_path(dir.path()).unwrap();
}

// ---------------------------------------------------------------- appends

#[test]
fn append_creates_parents_and_appends_lines() {
    let dir = TempDir::new("append");
    let path = dir.join("deep/er/OXE-EVENTS.ndjson");
    append_line(&path, "{\"a\":1}", false).unwrap();
    append_line(&path, "{\"b\":2}", true).unwrap();
    append_lines(&path, &["{\"c\":3}".into(), "{\"d\":4}".into()], false).unwrap();
    append_lines(&path, &[], false).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}\n"
    );
}

#[test]
fn append_repairs_torn_tail() {
    let dir = TempDir::new("torn");
    let path = dir.join("e.ndjson");
    fs::write(&path, "{\"a\":1}\n{\"b\":").unwrap();
    append_line(&path, "{\"c\":3}", false).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"a\":1}\n{\"c\":3}\n");
    assert!(take_diagnostics_for(&path)
        .iter()
        .any(|d| d.code == W_TORN_TAIL));
    // torn again behind the cached handle's back
    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(b"{\"half").unwrap();
    drop(f);
    append_lines(&path, &["{\"d\":4}".into()], false).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "{\"a\":1}\n{\"c\":3}\n{\"d\":4}\n"
    );
}

#[test]
fn append_follows_deleted_and_replaced_files() {
    let dir = TempDir::new("replaced");
    let path = dir.join("e.ndjson");
    append_line(&path, "1", false).unwrap();
    fs::remove_file(&path).unwrap();
    append_line(&path, "2", false).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "2\n");
    write_atomic(&path, b"compacted\n").unwrap();
    append_line(&path, "3", false).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "compacted\n3\n");
    fs::rename(&path, dir.join("rotated")).unwrap();
    append_line(&path, "4", false).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "4\n");
    assert_eq!(
        fs::read_to_string(dir.join("rotated")).unwrap(),
        "compacted\n3\n"
    );
}

#[test]
fn append_from_many_threads_keeps_lines_whole() {
    let dir = TempDir::new("threads");
    let path = dir.join("e.ndjson");
    let threads = 6u64;
    let per = 300u64;
    std::thread::scope(|s| {
        for t in 0..threads {
            let path = &path;
            s.spawn(move || {
                for i in 0..per {
                    if i % 7 == 0 {
                        let batch: Vec<String> = (0..3).map(|k| test_line(t, i * 10 + k)).collect();
                        append_lines(path, &batch, false).unwrap();
                    } else {
                        append_line(path, &test_line(t, i * 10), false).unwrap();
                    }
                }
            });
        }
    });
    let lines = check_lines(&path);
    let expected_per_thread = per + 2 * per.div_ceil(7);
    assert_eq!(lines.len() as u64, threads * expected_per_thread);
    for t in 0..threads {
        let seqs: Vec<u64> = lines.iter().filter(|l| l.0 == t).map(|l| l.1).collect();
        // each thread's lines appear in its own order
        assert!(seqs.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(seqs.len() as u64, expected_per_thread);
    }
}

#[test]
fn child_append_worker() {
    let Ok(path) = std::env::var("OXE_STORE_TEST_APPEND_PATH") else {
        return;
    };
    let writer: u64 = std::env::var("OXE_STORE_TEST_WRITER")
        .unwrap()
        .parse()
        .unwrap();
    let count: u64 = std::env::var("OXE_STORE_TEST_COUNT")
        .unwrap()
        .parse()
        .unwrap();
    let path = PathBuf::from(path);
    for seq in 0..count {
        if seq % 11 == 0 {
            let batch = vec![test_line(writer, seq * 10), test_line(writer, seq * 10 + 1)];
            append_lines(&path, &batch, false).unwrap();
        } else {
            append_line(&path, &test_line(writer, seq * 10), seq % 100 == 0).unwrap();
        }
    }
}

#[test]
fn append_from_many_processes_keeps_lines_whole() {
    let dir = TempDir::new("procs");
    let path = dir.join("e.ndjson");
    let count = 600u64;
    let children: Vec<_> = (0..4u64)
        .map(|w| {
            spawn_child(
                "child_append_worker",
                &[
                    ("OXE_STORE_TEST_APPEND_PATH", path.display().to_string()),
                    ("OXE_STORE_TEST_WRITER", w.to_string()),
                    ("OXE_STORE_TEST_COUNT", count.to_string()),
                ],
            )
        })
        .collect();
    // and this process writes at the same time
    for seq in 0..count {
        append_line(&path, &test_line(99, seq * 10), false).unwrap();
    }
    for c in children {
        wait_ok(c);
    }
    let lines = check_lines(&path);
    let per_child = count + count.div_ceil(11);
    assert_eq!(lines.len() as u64, 4 * per_child + count);
    for w in 0..4u64 {
        let seqs: Vec<u64> = lines.iter().filter(|l| l.0 == w).map(|l| l.1).collect();
        assert_eq!(seqs.len() as u64, per_child);
        assert!(seqs.windows(2).all(|p| p[0] < p[1]));
    }
}

// ---------------------------------------------------------------- with_lock

fn increment(path: &Path) -> Result<u64, StoreError> {
    with_lock(path, || {
        let n = read_json(path).and_then(|v| v["n"].as_u64()).unwrap_or(0) + 1;
        write_json(path, &json!({ "n": n }))?;
        Ok(n)
    })
}

#[test]
fn with_lock_serializes_threads() {
    let dir = TempDir::new("lock-threads");
    let path = dir.join("counter.json");
    std::thread::scope(|s| {
        for _ in 0..4 {
            let path = &path;
            s.spawn(move || {
                for _ in 0..40 {
                    increment(path).unwrap();
                }
            });
        }
    });
    assert_eq!(read_json(&path), Some(json!({"n": 160})));
    assert!(dir.join("counter.json.lock").exists());
}

#[test]
fn child_lock_worker() {
    let Ok(path) = std::env::var("OXE_STORE_TEST_LOCK_PATH") else {
        return;
    };
    for _ in 0..40 {
        increment(Path::new(&path)).unwrap();
    }
}

#[test]
fn with_lock_serializes_processes() {
    let dir = TempDir::new("lock-procs");
    let path = dir.join("sub/counter.json");
    let children: Vec<_> = (0..3)
        .map(|_| {
            spawn_child(
                "child_lock_worker",
                &[("OXE_STORE_TEST_LOCK_PATH", path.display().to_string())],
            )
        })
        .collect();
    for _ in 0..40 {
        increment(&path).unwrap();
    }
    for c in children {
        wait_ok(c);
    }
    assert_eq!(read_json(&path), Some(json!({"n": 160})));
}

#[test]
fn with_lock_is_reentrant_and_propagates_results() {
    let dir = TempDir::new("lock-reentrant");
    let path = dir.join("x.json");
    let v = with_lock(&path, || with_lock(&path, || Ok(7))).unwrap();
    assert_eq!(v, 7);
    let err = with_lock(&path, || -> Result<(), StoreError> {
        Err(StoreError::io(&path, io::Error::other("boom")))
    })
    .unwrap_err();
    assert!(err.to_string().contains("boom"));
    // the lock was released: another thread can take it
    std::thread::scope(|s| {
        s.spawn(|| with_lock(&path, || Ok(())).unwrap());
    });
}

#[test]
fn with_lock_released_after_panic() {
    let dir = TempDir::new("lock-panic");
    let path = dir.join("x.json");
    let r = std::panic::catch_unwind(|| {
        let _ = with_lock(&path, || -> Result<(), StoreError> { panic!("inside") });
    });
    assert!(r.is_err());
    std::thread::scope(|s| {
        s.spawn(|| with_lock(&path, || Ok(())).unwrap());
    });
    // and this thread no longer thinks it holds it
    with_lock(&path, || Ok(())).unwrap();
}

// ---------------------------------------------------------------- durability

#[test]
fn durability_parsing() {
    assert_eq!(parse_durability("strict"), Some(Durability::Strict));
    assert_eq!(parse_durability(" STRICT\n"), Some(Durability::Strict));
    assert_eq!(parse_durability("Normal"), Some(Durability::Normal));
    assert_eq!(parse_durability(""), None);
    assert_eq!(parse_durability("fast"), None);
}

#[test]
fn durability_override() {
    let _serial = DURABILITY_TESTS.lock().unwrap_or_else(|e| e.into_inner());
    set_durability(Some(Durability::Strict));
    assert_eq!(durability(), Durability::Strict);
    // strict appends still work (and fsync)
    let dir = TempDir::new("strict");
    let path = dir.join("e.ndjson");
    append_line(&path, "{}", false).unwrap();
    set_durability(Some(Durability::Normal));
    assert_eq!(durability(), Durability::Normal);
    set_durability(None);
}

#[test]
fn child_durability_env() {
    let Ok(want) = std::env::var("OXE_STORE_TEST_EXPECT_DURABILITY") else {
        return;
    };
    let want = match want.as_str() {
        "strict" => Durability::Strict,
        _ => Durability::Normal,
    };
    assert_eq!(durability(), want);
}

#[test]
fn durability_from_environment() {
    // run in child processes: setting env vars in this multi-threaded
    // process would race with other tests
    for (env, want) in [
        (Some("strict"), "strict"),
        (Some(" Strict "), "strict"),
        (Some("normal"), "normal"),
        (Some("bogus"), "normal"),
        (Some(""), "normal"),
        (None, "normal"),
    ] {
        let mut envs = vec![("OXE_STORE_TEST_EXPECT_DURABILITY", want.to_string())];
        if let Some(e) = env {
            envs.push(("OXE_DURABILITY", e.to_string()));
        }
        wait_ok(spawn_child("child_durability_env", &envs));
    }
}

#[test]
fn errors_name_the_file() {
    let e = StoreError::io(
        "/x/y.json",
        io::Error::from(io::ErrorKind::PermissionDenied),
    );
    assert!(e.to_string().starts_with("I/O error on /x/y.json: "), "{e}");
    assert_eq!(e.code(), "OXE_E_IO");
    let j = StoreError::Json {
        path: "/p.json".into(),
        source: jsjson::parse("{").unwrap_err(),
    };
    assert!(
        j.to_string().starts_with("invalid JSON in /p.json: "),
        "{j}"
    );
    assert_eq!(j.code(), "OXE_E_JSON");
    assert_eq!(j.path(), Path::new("/p.json"));
}
