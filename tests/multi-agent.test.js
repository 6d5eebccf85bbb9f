'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject } = require('./helpers.js');

const SPEC = { objective: 'x', criteria: [] };
const task = (id, wave, deps = []) => ({ id, title: id, wave, dependsOn: deps, files: [], verifyCommand: null, aceite: [], done: false });
const graph = () => oxe.compile({ tasks: [task('T1', 1), task('T2', 1), task('T3', 2, ['T1'])] }, SPEC, { default_workspace_strategy: 'git_worktree', default_max_retries: 0 });

function agent(id, { isolation = 'isolated', ok = true, assigned } = {}) {
  const calls = [];
  return {
    calls,
    spec: {
      id,
      assignedTaskIds: assigned,
      executor: { async execute(node) { calls.push(node.id); if (ok === 'throw') throw new Error(`${id} broke`); return { success: ok === true, failure_class: ok === true ? null : 'test', evidence: ['e'], output: '' }; } },
      workspaceManager: { isolation_level: isolation, async allocate(req) { return { workspace_id: `ws-${id}-${req.work_item_id}`, strategy: 'git_worktree', isolation_level: isolation, branch: null, base_commit: null, root_path: '/tmp', ttl_minutes: 45 }; }, async dispose() {} },
    },
  };
}

test('shared workspaces are refused before anything is written', async () => {
  const root = tmpProject();
  const a = agent('a', { isolation: 'shared' });
  const b = agent('b');
  for (const mode of ['parallel', 'competitive', 'cooperative']) {
    await assert.rejects(new oxe.MultiAgentCoordinator().run(graph(), { mode, agents: [a.spec, b.spec], projectRoot: root, sessionId: null, runId: 'r' }), { message: /isolated workspaces\. Invalid agents: a:shared/ });
  }
  assert.ok(!fs.existsSync(path.join(root, '.oxe')));
  await assert.rejects(new oxe.MultiAgentCoordinator().run(graph(), { mode: 'bogus', agents: [], projectRoot: root, sessionId: null, runId: 'r' }), /Unknown coordination mode: bogus/);
});

test('parallel mode partitions round-robin and persists the state files', async () => {
  const root = tmpProject();
  const a = agent('a');
  const b = agent('b');
  const r = await new oxe.MultiAgentCoordinator().run(graph(), { mode: 'parallel', agents: [a.spec, b.spec], projectRoot: root, sessionId: null, runId: 'run-p' });
  assert.deepEqual(a.calls, ['T1', 'T3']);
  assert.deepEqual(b.calls, ['T2']);
  assert.deepEqual(r.completed.sort(), ['T1', 'T2', 'T3']);
  const state = oxe.loadMultiAgentState(root, 'run-p');
  assert.deepEqual(state.ownership.map((o) => `${o.work_item_id}:${o.owner_agent_id}`), ['T1:a', 'T3:a', 'T2:b']);
  assert.equal(state.workspace_isolation_enforced, true);
  for (const f of ['multi-agent-state.json', 'handoffs.json', 'arbitration-results.json']) {
    const text = fs.readFileSync(path.join(root, '.oxe', 'runs', 'run-p', f), 'utf8');
    assert.equal(text, JSON.stringify(JSON.parse(text), null, 2));
  }
});

test('parallel partitions with a dependency in another partition block it, as 1.4.0 does', async () => {
  const root = tmpProject();
  const a = agent('a', { assigned: ['T1', 'T2'] });
  const b = agent('b', { assigned: ['T3'] });
  const r = await new oxe.MultiAgentCoordinator().run(graph(), { mode: 'parallel', agents: [a.spec, b.spec], projectRoot: root, sessionId: null, runId: 'run-x' });
  assert.deepEqual(r.completed, ['T1', 'T2']);
  assert.deepEqual(b.calls, []);
});

test('competitive mode: an executor that throws loses; the other wins', async () => {
  const root = tmpProject();
  const a = agent('a', { ok: 'throw' });
  const b = agent('b');
  const r = await new oxe.MultiAgentCoordinator().run(graph(), { mode: 'competitive', agents: [a.spec, b.spec], projectRoot: root, sessionId: null, runId: 'run-c' });
  assert.deepEqual(r.completed, ['T1', 'T2', 'T3']);
  assert.ok(r.arbitration_results.every((x) => x.winner_agent_id === 'b' && x.evidence_count === 1));
});

test('cooperative mode records one handoff per task and stops at the first failure', async () => {
  const root = tmpProject();
  const planner = agent('p');
  const exec = agent('e', { ok: false });
  const r = await new oxe.MultiAgentCoordinator().run(graph(), { mode: 'cooperative', agents: [planner.spec, exec.spec], projectRoot: root, sessionId: null, runId: 'run-k' });
  assert.deepEqual(r.failed, ['T1']);
  assert.equal(r.handoffs.length, 1);
  assert.match(r.handoffs[0].handoff_id, /^hoff-[0-9a-z]+-[0-9a-z]{1,4}$/);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, '.oxe', 'runs', 'run-k', 'handoffs.json'), 'utf8')), r.handoffs);
});
