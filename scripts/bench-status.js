#!/usr/bin/env node
'use strict';
// Benchmark: cold `oxe-cc status --json` and `oxe-cc runtime status --json`
// on a project with a large event log, this package's bin against oxe-cc
// 1.4.0's. Each measurement is one fresh `node <bin> …` child process (wall
// time, so Node start-up is included for both); the median of N runs is
// reported per command and bin, then the ratio upstream / ours.
//
//   node scripts/bench-status.js [--runs N] [--events N] [--upstream DIR]
//                                [--mirror GITDIR] [--json]
//
// Upstream 1.4.0 comes from --upstream (an extracted package tree), else it
// is extracted from the git mirror (--mirror, $OXE_UPSTREAM_MIRROR, or
// /work/.mirror/propagno+oxe-build/repo) at 0cc5832 into a cache folder under
// the OS temp dir. Its CLI needs `semver`; NODE_PATH points at npm's bundled
// node_modules, which carries it. The banner is turned off for both bins.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync, execFileSync } = require('child_process');

const UPSTREAM_COMMIT = '0cc5832fb6dc66bf2921430b606770ee4e13b61f';
const ROOT = path.resolve(__dirname, '..');
const OUR_BIN = path.join(ROOT, 'bin', 'oxe-cc.js');

function parseArgs(argv) {
  const o = {
    runs: 9,
    events: 10000,
    upstream: null,
    mirror: process.env.OXE_UPSTREAM_MIRROR || '/work/.mirror/propagno+oxe-build/repo',
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--runs') o.runs = Math.max(1, parseInt(next(), 10) || 1);
    else if (a === '--events') o.events = Math.max(0, parseInt(next(), 10) || 0);
    else if (a === '--upstream') o.upstream = path.resolve(next());
    else if (a === '--mirror') o.mirror = path.resolve(next());
    else if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node scripts/bench-status.js [--runs N] [--events N] [--upstream DIR] [--mirror GITDIR] [--json]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// npm's own node_modules (it bundles semver), for upstream's CLI.
function npmNodeModules() {
  const candidates = [];
  try {
    const npmCli = require.resolve('npm/package.json', { paths: [path.dirname(process.execPath)] });
    candidates.push(path.join(path.dirname(npmCli), 'node_modules'));
  } catch {
    // not resolvable from here; try the layout of a standard Node install
  }
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules'));
  candidates.push(path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules'));
  return candidates.find((d) => fs.existsSync(path.join(d, 'semver', 'package.json'))) || null;
}

function upstreamTree(o) {
  if (o.upstream) return o.upstream;
  const dir = path.join(os.tmpdir(), `oxe-cc-1.4.0-${UPSTREAM_COMMIT.slice(0, 7)}`);
  if (fs.existsSync(path.join(dir, 'bin', 'oxe-cc.js'))) return dir;
  if (!fs.existsSync(o.mirror)) throw new Error(`no upstream tree: pass --upstream DIR or --mirror GITDIR (${o.mirror} missing)`);
  const partial = `${dir}.partial-${process.pid}`;
  fs.mkdirSync(partial, { recursive: true });
  const tar = execFileSync('git', ['-C', o.mirror, 'archive', UPSTREAM_COMMIT], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', partial], { input: tar });
  fs.renameSync(partial, dir);
  return dir;
}

// ---------------------------------------------------------------------------
// The project: STATE/SPEC/PLAN in the 1.4.0 Markdown format, an active run,
// and `events` lines in .oxe/OXE-EVENTS.ndjson spread over that run's waves.

const STATE_MD = `# Project state

## Fase atual

\`executing\`

## Último scan

- **Data:** 2026-01-05

## Próximo passo sugerido

- Continue wave 2 with /oxe-execute

## Decisões persistentes

- D-01 Keep the public API stable (see DISCUSS.md)

**run_id:** oxe-run-20260105-001
`;

const SPEC_MD = `# Spec

## Objetivo

Serve paginated search results from the catalog API.

## Critérios de aceite

| ID | Criterion | How to verify |
| --- | --- | --- |
| A1 | Search returns at most 50 items per page | npm test -- search |
| A2 | Invalid cursors answer 400 | npm test -- cursor |
| A3 | p95 latency under 200 ms | bench/search.js |
`;

function planMd(tasks) {
  const out = ['# Plan', ''];
  for (let i = 1; i <= tasks; i++) {
    const wave = Math.ceil(i / 4);
    out.push(`### T${i} — Step ${i} of the search work`);
    out.push(`**Onda:** ${wave}`);
    out.push(`**Depende de:** ${i > 4 ? `T${i - 4}` : '—'}`);
    out.push(`**Arquivos prováveis:** \`src/search/part${i}.ts\``);
    out.push(`**Aceite vinculado:** A${((i - 1) % 3) + 1}`);
    out.push('Comando: `npm test`');
    out.push('');
  }
  return out.join('\n');
}

const EVENT_CYCLE = ['task_started', 'tool_invoked', 'evidence_collected', 'task_completed'];

function writeEvents(file, n, runId) {
  const lines = [];
  const t0 = Date.parse('2026-01-05T09:00:00.000Z');
  for (let i = 0; i < n; i++) {
    const task = (i % 12) + 1;
    const type = i === 0 ? 'run_started' : i % 997 === 0 ? 'checkpoint_requested' : EVENT_CYCLE[i % EVENT_CYCLE.length];
    lines.push(
      JSON.stringify({
        event_id: `evt-bench-${i.toString(36)}`,
        type,
        timestamp: new Date(t0 + i * 1500).toISOString(),
        run_id: runId,
        session_id: null,
        wave_id: `wave-${Math.ceil(task / 4)}`,
        task_id: `T${task}`,
        work_item_id: `T${task}`,
        attempt_id: `T${task}-a1`,
        agent_id: 'main-executor',
        causation_id: null,
        correlation_id: runId,
        payload: { note: `step ${i}`, files: [`src/search/part${task}.ts`] },
      }),
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

function buildProject(dir, events) {
  const oxe = path.join(dir, '.oxe');
  fs.mkdirSync(oxe, { recursive: true });
  fs.writeFileSync(path.join(oxe, 'STATE.md'), STATE_MD);
  fs.writeFileSync(path.join(oxe, 'SPEC.md'), SPEC_MD);
  fs.writeFileSync(path.join(oxe, 'PLAN.md'), planMd(12));
  const runId = 'oxe-run-20260105-001';
  const run = {
    run_id: runId,
    status: 'running',
    created_at: '2026-01-05T09:00:00.000Z',
    updated_at: '2026-01-05T13:00:00.000Z',
    plan_ref: 'PLAN.md',
    session_id: null,
    current_wave: 2,
    cursor: { wave: 2, task: 'T6', mode: 'por_onda' },
    active_tasks: ['T6'],
    pending_checkpoints: [],
    retries: [],
    failures: [],
    evidence: [],
    provider_context: {},
  };
  fs.mkdirSync(path.join(oxe, 'runs'), { recursive: true });
  fs.writeFileSync(path.join(oxe, 'runs', `${runId}.json`), JSON.stringify(run, null, 2));
  fs.writeFileSync(
    path.join(oxe, 'ACTIVE-RUN.json'),
    JSON.stringify({ run_id: runId, status: 'running', updated_at: run.updated_at, current_wave: 2, cursor: run.cursor }, null, 2),
  );
  writeEvents(path.join(oxe, 'OXE-EVENTS.ndjson'), events, runId);
}

// ---------------------------------------------------------------------------

function runOnce(bin, args, cwd, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${path.basename(path.dirname(path.dirname(bin)))} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout || '').slice(0, 400)}`);
  }
  return { ms, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// The JSON document a command printed (runtime output may follow a header).
function lastJson(stdout) {
  const i = stdout.indexOf('{');
  if (i < 0) return null;
  try {
    return JSON.parse(stdout.slice(i));
  } catch {
    return null;
  }
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const upstream = upstreamTree(o);
  const upBin = path.join(upstream, 'bin', 'oxe-cc.js');
  const npmModules = npmNodeModules();
  if (!npmModules) throw new Error("npm's bundled node_modules (with semver) not found; upstream's CLI needs semver");

  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-bench-'));
  const template = path.join(base, 'template');
  buildProject(template, o.events);
  const projects = { ours: path.join(base, 'ours'), upstream: path.join(base, 'upstream') };
  for (const p of Object.values(projects)) fs.cpSync(template, p, { recursive: true });

  const baseEnv = { ...process.env, OXE_NO_BANNER: '1', OXE_NO_PROMPT: '1', NO_COLOR: '1' };
  const bins = {
    ours: { bin: OUR_BIN, env: baseEnv },
    upstream: { bin: upBin, env: { ...baseEnv, NODE_PATH: npmModules } },
  };
  const commands = {
    'status --json': (dir) => ['status', '--json', '--dir', dir],
    'runtime status --json': (dir) => ['runtime', 'status', '--dir', dir, '--json'],
  };

  const results = {};
  for (const [label, argsOf] of Object.entries(commands)) {
    results[label] = {};
    for (const [who, { bin, env }] of Object.entries(bins)) {
      const dir = projects[who];
      // One discarded run: `runtime status` bootstraps .oxe/ the first time.
      const first = runOnce(bin, argsOf(dir), dir, env);
      const times = [];
      for (let i = 0; i < o.runs; i++) times.push(runOnce(bin, argsOf(dir), dir, env).ms);
      const doc = lastJson(first.stdout);
      results[label][who] = { median_ms: median(times), min_ms: Math.min(...times), runs: times.length, json: doc !== null };
      if (doc && doc.run !== undefined) results[label][who].run_id = doc.run ? doc.run.run_id || null : null;
    }
    results[label].ratio = results[label].upstream.median_ms / results[label].ours.median_ms;
  }

  // Sanity: both bins see the same event count.
  const ours = lastJson(runOnce(OUR_BIN, ['status', '--json', '--dir', projects.ours], projects.ours, baseEnv).stdout);
  const ups = lastJson(runOnce(upBin, ['status', '--json', '--dir', projects.upstream], projects.upstream, bins.upstream.env).stdout);
  const count = (d) => (d && d.eventsSummary ? d.eventsSummary.total ?? d.eventsSummary.totalEvents ?? null : null);

  const report = {
    node: process.version,
    events: o.events,
    runs: o.runs,
    upstream,
    eventsSeen: { ours: count(ours), upstream: count(ups) },
    results,
  };
  fs.rmSync(base, { recursive: true, force: true });

  if (o.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const fmt = (x) => `${x.toFixed(1)} ms`;
  process.stdout.write(`node ${report.node}, ${o.events} events, median of ${o.runs} cold runs\n`);
  process.stdout.write(`events seen by status --json: ours ${report.eventsSeen.ours}, 1.4.0 ${report.eventsSeen.upstream}\n`);
  for (const [label, r] of Object.entries(results)) {
    process.stdout.write(
      `${label.padEnd(22)} oxe-rs ${fmt(r.ours.median_ms).padStart(10)}   oxe-cc 1.4.0 ${fmt(r.upstream.median_ms).padStart(10)}   ratio ${r.ratio.toFixed(2)}x\n`,
    );
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench-status: ${e && e.message}\n`);
  process.exit(1);
}
