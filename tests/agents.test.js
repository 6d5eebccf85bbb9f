'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const oxe = require('..');
const { native } = require('../lib/native.js');

const { AgentRegistry, ArbitrationEngine, createBudget, consumeBudget, isBudgetExhausted, buildHandoff } = oxe;

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

// Run `fn` with the core's clock frozen at `ms` (it can move it on with `at`).
function atTime(ms, fn) {
  native.setTestClock(ms, null);
  try {
    return fn((next) => native.setTestClock(next, null));
  } finally {
    native.setTestClock(null, null);
  }
}

// An object that records every access: stored collaborators must never be touched.
function untouchable(touched, name) {
  return new Proxy(
    {},
    {
      get(_, key) {
        touched.push(`${name}.${String(key)}`);
        return () => {
          throw new Error(`${name} was called`);
        };
      },
      has(_, key) {
        touched.push(`${name} has ${String(key)}`);
        return false;
      },
    },
  );
}

function codeOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error);
    return e.code;
  }
  return 'no error';
}

test('AgentRegistry keeps its records in an own Map and returns them by identity', () => {
  const reg = new AgentRegistry();
  assert.deepEqual(Object.keys(reg), ['agents', 'heartbeatTimeoutMs']);
  assert.equal(reg.heartbeatTimeoutMs, 30000);
  assert.ok(reg.agents instanceof Map);
  assert.equal(new AgentRegistry(5).heartbeatTimeoutMs, 5);

  const touched = [];
  const executor = untouchable(touched, 'executor');
  const manager = untouchable(touched, 'workspaceManager');
  const tasks = ['T1'];
  const rec = reg.register('a', executor, manager, tasks, 'planner');
  assert.deepEqual(touched, []);
  assert.deepEqual(Object.keys(rec), ['id', 'executor', 'workspaceManager', 'assignedTaskIds', 'heartbeat', 'role', 'actionLog']);
  assert.deepEqual(Object.keys(rec.heartbeat), ['agent_id', 'last_seen', 'current_task', 'status']);
  assert.equal(rec.executor, executor);
  assert.equal(rec.workspaceManager, manager);
  assert.equal(rec.assignedTaskIds, tasks);
  assert.equal(reg.get('a'), rec);
  assert.equal(reg.agents.get('a'), rec);
  assert.equal(reg.list()[0], rec);
  assert.equal(reg.getByRole('planner')[0], rec);
  assert.equal(reg.get('missing'), null);

  const plain = reg.register('b', {}, {});
  assert.ok('role' in plain);
  assert.equal(plain.role, undefined);
  assert.deepEqual(plain.assignedTaskIds, []);
  assert.deepEqual(reg.list().map((r) => r.id), ['a', 'b']);
  reg.unregister('a');
  assert.deepEqual(reg.list().map((r) => r.id), ['b']);
  reg.clear();
  assert.equal(reg.list().length, 0);
  assert.deepEqual(touched, []);
});

test('register stamps the heartbeat from the clock and rejects duplicates and bad ids', () => {
  atTime(T0, () => {
    const reg = new AgentRegistry();
    const rec = reg.register('a', {}, {});
    assert.deepEqual(rec.heartbeat, { agent_id: 'a', last_seen: new Date(T0).toISOString(), current_task: null, status: 'idle' });
    assert.throws(() => reg.register('a', {}, {}), { code: 'OXE_E_ARG', message: 'Agent "a" is already registered' });
    assert.equal(reg.get('a'), rec);
    assert.equal(codeOf(() => reg.register(42, {}, {})), 'OXE_E_ARG');
    assert.equal(reg.list().length, 1);
  });
});

test('beat: running while it reports a task, idle otherwise; unknown ids are ignored', () => {
  atTime(T0, (setNow) => {
    const reg = new AgentRegistry();
    const hb = reg.register('a', {}, {}).heartbeat;
    setNow(T0 + 1500);
    reg.beat('a', 'T1');
    assert.deepEqual(hb, { agent_id: 'a', last_seen: new Date(T0 + 1500).toISOString(), current_task: 'T1', status: 'running' });
    reg.beat('a', '');
    assert.equal(hb.status, 'idle');
    assert.equal(hb.current_task, '');
    reg.beat('a');
    assert.equal(hb.current_task, null);
    assert.equal(hb.status, 'idle');
    assert.doesNotThrow(() => reg.beat('ghost', 'T1'));
    reg.setStatus('a', 'paused');
    assert.equal(hb.status, 'paused');
    assert.doesNotThrow(() => reg.setStatus('ghost', 'failed'));
  });
});

test('liveness: heartbeat age strictly below the timeout', () => {
  atTime(T0, (setNow) => {
    const reg = new AgentRegistry(1000);
    reg.register('a', {}, {});
    reg.register('b', {}, {});
    assert.equal(reg.isAlive('a'), true);
    setNow(T0 + 999);
    reg.beat('b', 'T');
    assert.equal(reg.isAlive('a'), true);
    setNow(T0 + 1000);
    assert.equal(reg.isAlive('a'), false);
    assert.deepEqual(reg.timedOut().map((r) => r.id), ['a']);
    assert.deepEqual(reg.liveAgents().map((r) => r.id), ['b']);
    assert.equal(reg.isAlive('ghost'), false);

    // the timeout is read at every call, as 1.4.0 does
    reg.heartbeatTimeoutMs = Infinity;
    assert.equal(reg.timedOut().length, 0);
    reg.heartbeatTimeoutMs = 0;
    assert.equal(reg.liveAgents().length, 0);
    reg.heartbeatTimeoutMs = '5000';
    assert.equal(reg.isAlive('a'), true);
  });
});

test('liveness reads last_seen the way Date does; unreadable heartbeats are dead', () => {
  const reg = new AgentRegistry(60_000);
  const rec = reg.register('a', {}, {});
  rec.heartbeat.last_seen = new Date(Date.now() - 1000).toUTCString();
  assert.equal(reg.isAlive('a'), true);
  rec.heartbeat.last_seen = 'not a time';
  assert.equal(reg.isAlive('a'), false);
  rec.heartbeat.last_seen = undefined;
  assert.equal(reg.isAlive('a'), false);
  assert.deepEqual(reg.timedOut(), [rec]);
});

test('records inserted through registry.agents take part, judged under their own id', () => {
  const reg = new AgentRegistry(30_000);
  const live = reg.register('live', {}, {});
  const fresh = { id: 'fresh', assignedTaskIds: [], heartbeat: { last_seen: new Date(Date.now() + 100_000).toISOString(), status: 'idle' } };
  reg.agents.set('fresh', fresh);
  // stored under a key that is not its id: 1.4.0 looks the id up, finds nothing, counts it dead
  const stray = { id: 'elsewhere', assignedTaskIds: ['S1'], heartbeat: { last_seen: new Date().toISOString(), status: 'idle' } };
  reg.agents.set('stray', stray);
  assert.deepEqual(reg.liveAgents(), [live, fresh]);
  assert.deepEqual(reg.timedOut(), [stray]);
  assert.deepEqual(reg.failover('fresh'), ['S1']);
  assert.deepEqual(fresh.assignedTaskIds, ['S1']);
  assert.equal(stray.heartbeat.status, 'failed');
});

test('failover moves the tasks of stale agents, in registry order, to the fallback', () => {
  const reg = new AgentRegistry(30_000);
  const w1 = reg.register('w1', {}, {}, ['A', 'B']);
  const backup = reg.register('backup', {}, {}, ['Z']);
  const w2 = reg.register('w2', {}, {}, ['C']);
  const ok = reg.register('ok', {}, {}, ['K']);
  const backupTasks = backup.assignedTaskIds;
  w1.heartbeat.last_seen = new Date(0).toISOString();
  reg.get('w2').heartbeat.last_seen = new Date(Date.now() - 31_000).toISOString();

  assert.deepEqual(reg.failover('backup'), ['A', 'B', 'C']);
  assert.deepEqual(backup.assignedTaskIds, ['Z', 'A', 'B', 'C']);
  assert.notEqual(backup.assignedTaskIds, backupTasks);
  assert.deepEqual(backupTasks, ['Z']);
  for (const r of [w1, w2]) {
    assert.deepEqual(r.assignedTaskIds, []);
    assert.equal(r.heartbeat.status, 'failed');
  }
  assert.deepEqual(ok.assignedTaskIds, ['K']);
  assert.equal(ok.heartbeat.status, 'idle');
  assert.equal(backup.heartbeat.status, 'idle');
  // nothing stale: nothing moves, the fallback still gets a fresh array
  assert.deepEqual(reg.failover('backup'), []);
});

test('failover onto a stale fallback orphans its own tasks into itself', () => {
  const reg = new AgentRegistry(0);
  reg.register('a', {}, {}, ['T1']);
  const fb = reg.register('fb', {}, {}, ['F1']);
  assert.deepEqual(reg.failover('fb'), ['T1', 'F1']);
  assert.deepEqual(fb.assignedTaskIds, ['T1', 'F1']);
  assert.equal(fb.heartbeat.status, 'failed');
});

test('failover with an unknown fallback throws OXE_E_ARG and changes nothing', () => {
  const reg = new AgentRegistry(0);
  const a = reg.register('a', {}, {}, ['T1']);
  assert.throws(() => reg.failover('nobody'), { code: 'OXE_E_ARG', message: 'Fallback agent "nobody" not found' });
  assert.throws(() => new AgentRegistry().failover('x'), /not found/);
  assert.deepEqual(a.assignedTaskIds, ['T1']);
  assert.equal(a.heartbeat.status, 'idle');
});

test('getByRole and logAction', () => {
  const reg = new AgentRegistry();
  const p = reg.register('p', {}, {}, [], 'planner');
  reg.register('e1', {}, {}, [], 'executor');
  reg.register('e2', {}, {}, [], 'executor');
  assert.deepEqual(reg.getByRole('executor').map((r) => r.id), ['e1', 'e2']);
  assert.deepEqual(reg.getByRole('reviewer'), []);
  const log = { agent_id: 'p', role: 'planner', work_item_id: 'T1', action: 'plan', result: 'success', duration_ms: 3, timestamp: 'x' };
  reg.logAction('p', log);
  assert.equal(p.actionLog[0], log);
  assert.doesNotThrow(() => reg.logAction('ghost', log));
});

test('createBudget: Infinity by default, limits as given, key order of 1.4.0', () => {
  const b = createBudget();
  assert.deepEqual(Object.keys(b), ['max_tokens', 'max_time_ms', 'max_retries', 'consumed_tokens', 'consumed_time_ms', 'consumed_retries']);
  assert.deepEqual(b, { max_tokens: Infinity, max_time_ms: Infinity, max_retries: Infinity, consumed_tokens: 0, consumed_time_ms: 0, consumed_retries: 0 });
  assert.deepEqual(createBudget({ max_tokens: 1000, max_retries: 3, other: 1 }), { ...b, max_tokens: 1000, max_retries: 3 });
  assert.equal(createBudget({ max_time_ms: null }).max_time_ms, Infinity);
  assert.equal(JSON.stringify(b), '{"max_tokens":null,"max_time_ms":null,"max_retries":null,"consumed_tokens":0,"consumed_time_ms":0,"consumed_retries":0}');
});

test('consumeBudget returns a new budget and keeps the caller fields', () => {
  const b = { ...createBudget({ max_tokens: 100 }), owner: 'agent-1' };
  const b2 = consumeBudget(b, { tokens: 40, time_ms: 12.5 });
  assert.notEqual(b2, b);
  assert.equal(b.consumed_tokens, 0);
  assert.deepEqual(b2, { ...b, consumed_tokens: 40, consumed_time_ms: 12.5 });
  assert.deepEqual(Object.keys(b2), Object.keys(b));
  const b3 = consumeBudget(consumeBudget(b2, { retries: 2 }), { retries: 1, tokens: -10 });
  assert.equal(b3.consumed_retries, 3);
  assert.equal(b3.consumed_tokens, 30);
  assert.deepEqual(consumeBudget(b, {}), b);
});

test('isBudgetExhausted: any consumed amount reaching its limit', () => {
  assert.equal(isBudgetExhausted(createBudget()), false);
  assert.equal(isBudgetExhausted(consumeBudget(createBudget({ max_tokens: 100 }), { tokens: 99 })), false);
  assert.equal(isBudgetExhausted(consumeBudget(createBudget({ max_tokens: 100 }), { tokens: 100 })), true);
  assert.equal(isBudgetExhausted(consumeBudget(createBudget({ max_time_ms: 5000 }), { time_ms: 5001 })), true);
  assert.equal(isBudgetExhausted(consumeBudget(createBudget({ max_retries: 2 }), { retries: 2 })), true);
});

test('budgets at zero are exhausted before anything is spent', () => {
  assert.equal(isBudgetExhausted(createBudget({ max_tokens: 0 })), true);
  assert.equal(isBudgetExhausted(createBudget({ max_retries: 0 })), true);
  assert.equal(isBudgetExhausted(createBudget({ max_time_ms: 0 })), true);
});

test('a budget read back from JSON keeps its unlimited limits (beyond 1.4.0)', () => {
  const b = consumeBudget(createBudget({ max_tokens: 10 }), { tokens: 5, retries: 1 });
  const back = JSON.parse(JSON.stringify(b));
  assert.equal(back.max_time_ms, null);
  assert.equal(isBudgetExhausted(back), false);
  assert.equal(isBudgetExhausted(consumeBudget(back, { tokens: 5 })), true);
});

test('budget helpers reject values that are not numbers', () => {
  assert.equal(codeOf(() => createBudget({ max_tokens: '100' })), 'OXE_E_ARG');
  assert.equal(codeOf(() => createBudget(null)), 'OXE_E_ARG');
  assert.equal(codeOf(() => consumeBudget(createBudget(), { tokens: '5' })), 'OXE_E_ARG');
  assert.equal(codeOf(() => consumeBudget(createBudget())), 'OXE_E_ARG');
  assert.equal(codeOf(() => consumeBudget({ ...createBudget(), consumed_tokens: 'x' }, {})), 'OXE_E_ARG');
  assert.equal(codeOf(() => isBudgetExhausted(undefined)), 'OXE_E_ARG');
  assert.equal(codeOf(() => isBudgetExhausted({ ...createBudget(), max_retries: {} })), 'OXE_E_ARG');
});

test('buildHandoff: fields in 1.4.0 order, hoff-<ms base36>-<4 base36> id stamped by the clock', () => {
  atTime(T0, () => {
    const spec = { from_agent_id: 'p', to_agent_id: 'e', from_role: 'planner', to_role: 'executor', work_item_id: 'T1' };
    const h = buildHandoff(spec);
    assert.deepEqual(Object.keys(h), ['handoff_id', 'from_agent_id', 'to_agent_id', 'from_role', 'to_role', 'work_item_id', 'context_pack_ref', 'transferred_at']);
    assert.match(h.handoff_id, new RegExp(`^hoff-${T0.toString(36)}-[0-9a-z]{4}$`));
    assert.deepEqual({ ...h, handoff_id: null }, { handoff_id: null, ...spec, context_pack_ref: null, transferred_at: new Date(T0).toISOString() });
    assert.equal(buildHandoff({ ...spec, context_pack_ref: 'cp-run1-T1' }).context_pack_ref, 'cp-run1-T1');
    assert.equal(buildHandoff({ ...spec, context_pack_ref: null }).context_pack_ref, null);
    const ids = new Set(Array.from({ length: 50 }, () => buildHandoff(spec).handoff_id));
    assert.ok(ids.size > 45);
  });
  assert.equal(codeOf(() => buildHandoff()), 'OXE_E_ARG');
  assert.equal(codeOf(() => buildHandoff({ from_agent_id: 'p' })), 'OXE_E_ARG');
});

test('ArbitrationEngine returns the winning result object itself', () => {
  const engine = new ArbitrationEngine();
  assert.deepEqual(Object.keys(engine), []);
  const r = (success, evidence, output = '') => ({ success, failure_class: success ? null : 'test', evidence, output });
  const fail = r(false, ['x', 'y', 'z']);
  const one = r(true, ['e1']);
  const three = r(true, ['e1', 'e2', 'e3']);
  const threeToo = r(true, ['a', 'b', 'c']);
  assert.equal(engine.arbitrate([{ agent_id: 'a', result: fail }, { agent_id: 'b', result: one }]), one);
  assert.equal(engine.arbitrate([{ agent_id: 'a', result: one }, { agent_id: 'b', result: three }, { agent_id: 'c', result: threeToo }]), three);
  const first = r(false, [], 'timed out');
  assert.equal(engine.arbitrate([{ agent_id: 'a', result: first }, { agent_id: 'b', result: fail }]), first);
  assert.deepEqual(engine.arbitrate([]), { success: false, failure_class: null, evidence: [], output: 'no results to arbitrate' });
  // failures need no evidence list
  assert.equal(engine.arbitrate([{ agent_id: 'a', result: { success: false } }, { agent_id: 'b', result: one }]), one);
  assert.equal(codeOf(() => engine.arbitrate(null)), 'OXE_E_ARG');
  assert.equal(codeOf(() => engine.arbitrate([{ agent_id: 'a' }])), 'OXE_E_ARG');
});

test('the six agent values are exported', () => {
  for (const name of ['AgentRegistry', 'ArbitrationEngine', 'createBudget', 'consumeBudget', 'isBudgetExhausted', 'buildHandoff']) {
    assert.equal(typeof oxe[name], 'function', name);
    assert.ok(Object.keys(oxe).includes(name), name);
  }
});
