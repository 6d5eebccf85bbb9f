'use strict';
// buildHealthReport / status --json: recoveryState carries the recovery
// consistency check (as 1.4.0's summarizeRecoveryState does), its issues
// mark the state `warning` and reach enterpriseWarn; the provider catalog
// summary lists (no) plugins like registrySummary.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const sdk = require('..');

function projectWithRun(events) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-recovery-'));
  sdk.operational.writeRunState(dir, null, { run_id: 'oxe-run-20260105-001', status: 'running', current_wave: 1 });
  for (let i = 0; i < events; i++) {
    sdk.operational.appendEvent(dir, null, { type: 'task_started', run_id: 'oxe-run-20260105-001', task_id: `T${i}` });
  }
  return dir;
}

test('recoveryState reports the consistency check of the active run', () => {
  const dir = projectWithRun(3);
  const r = sdk.health.buildHealthReport(dir);
  const rs = r.recoveryState;
  assert.equal(rs.status, 'warning');
  assert.equal(rs.consistency.run_id, 'oxe-run-20260105-001');
  assert.equal(rs.consistency.event_count, 3);
  assert.equal(rs.consistency.journal_exists, false);
  assert.equal(rs.consistency.run_file_exists, true);
  assert.deepEqual(rs.issues, rs.consistency.issues);
  assert.ok(rs.issues.length >= 1);
  assert.equal(rs.pendingGatesRehydrated, rs.consistency.pending_gates_rehydrated);
  assert.equal(rs.policyDecisionsRehydrated, rs.consistency.policy_decisions_rehydrated);
  assert.equal(rs.evidenceRefsTracked, rs.consistency.evidence_refs_tracked);
  for (const issue of rs.issues) assert.ok(r.enterpriseWarn.includes(issue), issue);
  assert.deepEqual(
    Object.keys(rs),
    ['status', 'recoverCount', 'recoveredAt', 'journalState', 'markdownPath', 'orphanWorkItems',
      'pendingGatesRehydrated', 'policyDecisionsRehydrated', 'evidenceRefsTracked', 'consistency', 'issues'],
  );
  // the SDK member computes the same consistency
  const direct = sdk.operational.buildRecoveryConsistency(dir, null, sdk.operational.readRunState(dir, null), null, null);
  assert.deepEqual(direct.issues, rs.issues);
});

test('recoveryState without a run is not_started', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-recovery-none-'));
  assert.deepEqual(sdk.health.buildHealthReport(dir).recoveryState, {
    status: 'not_started',
    recoverCount: 0,
    journalState: null,
    markdownPath: null,
    issues: [],
  });
});

test('status --json and runtime status --json carry the same recovery state', () => {
  const dir = projectWithRun(2);
  const env = { ...process.env, OXE_NO_BANNER: '1', NO_COLOR: '1' };
  const bin = path.join(__dirname, '..', 'bin', 'oxe-cc.js');
  const st = spawnSync(process.execPath, [bin, 'status', '--json', '--dir', dir], { encoding: 'utf8', env });
  assert.equal(st.status, 0, st.stderr);
  const status = JSON.parse(st.stdout);
  const rt = spawnSync(process.execPath, [bin, 'runtime', 'status', '--dir', dir, '--json'], { encoding: 'utf8', env });
  assert.equal(rt.status, 0, rt.stderr);
  const runtime = JSON.parse(rt.stdout.slice(rt.stdout.indexOf('{')));
  assert.equal(runtime.recoveryState.status, 'warning');
  assert.equal(runtime.recoveryState.consistency.event_count, 2);
  assert.deepEqual(runtime.providerCatalog.summary.plugins, []);
  const fromStatus = JSON.stringify(status).includes('"event_count":2');
  assert.ok(fromStatus, 'status --json includes the consistency block');
});

test('the health report reads the event trace as operational.readEvents does (JS trim, falsy lines dropped)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-health-trace-'));
  fs.mkdirSync(path.join(dir, '.oxe'));
  fs.writeFileSync(
    path.join(dir, '.oxe', 'OXE-EVENTS.ndjson'),
    '{"type":"A","run_id":"r"}\n0\n""\n\uFEFF{"type":"B","run_id":"r"}\n',
  );
  const summary = sdk.health.buildHealthReport(dir).eventsSummary;
  assert.deepEqual(summary, sdk.operational.summarizeEvents(sdk.operational.readEvents(dir, null)));
  assert.equal(summary.total, 2);
  assert.deepEqual(summary.byType, { A: 1, B: 1 });
  fs.rmSync(dir, { recursive: true, force: true });
});
