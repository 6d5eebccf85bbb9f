'use strict';
// plugins: registry rules, real plugin files (good, throwing, hanging,
// malformed, escaping the directory), supports()/hook faults reported by
// plugin name, sandboxInvoke, the capability matrix and project
// capabilities run through their entrypoints.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject, captureWarnings } = require('./helpers.js');
const rt = require('../index.js');

const FIXTURES = path.join(__dirname, 'fixtures', 'plugins');

function pluginDir(files) {
  const root = tmpProject('oxe-plugins-');
  const dir = path.join(root, 'plugins');
  fs.mkdirSync(dir);
  for (const f of files) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  return { root, dir };
}

function tool(name, supports = (t) => t === name) {
  return { name, kind: 'read', idempotent: true, supports, invoke: async () => ({ success: true, output: '', evidence_paths: [], side_effects_applied: [] }) };
}

test('the plugin exports are own enumerable properties with upstream names', () => {
  for (const name of ['PluginRegistry', 'globalRegistry', 'resetGlobalRegistry', 'registrySummary', 'resolveCapabilityMatrix',
    'CURRENT_ABI_VERSION', 'extractManifest', 'validatePlugin', 'isAbiCompatible', 'sandboxInvoke', 'buildMatrix',
    'getStableEntries', 'getExperimentalEntries', 'getDeprecatedEntries', 'markDeprecated', 'addEntry',
    'createCapabilityPlugin', 'loadCapabilityPlugins']) {
    assert.ok(Object.prototype.propertyIsEnumerable.call(rt, name), name);
  }
  assert.equal(rt.CURRENT_ABI_VERSION, '1');
  const r = new rt.PluginRegistry();
  assert.deepEqual(Object.keys(r), ['plugins', 'loadErrors']);
});

test('validation and manifest follow 1.4.0', () => {
  assert.deepEqual(rt.validatePlugin({ name: 'p', version: 'latest', abi_version: '2', toolProviders: [{ name: 't' }] }), {
    valid: false,
    errors: ['Plugin ABI "2" is incompatible with runtime ABI "1"', 'ToolProvider "t" missing supports() method', 'ToolProvider "t" missing invoke() method'],
    warnings: ['Plugin version "latest" does not follow semver'],
  });
  assert.deepEqual(rt.validatePlugin({ name: 'q' }).warnings, ['Plugin declares no providers or hooks — it has no effect']);
  assert.equal(rt.validatePlugin(null).valid, false);
  const m = rt.extractManifest({ name: 'm', toolProviders: [tool('x', (t) => t === 'run_tests' || t === 'custom')], hooks: { a() {} } });
  assert.deepEqual(m, {
    name: 'm', version: '0.0.0', abi_version: '1', capabilities: ['tool', 'hooks'],
    tool_action_types: ['run_tests', 'custom'], workspace_strategies: [], verifier_check_types: [],
    context_provider_names: [], hook_names: ['a'],
  });
  assert.throws(() => rt.extractManifest({ name: 'boom', toolProviders: [tool('t', () => { throw new Error('nope'); })] }),
    (e) => e.code === 'OXE_E_PLUGIN' && /Plugin "boom" provider "t" supports\("read_code"\) threw: nope/.test(e.message));
  assert.equal(rt.isAbiCompatible('1.9'), true);
  assert.equal(rt.isAbiCompatible('2'), false);
  assert.equal(rt.isAbiCompatible(1), false);
});

test('register, lookups in registration order, unregister, list and summary', () => {
  const r = new rt.PluginRegistry();
  const a = tool('a', () => true);
  const b = tool('b', () => true);
  r.register({ name: 'first', version: '1.0.0', toolProviders: [a] });
  r.register({ name: 'second', toolProviders: [b], contextProviders: [{ name: 'c' }] });
  assert.throws(() => r.register({ name: 'first' }), /Plugin "first" is already registered/);
  assert.throws(() => r.register({ name: '' }), /failed validation: Plugin must have a non-empty string name/);
  assert.equal(r.toolProviderFor('anything'), a);
  assert.deepEqual(r.allToolProviders(), [a, b]);
  assert.equal(r.contextProviderFor('c').name, 'c');
  assert.equal(r.contextProviderFor('zzz'), null);
  assert.deepEqual(r.list(), [
    { name: 'first', version: '1.0.0', providers: ['tool:a'] },
    { name: 'second', version: undefined, providers: ['tool:b', 'context:c'] },
  ]);
  const s = rt.registrySummary(r);
  assert.deepEqual(Object.keys(s), ['total_plugins', 'tool_providers', 'workspace_providers', 'verifier_providers', 'context_providers',
    'load_errors', 'pluginsCount', 'toolProviders', 'workspaceProviders', 'verifierProviders', 'contextProviders', 'loadErrors', 'plugins']);
  assert.equal(s.tool_providers, 2);
  assert.equal(s.context_providers, 1);
  r.unregister('first');
  assert.equal(r.toolProviderFor('anything'), b);
  const matrix = rt.resolveCapabilityMatrix(r);
  assert.deepEqual(matrix.entries.map((e) => [e.name, e.provider_type, e.supported.length, e.fallback_available]), [
    ['b', 'tool', 5, true], ['c', 'context', 1, false],
  ]);
  const dep = rt.markDeprecated(matrix, 'b', '1.1', 'b2');
  assert.equal(dep.entries[1], matrix.entries[1], 'untouched entries keep their identity');
  assert.deepEqual(rt.getDeprecatedEntries(dep).map((e) => e.replacement), ['b2']);
  assert.equal(rt.addEntry(matrix, { ...matrix.entries[0] }), matrix);
});

test('loadFromDirectory: good, default-export, throwing, malformed, nameless, escaping files', () => {
  const { root, dir } = pluginDir(['good.cjs', 'default-export.js', 'throws-on-load.cjs', 'not-an-object.cjs',
    'invalid-provider.cjs', 'syntax-error.js', 'helper-no-name.js', 'README.md']);
  const outside = path.join(root, 'outside.js');
  fs.writeFileSync(outside, "globalThis.__oxeEscaped = true; module.exports = { name: 'escaped' };");
  fs.symlinkSync(outside, path.join(dir, 'zz-escape.js'));
  fs.symlinkSync(path.join(dir, 'good.cjs'), path.join(dir, 'zz-alias.cjs'));
  fs.mkdirSync(path.join(dir, 'folder.js'));
  fs.writeFileSync(path.join(dir, 'folder.js', 'index.js'), "module.exports = { name: 'folder' };");

  const r = new rt.PluginRegistry();
  const loaded = r.loadFromDirectory(dir);
  assert.deepEqual(loaded, ['default-plugin', 'good-plugin']);
  assert.equal(globalThis.__oxeEscaped, undefined, 'a file outside the directory never runs');
  const errors = r.loadErrorsSnapshot();
  const byFile = (f) => errors.find((e) => e.startsWith(`Plugin ${path.join(dir, f)} falhou ao carregar: `));
  assert.match(byFile('throws-on-load.cjs'), /cannot initialise$/);
  assert.match(byFile('not-an-object.cjs'), /module\.exports is number, not a plugin object/);
  assert.match(byFile('invalid-provider.cjs'), /Plugin "invalid-plugin" failed validation: ToolProvider "broken-tool" missing supports\(\) method/);
  assert.ok(byFile('syntax-error.js'));
  assert.match(byFile('zz-escape.js'), /outside the plugin directory/);
  assert.match(byFile('folder.js'), /not a regular file/);
  assert.match(byFile('zz-alias.cjs'), /Plugin "good-plugin" is already registered/);
  assert.equal(errors.length, 7);
  assert.equal(r.summary().load_errors, 7);
  r.clearLoadErrors();
  assert.deepEqual(r.loadErrorsSnapshot(), []);
  assert.deepEqual(r.loadFromDirectory(path.join(root, 'missing')), []);
  assert.equal(r.toolProviderFor('read_code').name, 'good-tool');
  assert.equal(r.verifierProviderFor('unit').name, 'good-verifier');
});

test('a faulty supports() is reported by plugin name and skipped; the lookup goes on', () => {
  const { dir } = pluginDir(['faulty.cjs', 'good.cjs']);
  const r = new rt.PluginRegistry();
  assert.deepEqual(r.loadFromDirectory(dir), ['faulty-plugin', 'good-plugin']);
  const fallback = tool('fallback', () => true);
  r.register({ name: 'zz-fallback', toolProviders: [fallback] });
  const { result, warnings } = captureWarnings(() => [r.toolProviderFor('run_tests'), r.toolProviderFor('run_tests'), r.toolProviderFor('custom')]);
  // a throw skips the provider; a non-boolean answer is reported and, as in
  // 1.4.0, counts by its truthiness (a Promise is truthy)
  assert.deepEqual(result.map((p) => p.name), ['fallback', 'fallback', 'faulty-tool']);
  assert.deepEqual(warnings.map((w) => w.code), ['OXE_W_PLUGIN_FAULT', 'OXE_W_PLUGIN_FAULT'], 'each fault is reported once');
  assert.deepEqual(r.faultsSnapshot(), [
    'Plugin "faulty-plugin" provider "faulty-tool" supports("run_tests") threw: supports exploded',
    'Plugin "faulty-plugin" provider "faulty-tool" supports("custom") returned object, not a boolean',
  ]);
  // the registry keeps working
  assert.equal(r.toolProviderFor('read_code').name, 'good-tool');
});

test('hooks run in order; a throwing or hanging hook rejects with the plugin name', async () => {
  const order = [];
  const r = new rt.PluginRegistry({ hookTimeoutMs: 50 });
  r.register({ name: 'h1', hooks: { go: async () => { order.push(1); } } });
  r.register({ name: 'h2', hooks: { go: () => { order.push(2); } } });
  await r.runHook('go', {});
  await r.runHook('absent', {});
  assert.deepEqual(order, [1, 2]);

  const { dir } = pluginDir(['faulty.cjs']);
  r.loadFromDirectory(dir);
  await assert.rejects(r.runHook('onRunStart', {}), (e) => {
    assert.equal(e.code, 'OXE_E_PLUGIN');
    assert.equal(e.plugin, 'faulty-plugin');
    assert.match(e.message, /Plugin "faulty-plugin" hook "onRunStart" threw: hook exploded/);
    assert.equal(e.cause.message, 'hook exploded');
    return true;
  });
  await assert.rejects(r.runHook('onRunEnd', {}), { code: 'OXE_E_PLUGIN_TIMEOUT', message: 'Plugin "faulty-plugin" hook "onRunEnd" timed out after 50ms' });
  const rejecting = new rt.PluginRegistry();
  rejecting.register({ name: 'rej', hooks: { go: () => Promise.reject('nope') } });
  await assert.rejects(rejecting.runHook('go', {}), /Plugin "rej" hook "go" threw: nope/);
});

test('sandboxInvoke: resolve, timeout, wrapping, garbage, and no leaked timer', async () => {
  assert.equal(await rt.sandboxInvoke(() => Promise.resolve(42)), 42);
  await assert.rejects(rt.sandboxInvoke(() => new Promise(() => {}), 10), { message: 'Plugin invocation timed out after 10ms' });
  await assert.rejects(rt.sandboxInvoke(() => Promise.reject('s')), (e) => e instanceof Error && e.message === 's');
  await assert.rejects(rt.sandboxInvoke(() => { throw 'raw'; }), (e) => e === 'raw');
  await assert.rejects(rt.sandboxInvoke(() => 5), TypeError);
  // 1.4.0 left the timer running after a synchronous throw, keeping the
  // process alive for the whole timeout
  const script = `require(${JSON.stringify(path.join(__dirname, '..', 'index.js'))}).sandboxInvoke(() => { throw new Error('x'); }, 60000).catch(() => {});`;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - t0 < 20000);
});

test('globalRegistry is a resettable singleton', () => {
  rt.resetGlobalRegistry();
  const a = rt.globalRegistry();
  assert.equal(rt.globalRegistry(), a);
  rt.resetGlobalRegistry();
  assert.notEqual(rt.globalRegistry(), a);
});

function capabilityProject() {
  const root = tmpProject('oxe-caps-');
  const cap = path.join(root, '.oxe', 'capabilities', 'lint');
  fs.mkdirSync(cap, { recursive: true });
  fs.writeFileSync(path.join(cap, 'CAPABILITY.md'), [
    '---', 'id: lint', 'entrypoint: run.cjs', "side_effects: ['scan']", 'evidence_outputs: [report.txt]', 'check_types: unit, smoke', '---', '# Lint', '',
  ].join('\n'));
  fs.writeFileSync(path.join(cap, 'run.cjs'), [
    "const input = JSON.parse(process.env.OXE_CAPABILITY_INPUT);",
    "console.log(JSON.stringify({ input, run: process.env.OXE_CAPABILITY_RUN_ID, wi: process.env.OXE_CAPABILITY_WORK_ITEM_ID, cwd: process.cwd() }));",
    "if (input.fail) { console.error('lint failed'); process.exit(2); }",
  ].join('\n'));
  fs.writeFileSync(path.join(cap, 'report.txt'), 'ok');
  const bad = path.join(root, '.oxe', 'capabilities', 'noid');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'CAPABILITY.md'), '---\nname: x\n---\n');
  return root;
}

test('project capabilities become plugins whose providers run the entrypoint', async () => {
  const root = capabilityProject();
  const r = new rt.PluginRegistry();
  assert.deepEqual(r.registerProjectCapabilities(root), ['capability:lint']);
  const provider = r.toolProviderFor('capability:lint');
  assert.equal(provider, r.toolProviderFor('lint'));
  assert.equal(provider.kind, 'analysis');
  assert.equal(provider.idempotent, true);
  const ok = await provider.invoke({ action_type: 'lint', work_item_id: 'T1', run_id: 'R1', attempt_id: 'T1-a1', params: { x: 1 }, workspace_root: root });
  assert.equal(ok.success, true);
  const printed = JSON.parse(ok.output);
  assert.deepEqual(printed.input, { x: 1 });
  assert.equal(printed.run, 'R1');
  assert.equal(fs.realpathSync(printed.cwd), fs.realpathSync(root));
  assert.deepEqual(ok.evidence_paths, ['.oxe/capabilities/lint/report.txt']);
  assert.deepEqual(ok.side_effects_applied, ['scan']);
  const bad = await provider.invoke({ action_type: 'lint', work_item_id: 'T1', run_id: 'R1', attempt_id: 'a', params: { fail: true }, workspace_root: root });
  assert.equal(bad.success, false);
  assert.equal(bad.error, 'lint failed\n');
  const verifier = r.verifierProviderFor('smoke');
  assert.equal(verifier.name, 'lint-verifier');
  const vr = await verifier.execute({ check_id: 'c1', check_type: 'smoke', command: null, work_item_id: 'T9', workspace_root: root, evidence_dir: 'e' });
  assert.equal(vr.verification_id, 'vr-lint-c1');
  assert.equal(vr.status, 'pass');
  assert.equal(JSON.parse(vr.summary).run, 'T9', 'run_id is the work item id, as in 1.4.0');
  // registering the same capabilities again is reported, not thrown
  assert.deepEqual(r.registerProjectCapabilities(root), []);
  assert.deepEqual(r.loadErrorsSnapshot(), ['Capability plugin capability:lint falhou ao registrar: Plugin "capability:lint" is already registered']);
  assert.deepEqual(rt.loadCapabilityPlugins(tmpProject()), []);
});
