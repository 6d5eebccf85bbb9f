'use strict';
// The context pack of a workflow: the SDK's inspectContextPack when the
// package has it, else the stored `.oxe/context/packs/<slug>.json`, else the
// CLI (`oxe-cc context inspect --workflow <slug> --json`). Null when none
// works; the participant then answers from the project state alone.

const fs = require('fs');
const path = require('path');
const { runCliJson } = require('./oxeSdk');

function readStoredPack(root, workflow) {
  const file = path.join(root, '.oxe', 'context', 'packs', `${workflow}.json`);
  try {
    const pack = JSON.parse(fs.readFileSync(file, 'utf8'));
    return pack && pack.workflow ? pack : null;
  } catch {
    return null;
  }
}

function loadContextPack(root, workflow, sdk, opts = {}) {
  if (sdk && sdk.context && typeof sdk.context.inspectContextPack === 'function') {
    try {
      const pack = sdk.context.inspectContextPack(root, { workflow });
      if (pack && pack.workflow) return pack;
    } catch {
      // fall through to the stored pack
    }
  }
  const stored = readStoredPack(root, workflow);
  if (stored) return stored;
  if (opts.allowCli === false) return null;
  const pack = runCliJson(root, ['context', 'inspect', '--workflow', workflow, '--json', '--dir', root], opts);
  return pack && pack.workflow ? pack : null;
}

/** The selected artifacts that exist and carry a summary. */
function artifactSections(pack) {
  const list = pack && Array.isArray(pack.selected_artifacts) ? pack.selected_artifacts : [];
  return list
    .filter((a) => a && a.exists && (a.semantic_summary || a.summary))
    .map((a) => ({
      title: String(a.alias || 'artifact').replace(/_/g, ' '),
      fallback: Boolean(a.using_fallback),
      required: Boolean(a.required),
      text: String(a.semantic_summary || a.summary),
    }));
}

function pendingHypotheses(pack) {
  const list = pack && Array.isArray(pack.hypotheses) ? pack.hypotheses : [];
  return list.filter((h) => h && h.status === 'pending');
}

function criticalGaps(pack) {
  const list = pack && Array.isArray(pack.gaps) ? pack.gaps : [];
  return list.filter((g) => g && g.severity === 'critical');
}

module.exports = { loadContextPack, readStoredPack, artifactSections, pendingHypotheses, criticalGaps };
