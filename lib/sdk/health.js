'use strict';
// SDK namespace `health` (oxe-cc 1.4.0: bin/lib/oxe-project-health.cjs).
// Every rule lives in Rust (crates/oxe-cli/src/health); this file only moves
// values: paths and the environment in, JSON text out, ISO dates back into
// Date objects where 1.4.0 returns Dates. parseActiveSession and
// parsePlanReviewStatus are helpers 1.4.0 keeps internal (exposed for the
// upstream tests); collectOxeRoutineHints is the CLI's reminder list.
const path = require('path');
const { native } = require('../native.js');
const { stateReaders, PACKAGE_ROOT } = require('./parsers.js');

const C = JSON.parse(native.healthConstants());

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function proj(p) {
  return path.resolve(String(p));
}

function toDate(iso) {
  return iso == null ? null : new Date(iso);
}

function buildHealthReport(target) {
  const r = JSON.parse(native.healthBuildReport(proj(target), env(), PACKAGE_ROOT));
  r.scanDate = toDate(r.scanDate);
  r.compactDate = toDate(r.compactDate);
  r.retroDate = toDate(r.retroDate);
  return r;
}

function isStaleScan(date, maxAgeDays) {
  const ms = date instanceof Date ? date.getTime() : date == null ? null : Number(date);
  return JSON.parse(native.healthIsStale(ms, Number(maxAgeDays) || 0, Date.now()));
}

function warnings(kind, args) {
  return JSON.parse(native.healthWarnings(kind, JSON.stringify(args), env()));
}

function copilotWorkspacePaths(target) {
  const root = proj(target);
  return {
    root: path.join(root, '.github'),
    promptsDir: path.join(root, '.github', 'prompts'),
    instructions: path.join(root, '.github', 'copilot-instructions.md'),
    manifest: path.join(root, '.oxe', 'install', 'copilot-vscode.json'),
  };
}

function copilotLegacyPaths() {
  const r = JSON.parse(native.healthCopilotReport(proj('.'), env())).legacy;
  return { root: r.root, promptsDir: r.promptsDir, instructions: r.instructions };
}

module.exports = {
  ALLOWED_CONFIG_KEYS: C.ALLOWED_CONFIG_KEYS,
  EXECUTION_PROFILES: C.EXECUTION_PROFILES,
  VERIFICATION_DEPTHS: C.VERIFICATION_DEPTHS,
  INSTALL_PROFILES: C.INSTALL_PROFILES,
  INSTALL_REPO_LAYOUTS: C.INSTALL_REPO_LAYOUTS,
  INSTALL_OBJECT_KEYS: C.INSTALL_OBJECT_KEYS,
  EXPECTED_CODEBASE_MAPS: C.EXPECTED_CODEBASE_MAPS,
  expandExecutionProfile: (p) => JSON.parse(native.healthExpandProfile(String(p))),
  loadOxeConfigMerged: (target) => JSON.parse(native.healthLoadConfig(proj(target), env())),
  validateConfigShape: (cfg) => JSON.parse(native.healthValidateConfig(JSON.stringify(cfg || {}), env())),
  parseStatePhase: stateReaders.parseStatePhase,
  parseLastScanDate: stateReaders.parseLastScanDate,
  parseLastCompactDate: stateReaders.parseLastCompactDate,
  parseLastRetroDate: stateReaders.parseLastRetroDate,
  parseActiveSession: stateReaders.parseActiveSession,
  parsePlanReviewStatus: stateReaders.parsePlanReviewStatus,
  isStaleScan,
  isStaleLessons: isStaleScan,
  copilotWorkspacePaths,
  copilotLegacyPaths,
  copilotIntegrationReport: (target) => JSON.parse(native.healthCopilotReport(proj(target), env())),
  planAgentsWarnings: (target) => warnings('planAgents', { path: proj(target) }),
  parsePlanSelfEvaluation: (planPath) => JSON.parse(native.healthPlanSelfEvaluation(String(planPath), env())),
  runtimeWarnings: (stateText, p) => warnings('runtime', { stateText: String(stateText || ''), paths: p }),
  capabilityWarnings: (p) => warnings('capability', { paths: p }),
  investigationWarnings: (p) => warnings('investigation', { paths: p }),
  phaseCoherenceWarnings: (phase, p) => warnings('phase', { phase: phase || null, paths: p }),
  verifyGapsWithoutSummaryWarning: (verifyPath, summaryPath) =>
    warnings('verifyGaps', { verify: String(verifyPath), summary: String(summaryPath) }),
  specSectionWarnings: (specPath, headings) =>
    warnings('spec', { path: String(specPath), headings: Array.isArray(headings) ? headings : [] }),
  planWaveWarningsFixed: (planPath, max) => warnings('wave', { path: String(planPath), max: Number(max) || 0 }),
  planTaskAceiteWarnings: (planPath) => warnings('aceite', { path: String(planPath) }),
  suggestNextStep: (target) => JSON.parse(native.healthSuggestNextStep(proj(target), env())),
  buildHealthReport,
  oxePaths: (target) => JSON.parse(native.healthOxePaths(proj(target), null, false)),
  scopedOxePaths: (target, session) =>
    JSON.parse(native.healthOxePaths(proj(target), session ? String(session) : null, true)),
  collectOxeRoutineHints: (target) => native.healthRoutineHints(proj(target), env(), PACKAGE_ROOT),
};
