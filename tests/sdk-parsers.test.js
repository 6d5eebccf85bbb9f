'use strict';
// The SDK's top level (the 27 own keys of oxe-cc 1.4.0) and its readers of
// PLAN.md, SPEC.md, STATE.md, DISCUSS.md, hypotheses, confidence vectors
// and lessons metrics. The readers are compared with the answers oxe-cc
// 1.4.0 itself gave on the same inputs (tests/fixtures/parsers/goldens.json,
// made by scripts/gen-parser-goldens.js), in three time zones because
// STATE.md dates can be local dates.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'parsers');
const sdk = require(ROOT);
const goldens = require('./fixtures/parsers/goldens.json');

const KEYS_1_4_0 = [
  'version', 'name', 'PACKAGE_ROOT', 'readPackageMeta', 'readMinNode', 'parsePlan', 'parseSpec',
  'parseHypotheses', 'parseConfidenceVector', 'parseState', 'validateDecisionFidelity',
  'parseLessonsMetrics', 'updateLessonMetric', 'deprecateLowEffectiveness', 'health', 'workflows',
  'install', 'manifest', 'agents', 'security', 'plugins', 'dashboard', 'operational', 'context',
  'runtimeSemantics', 'azure', 'runDoctorChecks',
];

for (const tz of ['UTC', 'Asia/Tokyo', 'America/Sao_Paulo']) {
  test(`readers answer as oxe-cc 1.4.0 did (TZ=${tz})`, () => {
    const r = spawnSync(process.execPath, [path.join(FIXTURES, 'run-cases.js'), ROOT], {
      encoding: 'utf8',
      env: { ...process.env, TZ: tz },
    });
    assert.equal(r.status, 0, r.stderr);
    const ours = JSON.parse(r.stdout);
    const expected = { ...goldens.UTC, ...goldens[tz] };
    assert.ok(Object.keys(expected).length >= 80);
    for (const [id, want] of Object.entries(expected)) {
      assert.deepEqual(ours[id], want, `case ${id}`);
    }
  });
}

test('the SDK keeps the 27 own keys of 1.4.0 in order, then the runtime', () => {
  const keys = Object.keys(sdk);
  assert.deepEqual(keys.slice(0, 27), KEYS_1_4_0);
  // our own SDK namespaces beyond 1.4.0's object, then the runtime
  assert.deepEqual(keys.slice(27, 28), ['npmVersion']);
  const runtime = require(path.join(ROOT, 'lib', 'runtime', 'index.js'));
  assert.deepEqual(keys.slice(28), Object.keys(runtime));
  assert.equal(sdk.name, 'oxe-cc');
  assert.equal(sdk.version, require(path.join(ROOT, 'package.json')).version);
  assert.equal(sdk.PACKAGE_ROOT, ROOT);
  for (const ns of ['health', 'workflows', 'install', 'manifest', 'agents', 'security', 'plugins', 'dashboard', 'operational', 'context', 'runtimeSemantics', 'azure']) {
    assert.equal(typeof sdk[ns], 'object', ns);
  }
  assert.equal(sdk.context.parseHypotheses, sdk.parseHypotheses);
  assert.equal(sdk.context.parseConfidenceVector, sdk.parseConfidenceVector);
});

test('a non-string where 1.4.0 needs a string is a TypeError', () => {
  for (const [fn, args] of [
    ['parsePlan', [undefined]],
    ['parsePlan', [42]],
    ['parseSpec', [null]],
    ['parseState', [{}]],
    ['validateDecisionFidelity', [undefined, '']],
    ['validateDecisionFidelity', ['## Decisões\n| D-01 | x |\n', undefined]],
  ]) {
    assert.throws(() => sdk[fn](...args), TypeError, fn);
  }
  assert.throws(() => sdk.health.parseStatePhase(undefined), TypeError);
  // String objects are strings; parseHypotheses / parseConfidenceVector coerce
  assert.equal(sdk.parsePlan(new String('### T1 — x\n')).totalTasks, 1);
  assert.deepEqual(sdk.parseHypotheses(undefined), []);
  assert.equal(sdk.parseConfidenceVector(0), null);
  assert.equal(sdk.health.parseActiveSession(''), null);
  // validateDecisionFidelity reads the plan only when there are decisions
  assert.deepEqual(sdk.validateDecisionFidelity('no table', undefined), { ok: true, gaps: [], covered: [] });
});

test('plans: tasks, waves as an object keyed by number, meta and done', () => {
  const md = fs.readFileSync(path.join(FIXTURES, 'plan-realistic.md'), 'utf8');
  const p = sdk.parsePlan(md);
  assert.deepEqual(p.tasks.map((t) => t.id), ['T1', 'T2', 'T3', 'T10', 'T12']);
  assert.deepEqual(p.waves, { 1: ['T1'], 2: ['T2', 'T3'], 3: ['T10'] });
  assert.equal(p.tasks[0].done, true);
  assert.deepEqual(p.tasks[2].meta, { id: 'T3', wave: 2, done: false, meta: { owner: 'api' } });
  // T11 has no dash, so its lines belong to nothing and T10 ends at its heading
  assert.equal(p.tasks[3].wave, 3);
  assert.deepEqual(p.tasks[3].dependsOn, ['T2']);
  assert.deepEqual(Object.keys(p.tasks[0]), ['id', 'title', 'wave', 'dependsOn', 'files', 'verifyCommand', 'aceite', 'decisions', 'done', 'meta']);
});

test('lessons: updates copy, untouched lessons keep their identity', () => {
  const lessons = sdk.parseLessonsMetrics(fs.readFileSync(path.join(FIXTURES, 'lessons-metrics.json'), 'utf8'));
  const before = JSON.stringify(lessons);
  const outcome = { cycle: 'C-09', verify_status: 'failed' };
  const updated = sdk.updateLessonMetric(lessons, 'L-02', outcome);
  assert.equal(JSON.stringify(lessons), before, 'input untouched');
  assert.notEqual(updated, lessons);
  assert.equal(updated[0], lessons[0]);
  assert.notEqual(updated[1], lessons[1]);
  assert.equal(updated[1].outcomes[3], outcome);
  assert.equal(updated[1].success_rate, 0.25);
  assert.equal(updated[1].status, 'deprecated');
  assert.deepEqual(updated[1].applied_cycles, ['C-02', 'C-03', 'C-04', 'C-09']);
  const dep = sdk.deprecateLowEffectiveness(lessons);
  assert.equal(dep[0], lessons[0]);
  assert.equal(dep[2], lessons[2]);
  assert.equal(dep[1].status, 'deprecated');
  assert.throws(() => sdk.updateLessonMetric([{ id: 'X' }], 'X', { cycle: 'C' }), TypeError);
  assert.deepEqual(sdk.parseLessonsMetrics(Symbol('x')), []);
});

test('STATE.md dates come back as Date objects', () => {
  const state = fs.readFileSync(path.join(FIXTURES, 'state-filled.md'), 'utf8');
  const d = sdk.health.parseLastScanDate(state);
  assert.ok(d instanceof Date);
  assert.equal(d.toISOString(), '2026-03-28T00:00:00.000Z');
  assert.equal(sdk.health.parseLastScanDate('## Último scan\n- **Data:** (pending)\n'), null);
  assert.equal(sdk.health.parseActiveSession(state), 'sessions/s002-password-reset');
});

test('readPackageMeta and readMinNode read any package.json, with 1.4.0 fallbacks', () => {
  const dir = tmpProject('oxe-sdk-pkg-');
  assert.deepEqual(sdk.readPackageMeta(dir), { version: '0.0.0', name: 'oxe-cc' });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: 3, engines: { node: '>= 20.1' } }));
  assert.deepEqual(sdk.readPackageMeta(dir), { version: '3', name: 'x' });
  assert.equal(sdk.readMinNode(dir), 20);
  assert.equal(sdk.readMinNode(), 18);
  fs.writeFileSync(path.join(dir, 'package.json'), '{');
  assert.deepEqual(sdk.readPackageMeta(dir), { version: '0.0.0', name: 'oxe-cc' });
  assert.equal(sdk.readMinNode(dir), 18);
  assert.equal(sdk.readPackageMeta().version, sdk.version);
});

