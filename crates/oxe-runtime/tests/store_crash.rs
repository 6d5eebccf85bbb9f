//! Crash test of `store::append_line`: a child process appends 10,000 JSON
//! lines and is killed with SIGKILL at a random moment. Every complete line
//! must parse, lines must be exactly the child's sequence with no gap or
//! duplicate, and after a repairing append the file must be clean NDJSON.
//! Odd rounds also cut the file at a random byte afterwards (what a power
//! loss can leave) to exercise the torn-tail repair of the next append.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use oxe_runtime::{jsjson, store};

const LINES: u64 = 10_000;

fn line(seq: u64) -> String {
    // mostly small lines, every 50th above a page, like real event logs
    let pad = if seq.is_multiple_of(50) {
        6000 + (seq % 7) as usize * 100
    } else {
        (seq * 13 % 150) as usize
    };
    jsjson::to_line(&serde_json::json!({
        "seq": seq,
        "type": "node_completed",
        "pad": "x".repeat(pad),
    }))
}

/// Child role: only active when the env var is set.
#[test]
fn crash_child_appender() {
    let Ok(path) = std::env::var("OXE_CRASH_TEST_PATH") else {
        return;
    };
    let path = PathBuf::from(path);
    for seq in 0..LINES {
        store::append_line(&path, &line(seq), false).expect("append");
    }
}

/// splitmix64
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Returns (complete lines, whether a torn tail was found).
fn verify(path: &Path) -> (u64, bool) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (0, false),
        Err(e) => panic!("{e}"),
    };
    let (complete, tail) = match text.rfind('\n') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text.as_str()),
    };
    let mut n = 0;
    for l in complete.lines() {
        let v = jsjson::parse(l).unwrap_or_else(|e| panic!("line {n} does not parse: {e}: {l:?}"));
        assert_eq!(v["seq"].as_u64(), Some(n), "gap or duplicate at line {n}");
        assert_eq!(l, line(n));
        n += 1;
    }
    // A SIGKILL can only stop a write between pages of a large line; what is
    // left must then be a prefix of the next line.
    if !tail.is_empty() {
        assert!(line(n).starts_with(tail), "garbage tail {tail:?}");
    }
    (n, !tail.is_empty())
}

#[test]
fn sigkill_mid_append_leaves_only_whole_lines() {
    let exe = std::env::current_exe().unwrap();
    let mut seed = 0x5EED_2024_u64;
    let mut torn_seen = 0;
    for round in 0..6 {
        let dir = Dir(std::env::temp_dir().join(format!(
            "oxe-crash-{}-{round}-{:x}",
            std::process::id(),
            next(&mut seed)
        )));
        let path = dir.0.join(".oxe/OXE-EVENTS.ndjson");
        let mut child = Command::new(&exe)
            .args(["crash_child_appender", "--exact", "--test-threads=1", "-q"])
            .env("OXE_CRASH_TEST_PATH", &path)
            .env_remove("OXE_DURABILITY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // wait until the child has started writing, then a random delay
        let start = std::time::Instant::now();
        while !path.exists() && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(1));
        }
        let delay = 1 + next(&mut seed) % 40;
        std::thread::sleep(Duration::from_millis(delay));
        // std's Child::kill sends SIGKILL on Unix
        let _ = child.kill();
        let status = child.wait().unwrap();
        let (complete, torn) = verify(&path);
        eprintln!(
            "round {round}: killed after {delay} ms ({status}), {complete} whole lines{}",
            if torn { ", torn tail" } else { "" }
        );
        let (complete, torn) = if round % 2 == 1 {
            // Also simulate what a power cut can leave behind: a file cut at
            // an arbitrary byte (here, strictly inside the last 300 bytes).
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if len > 300 {
                let cut = len - 1 - next(&mut seed) % 299;
                let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                f.set_len(cut).unwrap();
            }
            let (c, t) = verify(&path);
            eprintln!("round {round}: cut to a random length: {c} whole lines, torn tail: {t}");
            (c, t)
        } else {
            (complete, torn)
        };
        if torn {
            torn_seen += 1;
        }
        // the next writer cuts a torn tail away; then every line parses
        store::append_line(&path, "{\"after\":\"crash\"}", true).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("{\"after\":\"crash\"}\n"));
        let mut whole = 0;
        let mut fragments = 0;
        for l in text.lines() {
            if jsjson::parse(l).is_ok() {
                whole += 1;
            } else {
                fragments += 1;
            }
        }
        assert_eq!(whole, complete + 1);
        assert_eq!(fragments, 0, "a torn tail survived the next append");
    }
    eprintln!("torn tails seen: {torn_seen}/6");
}
