'use strict';
// Beyond 1.4.0: a run killed at any point (after every durable write in
// turn) is recovered by Scheduler.recover: nothing recorded as completed
// runs again, the interrupted node is retried as a new attempt, and the
// final log replays to a state where every node completed.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const oxe = require('..');
const { tmpProject } = require('./helpers.js');

const PKG = path.join(__dirname, '..');
const RUN = 'run-crash';
const TASKS = [
  ['A', 1, [], []], ['B', 1, [], []], ['M', 1, [], ['src/m.ts']],
  ['C', 2, ['A'], []], ['D', 2, ['M'], ['src/d.ts']],
  ['E', 3, ['C', 'D'], []],
];

// Shared by the child (as source text) and the parent.
const SETUP = `
const oxe = require(${JSON.stringify(PKG)});
const fs = require('fs');
const path = require('path');
function setup(root, tag) {
  const tasks = ${JSON.stringify(TASKS)}.map(([id, wave, deps, files]) => ({ id, title: id, wave, dependsOn: deps, files, verifyCommand: null, aceite: [], done: false }));
  const graph = oxe.compile({ tasks }, { objective: 'x', criteria: [] }, { default_workspace_strategy: 'inplace', default_max_retries: 2 });
  const sideLog = path.join(root, 'executions.log');
  const ctx = {
    projectRoot: root, sessionId: null, runId: ${JSON.stringify(RUN)},
    executor: { async execute(node, lease, runId, attempt) {
      fs.appendFileSync(sideLog, tag + ':' + node.id + ':' + attempt + '\\n');
      if (node.id === 'B' && attempt === 1) return { success: false, failure_class: 'env', evidence: [], output: 'flaky' };
      return { success: true, failure_class: null, evidence: [], output: 'ok' };
    } },
    workspaceManager: { isolation_level: 'shared', async allocate(req) { return { workspace_id: 'ws-' + req.work_item_id + '-a' + req.attempt_number, strategy: 'inplace', isolation_level: 'shared', branch: null, base_commit: null, root_path: root, ttl_minutes: 60 }; }, async dispose() {} },
  };
  return { graph, ctx, sideLog };
}
`;
// eslint-disable-next-line no-new-func
const setup = new Function('require', `${SETUP}; return setup;`)(require);

function completedIn(root) {
  return new Set(oxe.readEvents(root, null).filter((e) => e.run_id === RUN && e.type === 'WorkItemCompleted').map((e) => e.work_item_id));
}

test('kill at every durable write, then recover', async () => {
  let points = 0;
  for (let n = 1; n < 500; n++) {
    const root = tmpProject('oxe-crash-');
    const child = spawnSync(process.execPath, ['-e', `${SETUP}; const { graph, ctx } = setup(process.argv[1], 'first'); new oxe.Scheduler().run(graph, ctx).then((r) => console.log(r.status));`, root], {
      env: { ...process.env, OXE_TEST_CRASH_AFTER_WRITES: String(n) }, encoding: 'utf8',
    });
    if (child.status === 0) {
      assert.equal(child.stdout.trim(), 'completed');
      break; // the run needed fewer than n writes: every crash point is covered
    }
    assert.equal(child.signal, 'SIGABRT', `crash point ${n}: ${child.stderr}`);
    points++;

    const doneBefore = completedIn(root);
    const { graph, ctx, sideLog } = setup(root, 'recover');
    const result = await new oxe.Scheduler().recover(RUN, ctx, graph);
    const journal = oxe.loadJournal(root, RUN);
    if (result === null) {
      // nothing to recover: no journal yet, or the run had already ended
      if (journal) assert.notEqual(journal.scheduler_state, 'running', `point ${n}`);
      if (!journal) assert.equal(doneBefore.size, 0, `point ${n}: completed work but no journal`);
      continue;
    }
    assert.equal(result.status, 'completed', `point ${n}`);
    const rerun = fs.readFileSync(sideLog, 'utf8').split('\n').filter((l) => l.startsWith('recover:')).map((l) => l.split(':')[1]);
    for (const id of rerun) assert.ok(!doneBefore.has(id), `point ${n}: ${id} completed before the crash but ran again`);
    const events = oxe.readEvents(root, null).filter((e) => e.run_id === RUN);
    const state = oxe.reduce(events);
    for (const [id] of TASKS) assert.ok(state.completedWorkItems.has(id), `point ${n}: ${id} not completed after recovery`);
    // attempts are numbered on from the ones made before the crash
    const attemptIds = events.filter((e) => e.type === 'AttemptStarted').map((e) => e.attempt_id);
    assert.equal(new Set(attemptIds).size, attemptIds.length, `point ${n}: an attempt id was reused`);
  }
  assert.ok(points > 20, `only ${points} crash points were exercised`);
});
