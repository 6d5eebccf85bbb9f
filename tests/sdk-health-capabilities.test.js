'use strict';
// health.capabilityWarnings (and the report's capabilityWarn) include the
// capability catalog problems, as in 1.4.0, not only the missing index.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const sdk = require('..');

function project(manifest) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-cap-health-'));
  const capDir = path.join(dir, '.oxe', 'capabilities', 'broken-cap');
  fs.mkdirSync(capDir, { recursive: true });
  fs.writeFileSync(path.join(capDir, 'CAPABILITY.md'), manifest);
  fs.writeFileSync(path.join(dir, '.oxe', 'CAPABILITIES.md'), '# index\n');
  return dir;
}

test('capabilityWarnings reports catalog problems of the project', () => {
  const dir = project('---\nid: broken-cap\ntype: script\nstatus: active\nscope: execute\nentrypoint: ""\n---\n');
  const warns = sdk.health.capabilityWarnings(sdk.health.scopedOxePaths(dir, null));
  assert.deepEqual(warns, sdk.operational.capabilityCatalogWarnings(dir));
  assert.ok(warns.some((w) => /approval_policy/.test(w)));
  assert.ok(warns.some((w) => /evidence_outputs/.test(w)));
  assert.deepEqual(sdk.health.buildHealthReport(dir).capabilityWarn, warns);
});

test('capabilityWarnings is empty for a valid capability with its index', () => {
  const dir = project(
    '---\nid: ok-cap\ntype: script\nentrypoint: run.sh\napproval_policy: require_approval\nevidence_outputs: [log]\n---\n',
  );
  assert.deepEqual(sdk.operational.capabilityCatalogWarnings(dir), []);
  assert.deepEqual(sdk.health.capabilityWarnings(sdk.health.scopedOxePaths(dir, null)), []);
});

test('capabilityWarnings still flags a missing index first', () => {
  const dir = project('---\nid: x\n---\n');
  fs.unlinkSync(path.join(dir, '.oxe', 'CAPABILITIES.md'));
  const warns = sdk.health.capabilityWarnings(sdk.health.scopedOxePaths(dir, null));
  assert.match(warns[0], /CAPABILITIES\.md/);
  assert.ok(warns.length > 1);
});
