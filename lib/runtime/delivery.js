'use strict';
// delivery: branches (git CLI), pull requests (gh CLI), the CI checks, the
// delivery records and the promotion pipeline. The core runs git and gh,
// decides every check, verdict, summary and record, and drives promote as
// a two-step machine; this file calls the duck-typed collaborators
// (branch manager, PR manager, gate evaluator, custom CI checks) the way
// 1.4.0 does — synchronously, except that checks and promote are async.

const { native, toWire, requireString, flushDiagnostics, codedError } = require('../native.js');

function errorMessage(e) {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

// ------------------------------------------------------------------ branches

function rootOf(manager) {
  // like `cwd: undefined` in child_process: the process's directory
  return manager.projectRoot === undefined ? process.cwd() : requireString('BranchManager', 'projectRoot', manager.projectRoot);
}

function gitOp(manager, op, args) {
  const r = JSON.parse(native.branchGit(rootOf(manager), op, toWire('BranchManager', 'args', args)));
  // 1.4.0 (execFileSync) echoes git's stderr to the parent's stderr
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.error) {
    const err = codedError('OXE_E_GIT', r.error.message);
    err.status = r.error.status;
    throw err;
  }
  return r.value;
}

class BranchManager {
  constructor(projectRoot) {
    this.projectRoot = projectRoot;
  }

  currentBranch() {
    return gitOp(this, 'currentBranch', []);
  }

  currentCommit() {
    return gitOp(this, 'currentCommit', []);
  }

  createSessionBranch(sessionId) {
    return gitOp(this, 'createSessionBranch', [String(sessionId)]);
  }

  createOxeBranch(name, base) {
    return gitOp(this, 'createOxeBranch', [name, base === undefined ? null : base]);
  }

  switchTo(branchName) {
    gitOp(this, 'switchTo', [branchName]);
  }

  deleteBranch(name, force = false) {
    gitOp(this, 'deleteBranch', [name, force]);
  }

  listOxeBranches() {
    return gitOp(this, 'listOxeBranches', []);
  }

  mergeWorktreeBranch(worktreeBranch, targetBranch) {
    gitOp(this, 'mergeWorktreeBranch', [worktreeBranch, targetBranch]);
  }

  branchExists(name) {
    return gitOp(this, 'branchExists', [name]);
  }

  push(remote, branchName, setUpstream = false) {
    gitOp(this, 'push', [remote, branchName, setUpstream]);
  }
}

// ------------------------------------------------------------- pull requests

function ghOp(manager, op, arg, method) {
  const root = manager.projectRoot === undefined ? process.cwd() : requireString('PRManager', 'projectRoot', manager.projectRoot);
  return JSON.parse(native.prGh(root, op, arg, method));
}

class PRManager {
  constructor(projectRoot) {
    this.projectRoot = projectRoot;
  }

  isAvailable() {
    return ghOp(this, 'isAvailable', '');
  }

  createDraft(opts) {
    return ghOp(this, 'createDraft', toWire('PRManager.createDraft', 'opts', opts));
  }

  view(prNumberOrUrl) {
    return ghOp(this, 'view', String(prNumberOrUrl));
  }

  mergePR(prNumber, method = 'merge') {
    return ghOp(this, 'mergePR', String(prNumber), String(method));
  }
}

// ----------------------------------------------------------------- CI checks

function ciContext(ctx) {
  return toWire('runCIChecks', 'ctx', {
    projectRoot: ctx.projectRoot,
    sessionId: ctx.sessionId,
    runId: ctx.runId,
    evidenceStore: !!ctx.evidenceStore,
  });
}

function builtInCheck(spec) {
  return {
    name: spec.name,
    description: spec.description,
    async run(ctx) {
      const name = this.name;
      const text = native.ciRunCheck(spec.name, name === undefined ? null : toWire('CICheck.run', 'name', name), ciContext(ctx));
      flushDiagnostics();
      return JSON.parse(text);
    },
  };
}

const CHECKS = JSON.parse(native.ciCheckCatalog()).map(builtInCheck);
const [planConsistencyCheck, verifyAcceptanceCheck, policyCheck, securityBaselineCheck, runtimeEvidenceIntegrityCheck] = CHECKS;
const OXE_CI_CHECKS = [planConsistencyCheck, verifyAcceptanceCheck, policyCheck, securityBaselineCheck, runtimeEvidenceIntegrityCheck];

async function runCIChecks(ctx, checks = OXE_CI_CHECKS) {
  const results = [];
  for (const check of checks) {
    results.push(await check.run(ctx));
  }
  return results;
}

function summarizeCIResults(results) {
  const statuses = results.map((r) => (typeof r.status === 'string' ? r.status : null));
  return JSON.parse(native.ciSummarize(statuses));
}

// ------------------------------------------------------------------ records

function recordPath(fn, projectRoot, runId, kind) {
  return native.deliveryRecordPath(requireString(fn, 'projectRoot', projectRoot), requireString(fn, 'runId', runId), kind);
}

function saveRecord(fn, projectRoot, runId, kind, record) {
  native.deliverySaveRecord(
    requireString(fn, 'projectRoot', projectRoot),
    requireString(fn, 'runId', runId),
    kind,
    toWire(fn, 'record', record),
  );
}

function loadRecord(fn, projectRoot, runId, kind) {
  const text = native.deliveryLoadRecord(requireString(fn, 'projectRoot', projectRoot), requireString(fn, 'runId', runId), kind);
  flushDiagnostics();
  return text === null ? null : JSON.parse(text);
}

function commitRecordPath(projectRoot, runId) {
  return recordPath('commitRecordPath', projectRoot, runId, 'commit');
}

function promotionRecordPath(projectRoot, runId) {
  return recordPath('promotionRecordPath', projectRoot, runId, 'promotion');
}

function saveCommitRecord(projectRoot, runId, record) {
  saveRecord('saveCommitRecord', projectRoot, runId, 'commit', record);
}

function loadCommitRecord(projectRoot, runId) {
  return loadRecord('loadCommitRecord', projectRoot, runId, 'commit');
}

function savePromotionRecord(projectRoot, runId, record) {
  saveRecord('savePromotionRecord', projectRoot, runId, 'promotion', record);
}

function loadPromotionRecord(projectRoot, runId) {
  return loadRecord('loadPromotionRecord', projectRoot, runId, 'promotion');
}

// ---------------------------------------------------------------- promotion

class MergeGateEvaluator {
  evaluate(runResult, manifest, riskLedger, gates = [], evidenceCoverage = null, minimumCoverage = 100) {
    const input = { run_result: runResult, manifest, ledger: riskLedger, gates, coverage: evidenceCoverage, min_coverage: minimumCoverage };
    return JSON.parse(native.mergeGateEvaluate(toWire('MergeGateEvaluator.evaluate', 'input', input)));
  }
}

class PromotionPipeline {
  constructor(projectRoot, branchManager, prManager, gateEvaluator = new MergeGateEvaluator()) {
    this.projectRoot = projectRoot;
    this.branchManager = branchManager;
    this.prManager = prManager;
    this.gateEvaluator = gateEvaluator;
  }

  _summary(kind, runResult, manifest, riskLedger, message) {
    const input = { run_result: runResult, manifest, ledger: riskLedger, message };
    return native.promotionSummary(kind, toWire('PromotionPipeline', 'input', input));
  }

  baseSummaryLines(runResult, manifest, riskLedger) {
    return this._summary('base', runResult, manifest, riskLedger, null).split('\n');
  }

  buildCommitSummary(runResult, manifest, riskLedger, commitMessage = null) {
    return this._summary('commit', runResult, manifest, riskLedger, commitMessage);
  }

  buildPromotionSummary(runResult, manifest, riskLedger) {
    return this._summary('promotion', runResult, manifest, riskLedger, null);
  }

  buildPRBody(runResult, manifest, riskLedger) {
    return this.buildPromotionSummary(runResult, manifest, riskLedger);
  }

  recordLocalCommit(runResult, manifest, riskLedger, options = {}) {
    const branch = this.branchManager.currentBranch();
    const commitSha = options.commitSha ?? this.safeCurrentCommit();
    const input = { run_result: runResult, options, branch, commit_sha: commitSha };
    const root = requireString('recordLocalCommit', 'projectRoot', this.projectRoot);
    return JSON.parse(native.promotionRecordLocalCommit(root, toWire('recordLocalCommit', 'input', input)));
  }

  async promote(runResult, manifest, riskLedger, opts = {}, gates = [], evidenceCoverage = null) {
    const root = requireString('promote', 'projectRoot', this.projectRoot);
    const report = this.gateEvaluator.evaluate(runResult, manifest, riskLedger, gates, evidenceCoverage, opts.minimumCoverage ?? 100);
    const branch = this.branchManager.currentBranch();
    const input = { run_result: runResult, manifest, ledger: riskLedger, opts, coverage: evidenceCoverage, report, branch };
    const step = JSON.parse(native.promotionBegin(root, toWire('promote', 'input', input)));
    flushDiagnostics();
    if (step.effect === 'done') return step.record;

    let outcome;
    let thrown;
    if (step.effect === 'push') {
      try {
        this.branchManager.push(step.remote, step.branch, false);
        outcome = { ok: true };
      } catch (e) {
        outcome = { ok: false, error: errorMessage(e) };
      }
    } else {
      try {
        outcome = { result: this.prManager.createDraft(step.draft) ?? null };
      } catch (e) {
        thrown = e;
        outcome = { threw: errorMessage(e) };
      }
    }
    const end = JSON.parse(native.promotionFinish(root, JSON.stringify(step.state), toWire('promote', 'outcome', outcome)));
    if (end.rethrow) throw thrown;
    return end.record;
  }

  loadCommitRecord(runId) {
    return loadCommitRecord(this.projectRoot, runId);
  }

  loadPromotionRecord(runId) {
    return loadPromotionRecord(this.projectRoot, runId);
  }

  savePRLink(runId, link) {
    saveRecord('savePRLink', this.projectRoot, runId, 'pr-link', link);
  }

  loadPRLink(runId) {
    return loadRecord('loadPRLink', this.projectRoot, runId, 'pr-link');
  }

  asRunPRLink(record) {
    return JSON.parse(native.promotionAsRunPrLink(toWire('asRunPRLink', 'record', record)));
  }

  safeCurrentCommit() {
    try {
      return this.branchManager.currentCommit();
    } catch {
      return null;
    }
  }
}

module.exports = {
  BranchManager,
  PRManager,
  planConsistencyCheck,
  verifyAcceptanceCheck,
  policyCheck,
  securityBaselineCheck,
  runtimeEvidenceIntegrityCheck,
  OXE_CI_CHECKS,
  runCIChecks,
  summarizeCIResults,
  commitRecordPath,
  promotionRecordPath,
  saveCommitRecord,
  loadCommitRecord,
  savePromotionRecord,
  loadPromotionRecord,
  MergeGateEvaluator,
  PromotionPipeline,
};
