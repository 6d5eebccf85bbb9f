'use strict';
// SDK namespace `context` (Context Engine V2): key order and the pure
// members. Packs and `oxe-cc context` are in cli-context-build.test.js.
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { tmpProject } = require('./helpers.js');
const sdk = require('..');
const context = require('../lib/sdk/context.js');

test('context namespace: 1.4.0 key order, parsers shared with the top level', () => {
  assert.deepStrictEqual(Object.keys(context), [
    'contextPaths', 'resolveArtifactCandidates', 'buildProjectSummary', 'buildSessionSummary', 'buildPhaseSummary',
    'buildContextIndex', 'buildContextPack', 'inspectContextPack', 'buildAllContextPacks', 'computeContextQuality',
    'computePackFreshness', 'resolvePackFile', 'summarizeText', 'extractSemanticFragment', 'parseHypotheses',
    'parseConfidenceVector',
  ]);
  assert.strictEqual(context.parseHypotheses, sdk.parseHypotheses);
  assert.strictEqual(context.parseConfidenceVector, sdk.parseConfidenceVector);
  assert.strictEqual(sdk.context, context);
});

test('computeContextQuality scores gaps, conflicts and fallbacks', () => {
  const q = context.computeContextQuality({ selected_artifacts: [{ alias: 'state' }] });
  assert.deepStrictEqual(q, { score: 100, status: 'excellent', requiredMissing: 0, optionalMissing: 0, conflicts: 0, fallbackCount: 0 });
  const q2 = context.computeContextQuality({
    selected_artifacts: [{ using_fallback: true }],
    gaps: [{ severity: 'critical' }, { severity: 'warning' }],
    conflicts: [{}],
  });
  assert.strictEqual(q2.score, 52);
  assert.strictEqual(q2.status, 'fragile');
  assert.strictEqual(context.computeContextQuality({}).score, 60);
});

test('computePackFreshness gives the first applicable reason', () => {
  const now = new Date().toISOString();
  assert.strictEqual(context.computePackFreshness({ generated_at: now, selected_artifacts: [] }, {}).reason, 'fresh');
  const old = new Date(Date.now() - 13 * 3600e3).toISOString();
  const f = context.computePackFreshness({ generated_at: old, selected_artifacts: [] });
  assert.deepStrictEqual([f.stale, f.reason, f.pack_age_hours, f.max_pack_age_hours], [true, 'pack_age_exceeded', 13, 12]);
  const later = new Date(Date.now() + 60e3).toISOString();
  const s = context.computePackFreshness({ generated_at: now, selected_artifacts: [{ updated_at: later }] }, { freshness_policy: { pack_max_age_hours: 1 } });
  assert.strictEqual(s.reason, 'source_newer_than_pack');
  assert.strictEqual(s.latest_source_at, later);
  const fb = context.computePackFreshness({ fallback_required: true });
  assert.deepStrictEqual([fb.generated_at, fb.pack_age_hours, fb.reason], [null, null, 'fallback_required']);
});

test('contextPaths: session from STATE.md, sanitised keys, pack helpers', () => {
  const dir = tmpProject('oxe-ctx-paths-');
  fs.mkdirSync(path.join(dir, '.oxe'));
  fs.writeFileSync(path.join(dir, '.oxe', 'STATE.md'), '**active_session:** sessions/s001 demo\n');
  const p = context.contextPaths(dir);
  const packs = path.join(dir, '.oxe', 'context', 'packs');
  assert.strictEqual(p.activeSession, 'sessions/s001 demo');
  assert.strictEqual(p.sessionPackJson('plan'), path.join(packs, 'session-s001-demo-plan.json'));
  assert.strictEqual(p.defaultPackMd('plan'), path.join(packs, 'plan.md'));
  assert.strictEqual(p.phase, 'unknown');
  const none = context.contextPaths(dir, null);
  assert.strictEqual(none.activeSession, null);
  assert.strictEqual(none.sessionSummaryJson, null);
  assert.strictEqual(none.sessionPackJson('plan'), null);
});

test('summarizeText keeps the first lines and cuts with an ellipsis', () => {
  assert.strictEqual(context.summarizeText('  a\r\n\n b \nc', 640, 2), 'a b');
  assert.strictEqual(context.summarizeText('abcdef', 4), 'abc…');
  assert.strictEqual(context.summarizeText(null), '');
});

test('extractSemanticFragment keeps critical and intent sections in document order', () => {
  const md = `# Title\n\nintro\n\n## Misc\n\n${'x'.repeat(300)}\n\n## Onda 1\n\nT1\n\n## Notes\n\nBLOQUEADO: db\n`;
  const out = context.extractSemanticFragment(md, { intent: 'execution_input', maxChars: 200 });
  assert.match(out, /## Onda 1\nT1/);
  assert.match(out, /BLOQUEADO: db/);
  assert.ok(out.indexOf('## Onda 1') < out.indexOf('## Notes'));
  assert.ok(out.length <= 200);
  assert.strictEqual(context.extractSemanticFragment('no headings\nhere'), 'no headings here');
  assert.strictEqual(context.extractSemanticFragment(''), '');
  const custom = context.extractSemanticFragment(`## A\n\n${'a'.repeat(250)}\n\n## B\n\nMARK`, { maxChars: 200, preserveMarkers: ['MARK'] });
  assert.match(custom, /^## A\na+…\n\n## B\nMARK$/);
});

test('resolvePackFile prefers an existing session pack', () => {
  const dir = tmpProject('oxe-ctx-pack-');
  const packs = path.join(dir, '.oxe', 'context', 'packs');
  assert.strictEqual(context.resolvePackFile(dir, 'plan', 'sessions/s1'), path.join(packs, 'plan.json'));
  fs.mkdirSync(packs, { recursive: true });
  fs.writeFileSync(path.join(packs, 'session-s1-plan.json'), '{}');
  assert.strictEqual(context.resolvePackFile(dir, 'plan', 'sessions/s1'), path.join(packs, 'session-s1-plan.json'));
  assert.strictEqual(context.resolvePackFile(dir, 'plan', null), path.join(packs, 'plan.json'));
});
