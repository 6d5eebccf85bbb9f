#!/usr/bin/env node
'use strict';
// Regenerates tests/fixtures/compat-1.4.0 from the upstream oxe-cc 1.4.0
// runtime: it extracts upstream from a git mirror into a temp dir, feeds it
// the inputs in tests/fixtures/compat-inputs.json, and saves only the files
// upstream wrote plus what upstream reads back. Nothing of upstream is
// committed; the outputs are our test data.
//
// Usage: node scripts/gen-compat-fixture.js --mirror <upstream git dir>

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const COMMIT = '0cc5832fb6dc66bf2921430b606770ee4e13b61f';
const argv = process.argv.slice(2);
const mi = argv.indexOf('--mirror');
const mirror = mi >= 0 ? argv[mi + 1] : process.env.OXE_UPSTREAM_MIRROR;
if (!mirror) {
  console.error('usage: gen-compat-fixture.js --mirror <upstream git dir>');
  process.exit(2);
}

const repoRoot = path.resolve(__dirname, '..');
const inputs = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/compat-inputs.json'), 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-compat-'));
try {
  const up = path.join(work, 'upstream');
  fs.mkdirSync(up);
  const tarFile = path.join(work, 'upstream.tar');
  execFileSync('git', ['-C', mirror, 'archive', '-o', tarFile, COMMIT, 'lib', 'bin', 'package.json']);
  execFileSync('tar', ['-x', '-f', tarFile, '-C', up]);
  execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: up, stdio: 'ignore' });
  const rt = require(path.join(up, 'lib/runtime/index.js'));

  const project = path.join(work, 'project');
  fs.mkdirSync(project);
  for (const step of inputs.events) {
    rt.appendEvent(project, step.session, step.input, step.causationId);
  }
  for (const j of inputs.journals) rt.saveJournal(project, j.runId, j.journal);

  const out = path.join(repoRoot, 'tests/fixtures/compat-1.4.0');
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(project, '.oxe'), path.join(out, '.oxe'), { recursive: true });
  const readBack = {};
  for (const s of [null, ...new Set(inputs.events.map((e) => e.session).filter(Boolean))]) {
    readBack[s || ''] = rt.readEvents(project, s);
  }
  const journals = {};
  for (const j of inputs.journals) journals[j.runId] = rt.loadJournal(project, j.runId);
  const state = rt.reduce(readBack['']);
  const plain = {};
  for (const [k, v] of Object.entries(state)) {
    plain[k] = v instanceof Map ? [...v] : v instanceof Set ? [...v] : v;
  }
  fs.writeFileSync(path.join(out, 'expected-read.json'), JSON.stringify({ events: readBack, journals, state: plain }, null, 2) + '\n');
  console.log(`wrote ${out}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
