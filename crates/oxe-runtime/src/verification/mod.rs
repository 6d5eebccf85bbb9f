//! Verification: acceptance checks compiled from SPEC/PLAN
//! ([`compiler`]), run as child processes ([`runner`]) or by plugin
//! verifier providers ([`suite`]), and the manifest, residual-risk ledger
//! and evidence coverage built from their results ([`manifest`]) — as
//! oxe-cc 1.4.0's `verification-compiler` and `verification-manifest`.

pub mod compiler;
pub mod manifest;
pub mod runner;
pub mod suite;
