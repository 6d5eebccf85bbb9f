//! Running the Azure CLI: `az` is looked up on the caller's `PATH` (as
//! 1.4.0's `spawnSync('az', …)` does on Linux and macOS), started with an
//! argument list (never through a shell), with the caller's environment
//! and the project as working directory, and stopped after a timeout
//! (30 s as in 1.4.0; `OXE_AZ_TIMEOUT_MS` or the SDK's `timeoutMs` change
//! it). On Unix a captured call runs in its own process group so that a
//! timeout also stops what `az` itself started.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::error::{AzureError, AzureResult};

/// 1.4.0's default timeout of one `az` call.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;

/// The least time an interactive `az` call (run on the terminal) gets.
pub const INTERACTIVE_TIMEOUT_MS: u64 = 300_000;

/// Why `az` produced no exit status.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No executable `az` on PATH.
    NotFound,
    /// Killed after the timeout (ms).
    Timeout(u64),
    /// The process could not be started (the message of the OS error).
    Spawn(String),
}

/// What one `az` call gave back (1.4.0's `runAz` result).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AzOutput {
    /// The exit status; 1 when there is none (killed, not started).
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub failure: Option<Failure>,
}

impl AzOutput {
    pub fn ok(&self) -> bool {
        self.failure.is_none() && self.status == 0
    }

    /// `(stderr || stdout || fallback).trim()`.
    pub fn detail(&self, fallback: &str) -> String {
        let pick = if !self.stderr.is_empty() {
            &self.stderr
        } else if !self.stdout.is_empty() {
            &self.stdout
        } else {
            fallback
        };
        crate::jstext::trim(pick).to_string()
    }

    /// The error for a call that did not succeed (`None` when it did).
    pub fn error(&self, args: &[String], fallback: &str) -> Option<AzureError> {
        let command = display_command(args);
        match &self.failure {
            Some(Failure::NotFound) => Some(AzureError::CliMissing {
                detail: "az was not found on PATH".into(),
            }),
            Some(Failure::Spawn(m)) => Some(AzureError::CliMissing { detail: m.clone() }),
            Some(Failure::Timeout(ms)) => Some(AzureError::Timeout { command, ms: *ms }),
            None if self.status != 0 => Some(AzureError::CommandFailed {
                command,
                status: self.status,
                detail: self.detail(fallback),
            }),
            None => None,
        }
    }

    /// The parsed stdout of a successful call; an error naming the command
    /// when it failed or did not answer JSON (empty output is `null`).
    pub fn json(&self, args: &[String], fallback: &str) -> AzureResult<Value> {
        if let Some(e) = self.error(args, fallback) {
            return Err(e);
        }
        parse_json_output(&self.stdout).map_err(|detail| AzureError::BadJson {
            command: display_command(args),
            detail,
        })
    }
}

/// `JSON.parse(String(raw || '').trim() || 'null')`: the parsed value, or
/// the parse error's text.
pub fn parse_json_output(raw: &str) -> Result<Value, String> {
    let t = crate::jstext::trim(raw);
    if t.is_empty() {
        return Ok(Value::Null);
    }
    oxe_runtime::jsjson::parse(t).map_err(|e| e.to_string())
}

/// `az <args…>` for messages, with the value after any secret-looking
/// flag (`--admin-password`, `--*key`, `--*secret`, `--*token`) masked.
pub fn display_command(args: &[String]) -> String {
    let mut out = vec!["az".to_string()];
    let mut mask = false;
    for a in args {
        if mask {
            out.push("***".into());
            mask = false;
            continue;
        }
        let l = a.to_ascii_lowercase();
        mask = l.starts_with("--")
            && ["password", "secret", "token", "key"]
                .iter()
                .any(|w| l.contains(w));
        out.push(a.clone());
    }
    out.join(" ")
}

/// Something that runs `az`: the real CLI, or a fake in tests.
pub trait Az {
    /// Runs `az <args…>`; `inherit` lets the child use the terminal
    /// (interactive `az login`) instead of capturing its output.
    fn run(&self, args: &[String], inherit: bool) -> AzOutput;
    /// Environment variable `key` of the caller.
    fn var(&self, key: &str) -> Option<String>;
}

/// The real Azure CLI.
#[derive(Debug, Clone)]
pub struct SystemAz {
    pub cwd: PathBuf,
    pub env: BTreeMap<String, String>,
    pub timeout_ms: u64,
}

impl SystemAz {
    /// `timeout_ms`: the SDK's `timeoutMs` option when given, else
    /// `OXE_AZ_TIMEOUT_MS` from `env`, else 30 s.
    pub fn new(cwd: &Path, env: BTreeMap<String, String>, timeout_ms: Option<u64>) -> SystemAz {
        let from_env = env
            .get("OXE_AZ_TIMEOUT_MS")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|v| *v > 0);
        SystemAz {
            cwd: cwd.to_path_buf(),
            timeout_ms: timeout_ms
                .filter(|v| *v > 0)
                .or(from_env)
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            env,
        }
    }
}

/// The executable `az` on `path_var` (the first match), as a shell's
/// `PATH` lookup finds it. Empty entries are skipped.
pub fn resolve_az(path_var: Option<&str>) -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) {
        &["az.cmd", "az.exe", "az.bat", "az"]
    } else {
        &["az"]
    };
    for dir in std::env::split_paths(path_var?) {
        if dir.as_os_str().is_empty() {
            continue;
        }
        for n in names {
            let cand = dir.join(n);
            if is_executable(&cand) {
                return Some(cand);
            }
        }
    }
    None
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Output read so far by a reader thread, and whether it reached the end.
type Sink = std::sync::Arc<std::sync::Mutex<(Vec<u8>, bool)>>;

/// Reads `src` to its end into a shared buffer (so that what was read is
/// available even if a process `az` started keeps the pipe open).
fn reader<R: Read + Send + 'static>(src: Option<R>) -> Sink {
    let sink: Sink = Default::default();
    let out = sink.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        if let Some(mut s) = src {
            loop {
                match s.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if let Ok(mut g) = out.lock() {
                            g.0.extend_from_slice(&chunk[..n]);
                        }
                    }
                }
            }
        }
        if let Ok(mut g) = out.lock() {
            g.1 = true;
        }
    });
    sink
}

fn finished(s: &Sink) -> bool {
    s.lock().map(|g| g.1).unwrap_or(true)
}

fn take(s: &Sink) -> String {
    s.lock()
        .map(|g| String::from_utf8_lossy(&g.0).into_owned())
        .unwrap_or_default()
}

#[cfg(unix)]
fn kill_tree(child: &mut std::process::Child, group: bool) {
    if group {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) on the process group we created for this child.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
}

#[cfg(not(unix))]
fn kill_tree(child: &mut std::process::Child, _group: bool) {
    let _ = child.kill();
}

impl Az for SystemAz {
    fn run(&self, args: &[String], inherit: bool) -> AzOutput {
        let Some(exe) = resolve_az(self.env.get("PATH").map(String::as_str)) else {
            return AzOutput {
                status: 1,
                failure: Some(Failure::NotFound),
                ..AzOutput::default()
            };
        };
        let mut cmd = Command::new(exe);
        cmd.args(args)
            .env_clear()
            .envs(&self.env)
            .current_dir(&self.cwd);
        if inherit {
            cmd.stdin(Stdio::inherit())
                .stdout(Stdio::inherit())
                .stderr(Stdio::inherit());
        } else {
            cmd.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                cmd.process_group(0);
            }
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                let failure = if e.kind() == std::io::ErrorKind::NotFound {
                    Failure::NotFound
                } else {
                    Failure::Spawn(e.to_string())
                };
                return AzOutput {
                    status: 1,
                    failure: Some(failure),
                    ..AzOutput::default()
                };
            }
        };
        let out_t = reader(child.stdout.take());
        let err_t = reader(child.stderr.take());
        // An interactive call (`az login` on the terminal) waits for a
        // person: it gets at least five minutes.
        let limit = if inherit {
            self.timeout_ms.max(INTERACTIVE_TIMEOUT_MS)
        } else {
            self.timeout_ms
        };
        let deadline = Instant::now() + Duration::from_millis(limit);
        let status = loop {
            match child.try_wait() {
                Ok(Some(st)) => break Some(st),
                Ok(None) if Instant::now() >= deadline => break None,
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => {
                    kill_tree(&mut child, !inherit);
                    let _ = child.wait();
                    return AzOutput {
                        status: 1,
                        failure: Some(Failure::Spawn(e.to_string())),
                        ..AzOutput::default()
                    };
                }
            }
        };
        let Some(status) = status else {
            kill_tree(&mut child, !inherit);
            let _ = child.wait();
            // The readers end when the last holder of the pipes exits; they
            // are not waited for.
            return AzOutput {
                status: 1,
                failure: Some(Failure::Timeout(limit)),
                ..AzOutput::default()
            };
        };
        // The pipes close when the last process holding them exits; a
        // process `az` left running (a browser opened by `az login`, …) may
        // hold them longer, so they are waited for up to the deadline only.
        while !(finished(&out_t) && finished(&err_t)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        AzOutput {
            status: status.code().unwrap_or(1),
            stdout: take(&out_t),
            stderr: take(&err_t),
            failure: None,
        }
    }

    fn var(&self, key: &str) -> Option<String> {
        self.env.get(key).cloned()
    }
}

/// `["a", "b"]` as owned arguments.
pub fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}
