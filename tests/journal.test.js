'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject, captureWarnings, rng, randomValue } = require('./helpers.js');

test('createJournal, save, load, delete', () => {
  const root = tmpProject();
  const j = oxe.createJournal('run-1');
  assert.equal(j.scheduler_state, 'running');
  oxe.saveJournal(root, 'run-1', j);
  const file = path.join(root, '.oxe', 'runs', 'run-1', 'journal.json');
  assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify(j, null, 2));
  assert.deepEqual(oxe.loadJournal(root, 'run-1'), j);
  oxe.deleteJournal(root, 'run-1');
  oxe.deleteJournal(root, 'run-1');
  assert.equal(oxe.loadJournal(root, 'run-1'), null);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), []);
});

test('property: saved files equal JSON.stringify(journal, null, 2)', () => {
  const r = rng(7);
  const root = tmpProject();
  for (let i = 0; i < 200; i++) {
    const j = { ...oxe.createJournal(`run-${i}`), extra: randomValue(r), list: [randomValue(r), randomValue(r)] };
    oxe.saveJournal(root, `run-${i}`, j);
    const text = fs.readFileSync(path.join(root, '.oxe', 'runs', `run-${i}`, 'journal.json'), 'utf8');
    assert.equal(text, JSON.stringify(j, null, 2));
  }
});

test('a corrupt journal loads as null, is moved aside and reported', () => {
  const root = tmpProject();
  const dir = path.join(root, '.oxe', 'runs', 'r');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'journal.json'), '{"run_id": "r", ');
  const { result, warnings } = captureWarnings(() => oxe.loadJournal(root, 'r'));
  assert.equal(result, null);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].code, 'OXE_W_CORRUPT_FILE');
  const names = fs.readdirSync(dir);
  assert.equal(names.length, 1);
  assert.match(names[0], /^journal\.json\.corrupt-\d+$/);
});

test('run ids that would leave .oxe/runs are rejected', () => {
  const root = tmpProject();
  assert.throws(() => oxe.saveJournal(root, '../../x', oxe.createJournal('x')), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.loadJournal(root, 5), { code: 'OXE_E_ARG' });
});
