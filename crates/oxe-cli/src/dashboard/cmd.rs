//! `oxe-cc dashboard [--port N] [--no-open] [--read-only] [--dump-context]
//! [--session s] [--dir p | p]`.
//!
//! `--dump-context` prints the context JSON and exits. Otherwise the
//! server listens on 127.0.0.1 inside this process (the CLI blocks here)
//! until Ctrl+C or SIGTERM; writes need the token printed at start, which
//! the page receives when it is served. `--read-only` refuses every write.

use super::context::{load_context, SessionChoice};
use super::server::{bind, run_until_signal, ServerConfig};
use crate::flags::DashboardOpts;
use crate::health::report::HealthEnv;
use crate::i18n::{Lang, Msg};
use crate::output::{Ctx, CYAN, DIM, GREEN, YELLOW};

#[derive(Clone, Copy)]
enum M {
    Project,
    Token,
    TokenHint,
    ReadOnly,
    Opened,
    NotOpened,
    StopHint,
    Stopped,
    BadPort,
    BindFailed,
}

fn msg(lang: Lang, m: M) -> &'static str {
    use M::*;
    match (lang, m) {
        (Lang::En, Project) => "Project:",
        (Lang::En, Token) => "Write token:",
        (Lang::En, TokenHint) => "(the page sends it as X-OXE-Token; other clients must too)",
        (Lang::En, ReadOnly) => "Mode: read-only (every write is refused with 403)",
        (Lang::En, Opened) => "Browser opened.",
        (Lang::En, NotOpened) => "Could not open a browser; open the URL above yourself.",
        (Lang::En, StopHint) => "Press Ctrl+C to stop the local server.",
        (Lang::En, Stopped) => "Dashboard stopped.",
        (Lang::En, BadPort) => "Invalid port: {0} (use 1-65535)",
        (Lang::En, BindFailed) => "Could not listen on {0}: {1}",
        (Lang::PtBr, Project) => "Projeto:",
        (Lang::PtBr, Token) => "Token de escrita:",
        (Lang::PtBr, TokenHint) => {
            "(a página o envia como X-OXE-Token; outros clientes também devem enviar)"
        }
        (Lang::PtBr, ReadOnly) => "Modo: somente leitura (toda escrita é recusada com 403)",
        (Lang::PtBr, Opened) => "Navegador aberto.",
        (Lang::PtBr, NotOpened) => {
            "Não foi possível abrir o navegador; abra a URL acima manualmente."
        }
        (Lang::PtBr, StopHint) => "Pressione Ctrl+C para encerrar o servidor local.",
        (Lang::PtBr, Stopped) => "Dashboard encerrado.",
        (Lang::PtBr, BadPort) => "Porta inválida: {0} (use 1-65535)",
        (Lang::PtBr, BindFailed) => "Não foi possível escutar em {0}: {1}",
    }
}

fn t(lang: Lang, m: M, args: &[&str]) -> String {
    let mut s = msg(lang, m).to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}

fn health_env(ctx: &Ctx) -> HealthEnv {
    HealthEnv {
        vars: ctx.env.vars.clone(),
        lang: ctx.lang,
        package_root: ctx.env.package_root.clone(),
    }
}

fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut cmd = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/c", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match cmd.spawn() {
        Ok(mut child) => {
            // reap it without blocking the server
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

/// Runs the command (parsing, help and the banner are done).
pub fn run(ctx: &mut Ctx, o: &DashboardOpts) -> i32 {
    if !o.dir.exists() {
        let m = ctx.t(Msg::DirNotFound, &[&o.dir.display().to_string()]);
        ctx.notice(&m);
        return 1;
    }
    let env = health_env(ctx);
    if o.dump_context {
        return match load_context(&o.dir, SessionChoice::Given(o.active_session.clone()), &env) {
            Ok(v) => {
                let text = oxe_runtime::jsjson::to_pretty(&v);
                ctx.say(&text);
                0
            }
            Err(e) => {
                let prefix = ctx.t(Msg::ErrorPrefix, &[]);
                ctx.error(&format!("{prefix} {e}"));
                1
            }
        };
    }
    let lang = ctx.lang;
    if !(o.port.fract() == 0.0 && (1.0..=65535.0).contains(&o.port)) {
        let p = crate::runtime_cmd::js::num_text(o.port);
        ctx.error(&t(lang, M::BadPort, &[&p]));
        return 1;
    }
    let host = "127.0.0.1";
    let listener = match bind(host, o.port as u16) {
        Ok(l) => l,
        Err(e) => {
            let at = format!("{host}:{}", o.port as u16);
            ctx.error(&t(lang, M::BindFailed, &[&at, &e.to_string()]));
            return 1;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let url = format!("http://{host}:{port}/");
    let token = super::guard::make_token();
    ctx.section("OXE ▸ dashboard");
    let dir = o.dir.display().to_string();
    let lines = [
        format!(
            "  {} {}",
            ctx.paint(GREEN, msg(lang, M::Project)),
            ctx.paint(CYAN, &dir)
        ),
        format!("  {} {}", ctx.paint(GREEN, "URL:"), ctx.paint(CYAN, &url)),
        format!(
            "  {} {} {}",
            ctx.paint(GREEN, msg(lang, M::Token)),
            token,
            ctx.paint(DIM, msg(lang, M::TokenHint))
        ),
    ];
    for l in lines {
        ctx.say(&l);
    }
    if o.read_only {
        let l = format!("  {}", ctx.paint(YELLOW, msg(lang, M::ReadOnly)));
        ctx.say(&l);
    }
    if !o.no_open {
        if open_browser(&url) {
            let l = format!("  {} {}", ctx.paint(GREEN, "✓"), msg(lang, M::Opened));
            ctx.say(&l);
        } else {
            let l = format!("  {}", ctx.paint(YELLOW, msg(lang, M::NotOpened)));
            ctx.say(&l);
        }
    }
    let l = format!("  {}\n", ctx.paint(DIM, msg(lang, M::StopHint)));
    ctx.say(&l);
    let _ = ctx.out.flush();
    let cfg = ServerConfig {
        root: std::path::absolute(&o.dir).unwrap_or_else(|_| o.dir.clone()),
        session: o.active_session.clone(),
        read_only: o.read_only,
        token: Some(token),
        env,
    };
    match run_until_signal(listener, cfg) {
        Ok(()) => {
            let l = format!("  {}", msg(lang, M::Stopped));
            ctx.say(&l);
            0
        }
        Err(e) => {
            let prefix = ctx.t(Msg::ErrorPrefix, &[]);
            ctx.error(&format!("{prefix} {e}"));
            1
        }
    }
}
