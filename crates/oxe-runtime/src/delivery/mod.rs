//! delivery: see the issue that builds this area.
