//! Project plugins: `.oxe/plugins/*.cjs` and the `plugins[]` sources of
//! `.oxe/config.json` (SDK namespace `plugins`), and the command
//! `oxe-cc plugins [list|install <npm:pkg|path> [ver]|remove <id>] [--dir p]`.
//!
//! Plugins are JavaScript, so requiring them is the job of the Node glue
//! (`lib/sdk/plugins.js`); every rule lives here: which files are loaded
//! and in which order ([`load_plan`]), how config sources resolve
//! ([`resolve_sources`]), what a loaded module must look like
//! ([`check_module`]), what validation reports ([`validate`]), the
//! README of a new plugin folder ([`init_dir`]) and the npm install
//! ([`install_npm`]).
//!
//! Beyond 1.4.0 (docs/compat.md): `install` runs `npm` directly with its
//! arguments, never through a shell, so a package name cannot inject a
//! command; `plugins list` loads the plugins in a child Node process (the
//! command line itself is Rust) with the same files and order.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::flags::{resolve, PluginsOpts};
use crate::i18n::Lang;
use crate::output::{Ctx, CYAN, DIM, GREEN, RED, YELLOW};

/// Plugins folder of a project.
pub fn plugins_dir(root: &Path) -> PathBuf {
    root.join(".oxe").join("plugins")
}

fn path_text(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Sorted `.cjs` file names of `.oxe/plugins` (`Ok(None)` when the folder
/// does not exist).
fn cjs_files(dir: &Path) -> Result<Option<Vec<String>>, String> {
    if !dir.exists() {
        return Ok(None);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| e.to_string())?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".cjs"))
        .collect();
    names.sort();
    Ok(Some(names))
}

/// `resolvePluginSources(projectRoot, entries)`. Each entry arrives as the
/// glue describes it: a JSON string (the legacy form), `{source: text}` for
/// an object with a truthy `source`, or `{invalid: String(entry)}`.
pub fn resolve_sources(root: &Path, entries: &[Value]) -> Value {
    let mut resolved: Vec<Value> = Vec::new();
    let mut errors: Vec<Value> = Vec::new();
    let mut err = |source: &str, error: String| {
        errors.push(json!({ "source": source, "error": error }));
    };
    for entry in entries {
        if let Some(name) = entry.as_str() {
            let abs = resolve(&plugins_dir(root), name);
            if abs.exists() {
                resolved.push(Value::String(path_text(&abs)));
            } else {
                err(name, format!("file not found: {}", abs.display()));
            }
            continue;
        }
        let Some(src) = entry.get("source").and_then(Value::as_str) else {
            let text = entry
                .get("invalid")
                .and_then(Value::as_str)
                .unwrap_or("undefined");
            err(text, "invalid entry: expected { source: string }".into());
            continue;
        };
        if src.starts_with("path:") || src.starts_with("./") || src.starts_with("../") {
            let rel = src.strip_prefix("path:").unwrap_or(src);
            let abs = resolve(root, rel);
            if abs.exists() {
                resolved.push(Value::String(path_text(&abs)));
            } else {
                err(src, format!("file not found: {}", abs.display()));
            }
        } else if let Some(pkg) = src.strip_prefix("npm:") {
            let dir = plugins_dir(root)
                .join("_npm")
                .join("node_modules")
                .join(pkg);
            if !dir.exists() {
                err(
                    src,
                    format!("package not installed; run: npx oxe-cc plugins install {src}"),
                );
                continue;
            }
            let pj = dir.join("package.json");
            let parsed = std::fs::read_to_string(&pj)
                .map_err(|e| e.to_string())
                .and_then(|t| oxe_runtime::jsjson::parse(&t).map_err(|e| e.to_string()));
            match parsed {
                Ok(v) => {
                    let main = v
                        .get("main")
                        .filter(|m| oxe_runtime::jsjson::truthy(m))
                        .map(oxe_runtime::jsjson::js_string)
                        .unwrap_or_else(|| "index.js".into());
                    resolved.push(Value::String(path_text(&resolve(&dir, &main))));
                }
                Err(e) => err(
                    src,
                    format!(
                        "could not read the package's main entry ({}): {e}",
                        pj.display()
                    ),
                ),
            }
        } else {
            err(
                src,
                "unknown source prefix: use \"path:\" or \"npm:\"".into(),
            );
        }
    }
    json!({ "resolved": resolved, "errors": errors })
}

/// What `loadPlugins` must require: `{files:[abs…], errors:[…],
/// external:{resolved, errors}|null}`. `external` is null when the config
/// is missing, unreadable, not JSON or has no `plugins` array (1.4.0
/// ignores those). With no plugins folder nothing is loaded at all.
pub fn load_plan(root: &Path) -> Value {
    let dir = plugins_dir(root);
    let files = match cjs_files(&dir) {
        Ok(None) => return json!({ "files": [], "errors": [], "external": null }),
        Ok(Some(f)) => f,
        Err(e) => {
            return json!({
                "files": [],
                "errors": [{ "file": path_text(&dir), "error": e }],
                "external": null,
            })
        }
    };
    let files: Vec<Value> = files
        .iter()
        .map(|f| json!({ "file": f, "path": path_text(&dir.join(f)) }))
        .collect();
    let cfg = std::fs::read_to_string(root.join(".oxe").join("config.json"))
        .ok()
        .and_then(|t| oxe_runtime::jsjson::parse(&t).ok());
    let external = match cfg
        .as_ref()
        .and_then(|c| c.get("plugins"))
        .and_then(Value::as_array)
    {
        Some(list) => {
            let described: Vec<Value> = list
                .iter()
                .map(|e| match e {
                    Value::String(_) => e.clone(),
                    Value::Object(o) => match o.get("source") {
                        Some(s) if oxe_runtime::jsjson::truthy(s) => {
                            json!({ "source": oxe_runtime::jsjson::js_string(s) })
                        }
                        _ => json!({ "invalid": "[object Object]" }),
                    },
                    other => json!({ "invalid": oxe_runtime::jsjson::js_string(other) }),
                })
                .collect();
            resolve_sources(root, &described)
        }
        None => Value::Null,
    };
    json!({ "files": files, "errors": [], "external": external })
}

/// Checks a loaded module, described by the glue as `{type, isNull,
/// nameType, hooksType, hooksIsNull}`. `None` when it is a valid plugin,
/// else the error to report (`external`: it came from config.json).
pub fn check_module(desc: &Value, external: bool) -> Option<String> {
    let s = |k: &str| desc.get(k).and_then(Value::as_str).unwrap_or("undefined");
    let b = |k: &str| desc.get(k).and_then(Value::as_bool).unwrap_or(false);
    let is_object = s("type") == "object" && !b("isNull");
    let name_ok = s("nameType") == "string";
    let hooks_ok = s("hooksType") == "object" && !b("hooksIsNull");
    if external {
        if is_object && name_ok && hooks_ok {
            return None;
        }
        return Some("external plugin must export a string `name` and a `hooks` object".into());
    }
    if !is_object {
        return Some("a plugin must export an object".into());
    }
    if !name_ok {
        return Some("a plugin must export `name` (a string)".into());
    }
    if !hooks_ok {
        return Some("a plugin must export `hooks` (an object of functions)".into());
    }
    None
}

/// `validatePlugins` once the glue has loaded the plugins:
/// `{valid, issues:[{file, issue}]}` (non-`.cjs` entries, then the load
/// errors, then a "too many plugins" note above 20).
pub fn validate(root: &Path, load_errors: &[Value]) -> Value {
    let dir = plugins_dir(root);
    if !dir.exists() {
        return json!({ "valid": true, "issues": [] });
    }
    let names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect(),
        Err(_) => {
            return json!({
                "valid": false,
                "issues": [{ "file": path_text(&dir), "issue": "the plugins folder cannot be read" }],
            })
        }
    };
    let mut issues: Vec<Value> = Vec::new();
    for n in &names {
        if !n.ends_with(".cjs") && !n.starts_with('.') && n != "README.md" {
            issues.push(json!({ "file": n, "issue": "plugins must be .cjs files" }));
        }
    }
    for e in load_errors {
        issues.push(json!({
            "file": e.get("file").cloned().unwrap_or(Value::Null),
            "issue": e.get("error").cloned().unwrap_or(Value::Null),
        }));
    }
    let count = names.iter().filter(|n| n.ends_with(".cjs")).count();
    if count > 20 {
        issues.push(json!({
            "file": path_text(&dir),
            "issue": format!("too many plugins ({count}): consider merging some"),
        }));
    }
    json!({ "valid": issues.is_empty(), "issues": issues })
}

/// `initPluginsDir`: creates `.oxe/plugins/` and its README when missing.
pub fn init_dir(root: &Path, package_root: &Path) -> std::io::Result<()> {
    let dir = plugins_dir(root);
    std::fs::create_dir_all(&dir)?;
    let readme = dir.join("README.md");
    if !readme.exists() {
        let text = crate::init_oxe::template(package_root, "PLUGINS.md").unwrap_or_else(|| {
            b"# .oxe/plugins/\n\nPut OXE plugins here as `.cjs` files exporting `{ name, version, hooks }`.\n".to_vec()
        });
        oxe_runtime::store::write_atomic(&readme, &text)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}

/// `installNpmPlugin(projectRoot, pkg, version?)` → `{ok, path, error}`:
/// `npm install --prefix .oxe/plugins/_npm <pkg[@version]>`, 60 s at most,
/// run without a shell.
pub fn install_npm(root: &Path, pkg: &str, version: Option<&str>) -> Value {
    let npm_dir = plugins_dir(root).join("_npm");
    let fail = |e: String| json!({ "ok": false, "path": "", "error": e });
    if pkg.is_empty() || pkg.starts_with('-') {
        return fail(format!("invalid package name: {pkg:?}"));
    }
    if let Err(e) = std::fs::create_dir_all(&npm_dir) {
        return fail(format!("cannot create {}: {e}", npm_dir.display()));
    }
    let spec = match version.filter(|v| !v.is_empty()) {
        Some(v) => format!("{pkg}@{v}"),
        None => pkg.to_string(),
    };
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let child = Command::new(npm)
        .arg("install")
        .arg("--prefix")
        .arg(&npm_dir)
        .arg(&spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return fail(format!("could not run npm: {e}")),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                if status.success() {
                    let path = npm_dir.join("node_modules").join(pkg);
                    return json!({ "ok": true, "path": path_text(&path), "error": "" });
                }
                let mut stderr = String::new();
                if let Some(mut e) = child.stderr.take() {
                    use std::io::Read;
                    let _ = e.read_to_string(&mut stderr);
                }
                return fail(format!(
                    "npm install {spec} failed ({status}): {}",
                    stderr.trim()
                ));
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return fail(format!("npm install {spec} timed out after 60 s"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return fail(format!("npm install {spec}: {e}")),
        }
    }
}

// ---------------------------------------------------------------- command

#[derive(Clone, Copy)]
enum M {
    Project,
    Count,
    Hooks,
    NoPlugins,
    LoadErrors,
    ListFailed,
    Installed,
    ConfigHint,
    InstallFailed,
    RemoveSteps,
    Usage,
}

fn msg(lang: Lang, m: M) -> &'static str {
    use Lang::{En, PtBr};
    match (lang, m) {
        (En, M::Project) => "Project:",
        (PtBr, M::Project) => "Projeto:",
        (En, M::Count) => "{0} plugin(s) loaded",
        (PtBr, M::Count) => "{0} plugin(s) carregado(s)",
        (En, M::Hooks) => "hooks:",
        (PtBr, M::Hooks) => "hooks:",
        (En, M::NoPlugins) => "No plugin in .oxe/plugins/ or in config.json plugins[].",
        (PtBr, M::NoPlugins) => "Nenhum plugin em .oxe/plugins/ nem em plugins[] do config.json.",
        (En, M::LoadErrors) => "Could not load:",
        (PtBr, M::LoadErrors) => "Falha ao carregar:",
        (En, M::ListFailed) => "Could not load the plugins: {0}",
        (PtBr, M::ListFailed) => "Não foi possível carregar os plugins: {0}",
        (En, M::Installed) => "Plugin installed at {0}",
        (PtBr, M::Installed) => "Plugin instalado em {0}",
        (En, M::ConfigHint) => "Enable it in .oxe/config.json: \"plugins\": [{ \"source\": \"npm:{0}\" }]",
        (PtBr, M::ConfigHint) => "Ative-o em .oxe/config.json: \"plugins\": [{ \"source\": \"npm:{0}\" }]",
        (En, M::InstallFailed) => "Plugin install failed: {0}",
        (PtBr, M::InstallFailed) => "Falha ao instalar o plugin: {0}",
        (En, M::RemoveSteps) => "To remove plugin {0}: delete its entry from plugins[] in .oxe/config.json, then delete .oxe/plugins/{0}.cjs or .oxe/plugins/_npm/node_modules/{0}. Nothing was deleted.",
        (PtBr, M::RemoveSteps) => "Para remover o plugin {0}: apague sua entrada em plugins[] do .oxe/config.json e depois .oxe/plugins/{0}.cjs ou .oxe/plugins/_npm/node_modules/{0}. Nada foi apagado.",
        (En, M::Usage) => "Usage: oxe-cc plugins [list | install <npm:pkg|path> [version] | remove <id>] [--dir <path>]",
        (PtBr, M::Usage) => "Uso: oxe-cc plugins [list | install <npm:pkg|caminho> [versão] | remove <id>] [--dir <caminho>]",
    }
}

fn t(lang: Lang, m: M, args: &[&str]) -> String {
    let mut s = msg(lang, m).to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}

/// Script run by the child Node process of `plugins list`: loads the
/// plugins through the SDK and prints `{plugins:[{name,version,hooks}],
/// errors}` as JSON.
const LIST_SCRIPT: &str =
    "const p=require(process.argv[1]);const r=p.loadPlugins(process.argv[2]);\
process.stdout.write(JSON.stringify({plugins:r.plugins.map((x)=>({name:String(x.name),\
version:x.version===undefined?null:String(x.version),hooks:Object.keys(x.hooks||{})})),\
errors:r.errors.map((e)=>({file:String(e.file),error:String(e.error)}))}));";

/// Loads the plugins in a child Node process (the running executable when
/// it is Node, else `node` on the PATH).
fn list_via_node(ctx: &Ctx, dir: &Path) -> Result<Value, String> {
    let sdk = ctx
        .env
        .package_root
        .join("lib")
        .join("sdk")
        .join("plugins.js");
    let exe = std::env::current_exe()
        .ok()
        .filter(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s == "node" || s == "nodejs")
        })
        .unwrap_or_else(|| PathBuf::from("node"));
    let out = Command::new(exe)
        .arg("-e")
        .arg(LIST_SCRIPT)
        .arg(&sdk)
        .arg(dir)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // a plugin may print while loading: the report is the last line
    let last = text.rsplit('\n').find(|l| l.starts_with('{')).unwrap_or("");
    oxe_runtime::jsjson::parse(last).map_err(|e| e.to_string())
}

/// `oxe-cc plugins …` after the banner.
pub fn run(ctx: &mut Ctx, opts: &PluginsOpts) -> i32 {
    let lang = ctx.lang;
    let sub = opts.args.first().map_or("list", String::as_str);
    let target = opts
        .args
        .get(1)
        .map(String::as_str)
        .filter(|s| !s.is_empty());
    ctx.section("OXE ▸ plugins");
    match (sub, target) {
        ("list", _) => {
            let l = format!(
                "  {} {}",
                ctx.paint(GREEN, msg(lang, M::Project)),
                ctx.paint(CYAN, &opts.dir.display().to_string())
            );
            ctx.say(&l);
            let report = match list_via_node(ctx, &opts.dir) {
                Ok(r) => r,
                Err(e) => {
                    let m = t(lang, M::ListFailed, &[&e]);
                    ctx.error(&m);
                    return 0;
                }
            };
            let empty = Vec::new();
            let plugins = report
                .get("plugins")
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            let errors = report
                .get("errors")
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            if plugins.is_empty() && errors.is_empty() {
                let l = format!("  {}", ctx.paint(YELLOW, msg(lang, M::NoPlugins)));
                ctx.say(&l);
                return 0;
            }
            let l = format!("  {}", t(lang, M::Count, &[&plugins.len().to_string()]));
            ctx.say(&l);
            for p in plugins {
                let name = p.get("name").and_then(Value::as_str).unwrap_or("");
                let version = p.get("version").and_then(Value::as_str).unwrap_or("—");
                let hooks: Vec<&str> = p
                    .get("hooks")
                    .and_then(Value::as_array)
                    .map(|h| h.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let l = format!(
                    "  {} {} ({version}) — {} {}",
                    ctx.paint(DIM, "•"),
                    ctx.paint(CYAN, name),
                    msg(lang, M::Hooks),
                    hooks.join(", ")
                );
                ctx.say(&l);
            }
            if !errors.is_empty() {
                let head = format!("  {}", ctx.paint(RED, msg(lang, M::LoadErrors)));
                ctx.warn(&head);
                for e in errors {
                    let file = e.get("file").and_then(Value::as_str).unwrap_or("");
                    let err = e.get("error").and_then(Value::as_str).unwrap_or("");
                    let l = format!("    {file}: {err}");
                    ctx.warn(&l);
                }
            }
            0
        }
        ("install", Some(src)) => {
            let pkg = src.strip_prefix("npm:").unwrap_or(src);
            let version = opts.args.get(2).map(String::as_str);
            let r = install_npm(&opts.dir, pkg, version);
            if r.get("ok").and_then(Value::as_bool) == Some(true) {
                let path = r.get("path").and_then(Value::as_str).unwrap_or("");
                let l = format!(
                    "  {} {}",
                    ctx.paint(GREEN, "✓"),
                    t(lang, M::Installed, &[path])
                );
                ctx.say(&l);
                let l = format!("  {}", ctx.paint(DIM, &t(lang, M::ConfigHint, &[pkg])));
                ctx.say(&l);
                0
            } else {
                let e = r.get("error").and_then(Value::as_str).unwrap_or("");
                let m = t(lang, M::InstallFailed, &[e]);
                ctx.error(&m);
                1
            }
        }
        ("remove", Some(id)) => {
            let l = format!("  {}", t(lang, M::RemoveSteps, &[id]));
            ctx.say(&l);
            0
        }
        _ => {
            let l = format!("  {}", msg(lang, M::Usage));
            ctx.say(&l);
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("oxe-plugins-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join(".oxe").join("plugins")).ok();
        d
    }

    #[test]
    fn sources_resolve() {
        let root = tmp("src");
        std::fs::write(root.join(".oxe/plugins/a.cjs"), "module.exports={}").ok();
        std::fs::write(root.join("b.cjs"), "").ok();
        let npm = root.join(".oxe/plugins/_npm/node_modules/pk");
        std::fs::create_dir_all(&npm).ok();
        std::fs::write(npm.join("package.json"), r#"{"main":"lib/x.js"}"#).ok();
        let r = resolve_sources(
            &root,
            &[
                json!("a.cjs"),
                json!({"source": "path:b.cjs"}),
                json!({"source": "./b.cjs"}),
                json!({"source": "npm:pk"}),
                json!("missing.cjs"),
                json!({"source": "npm:nope"}),
                json!({"source": "git:x"}),
                json!({"invalid": "42"}),
            ],
        );
        assert_eq!(r["resolved"].as_array().map(Vec::len), Some(4));
        assert!(r["resolved"][3]
            .as_str()
            .unwrap_or("")
            .ends_with("pk/lib/x.js"));
        let errs = r["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errs.len(), 4);
        assert_eq!(errs[3]["source"], "42");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn modules_and_validation() {
        let ok = json!({"type":"object","isNull":false,"nameType":"string","hooksType":"object","hooksIsNull":false});
        assert_eq!(check_module(&ok, false), None);
        let no_name = json!({"type":"object","nameType":"undefined","hooksType":"object"});
        assert!(check_module(&no_name, false)
            .unwrap_or_default()
            .contains("name"));
        let no_hooks = json!({"type":"object","nameType":"string","hooksType":"undefined"});
        assert!(check_module(&no_hooks, false)
            .unwrap_or_default()
            .contains("hooks"));
        let root = tmp("val");
        std::fs::write(root.join(".oxe/plugins/x.js"), "").ok();
        std::fs::write(root.join(".oxe/plugins/README.md"), "").ok();
        let v = validate(&root, &[]);
        assert_eq!(v["valid"], false);
        assert_eq!(v["issues"][0]["file"], "x.js");
        assert!(v["issues"][0]["issue"]
            .as_str()
            .unwrap_or("")
            .contains(".cjs"));
        let _ = std::fs::remove_dir_all(&root);
        let v = validate(&root, &[]);
        assert_eq!(v, json!({"valid": true, "issues": []}));
    }

    #[test]
    fn install_rejects_flags() {
        let root = tmp("inst");
        let r = install_npm(&root, "--global", None);
        assert_eq!(r["ok"], false);
        let _ = std::fs::remove_dir_all(&root);
    }
}
