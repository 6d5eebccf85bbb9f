//! Every exported function runs inside `guard`: core errors become JS
//! `Error`s carrying the stable `OXE_E_*` code, and a panic becomes an
//! `OXE_E_PANIC` error instead of aborting the Node process.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use oxe_runtime::OxeError;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let msg = match info.payload().downcast_ref::<&str>() {
                Some(s) => (*s).to_string(),
                None => match info.payload().downcast_ref::<String>() {
                    Some(s) => s.clone(),
                    None => "unknown panic".to_string(),
                },
            };
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            if std::env::var_os("OXE_DEBUG_PANIC").is_some() {
                default(info);
            }
        }));
    });
}

pub fn to_js(e: OxeError) -> napi::Error<String> {
    napi::Error::new(e.code().to_string(), e.to_string())
}

/// Run `f`, mapping errors and panics to JS errors with a code.
pub fn guard<T>(name: &str, f: impl FnOnce() -> Result<T, OxeError>) -> napi::Result<T, String> {
    install_hook();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_js(e)),
        Err(_) => {
            let detail = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown panic".into());
            Err(napi::Error::new(
                "OXE_E_PANIC".to_string(),
                format!("internal error in {name}: {detail} (the process is unharmed; please report this)"),
            ))
        }
    }
}

/// A deliberate panic, so tests can prove a panic never reaches Node.
#[napi_derive::napi(js_name = "__debugPanic")]
pub fn debug_panic(message: String) -> napi::Result<(), String> {
    guard("__debugPanic", || -> Result<(), OxeError> {
        panic!("{message}")
    })
}
