//! `run_cli` end to end, without a process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{run_cli, CliEnv};

/// A temporary directory removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "oxe-cli-{tag}-{}-{}",
            std::process::id(),
            oxe_runtime::clock::random_chars(10, oxe_runtime::clock::BASE36)
        ));
        std::fs::create_dir_all(&p).expect("mkdir temp");
        TempDir(p)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn package_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

fn env_in(cwd: &Path, vars: &[(&str, &str)], tty: bool) -> CliEnv {
    let mut map: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    map.entry("HOME".into())
        .or_insert_with(|| cwd.display().to_string());
    CliEnv {
        cwd: cwd.to_path_buf(),
        vars: map,
        stdout_is_tty: tty,
        package_root: package_root(),
    }
}

fn run(args: &[&str], env: &CliEnv) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_cli(&args, env, &mut out, &mut err);
    Run {
        code,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

#[test]
fn help_and_version() {
    let d = TempDir::new("help");
    let env = env_in(d.path(), &[], false);
    let r = run(&["--help"], &env);
    assert_eq!(r.code, 0);
    assert!(r.out.contains("oxe-cc") && r.out.contains("runtime") && r.out.contains("azure"));
    let r = run(&["-v"], &env);
    assert_eq!(r.code, 0);
    assert!(
        r.out.starts_with("oxe-cc v") && r.out.lines().count() == 1,
        "{}",
        r.out
    );
    // -v wins over a later unknown flag and over help for install-family commands
    assert_eq!(run(&["status", "-v", "--bogus"], &env).code, 0);
    assert_eq!(run(&["status", "--bogus", "-v"], &env).code, 1);
    // help is checked before unknown flags elsewhere
    assert_eq!(run(&["runtime", "--help", "--bogus"], &env).code, 0);
    // but runtime has no -v
    let r = run(&["runtime", "-v"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("-v"));
}

#[test]
fn unknown_flags_and_value_rules() {
    let d = TempDir::new("flags");
    let env = env_in(d.path(), &[("OXE_NO_BANNER", "1")], false);
    let r = run(&["--not-a-flag"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("Unknown option:") && r.err.contains("--not-a-flag"));
    assert!(r.out.contains("Usage:"), "usage goes to stdout");
    let r = run(&["init-oxe", "--dir"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("--dir"));
    // conflicts win over help
    let r = run(&["-g", "-l", "--help"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("--global-cli"));
}

#[test]
fn init_oxe_creates_the_tree() {
    let d = TempDir::new("init");
    let env = env_in(d.path(), &[("OXE_NO_BANNER", "1")], false);
    let r = run(&["init-oxe"], &env);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let oxe = d.path().join(".oxe");
    for f in [
        "STATE.md",
        "config.json",
        "global/LESSONS.md",
        "global/MILESTONES.md",
        "EXECUTION-RUNTIME.md",
        "ACTIVE-RUN.json",
        "OXE-EVENTS.ndjson",
        "CHECKPOINTS.md",
        "CAPABILITIES.md",
        "INVESTIGATIONS.md",
        "plugins/README.md",
    ] {
        assert!(oxe.join(f).is_file(), "{f}");
    }
    for dir in [
        "codebase",
        "context/packs",
        "context/summaries",
        "install",
        "runs",
        "memory",
        "sessions",
        "workstreams",
        "global/milestones",
    ] {
        assert!(oxe.join(dir).is_dir(), "{dir}");
    }
    let gi = std::fs::read_to_string(d.path().join(".gitignore")).expect("gitignore");
    assert!(gi.ends_with(".oxe/\n"));
    assert!(!r.out.contains('\x1b'), "no escapes without a terminal");
    // a second run keeps STATE.md and config.json and does not touch .gitignore
    std::fs::write(oxe.join("STATE.md"), "mine").expect("write");
    let r = run(&["init-oxe"], &env);
    assert_eq!(r.code, 0);
    assert_eq!(
        std::fs::read_to_string(oxe.join("STATE.md")).expect("read"),
        "mine"
    );
    assert!(r.out.contains("skipped"));
    assert!(!r.out.contains("gitignore"));
    assert_eq!(
        std::fs::read_to_string(d.path().join(".gitignore")).expect("gitignore"),
        gi
    );
    // --force replaces them
    let r = run(&["init-oxe", "--force"], &env);
    assert_eq!(r.code, 0);
    assert_ne!(
        std::fs::read_to_string(oxe.join("STATE.md")).expect("read"),
        "mine"
    );
}

#[test]
fn init_oxe_dry_run_and_missing_dir() {
    let d = TempDir::new("dry");
    let env = env_in(d.path(), &[("OXE_NO_BANNER", "1")], false);
    let r = run(&["init-oxe", "--dry-run"], &env);
    assert_eq!(r.code, 0);
    assert!(!d.path().join(".oxe").exists() && !d.path().join(".gitignore").exists());
    let missing = d.path().join("nope");
    let r = run(&["init-oxe", &missing.display().to_string()], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("Directory not found"));
    // a dry run does not need the folder
    assert_eq!(
        run(
            &["init-oxe", "--dry-run", &missing.display().to_string()],
            &env
        )
        .code,
        0
    );
}

#[test]
fn colour_language_and_banner() {
    let d = TempDir::new("color");
    let tty = env_in(d.path(), &[], true);
    let r = run(&["--help"], &tty);
    assert!(r.out.contains('\x1b'));
    let no = env_in(d.path(), &[("NO_COLOR", "1")], true);
    assert!(!run(&["--help"], &no).out.contains('\x1b'));
    let zero = env_in(d.path(), &[("FORCE_COLOR", "0")], true);
    assert!(!run(&["--help"], &zero).out.contains('\x1b'));
    let pt = env_in(
        d.path(),
        &[("LANG", "pt_BR.UTF-8"), ("OXE_NO_BANNER", "1")],
        false,
    );
    let r = run(&["--bogus"], &pt);
    assert!(r.err.contains("Opção desconhecida:"));
    let r = run(&["--bogus", "--lang", "en"], &pt);
    assert!(r.err.contains("Unknown option:"));
    let banner = env_in(d.path(), &[], false);
    let r = run(&["--help"], &banner);
    assert!(
        r.out.starts_with("  "),
        "banner first: {}",
        &r.out[..40.min(r.out.len())]
    );
    let quiet = env_in(d.path(), &[("OXE_NO_BANNER", "true")], false);
    assert!(run(&["--help"], &quiet).out.starts_with('\n'));
}

#[test]
fn plan_without_a_mode_fails_clearly() {
    let d = TempDir::new("na");
    let env = env_in(d.path(), &[("OXE_NO_BANNER", "1")], false);
    let r = run(&["plan"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("--visual"));
    // dashboard checks its port before it binds or blocks
    let r = run(&["dashboard", "--no-open", "--port", "70000"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("Invalid port: 70000"), "{}", r.err);
    let r = run(&["doctor", "/definitely/not/here"], &env);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("Directory not found"));
    // status --json prints no banner at all: stdout is one JSON line
    let loud = env_in(d.path(), &[], false);
    let out = run(&["status", "--json"], &loud).out;
    assert!(out.starts_with('{'), "{out}");
    assert_eq!(out.trim_end().lines().count(), 1, "{out}");
}

#[test]
fn paths_under_home_show_with_a_tilde() {
    let d = TempDir::new("home");
    let env = env_in(d.path(), &[], false);
    let inside = d.path().join("proj").join("src");
    assert_eq!(crate::output::display_path(&env, &inside), "~/proj/src");
    let outside = Path::new("/opt/elsewhere");
    assert_eq!(crate::output::display_path(&env, outside), "/opt/elsewhere");
}

#[test]
fn context_command_builds_and_inspects() {
    let d = TempDir::new("ctxcmd");
    let pkg = TempDir::new("ctxpkg");
    let mut env = env_in(d.path(), &[("OXE_NO_BANNER", "1")], false);
    let dir = d.path().to_string_lossy().into_owned();
    // a package root without a registry: no workflow has a contract
    env.package_root = pkg.path().to_path_buf();
    let r = run(
        &["context", "build", "--workflow", "plan", "--dir", &dir],
        &env,
    );
    assert_eq!(r.code, 1);
    assert!(r.err.contains("plan"), "{}", r.err);
    let refs = pkg.path().join("oxe/workflows/references");
    std::fs::create_dir_all(&refs).unwrap();
    std::fs::write(
        refs.join("workflow-runtime-contracts.json"),
        include_str!("../../../assets/workflows/references/workflow-runtime-contracts.json"),
    )
    .unwrap();
    let r = run(
        &[
            "context",
            "build",
            "--workflow",
            "plan",
            "--json",
            "--dir",
            &dir,
        ],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let pack = oxe_runtime::jsjson::parse(&r.out).unwrap();
    assert_eq!(pack["workflow"], "plan");
    assert!(d.path().join(".oxe/context/packs/plan.md").is_file());
    let r = run(&["context", "inspect", "plan", "--dir", &dir], &env);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("Workflow: plan"), "{}", r.out);
    let r = run(
        &["context", "inspect", "--dir", &format!("{dir}/absent")],
        &env,
    );
    assert_eq!(r.code, 1);
}
