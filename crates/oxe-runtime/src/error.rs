//! Typed errors of the core. Each variant maps to a stable `OXE_E_*` code
//! that the binding puts on the JS `Error` it throws.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum OxeError {
    /// A function was called with an argument of the wrong type or shape.
    #[error("{0}")]
    Arg(String),
    /// A parsed plan handed to the compiler is malformed.
    #[error("{0}")]
    Plan(String),
    /// An execution graph is malformed (not the validation messages, which are data).
    #[error("{0}")]
    Graph(String),
    /// A workspace could not be allocated, snapshotted, reset or disposed.
    #[error("{0}")]
    Workspace(String),
    /// A path or id would leave the project's `.oxe/` tree.
    #[error("{0}")]
    Path(String),
    /// JSON handed across the boundary could not be parsed.
    #[error("invalid JSON for {what}: {source}")]
    Json {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    /// A file could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl OxeError {
    /// The stable code exposed to JS as `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            OxeError::Arg(_) => "OXE_E_ARG",
            OxeError::Plan(_) => "OXE_E_PLAN",
            OxeError::Graph(_) => "OXE_E_GRAPH",
            OxeError::Workspace(_) => "OXE_E_WORKSPACE",
            OxeError::Path(_) => "OXE_E_PATH",
            OxeError::Json { .. } => "OXE_E_JSON",
            OxeError::Store(_) => "OXE_E_IO",
        }
    }

    pub fn json(what: impl Into<String>, source: serde_json::Error) -> Self {
        OxeError::Json {
            what: what.into(),
            source,
        }
    }
}

pub type OxeResult<T> = Result<T, OxeError>;

/// Parse JSON text that crossed the boundary, naming what it was on failure.
pub fn parse_wire(what: &str, text: &str) -> OxeResult<serde_json::Value> {
    crate::jsjson::parse(text).map_err(|e| OxeError::json(what, e))
}
