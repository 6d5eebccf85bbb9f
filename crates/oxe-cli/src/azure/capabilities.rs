//! `ensureAzureCapabilities(projectRoot)`: the five Azure capability
//! manifests under `.oxe/capabilities/azure-*/CAPABILITY.md`, written only
//! when missing. The front matter carries 1.4.0's fields and values; the
//! prose is ours.

use std::path::Path;

use super::error::AzureResult;
use super::write_text;

struct Manifest {
    id: &'static str,
    scope: &'static str,
    entrypoint: &'static str,
    approval_policy: &'static str,
    side_effects: &'static [&'static str],
    requires_env: &'static [&'static str],
    evidence_outputs: &'static [&'static str],
    summary: &'static str,
    operations: &'static [&'static str],
}

const MUTATING: &str = "require_approval_if_external_side_effect";

const MANIFESTS: [Manifest; 5] = [
    Manifest {
        id: "azure-auth",
        scope: "ask",
        entrypoint: "oxe-cc azure auth <login|whoami|set-subscription>",
        approval_policy: "always_allow",
        side_effects: &[],
        requires_env: &[],
        evidence_outputs: &[".oxe/cloud/azure/auth-status.json", ".oxe/cloud/azure/profile.json"],
        summary: "Sign in to Azure and record the account, tenant and subscription the Azure CLI uses.",
        operations: &["auth login", "auth whoami", "auth set-subscription"],
    },
    Manifest {
        id: "azure-resource-graph",
        scope: "research",
        entrypoint: "oxe-cc azure sync",
        approval_policy: "always_allow",
        side_effects: &[],
        requires_env: &[],
        evidence_outputs: &[".oxe/cloud/azure/inventory.json", ".oxe/cloud/azure/INVENTORY.md"],
        summary: "Inventory the subscription's Azure resources through Resource Graph, repeatably.",
        operations: &["sync inventory", "find resource"],
    },
    Manifest {
        id: "azure-servicebus",
        scope: "execute",
        entrypoint: "oxe-cc azure servicebus <list|show|plan|apply>",
        approval_policy: MUTATING,
        side_effects: &["azure_resource_mutation"],
        requires_env: &[],
        evidence_outputs: &[".oxe/cloud/azure/operations/*.json", ".oxe/cloud/azure/SERVICEBUS.md"],
        summary: "Read and, with approval, create Azure Service Bus namespaces, queues, topics and subscriptions.",
        operations: &["list", "show", "create namespace", "create queue", "create topic", "create subscription"],
    },
    Manifest {
        id: "azure-eventgrid",
        scope: "execute",
        entrypoint: "oxe-cc azure eventgrid <list|show|plan|apply>",
        approval_policy: MUTATING,
        side_effects: &["azure_resource_mutation"],
        requires_env: &[],
        evidence_outputs: &[".oxe/cloud/azure/operations/*.json", ".oxe/cloud/azure/EVENTGRID.md"],
        summary: "Read and, with approval, create Azure Event Grid topics and event subscriptions.",
        operations: &["list", "show", "create topic", "create event subscription"],
    },
    Manifest {
        id: "azure-sql-admin",
        scope: "execute",
        entrypoint: "oxe-cc azure sql <list|show|plan|apply>",
        approval_policy: MUTATING,
        side_effects: &["azure_resource_mutation"],
        requires_env: &["AZURE_SQL_ADMIN_PASSWORD"],
        evidence_outputs: &[".oxe/cloud/azure/operations/*.json", ".oxe/cloud/azure/SQL.md"],
        summary: "Read and, with approval, create Azure SQL servers, databases and firewall rules.",
        operations: &["list", "show", "create server", "create database", "create firewall rule"],
    },
];

fn render(m: &Manifest) -> String {
    let list = |l: &[&str]| format!("[{}]", l.join(", "));
    let mut lines = vec![
        "---".to_string(),
        "oxe_capability: true".into(),
        format!("id: {}", m.id),
        "version: 1".into(),
        "type: script".into(),
        "status: active".into(),
        format!("scope: {}", m.scope),
        format!("entrypoint: \"{}\"", m.entrypoint),
        format!("approval_policy: {}", m.approval_policy),
        format!("side_effects: {}", list(m.side_effects)),
        format!("requires_env: {}", list(m.requires_env)),
        format!("evidence_outputs: {}", list(m.evidence_outputs)),
        "session_compatibility: [legacy, session]".into(),
        "---".into(),
        String::new(),
        format!("# OXE — Capability {}", m.id),
        String::new(),
        "## Objective".into(),
        String::new(),
        format!("- {}", m.summary),
        String::new(),
        "## OXE scope".into(),
        String::new(),
        format!("- {}", m.scope),
        String::new(),
        "## Operations".into(),
        String::new(),
    ];
    lines.extend(m.operations.iter().map(|o| format!("- {o}")));
    lines.extend(
        [
            "",
            "## Inputs and outputs",
            "",
            "- Inputs come from the command's flags, `.oxe/config.json` (`azure`) and the Azure CLI context.",
            "- Outputs are recorded under `.oxe/cloud/azure/` (operations in `operations/`) and in the event trace.",
            "",
            "## Requirements",
            "",
            "- The Azure CLI (`az`, 2.x) on PATH.",
            "- A signed-in Azure CLI session (`oxe-cc azure auth login`).",
            "",
            "## Evidence and safety",
            "",
            "- Every mutation is planned first and waits at a checkpoint for explicit approval; its record is redacted.",
            "- Secrets are never written under `.oxe/`.",
            "",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    lines.join("\n")
}

/// Writes the missing manifests; answers the five ids.
pub fn ensure(project: &Path) -> AzureResult<Vec<&'static str>> {
    let caps = project.join(".oxe").join("capabilities");
    for m in &MANIFESTS {
        let file = caps.join(m.id).join("CAPABILITY.md");
        if !file.exists() {
            write_text(&file, &render(m))?;
        }
    }
    Ok(MANIFESTS.iter().map(|m| m.id).collect())
}
