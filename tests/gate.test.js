'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const oxe = require('..');
const { tmpProject, captureWarnings } = require('./helpers.js');

const { GateManager, listPendingGates, resolveGate } = oxe;
const ctx = (extra = {}) => ({ description: 'd', evidence_refs: [], risks: [], ...extra });

test('exports and own properties match 1.4.0', () => {
  for (const name of ['GateManager', 'listPendingGates', 'resolveGate']) assert.ok(Object.keys(oxe).includes(name), name);
  const m = new GateManager('/p', null, 'r1');
  assert.deepEqual(Object.keys(m), ['projectRoot', 'sessionId', 'runId']);
});

test('request and resolve write 1.4.0 tokens, history and events', async () => {
  const root = tmpProject();
  const m = new GateManager(root, null, 'run-1');
  const c = ctx({ work_item_id: 'T1', action: 'generate_patch', rationale: 'why', policy_decision_id: 'rule-1' });
  const p = m.request('critical_mutation', c);
  assert.ok(p instanceof Promise);
  const token = await p;
  assert.deepEqual(Object.keys(token), ['gate_id', 'scope', 'run_id', 'work_item_id', 'action', 'requested_at', 'context', 'status', 'resolution_history']);
  assert.match(token.gate_id, /^gate-[0-9a-f]{8}$/);
  assert.equal(token.context, c, 'the token holds the caller context itself');
  const resolved = await m.resolve(token, { decision: 'approved', actor: 'lead', reason: 'ok' });
  assert.deepEqual(Object.keys(resolved), ['gate_id', 'scope', 'run_id', 'work_item_id', 'action', 'requested_at', 'context', 'status', 'resolution_history', 'decision', 'actor', 'reason', 'resolved_at']);
  assert.deepEqual(resolved.resolution_history, [{ decision: 'approved', actor: 'lead', reason: 'ok', resolved_at: resolved.resolved_at }]);
  const again = await m.resolve(token, { decision: 'rejected', actor: 'qa' });
  assert.equal('reason' in again, false);
  assert.equal(again.resolution_history.length, 2);
  const file = path.join(root, '.oxe', 'execution', 'GATES.json');
  assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify([again], null, 2));
  const events = oxe.readEvents(root, null);
  assert.deepEqual(events.map((e) => e.type), ['GateRequested', 'GateResolved', 'GateResolved']);
  assert.deepEqual(events[0].payload, {
    gate_id: token.gate_id, scope: 'critical_mutation', action: 'generate_patch', description: 'd',
    evidence_refs: [], risks: [], rationale: 'why', policy_decision_id: 'rule-1',
  });
  assert.equal(events[0].work_item_id, 'T1');
  assert.deepEqual(events[2].payload, { gate_id: token.gate_id, scope: 'critical_mutation', action: 'generate_patch', decision: 'rejected', actor: 'qa', reason: null });
});

test('queries, staleness and snapshots', async () => {
  const root = tmpProject();
  const m = new GateManager(root, 'sessions/s1', 'r1');
  const a = await m.request('plan_approval', ctx({ work_item_id: 'T1' }));
  await m.request('security', ctx({ run_id: 'r2' }));
  assert.ok(fs.existsSync(path.join(root, '.oxe', 'sessions', 's1', 'execution', 'GATES.json')));
  assert.equal(m.isPending('security'), true);
  assert.equal(m.isPending('merge'), false);
  assert.equal(m.listPendingByRun().length, 1);
  assert.equal(m.listPendingByRun('r2').length, 1);
  assert.equal(m.listPendingForWorkItem('T1')[0].gate_id, a.gate_id);
  assert.equal(m.get('gate-00000000'), null);
  assert.deepEqual(m.get(a.gate_id), m.listAll()[0]);
  assert.equal(m.stalePending().length, 0);
  assert.equal(m.stalePending(0).length, 2);
  await m.resolve(a, { decision: 'approved', actor: 'x' });
  assert.equal(m.listResolved().length, 1);
  assert.equal(m.listRecentResolved().length, 1);
  const s = m.snapshot();
  assert.deepEqual(Object.keys(s), ['total', 'gate_sla_hours', 'pending', 'stale_pending', 'staleCount', 'resolved_recent', 'byRun', 'byScope', 'all']);
  assert.deepEqual([s.total, s.gate_sla_hours, s.pending.length, s.resolved_recent.length], [2, 24, 1, 1]);
  assert.deepEqual(s.byRun, { r1: 1, r2: 1 });
  assert.equal(s.pending[0], s.all.find((g) => g.status === 'pending'), 'one object per gate');
  assert.deepEqual(m.filter({ status: 'stale', gate_sla_hours: 0 }).map((g) => g.scope), ['security']);
  const helper = listPendingGates(m, 'r2');
  assert.equal(helper.total, 1);
  assert.equal(helper.pending[0].run_id, 'r2');
});

test('unknown gates reject (never throw synchronously) with a code', async () => {
  const root = tmpProject();
  const m = new GateManager(root, null, 'r');
  await assert.rejects(m.resolve({ gate_id: 'gate-nope' }, { decision: 'approved', actor: 'a' }), { code: 'OXE_E_ARG', message: 'Gate gate-nope not found' });
  await assert.rejects(() => resolveGate(m, 'gate-nope', { decision: 'approved', actor: 'a' }), { message: 'Gate gate-nope not found' });
  await assert.rejects(() => m.resolve(null, {}), TypeError);
  await assert.rejects(() => new GateManager(root, '../..', 'r').request('merge', ctx()), { code: 'OXE_E_PATH' });
});

test('helpers dispatch through duck-typed managers', async () => {
  const calls = [];
  const fake = {
    snapshot: (h, q) => { calls.push(['snapshot', h, q]); return 'snap'; },
    get: (id) => (id === 'g1' ? { gate_id: 'g1' } : null),
    resolve: async (t, r) => ({ ...t, ...r, status: 'resolved' }),
  };
  assert.equal(listPendingGates(fake, 'r9', { gate_sla_hours: 5, scope: 'merge' }), 'snap');
  assert.deepEqual(calls[0], ['snapshot', 5, { gate_sla_hours: 5, scope: 'merge', run_id: 'r9' }]);
  assert.deepEqual(await resolveGate(fake, 'g1', { decision: 'approved', actor: 'a' }), { gate_id: 'g1', decision: 'approved', actor: 'a', status: 'resolved' });
});

test('a corrupt or non-array GATES.json is moved aside, reported, and reads as empty', async () => {
  for (const content of ['[{"gate_id": ', '{"gates": []}']) {
    const root = tmpProject();
    const dir = path.join(root, '.oxe', 'execution');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'GATES.json'), content);
    const m = new GateManager(root, null, 'r');
    const { result, warnings } = captureWarnings(() => m.listAll());
    assert.deepEqual(result, []);
    assert.equal(warnings[0].code, 'OXE_W_CORRUPT_FILE');
    assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('GATES.json.corrupt-')));
    await m.request('merge', ctx());
    assert.equal(m.listAll().length, 1);
  }
});

test('concurrent processes requesting and resolving gates never lose an entry', async () => {
  const root = tmpProject();
  const pkg = path.join(__dirname, '..');
  const script = `
    const { GateManager } = require(${JSON.stringify(pkg)});
    const m = new GateManager(${JSON.stringify(root)}, null, 'run-' + process.argv[1]);
    (async () => {
      for (let i = 0; i < 25; i++) {
        const t = await m.request('merge', { description: process.argv[1] + '-' + i, evidence_refs: [], risks: [] });
        if (i % 5 === 0) await m.resolve(t, { decision: 'approved', actor: 'p' + process.argv[1] });
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const runs = [0, 1, 2, 3].map((n) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, String(n)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${n} exited ${code}`))));
  }));
  await Promise.all(runs);
  const m = new GateManager(root, null, 'x');
  const all = m.listAll();
  assert.equal(all.length, 100);
  assert.equal(new Set(all.map((g) => g.gate_id)).size, 100);
  assert.equal(m.listResolved().length, 20);
  assert.equal(oxe.readEvents(root, null).length, 120);
});
