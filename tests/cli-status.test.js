'use strict';
// oxe-cc status / doctor and the SDK `health` namespace, as a user sees them.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const oxe = require('..');

const BIN = path.join(__dirname, '..', 'bin', 'oxe-cc.js');

function tmp() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-status-'));
}

function run(args, extraEnv = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', LC_ALL: '', ...extraEnv },
  });
}

const STATUS_KEYS = [
  'oxeStatusSchema', 'projectRoot', 'nextStep', 'cursorCmd', 'reason', 'artifacts', 'phase',
  'healthStatus', 'activeSession', 'scanDate', 'staleScan', 'compactDate', 'staleCompact',
  'planSelfEvaluation', 'planReviewStatus', 'activeRun', 'eventsSummary', 'runtimeMode',
  'fallbackMode', 'gateSla', 'staleGateCount', 'verificationSummary', 'residualRiskSummary',
  'evidenceCoverage', 'pendingGates', 'gateQueue', 'policyDecisionSummary', 'policyCoverage',
  'quotaSummary', 'auditSummary', 'promotionSummary', 'promotionReadiness', 'recoveryState',
  'multiAgent', 'providerCatalog', 'memoryLayers', 'azureActive', 'azure', 'copilot',
  'contextPacks', 'contextQuality', 'semanticsDrift', 'packFreshness', 'activeSummaryRefs',
  'diagnostics',
];

test('status --json prints one clean line with every schema-5 key in order', () => {
  const dir = tmp();
  const r = run(['status', '--json', dir]);
  assert.equal(r.status, 0);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const p = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(p), STATUS_KEYS);
  assert.equal(p.oxeStatusSchema, 5);
  assert.equal(p.projectRoot, dir);
  assert.equal(p.nextStep, 'scan');
  assert.equal(p.cursorCmd, '/oxe-scan');
  assert.ok(['healthy', 'warning', 'broken'].includes(p.healthStatus));
  assert.deepEqual(p.staleScan, { stale: false, days: null });
  assert.equal(p.gateSla, 24);
  assert.equal(p.staleGateCount, 0);
  assert.deepEqual(p.pendingGates, p.gateQueue);
  assert.equal(p.azureActive, false);
  assert.equal(p.runtimeMode.runtime_mode, 'legacy');
  assert.ok(Array.isArray(p.diagnostics.planWarnings));
  assert.equal('hints' in p, false);
});

test('status --json --hints adds the reminder list', () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, '.oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.oxe', 'STATE.md'), '# State\n');
  fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), JSON.stringify({ scan_max_age_days: 7 }));
  const p = JSON.parse(run(['status', '--json', '--hints', dir]).stdout);
  assert.equal(Object.keys(p).at(-1), 'hints');
  assert.equal(p.hints.length, 1);
});

test('status --json reports a broken config and still exits 0', () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, '.oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), '{');
  const r = run(['status', '--json', dir]);
  assert.equal(r.status, 0);
  const p = JSON.parse(r.stdout);
  assert.equal(p.healthStatus, 'broken');
  assert.equal(typeof p.diagnostics.configParseError, 'string');
});

test('status human output names the next step and exits 0', () => {
  const dir = tmp();
  const r = run(['status', dir], { OXE_NO_BANNER: '1' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /OXE ▸ status/);
  assert.match(r.stdout, /Suggested next step/);
  assert.match(r.stdout, /\/oxe-scan/);
  assert.doesNotMatch(r.stdout, /\x1b\[/);
});

test('status --full prints the coverage view', () => {
  const dir = tmp();
  const r = run(['status', '--full', dir], { OXE_NO_BANNER: '1' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Coverage/);
});

test('status and doctor exit 1 on a missing folder', () => {
  const dir = path.join(tmp(), 'nope');
  assert.equal(run(['status', dir]).status, 1);
  assert.equal(run(['doctor', dir]).status, 1);
});

test('doctor fails when the package ships no workflows, and with invalid config', () => {
  const dir = tmp();
  const r = run(['doctor', dir], { OXE_NO_BANNER: '1' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /OXE ▸ doctor/);
});

test('health SDK: report keys, Dates, config layers', () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, '.oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.oxe', 'STATE.md'), '## Último scan\n\n**Data:** 2024-03-15\n');
  fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), JSON.stringify({ profile: 'strict', foo: 1 }));
  const r = oxe.health.buildHealthReport(dir);
  assert.ok(r.scanDate instanceof Date);
  assert.equal(r.stale.stale, true);
  assert.deepEqual(r.unknownConfigKeys, ['foo']);
  const c = oxe.health.loadOxeConfigMerged(dir);
  assert.equal(c.config.scan_max_age_days, 14);
  assert.equal(c.path, path.join(dir, '.oxe', 'config.json'));
  fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), '[]');
  assert.equal(oxe.health.loadOxeConfigMerged(dir).parseError, 'não é um objeto');
  assert.equal(oxe.health.oxePaths(dir).state, path.join(dir, '.oxe', 'STATE.md'));
  assert.equal(Object.keys(oxe.health.oxePaths(dir)).length, 36);
});

test('runDoctorChecks returns data and never throws', () => {
  const dir = tmp();
  const r = oxe.runDoctorChecks({ projectRoot: dir, packageRoot: path.join(dir, 'pkg'), nodeMajor: 8 });
  assert.equal(r.ok, false);
  const codes = r.errors.map((e) => e.code);
  assert.ok(codes.includes('NODE_VERSION'));
  assert.ok(codes.includes('PACKAGE_WORKFLOWS_MISSING'));
  assert.ok(codes.includes('PROJECT_WORKFLOWS_MISSING'));
  assert.deepEqual(Object.keys(r), [
    'ok', 'errors', 'warnings', 'node', 'workflowDiff', 'projectWorkflowsDir', 'packageWorkflowsDir',
    'config', 'validation', 'healthReport', 'workflowShape', 'securityReport',
  ]);
});

test('runDoctorChecks: drift, extra workflows and shape warnings', () => {
  const pkg = tmp();
  const dir = tmp();
  fs.mkdirSync(path.join(pkg, 'oxe', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"engines":{"node":">=18"}}');
  fs.writeFileSync(path.join(pkg, 'oxe', 'workflows', 'scan.md'), '<objective>x</objective><success>y</success>');
  fs.mkdirSync(path.join(dir, '.oxe', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.oxe', 'workflows', 'scan.md'), 'no tags');
  fs.writeFileSync(path.join(dir, '.oxe', 'workflows', 'extra.md'), 'no tags');
  let r = oxe.runDoctorChecks({ projectRoot: dir, packageRoot: pkg });
  assert.ok(r.warnings.some((w) => w.code === 'WORKFLOW_EXTRA'));
  assert.ok(r.warnings.some((w) => w.code === 'WORKFLOW_SHAPE'));
  r = oxe.runDoctorChecks({ projectRoot: dir, packageRoot: pkg, includeWorkflowLint: false });
  assert.equal(r.workflowShape, null);
  fs.rmSync(path.join(dir, '.oxe', 'workflows', 'scan.md'));
  r = oxe.runDoctorChecks({ projectRoot: dir, packageRoot: pkg });
  assert.ok(r.errors.some((e) => e.code === 'WORKFLOW_DRIFT'));
});
