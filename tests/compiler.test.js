'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const oxe = require('..');

const SPEC = { objective: 'x', criteria: [{ id: 'A1', criterion: 'works', howToVerify: 'npm test' }] };
const task = (id, wave, deps = [], extra = {}) => ({ id, title: `task ${id}`, wave, dependsOn: deps, files: [], verifyCommand: null, aceite: [], done: false, ...extra });
const PLAN = { totalTasks: 3, waves: { 1: ['T1'], 2: ['T2', 'T3'] }, tasks: [task('T1', 1), task('T2', 2, ['T1'], { files: ['a.ts'], verifyCommand: 'npm test' }), task('T3', 2, ['T1'])] };

const hash = (v) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12);

test('compile builds a Map of nodes, edges, waves and 1.4.0 hashes', () => {
  const g = oxe.compile(PLAN, SPEC);
  assert.ok(g.nodes instanceof Map);
  assert.deepEqual([...g.nodes.keys()], ['T1', 'T2', 'T3']);
  assert.equal(g.metadata.plan_hash, hash(PLAN));
  assert.equal(g.metadata.spec_hash, hash(SPEC));
  assert.equal(g.metadata.node_count, 3);
  assert.deepEqual(g.waves, [{ wave_number: 1, node_ids: ['T1'] }, { wave_number: 2, node_ids: ['T2', 'T3'] }]);
  assert.deepEqual(g.nodes.get('T2').actions.map((a) => a.type), ['read_code', 'generate_patch', 'run_tests', 'collect_evidence']);
  assert.deepEqual(oxe.validateGraph(g), []);
});

test('validateGraph reports unknown dependencies and one cycle', () => {
  const g = oxe.compile({ tasks: [task('A', 1, ['B']), task('B', 1, ['A', 'Z'])] }, SPEC);
  assert.deepEqual(oxe.validateGraph(g), ['Node B depends on unknown node Z', 'Cycle detected involving node A']);
});

test('toSerializable / fromSerializable round-trip, integer-like ids first', () => {
  const g = oxe.compile({ tasks: [task('b', 1), task('10', 1), task('2', 1)] }, SPEC);
  const s = oxe.toSerializable(g);
  assert.deepEqual(Object.keys(s.nodes), ['2', '10', 'b']);
  const back = oxe.fromSerializable(JSON.parse(JSON.stringify(s)));
  assert.ok(back.nodes instanceof Map);
  assert.deepEqual(back.nodes.get('b'), g.nodes.get('b'));
});

test('malformed plans fail with OXE_E_PLAN naming the task and field', () => {
  assert.throws(() => oxe.compile({ tasks: 'no' }, SPEC), { code: 'OXE_E_PLAN', message: /plan\.tasks/ });
  assert.throws(() => oxe.compile(undefined, SPEC), { code: 'OXE_E_PLAN' });
  assert.throws(() => oxe.compile({ tasks: [task('T1', 1, 'T0')] }, SPEC), { code: 'OXE_E_PLAN', message: /\(T1\)\.dependsOn/ });
  assert.throws(() => oxe.validateGraph({ nodes: {} }), { code: 'OXE_E_ARG' });
  const circular = { tasks: [] };
  circular.self = circular;
  assert.throws(() => oxe.compile(circular, SPEC), { code: 'OXE_E_ARG' });
});
