'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject } = require('./helpers.js');

const opts = { work_item_id: 'T1', run_id: 'r001', attempt_number: 1 };
const attemptDir = (root, o = opts) => path.join(root, '.oxe', 'evidence', 'runs', o.run_id, o.work_item_id, `attempt-${o.attempt_number}`);

test('EvidenceStore has the upstream shape and async methods return Promises', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  assert.deepEqual(Object.keys(store), ['projectRoot']);
  assert.equal(store.projectRoot, root);
  const p = store.list(opts);
  assert.ok(p instanceof Promise);
  assert.deepEqual(await p, []);
  const bad = store.collect('stdout', 'x', { ...opts, run_id: '../../escape' });
  assert.ok(bad instanceof Promise, 'a bad id rejects instead of throwing');
  await assert.rejects(bad, { code: 'OXE_E_PATH' });
});

test('collect writes the artifact and an index byte-identical to 1.4.0', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  const a = await store.collect('stdout', 'hello world', opts);
  const b = await store.collect('stdout', Buffer.from('second'), opts);
  const c = await store.collect('junit_xml', '<xml/>', opts);
  const d = await store.collect('custom_thing', Buffer.from([0, 1, 2]), opts);
  assert.deepEqual(Object.keys(a), ['evidence_id', 'attempt_id', 'type', 'path', 'checksum', 'created_at']);
  assert.equal(a.evidence_id, 'ev-r001-T1-a1-stdout-1');
  assert.equal(b.evidence_id, 'ev-r001-T1-a1-stdout-2');
  assert.equal(a.attempt_id, 'T1-a1');
  assert.equal(a.path, path.join('.oxe', 'evidence', 'runs', 'r001', 'T1', 'attempt-1', 'stdout.txt'));
  assert.ok(b.path.endsWith('stdout-2.txt'));
  assert.ok(c.path.endsWith('junit_xml.xml'));
  assert.ok(d.path.endsWith('custom_thing.bin'));
  assert.equal(a.checksum, require('crypto').createHash('sha256').update('hello world').digest('hex').slice(0, 16));
  assert.match(a.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(fs.readFileSync(path.join(root, a.path), 'utf8'), 'hello world');
  const index = fs.readFileSync(path.join(attemptDir(root), 'index.json'), 'utf8');
  assert.equal(index, JSON.stringify([a, b, c, d], null, 2));
  assert.deepEqual(await store.list(opts), [a, b, c, d]);
  const names = fs.readdirSync(attemptDir(root)).filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(names, [], 'no temp file is left behind');
});

test('get returns a real Buffer; unknown ids and missing artifacts give null', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
  const ev = await store.collect('screenshot', png, opts);
  const got = await store.get(ev.evidence_id, opts);
  assert.ok(Buffer.isBuffer(got.content));
  assert.deepEqual(got.content, png);
  assert.deepEqual(got.evidence, ev);
  assert.equal(await store.get('ev-nope', opts), null);
  assert.equal(await store.get(ev.evidence_id, { ...opts, attempt_number: 2 }), null);
  fs.rmSync(path.join(root, ev.path));
  assert.equal(await store.get(ev.evidence_id, opts), null);
});

test('ids that would leave .oxe/evidence are rejected with OXE_E_PATH and nothing is written', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  const bad = [
    { ...opts, run_id: '../x' },
    { ...opts, run_id: '/etc' },
    { ...opts, work_item_id: 'a/../../..' },
    { ...opts, work_item_id: 'T\0' },
    { ...opts, attempt_number: '1/../../../../x' },
  ];
  for (const o of bad) {
    await assert.rejects(store.collect('stdout', 'x', o), { code: 'OXE_E_PATH' }, JSON.stringify(o));
    await assert.rejects(store.list(o), { code: 'OXE_E_PATH' });
    await assert.rejects(store.get('ev', o), { code: 'OXE_E_PATH' });
  }
  await assert.rejects(store.collect('../../x', 'x', opts), { code: 'OXE_E_PATH' });
  await assert.rejects(store.listByRun('../..'), { code: 'OXE_E_PATH' });
  await assert.rejects(store.collect('stdout', 'x', { run_id: 1, work_item_id: 'T', attempt_number: 1 }), { code: 'OXE_E_ARG' });
  assert.deepEqual(fs.readdirSync(root), []);
});

test('an index entry pointing outside .oxe/evidence is refused; Windows separators are read', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  const ev = await store.collect('log', 'abc', opts);
  fs.writeFileSync(path.join(root, 'secret.txt'), 'do not read');
  const file = path.join(attemptDir(root), 'index.json');
  fs.writeFileSync(file, JSON.stringify([
    { ...ev, evidence_id: 'evil', path: 'secret.txt' },
    { ...ev, evidence_id: 'evil2', path: '../../../../etc/passwd' },
    { ...ev, evidence_id: 'win', path: ev.path.split(path.sep).join('\\') },
  ], null, 2));
  await assert.rejects(store.get('evil', opts), { code: 'OXE_E_PATH' });
  await assert.rejects(store.get('evil2', opts), { code: 'OXE_E_PATH' });
  assert.equal((await store.get('win', opts)).content.toString(), 'abc');
});

test('a corrupt index is moved aside and reported; collect keeps working', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  fs.mkdirSync(attemptDir(root), { recursive: true });
  fs.writeFileSync(path.join(attemptDir(root), 'index.json'), '[{"evidence_id": ');
  const seen = [];
  const orig = process.emitWarning;
  process.emitWarning = (msg, o) => seen.push(o && o.code);
  try {
    assert.deepEqual(await store.list(opts), []);
    const ev = await store.collect('stdout', 'x', opts);
    assert.equal(ev.evidence_id, 'ev-r001-T1-a1-stdout-1');
  } finally {
    process.emitWarning = orig;
  }
  assert.deepEqual(seen, ['OXE_W_CORRUPT_FILE']);
  assert.ok(fs.readdirSync(attemptDir(root)).some((n) => n.startsWith('index.json.corrupt-')));
});

test('listByRun walks work items and attempts in byte order and skips strays', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  await store.collect('diff', 'd', { work_item_id: 'T2', run_id: 'r', attempt_number: 1 });
  await store.collect('stdout', 'o', { work_item_id: 'T1', run_id: 'r', attempt_number: 2 });
  await store.collect('stdout', 'o', { work_item_id: 'T1', run_id: 'r', attempt_number: 10 });
  fs.writeFileSync(path.join(root, '.oxe', 'evidence', 'runs', 'r', 'stray.txt'), 'x');
  const all = await store.listByRun('r');
  assert.deepEqual(all.map((e) => e.evidence_id), ['ev-r-T1-a10-stdout-1', 'ev-r-T1-a2-stdout-1', 'ev-r-T2-a1-diff-1']);
  assert.deepEqual(await store.listByRun('none'), []);
});

test('processes collecting into one attempt at once never lose an index entry', () => {
  const root = tmpProject();
  const script = `
    const { EvidenceStore } = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const store = new EvidenceStore(process.argv[1]);
    (async () => {
      for (let i = 0; i < 15; i++) await store.collect('stdout', 'p' + process.argv[2] + '-' + i, { work_item_id: 'T', run_id: 'r', attempt_number: 1 });
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const { spawn } = require('child_process');
  const kids = [0, 1, 2, 3].map((k) => spawn(process.execPath, ['-e', script, root, String(k)], { stdio: 'inherit' }));
  return Promise.all(kids.map((c) => new Promise((res) => c.on('exit', res)))).then(async (codes) => {
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const items = await new oxe.EvidenceStore(root).list({ work_item_id: 'T', run_id: 'r', attempt_number: 1 });
    assert.equal(items.length, 60);
    assert.equal(new Set(items.map((e) => e.path)).size, 60);
    const dir = path.join(root, '.oxe', 'evidence', 'runs', 'r', 'T', 'attempt-1');
    const contents = new Set(items.map((e) => fs.readFileSync(path.join(root, e.path), 'utf8')));
    assert.equal(contents.size, 60);
    assert.ok(fs.readdirSync(dir).every((n) => !n.endsWith('.tmp')));
  });
});

test('files written by 1.4.0 are read back', async () => {
  const root = tmpProject();
  const dir = attemptDir(root);
  fs.mkdirSync(dir, { recursive: true });
  const rel = path.join('.oxe', 'evidence', 'runs', 'r001', 'T1', 'attempt-1', 'log.txt');
  fs.writeFileSync(path.join(root, rel), 'from 1.4.0');
  const item = { evidence_id: 'ev-r001-T1-a1-log-1', attempt_id: 'T1-a1', type: 'log', path: rel, checksum: '0123456789abcdef', created_at: '2026-01-01T00:00:00.000Z' };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify([item], null, 2));
  const store = new oxe.EvidenceStore(root);
  assert.deepEqual(await store.list(opts), [item]);
  assert.equal((await store.get(item.evidence_id, opts)).content.toString(), 'from 1.4.0');
  const next = await store.collect('log', 'more', opts);
  assert.equal(next.evidence_id, 'ev-r001-T1-a1-log-2');
});
