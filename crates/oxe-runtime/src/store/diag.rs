//! A global, thread-safe queue of warnings for the host to drain.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Mutex;

/// A warning about a file: what happened (`code`), where (`path`) and a
/// human-readable `message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: &str, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            path: path.display().to_string(),
            message: message.into(),
        }
    }
}

/// At most this many diagnostics wait in the queue; older ones are dropped
/// first, so a host that never drains it cannot grow memory without bound.
const MAX_QUEUED: usize = 1000;

static QUEUE: Mutex<VecDeque<Diagnostic>> = Mutex::new(VecDeque::new());

/// Queues a diagnostic.
pub fn report(d: Diagnostic) {
    let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    if q.len() >= MAX_QUEUED {
        q.pop_front();
    }
    q.push_back(d);
}

/// Drains the queue, oldest first.
pub fn take_diagnostics() -> Vec<Diagnostic> {
    let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    q.drain(..).collect()
}
