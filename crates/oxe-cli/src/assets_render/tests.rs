use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::runtime_semantics::{parse_frontmatter_map, Semantics};

const REGISTRY: &str =
    include_str!("../../../../assets/workflows/references/workflow-runtime-contracts.json");

fn pkg(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("oxe-render-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    let a = d.join("assets");
    fs::create_dir_all(a.join("workflows/references")).unwrap();
    fs::create_dir_all(a.join("templates")).unwrap();
    fs::create_dir_all(a.join("commands")).unwrap();
    fs::write(
        a.join("workflows/references/workflow-runtime-contracts.json"),
        REGISTRY,
    )
    .unwrap();
    fs::write(
        a.join("workflows/references/reasoning-status.md"),
        "# status\n",
    )
    .unwrap();
    fs::write(
        a.join("workflows/next.md"),
        "# OXE workflow: next — x\n<objective>\n</objective>\n",
    )
    .unwrap();
    fs::write(a.join("templates/STATE.md"), "## Fase atual\n").unwrap();
    fs::write(a.join("AGENTS.md"), "# Agents\n").unwrap();
    fs::write(a.join("copilot-instructions.md"), "# Copilot\n").unwrap();
    for slug in ["oxe", "next", "execute"] {
        fs::write(
            a.join(format!("commands/{slug}.md")),
            format!("---\ndescription: Run the {slug} step \"now\".\nargument-hint: \"[focus]\"\nallowed-tools: [Read, Write, Bash]\ntargets: all\n---\nRead and apply `.oxe/workflows/{slug}.md` in full.\n\nUse $ARGUMENTS as the focus.\n"),
        )
        .unwrap();
    }
    fs::write(
        a.join("commands/ship.md"),
        "---\ndescription: Commit the work.\nargument-hint: \"\"\nallowed-tools:\n  - Read\n  - Bash\ntargets: commands-only\n---\nRead `.oxe/workflows/ship.md`.\n",
    )
    .unwrap();
    d
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

#[test]
fn renders_every_set_with_metadata_and_block() {
    let root = pkg("all");
    let r = render_assets(&root).unwrap();
    assert_eq!(r["prompts"], 3);
    assert_eq!(r["cursor"], 3);
    assert_eq!(r["commands"], 4);
    assert_eq!(r["contractVersion"], "2.0.0");
    assert!(root.join("oxe/workflows/next.md").is_file());
    assert!(root
        .join("oxe/workflows/references/workflow-runtime-contracts.json")
        .is_file());
    assert!(root.join("oxe/templates/STATE.md").is_file());
    assert_eq!(read(&root.join("AGENTS.md")), "# Agents\n");
    assert_eq!(
        read(&root.join(".github/copilot-instructions.md")),
        "# Copilot\n"
    );
    assert!(root.join(".github/prompts/oxe.prompt.md").is_file());
    assert!(!root.join(".github/prompts/oxe-ship.prompt.md").exists());
    assert!(!root.join(".cursor/commands/oxe-ship.md").exists());
    let sem = Semantics::load(&root);
    let p = read(&root.join(".github/prompts/oxe-next.prompt.md"));
    assert!(p.starts_with("---\nname: oxe-next\nagent: agent\ndescription: \"Run the next step \\\"now\\\".\"\nargument-hint: \"[focus]\"\noxe_workflow_slug: next\n"));
    let fm = parse_frontmatter_map(&p);
    assert_eq!(
        fm["oxe_semantics_hash"],
        sem.semantics_hash("next").unwrap().as_str()
    );
    assert!(p.contains(&format!(
        "---\n\n{}\n\nRead and apply",
        sem.reasoning_contract_block("next")
    )));
    assert!(p.ends_with("Use $ARGUMENTS as the focus.\n"));
    let c = read(&root.join(".cursor/commands/oxe-next.md"));
    assert!(c.starts_with("---\ndescription: \"Run the next step \\\"now\\\".\"\nargument-hint: \"[focus]\"\noxe_workflow_slug: next\n"));
    assert!(
        c.contains("---\n\nRun the next step \"now\".\n\n<!-- oxe-reasoning-contract:start -->")
    );
    let k = read(&root.join("commands/oxe/ship.md"));
    assert!(k.starts_with("---\nname: oxe:ship\ndescription: \"Commit the work.\"\nargument-hint: \"\"\nallowed-tools:\n  - Read\n  - Bash\noxe_workflow_slug: ship\n"));
    let o = read(&root.join("commands/oxe/oxe.md"));
    assert!(o.starts_with("---\nname: oxe\n"));
    assert!(o.contains("allowed-tools:\n  - Read\n  - Write\n  - Bash\n"));
    // every rendered wrapper passes the audit
    let audit = sem.audit_runtime_targets(&root);
    assert_eq!(audit["ok"], true, "{audit}");
    assert_eq!(audit["targets"]["commands"]["checked"], 4);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn second_render_writes_nothing_and_stale_files_go() {
    let root = pkg("idem");
    render_assets(&root).unwrap();
    let again = render_assets(&root).unwrap();
    assert_eq!(again["written"], 0);
    assert_eq!(again["removed"], 0);
    // a stale rendered file, a foreign file, and a removed source
    fs::write(root.join(".github/prompts/oxe-gone.prompt.md"), "x").unwrap();
    fs::write(root.join(".github/prompts/mine.prompt.md"), "keep").unwrap();
    fs::write(root.join("oxe/workflows/old.md"), "x").unwrap();
    fs::remove_file(root.join("assets/commands/execute.md")).unwrap();
    let r = render_assets(&root).unwrap();
    assert_eq!(r["removed"], 5, "{r}");
    assert!(!root.join(".github/prompts/oxe-gone.prompt.md").exists());
    assert!(!root.join(".github/prompts/oxe-execute.prompt.md").exists());
    assert!(!root.join(".cursor/commands/oxe-execute.md").exists());
    assert!(!root.join("commands/oxe/execute.md").exists());
    assert!(!root.join("oxe/workflows/old.md").exists());
    assert_eq!(read(&root.join(".github/prompts/mine.prompt.md")), "keep");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn bad_sources_and_missing_assets_are_errors() {
    let root = pkg("bad");
    fs::write(root.join("assets/commands/broken.md"), "no front matter").unwrap();
    let e = render_assets(&root).unwrap_err();
    assert!(matches!(e, RenderError::BadSource { .. }), "{e}");
    fs::write(
        root.join("assets/commands/broken.md"),
        "---\ndescription: x\ntargets: some\n---\nb",
    )
    .unwrap();
    assert!(render_assets(&root)
        .unwrap_err()
        .to_string()
        .contains("targets"));
    let _ = fs::remove_dir_all(&root);
    assert!(matches!(
        render_assets(&root),
        Err(RenderError::NoAssets(_))
    ));
}

#[test]
fn source_scalars() {
    use super::source::scalar;
    assert_eq!(scalar(" \"a \\\"b\\\"\" "), "a \"b\"");
    assert_eq!(scalar("'it''s'"), "it's");
    assert_eq!(scalar("all            # or commands-only"), "all");
}
