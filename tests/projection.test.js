'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { stateOf, graphOf, projections } = require('../scripts/gen-projection-goldens.js');

const expectedDir = path.join(__dirname, 'fixtures', 'projection', 'expected');

test('golden: every projection is byte-identical to oxe-cc 1.4.0 on the fixed inputs', () => {
  const engine = new oxe.ProjectionEngine();
  const cases = projections(engine);
  assert.ok(cases.length >= 30);
  const files = new Set(fs.readdirSync(expectedDir));
  for (const [file, render] of cases) {
    assert.ok(files.has(file), `missing golden ${file}`);
    assert.equal(render(), fs.readFileSync(path.join(expectedDir, file), 'utf8'), file);
  }
});

test('ProjectionEngine has the upstream shape', () => {
  const engine = new oxe.ProjectionEngine();
  assert.deepEqual(Object.keys(engine), []);
  for (const m of ['projectPlan', 'projectVerify', 'projectState', 'projectRunSummary', 'projectPRSummary', 'projectCommitSummary', 'projectPromotionSummary']) {
    assert.equal(typeof engine[m], 'function', m);
  }
});

test('a RunState from reduce() and a graph from compile() project as hand-built ones do', () => {
  const plan = {
    totalTasks: 2,
    waves: { 1: ['T1'], 2: ['T2'] },
    tasks: [
      { id: 'T1', title: 'Setup DB', wave: 1, dependsOn: [], files: [], verifyCommand: null, aceite: [], done: false },
      { id: 'T2', title: 'Auth endpoint', wave: 2, dependsOn: ['T1'], files: ['src/auth.ts'], verifyCommand: 'npm test', aceite: ['A1'], done: false },
    ],
  };
  const spec = { objective: 'x', criteria: [{ id: 'A1', criterion: 'Tests pass', howToVerify: 'npm test' }] };
  const graph = oxe.compile(plan, spec, { default_workspace_strategy: 'inplace' });
  const ev = (type, extra) => ({ id: `e-${type}`, timestamp: '2026-04-18T10:00:00.000Z', session_id: null, run_id: 'r001', work_item_id: null, attempt_id: null, causation_id: null, correlation_id: null, payload: {}, type, ...extra });
  const state = oxe.reduce([
    ev('RunStarted', { payload: { run_id: 'r001', status: 'running', started_at: '2026-04-18T10:00:00Z', mode: 'por_onda' } }),
    ev('WorkItemReady', { work_item_id: 'T1', payload: { work_item_id: 'T1', title: 'Setup DB', status: 'pending' } }),
    ev('WorkItemCompleted', { work_item_id: 'T1' }),
  ]);
  const engine = new oxe.ProjectionEngine();
  const md = engine.projectPlan(state, graph);
  assert.match(md, /\| T1 \| Setup DB \| ✓ completed \| — \|\n/);
  assert.match(md, /\| T2 \| Auth endpoint \| ○ pending \| T1 \|\n/);
  assert.equal(engine.projectPRSummary(state, graph), engine.projectPromotionSummary(state, graph));
  assert.equal(engine.projectState(state), engine.projectState(state));
});

test('inputs the projections cannot read are coded errors; the process survives', () => {
  const engine = new oxe.ProjectionEngine();
  const { cases } = require('../scripts/gen-projection-goldens.js');
  const c = cases['two-waves'];
  const state = stateOf(c.state);
  const graph = graphOf(c.graph);
  assert.throws(() => engine.projectPlan(null, graph), { code: 'OXE_E_ARG' });
  assert.throws(() => engine.projectPlan(state, { waves: [], metadata: {} }), { code: 'OXE_E_ARG' });
  assert.throws(() => engine.projectPlan(state, { nodes: new Map(), waves: [], metadata: null }), { code: 'OXE_E_ARG' });
  const badDeps = { ...graph, nodes: new Map([['T1', { title: 'x', depends_on: 'T0' }]]) };
  assert.throws(() => engine.projectPlan(state, badDeps), { code: 'OXE_E_ARG' });
  assert.throws(() => engine.projectVerify(state, [{ check_id: 'c', status: 'pass', evidence_refs: null }]), { code: 'OXE_E_ARG' });
  assert.throws(() => engine.projectVerify(state, [], [], null, { risks: [{ severity: 3 }] }), { code: 'OXE_E_ARG' });
  assert.throws(() => engine.projectVerify(state, undefined), TypeError);
  const odd = { ...state, run: { run_id: 'r', started_at: 12345 } };
  assert.throws(() => engine.projectRunSummary(odd), { code: 'OXE_E_ARG' });
  assert.match(engine.projectState(state), /lifecycleStatus:\*\* executing/);
});

test('large inputs render in one crossing and stay deterministic', () => {
  const nodes = new Map();
  const waves = [];
  const state = stateOf({ run: { run_id: 'big', status: 'running' }, workItems: [], attempts: [], completedWorkItems: [], failedWorkItems: [], blockedWorkItems: [] });
  for (let i = 0; i < 3000; i++) {
    const id = `T${i}`;
    nodes.set(id, { title: `Task ${i} — ✓`, depends_on: i ? [`T${i - 1}`] : [] });
    const w = Math.floor(i / 100);
    (waves[w] ||= { wave_number: w + 1, node_ids: [] }).node_ids.push(id);
    state.workItems.set(id, { status: i % 3 ? 'completed' : 'failed' });
    (i % 3 ? state.completedWorkItems : state.failedWorkItems).add(id);
  }
  const graph = { nodes, edges: [], waves, metadata: { node_count: 3000, wave_count: 30 } };
  const engine = new oxe.ProjectionEngine();
  const a = engine.projectPlan(state, graph);
  assert.equal(a, engine.projectPlan(state, graph));
  assert.equal(a.split('\n').filter((l) => l.startsWith('| T')).length, 3000);
  assert.match(engine.projectCommitSummary(state, graph), /- ✗ Task 0 — ✓ \(`T0`\)/);
});
