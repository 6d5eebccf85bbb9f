'use strict';
// Verification: the compiler, the check runner, executeSuite/verifyRun and
// the manifest helpers all live in the core. Checks run as child processes
// on a worker thread (the returned Promise settles when they finish; the
// event loop is never blocked). executeSuite and verifyRun are coroutines
// in the core; the driver below performs their requests — the plugin
// registry's verifierProviderFor/execute and evidenceStore.collect, as
// 1.4.0 calls them — and resumes them with the answers.

const { native, argError, codedError, toWire, requireString, flushDiagnostics } = require('../native.js');

function compileVerification(spec, plan) {
  return JSON.parse(native.compileVerification(toWire('compileVerification', 'spec', spec), toWire('compileVerification', 'plan', plan)));
}

async function runCheck(check, cwd, timeoutMs = 60000) {
  return JSON.parse(await native.runCheckTask(toWire('runCheck', 'arguments', { check, cwd, timeout: timeoutMs })));
}

async function runSuite(suite, cwd, timeoutMs = 60000) {
  if (suite === null || typeof suite !== 'object') throw argError('runSuite: suite must be an AcceptanceCheckSuite object');
  return JSON.parse(await native.runSuiteTask(toWire('runSuite', 'arguments', { checks: suite.checks, cwd, timeout: timeoutMs })));
}

function summarizeSuite(results) {
  return JSON.parse(native.summarizeSuite(toWire('summarizeSuite', 'results', results.map((r) => ({ status: r.status })))));
}

// {"ok": value} for the core, without re-serializing texts it produced.
function okText(text) {
  return `{"ok":${text}}`;
}

function okValue(value) {
  const text = JSON.stringify({ ok: value });
  return text === undefined ? '{"ok":null}' : text;
}

// Performs the core's requests until it is done. `provided` collects the
// verifier providers' own result objects, handed back by identity.
async function drive(core, callbacks, provided) {
  let response = null;
  let provider = null;
  for (;;) {
    const req = JSON.parse(core.resume(response));
    switch (req.op) {
      case 'done':
        return req.value;
      case 'throw':
        throw codedError(req.token && req.token.code ? req.token.code : 'OXE_E_STATE', req.message);
      case 'providerFor':
        provider = callbacks.pluginRegistry.verifierProviderFor(req.type);
        response = okValue(Boolean(provider));
        break;
      case 'execute': {
        const result = await provider.execute(req.input);
        provided.push(result);
        response = okValue(result);
        break;
      }
      case 'runCheck':
        response = okText(await native.runCheckTask(req.call));
        break;
      case 'collect': {
        const evidence = await callbacks.evidenceStore.collect(req.type, req.content, req.opts);
        flushDiagnostics();
        response = okValue(evidence);
        break;
      }
      default:
        throw codedError('OXE_E_STATE', `verification: unknown request ${req.op}`);
    }
  }
}

// The core's executeSuite value, with a Map of evidence refs and the
// providers' result objects put back in place.
function executedFromWire(w, provided) {
  return {
    results: w.results,
    verification_results: w.verification_results.map((v) => ('provided' in v ? provided[v.provided] : v.value)),
    evidence_refs: new Map(w.evidence_refs),
    manifest: w.manifest,
    risk_ledger: w.risk_ledger,
    evidence_coverage: w.evidence_coverage,
  };
}

function callbacksOf(options) {
  return {
    has: { evidenceStore: Boolean(options.evidenceStore), pluginRegistry: options.pluginRegistry != null },
    callbacks: { evidenceStore: options.evidenceStore, pluginRegistry: options.pluginRegistry },
  };
}

async function executeSuite(suite, cwd, options) {
  if (options === null || typeof options !== 'object') throw argError('executeSuite: options must be an object {runId, workItemId, …}');
  const { has, callbacks } = callbacksOf(options);
  const wire = {
    suite: suite && { checks: suite.checks },
    cwd,
    options: { timeoutMs: options.timeoutMs, runId: options.runId, workItemId: options.workItemId, attemptNumber: options.attemptNumber },
    has,
  };
  const core = native.verifyStart('executeSuite', toWire('executeSuite', 'arguments', wire));
  const provided = [];
  const w = await drive(core, callbacks, provided);
  flushDiagnostics();
  return executedFromWire(w, provided);
}

async function verifyRun(input) {
  if (input === null || typeof input !== 'object') throw argError('verifyRun: input must be an object');
  const { has, callbacks } = callbacksOf(input);
  const wire = {
    input: {
      projectRoot: input.projectRoot,
      runId: input.runId,
      workItemId: input.workItemId,
      cwd: input.cwd,
      suite: input.suite && { checks: input.suite.checks },
      attemptNumber: input.attemptNumber,
      timeoutMs: input.timeoutMs,
    },
    has,
  };
  const core = native.verifyStart('verifyRun', toWire('verifyRun', 'arguments', wire));
  const provided = [];
  const w = await drive(core, callbacks, provided);
  flushDiagnostics();
  if (w.executed === null) return { status: w.status, suite: input.suite, ...w };
  const executed = executedFromWire(w.executed, provided);
  return {
    status: w.status,
    suite: input.suite,
    executed,
    gaps: w.gaps,
    verification_results: executed.verification_results,
    check_results: executed.results,
    manifest: executed.manifest,
    risk_ledger: executed.risk_ledger,
    evidence_coverage: executed.evidence_coverage,
  };
}

// ---- verification-manifest

function classifyFailure(result) {
  return native.classifyFailure(toWire('classifyFailure', 'result', result));
}

function optionalWire(fn, what, value) {
  return value === undefined ? undefined : toWire(fn, what, value);
}

function buildManifest(runId, results, options = {}) {
  const o = options === null ? null : { workItemId: options.workItemId, wave: options.wave, granularity: options.granularity, profile: options.profile };
  const refs = options === null ? undefined : options.evidenceRefs;
  if (refs !== undefined && refs !== null && !(refs instanceof Map)) {
    throw argError('buildManifest: options.evidenceRefs must be a Map of check id to evidence ids');
  }
  return JSON.parse(native.buildManifest(
    optionalWire('buildManifest', 'runId', runId),
    toWire('buildManifest', 'results', results),
    toWire('buildManifest', 'options', o),
    refs ? toWire('buildManifest', 'evidenceRefs', [...refs]) : 'null',
  ));
}

// The ledger reads the profile, the work item and, per check, its id,
// status and failure class.
function buildRiskLedger(runId, manifest) {
  const checks = manifest.checks.map((c) => ({ check_id: c.check_id, status: c.status, failure_class: c.failure_class }));
  const wire = { profile: manifest.profile, work_item_id: manifest.work_item_id, checks };
  return JSON.parse(native.buildRiskLedger(optionalWire('buildRiskLedger', 'runId', runId), toWire('buildRiskLedger', 'manifest', wire)));
}

// Coverage reads each check's number of evidence refs.
function summarizeEvidenceCoverage(manifest) {
  const lengths = manifest.checks.map((c) => {
    const n = c.evidence_refs.length;
    return typeof n === 'number' ? n : null;
  });
  return JSON.parse(native.summarizeEvidenceCoverage(lengths));
}

function saveFile(kind, fn, projectRoot, runId, value) {
  let text;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (e) {
    throw argError(`${fn}: ${kind} cannot be serialized to JSON (${e && e.message})`);
  }
  if (text === undefined) throw argError(`${fn}: ${kind} cannot be serialized to JSON`);
  native.saveVerificationFile(kind, requireString(fn, 'projectRoot', projectRoot), requireString(fn, 'runId', runId), text);
}

function loadFile(kind, fn, projectRoot, runId) {
  const text = native.loadVerificationFile(kind, requireString(fn, 'projectRoot', projectRoot), requireString(fn, 'runId', runId));
  flushDiagnostics();
  return text === null ? null : JSON.parse(text);
}

function saveManifest(projectRoot, runId, manifest) {
  saveFile('manifest', 'saveManifest', projectRoot, runId, manifest);
}
function loadManifest(projectRoot, runId) {
  return loadFile('manifest', 'loadManifest', projectRoot, runId);
}
function saveRiskLedger(projectRoot, runId, ledger) {
  saveFile('riskLedger', 'saveRiskLedger', projectRoot, runId, ledger);
}
function loadRiskLedger(projectRoot, runId) {
  return loadFile('riskLedger', 'loadRiskLedger', projectRoot, runId);
}
function saveEvidenceCoverage(projectRoot, runId, coverage) {
  saveFile('evidenceCoverage', 'saveEvidenceCoverage', projectRoot, runId, coverage);
}
function loadEvidenceCoverage(projectRoot, runId) {
  return loadFile('evidenceCoverage', 'loadEvidenceCoverage', projectRoot, runId);
}

module.exports = {
  compileVerification,
  runCheck,
  runSuite,
  executeSuite,
  verifyRun,
  summarizeSuite,
  classifyFailure,
  buildManifest,
  buildRiskLedger,
  summarizeEvidenceCoverage,
  saveManifest,
  loadManifest,
  saveRiskLedger,
  loadRiskLedger,
  saveEvidenceCoverage,
  loadEvidenceCoverage,
};
