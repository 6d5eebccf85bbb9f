'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const oxe = require('..');
const { tmpProject, captureWarnings } = require('./helpers.js');

const { AuditTrail } = oxe;
const trailFile = (root) => path.join(root, '.oxe', 'AUDIT-TRAIL.ndjson');
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
const GENESIS = '0'.repeat(64);

test('exports and own properties match 1.4.0', () => {
  for (const name of ['AuditTrail', 'createQuota', 'checkQuota', 'consumeQuota', 'savePolicyPack', 'loadPolicyPack', 'listPolicyPacks', 'applyPolicyPack']) {
    assert.ok(Object.keys(oxe).includes(name), name);
  }
  assert.deepEqual(Object.keys(new AuditTrail('/p')), ['projectRoot', 'remoteSink']);
});

test('record writes 1.4.0 entries plus a hash chain, and returns the plain entry', () => {
  const root = tmpProject();
  const t = new AuditTrail(root);
  const detail = { rule_id: 'x' };
  const e1 = t.record('policy_denied', 'engine', { runId: 'r1', workItemId: 'T1', resource: 'write_fs', detail });
  assert.deepEqual(Object.keys(e1), ['audit_id', 'action', 'severity', 'run_id', 'work_item_id', 'actor', 'resource', 'detail', 'timestamp']);
  assert.match(e1.audit_id, /^aud-[0-9a-f]{8}$/);
  assert.equal(e1.severity, 'warn');
  assert.equal(e1.detail, detail);
  const e2 = t.record('secret_accessed', 'plugin');
  assert.deepEqual([e2.severity, e2.run_id, e2.resource], ['critical', null, null]);
  assert.deepEqual(e2.detail, {});
  const lines = fs.readFileSync(trailFile(root), 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  assert.equal(lines[0], JSON.stringify({ ...e1, prev_hash: GENESIS }));
  assert.equal(lines[1], JSON.stringify({ ...e2, prev_hash: sha(lines[0]) }));
  // readers see the 1.4.0 shape
  assert.deepEqual(t.query({}), [e1, e2]);
  assert.deepEqual(t.verify(), { ok: true, total_entries: 2, chained_entries: 2, legacy_entries: 0, first_broken: null });
});

test('queries, critical() and metrics() follow 1.4.0', () => {
  const root = tmpProject();
  const t = new AuditTrail(root);
  t.record('run_started', 'scheduler', { runId: 'r1' });
  t.record('gate_requested', 'policy', { runId: 'r1' });
  t.record('infra_mutation', 'executor', { runId: 'r2' });
  t.record('run_started', 'alice', { runId: 'r2' });
  assert.equal(t.query({ action: 'run_started' }).length, 2);
  assert.equal(t.query({ runId: 'r2' }).length, 2);
  assert.equal(t.query({ severity: 'warn' })[0].action, 'gate_requested');
  assert.equal(t.query({ since: '9999-01-01' }).length, 0);
  assert.equal(t.query({ since: '2000-01-01T00:00:00.000Z' }).length, 4);
  assert.deepEqual(t.critical().map((e) => e.action), ['infra_mutation']);
  const m = t.metrics();
  assert.deepEqual(Object.keys(m), ['total_entries', 'critical_count', 'warn_count', 'by_action', 'actors', 'oldest', 'newest']);
  assert.deepEqual([m.total_entries, m.critical_count, m.warn_count], [4, 1, 1]);
  assert.deepEqual(m.by_action, { run_started: 2, gate_requested: 1, infra_mutation: 1 });
  assert.deepEqual(m.actors, ['scheduler', 'policy', 'executor', 'alice']);
  assert.ok(m.oldest <= m.newest);
  assert.deepEqual(new AuditTrail(tmpProject()).metrics(), { total_entries: 0, critical_count: 0, warn_count: 0, by_action: {}, actors: [], oldest: null, newest: null });
});

test('a 1.4.0 trail (no hashes) loads, and the chain continues from its last line', () => {
  const root = tmpProject();
  fs.mkdirSync(path.join(root, '.oxe'));
  const legacy = JSON.stringify({ audit_id: 'aud-00000001', action: 'run_started', severity: 'info', run_id: 'r', work_item_id: null, actor: 'a', resource: null, detail: {}, timestamp: '2025-01-01T00:00:00.000Z' });
  fs.writeFileSync(trailFile(root), legacy + '\n');
  const t = new AuditTrail(root);
  assert.equal(t.query().length, 1);
  t.record('run_completed', 'a', { runId: 'r' });
  const second = JSON.parse(fs.readFileSync(trailFile(root), 'utf8').split('\n')[1]);
  assert.equal(second.prev_hash, sha(legacy));
  assert.deepEqual(t.verify(), { ok: true, total_entries: 2, chained_entries: 1, legacy_entries: 1, first_broken: null });
});

test('verify reports the first broken link after tampering', () => {
  const root = tmpProject();
  const t = new AuditTrail(root);
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(t.record('plugin_invoked', `actor-${i}`, { runId: 'r' }).audit_id);
  const text = fs.readFileSync(trailFile(root), 'utf8');
  fs.writeFileSync(trailFile(root), text.replace('actor-2', 'actor-X'));
  const v = t.verify();
  assert.equal(v.ok, false);
  assert.equal(v.first_broken.line, 4);
  assert.equal(v.first_broken.audit_id, ids[3]);
  // the rewritten file is what queries see
  assert.ok(t.query().some((e) => e.actor === 'actor-X'));
  // deleting a line breaks the chain where it was
  const lines = text.split('\n');
  fs.writeFileSync(trailFile(root), [lines[0], lines[2], lines[3], ''].join('\n'));
  assert.equal(t.verify().first_broken.line, 2);
});

test('corrupt lines are skipped and reported; a torn tail is cut before appending', () => {
  const root = tmpProject();
  const t = new AuditTrail(root);
  t.record('run_started', 'a');
  fs.appendFileSync(trailFile(root), '{not json\n');
  t.record('run_paused', 'a');
  const { result, warnings } = captureWarnings(() => t.query());
  assert.deepEqual(result.map((e) => e.action), ['run_started', 'run_paused']);
  assert.equal(warnings[0].code, 'OXE_W_CORRUPT_LINE');
  fs.appendFileSync(trailFile(root), '{"audit_id":"torn');
  const { warnings: w2 } = captureWarnings(() => t.record('run_completed', 'a'));
  assert.equal(w2[0].code, 'OXE_W_TORN_TAIL');
  const lines = fs.readFileSync(trailFile(root), 'utf8').split('\n');
  assert.equal(JSON.parse(lines[3]).prev_hash, sha(lines[2]));
});

test('remote sink: called synchronously, not awaited, rejections swallowed', async () => {
  const root = tmpProject();
  const received = [];
  let unhandled = 0;
  const onUnhandled = () => { unhandled++; };
  process.on('unhandledRejection', onUnhandled);
  try {
    const t = new AuditTrail(root, { write: async (e) => { received.push(e); }, query: async () => [] });
    const e = t.record('run_started', 's', { runId: 'x' });
    assert.equal(received.length, 1);
    assert.equal(received[0], e);
    const failing = new AuditTrail(root, { write: async () => { throw new Error('down'); }, query: async () => [] });
    assert.doesNotThrow(() => failing.record('run_completed', 's'));
    await new Promise((r) => setImmediate(r));
    assert.equal(unhandled, 0);
    // a write that returns no promise throws after the entry was appended
    const before = t.query().length;
    const bad = new AuditTrail(root, { write: () => undefined });
    assert.throws(() => bad.record('run_paused', 's'), TypeError);
    assert.equal(t.query().length, before + 1);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('concurrent processes keep one valid chain', async () => {
  const root = tmpProject();
  const pkg = path.join(__dirname, '..');
  const script = `
    const { AuditTrail } = require(${JSON.stringify(pkg)});
    const t = new AuditTrail(${JSON.stringify(root)});
    for (let i = 0; i < 100; i++) t.record('plugin_invoked', 'p' + process.argv[1], { runId: 'r' + i });`;
  await Promise.all([0, 1, 2, 3].map((n) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, String(n)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${n} exited ${code}`))));
  })));
  const t = new AuditTrail(root);
  assert.deepEqual(t.verify(), { ok: true, total_entries: 400, chained_entries: 400, legacy_entries: 0, first_broken: null });
  assert.equal(t.metrics().actors.length, 4);
});

test('quotas default to Infinity (null in JSON) and check with a strict >', () => {
  const q = oxe.createQuota('run-1', { max_mutations: 2 });
  assert.deepEqual(Object.keys(q), ['run_id', 'max_work_items', 'max_mutations', 'max_retries_total', 'consumed_work_items', 'consumed_mutations', 'consumed_retries']);
  assert.equal(q.max_work_items, Infinity);
  assert.equal(JSON.stringify(q), '{"run_id":"run-1","max_work_items":null,"max_mutations":2,"max_retries_total":null,"consumed_work_items":0,"consumed_mutations":0,"consumed_retries":0}');
  const q2 = oxe.consumeQuota(q, 'mutations', 2);
  assert.equal(q.consumed_mutations, 0);
  assert.equal(oxe.checkQuota(q2), null);
  const q3 = oxe.consumeQuota({ ...q2, extra: 1 }, 'mutations');
  assert.equal(q3.extra, 1);
  assert.deepEqual(oxe.checkQuota(q3), { quota_type: 'mutations', limit: 2, consumed: 3 });
  assert.equal(oxe.consumeQuota(q, 'nope'), undefined);
  // a quota that went through JSON (Infinity became null) still means "no limit"
  const revived = JSON.parse(JSON.stringify(oxe.consumeQuota(q, 'work_items', 5)));
  assert.equal(oxe.checkQuota(revived), null);
  assert.throws(() => oxe.createQuota('r', { max_work_items: '5' }), { code: 'OXE_E_ARG' });
  assert.deepEqual(oxe.checkQuota(oxe.consumeQuota(oxe.createQuota('r', { max_retries_total: 0 }), 'retries')), { quota_type: 'retries', limit: 0, consumed: 1 });
});

test('policy packs: save, load, list in name order, apply', () => {
  const root = tmpProject();
  const pack = (id) => ({
    pack_id: id, org_id: 'org', name: `Pack ${id}`, version: '1.0.0',
    policies: [{ id: `deny-${id}`, when: { tool: 'deploy' }, action: 'deny' }],
    guardrail: { protected_paths: ['secrets.json'], protected_branches: ['main'], require_human_gate_on: [] },
    created_at: '2026-01-01T00:00:00.000Z',
  });
  assert.deepEqual(oxe.listPolicyPacks(root), []);
  for (const id of ['b', 'a']) assert.equal(oxe.savePolicyPack(root, pack(id)), undefined);
  const file = path.join(root, '.oxe', 'policy-packs', 'a.json');
  assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify(pack('a'), null, 2));
  assert.deepEqual(oxe.loadPolicyPack(root, 'b'), pack('b'));
  assert.equal(oxe.loadPolicyPack(root, 'zz'), null);
  fs.writeFileSync(path.join(root, '.oxe', 'policy-packs', 'c.json'), '{broken');
  const { result } = captureWarnings(() => oxe.listPolicyPacks(root));
  assert.deepEqual(result.map((p) => p.pack_id), ['a', 'b']);
  assert.throws(() => oxe.savePolicyPack(root, pack('../evil')), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.loadPolicyPack(root, '../x'), { code: 'OXE_E_PATH' });
  const engine = new oxe.PolicyEngine();
  const applied = oxe.applyPolicyPack(engine, pack('a'));
  assert.equal(applied.evaluate({ tool: 'deploy' }).rule_id, 'deny-a');
  assert.equal(applied.evaluate({ tool: 'x', affected_paths: ['secrets.json'] }).gate_required, true);
  assert.equal(engine.evaluate({ tool: 'deploy' }).allowed, true);
  // duck-typed engines are driven through their own methods
  const calls = [];
  const duck = { withGuardrail(g) { calls.push(['g', g.protected_paths[0]]); return this; }, withRule(r) { calls.push(['r', r.id]); return this; } };
  oxe.applyPolicyPack(duck, pack('z'));
  assert.deepEqual(calls, [['g', 'secrets.json'], ['r', 'deny-z']]);
});
