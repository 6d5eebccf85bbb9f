//! `oxe-cc uninstall`: removes what oxe-cc installed and nothing else.
//!
//! A file is ours when the install manifest recorded it and it still has
//! the recorded hash, when (unrecorded) it is byte-identical to what this
//! package installs there, or when it carries the managed marker of the
//! agent formats. A file the user changed, or one we cannot prove is
//! ours, is kept and listed. `--copilot-legacy-clean` is an explicit
//! request and removes the old `~/.copilot` prompts by name, as 1.4.0.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::apply::final_bytes;
use super::manifest::{self, sha256_bytes};
use super::paths::{
    claude_user_dir, copilot_user_dir, cursor_user_dir, AgentPaths, ConfigDirFor, Env,
};
use super::say::t;
use super::text::{INST_BEGIN, INST_END, MANAGED_HTML, MANAGED_TOML};
use crate::flags::{InstallOpts, UninstallOpts};
use crate::output::{Ctx, DIM, GREEN, YELLOW};

/// Why a file stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ours,
    Modified,
    Foreign,
}

/// Decides on one file.
pub struct Judge {
    pub recorded: BTreeMap<String, String>,
    pub expected: HashMap<PathBuf, Vec<u8>>,
}

impl Judge {
    pub fn verdict(&self, p: &Path, marker: Option<&str>) -> Verdict {
        let Ok(bytes) = std::fs::read(p) else {
            return Verdict::Foreign;
        };
        if let Some(h) = self.recorded.get(p.to_string_lossy().as_ref()) {
            return if *h == sha256_bytes(&bytes) {
                Verdict::Ours
            } else {
                Verdict::Modified
            };
        }
        if self.expected.get(p).is_some_and(|e| *e == bytes) {
            return Verdict::Ours;
        }
        if marker.is_some_and(|m| String::from_utf8_lossy(&bytes).contains(m)) {
            return Verdict::Ours;
        }
        Verdict::Foreign
    }
}

/// What the run did.
#[derive(Debug, Default)]
pub struct Removal {
    pub removed: Vec<PathBuf>,
    pub kept: Vec<(PathBuf, Verdict)>,
    pub stripped: Vec<PathBuf>,
}

struct Run<'a, 'b> {
    ctx: &'a mut Ctx<'b>,
    judge: Judge,
    dry: bool,
    r: Removal,
}

impl Run<'_, '_> {
    fn remove_file(&mut self, p: &Path, marker: Option<&str>) {
        let mut proposal = p.as_os_str().to_os_string();
        proposal.push(super::apply::NEW_SUFFIX);
        let proposal = PathBuf::from(proposal);
        if proposal.is_file()
            && self
                .judge
                .recorded
                .contains_key(proposal.to_string_lossy().as_ref())
        {
            self.remove_file(&proposal, None);
        }
        if !p.is_file() {
            return;
        }
        match self.judge.verdict(p, marker) {
            Verdict::Ours => {
                if self.dry || std::fs::remove_file(p).is_ok() {
                    let l = format!("{}  {}", self.ctx.paint(DIM, "rm"), p.display());
                    self.ctx.say(&l);
                    self.r.removed.push(p.to_path_buf());
                }
            }
            v => {
                let why = if v == Verdict::Modified {
                    t(
                        self.ctx.lang,
                        "(changed since install; kept)",
                        "(alterado desde a instalação; mantido)",
                        &[],
                    )
                } else {
                    t(
                        self.ctx.lang,
                        "(not installed by oxe-cc; kept)",
                        "(não instalado pelo oxe-cc; mantido)",
                        &[],
                    )
                };
                let l = format!("{}  {} {why}", self.ctx.paint(YELLOW, "keep"), p.display());
                self.ctx.say(&l);
                self.r.kept.push((p.to_path_buf(), v));
            }
        }
    }

    /// Files of `dir` whose name passes `filter`.
    fn remove_matching(&mut self, dir: &Path, filter: &dyn Fn(&str) -> bool, marker: Option<&str>) {
        for n in super::render::file_names(dir) {
            if filter(&n) {
                self.remove_file(&dir.join(n), marker);
            }
        }
    }

    /// `<root>/oxe*/SKILL.md` and the folder when nothing else is left.
    fn remove_skills(&mut self, root: &Path) {
        let Ok(rd) = std::fs::read_dir(root) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n == "oxe" || n.starts_with("oxe-")
            })
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for d in dirs {
            self.remove_file(&d.join("SKILL.md"), Some(MANAGED_HTML));
            self.rmdir_if_empty(&d);
        }
    }

    fn rmdir_if_empty(&mut self, d: &Path) {
        if self.dry {
            return;
        }
        if std::fs::read_dir(d).is_ok_and(|mut rd| rd.next().is_none()) {
            let _ = std::fs::remove_dir(d);
        }
    }

    /// Every file of a tree we own, then the folders left empty.
    fn remove_tree(&mut self, root: &Path) {
        if !root.is_dir() {
            return;
        }
        let files = manifest::collect_files_recursive(root, &mut |_| true);
        for f in files {
            self.remove_file(&f, None);
        }
        self.prune(root);
    }

    fn prune(&mut self, d: &Path) {
        if let Ok(rd) = std::fs::read_dir(d) {
            let subs: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            for s in subs {
                self.prune(&s);
            }
        }
        self.rmdir_if_empty(d);
    }

    fn strip_instructions(&mut self, p: &Path) {
        let Ok(text) = std::fs::read_to_string(p) else {
            return;
        };
        if !text.contains(INST_BEGIN) && !text.contains(INST_END) {
            return;
        }
        let next = strip_block(&text);
        if !self.dry && oxe_runtime::store::write_atomic(p, next.as_bytes()).is_err() {
            return;
        }
        let what = t(
            self.ctx.lang,
            "OXE block removed",
            "bloco OXE removido",
            &[],
        );
        let l = format!("{}  {} ({what})", self.ctx.paint(DIM, "edit"), p.display());
        self.ctx.say(&l);
        self.r.stripped.push(p.to_path_buf());
    }

    fn agents(&mut self, p: &AgentPaths) {
        let oxe_md = |n: &str| n.starts_with("oxe-") && n.ends_with(".md");
        for d in &p.opencode_command_dirs {
            self.remove_matching(d, &oxe_md, Some(MANAGED_HTML));
        }
        self.remove_file(&p.gemini_commands_base.join("oxe.toml"), Some(MANAGED_TOML));
        let sub = p.gemini_commands_base.join("oxe");
        self.remove_matching(&sub, &|n: &str| n.ends_with(".toml"), Some(MANAGED_TOML));
        self.rmdir_if_empty(&sub);
        self.remove_matching(
            &p.windsurf_workflows_dir,
            &|n: &str| n == "oxe.md" || oxe_md(n),
            Some(MANAGED_HTML),
        );
        self.remove_matching(&p.codex_prompts_dir, &oxe_md, Some(MANAGED_HTML));
        self.remove_skills(&p.antigravity_skills_root.clone());
        self.remove_skills(&p.codex_agents_skills_root.clone());
    }

    fn commands(&mut self, dir: &Path) {
        self.remove_matching(
            dir,
            &|n: &str| (n == "oxe.md" || n.starts_with("oxe-")) && n.ends_with(".md"),
            None,
        );
    }

    fn cursor(&mut self, base: &Path) {
        self.commands(&base.join("commands"));
        self.remove_matching(
            &base.join("rules"),
            &|n: &str| n.contains("oxe") && (n.ends_with(".md") || n.ends_with(".mdc")),
            None,
        );
    }

    fn copilot_workspace(&mut self, project: &Path) {
        self.strip_instructions(&project.join(".github").join("copilot-instructions.md"));
        self.remove_matching(
            &project.join(".github").join("prompts"),
            &|n: &str| {
                let l = n.to_ascii_lowercase();
                (l == "oxe.prompt.md" || l.starts_with("oxe-")) && l.ends_with(".prompt.md")
            },
            None,
        );
        self.remove_file(&super::workspace::copilot_manifest_path(project), None);
    }

    fn cli(&mut self, claude: &Path, copilot: &Path) {
        self.commands(&claude.join("commands"));
        self.commands(&copilot.join("commands"));
        self.remove_skills(&copilot.join("skills"));
    }
}

/// The text without OXE blocks (and stray end markers), runs of 3+ LFs
/// collapsed, trimmed, one final LF.
pub fn strip_block(text: &str) -> String {
    let mut s = text.to_string();
    while let Some(b) = s.find(INST_BEGIN) {
        let Some(e) = s[b..].find(INST_END).map(|e| b + e + INST_END.len()) else {
            break;
        };
        let start = if b > 0 && s.as_bytes()[b - 1] == b'\n' {
            b - 1
        } else {
            b
        };
        let end = if s.as_bytes().get(e) == Some(&b'\n') {
            e + 1
        } else {
            e
        };
        s.replace_range(start..end, "");
    }
    let lines: Vec<&str> = s
        .split('\n')
        .filter(|l| crate::jstext::trim(l) != INST_END)
        .collect();
    let mut s = lines.join("\n");
    while s.contains("\n\n\n") {
        s = s.replace("\n\n\n", "\n\n");
    }
    let t = s.trim_end();
    format!("{t}\n")
}

/// What the current package would install at each path (both layouts,
/// both scopes), to recognise unrecorded files of ours.
fn expected(pkg: &Path, env: &Env, u: &UninstallOpts) -> HashMap<PathBuf, Vec<u8>> {
    let mut out = HashMap::new();
    let base = crate::flags::parse_install(
        &[],
        &crate::flags::Base {
            cwd: &u.dir,
            home: Some(&env.home),
        },
    );
    for (classic, local) in [(false, false), (true, false), (false, true), (true, true)] {
        let o = InstallOpts {
            cursor: true,
            copilot: true,
            copilot_cli: true,
            all_agents: true,
            install_assets_global: classic,
            ide_local: local,
            commands: true,
            agents: true,
            dir: u.dir.clone(),
            explicit_config_dir: u.explicit_config_dir.clone(),
            ..base.clone()
        };
        let b = super::build::build(pkg, env, &o);
        for p in b.plan.files {
            let bytes = final_bytes(&p, None);
            out.insert(p.dest, bytes);
        }
    }
    out
}

/// The managed agent files of `paths` (OpenCode, Gemini, Windsurf,
/// Codex, Antigravity), as `cleanupMarkedUnifiedArtifacts`; answers what
/// was (or, in a dry run, would be) removed.
pub fn cleanup_agents(ctx: &mut Ctx, env: &Env, paths: &AgentPaths, dry: bool) -> Vec<PathBuf> {
    let judge = Judge {
        recorded: manifest::load(&env.home),
        expected: HashMap::new(),
    };
    let mut run = Run {
        ctx,
        judge,
        dry,
        r: Removal::default(),
    };
    run.agents(paths);
    run.r.removed
}

/// Runs `uninstall` after the prelude.
pub fn run(ctx: &mut Ctx, u: &UninstallOpts) -> i32 {
    if let Some(code) = super::wsl::guard(ctx) {
        return code;
    }
    let lang = ctx.lang;
    let env = Env::new(ctx.env.vars.clone());
    let pkg = ctx.env.package_root.clone();
    let version = crate::sdk::read_package_meta(&pkg).version;
    ctx.section(&t(lang, "OXE ▸ Uninstall", "OXE ▸ Desinstalação", &[]));
    let dest_label = ctx.t(crate::i18n::Msg::Destination, &[]);
    let l = format!("  {} {}", ctx.paint(GREEN, &dest_label), u.dir.display());
    ctx.say(&l);
    if u.dry_run {
        let tag = ctx.t(crate::i18n::Msg::DryRunTag, &[]);
        let l = format!("  {}", ctx.paint(YELLOW, &tag));
        ctx.say(&l);
    }
    let recorded = manifest::load(&env.home);
    let judge = Judge {
        recorded,
        expected: expected(&pkg, &env, u),
    };
    let f = ConfigDirFor {
        cursor: u.cursor,
        copilot: u.copilot,
        copilot_cli: u.copilot_cli,
    };
    let cfg = u.explicit_config_dir.as_deref();
    let project = u.dir.clone();
    let mut run = Run {
        ctx,
        judge,
        dry: u.dry_run,
        r: Removal::default(),
    };
    if u.cursor {
        run.cursor(&cursor_user_dir(&env, cfg, f));
    }
    if u.copilot {
        run.copilot_workspace(&project);
    }
    if u.copilot_legacy_clean {
        let dir = copilot_user_dir(&env, None, Default::default());
        run.strip_instructions(&dir.join("copilot-instructions.md"));
        for n in super::render::file_names(&dir.join("prompts")) {
            if n.starts_with("oxe-") && n.ends_with(".prompt.md") {
                let p = dir.join("prompts").join(&n);
                if run.dry || std::fs::remove_file(&p).is_ok() {
                    let l = format!("{}  {}", run.ctx.paint(DIM, "rm"), p.display());
                    run.ctx.say(&l);
                    run.r.removed.push(p);
                }
            }
        }
    }
    if u.copilot_cli {
        run.cli(
            &claude_user_dir(&env, cfg, f),
            &copilot_user_dir(&env, cfg, f),
        );
        run.agents(&AgentPaths::build(&env, true, &project));
    }
    let any = u.cursor || u.copilot || u.copilot_cli;
    if u.ide_local {
        if u.cursor {
            run.cursor(&project.join(".cursor"));
        }
        if u.copilot_cli {
            run.cli(&project.join(".claude"), &project.join(".copilot"));
            run.agents(&AgentPaths::build(&env, false, &project));
        }
    }
    if any && (u.ide_local || u.copilot) {
        run.remove_file(&super::workspace::semantics_manifest_path(&project), None);
    }
    if !u.no_project {
        for d in [
            project.join(".oxe").join("workflows"),
            project.join(".oxe").join("templates"),
            project.join("oxe"),
            project.join("commands").join("oxe"),
        ] {
            run.remove_tree(&d);
        }
    }
    let Run { ctx, r, dry, .. } = run;
    if !dry {
        let mut files = manifest::load_raw(&env.home);
        for p in &r.removed {
            files.remove(p.to_string_lossy().as_ref());
        }
        for p in &r.stripped {
            let k = p.to_string_lossy().into_owned();
            if files.contains_key(&k) {
                match manifest::sha256_file(p) {
                    Ok(h) => {
                        files.insert(k, Value::String(h));
                    }
                    Err(_) => {
                        files.remove(&k);
                    }
                }
            }
        }
        if manifest::manifest_path(&env.home).exists() || !files.is_empty() {
            let _ = manifest::write(&env.home, &files, &version);
        }
    }
    if u.global_cli && !dry {
        let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
        let _ = super::proc::run_inherit(
            npm,
            &["uninstall", "-g", "oxe-cc"],
            &ctx.env.vars,
            None,
            None,
        );
    }
    let mut bullets = vec![t(
        lang,
        "{0} file(s) removed",
        "{0} arquivo(s) removido(s)",
        &[&r.removed.len().to_string()],
    )];
    if !r.kept.is_empty() {
        bullets.push(t(
            lang,
            "{0} file(s) kept (changed by you or not installed by oxe-cc)",
            "{0} arquivo(s) mantido(s) (alterados por você ou não instalados pelo oxe-cc)",
            &[&r.kept.len().to_string()],
        ));
    }
    if !u.global_cli {
        bullets.push(t(
            lang,
            "The global oxe-cc package is untouched (use -g to remove it)",
            "O pacote global oxe-cc não foi removido (use -g para removê-lo)",
            &[],
        ));
    }
    ctx.footer(&bullets, &[], dry);
    let done = t(
        lang,
        "Uninstall finished successfully.",
        "Desinstalação concluída com sucesso.",
        &[],
    );
    ctx.done(&done);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip() {
        let s = format!("mine\n\n\n{INST_BEGIN}\nx\n{INST_END}\n{INST_END}\n\nmore\n");
        assert_eq!(strip_block(&s), "mine\n\nmore\n");
        assert_eq!(strip_block(&format!("{INST_BEGIN}\nx\n{INST_END}\n")), "\n");
    }
}
