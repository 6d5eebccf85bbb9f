'use strict';
// Context packs (buildContextPack, inspectContextPack, buildAllContextPacks,
// buildContextIndex, the summaries, the auditor mode) and the
// `oxe-cc context build|inspect` command.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');
const sdk = require('..');

const ctx = sdk.context;
const BIN = path.join(__dirname, '..', 'bin', 'oxe-cc.js');

function project(files = {}) {
  const dir = tmpProject('oxe-ctxb-');
  const oxe = path.join(dir, '.oxe');
  fs.mkdirSync(path.join(oxe, 'codebase'), { recursive: true });
  fs.writeFileSync(path.join(oxe, 'STATE.md'), '## Fase atual\n\n`plan_ready`\n');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(oxe, rel)), { recursive: true });
    fs.writeFileSync(path.join(oxe, rel), text);
  }
  return dir;
}

function cli(args, dir) {
  return spawnSync(process.execPath, [BIN, 'context', ...args, '--dir', dir], {
    encoding: 'utf8',
    env: { ...process.env, OXE_NO_BANNER: '1', LANG: 'C', LC_ALL: '' },
  });
}

const PACK_KEYS = [
  'schema_version', 'workflow', 'mode', 'active_session', 'context_tier', 'generated_at', 'semantics_hash', 'contract',
  'read_order', 'selected_artifacts', 'gaps', 'conflicts', 'fallback_required', 'summaries', 'context_quality',
  'freshness', 'hypotheses', 'markdown',
];

test('buildContextPack: shape, tier selection, gaps, hash, hypotheses; no write', () => {
  const dir = project({
    'SPEC.md': '# SPEC\n\n## Objetivo\nX.\n',
    'PLAN.md': '# PLAN\n<hypothesis id="H1" status="pending"><condition>c</condition><validation>v</validation><on_failure>f</on_failure></hypothesis>\n',
  });
  const pack = ctx.buildContextPack(dir, { workflow: 'plan', write: false });
  assert.deepEqual(Object.keys(pack), PACK_KEYS);
  assert.equal(pack.mode, 'standard');
  assert.equal(pack.context_tier, 'standard');
  assert.equal(pack.semantics_hash, sdk.runtimeSemantics.computeSemanticsHash('plan'));
  assert.deepEqual(pack.contract, sdk.runtimeSemantics.getWorkflowContract('plan'));
  const aliases = pack.selected_artifacts.map((a) => a.alias);
  assert.deepEqual(aliases, pack.contract.context_tiers.standard);
  assert.deepEqual(pack.read_order, ['state', 'spec']);
  assert.ok(pack.gaps.every((g) => g.severity === 'warning'));
  assert.equal(pack.fallback_required, false);
  const spec = pack.selected_artifacts.find((a) => a.alias === 'spec');
  assert.equal(spec.required, true);
  assert.equal(spec.selected_because, 'required_artifact');
  assert.match(spec.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(pack.hypotheses, []);
  assert.ok(pack.markdown.startsWith('# OXE Context Pack — plan\n'));
  assert.equal(fs.existsSync(path.join(dir, '.oxe', 'context')), false);
  const exec = ctx.buildContextPack(dir, { workflow: 'execute', tier: 'huge', write: false });
  assert.equal(exec.context_tier, 'standard');
  assert.ok(exec.gaps.some((g) => g.alias === 'runtime' && g.severity === 'critical'));
  assert.equal(exec.fallback_required, true);
  const withPlan = exec.selected_artifacts.find((a) => a.alias === 'plan');
  assert.equal(withPlan.exists, true);
  assert.deepEqual(exec.hypotheses.map((h) => h.id), ['H1']);
  assert.ok(exec.context_quality.score < 100);
});

test('buildContextPack errors are coded', () => {
  const dir = project();
  assert.throws(() => ctx.buildContextPack(dir, { workflow: '' }), (e) => e.code === 'OXE_E_ARG' && /workflow is required/.test(e.message));
  assert.throws(() => ctx.buildContextPack(dir, { workflow: 'nope-xyz' }), (e) => e.code === 'OXE_E_ARG' && /nope-xyz/.test(e.message));
});

test('auditor mode selects auditor_artifacts minus auditor_excluded', () => {
  const dir = project({ 'SPEC.md': 's', 'PLAN.md': 'p', 'VERIFY.md': 'v', 'EXECUTION-RUNTIME.md': 'r' });
  const pack = ctx.buildContextPack(dir, { workflow: 'verify', mode: 'auditor', write: false });
  assert.equal(pack.mode, 'auditor');
  assert.deepEqual(pack.selected_artifacts.map((a) => a.alias), ['state', 'spec', 'verify']);
  const std = ctx.buildContextPack(dir, { workflow: 'verify', write: false });
  assert.ok(std.selected_artifacts.some((a) => a.alias === 'plan'));
});

test('session packs: session copy written, conflicts between session and root copies', () => {
  const dir = project({
    'SPEC.md': 'root spec',
    'sessions/s1/spec/SPEC.md': 'session spec',
  });
  const pack = ctx.buildContextPack(dir, { workflow: 'plan', activeSession: 'sessions/s1' });
  assert.equal(pack.active_session, 'sessions/s1');
  assert.deepEqual(pack.conflicts.map((c) => [c.alias, c.reason]), [['spec', 'session_and_root_artifacts_diverge']]);
  const packs = path.join(dir, '.oxe', 'context', 'packs');
  assert.ok(fs.existsSync(path.join(packs, 'plan.json')));
  assert.ok(fs.existsSync(path.join(packs, 'session-s1-plan.json')));
  assert.ok(fs.existsSync(path.join(packs, 'session-s1-plan.md')));
  const stored = fs.readFileSync(path.join(packs, 'plan.json'), 'utf8');
  assert.ok(stored.endsWith('}\n'));
  assert.deepEqual(JSON.parse(stored), pack);
  const index = JSON.parse(fs.readFileSync(path.join(dir, '.oxe', 'context', 'index.json'), 'utf8'));
  assert.equal(index.artifacts.length, 38);
  assert.deepEqual(Object.keys(index), ['schema_version', 'generated_at', 'project_root', 'active_session', 'phase', 'artifacts', 'stats']);
  assert.equal(index.stats.conflicts, 1);
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'context', 'summaries', 'session-s1.json')));
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'context', 'summaries', 'phase-plan_ready.md')));
});

test('inspectContextPack reads the stored pack, refreshes it, sets path; builds in memory otherwise', () => {
  const dir = project({ 'SPEC.md': 's' });
  const fresh = ctx.inspectContextPack(dir, { workflow: 'plan' });
  assert.equal(fresh.path, path.join(dir, '.oxe', 'context', 'packs', 'plan.json'));
  assert.equal(fs.existsSync(fresh.path), false);
  ctx.buildContextPack(dir, { workflow: 'plan', tier: 'minimal' });
  const stored = ctx.inspectContextPack(dir, { workflow: 'plan', tier: 'full' });
  assert.equal(stored.context_tier, 'minimal');
  assert.equal(stored.freshness.reason, 'fresh');
  assert.equal(Object.keys(stored).at(-1), 'path');
  assert.throws(() => ctx.inspectContextPack(dir, {}), (e) => e.code === 'OXE_E_ARG');
});

test('buildAllContextPacks builds every contract in slug order', () => {
  const dir = project();
  const packs = ctx.buildAllContextPacks(dir, { write: false });
  assert.equal(packs.length, 37);
  const slugs = packs.map((p) => p.workflow);
  assert.deepEqual(slugs, [...slugs].sort());
  assert.deepEqual(ctx.buildAllContextPacks(dir, { workflow: 'next', write: false }).map((p) => p.workflow), ['next']);
});

test('summaries and candidates', () => {
  const dir = project({ 'codebase/OVERVIEW.md': '# Overview\nA web app.\n' });
  const s = ctx.buildProjectSummary(dir, null, { write: false });
  assert.equal(s.json.summary_type, 'project');
  assert.equal(s.json.phase, 'plan_ready');
  assert.match(s.json.overview, /A web app/);
  assert.equal(ctx.buildSessionSummary(dir, null), null);
  const ph = ctx.buildPhaseSummary(dir, null, { write: false });
  assert.equal(ph.json.phase, 'plan_ready');
  const c = ctx.resolveArtifactCandidates(dir, 'sessions/s1');
  assert.equal(Object.keys(c).length, 38);
  assert.equal(c.spec.primary, path.join(dir, '.oxe', 'sessions', 's1', 'spec', 'SPEC.md'));
  assert.equal(c.spec.fallback, path.join(dir, '.oxe', 'SPEC.md'));
  assert.equal(c.spec.scope, 'session');
  assert.equal(c.state.fallback, null);
});

test('oxe-cc context build --workflow --json: only JSON on stdout, pack written', () => {
  const dir = project({ 'SPEC.md': 's' });
  const r = cli(['build', '--workflow', 'plan', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const pack = JSON.parse(r.stdout);
  assert.equal(pack.workflow, 'plan');
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'context', 'packs', 'plan.md')));
  const i = cli(['inspect', 'plan', '--json'], dir);
  assert.equal(i.status, 0, i.stderr);
  assert.equal(JSON.parse(i.stdout).path, path.join(dir, '.oxe', 'context', 'packs', 'plan.json'));
});

test('oxe-cc context build (all) and inspect, human output; unknown workflow exits 1', () => {
  const dir = project();
  const r = cli(['build'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Packs: 37/);
  assert.match(r.stdout, /• verify · \d+ \(\w+\) · \w+/);
  assert.equal(fs.readdirSync(path.join(dir, '.oxe', 'context', 'packs')).filter((f) => f.endsWith('.json')).length, 37);
  const i = cli(['inspect'], dir);
  assert.equal(i.status, 0, i.stderr);
  assert.match(i.stdout, /Workflow: dashboard/);
  assert.match(i.stdout, /Pack: .*dashboard\.json/);
  const bad = cli(['build', '--workflow', 'nope-xyz'], dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /nope-xyz/);
  const missing = cli(['inspect'], path.join(dir, 'absent'));
  assert.equal(missing.status, 1);
});

test('health report inspects the dashboard, next-step and phase packs', () => {
  const dir = project({ 'SPEC.md': 's' });
  fs.writeFileSync(path.join(dir, '.oxe', 'STATE.md'), '## Fase atual\n\n`executing`\n');
  let r = sdk.health.buildHealthReport(dir);
  assert.ok('dashboard' in r.contextPacks);
  assert.ok('execute' in r.contextPacks);
  assert.equal(r.contextQuality.primaryWorkflow, 'dashboard');
  assert.equal(r.contextQuality.primaryScore, r.contextPacks.dashboard.context_quality.score);
  assert.deepEqual(Object.keys(r.contextPacks.dashboard.selected_artifacts[0]), ['alias', 'path', 'exists', 'required', 'using_fallback', 'scope', 'summary']);
  assert.equal(r.packFreshness.execute.reason, r.contextPacks.execute.freshness.reason);
  // no warnings before packs were ever built
  assert.deepEqual(r.contextWarn, []);
  ctx.buildContextPack(dir, { workflow: 'execute' });
  r = sdk.health.buildHealthReport(dir);
  assert.ok(r.contextWarn.some((w) => /execute/.test(w)), JSON.stringify(r.contextWarn));
});

// Cross-check against 1.4.0's own context engine (from the upstream mirror,
// when this machine has it) over OUR registry: packs, index, summaries and
// candidates are the same JSON, timestamps and Markdown aside.
test('1.4.0 context engine over our registry builds the same JSON', (t) => {
  const mirror = process.env.OXE_UPSTREAM_MIRROR || '/work/.mirror/propagno+oxe-build/repo';
  const up = tmpProject('oxe-ctx-up-');
  const tar = spawnSync('sh', ['-c', `git -C '${mirror}' archive 0cc5832fb6dc66bf2921430b606770ee4e13b61f bin lib package.json | tar -x -C '${up}'`]);
  if (tar.status !== 0 || !fs.existsSync(path.join(up, 'bin', 'lib', 'oxe-context-engine.cjs'))) {
    return t.skip('upstream mirror not available');
  }
  fs.mkdirSync(path.join(up, 'oxe', 'workflows', 'references'), { recursive: true });
  fs.copyFileSync(sdk.runtimeSemantics.CONTRACTS_PATH, path.join(up, 'oxe', 'workflows', 'references', 'workflow-runtime-contracts.json'));
  const upstream = require(path.join(up, 'bin', 'lib', 'oxe-context-engine.cjs'));
  const dir = project({
    'SPEC.md': '# SPEC\n## Objetivo\nX\n',
    'sessions/s1/spec/SPEC.md': '# other\n',
    'PLAN.md': '# PLAN\n<hypothesis id="H1"><condition>c</condition></hypothesis>\n',
    'codebase/OVERVIEW.md': '# O\nBLOQUEADO here\n## Fase\nabc\n',
  });
  fs.writeFileSync(path.join(dir, '.oxe', 'STATE.md'), '## Fase atual\n\n`executing`\n\n**active_session:** sessions/s1\n**runtime_status:** running\n');
  fs.mkdirSync(path.join(dir, '.oxe', 'VERIFY.md'));
  // sources a minute old: a pack dated in the same millisecond as a source
  // file would be "source newer" for one engine and not the other
  const past = Date.now() / 1000 - 60;
  const age = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) age(p);
      fs.utimesSync(p, past, past);
    }
  };
  age(path.join(dir, '.oxe'));
  const strip = (p) => {
    const c = JSON.parse(JSON.stringify(p));
    delete c.generated_at;
    delete c.markdown;
    if (c.freshness) {
      delete c.freshness.generated_at;
      delete c.freshness.pack_age_hours;
    }
    return c;
  };
  for (const workflow of ['execute', 'verify', 'dashboard', 'ask']) {
    for (const mode of ['standard', 'auditor']) {
      for (const activeSession of [undefined, null, 'sessions/s1']) {
        const input = { workflow, mode, activeSession, write: false };
        assert.deepEqual(strip(ctx.buildContextPack(dir, input)), strip(upstream.buildContextPack(dir, input)), `${workflow} ${mode} ${activeSession}`);
      }
    }
  }
  assert.deepEqual(strip(ctx.buildContextIndex(dir, undefined, { write: false })), strip(upstream.buildContextIndex(dir, undefined, { write: false })));
  for (const s of [undefined, null, 'sessions/s1']) {
    assert.deepEqual(ctx.resolveArtifactCandidates(dir, s), upstream.resolveArtifactCandidates(dir, s));
    assert.deepEqual(strip(ctx.buildPhaseSummary(dir, s, { write: false }).json), strip(upstream.buildPhaseSummary(dir, s, { write: false }).json));
    assert.deepEqual(strip(ctx.buildProjectSummary(dir, s, { write: false }).json), strip(upstream.buildProjectSummary(dir, s, { write: false }).json));
  }
  upstream.buildContextPack(dir, { workflow: 'plan' });
  assert.deepEqual(strip(ctx.inspectContextPack(dir, { workflow: 'plan' })), strip(upstream.inspectContextPack(dir, { workflow: 'plan' })));
});
