//! Human output of the command line: banner, section headers, the
//! summary / next-steps footer, colours and path display.
//!
//! Colour is used only when stdout is a terminal and neither `NO_COLOR`
//! (non-empty) nor `FORCE_COLOR=0` is set; without colour not a single
//! escape sequence is written (1.4.0 leaks some, see docs/compat.md).
//! Write errors (a closed pipe) are ignored: output is best effort, the
//! exit code is what scripts rely on.

use std::io::Write;
use std::path::Path;

use crate::i18n::{pick, tr, Lang, Msg};
use crate::CliEnv;

pub const CYAN: &str = "\x1b[36m";
pub const GREEN: &str = "\x1b[32m";
pub const YELLOW: &str = "\x1b[33m";
pub const DIM: &str = "\x1b[2m";
pub const RED: &str = "\x1b[31m";
pub const BOLD: &str = "\x1b[1m";
pub const RESET: &str = "\x1b[0m";

/// The heavy rule of headers and footers (72 characters).
pub const RULE: &str = "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━";

/// The banner shipped in `assets/banner.txt`; `bin/banner.txt` in the
/// package overrides it, as in 1.4.0.
const DEFAULT_BANNER: &str = include_str!("../../../assets/banner.txt");

/// One step of the "next steps" footer.
pub struct NextStep {
    pub desc: String,
    pub cmd: String,
}

/// Everything a command needs to talk to the user.
pub struct Ctx<'a> {
    pub env: &'a CliEnv,
    pub lang: Lang,
    pub color: bool,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// `useAnsiColors()`.
pub fn use_colors(env: &CliEnv) -> bool {
    if env.var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if env.var("FORCE_COLOR") == Some("0") {
        return false;
    }
    env.stdout_is_tty
}

impl Ctx<'_> {
    /// A message in the user's language.
    pub fn t(&self, msg: Msg, args: &[&str]) -> String {
        tr(self.lang, msg, args)
    }

    /// `text` wrapped in `code` … reset when colour is on.
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub fn say(&mut self, line: &str) {
        let _ = writeln!(self.out, "{line}");
    }

    pub fn warn(&mut self, line: &str) {
        let _ = writeln!(self.err, "{line}");
    }

    /// A red error line on stderr.
    pub fn error(&mut self, line: &str) {
        let l = self.paint(RED, line);
        self.warn(&l);
    }

    /// A yellow notice on stderr.
    pub fn notice(&mut self, line: &str) {
        let l = self.paint(YELLOW, line);
        self.warn(&l);
    }

    /// Runs `f` on this context, or, when `to_stderr`, on one whose
    /// stdout is this context's stderr (the human lines of a run whose
    /// stdout must carry only JSON).
    pub fn to_stderr_if<R>(&mut self, to_stderr: bool, f: impl FnOnce(&mut Ctx) -> R) -> R {
        if !to_stderr {
            return f(self);
        }
        let mut buf: Vec<u8> = Vec::new();
        let r = {
            let mut tmp = Ctx {
                env: self.env,
                lang: self.lang,
                color: self.color,
                out: &mut buf,
                err: &mut *self.err,
            };
            f(&mut tmp)
        };
        let _ = self.err.write_all(&buf);
        r
    }

    /// The `Project:` and `Session:` lines (label green, value cyan); no
    /// session reads `legacy mode`.
    pub fn project_and_session(&mut self, dir: &Path, session: Option<&str>) {
        let legacy = pick(self.lang, "legacy mode", "modo legado");
        let rows = [
            (
                pick(self.lang, "Project:", "Projeto:"),
                dir.display().to_string(),
            ),
            (
                pick(self.lang, "Session:", "Sessão:"),
                session.unwrap_or(&legacy).to_string(),
            ),
        ];
        for (label, value) in rows {
            let line = format!(
                "  {} {}",
                self.paint(GREEN, &label),
                self.paint(CYAN, &value)
            );
            self.say(&line);
        }
    }

    /// The banner, unless `OXE_NO_BANNER` is `1` or `true`. Commands whose
    /// stdout is JSON put it on stderr (`to_stderr`).
    pub fn banner(&mut self, to_stderr: bool) {
        if matches!(self.env.var("OXE_NO_BANNER"), Some("1" | "true")) {
            return;
        }
        let version = crate::sdk::read_package_meta(&self.env.package_root).version;
        let custom = self.env.package_root.join("bin").join("banner.txt");
        let raw = std::fs::read_to_string(custom).unwrap_or_else(|_| DEFAULT_BANNER.to_string());
        let text = raw.replace("{version}", &version).replace("\r\n", "\n");
        let text = text.trim_end();
        let mut buf = String::new();
        if self.color {
            buf.push_str(&format!("{DIM}{RULE}{RESET}\n\n"));
            let tag = format!("v{version}");
            for line in text.split('\n') {
                if line.contains(&tag) {
                    buf.push_str(&format!("{DIM}{line}{RESET}\n"));
                } else {
                    buf.push_str(&format!("{CYAN}{BOLD}{line}{RESET}\n"));
                }
            }
            buf.push_str(&format!("\n{DIM}{RULE}{RESET}\n\n"));
        } else {
            buf.push_str(text);
            buf.push_str("\n\n");
        }
        let w: &mut dyn Write = if to_stderr {
            &mut *self.err
        } else {
            &mut *self.out
        };
        let _ = w.write_all(buf.as_bytes());
    }

    /// A section header: `OXE ▸ <command>`.
    pub fn section(&mut self, title: &str) {
        let text = if self.color {
            format!("\n{DIM}{RULE}{RESET}\n  {CYAN}{BOLD}{title}{RESET}\n{DIM}{RULE}{RESET}\n\n")
        } else {
            format!("\n{title}\n{}\n\n", "─".repeat(50))
        };
        let _ = self.out.write_all(text.as_bytes());
    }

    /// The closing block: what was done (or would be, in a dry run) and the
    /// suggested next commands.
    pub fn footer(&mut self, bullets: &[String], next: &[NextStep], dry_run: bool) {
        let title = self.t(
            if dry_run {
                Msg::FooterDryRun
            } else {
                Msg::FooterDone
            },
            &[],
        );
        let mut s = format!(
            "\n  {}\n  {}\n",
            self.paint(DIM, RULE),
            self.paint(CYAN, &title)
        );
        for b in bullets {
            s.push_str(&format!("  {} {b}\n", self.paint(GREEN, "•")));
        }
        if !next.is_empty() {
            let head = self.t(Msg::FooterNext, &[]);
            s.push_str(&format!("\n  {}\n", self.paint(YELLOW, &head)));
            for (i, step) in next.iter().enumerate() {
                s.push_str(&format!(
                    "  {} {}\n",
                    self.paint(DIM, &format!("{}.", i + 1)),
                    step.desc
                ));
                s.push_str(&format!("     {}\n", self.paint(CYAN, &step.cmd)));
            }
        }
        s.push_str(&format!("  {}\n\n", self.paint(DIM, RULE)));
        let _ = self.out.write_all(s.as_bytes());
    }

    /// `✓ <text>` closing line.
    pub fn done(&mut self, text: &str) {
        let line = format!("  {} {text}\n", self.paint(GREEN, "✓"));
        self.say(&line);
    }

    /// `displayPathForUser`: `~/…` under the home directory, else absolute.
    pub fn display_path(&self, p: &Path) -> String {
        display_path(self.env, p)
    }
}

/// `~/rel/with/slashes` when `p` is inside the home directory, else `p`.
pub fn display_path(env: &CliEnv, p: &Path) -> String {
    if let Some(home) = env.home() {
        if let Ok(rel) = p.strip_prefix(&home) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            return format!("~/{}", parts.join("/"));
        }
    }
    p.to_string_lossy().into_owned()
}
