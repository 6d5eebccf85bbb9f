//! delivery: branches (`git` CLI), pull requests (`gh` CLI), the CI checks,
//! the delivery records and the promotion pipeline.

pub mod branch;
pub mod ci_checks;
pub mod pr;
pub mod promotion;
pub mod records;
