'use strict';
// Scheduler with plain-object collaborators: event sequence, retries,
// re-entrant cancel/pause, executor exceptions, gates, quotas, plugin tool
// providers and bad graphs.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject } = require('./helpers.js');

const SPEC = { objective: 'x', criteria: [] };
const task = (id, wave, deps = [], extra = {}) => ({ id, title: `T ${id}`, wave, dependsOn: deps, files: [], verifyCommand: null, aceite: [], done: false, ...extra });
const graphOf = (tasks, opts = {}) => oxe.compile({ tasks }, SPEC, { default_workspace_strategy: 'inplace', ...opts });

function manager(log = []) {
  return {
    isolation_level: 'shared',
    async allocate(req) {
      log.push(`allocate:${req.work_item_id}:${req.attempt_number}`);
      return { workspace_id: `ws-${req.work_item_id}-a${req.attempt_number}`, strategy: 'inplace', isolation_level: 'shared', branch: null, base_commit: null, root_path: '/tmp', ttl_minutes: 60 };
    },
    async dispose(id) { log.push(`dispose:${id}`); },
  };
}
const okResult = { success: true, failure_class: null, evidence: ['ev-1'], output: 'ok' };

function ctxFor(root, executor, extra = {}) {
  const events = [];
  return { events, ctx: { projectRoot: root, sessionId: null, runId: `run-${Math.random().toString(36).slice(2, 8)}`, executor, workspaceManager: manager(), onEvent: (e) => events.push(e), ...extra } };
}

test('event sequence of a completed single node', async () => {
  const root = tmpProject();
  const { ctx, events } = ctxFor(root, { execute: async () => okResult });
  const r = await new oxe.Scheduler().run(graphOf([task('T1', 1)]), ctx);
  assert.deepEqual(r, { run_id: ctx.runId, status: 'completed', completed: ['T1'], failed: [], blocked: [], pending_gates: [] });
  assert.deepEqual(events.map((e) => e.type), ['RunStarted', 'WorkItemReady', 'AttemptStarted', 'WorkspaceAllocated', 'WorkItemCompleted', 'RunCompleted']);
  assert.deepEqual(events[4].payload, { attempt_number: 1, evidence: ['ev-1'] });
  const onDisk = oxe.readEvents(root, null).map((e) => e.type);
  assert.deepEqual(onDisk, events.map((e) => e.type));
  const journal = oxe.loadJournal(root, ctx.runId);
  assert.equal(journal.scheduler_state, 'completed');
  assert.deepEqual(journal.completed_work_items, ['T1']);
});

test('executor throws count as env failures and are retried; dispose always runs', async () => {
  const root = tmpProject();
  const log = [];
  let calls = 0;
  const { ctx, events } = ctxFor(root, { execute: async () => { calls++; if (calls < 3) throw new Error('boom'); return okResult; } }, { workspaceManager: manager(log) });
  const r = await new oxe.Scheduler().run(graphOf([task('T1', 1)]), ctx);
  assert.equal(r.status, 'completed');
  assert.equal(calls, 3);
  assert.deepEqual(log, ['allocate:T1:1', 'dispose:ws-T1-a1', 'allocate:T1:2', 'dispose:ws-T1-a2', 'allocate:T1:3', 'dispose:ws-T1-a3']);
  assert.deepEqual(events.filter((e) => e.type === 'RetryScheduled').map((e) => e.payload), [{ next_attempt: 2, reason: 'env' }, { next_attempt: 3, reason: 'env' }]);
});

test('exhausted attempts fail the node and block the next wave', async () => {
  const root = tmpProject();
  const { ctx, events } = ctxFor(root, { execute: async () => ({ success: false, failure_class: 'test', evidence: [], output: 'x' }) });
  const r = await new oxe.Scheduler().run(graphOf([task('A', 1), task('B', 2, ['A'])], { default_max_retries: 1 }), ctx);
  assert.equal(r.status, 'failed');
  assert.deepEqual(r.failed, ['A']);
  assert.deepEqual(r.blocked, ['B']);
  const blocked = events.filter((e) => e.type === 'WorkItemBlocked');
  assert.deepEqual(blocked.map((e) => [e.work_item_id, e.payload]), [['A', { failure_class: 'test', max_attempts: 2 }], ['B', { reason: 'upstream_wave_failed' }]]);
});

test('read-only nodes of a wave run concurrently, mutating nodes one at a time', async () => {
  const root = tmpProject();
  let active = 0;
  let peak = 0;
  const order = [];
  const executor = {
    async execute(node) {
      active++; peak = Math.max(peak, active); order.push(`start:${node.id}`);
      await new Promise((r) => setTimeout(r, 10));
      active--; order.push(`end:${node.id}`);
      return okResult;
    },
  };
  const { ctx } = ctxFor(root, executor);
  const tasks = [task('R1', 1), task('R2', 1), task('M1', 1, [], { files: ['a'] }), task('M2', 1, [], { files: ['b'] })];
  const r = await new oxe.Scheduler().run(graphOf(tasks), ctx);
  assert.equal(r.status, 'completed');
  assert.equal(peak, 2);
  assert.deepEqual(order.slice(4), ['start:M1', 'end:M1', 'start:M2', 'end:M2']);
});

test('cancel() from inside an executor stops the run', async () => {
  const root = tmpProject();
  const s = new oxe.Scheduler();
  const seen = [];
  const { ctx } = ctxFor(root, { execute: async (node) => { seen.push(node.id); if (node.id === 'M1') s.cancel(); return okResult; } });
  const tasks = [task('M1', 1, [], { files: ['a'] }), task('M2', 1, [], { files: ['b'] }), task('X', 2)];
  const r = await s.run(graphOf(tasks), ctx);
  assert.equal(r.status, 'cancelled');
  assert.deepEqual(seen, ['M1']);
  assert.equal(oxe.loadJournal(root, ctx.runId).scheduler_state, 'cancelled');
  assert.equal(s.getJournal().cancelled, true);
});

test('pause() from inside an executor pauses after the wave; recover resumes it', async () => {
  const root = tmpProject();
  const s = new oxe.Scheduler();
  const seen = [];
  const { ctx } = ctxFor(root, { execute: async (node) => { seen.push(node.id); if (node.id === 'A') s.pause(); return okResult; } });
  const graph = graphOf([task('A', 1), task('B', 2, ['A'])]);
  const r = await s.run(graph, ctx);
  assert.equal(r.status, 'paused');
  assert.deepEqual(r.completed, ['A']);
  assert.equal(oxe.Scheduler.loadJournal(root, ctx.runId).scheduler_state, 'paused');
  const s2 = new oxe.Scheduler();
  const r2 = await s2.recover(ctx.runId, { ...ctx, executor: { execute: async (node) => { seen.push(node.id); return okResult; } } }, graph);
  assert.equal(r2.status, 'completed');
  assert.deepEqual(seen, ['A', 'B']);
  assert.equal(oxe.loadJournal(root, ctx.runId), null);
  assert.equal(await new oxe.Scheduler().recover('nope', ctx, graph), null);
});

test('getJournal returns one live object', async () => {
  const root = tmpProject();
  const s = new oxe.Scheduler();
  let during = null;
  const { ctx } = ctxFor(root, { execute: async () => { during = s.getJournal(); return okResult; } });
  await s.run(graphOf([task('A', 1)]), ctx);
  assert.equal(s.getJournal(), during);
  assert.equal(during.scheduler_state, 'completed');
  assert.ok(Object.keys(s).includes('journal'));
});

test('an onEvent throw outside the attempt rejects the run with that very error', async () => {
  const root = tmpProject();
  const err = new Error('listener broke');
  const { ctx } = ctxFor(root, { execute: async () => okResult }, { onEvent: (e) => { if (e.type === 'RunStarted') throw err; } });
  await assert.rejects(new oxe.Scheduler().run(graphOf([task('A', 1)]), ctx), (e) => e === err);
});

test('plain-object policy engine, gate manager, audit trail and quota', async () => {
  const root = tmpProject();
  const audits = [];
  const gates = [];
  const extra = {
    policyEngine: { evaluate: (c) => ({ decision_id: `d-${c.tool}`, allowed: true, gate_required: c.mutation_count > 0, reason: 'needs review', rule_id: 'r1', timestamp: 't' }) },
    gateManager: { request: async (scope, c) => { gates.push([scope, c.work_item_id]); return { gate_id: `gate-${c.work_item_id}`, scope, action: c.action }; } },
    auditTrail: { record: (action, actor, opts) => audits.push([action, actor, opts.workItemId ?? null]) },
    policyActor: 'ci-bot',
  };
  const { ctx } = ctxFor(root, { execute: async () => okResult }, extra);
  const r = await new oxe.Scheduler().run(graphOf([task('R', 1), task('M', 1, [], { files: ['src/a.ts'] })]), ctx);
  assert.equal(r.status, 'blocked');
  assert.deepEqual(r.completed, ['R']);
  assert.deepEqual(r.blocked, ['M']);
  assert.deepEqual(r.pending_gates, ['gate-M']);
  assert.deepEqual(gates, [['critical_mutation', 'M']]);
  assert.deepEqual(audits.map((a) => a[0]), ['run_started', 'gate_requested', 'run_completed']);
  assert.ok(audits.every((a) => a[1] === 'ci-bot'));
});

test('bad graphs and contexts reject with clear codes', async () => {
  const root = tmpProject();
  const { ctx } = ctxFor(root, { execute: async () => okResult });
  const cyclic = graphOf([task('A', 1, ['B']), task('B', 1, ['A'])]);
  await assert.rejects(new oxe.Scheduler().run(cyclic, ctx), { code: 'OXE_E_GRAPH', message: /Cycle detected/ });
  const unknown = graphOf([task('A', 1, ['Z'])]);
  await assert.rejects(new oxe.Scheduler().run(unknown, ctx), { code: 'OXE_E_GRAPH', message: /unknown node Z/ });
  await assert.rejects(new oxe.Scheduler().run(graphOf([task('A', 1)]), { ...ctx, executor: undefined }), { code: 'OXE_E_ARG', message: /executor/ });
  await assert.rejects(new oxe.Scheduler().run({ nodes: {} }, ctx), { code: 'OXE_E_ARG' });
  await assert.rejects(new oxe.Scheduler().run(graphOf([task('A', 1)]), { ...ctx, runId: '../../x' }), { code: 'OXE_E_PATH' });
  assert.ok(!fs.existsSync(path.join(root, '.oxe', 'OXE-EVENTS.ndjson')), 'nothing was written for rejected runs');
});
