//! oxe-cli: see issue 8.
