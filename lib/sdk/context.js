'use strict';
// SDK namespace `context` (oxe-cc 1.4.0: bin/lib/oxe-context-engine.cjs,
// "Context Engine V2"), in 1.4.0's key order. The rules live in
// crates/oxe-cli/src/context_cmd; this file converts values. Packs read
// the package's workflow contracts registry. parseHypotheses and
// parseConfidenceVector are the same function objects as the top-level
// SDK keys.
const path = require('path');
const { native, toWire, requireString } = require('../native.js');
const { parseHypotheses, parseConfidenceVector, PACKAGE_ROOT } = require('./parsers.js');

function computeContextQuality(pack) {
  return JSON.parse(native.sdkContextQuality(toWire('computeContextQuality', 'pack', pack)));
}

function computePackFreshness(pack, contract) {
  return JSON.parse(
    native.sdkContextFreshness(
      toWire('computePackFreshness', 'pack', pack),
      toWire('computePackFreshness', 'contract', contract === undefined ? null : contract),
    ),
  );
}

function contextPaths(projectRoot, activeSession) {
  const root = path.resolve(requireString('contextPaths', 'projectRoot', projectRoot));
  const given = activeSession !== undefined;
  const session = given && activeSession ? String(activeSession) : null;
  const p = JSON.parse(native.sdkContextPaths(root, given, session));
  const prefix = p.sessionPackPrefix;
  return {
    root: p.root,
    index: p.index,
    packsDir: p.packsDir,
    summariesDir: p.summariesDir,
    projectSummaryJson: p.projectSummaryJson,
    projectSummaryMd: p.projectSummaryMd,
    sessionSummaryJson: p.sessionSummaryJson,
    sessionSummaryMd: p.sessionSummaryMd,
    phaseSummaryJson: p.phaseSummaryJson,
    phaseSummaryMd: p.phaseSummaryMd,
    defaultPackJson: (workflow) => path.join(p.packsDir, `${workflow}.json`),
    defaultPackMd: (workflow) => path.join(p.packsDir, `${workflow}.md`),
    sessionPackJson: (workflow) => (prefix === null ? null : `${prefix}${workflow}.json`),
    sessionPackMd: (workflow) => (prefix === null ? null : `${prefix}${workflow}.md`),
    activeSession: p.activeSession,
    phase: p.phase,
  };
}

function extractSemanticFragment(text, options = {}) {
  const o = options || {};
  return native.sdkContextExtract(
    String(text || ''),
    String(o.intent || 'status_read'),
    Number(o.maxChars),
    Array.isArray(o.preserveMarkers) ? o.preserveMarkers.map(String) : null,
  );
}

function resolvePackFile(projectRoot, workflow, activeSession) {
  const root = path.resolve(requireString('resolvePackFile', 'projectRoot', projectRoot));
  const given = activeSession !== undefined;
  return native.sdkContextResolvePackFile(root, String(workflow), given, given && activeSession ? String(activeSession) : null);
}

function summarizeText(text, maxChars = 640, maxLines = 12) {
  return native.sdkContextSummarize(String(text || ''), Number(maxChars), Number(maxLines));
}

function projectRoot(fn, p) {
  return path.resolve(requireString(fn, 'projectRoot', p));
}

// [given, session]: `undefined` means "read STATE.md", anything falsy legacy mode.
function sessionPair(activeSession) {
  const given = activeSession !== undefined;
  return [given, given && activeSession ? String(activeSession) : null];
}

function indexCall(fn, root, activeSession, options) {
  const o = options || {};
  const [given, session] = sessionPair(activeSession);
  return JSON.parse(native.sdkContextIndexCall(fn, projectRoot(fn, root), given, session, o.write !== false));
}

function resolveArtifactCandidates(root, activeSession) {
  return indexCall('resolveArtifactCandidates', root, activeSession, {});
}

function buildProjectSummary(root, activeSession, options = {}) {
  return indexCall('buildProjectSummary', root, activeSession, options);
}

function buildSessionSummary(root, activeSession, options = {}) {
  return indexCall('buildSessionSummary', root, activeSession, options);
}

function buildPhaseSummary(root, activeSession, options = {}) {
  return indexCall('buildPhaseSummary', root, activeSession, options);
}

function buildContextIndex(root, activeSession, options = {}) {
  return indexCall('buildContextIndex', root, activeSession, options);
}

function buildContextPack(root, input = {}) {
  const i = input || {};
  const [given, session] = sessionPair(i.activeSession);
  return JSON.parse(
    native.sdkContextBuildPack(
      PACKAGE_ROOT,
      projectRoot('buildContextPack', root),
      String(i.workflow || ''),
      String(i.tier || 'standard'),
      String(i.mode || 'standard'),
      given,
      session,
      i.write !== false,
    ),
  );
}

function inspectContextPack(root, input = {}) {
  const i = input || {};
  const [given, session] = sessionPair(i.activeSession);
  return JSON.parse(
    native.sdkContextInspectPack(
      PACKAGE_ROOT,
      projectRoot('inspectContextPack', root),
      String(i.workflow || ''),
      String(i.tier || 'standard'),
      given,
      session,
    ),
  );
}

function buildAllContextPacks(root, input = {}) {
  const i = input || {};
  const [given, session] = sessionPair(i.activeSession);
  return JSON.parse(
    native.sdkContextBuildAll(
      PACKAGE_ROOT,
      projectRoot('buildAllContextPacks', root),
      i.workflow ? String(i.workflow) : null,
      String(i.tier || 'standard'),
      given,
      session,
      i.write !== false,
    ),
  );
}

module.exports = {
  contextPaths,
  resolveArtifactCandidates,
  buildProjectSummary,
  buildSessionSummary,
  buildPhaseSummary,
  buildContextIndex,
  buildContextPack,
  inspectContextPack,
  buildAllContextPacks,
  computeContextQuality,
  computePackFreshness,
  resolvePackFile,
  summarizeText,
  extractSemanticFragment,
  parseHypotheses,
  parseConfidenceVector,
};
