//! `runCheck`: one acceptance check as a child process, the way oxe-cc
//! 1.4.0 runs it with `spawnSync` — the command split on JS whitespace
//! (`/\s+/`, no shell, no quotes), the first token as the program, the
//! working directory, a timeout (SIGTERM), a 2 MiB output cap (ENOBUFS),
//! UTF-8 output, and Node's own error strings (`Error: spawnSync <prog>
//! ENOENT`, `… ETIMEDOUT`, argument errors as `TypeError [ERR_…]: …`).
//!
//! The function blocks its thread until the child is done; the binding runs
//! it on a worker thread, so the Node event loop is never blocked (1.4.0
//! blocks it for the whole run of the check).

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson::{self, truthy};

/// Node's default `maxBuffer` for the spawnSync call (2 MiB), counted over
/// stdout and stderr together.
pub const MAX_BUFFER: usize = 2 * 1024 * 1024;
/// `runCheck`'s default timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;

pub use crate::jsjson::is_js_space;

/// `s.split(/\s+/)`: runs of whitespace separate tokens; leading or
/// trailing whitespace yields empty first/last tokens.
pub fn split_ws(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_ws = false;
    let mut ws_start = 0;
    for (i, c) in s.char_indices() {
        if is_js_space(c) {
            if !in_ws {
                in_ws = true;
                ws_start = i;
            }
        } else if in_ws {
            out.push(&s[start..ws_start]);
            start = i;
            in_ws = false;
        }
    }
    if in_ws {
        out.push(&s[start..ws_start]);
        out.push("");
    } else {
        out.push(&s[start..]);
    }
    out
}

/// The timeout a check runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    None,
    Ms(u64),
}

/// `runCheck`'s third argument as 1.4.0 treats it: absent → 60 s; `null`
/// or `0` → no timeout; a non-negative integer → that many ms; anything
/// else is Node's `ERR_OUT_OF_RANGE` (reported as a check `error`).
pub fn timeout_arg(v: Option<&Value>) -> Result<Timeout, String> {
    match v {
        None => Ok(Timeout::Ms(DEFAULT_TIMEOUT_MS)),
        Some(Value::Null) => Ok(Timeout::None),
        Some(Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.is_finite() && f >= 0.0 && f.fract() == 0.0 {
                if f == 0.0 {
                    Ok(Timeout::None)
                } else {
                    Ok(Timeout::Ms(f.min(u64::MAX as f64) as u64))
                }
            } else {
                Err(out_of_range_timeout(&received_number(f)))
            }
        }
        Some(other) => Err(out_of_range_timeout(&inspect(other))),
    }
}

fn out_of_range_timeout(received: &str) -> String {
    format!(
        "RangeError [ERR_OUT_OF_RANGE]: The value of \"timeout\" is out of range. It must be an unsigned integer. Received {received}"
    )
}

/// How Node's ERR_OUT_OF_RANGE prints a number (`_` separators above 2^32).
fn received_number(f: f64) -> String {
    let s = jsjson::number_to_js_string(f);
    if f.fract() == 0.0 && f.abs() > 4_294_967_296.0 && !s.contains('e') {
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let mut out = String::new();
        let first = digits.len() % 3;
        for (i, ch) in digits.chars().enumerate() {
            if i != 0 && (i + 3 - first) % 3 == 0 {
                out.push('_');
            }
            out.push(ch);
        }
        format!("{sign}{out}")
    } else {
        s
    }
}

/// A short `util.inspect` of a JSON value, as Node's error messages show it.
fn inspect(v: &Value) -> String {
    match v {
        Value::String(s) => inspect_str(s),
        Value::Array(_) => "[Array]".into(),
        Value::Object(_) => "[Object]".into(),
        other => jsjson::js_string(other),
    }
}

/// `util.inspect` of a string: single quotes (double or backticks when the
/// text holds single quotes), control characters escaped.
pub fn inspect_str(s: &str) -> String {
    let quote = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') && !s.contains("${") {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\u{0B}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `ERR_INVALID_ARG_VALUE` as Node words it (the inspected value is cut at
/// 128 characters).
fn invalid_arg_value(name: &str, value: &str, reason: &str) -> String {
    let mut shown = inspect_str(value);
    if shown.chars().count() > 128 {
        shown = shown.chars().take(128).collect::<String>() + "...";
    }
    format!("TypeError [ERR_INVALID_ARG_VALUE]: The argument '{name}' {reason}. Received {shown}")
}

/// The working directory option: absent or `null` → the process's cwd.
fn cwd_arg(v: Option<&Value>) -> Result<Option<String>, String> {
    let received = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => {
            if s.contains('\0') {
                return Err(invalid_arg_value(
                    "options.cwd",
                    s,
                    "must be a string or Uint8Array without null bytes",
                ));
            }
            return Ok(Some(s.clone()));
        }
        Some(Value::Number(n)) => format!(
            "type number ({})",
            jsjson::js_string(&Value::Number(n.clone()))
        ),
        Some(Value::Bool(b)) => format!("type boolean ({b})"),
        Some(Value::Array(_)) => "an instance of Array".into(),
        Some(Value::Object(_)) => "an instance of Object".into(),
    };
    Err(format!(
        "TypeError [ERR_INVALID_ARG_TYPE]: The \"options.cwd\" property must be of type string or an instance of Buffer or URL. Received {received}"
    ))
}

/// The name libuv gives an OS error (`ENOENT`, `EACCES`…).
fn errno_name(e: &std::io::Error) -> String {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        let name = match code {
            libc::EPERM => "EPERM",
            libc::ENOENT => "ENOENT",
            libc::E2BIG => "E2BIG",
            libc::ENOEXEC => "ENOEXEC",
            libc::EAGAIN => "EAGAIN",
            libc::ENOMEM => "ENOMEM",
            libc::EACCES => "EACCES",
            libc::EFAULT => "EFAULT",
            libc::ENOTDIR => "ENOTDIR",
            libc::EISDIR => "EISDIR",
            libc::EINVAL => "EINVAL",
            libc::EMFILE => "EMFILE",
            libc::ENFILE => "ENFILE",
            libc::ETXTBSY => "ETXTBSY",
            libc::ENAMETOOLONG => "ENAMETOOLONG",
            libc::ELOOP => "ELOOP",
            libc::EIO => "EIO",
            _ => "",
        };
        if !name.is_empty() {
            return name.to_string();
        }
        return format!("Unknown system error -{code}");
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "ENOENT".into(),
        std::io::ErrorKind::PermissionDenied => "EACCES".into(),
        _ => "UNKNOWN".into(),
    }
}

/// What a finished child produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// `String(result.error)` when spawnSync reports an error.
    pub error: Option<String>,
    /// The child could not be started (spawnSync's `stdout` is then null).
    pub not_started: bool,
}

enum Chunk {
    Out(Vec<u8>),
    Err(Vec<u8>),
    OutEof,
    ErrEof,
}

fn pump(mut r: impl Read + Send + 'static, tx: mpsc::Sender<Chunk>, is_out: bool) {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let chunk = buf[..n].to_vec();
                    let msg = if is_out {
                        Chunk::Out(chunk)
                    } else {
                        Chunk::Err(chunk)
                    };
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = tx.send(if is_out { Chunk::OutEof } else { Chunk::ErrEof });
    });
}

fn terminate(child: &mut Child) {
    #[cfg(unix)]
    {
        // SIGTERM, Node's default killSignal.
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill(2) on the pid of our own child, which has not been
        // reaped yet (we still own the Child and have not waited on it).
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
    #[cfg(not(unix))]
    {
        let _ = child.kill();
    }
}

/// Runs `prog args…` like `spawnSync(prog, args, {cwd, encoding: 'utf8',
/// timeout, maxBuffer: 2 MiB})`.
pub fn spawn_sync(prog: &str, args: &[&str], cwd: Option<&str>, timeout: Timeout) -> Outcome {
    let mut cmd = Command::new(prog);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                error: Some(format!("Error: spawnSync {prog} {}", errno_name(&e))),
                not_started: true,
                ..Outcome::default()
            }
        }
    };
    // No input: the child reads EOF.
    drop(child.stdin.take());
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        pump(out, tx.clone(), true);
    } else {
        let _ = tx.send(Chunk::OutEof);
    }
    if let Some(err) = child.stderr.take() {
        pump(err, tx.clone(), false);
    } else {
        let _ = tx.send(Chunk::ErrEof);
    }
    drop(tx);

    let deadline = match timeout {
        Timeout::Ms(ms) => Instant::now().checked_add(Duration::from_millis(ms)),
        Timeout::None => None,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let (mut out_open, mut err_open) = (true, true);
    let mut error: Option<&str> = None;
    while out_open || err_open {
        let msg = match deadline {
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    error = Some("ETIMEDOUT");
                    break;
                }
                match rx.recv_timeout(d - now) {
                    Ok(m) => m,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        error = Some("ETIMEDOUT");
                        break;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => break,
            },
        };
        match msg {
            Chunk::Out(c) => out.extend_from_slice(&c),
            Chunk::Err(c) => err.extend_from_slice(&c),
            Chunk::OutEof => out_open = false,
            Chunk::ErrEof => err_open = false,
        }
        if out.len() + err.len() > MAX_BUFFER {
            error = Some("ENOBUFS");
            break;
        }
    }
    if error.is_some() {
        // Like spawnSync: signal the child unless it already exited, stop
        // reading (a grandchild holding the pipes no longer keeps us here),
        // then wait for the child itself.
        if matches!(child.try_wait(), Ok(None)) {
            terminate(&mut child);
        }
        drop(rx);
    }
    let status = child.wait().ok().and_then(|s| s.code());
    Outcome {
        status,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        error: error.map(|code| format!("Error: spawnSync {prog} {code}")),
        not_started: false,
    }
}

/// `runCheck(check, cwd, timeoutMs)`: the CheckResult
/// `{check_id, acceptance_ref, status, stdout, stderr, exit_code,
/// duration_ms, error}`. `cwd`/`timeout` are `None` when the caller left
/// them out. Only a check that is not an object is an error (1.4.0 rejects).
pub fn run_check(check: &Value, cwd: Option<&Value>, timeout: Option<&Value>) -> OxeResult<Value> {
    let Some(c) = check.as_object() else {
        return Err(OxeError::Arg(
            "runCheck: check must be an AcceptanceCheck object".into(),
        ));
    };
    let base = |status: &str,
                stdout: String,
                stderr: String,
                exit: Value,
                ms: i64,
                error: Option<String>| {
        let mut r = Map::with_capacity(8);
        if let Some(v) = c.get("id") {
            r.insert("check_id".into(), v.clone());
        }
        if let Some(v) = c.get("acceptance_ref") {
            r.insert("acceptance_ref".into(), v.clone());
        }
        r.insert("status".into(), Value::String(status.into()));
        r.insert("stdout".into(), Value::String(stdout));
        r.insert("stderr".into(), Value::String(stderr));
        r.insert("exit_code".into(), exit);
        r.insert("duration_ms".into(), Value::from(ms));
        r.insert(
            "error".into(),
            error.map(Value::String).unwrap_or(Value::Null),
        );
        Value::Object(r)
    };
    let command = match c.get("command") {
        Some(v) if truthy(v) => v,
        _ => {
            return Ok(base(
                "skip",
                String::new(),
                String::new(),
                Value::Null,
                0,
                None,
            ))
        }
    };
    let start = clock::now_ms();
    let thrown = |msg: String| {
        let ms = clock::now_ms() - start;
        base(
            "error",
            String::new(),
            String::new(),
            Value::Null,
            ms,
            Some(msg),
        )
    };
    let Value::String(command) = command else {
        return Ok(thrown(
            "TypeError: check.command.split is not a function".into(),
        ));
    };
    let parts = split_ws(command);
    let prog = parts[0];
    let args = &parts[1..];
    if prog.contains('\0') {
        return Ok(thrown(invalid_arg_value(
            "file",
            prog,
            "must be a string without null bytes",
        )));
    }
    if prog.is_empty() {
        return Ok(thrown(invalid_arg_value("file", prog, "cannot be empty")));
    }
    if let Some((i, a)) = args.iter().enumerate().find(|(_, a)| a.contains('\0')) {
        return Ok(thrown(invalid_arg_value(
            &format!("args[{i}]"),
            a,
            "must be a string without null bytes",
        )));
    }
    let cwd = match cwd_arg(cwd) {
        Ok(c) => c,
        Err(msg) => return Ok(thrown(msg)),
    };
    let timeout = match timeout_arg(timeout) {
        Ok(t) => t,
        Err(msg) => return Ok(thrown(msg)),
    };
    let o = spawn_sync(prog, args, cwd.as_deref(), timeout);
    let ms = clock::now_ms() - start;
    let status = if o.status == Some(0) { "pass" } else { "fail" };
    let exit = o.status.map(Value::from).unwrap_or(Value::Null);
    Ok(base(status, o.stdout, o.stderr, exit, ms, o.error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_like_js() {
        assert_eq!(split_ws("npm test"), ["npm", "test"]);
        assert_eq!(split_ws("  a\t\nb  "), ["", "a", "b", ""]);
        assert_eq!(split_ws("a\u{A0}b\u{FEFF}c\u{85}d"), ["a", "b", "c\u{85}d"]);
        assert_eq!(split_ws(""), [""]);
    }

    #[test]
    fn timeouts_and_inspect() {
        assert_eq!(timeout_arg(None), Ok(Timeout::Ms(60_000)));
        assert_eq!(timeout_arg(Some(&json!(null))), Ok(Timeout::None));
        assert_eq!(timeout_arg(Some(&json!(0))), Ok(Timeout::None));
        assert_eq!(timeout_arg(Some(&json!(5))), Ok(Timeout::Ms(5)));
        assert_eq!(
            timeout_arg(Some(&json!(1.5))).unwrap_err(),
            "RangeError [ERR_OUT_OF_RANGE]: The value of \"timeout\" is out of range. It must be an unsigned integer. Received 1.5"
        );
        assert!(timeout_arg(Some(&json!(-1)))
            .unwrap_err()
            .ends_with("Received -1"));
        assert!(timeout_arg(Some(&json!(10_000_000_000.5f64))).is_err());
        assert_eq!(received_number(10_000_000_000.0), "10_000_000_000");
        assert!(timeout_arg(Some(&json!("5")))
            .unwrap_err()
            .ends_with("Received '5'"));
        assert_eq!(inspect_str("a\0b"), "'a\\x00b'");
        assert_eq!(inspect_str("it's"), "\"it's\"");
    }

    fn check(cmd: Value) -> Value {
        json!({"id": "c", "type": "smoke", "command": cmd, "evidence_type_expected": "stdout", "acceptance_ref": null, "description": "d"})
    }

    #[test]
    fn skip_and_argument_errors() {
        let r = run_check(&check(Value::Null), None, None).unwrap();
        assert_eq!(r["status"], "skip");
        assert_eq!(r["duration_ms"], 0);
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "check_id",
                "acceptance_ref",
                "status",
                "stdout",
                "stderr",
                "exit_code",
                "duration_ms",
                "error"
            ]
        );
        let r = run_check(&check(json!(" npm test")), None, None).unwrap();
        assert_eq!(r["status"], "error");
        assert_eq!(
            r["error"],
            "TypeError [ERR_INVALID_ARG_VALUE]: The argument 'file' cannot be empty. Received ''"
        );
        let r = run_check(&check(json!(42)), None, None).unwrap();
        assert_eq!(
            r["error"],
            "TypeError: check.command.split is not a function"
        );
        let r = run_check(&check(json!("sh -c")), Some(&json!(5)), None).unwrap();
        assert_eq!(r["status"], "error");
        assert!(r["error"]
            .as_str()
            .unwrap()
            .contains("Received type number (5)"));
        assert!(run_check(&json!(null), None, None).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn runs_processes() {
        let r = run_check(&check(json!("sh -c exit")), None, None).unwrap();
        assert_eq!(r["status"], "pass");
        assert_eq!(r["exit_code"], 0);
        let r = run_check(&check(json!("false")), None, None).unwrap();
        assert_eq!(r["status"], "fail");
        assert_eq!(r["exit_code"], 1);
        assert_eq!(r["error"], Value::Null);
        let r = run_check(
            &check(json!("definitely-not-a-program-xyz arg")),
            None,
            None,
        )
        .unwrap();
        assert_eq!(r["status"], "fail");
        assert_eq!(r["exit_code"], Value::Null);
        assert_eq!(r["stdout"], "");
        assert_eq!(
            r["error"],
            "Error: spawnSync definitely-not-a-program-xyz ENOENT"
        );
        let r = run_check(&check(json!("echo hi   there")), Some(&json!("/")), None).unwrap();
        assert_eq!(r["stdout"], "hi there\n");
        let r = run_check(&check(json!("pwd")), Some(&json!("/nonexistent/dir")), None).unwrap();
        assert_eq!(r["error"], "Error: spawnSync pwd ENOENT");
    }

    #[cfg(unix)]
    #[test]
    fn timeout_and_output_cap() {
        let t0 = Instant::now();
        let r = run_check(&check(json!("sleep 5")), None, Some(&json!(200))).unwrap();
        assert!(t0.elapsed() < Duration::from_secs(3));
        assert_eq!(r["status"], "fail");
        assert_eq!(r["exit_code"], Value::Null);
        assert_eq!(r["error"], "Error: spawnSync sleep ETIMEDOUT");
        let r = run_check(&check(json!("yes")), None, Some(&json!(10_000))).unwrap();
        assert_eq!(r["error"], "Error: spawnSync yes ENOBUFS");
        assert!(r["stdout"].as_str().unwrap().len() > MAX_BUFFER);
    }
}
