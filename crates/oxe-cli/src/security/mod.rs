//! SDK namespace `security` (1.4.0 `bin/lib/oxe-security.cjs`): path safety
//! for workflow file lists, secret detection by file name and by content,
//! and the `permissions` rules of `.oxe/config.json`.
//!
//! Pattern lists are [`PatternSet`]s: the built-in ones ([`builtin`]) are
//! matched here with the `regex` crate (translated so that they keep their
//! JS meaning), a caller-supplied list of JS `RegExp`s is matched by the
//! host through the same trait (the napi adapter calls back into JS).
//!
//! One deliberate change from 1.4.0: [`paths::check_path_safety`] decides
//! containment on resolved path segments, not with a string-prefix test
//! (docs/compat.md).

pub mod builtin;
pub mod glob;
mod jscase;
mod jsview;
pub mod paths;
#[cfg(test)]
mod pattern_tests;
pub mod permissions;
pub mod scan;
#[cfg(test)]
mod tests;

pub use builtin::Builtin;

/// A JS callback used as a matcher failed (for instance it threw).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PatternError(pub String);

/// An ordered list of patterns, each tested against a subject string the
/// way `RegExp.prototype.test` is.
pub trait PatternSet {
    /// Number of patterns.
    fn count(&self) -> usize;
    /// Whether pattern `index` matches somewhere in `subject`.
    fn test(&mut self, index: usize, subject: &str) -> Result<bool, PatternError>;
    /// `RegExp.prototype.toString()` of pattern `index` (`/source/flags`).
    fn label(&self, index: usize) -> String;
}

/// Index of the first pattern of `set` that matches `subject`.
pub fn first_match(set: &mut dyn PatternSet, subject: &str) -> Result<Option<usize>, PatternError> {
    for i in 0..set.count() {
        if set.test(i, subject)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}
