//! Command dispatch of `oxe-cc`.
//!
//! `argv[0]` names the command when it is one of the words below (checked
//! in 1.4.0's order); anything else, including an unknown word, means
//! `install` with `argv[0]` left in place (so `oxe-cc foo` installs into
//! `./foo`). Each command family then runs its own parser and a fixed
//! prelude: help / conflicts / unknown flag (each prints the banner and the
//! usage), the banner, the "directory not found" check where 1.4.0 has
//! one, and finally the command's handler.
//!
//! # Adding a command
//!
//! Write `pub fn run(ctx: &mut Ctx, opts: &<Opts>) -> i32` in a module of
//! this crate (see [`crate::init_oxe::run`]) and call it from a new arm of
//! [`run`]. Parsing, help, unknown
//! flags, banner and the folder check are already done when it is called;
//! return the exit code.

use crate::flags::{self, Base};
use crate::i18n::Msg;
use crate::output::{Ctx, RED};
use crate::usage::usage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Doctor,
    Status,
    InitOxe,
    Context,
    Dashboard,
    Runtime,
    Azure,
    Uninstall,
    Update,
    Capabilities,
    Plugins,
    Plan,
    Verify,
    Install,
}

/// The command words, in the order 1.4.0 checks them.
pub const WORDS: [(&str, Command); 14] = [
    ("doctor", Command::Doctor),
    ("status", Command::Status),
    ("init-oxe", Command::InitOxe),
    ("context", Command::Context),
    ("dashboard", Command::Dashboard),
    ("runtime", Command::Runtime),
    ("azure", Command::Azure),
    ("uninstall", Command::Uninstall),
    ("update", Command::Update),
    ("capabilities", Command::Capabilities),
    ("plugins", Command::Plugins),
    ("plan", Command::Plan),
    ("verify", Command::Verify),
    ("install", Command::Install),
];

impl Command {
    pub fn word(self) -> &'static str {
        WORDS
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("install", |(w, _)| w)
    }
}

/// The command and the arguments left for its parser.
pub fn split(args: &[String]) -> (Command, &[String]) {
    if let Some(first) = args.first() {
        if let Some((_, cmd)) = WORDS.iter().find(|(w, _)| w == first) {
            return (*cmd, &args[1..]);
        }
    }
    (Command::Install, args)
}

/// Help, conflicts and unknown flags: the early exits every parser shares.
/// `Some(code)` when the command must stop here.
fn early_exit(
    ctx: &mut Ctx,
    help: bool,
    conflict: Option<Msg>,
    unknown: Option<&str>,
) -> Option<i32> {
    if help {
        print_usage(ctx, true);
        return Some(0);
    }
    if let Some(c) = conflict {
        ctx.banner(false);
        let msg = ctx.t(c, &[]);
        ctx.error(&msg);
        print_usage(ctx, false);
        return Some(1);
    }
    if let Some(flag) = unknown {
        unknown_flag(ctx, flag);
        return Some(1);
    }
    None
}

fn print_usage(ctx: &mut Ctx, with_banner: bool) {
    if with_banner {
        ctx.banner(false);
    }
    let text = usage(ctx.lang, ctx.color);
    ctx.say(&text);
}

/// Banner, `Unknown option: <flag>` on stderr, usage on stdout.
pub fn unknown_flag(ctx: &mut Ctx, flag: &str) {
    ctx.banner(false);
    let label = ctx.t(Msg::UnknownOption, &[]);
    let line = format!("{} {flag}", ctx.paint(RED, &label));
    ctx.warn(&line);
    print_usage(ctx, false);
}

/// `Directory not found: <dir>` and exit 1 when `dir` does not exist.
fn missing_dir(ctx: &mut Ctx, dir: &std::path::Path) -> Option<i32> {
    if dir.exists() {
        return None;
    }
    let msg = ctx.t(Msg::DirNotFound, &[&dir.display().to_string()]);
    ctx.notice(&msg);
    Some(1)
}

/// Runs `oxe-cc <args…>` and returns the exit code.
pub fn run(ctx: &mut Ctx, args: &[String]) -> i32 {
    let (cmd, rest) = split(args);
    let home = ctx.env.home();
    let cwd = ctx.env.cwd.clone();
    let base = Base {
        cwd: &cwd,
        home: home.as_deref(),
    };
    match cmd {
        Command::Uninstall => {
            let o = flags::parse_uninstall(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, o.conflict, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(false);
            if !o.dry_run {
                if let Some(code) = missing_dir(ctx, &o.dir) {
                    return code;
                }
            }
            crate::install::uninstall::run(ctx, &o)
        }
        Command::Update => {
            let o = flags::parse_update(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, o.conflict, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(false);
            if !o.check && !o.dry_run {
                if let Some(code) = missing_dir(ctx, &o.dir) {
                    return code;
                }
            }
            crate::install::update::run(ctx, &o)
        }
        Command::Capabilities => {
            let o = flags::parse_capabilities(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, None, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(false);
            if let Some(code) = missing_dir(ctx, &o.dir) {
                return code;
            }
            crate::capabilities_cmd::run(ctx, &o)
        }
        Command::Dashboard => {
            let o = flags::parse_dashboard(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, None, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(o.dump_context);
            crate::dashboard::cmd::run(ctx, &o)
        }
        Command::Context => {
            let o = flags::parse_context(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, None, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(o.json);
            if let Some(code) = missing_dir(ctx, &o.dir) {
                return code;
            }
            crate::context_cmd::cli::run(ctx, &o)
        }
        Command::Runtime => {
            let o = flags::parse_runtime(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, None, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(o.json_output);
            if let Some(code) = missing_dir(ctx, &o.dir) {
                return code;
            }
            crate::runtime_cmd::run(ctx, &o)
        }
        Command::Plugins => {
            let o = flags::parse_plugins(rest, &base);
            ctx.banner(false);
            crate::plugins_cmd::run(ctx, &o)
        }
        Command::Azure => {
            let o = flags::parse_azure(rest, &base);
            if let Some(code) = early_exit(ctx, o.help, None, o.unknown_flag.as_deref()) {
                return code;
            }
            let json = matches!(o.action.as_str(), "list" | "show");
            ctx.banner(json);
            crate::azure::cmd::run(ctx, &o)
        }
        Command::Plan | Command::Verify => {
            let (switch, msg, word) = if cmd == Command::Plan {
                ("--visual", Msg::UsePlanVisual, "plan")
            } else {
                ("--matrix", Msg::UseVerifyMatrix, "verify")
            };
            let o = flags::parse_view(rest, &base, switch);
            if let Some(code) = early_exit(ctx, o.help, None, o.unknown_flag.as_deref()) {
                return code;
            }
            ctx.banner(false);
            if !o.switch {
                let m = ctx.t(msg, &[]);
                ctx.notice(&m);
                return 1;
            }
            if let Some(code) = missing_dir(ctx, &o.dir) {
                return code;
            }
            let _ = word;
            if cmd == Command::Plan {
                crate::plan_verify_cmd::run_plan(ctx, &o)
            } else {
                crate::plan_verify_cmd::run_verify(ctx, &o)
            }
        }
        Command::Install | Command::Doctor | Command::Status | Command::InitOxe => {
            let o = flags::parse_install(rest, &base);
            if o.version {
                let v = crate::sdk::read_package_meta(&ctx.env.package_root).version;
                ctx.say(&format!("oxe-cc v{v}"));
                return 0;
            }
            if let Some(code) = early_exit(ctx, false, o.conflict, o.unknown_flag.as_deref()) {
                return code;
            }
            if o.help {
                print_usage(ctx, true);
                return 0;
            }
            if !(cmd == Command::Status && o.json_output) {
                ctx.banner(cmd == Command::Install && o.json_output);
            }
            match cmd {
                Command::InitOxe => crate::init_oxe::run(ctx, &o),
                Command::Doctor | Command::Status => {
                    if let Some(code) = missing_dir(ctx, &o.dir) {
                        return code;
                    }
                    if cmd == Command::Status {
                        crate::status_cmd::run(ctx, &o)
                    } else {
                        crate::doctor_cmd::run(ctx, &o)
                    }
                }
                _ => crate::install::run::run(ctx, &o),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_and_default() {
        let args = v(&["runtime", "status"]);
        let (c, rest) = split(&args);
        assert_eq!(c, Command::Runtime);
        assert_eq!(rest, &args[1..]);
        let args = v(&["foo", "--cursor"]);
        let (c, rest) = split(&args);
        assert_eq!(c, Command::Install);
        assert_eq!(rest.len(), 2);
        assert_eq!(split(&[]).0, Command::Install);
        assert_eq!(Command::InitOxe.word(), "init-oxe");
    }
}
