//! Cursor: the package's `.cursor/commands` (and `.cursor/rules` when it
//! ships any) copied to `<cursor base>/commands` (`~/.cursor` or the
//! project's `.cursor`).

use std::path::Path;

use super::copy_tree;
use crate::install::plan::Plan;

pub fn render(pkg: &Path, cursor_base: &Path, rewrite: bool) -> Plan {
    let mut plan = copy_tree(
        "cursor",
        &pkg.join(".cursor").join("commands"),
        &cursor_base.join("commands"),
        rewrite,
    );
    plan.extend(copy_tree(
        "cursor",
        &pkg.join(".cursor").join("rules"),
        &cursor_base.join("rules"),
        rewrite,
    ));
    plan
}
