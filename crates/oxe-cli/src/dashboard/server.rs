//! The dashboard's HTTP server (axum on a current-thread tokio runtime).
//!
//! Routes and JSON shapes are 1.4.0's:
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the page (HTML, CSS and JS inline; the write token injected) |
//! | `GET /api/context[?session=]` | the context object, `dashboard.readOnly` set |
//! | `POST /api/review/status` | the saved review status |
//! | `POST /api/review/comment` | the new comment |
//! | `POST /api/review/comment-status` | the updated comment (404 for an unknown id) |
//! | `POST /api/runtime/action` | the written run state |
//! | `POST /api/runtime/gates/resolve` | `{gate, queue, impact}` |
//!
//! Beyond 1.4.0: Host/Origin checks, the write token, a working read-only
//! mode, and 4xx (not 500) for bad input. The work of each request runs on
//! tokio's blocking pool; the files are shared with other processes through
//! the runtime's locks.

use std::net::{TcpListener as StdListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use super::context::{load_context, SessionChoice};
use super::{guard, review, DashError, DashResult};
use crate::health::report::HealthEnv;
use crate::i18n::Lang;
use crate::runtime_cmd::js;
use crate::runtime_cmd::ops::Op;

/// The page, with `__OXE_TOKEN__` replaced when served.
pub const PAGE: &str = include_str!("page.html");

/// What a server serves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub root: PathBuf,
    /// `--session`: the session used when a request names none.
    pub session: Option<String>,
    pub read_only: bool,
    /// The write token; `None` takes writes without one (SDK default, as
    /// 1.4.0).
    pub token: Option<String>,
    pub env: HealthEnv,
}

struct Shared {
    cfg: ServerConfig,
    port: u16,
}

fn lang_of(s: &Shared) -> Lang {
    s.cfg.env.lang
}

fn json_response(status: u16, body: &Value) -> Response {
    let text = oxe_runtime::jsjson::to_pretty(body);
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn error_response(status: u16, message: &str, code: &str) -> Response {
    json_response(status, &json!({"error": message, "code": code}))
}

fn dash_error(e: &DashError) -> Response {
    error_response(e.status(), &e.to_string(), e.code())
}

fn msg(lang: Lang, en: &'static str, pt: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    }
}

fn page_response(token: Option<&str>) -> Response {
    let html = PAGE.replace("__OXE_TOKEN__", token.unwrap_or(""));
    let mut r = Response::new(Body::from(html));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// The session of a write: the body's `activeSession` when truthy, else
/// the server's `--session`.
fn write_session(s: &Shared, body: &Value) -> DashResult<Option<String>> {
    let given = js::truthy_of(body.get("activeSession")).map(js::js_string);
    super::check_session(given.as_deref().or(s.cfg.session.as_deref()))
}

/// A review body with `activeSession` validated and, when absent, the
/// server's `--session` filled in.
fn review_body(s: &Shared, mut body: Value) -> DashResult<Value> {
    let present = body.get("activeSession").is_some();
    if present {
        let v = js::truthy_of(body.get("activeSession")).map(js::js_string);
        body["activeSession"] = json!(super::check_session(v.as_deref())?);
    } else if let Some(sess) = &s.cfg.session {
        body["activeSession"] = json!(sess);
    }
    Ok(body)
}

fn run_write(s: &Shared, path: &str, body: Value) -> DashResult<Value> {
    let root = s.cfg.root.as_path();
    let lang = lang_of(s);
    match path {
        "/api/review/status" => review::save_status(root, &review_body(s, body)?, lang),
        "/api/review/comment" => review::add_comment(root, &review_body(s, body)?, lang),
        "/api/review/comment-status" => {
            match review::update_comment(root, &review_body(s, body)?, true, lang)? {
                Some(c) => Ok(c),
                None => Err(DashError::NotFound(
                    msg(lang, "Comment not found.", "Comentário não encontrado.").into(),
                )),
            }
        }
        "/api/runtime/action" => {
            let session = write_session(s, &body)?;
            let op = Op::new(root, session.as_deref(), lang);
            op.apply_action(&body)
                .map_err(|e| DashError::op_in(e, lang))
        }
        "/api/runtime/gates/resolve" => {
            let session = write_session(s, &body)?;
            let op = Op::new(root, session.as_deref(), lang);
            op.resolve_gate(&body)
                .map_err(|e| DashError::op_in(e, lang))
        }
        _ => Err(DashError::NotFound("route".into())),
    }
}

const WRITE_ROUTES: [&str; 5] = [
    "/api/review/status",
    "/api/review/comment",
    "/api/review/comment-status",
    "/api/runtime/action",
    "/api/runtime/gates/resolve",
];

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

async fn handle(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let lang = lang_of(&s);
    let headers = req.headers().clone();
    if !guard::host_allowed(header_str(&headers, "host"), s.port) {
        return error_response(
            403,
            msg(
                lang,
                "Host not allowed: the dashboard answers on loopback only.",
                "Host não permitido: o dashboard só responde em loopback.",
            ),
            "OXE_E_DASHBOARD_HOST",
        );
    }
    if !guard::origin_allowed(header_str(&headers, "origin"), s.port) {
        return error_response(
            403,
            msg(
                lang,
                "Cross-origin request refused.",
                "Requisição de outra origem recusada.",
            ),
            "OXE_E_DASHBOARD_ORIGIN",
        );
    }
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    if method == Method::GET && path == "/" {
        return page_response(s.cfg.token.as_deref());
    }
    if method == Method::GET && path == "/api/context" {
        let q = guard::query_param(query.as_deref(), "session").filter(|v| !v.is_empty());
        let session = match super::check_session(q.as_deref().or(s.cfg.session.as_deref())) {
            Ok(v) => v,
            Err(e) => return dash_error(&e),
        };
        // `?lang=` (the page's language) words the context's messages
        let mut env = s.cfg.env.clone();
        if let Some(l) = guard::query_param(query.as_deref(), "lang").filter(|l| !l.is_empty()) {
            env.lang = Lang::detect(&Default::default(), Some(&l));
        }
        let root = s.cfg.root.clone();
        let res = blocking(move || load_context(&root, SessionChoice::Given(session), &env)).await;
        return match res {
            Some(Ok(mut ctx)) => {
                ctx["dashboard"] = json!({"readOnly": s.cfg.read_only});
                json_response(200, &ctx)
            }
            Some(Err(e)) => dash_error(&e),
            None => error_response(500, "internal error", "OXE_E_INTERNAL"),
        };
    }
    if method == Method::POST && WRITE_ROUTES.contains(&path.as_str()) {
        if s.cfg.read_only {
            return error_response(
                403,
                msg(
                    lang,
                    "The dashboard is read-only.",
                    "O dashboard está em modo somente leitura.",
                ),
                "OXE_E_DASHBOARD_READ_ONLY",
            );
        }
        if !guard::token_ok(
            s.cfg.token.as_deref(),
            header_str(&headers, guard::TOKEN_HEADER),
        ) {
            return error_response(
                401,
                msg(
                    lang,
                    "Missing or wrong X-OXE-Token header.",
                    "Cabeçalho X-OXE-Token ausente ou incorreto.",
                ),
                "OXE_E_DASHBOARD_TOKEN",
            );
        }
        let bytes = match to_bytes(req.into_body(), guard::MAX_BODY).await {
            Ok(b) => b,
            Err(_) => {
                return error_response(
                    413,
                    msg(
                        lang,
                        "Request body larger than 1 MiB.",
                        "Corpo da requisição maior que 1 MiB.",
                    ),
                    "OXE_E_DASHBOARD_BODY",
                )
            }
        };
        let body = match guard::parse_body(&bytes) {
            Ok(b) => b,
            Err(e) => return dash_error(&e),
        };
        let s2 = s.clone();
        let res = blocking(move || run_write(&s2, &path, body)).await;
        return match res {
            Some(Ok(v)) => json_response(200, &v),
            Some(Err(e)) => dash_error(&e),
            None => error_response(500, "internal error", "OXE_E_INTERNAL"),
        };
    }
    error_response(
        404,
        msg(lang, "Route not found.", "Rota não encontrada."),
        "OXE_E_NOT_FOUND",
    )
}

/// Binds `host:port` (port 0 picks a free one). Only loopback hosts are
/// accepted.
pub fn bind(host: &str, port: u16) -> std::io::Result<StdListener> {
    let host_name = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<_> = (host_name, port).to_socket_addrs()?.collect();
    if addrs.is_empty() || addrs.iter().any(|a| !a.ip().is_loopback()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{host} is not a loopback address; the dashboard only listens on loopback"),
        ));
    }
    let l = StdListener::bind(&addrs[..])?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Serves on `listener` until `stop` resolves; then lets open requests
/// finish for up to two seconds.
pub async fn serve(
    listener: StdListener,
    cfg: ServerConfig,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let port = listener.local_addr()?.port();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let shared = Arc::new(Shared { cfg, port });
    let app = Router::new().fallback(handle).with_state(shared);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = rx.await;
    });
    let mut server = std::pin::pin!(std::future::IntoFuture::into_future(server));
    tokio::select! {
        r = &mut server => return r,
        () = stop => {}
    }
    let _ = tx.send(());
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), server).await;
    Ok(())
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// A server running on its own thread (the SDK's `createDashboardServer`).
pub struct Background {
    pub port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Binds now (so a busy port fails here) and serves on a new thread.
pub fn start_background(cfg: ServerConfig, host: &str, port: u16) -> std::io::Result<Background> {
    let listener = bind(host, port)?;
    let port = listener.local_addr()?.port();
    let rt = runtime()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name(format!("oxe-dashboard-{port}"))
        .spawn(move || {
            let _ = rt.block_on(serve(listener, cfg, async move {
                let _ = rx.await;
            }));
        })?;
    Ok(Background {
        port,
        stop: Some(tx),
        thread: Some(thread),
    })
}

/// Serves on the calling thread until SIGINT or SIGTERM.
pub fn run_until_signal(listener: StdListener, cfg: ServerConfig) -> std::io::Result<()> {
    let rt = runtime()?;
    let _signals = super::signals::Installed::new();
    rt.block_on(serve(listener, cfg, async {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
        loop {
            tick.tick().await;
            if super::signals::received() {
                break;
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn project(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("oxe-dash-srv-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join(".oxe")).ok();
        std::fs::write(d.join(".oxe/STATE.md"), "# S\n").ok();
        d
    }

    fn start(root: &std::path::Path, token: Option<&str>, read_only: bool) -> Option<Background> {
        let cfg = ServerConfig {
            root: root.to_path_buf(),
            session: None,
            read_only,
            token: token.map(str::to_string),
            env: HealthEnv {
                vars: Default::default(),
                lang: Lang::En,
                package_root: PathBuf::from("."),
            },
        };
        start_background(cfg, "127.0.0.1", 0).ok()
    }

    /// One raw HTTP/1.1 exchange; answers (status, body).
    fn send(port: u16, head: &str, body: &str) -> (u16, String) {
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            return (0, String::new());
        };
        let req = format!(
            "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = s.write_all(req.as_bytes());
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        let status = out
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = out.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        (status, body)
    }

    #[test]
    fn requests_are_validated_before_anything_is_written() {
        let root = project("validate");
        let Some(bg) = start(&root, Some("tok"), false) else {
            panic!("server did not start");
        };
        let p = bg.port;
        let host = format!("Host: 127.0.0.1:{p}");
        let post = |extra: &str, body: &str| {
            send(
                p,
                &format!("POST /api/review/status HTTP/1.1\r\n{host}{extra}"),
                body,
            )
        };
        assert_eq!(post("", "{}").0, 401, "no token");
        assert_eq!(post("\r\nX-OXE-Token: nope", "{}").0, 401, "wrong token");
        let (code, body) = post("\r\nX-OXE-Token: tok", "{\"status\":");
        assert_eq!(code, 400, "bad JSON");
        assert!(body.contains("\"error\""), "{body}");
        assert_eq!(post("\r\nX-OXE-Token: tok", "[]").0, 400, "not an object");
        let (code, _) = post(
            "\r\nX-OXE-Token: tok",
            "{\"activeSession\":\"../../../etc\"}",
        );
        assert_eq!(code, 400, "session leaving .oxe/");
        assert!(!root.join(".oxe/PLAN-REVIEW.md").exists());
        let foreign = send(
            p,
            &format!("GET /api/context HTTP/1.1\r\nHost: evil.example:{p}"),
            "",
        );
        assert_eq!(foreign.0, 403, "DNS rebinding");
        let cross = post("\r\nX-OXE-Token: tok\r\nOrigin: http://evil.example", "{}");
        assert_eq!(cross.0, 403, "cross origin");
        assert_eq!(send(p, &format!("GET /nope HTTP/1.1\r\n{host}"), "").0, 404);
        let ok = post(
            "\r\nX-OXE-Token: tok",
            "{\"status\":\"approved\",\"activeSession\":null}",
        );
        assert_eq!(ok.0, 200, "{}", ok.1);
        assert!(root.join(".oxe/PLAN-REVIEW.md").exists());
        bg.stop();
        assert_eq!(
            send(p, &format!("GET / HTTP/1.1\r\n{host}"), "").0,
            0,
            "stopped"
        );
    }

    #[test]
    fn read_only_refuses_writes_even_with_the_token() {
        let root = project("ro");
        let Some(bg) = start(&root, Some("tok"), true) else {
            panic!("server did not start");
        };
        let p = bg.port;
        let (code, body) = send(
            p,
            &format!(
                "POST /api/runtime/action HTTP/1.1\r\nHost: localhost:{p}\r\nX-OXE-Token: tok"
            ),
            "{\"action\":\"start\"}",
        );
        assert_eq!(code, 403);
        assert!(body.contains("OXE_E_DASHBOARD_READ_ONLY"));
        assert!(!root.join(".oxe/ACTIVE-RUN.json").exists());
        let page = send(p, &format!("GET / HTTP/1.1\r\nHost: localhost:{p}"), "");
        assert_eq!(page.0, 200);
        assert!(page.1.contains("'tok'"));
    }

    #[test]
    fn only_loopback_hosts_bind() {
        assert!(bind("0.0.0.0", 0).is_err());
        assert!(bind("127.0.0.1", 0).is_ok());
    }
}
