use std::path::PathBuf;

use serde_json::{json, Value};

use super::*;

fn registry() -> Value {
    json!({
        "contract_version": "2.0.0",
        "mode_references": {"status": "oxe/workflows/references/reasoning-status.md",
                            "execution": "oxe/workflows/references/reasoning-execution.md"},
        "mode_guidance": {"status": ["Answer briefly."], "execution": ["Edit little."]},
        "mode_defaults": {
            "status": {"question_policy": "none", "output_contract": "routing", "tool_profile": "read_heavy",
                       "confidence_policy": "explicit", "output_sections": ["Reading", "Advice"],
                       "freshness_policy": {"pack_max_age_hours": 6, "artifact_max_age_hours": 168},
                       "fallback_policy": "read_direct_with_warning", "blocking_conditions": ["missing:state"]},
            "execution": {"question_policy": "ask_high_impact_only", "output_contract": "execution",
                          "tool_profile": "write_bounded", "confidence_policy": "explicit",
                          "output_sections": ["Result"], "freshness_policy": {"pack_max_age_hours": 4},
                          "fallback_policy": "read_direct_with_warning", "blocking_conditions": ["missing:plan"]}
        },
        "workflows": {
            "next": {"reasoning_mode": "status", "required_artifacts": ["state", " state ", "phase_summary"],
                     "optional_artifacts": ["plan", "project_summary", "session_summary", "runtime", "verify", "a", "b"],
                     "extraction_intent": "critical_check"},
            "execute": {"reasoning_mode": "execution", "tool_profile": "mixed",
                        "required_artifacts": ["state"], "optional_artifacts": [],
                        "runtime_default_commands": ["oxe-cc runtime compile --dir <project>"],
                        "runtime_fallback_note": "Say so."}
        }
    })
}

fn sem() -> Semantics {
    Semantics::from_registry(registry(), PathBuf::from("/pkg/reg.json"))
}

#[test]
fn stable_json_sorts_keys_recursively_and_keeps_arrays() {
    let v = json!({"b": [3, {"z": 1, "a": "x\"y"}], "a": null, "c": 1.5});
    assert_eq!(
        stable_json(&v),
        r#"{"a":null,"b":[3,{"a":"x\"y","z":1}],"c":1.5}"#
    );
}

#[test]
fn hash_is_16_hex_of_sha256_of_stable_json() {
    let s = sem();
    let c = s.workflow_contract("next").unwrap();
    let h = s.semantics_hash("next").unwrap();
    assert_eq!(h, contract::hash16(&stable_json(&c)));
    assert_eq!(h.len(), 16);
    assert!(h
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    // sha256("abc") starts with ba7816bf8f01cfea
    assert_eq!(contract::hash16("abc"), "ba7816bf8f01cfea");
    assert_eq!(s.semantics_hash("nope"), None);
}

#[test]
fn normalised_contract_fills_defaults_in_order() {
    let c = sem().workflow_contract("next").unwrap();
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys[0], "workflow_slug");
    assert_eq!(keys[21], "guidance");
    assert_eq!(keys.len(), 22);
    assert_eq!(c["required_artifacts"], json!(["state", "phase_summary"]));
    assert_eq!(c["question_policy"], "none");
    assert_eq!(c["output_sections"], json!(["Reading", "Advice"]));
    assert_eq!(
        c["reference"],
        "oxe/workflows/references/reasoning-status.md"
    );
    // computed tiers: 2 summaries, then 4 other optional aliases
    assert_eq!(
        c["context_tiers"]["minimal"],
        json!([
            "state",
            "phase_summary",
            "project_summary",
            "session_summary"
        ])
    );
    assert_eq!(
        c["context_tiers"]["standard"],
        json!([
            "state",
            "phase_summary",
            "project_summary",
            "session_summary",
            "plan",
            "runtime",
            "verify",
            "a"
        ])
    );
    assert_eq!(c["context_tiers"]["full"].as_array().unwrap().len(), 9);
    let e = sem().workflow_contract("execute").unwrap();
    assert_eq!(e["tool_profile"], "mixed");
    assert_eq!(e["question_policy"], "ask_high_impact_only");
    assert_eq!(e["blocking_conditions"], json!(["missing:plan"]));
    assert_eq!(e["auditor_artifacts"], json!([]));
}

#[test]
fn all_contracts_sorted_and_hashes_map() {
    let s = sem();
    let slugs: Vec<Value> = s
        .all_workflow_contracts()
        .iter()
        .map(|c| c["workflow_slug"].clone())
        .collect();
    assert_eq!(slugs, vec![json!("execute"), json!("next")]);
    let h = s.semantics_hashes();
    assert_eq!(h.keys().collect::<Vec<_>>(), vec!["execute", "next"]);
}

#[test]
fn missing_registry_gives_zero_version_and_issues() {
    let s = Semantics::load(std::path::Path::new("/definitely/not/here"));
    assert_eq!(s.contract_version(), "0.0.0");
    assert!(s.all_workflow_contracts().is_empty());
    let a = s.audit_runtime_targets(std::path::Path::new("/definitely/not/here"));
    assert_eq!(a["ok"], false);
    assert_eq!(a["registryIssues"].as_array().unwrap().len(), 2);
    assert_eq!(a["targets"]["commands"]["missing"], true);
}

#[test]
fn validate_registry_shapes() {
    let s = sem();
    assert!(s.validate_registry(None).is_empty());
    assert_eq!(s.validate_registry(Some(&Value::Null)).len(), 1);
    assert_eq!(
        s.validate_registry(Some(&json!({"workflows": {}}))).len(),
        1
    );
    assert_eq!(
        s.validate_registry(Some(&json!({"contract_version": "1"})))
            .len(),
        1
    );
    let unknown = s.validate_registry(Some(
        &json!({"contract_version": "1", "workflows": {"zzz": {}}}),
    ));
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].contains("zzz"));
}

#[test]
fn metadata_lines_and_fallback() {
    let s = sem();
    let lines = s.runtime_metadata_lines("next");
    let l: Vec<&str> = lines.split('\n').collect();
    assert_eq!(l.len(), 9);
    assert_eq!(l[0], "oxe_workflow_slug: next");
    assert_eq!(l[6], "oxe_context_tier: standard");
    assert_eq!(
        l[8],
        format!("oxe_semantics_hash: {}", s.semantics_hash("next").unwrap())
    );
    let f = s.runtime_metadata("ghost", "full");
    assert_eq!(f["oxe_reasoning_mode"], "status");
    assert_eq!(f["oxe_context_tier"], "full");
    assert_eq!(f["oxe_semantics_hash"], contract::hash16("fallback:ghost"));
}

#[test]
fn block_has_every_element() {
    let s = sem();
    let b = s.reasoning_contract_block("execute");
    let h = s.semantics_hash("execute").unwrap();
    assert!(b.starts_with(BLOCK_START) && b.ends_with(BLOCK_END));
    for needle in [
        "**Workflow:** execute".to_string(),
        "**Mode:** execution".into(),
        "**Tool profile:** mixed".into(),
        format!("Semantic checksum:** `{h}`"),
        "`.oxe/context/packs/execute.md`".into(),
        "`.oxe/context/packs/execute.json`".into(),
        "Pack-first rule".into(),
        "`oxe-cc context inspect --workflow execute --json`".into(),
        "- Edit little.".into(),
        "**Expected sections:** Result".into(),
        "**Formal blockers:** missing:plan".into(),
        "`oxe-cc runtime compile --dir <project>`".into(),
        "**Runtime fallback:** Say so.".into(),
        "`oxe/workflows/references/reasoning-execution.md`".into(),
    ] {
        assert!(b.contains(&needle), "missing {needle}\n{b}");
    }
    let meta = s.runtime_metadata("execute", "standard");
    let without = block::reasoning_contract_block(&s, &meta, None, false);
    assert!(!without.contains(block::REFERENCE_LABEL));
}

#[test]
fn frontmatter_split_and_map() {
    let (fm, body) = split_frontmatter("\u{feff}---\r\nkey: value\r\n---\r\n\n body");
    assert_eq!(fm, "key: value");
    assert_eq!(body, "body");
    let (fm, body) = split_frontmatter("no front");
    assert_eq!((fm.as_str(), body.as_str()), ("", "no front"));
    let m = parse_frontmatter_map("---\nfoo: bar\nbaz: \"quoted\"\nempty: \nbad line\nx:\n---\nb");
    assert_eq!(m["foo"], "bar");
    assert_eq!(m["baz"], "quoted");
    assert_eq!(m["empty"], "");
    assert!(!m.contains_key("x"));
    assert_eq!(slug_from_prompt_filename("oxe-plan.prompt.md"), "plan");
    assert_eq!(slug_from_prompt_filename("oxe.prompt.md"), "oxe");
    assert_eq!(slug_from_command_filename("OXE-verify.MD"), "verify");
    assert_eq!(slug_from_command_filename("plan.md"), "plan");
}

#[test]
fn audit_accepts_rendered_wrapper_and_flags_drift() {
    let s = sem();
    let good = format!(
        "---\ndescription: \"x\"\n{}\n---\n\n{}\n\nbody\n",
        s.runtime_metadata_lines("next"),
        s.reasoning_contract_block("next")
    );
    let a = s.audit_wrapper_text("next", &good);
    assert_eq!(a["ok"], true, "{a}");
    let bad = good.replace("oxe_reasoning_mode: status", "oxe_reasoning_mode: WRONG");
    let a = s.audit_wrapper_text("next", &bad);
    assert_eq!(a["ok"], false);
    assert_eq!(a["issues"][0]["key"], "oxe_reasoning_mode");
    let bare = s.audit_wrapper_text("next", "---\noxe_workflow_slug: next\n---\nbody");
    let keys: Vec<&str> = bare["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    for k in [
        "oxe-reasoning-contract",
        "oxe_semantics_hash_block",
        "oxe_context_pack_entry",
        "oxe_pack_first_rule",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
}

#[test]
fn audit_targets_scans_three_folders() {
    let dir = std::env::temp_dir().join(format!("oxe-sem-audit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = sem();
    let wrap = |slug: &str| {
        format!(
            "---\n{}\n---\n{}\n",
            s.runtime_metadata_lines(slug),
            s.reasoning_contract_block(slug)
        )
    };
    std::fs::create_dir_all(dir.join(".github/prompts")).unwrap();
    std::fs::create_dir_all(dir.join("commands/oxe")).unwrap();
    std::fs::write(dir.join(".github/prompts/oxe-next.prompt.md"), wrap("next")).unwrap();
    std::fs::write(dir.join(".github/prompts/other.prompt.md"), "ignored").unwrap();
    std::fs::write(
        dir.join("commands/oxe/execute.md"),
        wrap("execute").replace("mixed", "x"),
    )
    .unwrap();
    let a = s.audit_runtime_targets(&dir);
    assert_eq!(a["ok"], false);
    assert_eq!(a["targets"]["copilot-prompts"]["checked"], 1);
    assert_eq!(a["targets"]["commands"]["checked"], 1);
    assert_eq!(a["targets"]["cursor"]["missing"], true);
    assert_eq!(a["mismatches"].as_array().unwrap().len(), 1);
    assert_eq!(a["mismatches"][0]["target"], "commands");
    assert_eq!(
        a["warnings"][0],
        "1 wrapper(s) with semantic drift detected"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn contract_slugs_of_health_reads_the_registry() {
    let root = std::env::temp_dir().join(format!("oxe-sem-slugs-{}", std::process::id()));
    let refs = root.join("oxe/workflows/references");
    std::fs::create_dir_all(&refs).unwrap();
    std::fs::write(
        refs.join("workflow-runtime-contracts.json"),
        registry().to_string(),
    )
    .unwrap();
    assert_eq!(
        crate::health::contract_slugs(&root),
        vec!["execute", "next"]
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn sdk_dispatch_and_constants() {
    let s = sem();
    let c = sdk::constants(&s);
    assert_eq!(c["CONTRACT_VERSION"], "2.0.0");
    assert_eq!(c["loadWarning"], Value::Null);
    assert_eq!(c["MODE_DEFAULTS"]["status"]["oxe_question_policy"], "none");
    let empty = Semantics::from_registry(Value::Null, PathBuf::from("/x"));
    assert!(sdk::constants(&empty)["loadWarning"]
        .as_str()
        .unwrap()
        .contains("workflow-runtime-contracts.json"));
    assert_eq!(
        sdk::call(&s, "computeSemanticsHash", &[json!("next")]),
        s.semantics_hash("next").map(Value::String)
    );
    assert_eq!(
        sdk::call(&s, "getWorkflowContract", &[json!("zzz")]),
        Some(Value::Null)
    );
    assert_eq!(
        sdk::call(&s, "validateWorkflowContractsRegistry", &[]),
        Some(json!([]))
    );
    assert_eq!(
        sdk::call(
            &s,
            "getRuntimeMetadataForSlug",
            &[json!("next"), json!({"tier": "full"})]
        )
        .unwrap()["oxe_context_tier"],
        "full"
    );
    assert_eq!(
        sdk::call(&s, "splitFrontmatter", &[Value::Null]),
        Some(json!({"frontmatter": "", "body": ""}))
    );
    assert!(sdk::call(&s, "noSuchMember", &[]).is_none());
}

#[test]
fn frontmatter_block_is_shared_but_only_semantics_drops_a_bom() {
    use super::frontmatter::frontmatter_block;
    assert_eq!(
        frontmatter_block("---\na: 1\n---\nbody"),
        Some(("a: 1", "body"))
    );
    // the opening line's own newline never closes the block
    assert_eq!(frontmatter_block("---\n---\nx"), None);
    assert_eq!(frontmatter_block("\u{feff}---\na: 1\n---\nb"), None);
    let bom = "\u{feff}---\r\ndescription: d\r\n---\r\n body \r\n";
    assert_eq!(
        split_frontmatter(bom),
        ("description: d".to_string(), "body \n".to_string())
    );
    let cmd = crate::install::text::parse_command_file(bom);
    assert_eq!(cmd.description, "");
    let cmd = crate::install::text::parse_command_file(&bom[3..]);
    assert_eq!((cmd.description.as_str(), cmd.body.as_str()), ("d", "body"));
}
