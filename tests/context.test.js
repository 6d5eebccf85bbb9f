'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject, captureWarnings, rng } = require('./helpers.js');

function workItem(over = {}) {
  return {
    work_item_id: 'wi-001', run_id: 'r-001', title: 'Add authentication middleware', type: 'task', depends_on: [],
    mutation_scope: ['src/auth', 'src/middleware'], policy_ref: null, verify_ref: [], status: 'ready', workspace_strategy: 'inplace', ...over,
  };
}

function evidence(id, type = 'stdout') {
  return { evidence_id: id, attempt_id: 'a-001', type, path: `.oxe/evidence/${id}.txt`, checksum: 'abc', created_at: '2026-01-01T00:00:00.000Z' };
}

test('profiles: the 1.4.0 table, one live object', () => {
  assert.deepEqual(Object.keys(oxe.DEFAULT_PROFILES), ['execute', 'verify', 'plan', 'review', 'debug', 'migration']);
  assert.deepEqual(oxe.DEFAULT_PROFILES.review, {
    decision_type: 'review', artifact_kind_weights: { evidence: 0.6, lesson: 0.5, file: 0.8, summary: 0.5 },
    quality_threshold: 0.55, max_artifacts: 20, max_tokens: 8000,
  });
  assert.equal(oxe.getProfile('plan'), oxe.DEFAULT_PROFILES.plan);
  assert.equal(oxe.getProfile('plan'), oxe.getProfile('plan'));
  assert.equal(oxe.getProfile('nope'), undefined);
  assert.ok(Object.keys(require('..')).includes('DEFAULT_PROFILES'));
});

test('build: scores, order, summary and artifact objects', () => {
  const state = oxe.createEmptyRunState();
  state.completedWorkItems.add('a').add('b');
  state.failedWorkItems.add('c');
  const lesson = { lesson_id: 'l-1', title: 'Auth', tags: ['auth', 'Middleware'], content: 'Use JWT middleware for authentication.' };
  const contents = new Map([['src/auth-junit', 'All auth tests passed.'], ['other', 'Some other output entirely.']]);
  const pack = new oxe.ContextPackBuilder().build(workItem(), state, [evidence('src/auth-junit', 'junit_xml'), evidence('other'), evidence('missing')], contents, [lesson]);
  assert.deepEqual(Object.keys(pack), ['work_item_id', 'artifacts', 'total_artifacts_considered', 'redundancy_removed', 'built_at']);
  assert.equal(pack.total_artifacts_considered, 4);
  assert.deepEqual(pack.artifacts.map((a) => [a.id, a.kind, a.relevanceScore]), [
    ['src/auth-junit', 'evidence', 0.5 + 0.3 + 0.05],
    ['other', 'evidence', 0.5],
    ['l-1', 'lesson', 0.3 + (1 / 5) * 0.7],
    ['run-summary-r-001', 'summary', 0.4],
  ]);
  assert.deepEqual(pack.artifacts[0].tags, ['junit_xml', 'wi-001']);
  assert.equal(pack.artifacts[2].tags, lesson.tags, 'lesson tags are the caller\'s array');
  assert.deepEqual(pack.artifacts[3], { id: 'run-summary-r-001', kind: 'summary', content: 'Run progress: 2 completed, 1 failed, 0 blocked.', relevanceScore: 0.4, tags: ['run-context'] });
  assert.ok(Math.abs(Date.parse(pack.built_at) - Date.now()) < 5000);
});

test('build: token budget counts UTF-16 units and stops at the first artifact over budget', () => {
  const ev = [evidence('a-diff', 'diff'), evidence('b'), evidence('c')];
  const contents = new Map([['a-diff', '🎉'.repeat(20)], ['b', 'x'.repeat(400)], ['c', 'z']]);
  const pack = new oxe.ContextPackBuilder({ maxTokensEstimate: 10 }).build(workItem(), oxe.createEmptyRunState(), ev, contents, []);
  assert.deepEqual(pack.artifacts.map((a) => a.id), ['a-diff']);
  const total = pack.artifacts.reduce((s, a) => s + Math.ceil(a.content.length / 4), 0);
  assert.equal(total, 10);
});

test('build: near-duplicates are dropped, options behave like 1.4.0', () => {
  const content = 'All auth middleware tests passed successfully and authentication is working.';
  const contents = new Map([['ev-1', content], ['ev-2', `${content} (same)`]]);
  const ev = [evidence('ev-1'), evidence('ev-2')];
  const st = oxe.createEmptyRunState();
  const pack = new oxe.ContextPackBuilder({ deduplicateThreshold: 0.7 }).build(workItem(), st, ev, contents, []);
  assert.equal(pack.redundancy_removed, 1);
  assert.equal(pack.artifacts.length, 1);
  const many = Array.from({ length: 10 }, (_, i) => evidence(`ev-${i}`));
  const mc = new Map(many.map((e, i) => [e.evidence_id, `Content item${i} words${i}`]));
  assert.equal(new oxe.ContextPackBuilder({ maxArtifacts: 2 }).build(workItem(), st, many, mc, []).artifacts.length, 2);
  assert.equal(new oxe.ContextPackBuilder({ maxArtifacts: -3 }).build(workItem(), st, many, mc, []).artifacts.length, 7);
  assert.equal(new oxe.ContextPackBuilder({ maxArtifacts: null }).build(workItem(), st, many, mc, []).artifacts.length, 0);
  assert.equal(new oxe.ContextPackBuilder({ deduplicateThreshold: NaN }).build(workItem(), st, ev, contents, []).redundancy_removed, 0);
  const b = new oxe.ContextPackBuilder();
  b.opts = { maxArtifacts: 1 };
  assert.equal(b.build(workItem(), st, many, mc, []).artifacts.length, 1, 'opts are read at build time');
});

test('build: bad input gives OXE_E_ARG', () => {
  const b = new oxe.ContextPackBuilder();
  const st = oxe.createEmptyRunState();
  assert.throws(() => b.build(workItem(), st, [], {}, []), { code: 'OXE_E_ARG' });
  assert.throws(() => b.build(workItem(), { completedWorkItems: [] }, [], new Map(), []), { code: 'OXE_E_ARG' });
  assert.throws(() => b.build(workItem({ title: undefined }), st, [], new Map(), [{ lesson_id: 'l', tags: [], content: 'x' }]), { code: 'OXE_E_ARG' });
  assert.throws(() => b.build(workItem(), st, [], new Map(), [{ lesson_id: 'l', tags: 'auth', content: 'x' }]), { code: 'OXE_E_ARG' });
  assert.doesNotThrow(() => b.buildLightweight(workItem({ title: undefined }), st, []));
});

test('scorePackQuality and filterByMutationScope', () => {
  const now = new Date().toISOString();
  const pack = { work_item_id: 'T', artifacts: [
    { id: '1', kind: 'evidence', content: 'a', relevanceScore: 0.8, tags: ['src/api/x.ts'] },
    { id: '2', kind: 'lesson', content: 'b', relevanceScore: 0.6, tags: ['src/other/y.ts'] },
    { id: '3', kind: 'evidence', content: 'c', relevanceScore: 0.4, tags: ['junit'] },
  ], total_artifacts_considered: 6, redundancy_removed: 1, built_at: now };
  const q = oxe.scorePackQuality(pack, oxe.getProfile('execute'));
  assert.deepEqual(Object.keys(q), ['completeness', 'relevance_mean', 'redundancy', 'recency_score', 'overall']);
  assert.equal(q.completeness, 0.5);
  assert.equal(q.relevance_mean, 0.6);
  assert.equal(q.redundancy, 0.5);
  assert.equal(q.recency_score, 1);
  assert.equal(q.overall, Math.round((0.15 + 0.35 * 0.6 + 0.05 + 0.25) * 100) / 100);
  assert.equal(oxe.scorePackQuality({ ...pack, built_at: new Date(Date.now() - 48 * 3600e3).toISOString() }, oxe.getProfile('execute')).recency_score, 0);
  assert.ok(Number.isNaN(oxe.scorePackQuality({ ...pack, built_at: 'not a date' }, oxe.getProfile('execute')).overall));

  const b = new oxe.ContextPackBuilder();
  assert.equal(b.filterByMutationScope(pack.artifacts, ['src/api'], 'L3'), pack.artifacts);
  const kept = b.filterByMutationScope(pack.artifacts, ['SRC/API'], 'L1');
  assert.deepEqual(kept.map((a) => a.id), ['1', '3']);
  assert.equal(kept[0], pack.artifacts[0]);
});

test('store: savePack files and index are what 1.4.0 writes; upsert, stale, list', () => {
  const root = tmpProject();
  const pack = { work_item_id: 'T1', artifacts: [{ id: 'a1', kind: 'evidence', content: 'test output 🎉', relevanceScore: 0.9, tags: [] }], total_artifacts_considered: 5, redundancy_removed: 3, built_at: '2026-01-01T00:00:00.000Z' };
  const meta = oxe.savePack(root, 'run-1', pack);
  assert.deepEqual(meta, { pack_id: 'cp-run-1-T1', work_item_id: 'T1', run_id: 'run-1', built_at: pack.built_at, artifact_count: 1, estimated_tokens: 4, stale: false, stale_reason: null });
  const dir = path.join(root, '.oxe', 'runs', 'run-1');
  assert.equal(fs.readFileSync(path.join(dir, 'context-pack-T1.json'), 'utf8'), JSON.stringify(pack, null, 2));
  assert.deepEqual(oxe.loadPack(root, 'run-1', 'T1'), pack);
  assert.equal(oxe.loadPack(root, 'run-1', 'T9'), null);
  oxe.savePack(root, 'run-1', { ...pack, work_item_id: 'T2' });
  oxe.savePack(root, 'run-1', { ...pack, artifacts: [] });
  oxe.markStale(root, 'run-1', 'T2', 'T1 changed');
  oxe.markStale(root, 'run-1', 'T9', 'unknown: no-op');
  const index = oxe.listPackMeta(root, 'run-1');
  assert.deepEqual(index.map((m) => [m.work_item_id, m.artifact_count, m.stale, m.stale_reason]), [['T1', 0, false, null], ['T2', 1, true, 'T1 changed']]);
  assert.equal(fs.readFileSync(path.join(dir, 'context-packs.index.json'), 'utf8'), JSON.stringify(index, null, 2));
  assert.equal(oxe.isStale(root, 'run-1', 'T2'), true);
  assert.equal(oxe.isStale(root, 'run-1', 'T9'), false);
  assert.deepEqual(oxe.listPackMeta(root, 'none'), []);
});

test('store: diffPacks, refs', () => {
  const a = { work_item_id: 'T4', artifacts: [{ id: 'a1', relevanceScore: 0.9 }, { id: 'a2', relevanceScore: 0.6 }] };
  const b = { work_item_id: 'T4', artifacts: [{ id: 'a1', relevanceScore: 0.5 }, { id: 'a3', relevanceScore: 0.8 }, { id: 'a2', relevanceScore: 0.64 }] };
  assert.deepEqual(oxe.diffPacks(a, b), { added: ['a3'], removed: [], score_changed: [{ id: 'a1', before: 0.9, after: 0.5 }] });
  assert.deepEqual(oxe.diffPacks(a, a), { added: [], removed: [], score_changed: [] });

  const root = tmpProject();
  const quality = { completeness: 1, relevance_mean: 0.5, redundancy: 0, recency_score: 1, overall: 0.8 };
  const ref = oxe.linkPackToAttempt(root, 'run-1', 'T4-a1', a, quality);
  assert.deepEqual(Object.keys(ref), ['ref_id', 'pack_id', 'attempt_id', 'work_item_id', 'run_id', 'artifacts_used', 'quality', 'linked_at']);
  assert.equal(ref.quality, quality);
  assert.deepEqual(ref.artifacts_used, ['a1', 'a2']);
  assert.equal(ref.pack_id, 'cp-run-1-T4');
  assert.deepEqual(oxe.getPackRefForAttempt(root, 'run-1', 'T4-a1'), ref);
  assert.equal(fs.readFileSync(path.join(root, '.oxe/runs/run-1/context-ref-T4-a1.json'), 'utf8'), JSON.stringify(ref, null, 2));
  assert.equal(oxe.getPackRefForAttempt(root, 'run-1', 'nope'), null);
});

test('store: corrupt files and bad ids', () => {
  const root = tmpProject();
  const dir = path.join(root, '.oxe', 'runs', 'r');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'context-packs.index.json'), '{"not": "an array"}');
  const pack = { work_item_id: 'T1', artifacts: [], total_artifacts_considered: 0, redundancy_removed: 0, built_at: 'x' };
  const { warnings } = captureWarnings(() => oxe.savePack(root, 'r', pack));
  assert.deepEqual(warnings.map((w) => w.code), ['OXE_W_CORRUPT_FILE']);
  assert.equal(oxe.listPackMeta(root, 'r').length, 1);
  fs.writeFileSync(path.join(dir, 'context-pack-T1.json'), '{"work_item_id": "T1", ');
  const { result } = captureWarnings(() => oxe.loadPack(root, 'r', 'T1'));
  assert.equal(result, null);
  assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('context-pack-T1.json.corrupt-')));

  assert.throws(() => oxe.savePack(root, 'r', { ...pack, work_item_id: '../../../../escape' }), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.savePack(root, '../x', pack), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.savePack(root, 'r', { ...pack, work_item_id: 7 }), { code: 'OXE_E_ARG' });
  assert.throws(() => oxe.linkPackToAttempt(root, 'r', '../../a', pack, {}), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.isStale(root, 'r', null), { code: 'OXE_E_ARG' });
});

test('property: build keeps every invariant on random input', () => {
  const r = rng(5);
  const words = ['auth', 'middleware', 'tests', 'ação', 'token', 'cache', 'deploy', 'x', 'K\u212Aelvin', 'emoji🎉'];
  const text = (n) => Array.from({ length: n }, () => r.pick(words)).join(r.pick([' ', '\n', '\u00a0', '-']));
  for (let i = 0; i < 200; i++) {
    const st = oxe.createEmptyRunState();
    if (r.next() < 0.5) st.completedWorkItems.add('x');
    const ev = Array.from({ length: r.int(0, 8) }, (_, k) => evidence(`ev-${k}-${r.pick(words)}`, r.pick(['stdout', 'diff', 'junit_xml'])));
    const contents = new Map(ev.map((e) => [e.evidence_id, text(r.int(0, 30))]));
    const lessons = Array.from({ length: r.int(0, 6) }, (_, k) => ({ lesson_id: `l${k}`, title: 't', tags: [r.pick(words)], content: text(r.int(1, 20)) }));
    const opts = { maxArtifacts: r.int(1, 10), maxTokensEstimate: r.int(5, 200), deduplicateThreshold: r.pick([0.5, 0.85, 1]) };
    const pack = new oxe.ContextPackBuilder(opts).build(workItem({ title: text(3) }), st, ev, contents, lessons);
    assert.ok(pack.artifacts.length <= opts.maxArtifacts);
    assert.ok(pack.artifacts.reduce((s, a) => s + Math.ceil(a.content.length / 4), 0) <= opts.maxTokensEstimate);
    for (let k = 1; k < pack.artifacts.length; k++) assert.ok(pack.artifacts[k - 1].relevanceScore >= pack.artifacts[k].relevanceScore);
    assert.ok(pack.artifacts.length + pack.redundancy_removed <= pack.total_artifacts_considered);
    const q = oxe.scorePackQuality(pack, oxe.getProfile('debug'));
    for (const v of Object.values(q)) assert.ok(v >= 0 && v <= 1);
  }
});
