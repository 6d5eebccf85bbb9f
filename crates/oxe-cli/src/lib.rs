//! oxe-cli: the `oxe-cc` command line of oxe-rs and the SDK helpers that
//! are not runtime areas (package metadata, the `.oxe/` Markdown readers).
//! No napi here: `crates/oxe-node/src/cli.rs` exposes [`run_cli`] and the
//! readers to Node, and everything is testable without a process.
//!
//! Map: [`dispatch`] (command words and the per-command prelude),
//! [`flags`] (argument parsers), [`output`] (banner, headers, footer,
//! colour), [`i18n`] and [`usage`] (English / Brazilian Portuguese text),
//! [`init_oxe`] (the `.oxe/` bootstrap), [`parsers`] (PLAN/SPEC/STATE/…),
//! [`sdk`] (`readPackageMeta`, `readMinNode`), [`jstext`] and [`jsdate`]
//! (JavaScript text and date semantics the 1.4.0 formats rely on).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

pub mod dispatch;
pub mod flags;
pub mod i18n;
pub mod init_oxe;
pub mod jsdate;
pub mod jstext;
pub mod output;
pub mod parsers;
pub mod sdk;
pub mod usage;

/// The process a command runs in, passed explicitly so that tests need no
/// real process.
#[derive(Debug, Clone)]
pub struct CliEnv {
    /// Working directory (`process.cwd()`).
    pub cwd: PathBuf,
    /// Environment variables.
    pub vars: BTreeMap<String, String>,
    /// `process.stdout.isTTY === true`.
    pub stdout_is_tty: bool,
    /// Root of the installed package (holds `package.json`).
    pub package_root: PathBuf,
}

impl CliEnv {
    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// `os.homedir()`: `HOME`, else `USERPROFILE`.
    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    }
}

/// Runs `oxe-cc <args…>` (the arguments after the program name) and
/// returns the exit code. Nothing here panics on user input; should a bug
/// panic anyway, the panic is reported as an error line and exit code 1
/// (with details when `OXE_DEBUG=1`).
pub fn run_cli(args: &[String], env: &CliEnv, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (args, lang_flag) = flags::take_lang(args);
    let lang = i18n::Lang::detect(&env.vars, lang_flag.as_deref());
    let color = output::use_colors(env);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut ctx = output::Ctx {
            env,
            lang,
            color,
            out: &mut *out,
            err: &mut *err,
        };
        dispatch::run(&mut ctx, &args)
    }));
    let code = match result {
        Ok(code) => code,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let prefix = i18n::tr(lang, i18n::Msg::ErrorPrefix, &[]);
            let _ = writeln!(err, "{prefix} internal error in oxe-cc (please report it)");
            if env.var("OXE_DEBUG") == Some("1") {
                let _ = writeln!(err, "{detail}");
            }
            1
        }
    };
    let _ = out.flush();
    let _ = err.flush();
    code
}

pub mod assets_render;
pub mod azure;
pub mod capabilities_cmd;
pub mod context_cmd;
pub mod dashboard;
pub mod doctor_cmd;
pub mod health;
pub mod install;
pub mod plan_verify_cmd;
pub mod plugins_cmd;
pub mod runtime_cmd;
pub mod runtime_semantics;
pub mod security;
pub mod status_cmd;
#[cfg(test)]
mod tests;
pub mod workflows;
