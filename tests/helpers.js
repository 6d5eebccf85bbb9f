'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

// Temp projects made by this test process, removed when it exits (set
// OXE_TEST_KEEP_TMP=1 to keep them for a post-mortem).
const made = [];
process.on('exit', () => {
  if (process.env.OXE_TEST_KEEP_TMP === '1') return;
  for (const dir of made) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: a busy or vanished folder is not a test failure
    }
  }
});

function tmpProject(prefix = 'oxe-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

// Collect process warnings emitted while `fn` runs (sync).
function captureWarnings(fn) {
  const seen = [];
  const orig = process.emitWarning;
  process.emitWarning = (msg, opts) => seen.push({ message: String(msg), code: opts && opts.code });
  try {
    return { result: fn(), warnings: seen };
  } finally {
    process.emitWarning = orig;
  }
}

// Small deterministic PRNG (mulberry32) for generated test data.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[int(0, arr.length - 1)];
  return { next, int, pick };
}

const NUMBERS = [0, -0, 1, -1, 0.1, 0.5, 1.5, 3, 1e21, 1e-7, 123456789.125, 2 ** 53, 2 ** 53 + 2, -(2 ** 31), 5e-324, 1.7976931348623157e308, 100, 1e20, 123e-20, NaN, Infinity, -Infinity];
const STRINGS = ['', 'a', 'ação', 'quote"d', 'back\\slash', 'tab\tnl\ncr\r', '\u0000\u001f\u007f', '\u2028\u2029', '🎉 emoji', '日本語', '</script>', 'x'.repeat(40)];
const KEYS = ['a', 'b', 'status', '0', '1', '2', '10', '01', '-1', '1.5', '4294967294', '4294967295', 'work_item_id', '', 'ü', '__proto_'];

function randomValue(r, depth = 0) {
  const roll = r.next();
  if (depth > 3 || roll < 0.35) {
    const k = r.int(0, 4);
    if (k === 0) return r.pick(NUMBERS);
    if (k === 1) return r.pick(STRINGS);
    if (k === 2) return r.next() < 0.5;
    if (k === 3) return null;
    return r.int(-1e6, 1e6) / r.pick([1, 3, 7, 1000]);
  }
  if (roll < 0.6) {
    const arr = [];
    const n = r.int(0, 5);
    for (let i = 0; i < n; i++) arr.push(randomValue(r, depth + 1));
    return arr;
  }
  const obj = {};
  const n = r.int(0, 6);
  for (let i = 0; i < n; i++) {
    const v = randomValue(r, depth + 1);
    obj[r.pick(KEYS)] = r.next() < 0.05 ? undefined : v;
  }
  return obj;
}

module.exports = { tmpProject, captureWarnings, rng, randomValue };
