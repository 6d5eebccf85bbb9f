'use strict';
// scripts/bench-status.js runs end to end on a tiny project and reports both
// bins reading the same events and the same active run.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const MIRROR = process.env.OXE_UPSTREAM_MIRROR || '/work/.mirror/propagno+oxe-build/repo';

test('bench-status compares both bins on the same project', (t) => {
  if (!fs.existsSync(MIRROR)) return t.skip(`upstream mirror ${MIRROR} not available`);
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, '..', 'scripts', 'bench-status.js'), '--events', '40', '--runs', '1', '--json', '--mirror', MIRROR],
    { encoding: 'utf8', timeout: 120000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.eventsSeen, { ours: 40, upstream: 40 });
  for (const label of ['status --json', 'runtime status --json']) {
    const row = report.results[label];
    assert.ok(row.ours.median_ms > 0 && row.upstream.median_ms > 0);
    assert.ok(row.ours.json && row.upstream.json);
    assert.ok(Number.isFinite(row.ratio) && row.ratio > 0);
  }
  const rt = report.results['runtime status --json'];
  assert.equal(rt.ours.run_id, 'oxe-run-20260105-001');
  assert.equal(rt.upstream.run_id, 'oxe-run-20260105-001');
});

test('bench-status rejects unknown options', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'bench-status.js'), '--nope'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown option --nope/);
});
