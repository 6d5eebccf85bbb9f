'use strict';
// A panic or a bad argument inside the addon becomes a JS Error with a
// stable code; the process survives.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('child_process');
const path = require('path');
const native = require('../binding.js');

test('a Rust panic becomes OXE_E_PANIC and the process keeps running', () => {
  assert.throws(() => native.__debugPanic('kaboom'), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'OXE_E_PANIC');
    assert.match(e.message, /kaboom/);
    return true;
  });
  // and again: the addon is still usable after a panic
  assert.throws(() => native.__debugPanic('again'), { code: 'OXE_E_PANIC' });
  assert.equal(native.isValidEventType('RunStarted'), true);
});

test('a panic in a child process does not abort it', () => {
  const script = `const n=require(${JSON.stringify(path.join(__dirname, '..', 'binding.js'))});
    try { n.__debugPanic('x') } catch (e) { console.log(e.code) } console.log('alive')`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'OXE_E_PANIC\nalive\n');
});

test('invalid JSON across the boundary is OXE_E_JSON', () => {
  assert.throws(() => native.reduce('{not json'), { code: 'OXE_E_JSON' });
  assert.throws(() => native.compile('[1', '{}', null), { code: 'OXE_E_JSON' });
});
