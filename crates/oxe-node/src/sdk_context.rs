//! SDK namespace `context` (Context Engine V2): adapters to
//! `oxe_cli::context_cmd`. Values cross as JSON text.

use std::path::Path;

use napi_derive::napi;
use oxe_cli::context_cmd;
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

fn parse(what: &str, text: &str) -> Result<Value, OxeError> {
    jsjson::parse(text).map_err(|e| OxeError::Arg(format!("{what}: invalid JSON ({e})")))
}

/// `computeContextQuality(pack)`.
#[napi(js_name = "sdkContextQuality")]
pub fn sdk_context_quality(pack: String) -> napi::Result<String, String> {
    guard("computeContextQuality", || {
        let pack = parse("pack", &pack)?;
        Ok(jsjson::to_line(&context_cmd::compute_context_quality(
            &pack,
        )))
    })
}

/// `computePackFreshness(pack, contract)` at the current time.
#[napi(js_name = "sdkContextFreshness")]
pub fn sdk_context_freshness(pack: String, contract: String) -> napi::Result<String, String> {
    guard("computePackFreshness", || {
        let pack = parse("pack", &pack)?;
        let contract = parse("contract", &contract)?;
        let now = oxe_runtime::clock::now_ms() as f64;
        Ok(jsjson::to_line(&context_cmd::compute_pack_freshness(
            &pack, &contract, now,
        )))
    })
}

/// `summarizeText(text, maxChars, maxLines)`.
#[napi(js_name = "sdkContextSummarize")]
pub fn sdk_context_summarize(
    text: String,
    max_chars: f64,
    max_lines: f64,
) -> napi::Result<String, String> {
    guard("summarizeText", || {
        // `length > NaN` is false in JS: no cut at all
        let chars = if max_chars.is_nan() || max_chars == f64::INFINITY {
            usize::MAX
        } else if max_chars > 0.0 {
            max_chars as usize
        } else {
            0
        };
        let lines = if max_lines.is_finite() && max_lines > 0.0 {
            max_lines as usize
        } else if max_lines == f64::INFINITY {
            usize::MAX
        } else {
            0
        };
        Ok(context_cmd::summarize_text(&text, chars, lines))
    })
}

/// `contextPaths(projectRoot, activeSession?)`: `given` false means the
/// caller passed no session (read it from STATE.md).
#[napi(js_name = "sdkContextPaths")]
pub fn sdk_context_paths(
    root: String,
    given: bool,
    session: Option<String>,
) -> napi::Result<String, String> {
    guard("contextPaths", || {
        let s = if given {
            Some(session.as_deref())
        } else {
            None
        };
        Ok(jsjson::to_line(&context_cmd::context_paths(
            Path::new(&root),
            s,
        )))
    })
}

/// `extractSemanticFragment(text, {intent, maxChars, preserveMarkers})`
/// with the options already read by the glue (`markers` null: defaults).
#[napi(js_name = "sdkContextExtract")]
pub fn sdk_context_extract(
    text: String,
    intent: String,
    max_chars: f64,
    markers: Option<Vec<String>>,
) -> napi::Result<String, String> {
    guard("extractSemanticFragment", || {
        let markers = markers.unwrap_or_else(|| {
            context_cmd::DEFAULT_PRESERVE_MARKERS
                .iter()
                .map(|m| m.to_string())
                .collect()
        });
        // Math.max(200, Number(x) || 1200)
        let max = if max_chars.is_nan() || max_chars == 0.0 {
            1200.0
        } else {
            max_chars.max(200.0)
        };
        let max = if max.is_finite() {
            max as usize
        } else {
            usize::MAX / 2
        };
        Ok(context_cmd::extract_semantic_fragment(
            &text, &intent, max, &markers,
        ))
    })
}

/// `resolvePackFile(projectRoot, workflow, activeSession?)`.
#[napi(js_name = "sdkContextResolvePackFile")]
pub fn sdk_context_resolve_pack_file(
    root: String,
    workflow: String,
    given: bool,
    session: Option<String>,
) -> napi::Result<String, String> {
    guard("resolvePackFile", || {
        let s = if given {
            Some(session.as_deref())
        } else {
            None
        };
        Ok(context_cmd::resolve_pack_file(
            Path::new(&root),
            &workflow,
            s,
        ))
    })
}

fn session_arg(given: bool, session: &Option<String>) -> Option<Option<&str>> {
    if given {
        Some(session.as_deref().filter(|s| !s.is_empty()))
    } else {
        None
    }
}

fn pack_err(e: context_cmd::pack::PackError) -> OxeError {
    match e {
        context_cmd::pack::PackError::Write { source, .. } => OxeError::Store(source),
        other => OxeError::Arg(other.to_string()),
    }
}

fn now() -> f64 {
    oxe_runtime::clock::now_ms() as f64
}

/// `buildContextPack(projectRoot, input)` with the input read by the glue.
#[napi(js_name = "sdkContextBuildPack")]
#[allow(clippy::too_many_arguments)]
pub fn sdk_context_build_pack(
    package_root: String,
    root: String,
    workflow: String,
    tier: String,
    mode: String,
    given: bool,
    session: Option<String>,
    write: bool,
) -> napi::Result<String, String> {
    guard("buildContextPack", || {
        let sem = oxe_cli::runtime_semantics::Semantics::load(Path::new(&package_root));
        let input = context_cmd::pack::PackInput {
            workflow: &workflow,
            tier: &tier,
            mode: &mode,
            session: session_arg(given, &session),
            write,
        };
        context_cmd::pack::build_pack(&sem, Path::new(&root), &input, now())
            .map(|p| jsjson::to_line(&p))
            .map_err(pack_err)
    })
}

/// `inspectContextPack(projectRoot, {workflow, tier, activeSession})`.
#[napi(js_name = "sdkContextInspectPack")]
pub fn sdk_context_inspect_pack(
    package_root: String,
    root: String,
    workflow: String,
    tier: String,
    given: bool,
    session: Option<String>,
) -> napi::Result<String, String> {
    guard("inspectContextPack", || {
        let sem = oxe_cli::runtime_semantics::Semantics::load(Path::new(&package_root));
        context_cmd::pack::inspect_pack(
            &sem,
            Path::new(&root),
            &workflow,
            &tier,
            session_arg(given, &session),
            now(),
        )
        .map(|p| jsjson::to_line(&p))
        .map_err(pack_err)
    })
}

/// `buildAllContextPacks(projectRoot, {workflow, tier, activeSession, write})`.
#[napi(js_name = "sdkContextBuildAll")]
pub fn sdk_context_build_all(
    package_root: String,
    root: String,
    workflow: Option<String>,
    tier: String,
    given: bool,
    session: Option<String>,
    write: bool,
) -> napi::Result<String, String> {
    guard("buildAllContextPacks", || {
        let sem = oxe_cli::runtime_semantics::Semantics::load(Path::new(&package_root));
        context_cmd::pack::build_all(
            &sem,
            Path::new(&root),
            workflow.as_deref(),
            &tier,
            session_arg(given, &session),
            write,
            now(),
        )
        .map(|p| jsjson::to_line(&serde_json::Value::Array(p)))
        .map_err(pack_err)
    })
}

/// `buildContextIndex`, `buildProjectSummary`, `buildSessionSummary`,
/// `buildPhaseSummary` and `resolveArtifactCandidates` (by `what`).
#[napi(js_name = "sdkContextIndexCall")]
pub fn sdk_context_index_call(
    what: String,
    root: String,
    given: bool,
    session: Option<String>,
    write: bool,
) -> napi::Result<String, String> {
    guard(&what.clone(), || {
        use context_cmd::index;
        let p = Path::new(&root);
        let s = session_arg(given, &session);
        let summary =
            |r: index::Summary| serde_json::json!({"json": r.json, "markdown": r.markdown});
        let v = match what.as_str() {
            "buildContextIndex" => index::build_index(p, s, write, now())?,
            "buildProjectSummary" => summary(index::project_summary(p, s, write, now())?),
            "buildSessionSummary" => {
                index::session_summary(p, s.flatten(), write, now())?.map_or(Value::Null, summary)
            }
            "buildPhaseSummary" => summary(index::phase_summary(p, s, write, now())?),
            "resolveArtifactCandidates" => {
                let mut m = serde_json::Map::new();
                for c in index::candidates(p, s.flatten(), s) {
                    let path = |x: &Option<std::path::PathBuf>| {
                        x.as_ref().map_or(Value::Null, |x| {
                            Value::String(x.to_string_lossy().into_owned())
                        })
                    };
                    m.insert(
                        c.alias.to_string(),
                        serde_json::json!({"alias": c.alias, "semantic_type": c.semantic_type, "scope": c.scope,
                            "primary": path(&c.primary), "fallback": path(&c.fallback)}),
                    );
                }
                Value::Object(m)
            }
            other => return Err(OxeError::Arg(format!("context has no member {other}"))),
        };
        Ok(jsjson::to_line(&v))
    })
}
