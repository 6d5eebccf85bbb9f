#!/usr/bin/env node
'use strict';
// Regenerates the expected Markdown of the projection golden tests from
// the upstream oxe-cc 1.4.0 runtime: it extracts upstream from a git
// mirror into a temp dir, feeds its ProjectionEngine the inputs in
// tests/fixtures/projection/inputs.json (real Maps and Sets, built the way
// the CLI builds them) and writes only the outputs to
// tests/fixtures/projection/expected/. Nothing of upstream is committed;
// the outputs are our test data.
//
// Usage: node scripts/gen-projection-goldens.js --mirror <upstream git dir>

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const COMMIT = '0cc5832fb6dc66bf2921430b606770ee4e13b61f';

const repoRoot = path.resolve(__dirname, '..');
const fixtures = path.join(repoRoot, 'tests/fixtures/projection');
const { cases } = JSON.parse(fs.readFileSync(path.join(fixtures, 'inputs.json'), 'utf8'));

// Maps and Sets from the JSON entry arrays; the other RunState collections
// are empty, as in a CLI-built state.
function stateOf(s) {
  return {
    run: s.run,
    workItems: new Map(s.workItems),
    attempts: new Map(s.attempts),
    workspaces: new Map(),
    completedWorkItems: new Set(s.completedWorkItems),
    failedWorkItems: new Set(s.failedWorkItems),
    blockedWorkItems: new Set(s.blockedWorkItems),
    retryCounts: new Map(),
    policyDecisions: new Map(),
    pendingGates: new Set(),
    resolvedGates: new Map(),
    verificationStatus: new Map(),
    evidenceRefs: new Map(),
    toolFailures: new Map(),
  };
}

function graphOf(g) {
  return { nodes: new Map(g.nodes), edges: g.edges || [], waves: g.waves, metadata: g.metadata };
}

// Every projection of every case: [file name, () => markdown].
function projections(engine) {
  const out = [];
  for (const [name, c] of Object.entries(cases)) {
    const state = stateOf(c.state);
    const graph = graphOf(c.graph);
    for (const m of ['projectPlan', 'projectCommitSummary', 'projectPromotionSummary', 'projectPRSummary']) {
      out.push([`${name}.${m}.md`, () => engine[m](state, graph)]);
    }
    for (const m of ['projectState', 'projectRunSummary']) out.push([`${name}.${m}.md`, () => engine[m](state)]);
    (c.verify || []).forEach((v, i) => {
      const args = [state, v.results];
      for (const k of ['checkResults', 'manifest', 'riskLedger', 'coverage']) args.push(v[k]);
      while (args.length > 2 && args[args.length - 1] === undefined) args.pop();
      out.push([`${name}.projectVerify-${i}.md`, () => engine.projectVerify(...args)]);
    });
  }
  return out;
}

module.exports = { stateOf, graphOf, projections, cases };

function main() {
  const argv = process.argv.slice(2);
  const mi = argv.indexOf('--mirror');
  const mirror = mi >= 0 ? argv[mi + 1] : process.env.OXE_UPSTREAM_MIRROR;
  if (!mirror) {
    console.error('usage: gen-projection-goldens.js --mirror <upstream git dir>');
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-proj-goldens-'));
  try {
    const up = path.join(work, 'upstream');
    fs.mkdirSync(up);
    const tarFile = path.join(work, 'upstream.tar');
    execFileSync('git', ['-C', mirror, 'archive', '-o', tarFile, COMMIT, 'lib', 'bin', 'package.json']);
    execFileSync('tar', ['-x', '-f', tarFile, '-C', up]);
    execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: up, stdio: 'ignore' });
    const rt = require(path.join(up, 'lib/runtime/index.js'));
    const outDir = path.join(fixtures, 'expected');
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    let n = 0;
    for (const [file, render] of projections(new rt.ProjectionEngine())) {
      fs.writeFileSync(path.join(outDir, file), render());
      n++;
    }
    console.log(`wrote ${n} files to ${outDir}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) main();
