//! Child processes of the installer (VS Code CLI, npm, npx), with the
//! caller's environment and a time limit.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The exit status of a program run to completion with inherited stdio,
/// or `None` when it could not start or ran out of time (then killed).
pub fn run_inherit(
    program: &str,
    args: &[&str],
    vars: &BTreeMap<String, String>,
    cwd: Option<&Path>,
    limit: Option<Duration>,
) -> Option<i32> {
    let mut cmd = Command::new(program);
    cmd.args(args).env_clear().envs(vars);
    if let Some(c) = cwd {
        cmd.current_dir(c);
    }
    let mut child = cmd.spawn().ok()?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return Some(st.code().unwrap_or(1)),
            Ok(None) => {
                if limit.is_some_and(|l| start.elapsed() > l) {
                    let _ = child.kill();
                    let _ = child.wait();
                    return None;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => return None,
        }
    }
}

/// Captured result of a program.
pub struct Captured {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a program and captures its output; `Err` when it cannot start.
pub fn run_capture(
    program: &str,
    args: &[&str],
    vars: &BTreeMap<String, String>,
    cwd: Option<&Path>,
) -> Result<Captured, String> {
    let mut cmd = Command::new(program);
    cmd.args(args).env_clear().envs(vars).stdin(Stdio::null());
    if let Some(c) = cwd {
        cmd.current_dir(c);
    }
    let out = cmd.output().map_err(|e| format!("spawn {program} {e}"))?;
    Ok(Captured {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}
