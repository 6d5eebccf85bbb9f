'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject, captureWarnings, rng } = require('./helpers.js');

function input(over = {}) {
  return {
    run_id: 'run-dec', policy_allowed: true, gate_pending: false, gate_approved: false,
    retry_count: 0, max_retries: 2, evidence_count: 1, risk_level: 'none', lesson_match: false, ...over,
  };
}

test('evaluate: the record has 1.4.0 key order, types and rationale', () => {
  const r = new oxe.DecisionEngine().evaluate(input({ work_item_id: 'T1' }));
  assert.deepEqual(Object.keys(r), ['decision_id', 'work_item_id', 'run_id', 'type', 'seniority', 'confidence', 'signals', 'rationale', 'timestamp']);
  assert.match(r.decision_id, /^dec-[0-9a-f]{8}$/);
  assert.match(r.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual({ ...r, decision_id: 0, timestamp: 0 }, {
    decision_id: 0, work_item_id: 'T1', run_id: 'run-dec', type: 'proceed', seniority: 'expert', confidence: 0.9,
    signals: ['policy_allowed', 'evidence_sufficient'], rationale: 'All signals green — proceeding with execution.', timestamp: 0,
  });
  assert.equal(new oxe.DecisionEngine().evaluate(input()).work_item_id, null);
});

test('evaluate: each rule, in 1.4.0 order', () => {
  const e = new oxe.DecisionEngine();
  const cases = [
    [{ policy_allowed: false }, 'abort', 1, 'expert', ['policy_denied'], 'Policy denied execution — aborting without retry.'],
    [{ gate_pending: true }, 'escalate_gate', 0.95, 'expert', ['policy_allowed', 'gate_pending'], 'Human gate pending — escalating for approval before proceeding.'],
    [{ gate_pending: true, gate_approved: true, retry_count: 1 }, 'retry', 0.7, 'standard', ['policy_allowed', 'gate_approved', 'retry_budget_available'], 'Retrying (attempt 2/3).'],
    [{ retry_count: 2, risk_level: 'critical' }, 'abort', 0.9, 'expert', ['policy_allowed', 'risk_high', 'retry_budget_exhausted'], 'High residual risk detected. Retry budget exhausted (2/2).'],
    [{ risk_level: 'high', evidence_count: 0 }, 'proceed', 0.3, 'junior', ['policy_allowed', 'risk_high', 'evidence_missing'], 'High residual risk detected.'],
    [{ lesson_match: true }, 'promote_lesson', 0.95, 'expert', ['policy_allowed', 'evidence_sufficient', 'lesson_match'], 'All signals green — proceeding with execution.'],
    [{ retry_count: null, max_retries: null }, 'abort', 0.9, 'expert', ['policy_allowed', 'retry_budget_exhausted'], 'Retry budget exhausted (null/null).'],
    [{ retry_count: undefined, max_retries: undefined, evidence_count: undefined }, 'proceed', 0.6, 'standard', ['policy_allowed', 'evidence_missing'], 'All signals green — proceeding with execution.'],
  ];
  for (const [over, type, confidence, seniority, signals, rationale] of cases) {
    const r = e.evaluate(input(over));
    assert.deepEqual({ type: r.type, confidence: r.confidence, seniority: r.seniority, signals: r.signals, rationale: r.rationale },
      { type, confidence, seniority, signals, rationale }, JSON.stringify(over));
  }
});

test('evaluate: a memo is kept by reference and absent otherwise', () => {
  const memo = oxe.buildMemo({ work_item_id: 'T5', run_id: 'r5', problem_summary: 'x', mutation_scope: ['a'], retry_count: 0, risk_level: 'low' });
  const r = new oxe.DecisionEngine().evaluate(input({ memo }));
  assert.equal(r.memo, memo);
  assert.equal('memo' in new oxe.DecisionEngine().evaluate(input()), false);
  assert.throws(() => new oxe.DecisionEngine().evaluate(null), { code: 'OXE_E_ARG' });
});

test('decision log: append, load, query by identity; file is JSON.stringify(log, null, 2)', () => {
  const root = tmpProject();
  const e = new oxe.DecisionEngine();
  const recs = [e.evaluate(input({ work_item_id: 'T1' })), e.evaluate(input({ work_item_id: 'T2', policy_allowed: false }))];
  for (const r of recs) oxe.appendDecision(root, 'run-1', r);
  const file = path.join(root, '.oxe', 'runs', 'run-1', 'decisions.json');
  assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify({ run_id: 'run-1', decisions: recs }, null, 2));
  const log = oxe.loadDecisionLog(root, 'run-1');
  assert.deepEqual(log, { run_id: 'run-1', decisions: recs });
  assert.equal(oxe.loadDecisionLog(root, 'nope'), null);
  const aborts = oxe.queryDecisions(log, { type: 'abort' });
  assert.equal(aborts.length, 1);
  assert.equal(aborts[0], log.decisions[1]);
  assert.deepEqual(oxe.queryDecisions(log, { workItemId: 'T1' }), [log.decisions[0]]);
  assert.deepEqual(oxe.queryDecisions(log, { minConfidence: 0.95 }), [log.decisions[1]]);
  assert.equal(oxe.queryDecisions(log, {}).length, 2);
  assert.throws(() => oxe.queryDecisions({ decisions: 'x' }, {}), { code: 'OXE_E_ARG' });
});

test('decision log: a corrupt or foreign file is moved aside and reported, not overwritten', () => {
  const root = tmpProject();
  const dir = path.join(root, '.oxe', 'runs', 'r');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'decisions.json'), '{"run_id": "r", "decisions": [');
  const rec = new oxe.DecisionEngine().evaluate(input());
  const { warnings } = captureWarnings(() => oxe.appendDecision(root, 'r', rec));
  assert.deepEqual(warnings.map((w) => w.code), ['OXE_W_CORRUPT_FILE']);
  assert.equal(oxe.loadDecisionLog(root, 'r').decisions.length, 1);
  assert.ok(fs.readdirSync(dir).some((n) => /^decisions\.json\.corrupt-\d+/.test(n)));

  fs.writeFileSync(path.join(dir, 'decisions.json'), '[1, 2]');
  const { result, warnings: w2 } = captureWarnings(() => oxe.loadDecisionLog(root, 'r'));
  assert.equal(result, null);
  assert.equal(w2[0].code, 'OXE_W_CORRUPT_FILE');
});

test('strategy selection, alternatives and rollback plans', () => {
  const sel = new oxe.StrategySelector();
  assert.equal(sel.select(['src/auth.ts'], 0, 'low'), 'minimal_patch');
  assert.equal(sel.select(Array(10).fill('f'), 0, 'low'), 'isolated_refactor');
  assert.equal(sel.select(['a', 'b'], 0, 'high'), 'feature_flag');
  assert.equal(sel.select([], 0, 'none'), 'no_op');
  assert.equal(sel.select(['a', 'b', 'c', 'd'], 0, 'low'), 'expand_contract');
  assert.deepEqual(sel.alternatives('feature_flag', Array(9).fill('f'), 'high'), [
    { strategy: 'minimal_patch', reason: 'feature_flag preferred due to scope or risk level' },
    { strategy: 'isolated_refactor', reason: 'feature_flag preferred' },
    { strategy: 'expand_contract', reason: 'expand-contract requires coordinated deployment; overhead not justified here' },
    { strategy: 'no_op', reason: 'mutation scope is non-empty; no-op would not satisfy requirements' },
  ]);
  const plan = oxe.buildRollbackPlan(oxe.buildBlastRadius(['a.ts'], 0, 'low'), 0);
  assert.deepEqual(plan, { strategy: 'undo_patch', steps: ['apply inverse patch'], estimated_cost: 'low', preconditions: ['original file state recorded'] });
  plan.steps.push('mutated');
  assert.deepEqual(oxe.buildRollbackPlan({ risk_score: 0.1, reversible: true, estimated_files: 1 }, 0).steps, ['apply inverse patch']);
  assert.equal(oxe.buildRollbackPlan({ risk_score: 0.1, reversible: true, estimated_files: 6 }, 0).strategy, 'revert_commit');
  assert.equal(oxe.buildRollbackPlan({ risk_score: 0.7, reversible: true, estimated_files: 1 }, 0).strategy, 'restore_workspace');
});

test('blast radius: subsystems keep the caller\'s text, including odd characters', () => {
  const scope = ['src/a.ts', 'src\\b.ts', 'ação/ç.ts', '🎉/x', 'README', 'nul\0/x', 'line\nbreak/y'];
  const br = oxe.buildBlastRadius(scope, 3, 'high');
  assert.deepEqual(br, { estimated_files: 7, subsystems: ['src', 'ação', '🎉', 'README', 'nul\0', 'line\nbreak'], risk_score: 0.8, reversible: true });
  assert.deepEqual(oxe.buildBlastRadius([], 0, 'critical'), { estimated_files: 0, subsystems: [], risk_score: 0.4, reversible: false });
  assert.throws(() => oxe.buildBlastRadius(['a', 5], 0, 'low'), { code: 'OXE_E_ARG' });
});

test('buildMemo: shape, defaults and caller values', () => {
  const evidence = ['junit'];
  const m = oxe.buildMemo({ work_item_id: 'T1', run_id: 'r1', problem_summary: 'Fix', mutation_scope: ['src/auth.ts'], retry_count: 0, risk_level: 'low', min_evidence_required: evidence });
  assert.deepEqual(Object.keys(m), ['memo_id', 'work_item_id', 'run_id', 'problem_summary', 'chosen_strategy', 'alternatives_rejected', 'blast_radius', 'rollback_plan', 'min_evidence_required', 'confidence', 'created_at']);
  assert.match(m.memo_id, /^memo-[0-9a-f]{8}$/);
  assert.equal(m.min_evidence_required, evidence);
  assert.equal(m.confidence, 0.9);
  assert.equal(m.chosen_strategy, 'minimal_patch');
  assert.equal(m.alternatives_rejected.length, 4);
  assert.equal(oxe.buildMemo({ run_id: 'r', mutation_scope: [], retry_count: 0, risk_level: 'low', confidence: 0.42 }).confidence, 0.42);
  assert.deepEqual(oxe.buildMemo({ run_id: 'r', mutation_scope: [], retry_count: 0, risk_level: 'x' }).min_evidence_required, []);
});

test('property: buildMemo agrees with buildBlastRadius, buildRollbackPlan and StrategySelector', () => {
  const r = rng(11);
  const sel = new oxe.StrategySelector();
  const segs = ['src', 'lib', 'tests', 'a\\b', 'ação', ''];
  for (let i = 0; i < 500; i++) {
    const scope = Array.from({ length: r.int(0, 12) }, () => r.pick(segs) + r.pick(['', '/x.ts', '\\y.ts']));
    const retries = r.int(0, 4);
    const risk = r.pick(['none', 'low', 'medium', 'high', 'critical']);
    const m = oxe.buildMemo({ work_item_id: 'T', run_id: 'r', problem_summary: 'p', mutation_scope: scope, retry_count: retries, risk_level: risk });
    const br = oxe.buildBlastRadius(scope, retries, risk);
    assert.deepEqual(m.blast_radius, br);
    assert.deepEqual(m.rollback_plan, oxe.buildRollbackPlan(br, retries));
    assert.equal(m.chosen_strategy, sel.select(scope, retries, risk));
    assert.deepEqual(m.alternatives_rejected, sel.alternatives(m.chosen_strategy, scope, risk));
    assert.equal(m.confidence, 1 - br.risk_score);
  }
});

test('memos: save, load, list in name order; corrupt files skipped and reported', () => {
  const root = tmpProject();
  const mk = (wi) => oxe.buildMemo({ work_item_id: wi, run_id: 'r3', problem_summary: 'p', mutation_scope: ['a'], retry_count: 0, risk_level: 'low' });
  const memos = [mk('T1'), mk('T2'), mk('T3')];
  for (const m of memos) oxe.saveMemo(root, m);
  const dir = path.join(root, '.oxe', 'runs', 'r3', 'memos');
  assert.equal(fs.readFileSync(path.join(dir, `${memos[0].memo_id}.json`), 'utf8'), JSON.stringify(memos[0], null, 2));
  assert.deepEqual(oxe.loadMemo(root, 'r3', memos[1].memo_id), memos[1]);
  assert.equal(oxe.loadMemo(root, 'r3', 'memo-nope'), null);
  fs.writeFileSync(path.join(dir, 'memo-zzzz.json'), '{"memo_id": ');
  fs.writeFileSync(path.join(dir, 'README.txt'), 'not a memo');
  const { result, warnings } = captureWarnings(() => oxe.listMemos(root, 'r3'));
  assert.deepEqual(result, [...memos].sort((a, b) => (a.memo_id < b.memo_id ? -1 : 1)));
  assert.equal(warnings[0].code, 'OXE_W_CORRUPT_FILE');
  assert.deepEqual(oxe.listMemos(root, 'none'), []);
});

test('memos and logs: ids that would leave .oxe/runs are rejected', () => {
  const root = tmpProject();
  assert.throws(() => oxe.saveMemo(root, { run_id: 'r', memo_id: '../../../x' }), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.saveMemo(root, { run_id: '../..', memo_id: 'm' }), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.saveMemo(root, { memo_id: 'm' }), { code: 'OXE_E_ARG' });
  assert.throws(() => oxe.appendDecision(root, '../x', {}), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.loadMemo(root, 'r', 5), { code: 'OXE_E_ARG' });
  assert.equal(fs.existsSync(path.join(root, 'x.json')), false);
});
