'use strict';
// decision: the rules live in crates/oxe-runtime/src/decision. This glue
// reads the caller's input, hands the core plain numbers and flags, and
// builds the records around the caller's own values (a record's `memo`
// and a memo's `min_evidence_required` are the caller's objects, as in
// oxe-cc 1.4.0).

const { native, argError, toWire, requireString, flushDiagnostics, requireObject, runArgs, parseOrNull } = require('../native.js');


// A risk level the core can compare; anything but a string never matches.
function riskArg(value) {
  return typeof value === 'string' ? value : undefined;
}

function scopeArg(fn, scope) {
  if (!Array.isArray(scope)) throw argError(`${fn}: mutationScope must be an array of strings`);
  for (let i = 0; i < scope.length; i++) {
    if (typeof scope[i] !== 'string') throw argError(`${fn}: mutationScope[${i}] must be a string`);
  }
  return scope;
}

// The scope crosses as one NUL-joined string (one conversion instead of one
// per path); empty, or with a path that contains a NUL, as the array itself.
function scopeWire(scope) {
  if (scope.length === 0) return scope;
  for (let i = 0; i < scope.length; i++) if (scope[i].includes('\0')) return scope;
  return scope.join('\0');
}

// Bits of decisionEvaluate's flags argument (crates/oxe-node/src/decision.rs):
// the input's truthy flags, and which counts are null or undefined.
function nullish(value, nullBit, undefinedBit) {
  if (value === null) return nullBit;
  return value === undefined ? undefinedBit : 0;
}

function decisionFlags(input) {
  return (input.policy_allowed ? 1 : 0) | (input.gate_pending ? 2 : 0) | (input.gate_approved ? 4 : 0) | (input.lesson_match ? 8 : 0)
    | nullish(input.retry_count, 1 << 16, 1 << 17) | nullish(input.max_retries, 1 << 18, 1 << 19);
}

function lengthOf(fn, scope) {
  if (scope === null || scope === undefined) throw argError(`${fn}: mutationScope must be an array`);
  return Number(scope.length);
}

// The (projectRoot, runId[, id]) string arguments of the file calls.


// ---------------------------------------------------------------- engine

class DecisionEngine {
  evaluate(input) {
    requireObject('DecisionEngine.evaluate', 'input', input);
    const parts = native
      .decisionEvaluate(
        decisionFlags(input),
        Number(input.retry_count),
        Number(input.max_retries),
        Number(input.evidence_count),
        riskArg(input.risk_level),
      )
      .split('\n');
    const record = {
      decision_id: parts[0],
      work_item_id: input.work_item_id ?? null,
      run_id: input.run_id,
      type: parts[2],
      seniority: parts[3],
      confidence: +parts[4],
      signals: parts[5].split(','),
      rationale: parts[6],
      timestamp: parts[1],
    };
    if (input.memo !== undefined) record.memo = input.memo;
    return record;
  }
}

function appendDecision(projectRoot, runId, record) {
  native.decisionAppend(...runArgs('appendDecision', projectRoot, runId), toWire('appendDecision', 'record', record));
  flushDiagnostics();
}

function loadDecisionLog(projectRoot, runId) {
  return parseOrNull(native.decisionLoadLog(...runArgs('loadDecisionLog', projectRoot, runId)));
}

function queryDecisions(log, filter) {
  requireObject('queryDecisions', 'log', log);
  const decisions = log.decisions;
  if (!Array.isArray(decisions)) throw argError('queryDecisions: log.decisions must be an array');
  const rows = decisions.map((d) => (d === null || typeof d !== 'object'
    ? {}
    : { type: d.type, work_item_id: d.work_item_id, confidence: d.confidence }));
  const f = filter ?? {};
  const idx = native.decisionQuery(
    toWire('queryDecisions', 'log.decisions', rows),
    toWire('queryDecisions', 'filter', { type: f.type, workItemId: f.workItemId, minConfidence: f.minConfidence }),
  );
  return idx.map((i) => decisions[i]);
}

// ------------------------------------------------------------------ memo

class StrategySelector {
  select(mutationScope, retryCount, riskLevel) {
    return native.memoSelect(lengthOf('StrategySelector.select', mutationScope), Number(retryCount), riskArg(riskLevel));
  }

  alternatives(chosen, mutationScope, riskLevel) {
    return JSON.parse(native.memoAlternatives(
      String(chosen),
      lengthOf('StrategySelector.alternatives', mutationScope),
      riskArg(riskLevel),
    ));
  }
}

// The fixed texts of memos (strategy names, rejection reasons, rollback
// plans) come from the core once; each memo then crosses as a few codes.
const TABLES = JSON.parse(native.memoTables());

function rollbackPlanOf(code) {
  const p = TABLES.rollback_plans[code];
  return { strategy: p.strategy, steps: p.steps.slice(), estimated_cost: p.estimated_cost, preconditions: p.preconditions.slice() };
}

// Lines [at, at+4) of a compact answer: files, risk_score, reversible,
// subsystems as index:cut pairs into the caller's scope.
function blastRadiusOf(lines, at, scope) {
  const subsystems = [];
  if (lines[at + 3] !== '') {
    for (const pair of lines[at + 3].split(',')) {
      const colon = pair.indexOf(':');
      const path = scope[+pair.slice(0, colon)];
      const cut = +pair.slice(colon + 1);
      subsystems.push(cut < 0 ? path : path.slice(0, cut));
    }
  }
  return { estimated_files: +lines[at], subsystems, risk_score: +lines[at + 1], reversible: lines[at + 2] === '1' };
}

function alternativesOf(line) {
  return line.split(',').map((pair) => {
    const colon = pair.indexOf(':');
    return { strategy: TABLES.strategies[+pair.slice(0, colon)], reason: TABLES.reasons[+pair.slice(colon + 1)] };
  });
}

function buildBlastRadius(mutationScope, retryCount, riskLevel) {
  const scope = scopeArg('buildBlastRadius', mutationScope);
  return blastRadiusOf(native.memoBlastRadius(scopeWire(scope), Number(retryCount), riskArg(riskLevel)).split('\n'), 0, scope);
}

function buildRollbackPlan(blastRadius, retryCount) {
  requireObject('buildRollbackPlan', 'blastRadius', blastRadius);
  return rollbackPlanOf(native.memoRollbackPlan(
    Number(blastRadius.risk_score),
    Boolean(blastRadius.reversible),
    Number(blastRadius.estimated_files),
    Number(retryCount),
  ));
}

function buildMemo(input) {
  requireObject('buildMemo', 'input', input);
  const scope = scopeArg('buildMemo', input.mutation_scope);
  const lines = native.memoBuild(scopeWire(scope), Number(input.retry_count), riskArg(input.risk_level)).split('\n');
  return {
    memo_id: lines[0],
    work_item_id: input.work_item_id,
    run_id: input.run_id,
    problem_summary: input.problem_summary,
    chosen_strategy: TABLES.strategies[+lines[2]],
    alternatives_rejected: alternativesOf(lines[3]),
    blast_radius: blastRadiusOf(lines, 6, scope),
    rollback_plan: rollbackPlanOf(+lines[4]),
    min_evidence_required: input.min_evidence_required ?? [],
    confidence: input.confidence ?? +lines[5],
    created_at: lines[1],
  };
}

function saveMemo(projectRoot, memo) {
  requireObject('saveMemo', 'memo', memo);
  native.memoSave(requireString('saveMemo', 'projectRoot', projectRoot), toWire('saveMemo', 'memo', memo));
}

function loadMemo(projectRoot, runId, memoId) {
  return parseOrNull(native.memoLoad(...runArgs('loadMemo', projectRoot, runId, 'memoId', memoId)));
}

function listMemos(projectRoot, runId) {
  return parseOrNull(native.memoList(...runArgs('listMemos', projectRoot, runId)));
}

module.exports = {
  DecisionEngine,
  appendDecision,
  loadDecisionLog,
  queryDecisions,
  StrategySelector,
  buildBlastRadius,
  buildRollbackPlan,
  buildMemo,
  saveMemo,
  loadMemo,
  listMemos,
};
