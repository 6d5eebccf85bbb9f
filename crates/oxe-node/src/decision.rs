//! decision binding: see the issue that builds this area.
