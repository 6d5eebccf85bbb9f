'use strict';
// Files written by oxe-cc 1.4.0 read back identically, and what we write
// for the same inputs is byte-identical (fixture generated from upstream by
// scripts/gen-compat-fixture.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject } = require('./helpers.js');

const FIX = path.join(__dirname, 'fixtures', 'compat-1.4.0');
const inputs = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'compat-inputs.json'), 'utf8'));
const expected = JSON.parse(fs.readFileSync(path.join(FIX, 'expected-read.json'), 'utf8'));

function listFiles(dir, base = dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

test('1.4.0 event logs read back identically (root and session scope)', () => {
  for (const [session, events] of Object.entries(expected.events)) {
    assert.deepEqual(oxe.readEvents(FIX, session || null), events, `session ${session || '(none)'}`);
  }
});

test('1.4.0 journals load identically', () => {
  for (const [runId, journal] of Object.entries(expected.journals)) {
    assert.deepEqual(oxe.loadJournal(FIX, runId), journal);
  }
});

test('reduce over a 1.4.0 log gives the state 1.4.0 computes', () => {
  const state = oxe.reduce(oxe.readEvents(FIX, null));
  for (const [k, v] of Object.entries(expected.state)) {
    const ours = state[k];
    const plain = ours instanceof Map || ours instanceof Set ? [...ours] : ours;
    assert.deepEqual(plain, v, k);
  }
});

test('what we write is byte-identical to what 1.4.0 writes', () => {
  const root = tmpProject();
  for (const step of inputs.events) oxe.appendEvent(root, step.session, step.input, step.causationId);
  for (const j of inputs.journals) oxe.saveJournal(root, j.runId, j.journal);
  const fixtureFiles = listFiles(path.join(FIX, '.oxe'));
  assert.deepEqual(listFiles(path.join(root, '.oxe')), fixtureFiles);
  for (const f of fixtureFiles) {
    const a = fs.readFileSync(path.join(FIX, '.oxe', f));
    const b = fs.readFileSync(path.join(root, '.oxe', f));
    assert.ok(a.equals(b), `${f} differs:\n${b}\n---\n${a}`);
  }
});
