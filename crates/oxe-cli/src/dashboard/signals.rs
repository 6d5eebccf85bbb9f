//! SIGINT / SIGTERM while `oxe-cc dashboard` blocks the CLI process.
//!
//! The handlers only set a flag (async-signal-safe); the server polls it
//! and shuts down cleanly. The previous handlers (Node's) are put back when
//! [`Installed`] is dropped, so nothing of ours outlives the command.

use std::sync::atomic::{AtomicBool, Ordering};

static RECEIVED: AtomicBool = AtomicBool::new(false);

/// True once SIGINT or SIGTERM arrived since [`Installed::new`].
pub fn received() -> bool {
    RECEIVED.load(Ordering::SeqCst)
}

#[cfg(unix)]
extern "C" fn on_signal(_sig: libc::c_int) {
    RECEIVED.store(true, Ordering::SeqCst);
}

/// Our handlers, installed until dropped.
pub struct Installed {
    #[cfg(unix)]
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl Installed {
    #[cfg(unix)]
    pub fn new() -> Installed {
        RECEIVED.store(false, Ordering::SeqCst);
        let mut previous = Vec::new();
        for sig in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: plain sigaction calls with zeroed, then filled, structs;
            // the handler only stores to an atomic.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut action.sa_mask);
                action.sa_flags = libc::SA_RESTART;
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, &action, &mut old) == 0 {
                    previous.push((sig, old));
                }
            }
        }
        Installed { previous }
    }

    #[cfg(not(unix))]
    pub fn new() -> Installed {
        RECEIVED.store(false, Ordering::SeqCst);
        Installed {}
    }
}

impl Default for Installed {
    fn default() -> Self {
        Installed::new()
    }
}

#[cfg(unix)]
impl Drop for Installed {
    fn drop(&mut self) {
        for (sig, old) in &self.previous {
            // SAFETY: restores the action saved by `new`.
            unsafe {
                libc::sigaction(*sig, old, std::ptr::null_mut());
            }
        }
    }
}
