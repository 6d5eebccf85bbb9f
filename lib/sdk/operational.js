'use strict';
// SDK namespace `operational` (oxe-cc 1.4.0: bin/lib/oxe-operational.cjs).
// Every rule lives in crates/oxe-cli/src/runtime_cmd (the same code that runs
// `oxe-cc runtime …`); this glue moves arguments across as JSON, turns
// canonical states into real Maps and Sets, makes the 1.4.0 async members
// return promises, and builds the runtime PluginRegistry objects the
// registry/catalog members hand back.

const fs = require('fs');
const path = require('path');
const { native, requireString, toWire, flushDiagnostics } = require('../native.js');
const { PACKAGE_ROOT } = require('./parsers.js');

function call(method, projectRoot, activeSession, ...args) {
  const root = projectRoot === null ? '' : requireString(method, 'projectRoot', projectRoot);
  const session = activeSession ? String(activeSession) : null;
  let text;
  try {
    text = native.sdkOperational(method, root, session, toWire(method, 'arguments', args));
  } finally {
    flushDiagnostics();
  }
  return JSON.parse(text);
}

// Calls that take no project.
function pure(method, ...args) {
  return call(method, null, null, ...args);
}

// Read once from the core; an addon built before this namespace existed
// leaves them empty rather than breaking require('oxe-cc').
const CONSTANTS = typeof native.sdkOperational === 'function'
  ? pure('constants')
  : { runStatuses: [], approvalPolicies: [], capabilityTypes: [] };

// A canonical state as 1.4.0 holds it live: Maps and Sets.
function toLive(w) {
  return {
    run: w.run,
    workItems: new Map(w.workItems),
    attempts: new Map(w.attempts),
    workspaces: new Map(w.workspaces),
    completedWorkItems: new Set(w.completedWorkItems),
    failedWorkItems: new Set(w.failedWorkItems),
    blockedWorkItems: new Set(w.blockedWorkItems),
  };
}

function fromLive(state) {
  const entries = (m) => (m instanceof Map ? Array.from(m.entries()) : []);
  const items = (s) => (s instanceof Set || Array.isArray(s) ? Array.from(s) : []);
  return {
    run: state.run || null,
    workItems: entries(state.workItems),
    attempts: entries(state.attempts),
    workspaces: entries(state.workspaces),
    completedWorkItems: items(state.completedWorkItems),
    failedWorkItems: items(state.failedWorkItems),
    blockedWorkItems: items(state.blockedWorkItems),
  };
}

function runtime() {
  // loaded lazily: the runtime index loads the SDK's siblings too
  // eslint-disable-next-line global-require
  return require('../runtime/index.js');
}

function operationalPaths(projectRoot, activeSession) {
  return call('operationalPaths', projectRoot, activeSession);
}

function makeRunId() {
  return pure('makeRunId');
}

function appendEvent(projectRoot, activeSession, event = {}) {
  const entry = call('appendEvent', projectRoot, activeSession, event);
  // 1.4.0 returns the caller's payload object itself
  if (event && event.payload && typeof event.payload === 'object') entry.payload = event.payload;
  return entry;
}

function readEvents(projectRoot, activeSession) {
  return call('readEvents', projectRoot, activeSession);
}

function summarizeEvents(events) {
  return pure('summarizeEvents', events);
}

function writeRunState(projectRoot, activeSession, runState = {}) {
  return call('writeRunState', projectRoot, activeSession, runState);
}

function readRunState(projectRoot, activeSession) {
  return call('readRunState', projectRoot, activeSession);
}

function readGitActivity(projectRoot, since) {
  if (!projectRoot || !since) return [];
  return call('readGitActivity', String(projectRoot), null, since);
}

function verifyGitEvidence(runState, projectRoot) {
  if (!runState || !projectRoot || !runState.created_at) return [];
  return call('verifyGitEvidence', String(projectRoot), null, runState);
}

function runtimeStateWarnings(runState, checkpoints = [], projectRoot = null) {
  return pure('runtimeStateWarnings', runState, checkpoints, projectRoot);
}

function parseCapabilityManifest(text) {
  return pure('parseCapabilityManifest', text);
}

function readCapabilityCatalog(projectRoot) {
  return call('readCapabilityCatalog', projectRoot, null);
}

function capabilityCatalogWarnings(projectRoot) {
  return call('capabilityCatalogWarnings', projectRoot, null);
}

function buildMemoryLayers(projectRoot, activeSession) {
  return call('buildMemoryLayers', projectRoot, activeSession);
}

function buildOperationalGraph(runState = {}) {
  return pure('buildOperationalGraph', runState);
}

function serializeCanonicalState(state) {
  if (!state || typeof state !== 'object') return null;
  return pure('serializeCanonicalState', fromLive(state));
}

function hydrateCanonicalState(serialized) {
  return toLive(pure('hydrateCanonicalState', serialized));
}

function reduceCanonicalRunState(projectRoot, activeSession, options = {}) {
  return call('reduceCanonicalRunState', projectRoot, activeSession, options);
}

function compileExecutionGraphFromArtifacts(projectRoot, activeSession, options = {}) {
  return call('compileExecutionGraphFromArtifacts', projectRoot, activeSession, options);
}

function compileVerificationSuiteFromArtifacts(projectRoot, activeSession, options = {}) {
  return call('compileVerificationSuiteFromArtifacts', projectRoot, activeSession, options);
}

function buildRuntimePluginRegistry(projectRoot) {
  const rt = runtime();
  const registry = new rt.PluginRegistry();
  const pluginDir = path.join(projectRoot, '.oxe', 'plugins');
  if (fs.existsSync(pluginDir)) registry.loadFromDirectory(pluginDir);
  registry.registerProjectCapabilities(projectRoot);
  return registry;
}

function buildRuntimeModeStatus(runState) {
  return pure('buildRuntimeModeStatus', runState);
}

function buildRuntimeProviderCatalog(projectRoot) {
  const rt = runtime();
  const registry = new rt.PluginRegistry();
  const pluginDir = path.join(projectRoot, '.oxe', 'plugins');
  const loadedCapabilities = registry.registerProjectCapabilities(projectRoot);
  const loadedPlugins = registry.loadFromDirectory(pluginDir);
  return {
    available: true,
    plugin_dir: pluginDir,
    loaded_capabilities: loadedCapabilities,
    loaded_plugins: loadedPlugins,
    load_errors: registry.loadErrorsSnapshot(),
    summary: rt.registrySummary(registry),
    matrix: rt.resolveCapabilityMatrix(registry),
  };
}

function buildRecoveryConsistency(projectRoot, activeSession, runState, journal, verificationArtifacts) {
  return call('buildRecoveryConsistency', projectRoot, activeSession, runState, journal, verificationArtifacts || null);
}

function readRuntimeGates(projectRoot, activeSession, options = {}) {
  return call('readRuntimeGates', projectRoot, activeSession, options);
}

async function resolveRuntimeGate(projectRoot, activeSession, options = {}) {
  return call('resolveRuntimeGate', projectRoot, activeSession, options);
}

function projectRuntimeArtifacts(projectRoot, activeSession, options = {}) {
  return call('projectRuntimeArtifacts', projectRoot, activeSession, options);
}

async function runRuntimeCiChecks(projectRoot, activeSession, options = {}) {
  return call('runRuntimeCiChecks', projectRoot, activeSession, options);
}

function recoverRuntimeState(projectRoot, activeSession, options = {}) {
  return call('recoverRuntimeState', projectRoot, activeSession, options);
}

function applyRuntimeAction(projectRoot, activeSession, input = {}) {
  return call('applyRuntimeAction', projectRoot, activeSession, input);
}

function replayEvents(projectRoot, activeSession, options = {}) {
  return call('replayEvents', projectRoot, activeSession, options);
}

function replayRuntimeState(projectRoot, activeSession, options = {}) {
  return call('replayRuntimeState', projectRoot, activeSession, options);
}

function readRuntimeMultiAgentStatus(projectRoot, activeSession, options = {}) {
  return call('readRuntimeMultiAgentStatus', projectRoot, activeSession, options);
}

async function runRuntimeVerify(projectRoot, activeSession, options = {}) {
  const prep = call('verifyPrepare', projectRoot, activeSession, options);
  const rt = runtime();
  const report = await rt.verifyRun({
    projectRoot,
    runId: prep.run.run_id,
    workItemId: String(prep.workItemId),
    cwd: options.cwd || projectRoot,
    suite: prep.suite,
    pluginRegistry: buildRuntimePluginRegistry(projectRoot) || undefined,
    evidenceStore: new rt.EvidenceStore(projectRoot),
    attemptNumber: options.attemptNumber || 1,
    timeoutMs: options.timeoutMs,
  });
  return call('verifyFinish', projectRoot, activeSession, prep.run, report, prep.workItemId);
}

async function runRuntimePromotion(projectRoot, activeSession, options = {}) {
  const prep = call('promotePrepare', projectRoot, activeSession, options);
  const rt = runtime();
  const branchManager = new rt.BranchManager(projectRoot);
  const prManager = new rt.PRManager(projectRoot);
  const pipeline = new rt.PromotionPipeline(projectRoot, branchManager, prManager);
  const runId = prep.run.run_id;
  const commitRecord = pipeline.loadCommitRecord(runId)
    || pipeline.recordLocalCommit(prep.runResult, prep.manifest, prep.residualRisks, {
      commitSha: branchManager.currentCommit(),
      summaryPath: prep.summaryPath,
    });
  const promotion = await pipeline.promote(
    prep.runResult,
    prep.manifest,
    prep.residualRisks,
    prep.promoteOptions,
    prep.gates,
    prep.evidenceCoverage,
  );
  return call('promoteFinish', projectRoot, activeSession, prep.run, commitRecord, promotion, PACKAGE_ROOT);
}

// 1.4.0's SDK members first, in its order, then the module's other helpers
// (1.4.0 keeps them internal; its own tests call them).
module.exports = {
  operationalPaths,
  appendEvent,
  readEvents,
  summarizeEvents,
  writeRunState,
  readRunState,
  buildOperationalGraph,
  serializeCanonicalState,
  hydrateCanonicalState,
  reduceCanonicalRunState,
  compileExecutionGraphFromArtifacts,
  compileVerificationSuiteFromArtifacts,
  projectRuntimeArtifacts,
  runRuntimeCiChecks,
  buildRuntimePluginRegistry,
  readRuntimeGates,
  resolveRuntimeGate,
  runRuntimeVerify,
  runRuntimePromotion,
  recoverRuntimeState,
  applyRuntimeAction,
  parseCapabilityManifest,
  readCapabilityCatalog,
  buildMemoryLayers,
  replayEvents,
  replayRuntimeState,
  readRuntimeMultiAgentStatus,
  multiAgentStatus: readRuntimeMultiAgentStatus,
  VALID_RUN_STATUSES: new Set(CONSTANTS.runStatuses),
  VALID_APPROVAL_POLICIES: new Set(CONSTANTS.approvalPolicies),
  VALID_CAPABILITY_TYPES: new Set(CONSTANTS.capabilityTypes),
  makeRunId,
  readGitActivity,
  verifyGitEvidence,
  runtimeStateWarnings,
  capabilityCatalogWarnings,
  buildRuntimeModeStatus,
  buildRuntimeProviderCatalog,
  buildRecoveryConsistency,
};
