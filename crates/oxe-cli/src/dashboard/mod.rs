//! `oxe-cc dashboard` and the SDK namespace `dashboard`: a local web page
//! over a project's `.oxe/` state (plan, waves, run, trace, gates,
//! evidence), served on loopback.
//!
//! Map: [`md`] and [`parse`] read the Markdown artefacts; [`context`]
//! assembles the object of `GET /api/context` and `--dump-context`
//! (1.4.0's `loadDashboardContext` shape) with [`readiness`]; [`review`]
//! writes the plan review (STATE.md, PLAN-REVIEW.md, comments); [`guard`]
//! validates requests (Host/Origin, token, session paths, JSON bodies);
//! [`server`] is the axum server; [`cmd`] is the command.
//!
//! Writes go through the runtime's locked stores: review files under
//! `store::with_lock`, events through the locked NDJSON append, gates
//! through the runtime `GateManager`, run actions under the ACTIVE-RUN lock.

pub mod cmd;
pub mod context;
pub mod guard;
pub mod parse;
pub mod readiness;
pub mod review;
pub mod server;
pub mod signals;

use crate::i18n::Lang;
use crate::runtime_cmd::ops::OpError;

/// Why a dashboard call failed; [`DashError::status`] is its HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum DashError {
    /// Malformed input: bad JSON, a session path leaving `.oxe/`, a body
    /// that is not an object.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Store(#[from] oxe_runtime::store::StoreError),
    /// An operational error, rendered in the user's language.
    #[error("{message}")]
    Op {
        message: String,
        code: &'static str,
        status: u16,
    },
}

impl DashError {
    /// An operational error in English (see [`DashError::op_in`]).
    pub fn op(e: OpError) -> DashError {
        DashError::op_in(e, Lang::En)
    }

    pub fn op_in(e: OpError, lang: Lang) -> DashError {
        let status = match &e {
            OpError::GateNotFound(_) => 404,
            OpError::NoActiveRun | OpError::NoRunForGates => 409,
            OpError::UnknownAction(_) => 400,
            OpError::Core(oxe_runtime::OxeError::Path(_) | oxe_runtime::OxeError::Arg(_)) => 400,
            _ => 500,
        };
        DashError::Op {
            message: e.message(lang),
            code: e.code(),
            status,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            DashError::BadRequest(_) => 400,
            DashError::NotFound(_) => 404,
            DashError::Store(_) => 500,
            DashError::Op { status, .. } => *status,
        }
    }

    /// A stable `OXE_E_…` code for the SDK.
    pub fn code(&self) -> &'static str {
        match self {
            DashError::BadRequest(_) => "OXE_E_DASHBOARD_REQUEST",
            DashError::NotFound(_) => "OXE_E_NOT_FOUND",
            DashError::Store(e) => e.code(),
            DashError::Op { code, .. } => code,
        }
    }
}

pub type DashResult<T> = Result<T, DashError>;

/// The path segments of a session id (`sessions/s001-x`); backslashes
/// count as `/`. A session that would leave `.oxe/` (absolute, `..`, NUL,
/// a drive letter) is a [`DashError::BadRequest`].
pub fn session_segments(session: &str) -> DashResult<Vec<&str>> {
    if session.len() > 1 && session.as_bytes()[1] == b':' {
        return Err(DashError::BadRequest(format!(
            "session {session:?} is an absolute path; it must be relative to .oxe/"
        )));
    }
    oxe_runtime::paths::safe_segments("session", session)
        .map_err(|e| DashError::BadRequest(e.to_string()))
}

/// A session id normalised (`\` → `/`) and validated.
pub fn check_session(session: Option<&str>) -> DashResult<Option<String>> {
    match session.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            let s = s.replace('\\', "/");
            session_segments(&s)?;
            Ok(Some(s))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_must_stay_inside_oxe() {
        assert_eq!(check_session(None).ok(), Some(None));
        assert_eq!(check_session(Some("  ")).ok(), Some(None));
        assert_eq!(
            check_session(Some("sessions\\s001-a")).ok(),
            Some(Some("sessions/s001-a".into()))
        );
        for bad in ["../x", "sessions/../../etc", "/etc", "\\x", "C:/x", "a\0b"] {
            let e = check_session(Some(bad)).err();
            assert!(matches!(e, Some(DashError::BadRequest(_))), "{bad}");
            assert_eq!(e.map(|e| e.status()), Some(400));
        }
    }
}
