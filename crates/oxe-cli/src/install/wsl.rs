//! Windows Node running inside WSL is not supported by install,
//! uninstall and update (1.4.0 refuses it too): paths and home folders
//! would mix the two systems.

use super::say::t;
use crate::output::Ctx;

/// Whether this is Windows Node under WSL.
pub fn is_windows_node_in_wsl(ctx: &Ctx) -> bool {
    if !cfg!(windows) {
        return false;
    }
    if ctx
        .env
        .var("WSL_DISTRO_NAME")
        .is_some_and(|v| !v.is_empty())
    {
        return true;
    }
    std::fs::read_to_string("/proc/version")
        .map(|v| {
            let l = v.to_ascii_lowercase();
            l.contains("microsoft") || l.contains("wsl")
        })
        .unwrap_or(false)
}

/// Prints the refusal and answers `Some(1)` under WSL.
pub fn guard(ctx: &mut Ctx) -> Option<i32> {
    if !is_windows_node_in_wsl(ctx) {
        return None;
    }
    let m = t(
        ctx.lang,
        "Windows Node.js inside WSL is not supported: run oxe-cc with the Linux Node.js of the distribution.",
        "Node.js do Windows dentro do WSL não é suportado: execute o oxe-cc com o Node.js Linux da distribuição.",
        &[],
    );
    ctx.error(&m);
    Some(1)
}
