//! The full plan of an install, from the resolved options.

use std::path::{Path, PathBuf};

use super::paths::{ide_dirs, AgentPaths, ConfigDirFor, Env, IdeDirs};
use super::plan::Plan;
use super::render;
use super::select::any_granular;
use super::workspace::Runtimes;
use crate::flags::InstallOpts;

/// Everything the plan was built from.
pub struct Built {
    pub plan: Plan,
    pub classic: bool,
    pub dirs: IdeDirs,
    pub agents: AgentPaths,
    pub runtimes: Runtimes,
}

pub fn runtimes(o: &InstallOpts) -> Runtimes {
    let a = o.all_agents;
    Runtimes {
        cursor: o.cursor,
        copilot_vscode: o.copilot,
        copilot_cli: o.copilot_cli || a,
        opencode: o.agent_opencode || a,
        gemini: o.agent_gemini || a,
        codex: o.agent_codex || a,
        windsurf: o.agent_windsurf || a,
        antigravity: o.agent_antigravity || a,
    }
}

pub fn build(pkg: &Path, env: &Env, o: &InstallOpts) -> Built {
    let project: PathBuf = o.dir.clone();
    let classic = o.install_assets_global;
    let rewrite = !classic;
    let f = ConfigDirFor {
        cursor: o.cursor,
        copilot: o.copilot,
        copilot_cli: o.copilot_cli,
    };
    let dirs = ide_dirs(
        env,
        &project,
        o.ide_local,
        o.explicit_config_dir.as_deref(),
        f,
        o.all_agents,
    );
    let agents = AgentPaths::build(env, !o.ide_local, &project);
    let r = runtimes(o);
    let mut plan = if classic {
        render::repo::classic(
            pkg,
            &project,
            render::repo::Classic {
                commands: o.commands,
                agents: o.agents,
                vscode: o.vscode,
            },
        )
    } else {
        render::repo::nested(pkg, &project)
    };
    let commands = pkg.join(".cursor").join("commands");
    if o.cursor {
        plan.extend(render::cursor::render(pkg, &dirs.cursor_base, rewrite));
    }
    if r.copilot_cli {
        if commands.is_dir() {
            plan.extend(render::copilot_cli::render(
                pkg,
                &dirs.claude_base,
                &dirs.copilot_cli_home,
                rewrite,
            ));
        } else {
            plan.warnings.push(format!(
                "{}: missing, CLI commands skipped",
                commands.display()
            ));
        }
    }
    if o.all_agents || any_granular(o) {
        if r.opencode {
            plan.extend(render::opencode::render(&commands, &agents, rewrite));
        }
        if r.gemini {
            plan.extend(render::gemini::render(&commands, &agents, rewrite));
        }
        if r.windsurf {
            plan.extend(render::windsurf::render(&commands, &agents, rewrite));
        }
        if r.codex {
            plan.extend(render::codex::render(&commands, &agents, rewrite));
        }
        if r.antigravity {
            plan.extend(render::antigravity::render(&commands, &agents, rewrite));
        }
    }
    if o.copilot {
        plan.extend(render::copilot_vscode::render(pkg, &project, rewrite));
    }
    Built {
        plan,
        classic,
        dirs,
        agents,
        runtimes: r,
    }
}
