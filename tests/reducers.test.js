'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const oxe = require('..');

const ev = (type, wi, payload = {}, extra = {}) => ({
  id: `e-${type}`, type, timestamp: '2026-01-01T00:00:00.000Z', session_id: null, run_id: 'r1',
  work_item_id: wi, attempt_id: wi ? `${wi}-a1` : null, causation_id: null, correlation_id: null, payload, ...extra,
});

const LOG = [
  ev('RunStarted', null, { run_id: 'r1', status: 'running' }),
  ev('WorkItemReady', 'T1', { title: 'one', status: 'pending' }),
  ev('AttemptStarted', 'T1', { attempt_number: 1 }),
  ev('GateRequested', null, { gate_id: 'g1' }),
  ev('GateResolved', null, { gate_id: 'g1', decision: 'rejected', actor: 'bo' }),
  ev('WorkItemCompleted', 'T1', { evidence: ['ev-1'] }),
  ev('WorkItemBlocked', 'T2'),
  ev('RunCompleted', null, { status: 'blocked' }),
];

test('RunState collections are real Map and Set objects', () => {
  const s = oxe.reduce(LOG);
  for (const k of ['workItems', 'attempts', 'workspaces', 'retryCounts', 'policyDecisions', 'resolvedGates', 'verificationStatus', 'evidenceRefs', 'toolFailures']) {
    assert.ok(s[k] instanceof Map, k);
  }
  for (const k of ['completedWorkItems', 'failedWorkItems', 'blockedWorkItems', 'pendingGates']) assert.ok(s[k] instanceof Set, k);
  assert.equal(s.run.status, 'blocked');
  assert.equal(s.run.ended_at, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(s.workItems.get('T1'), { title: 'one', status: 'completed', work_item_id: 'T1' });
  assert.deepEqual(s.resolvedGates.get('g1'), { decision: 'rejected', actor: 'bo' });
  assert.equal(oxe.getAttemptCount(s, 'T1'), 1);
  assert.deepEqual(oxe.getEvidenceRefs(s, 'T1'), ['ev-1']);
  assert.equal(oxe.getWorkItemStatus(s, 'nope'), null);
  assert.deepEqual(oxe.getToolFailures(s, 'nope'), []);
  assert.ok(s.blockedWorkItems.has('T2'));
  assert.equal(s.failedWorkItems.size, 0);
});

test('applyEventExported accepts a hand-built state and leaves it untouched', () => {
  const base = oxe.createEmptyRunState();
  base.workItems.set('T5', { work_item_id: 'T5', status: 'running', title: 'five' });
  base.pendingGates.add('g9');
  const next = oxe.applyEventExported(base, ev('WorkItemCompleted', 'T5'));
  assert.equal(next.workItems.get('T5').status, 'completed');
  assert.ok(next.pendingGates.has('g9'));
  assert.equal(base.workItems.get('T5').status, 'running');
  assert.equal(base.completedWorkItems.size, 0);
});

test('stepReplay is a lazy generator of steps', () => {
  const it = oxe.stepReplay(LOG);
  assert.equal(typeof it.next, 'function');
  assert.equal(typeof it[Symbol.iterator], 'function');
  const first = it.next().value;
  assert.equal(first.index, 0);
  assert.equal(first.event, LOG[0]);
  assert.equal(first.state.run.run_id, 'r1');
  const steps = [...oxe.stepReplay(LOG)];
  assert.equal(steps.length, LOG.length);
  assert.equal(steps[2].state.attempts.get('T1').length, 1);
  assert.equal(steps[1].state.attempts.size, 0);
});

test('replayUntil and replaySlice', () => {
  const calls = [];
  const hit = oxe.replayUntil(LOG, (s) => { calls.push(s.index); return s.state.pendingGates.has('g1'); });
  assert.equal(hit.index, 3);
  assert.deepEqual(calls, [0, 1, 2, 3]);
  assert.equal(oxe.replayUntil(LOG, () => false), null);
  assert.deepEqual(oxe.replaySlice(LOG, 2, 4).map((s) => s.index), [2, 3, 4]);
  assert.deepEqual(oxe.replaySlice(LOG, 10, 20), []);
});

test('reduce rejects a non-array with OXE_E_ARG', () => {
  assert.throws(() => oxe.reduce('x'), { code: 'OXE_E_ARG' });
  assert.throws(() => oxe.applyEventExported(null, LOG[0]), { code: 'OXE_E_ARG' });
});
