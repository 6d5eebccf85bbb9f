#!/usr/bin/env node
'use strict';
// Captures what oxe-cc 1.4.0's SDK parsers answer on OUR fixture inputs
// (tests/fixtures/parsers/cases.js) and stores only those answers in
// tests/fixtures/parsers/goldens.json. Nothing of upstream is committed.
//
//   node scripts/gen-parser-goldens.js --mirror <upstream git dir>
//   node scripts/gen-parser-goldens.js --mirror <dir> --fuzz 5000 [--seed 7]
//
// The mirror is the git directory of propagno/oxe-build (the `fetch` tool's
// /work/.mirror/propagno+oxe-build/repo, or $OXE_UPSTREAM_MIRROR). The
// script extracts lib/, bin/ and package.json of 1.4.0 into a temp dir and
// runs the cases there once per time zone (local dates differ by zone).
// --fuzz compares 1.4.0 and this package on random mutations of the
// fixtures instead, and prints the inputs on which they disagree.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync, execFileSync } = require('child_process');

const COMMIT = '0cc5832fb6dc66bf2921430b606770ee4e13b61f';
const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'parsers');
const ZONES = ['UTC', 'Asia/Tokyo', 'America/Sao_Paulo'];

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

function extract(mirror) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-upstream-'));
  const tarFile = path.join(dir, 'upstream.tar');
  execFileSync('git', ['--git-dir', mirror, 'archive', '-o', tarFile, COMMIT, 'lib', 'bin', 'package.json']);
  execFileSync('tar', ['-x', '-f', tarFile, '-C', dir]);
  fs.rmSync(tarFile);
  const npm = spawnSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (npm.status !== 0) console.error('gen-parser-goldens: npm install failed (the parsers do not need it):', npm.stderr);
  return dir;
}

function runCases(upstream, tz) {
  const r = spawnSync(
    process.execPath,
    [
      path.join(FIXTURES, 'run-cases.js'),
      path.join(upstream, 'lib', 'sdk', 'index.cjs'),
      path.join(upstream, 'bin', 'lib', 'oxe-project-health.cjs'),
    ],
    { encoding: 'utf8', env: { ...process.env, TZ: tz }, maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`run-cases failed in ${tz}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function generate(upstream) {
  const base = runCases(upstream, ZONES[0]);
  const goldens = { commit: COMMIT, [ZONES[0]]: base };
  for (const tz of ZONES.slice(1)) {
    const all = runCases(upstream, tz);
    const diff = {};
    for (const [id, v] of Object.entries(all)) {
      if (JSON.stringify(v) !== JSON.stringify(base[id])) diff[id] = v;
    }
    goldens[tz] = diff;
  }
  const out = path.join(FIXTURES, 'goldens.json');
  fs.writeFileSync(out, JSON.stringify(goldens, null, 2) + '\n');
  console.log(`gen-parser-goldens: ${Object.keys(base).length} cases → ${path.relative(ROOT, out)}`);
}

// --- fuzzing ----------------------------------------------------------------

const TOKENS = [
  '\n', '\n\n', '\r\n', '\r', ' ', '  ', '\t', '\u00a0', '`', '``', '|', ' | ', '#', '##', '### ', '## ', '—', '-', '*', '**',
  ':', '(', ')', '<', '>', '/>', '/', '"', "'", '=', 'T1', 'T12', 'A1', 'D-01', 'H1', '0.5', '2024-01-15', '15/01/2024',
  '### T7 — new ', '**Onda:** ', '**Depende de:** ', '**Arquivos prováveis:** ', 'Comando: `', '**Aceite vinculado:** ',
  '**Decisão vinculada:** ', '<!-- oxe-task: {"done":true} -->', '<!-- ', ' -->', '{', '}', '## Objetivo\n',
  '## Critérios de aceite\n', '## Hipóteses Críticas\n', '## Fase atual\n', '## Último scan\n', '**Data:** ',
  '## Próximo passo sugerido\n', '## Decisões persistentes\n', '## Workstreams ativos\n', '## Milestone ativo\n',
  '- **run_id:** ', 'lifecycle_status: ', 'loop_status: ', 'last_retro: ', '**active_session:** ',
  '<hypothesis id="H9">', '</hypothesis>', '<condition>', '</condition>', '<confidence_vector cycle="C">',
  '</confidence_vector>', '<dim name="z" score="0.3" weight="2"/>', '<global score="0.4"/>', 'é', '🚀', 'revertida',
];

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Mutations work on code points, so no lone surrogate is produced (a JS
// string with one cannot cross into Rust unchanged).
function mutate(text, rnd) {
  let s = Array.from(text);
  const n = 1 + Math.floor(rnd() * 6);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = rnd();
    if (op < 0.5) s = [...s.slice(0, at), ...Array.from(TOKENS[Math.floor(rnd() * TOKENS.length)]), ...s.slice(at)];
    else if (op < 0.8) s = [...s.slice(0, at), ...s.slice(at + 1 + Math.floor(rnd() * 12))];
    else {
      const from = Math.floor(rnd() * s.length);
      s = [...s.slice(0, at), ...s.slice(from, from + Math.floor(rnd() * 40)), ...s.slice(at)];
    }
  }
  return s.join('');
}

function fuzz(upstream, count, seed) {
  const up = require(path.join(upstream, 'lib', 'sdk', 'index.cjs'));
  const upHealth = require(path.join(upstream, 'bin', 'lib', 'oxe-project-health.cjs'));
  const ours = require(ROOT);
  const rnd = prng(seed);
  const read = (f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8');
  const corpus = [
    read('plan-realistic.md'),
    read('spec-realistic.md'),
    read('state-filled.md'),
    read('discuss-realistic.md'),
    fs.readFileSync(path.join(ROOT, 'assets', 'templates', 'STATE.md'), 'utf8'),
  ];
  const fns = [
    ['parsePlan', (m) => m.parsePlan],
    ['parseSpec', (m) => m.parseSpec],
    ['parseHypotheses', (m) => m.parseHypotheses],
    ['parseConfidenceVector', (m) => m.parseConfidenceVector],
    ['parseState', (m) => m.parseState],
    ['validateDecisionFidelity', (m) => (d) => m.validateDecisionFidelity(d, corpus[0])],
    ['parseActiveSession', (m, h) => h.parseActiveSession],
    ['parseLastCompactDate', (m, h) => (t) => String(h.parseLastCompactDate(t))],
  ];
  const show = (f) => {
    try {
      return JSON.stringify(f());
    } catch (e) {
      return `throws ${e && e.constructor && e.constructor.name}`;
    }
  };
  let mismatches = 0;
  for (let i = 0; i < count; i++) {
    const input = mutate(corpus[Math.floor(rnd() * corpus.length)], rnd);
    for (const [name, pick] of fns) {
      const a = show(() => pick(up, upHealth)(input));
      const b = show(() => pick(ours, ours.health)(input));
      if (a !== b) {
        mismatches++;
        if (mismatches <= 10) {
          console.log(`--- ${name} #${i}\ninput: ${JSON.stringify(input)}\n1.4.0: ${a}\nours:  ${b}`);
        }
      }
    }
  }
  console.log(`gen-parser-goldens: fuzz ${count} inputs × ${fns.length} readers, ${mismatches} mismatches`);
  return mismatches === 0 ? 0 : 1;
}

function main() {
  const mirror = arg('--mirror', process.env.OXE_UPSTREAM_MIRROR);
  if (!mirror) {
    console.error('usage: node scripts/gen-parser-goldens.js --mirror <upstream git dir> [--fuzz N] [--seed S]');
    return 2;
  }
  const upstream = extract(mirror);
  try {
    const n = Number(arg('--fuzz', '0'));
    if (n > 0) return fuzz(upstream, n, Number(arg('--seed', '1')));
    generate(upstream);
    return 0;
  } finally {
    fs.rmSync(upstream, { recursive: true, force: true });
  }
}

process.exitCode = main();
