//! Crash injection for tests: with `OXE_TEST_CRASH_AFTER_WRITES=N` in the
//! environment, the process aborts (no destructors, no flushing, like
//! `kill -9`) right after its N-th durable write completes. The
//! crash-recovery tests use it to stop a run at every point.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static WRITES: AtomicU64 = AtomicU64::new(0);
static LIMIT: OnceLock<Option<u64>> = OnceLock::new();

fn limit() -> Option<u64> {
    *LIMIT.get_or_init(|| {
        std::env::var("OXE_TEST_CRASH_AFTER_WRITES")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|n| *n > 0)
    })
}

/// Count one completed durable write; abort if the limit is reached.
pub(crate) fn after_write() {
    if let Some(n) = limit() {
        if WRITES.fetch_add(1, Ordering::SeqCst) + 1 >= n {
            std::process::abort();
        }
    }
}
