'use strict';
// oxe-cc capabilities, plugins, plan --visual and verify --matrix, run as a
// child process on temporary projects.
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'oxe-cc.js');

function run(args, env = {}) {
  const base = { ...process.env };
  for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR']) delete base[k];
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: tmpProject('oxe-cap-cwd-'),
    encoding: 'utf8',
    env: { ...base, HOME: tmpProject('oxe-cap-home-'), OXE_NO_BANNER: '1', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function events(dir) {
  const p = path.join(dir, '.oxe', 'OXE-EVENTS.ndjson');
  return fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

test('capabilities install/list/update/remove manage the catalog, index and events', () => {
  const dir = tmpProject('oxe-cap-');
  let r = run(['capabilities', 'install', ' Sample-HTTP ', '--dir', dir]);
  assert.strictEqual(r.code, 0, r.err);
  const manifest = path.join(dir, '.oxe', 'capabilities', 'sample-http', 'CAPABILITY.md');
  assert.match(fs.readFileSync(manifest, 'utf8'), /^id: sample-http$/m);
  const index = fs.readFileSync(path.join(dir, '.oxe', 'CAPABILITIES.md'), 'utf8');
  assert.match(index, /^\| sample-http \| script \| active \| execute \| require_approval_if_external_side_effect \| — \| — \| — \| .+ \|$/m);
  assert.ok(index.endsWith('\n'));
  const ev = events(dir).at(-1);
  assert.deepStrictEqual(Object.keys(ev), ['event_id', 'type', 'timestamp', 'run_id', 'session_id', 'wave_id', 'task_id', 'work_item_id', 'attempt_id', 'agent_id', 'causation_id', 'correlation_id', 'payload']);
  assert.strictEqual(ev.type, 'capability_installed');
  assert.deepStrictEqual(ev.payload, { capability_id: 'sample-http' });

  r = run(['capabilities', 'list', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.match(r.out, /• sample-http/);

  r = run(['capabilities', 'update', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.strictEqual(events(dir).at(-1).type, 'capability_index_refreshed');

  r = run(['capabilities', 'remove', 'sample-http', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.ok(!fs.existsSync(path.dirname(manifest)));
  assert.strictEqual(events(dir).at(-1).type, 'capability_removed');
  assert.match(fs.readFileSync(path.join(dir, '.oxe', 'CAPABILITIES.md'), 'utf8'), /\(empty\)/);
});

test('capabilities remove never leaves .oxe/capabilities (1.4.0 deleted `..`)', () => {
  const dir = tmpProject('oxe-cap-rm-');
  assert.strictEqual(run(['capabilities', 'list', '--dir', dir]).code, 0);
  for (const id of ['..', '../..', '../STATE.md', '/tmp']) {
    const r = run(['capabilities', 'remove', id, '--dir', dir]);
    assert.strictEqual(r.code, 1, id);
    assert.match(r.err, /Invalid capability id/);
  }
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'STATE.md')));
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'capabilities')));
});

test('capabilities: missing id, bad id, unknown action, missing folder exit 1; pt-BR', () => {
  const dir = tmpProject('oxe-cap-err-');
  assert.strictEqual(run(['capabilities', 'install', '--dir', dir]).code, 1);
  assert.strictEqual(run(['capabilities', 'install', 'bad id!', '--dir', dir]).code, 1);
  assert.strictEqual(run(['capabilities', 'frob', '--dir', dir]).code, 1);
  assert.strictEqual(run(['capabilities', 'list', '--dir', path.join(dir, 'nope')]).code, 1);
  const r = run(['capabilities', 'list', '--dir', dir], { LANG: 'pt_BR.UTF-8' });
  assert.match(r.out, /Nenhuma capability instalada/);
});

test('plugins list loads .oxe/plugins and reports load errors; remove deletes nothing', () => {
  const dir = tmpProject('oxe-plug-');
  const pdir = path.join(dir, '.oxe', 'plugins');
  fs.mkdirSync(pdir, { recursive: true });
  fs.writeFileSync(path.join(pdir, 'a.cjs'), "module.exports={name:'alpha',version:'2.0.0',hooks:{onAfterVerify(){}}};");
  fs.writeFileSync(path.join(pdir, 'b.cjs'), "throw new Error('boom')");
  let r = run(['plugins', 'list', '--dir', dir]);
  assert.strictEqual(r.code, 0, r.err);
  assert.match(r.out, /1 plugin\(s\) loaded/);
  assert.match(r.out, /alpha \(2\.0\.0\) — hooks: onAfterVerify/);
  assert.match(r.err, /b\.cjs: Error: boom/);
  r = run(['plugins', 'remove', 'alpha', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.ok(fs.existsSync(path.join(pdir, 'a.cjs')));
  r = run(['plugins', 'frob', '--whatever', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.match(r.out, /Usage: oxe-cc plugins/);
});

test('plugins SDK namespace: keys, loading, sources, validation, init', () => {
  const plugins = require('../lib/sdk/plugins.js');
  assert.deepStrictEqual(Object.keys(plugins), ['loadPlugins', 'runHook', 'validatePlugins', 'initPluginsDir', 'resolvePluginSources', 'installNpmPlugin']);
  const dir = tmpProject('oxe-plug-sdk-');
  assert.deepStrictEqual(plugins.loadPlugins(dir), { plugins: [], errors: [] });
  plugins.initPluginsDir(dir);
  const readme = path.join(dir, '.oxe', 'plugins', 'README.md');
  assert.ok(fs.existsSync(readme));
  fs.writeFileSync(readme, 'custom');
  plugins.initPluginsDir(dir);
  assert.strictEqual(fs.readFileSync(readme, 'utf8'), 'custom');
  fs.writeFileSync(path.join(dir, 'ext.cjs'), "module.exports={name:'ext',hooks:{}};");
  fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), JSON.stringify({ plugins: [{ source: 'path:ext.cjs' }, { source: 'npm:nope' }] }));
  fs.writeFileSync(path.join(dir, '.oxe', 'plugins', 'notes.txt'), '');
  const loaded = plugins.loadPlugins(dir);
  assert.deepStrictEqual(loaded.plugins.map((p) => p.name), ['ext']);
  assert.strictEqual(loaded.errors[0].file, 'npm:nope');
  const v = plugins.validatePlugins(dir);
  assert.strictEqual(v.valid, false);
  assert.deepStrictEqual(v.issues[0], { file: 'notes.txt', issue: 'plugins must be .cjs files' });
  const s = plugins.resolvePluginSources(dir, ['missing.cjs', { nope: 1 }, { source: 'git:x' }, { source: './ext.cjs' }]);
  assert.deepStrictEqual(s.resolved, [path.join(dir, 'ext.cjs')]);
  assert.deepStrictEqual(s.errors.map((e) => e.source), ['missing.cjs', '[object Object]', 'git:x']);
  assert.deepStrictEqual(plugins.resolvePluginSources(dir, 'x'), { resolved: [], errors: [] });
});

test('plugins runHook awaits hooks in order and collects errors', async () => {
  const { runHook } = require('../lib/sdk/plugins.js');
  const seen = [];
  const errs = await runHook([
    { name: 'a', hooks: { h: async () => seen.push('a') } },
    { name: 'b', hooks: { h: () => { throw new Error('bad hook'); } } },
    { name: 'c', hooks: {} },
  ], 'h', {});
  assert.deepStrictEqual(seen, ['a']);
  assert.strictEqual(errs.length, 1);
  assert.strictEqual(errs[0].plugin, 'b');
  assert.match(errs[0].error, /bad hook/);
});

const SPEC = '# SPEC\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----|----|\n| A1 | Login | t |\n| A2 | Logout | t |\n';
const PLAN = '# PLAN\n\n### T1 — Login\n**Onda:** 1\n**Aceite vinculado:** A1\n\n### T2 — Logout\n**Onda:** 1\n**Depende de:** T1\n\n### T3 — Docs\n**Onda:** 2\n';

test('plan --visual draws waves; verify --matrix draws coverage', () => {
  const dir = tmpProject('oxe-view-');
  fs.mkdirSync(path.join(dir, '.oxe'));
  fs.writeFileSync(path.join(dir, '.oxe', 'PLAN.md'), PLAN);
  fs.writeFileSync(path.join(dir, '.oxe', 'SPEC.md'), SPEC);
  fs.writeFileSync(path.join(dir, '.oxe', 'VERIFY.md'), '| ID | Status |\n|---|---|\n| A1 | pass |\n');
  let r = run(['plan', '--visual', '--dir', dir]);
  assert.strictEqual(r.code, 0, r.err);
  assert.match(r.out, /Wave 1 {3}T1 — Login\n {11}T2 — Logout ← T1/);
  assert.match(r.out, /3 task\(s\) · 2 wave\(s\)/);
  r = run(['verify', dir, '--matrix']);
  assert.strictEqual(r.code, 0, r.err);
  assert.match(r.out, /A1 +│ +T1 +│ +✓ +│ +✓/);
  assert.match(r.out, /A2 +│ +— +│ +✗ +│ +—/);
  assert.match(r.out, /1\/2 criteria covered by the plan · 1\/2 passed in verify/);
  assert.deepStrictEqual(fs.readdirSync(path.join(dir, '.oxe')).sort(), ['PLAN.md', 'SPEC.md', 'VERIFY.md']);
});

test('plan/verify: switch missing exits 1; missing files are a notice and exit 0', () => {
  const dir = tmpProject('oxe-view-empty-');
  assert.strictEqual(run(['plan', '--dir', dir]).code, 1);
  assert.strictEqual(run(['verify', '--dir', dir]).code, 1);
  let r = run(['plan', '--visual', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.match(r.out, /No PLAN\.md at/);
  r = run(['verify', '--matrix', '--dir', dir]);
  assert.strictEqual(r.code, 0);
  assert.match(r.out, /no acceptance criterion/);
});
