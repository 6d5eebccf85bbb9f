//! SDK namespaces `install`, `manifest`, `agents` and `npmVersion`:
//! adapters to `oxe_cli::install`. Values cross as JSON text;
//! `lib/sdk/{install,manifest,agents,npm-version}.js` marshal them and
//! call the caller's log callbacks.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use napi_derive::napi;
use oxe_cli::install::{manifest, npm_version, paths, resolve, sdk, text};
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

fn parse(what: &str, t: &str) -> Result<Value, OxeError> {
    jsjson::parse(t).map_err(|e| OxeError::Arg(format!("{what}: invalid JSON ({e})")))
}

fn vars(env: HashMap<String, String>) -> BTreeMap<String, String> {
    env.into_iter().collect()
}

/// `install.resolveOptionsFromConfig(projectRoot, opts)`.
#[napi(js_name = "sdkInstallResolve")]
pub fn sdk_install_resolve(
    root: String,
    opts: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("resolveOptionsFromConfig", || {
        let v = parse("opts", &opts)?;
        let m = v.as_object().cloned().unwrap_or_default();
        Ok(jsjson::to_line(&resolve::resolve_sdk(
            Path::new(&root),
            &vars(env),
            &m,
        )))
    })
}

/// `manifest.loadFileManifest(home)` (the `files` map as JSON).
#[napi(js_name = "sdkManifestLoad")]
pub fn sdk_manifest_load(home: String) -> napi::Result<String, String> {
    guard("loadFileManifest", || {
        Ok(jsjson::to_line(&Value::Object(manifest::load_raw(
            Path::new(&home),
        ))))
    })
}

/// `manifest.writeFileManifest(home, files, version)`.
#[napi(js_name = "sdkManifestWrite")]
pub fn sdk_manifest_write(
    home: String,
    files: String,
    version: Option<String>,
) -> napi::Result<(), String> {
    guard("writeFileManifest", || {
        let v = parse("files", &files)?;
        let m = v.as_object().cloned().unwrap_or_default();
        manifest::write_with(Path::new(&home), &m, version.as_deref())?;
        Ok(())
    })
}

/// `manifest.sha256File(path)`.
#[napi(js_name = "sdkManifestSha256File")]
pub fn sdk_manifest_sha256_file(p: String) -> napi::Result<String, String> {
    guard("sha256File", || {
        manifest::sha256_file(Path::new(&p))
            .map_err(|e| OxeError::Store(oxe_runtime::store::StoreError::io(PathBuf::from(&p), e)))
    })
}

/// Every file under `dir` as `[path, name]` (the filter runs in JS).
#[napi(js_name = "sdkManifestListFiles")]
pub fn sdk_manifest_list_files(dir: String) -> napi::Result<String, String> {
    guard("collectFilesRecursive", || {
        Ok(jsjson::to_line(&sdk::list_files_recursive(Path::new(&dir))))
    })
}

/// `backupModifiedFromManifest(home, prev, {force, dryRun}, colors)`:
/// `{modified, lines}` (the report the glue prints).
#[napi(js_name = "sdkManifestBackup")]
pub fn sdk_manifest_backup(
    home: String,
    prev: String,
    force: bool,
    dry_run: bool,
    colors: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("backupModifiedFromManifest", || {
        let colors = parse("colors", &colors)?;
        let lang = oxe_cli::i18n::Lang::detect(&vars(env), None);
        let v = parse("prevManifest", &prev)?;
        let map: BTreeMap<String, String> = v
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let b = manifest::backup_modified(Path::new(&home), &map, force, dry_run)?;
        Ok(jsjson::to_line(&match b {
            None => json!({"modified": [], "lines": []}),
            Some(b) => json!({
                "modified": b.files,
                "lines": manifest::backup_report(Path::new(&home), &b, &colors, lang),
            }),
        }))
    })
}

/// `agents.adjustWorkflowPathsForNestedLayout(text)`.
#[napi(js_name = "sdkAgentsAdjustPaths")]
pub fn sdk_agents_adjust_paths(t: String) -> napi::Result<String, String> {
    guard("adjustWorkflowPathsForNestedLayout", || {
        Ok(text::adjust_workflow_paths(&t))
    })
}

/// `agents.parseCursorCommandFrontmatter(text)`.
#[napi(js_name = "sdkAgentsParseFrontmatter")]
pub fn sdk_agents_parse_frontmatter(t: String) -> napi::Result<String, String> {
    guard("parseCursorCommandFrontmatter", || {
        let c = text::parse_command_file(&t);
        Ok(jsjson::to_line(&json!({
            "description": c.description,
            "body": c.body,
            "frontmatter": c.frontmatter_value(),
        })))
    })
}

/// `agents.buildAgentSkillMarkdown(name, description, body, metadata?)`.
#[napi(js_name = "sdkAgentsSkillMarkdown")]
pub fn sdk_agents_skill_markdown(
    name: String,
    description: String,
    body: String,
    metadata: Option<String>,
) -> napi::Result<String, String> {
    guard("buildAgentSkillMarkdown", || {
        let cmd = match metadata {
            Some(m) => {
                let v = parse("metadata", &m)?;
                let fm = v
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                Some(text::CommandFile {
                    description: String::new(),
                    body: String::new(),
                    frontmatter: fm,
                })
            }
            None => None,
        };
        Ok(oxe_cli::install::render::skill::skill_markdown(
            &name,
            &description,
            &body,
            cmd.as_ref(),
        ))
    })
}

/// `agents.buildAgentInstallPaths(ideGlobal, projectRoot)`.
#[napi(js_name = "sdkAgentsPaths")]
pub fn sdk_agents_paths(
    ide_global: bool,
    root: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("buildAgentInstallPaths", || {
        let e = paths::Env::new(vars(env));
        Ok(jsjson::to_line(
            &paths::AgentPaths::build(&e, ide_global, Path::new(&root)).to_value(),
        ))
    })
}

/// One per-target installer of `agents`; answers the log events.
#[napi(js_name = "sdkAgentsInstall")]
pub fn sdk_agents_install(
    kind: String,
    src: String,
    dest: String,
    dry_run: bool,
    force: bool,
    rewrite: bool,
) -> napi::Result<String, String> {
    guard("agents install", || {
        let k = sdk::AgentInstaller::from_name(&kind)
            .ok_or_else(|| OxeError::Arg(format!("unknown installer {kind}")))?;
        let d = parse("paths", &dest)?;
        Ok(jsjson::to_line(&sdk::install_agent(
            k,
            Path::new(&src),
            &d,
            dry_run,
            force,
            rewrite,
        )))
    })
}

/// `agents.cleanupMarkedUnifiedArtifacts({dryRun}, paths)`.
#[napi(js_name = "sdkAgentsCleanup")]
pub fn sdk_agents_cleanup(
    paths_json: String,
    dry_run: bool,
    env: HashMap<String, String>,
    package_root: String,
) -> napi::Result<String, String> {
    guard("cleanupMarkedUnifiedArtifacts", || {
        let p = paths::AgentPaths::from_value(&parse("paths", &paths_json)?);
        Ok(jsjson::to_line(&sdk::cleanup_marked(
            vars(env),
            &p,
            dry_run,
            Path::new(&package_root),
        )))
    })
}

/// `npmVersion.parseNpmViewVersion(stdout)`.
#[napi(js_name = "sdkNpmParseViewVersion")]
pub fn sdk_npm_parse_view_version(stdout: String) -> napi::Result<Option<String>, String> {
    guard("parseNpmViewVersion", || {
        Ok(npm_version::parse_npm_view_version(&stdout))
    })
}

/// `npmVersion.isNewerThan(latest, current)`.
#[napi(js_name = "sdkNpmIsNewerThan")]
pub fn sdk_npm_is_newer_than(latest: String, current: String) -> napi::Result<bool, String> {
    guard("isNewerThan", || {
        Ok(npm_version::is_newer_than(&latest, &current))
    })
}

/// `npmVersion.syncNpmViewVersion(name, {env, cwd})`.
#[napi(js_name = "sdkNpmSyncViewVersion")]
pub fn sdk_npm_sync_view_version(
    name: String,
    env: HashMap<String, String>,
    cwd: Option<String>,
) -> napi::Result<String, String> {
    guard("syncNpmViewVersion", || {
        let v = vars(env);
        let lang = oxe_cli::i18n::Lang::detect(&v, None);
        Ok(jsjson::to_line(&match npm_version::sync_npm_view_version(
            &name,
            &v,
            cwd.as_deref().map(Path::new),
            lang,
        ) {
            Ok(version) => json!({"ok": true, "version": version}),
            Err(error) => json!({"ok": false, "error": error}),
        }))
    })
}
