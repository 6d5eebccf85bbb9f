'use strict';
// SDK namespaces of the installer: install, manifest, agents, npmVersion.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { makePackage, tmp, tree } = require('./install/fake-package.js');
const sdk = require('..');

const PKG = makePackage();
const CMDS = path.join(PKG, '.cursor', 'commands');

function withHome(home, fn) {
  const keys = ['HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'CODEX_HOME'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  delete process.env.XDG_CONFIG_HOME;
  delete process.env.CODEX_HOME;
  try {
    return fn();
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const base = () => ({
  ignoreInstallConfig: false, explicitScope: false, oxeOnly: false, integrationsUnset: true, installAssetsGlobal: false,
  vscode: false, cursor: false, copilot: false, copilotCli: false, allAgents: false, commands: true, agents: true, extra: 'kept',
});

function projectWith(install) {
  const dir = tmp('oxe-sdk-ir-');
  fs.mkdirSync(path.join(dir, '.oxe'));
  fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), JSON.stringify({ install }));
  return dir;
}

test('install.resolveOptionsFromConfig applies profile, layout and overrides, keeps other keys', () => {
  const home = tmp('oxe-sdk-home-');
  withHome(home, () => {
    const r = sdk.install.resolveOptionsFromConfig(projectWith({ profile: 'all_agents', repo_layout: 'classic', include_agents_md: false }), base());
    assert.equal(r.options.extra, 'kept');
    assert.equal(r.options.installAssetsGlobal, true);
    assert.equal(r.options.explicitScope, true);
    assert.deepEqual([r.options.cursor, r.options.copilot, r.options.copilotCli, r.options.allAgents], [true, true, true, true]);
    assert.equal(r.options.agents, false);
    assert.equal(r.options.integrationsUnset, false);
    const core = sdk.install.resolveOptionsFromConfig(projectWith({ profile: 'core' }), base()).options;
    assert.deepEqual([core.cursor, core.commands, core.agents], [false, false, false]);
    // keys the profile assigns are set even when the caller did not pass them
    const sparse = sdk.install.resolveOptionsFromConfig(projectWith({ profile: 'core' }), { integrationsUnset: true }).options;
    assert.deepEqual(sparse, { integrationsUnset: false, cursor: false, copilot: false, copilotCli: false, allAgents: false, commands: false, agents: false });
    // flags given: the profile does not apply, the layout does unless explicit
    const flagged = sdk.install.resolveOptionsFromConfig(projectWith({ profile: 'core', repo_layout: 'classic' }), { ...base(), integrationsUnset: false, cursor: true, explicitScope: true });
    assert.deepEqual([flagged.options.cursor, flagged.options.installAssetsGlobal, flagged.options.commands], [true, false, true]);
    const bad = sdk.install.resolveOptionsFromConfig(projectWith({ profile: 'nope' }), base());
    assert.equal(bad.warnings.length, 1);
    assert.match(bad.warnings[0], /"nope"/);
    const dir = tmp('oxe-sdk-ir-');
    fs.mkdirSync(path.join(dir, '.oxe'));
    fs.writeFileSync(path.join(dir, '.oxe', 'config.json'), '{');
    const pe = sdk.install.resolveOptionsFromConfig(dir, base());
    assert.equal(pe.warnings.length, 1);
    assert.equal(pe.options.cursor, false);
  });
});

test('manifest: load, write, sha256File, collectFilesRecursive, backup keeping structure', () => {
  const home = tmp('oxe-sdk-mf-');
  assert.deepEqual(sdk.manifest.loadFileManifest(home), {});
  sdk.manifest.writeFileManifest(home, { '/x/a': 'deadbeef' }, '9.9.9');
  const raw = fs.readFileSync(path.join(home, '.oxe-cc', 'manifest.json'), 'utf8');
  assert.match(raw, /^\{\n  "version": "9\.9\.9",\n  "updated_at": "[^"]+",\n  "files": \{\n    "\/x\/a": "deadbeef"\n  \}\n\}\n$/);
  assert.deepEqual(sdk.manifest.loadFileManifest(home), { '/x/a': 'deadbeef' });
  const noVersion = tmp('oxe-sdk-mf-');
  sdk.manifest.writeFileManifest(noVersion, {});
  assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(path.join(noVersion, '.oxe-cc', 'manifest.json'), 'utf8'))), ['updated_at', 'files']);
  const f1 = path.join(home, 'a', 'SKILL.md');
  const f2 = path.join(home, 'b', 'SKILL.md');
  for (const f of [f1, f2]) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, 'v1');
  }
  assert.match(sdk.manifest.sha256File(f1), /^[0-9a-f]{64}$/);
  assert.equal(sdk.manifest.sha256File(f1), sdk.manifest.sha256File(f2));
  assert.deepEqual(sdk.manifest.collectFilesRecursive(home, (n) => n === 'SKILL.md'), [f1, f2]);
  assert.throws(() => sdk.manifest.sha256File(path.join(home, 'missing')), (e) => e.code === 'OXE_E_IO');
  const prev = { [f1]: sdk.manifest.sha256File(f1), [f2]: sdk.manifest.sha256File(f2) };
  fs.writeFileSync(f1, 'mine 1');
  fs.writeFileSync(f2, 'mine 2');
  assert.deepEqual(sdk.manifest.backupModifiedFromManifest(home, prev, { force: false }, {}), []);
  const logged = [];
  const orig = console.log;
  console.log = (l) => logged.push(l);
  let mod;
  try {
    mod = sdk.manifest.backupModifiedFromManifest(home, prev, { force: true, dryRun: false }, {});
  } finally {
    console.log = orig;
  }
  assert.deepEqual(mod.sort(), [f1, f2].sort());
  assert.ok(logged.length >= 3);
  const patches = path.join(home, sdk.manifest.MANIFEST_DIR, sdk.manifest.PATCHES_DIR);
  const [stamp] = fs.readdirSync(patches);
  const files = tree(path.join(patches, stamp));
  assert.equal(files.filter((f) => f.endsWith('SKILL.md')).length, 2, 'two SKILL.md files, two backups');
  assert.deepEqual(sdk.manifest.collectFilesRecursive('/nonexistent-oxe-sdk', () => true), []);
});

test('agents: path rewrite without ..oxe/, frontmatter, skill markdown, paths', () => {
  assert.equal(sdk.agents.adjustWorkflowPathsForNestedLayout('a oxe/workflows/x .oxe/workflows/y oxe/templates/z'), 'a .oxe/workflows/x .oxe/workflows/y .oxe/templates/z');
  const fm = sdk.agents.parseCursorCommandFrontmatter('---\r\ndescription: "D"\r\nk: v\r\n---\r\n\r\nbody\r\n');
  assert.deepEqual(fm, { description: 'D', body: 'body', frontmatter: { description: 'D', k: 'v' } });
  assert.equal(sdk.agents.parseCursorCommandFrontmatter('---\ndescription: x\n').description, '');
  const md = sdk.agents.buildAgentSkillMarkdown('oxe-scan', 'd', 'body');
  assert.equal(md, `---\nname: oxe-scan\ndescription: "d"\nuser-invocable: true\n---\n\n${sdk.agents.OXE_MANAGED_HTML}\n\nbody\n`);
  assert.match(sdk.agents.buildAgentSkillMarkdown('x', '', 'b', { oxe_reasoning_mode: 'review' }), /user-invocable: true\noxe_workflow_slug: \noxe_reasoning_mode: review\n/);
  const home = tmp('oxe-sdk-ag-');
  withHome(home, () => {
    const p = sdk.agents.buildAgentInstallPaths(true, '/proj');
    assert.deepEqual(p.opencodeCommandDirs, [path.join(home, '.config', 'opencode', 'commands'), path.join(home, '.opencode', 'commands')]);
    assert.equal(p.codexPromptsDir, path.join(home, '.codex', 'prompts'));
    assert.equal(sdk.agents.opencodeCommandDirs().length, 2);
    assert.equal(sdk.agents.geminiUserDir(), path.join(home, '.gemini'));
    const l = sdk.agents.buildAgentInstallPaths(false, '/proj');
    assert.equal(l.windsurfWorkflowsDir, path.join('/proj', '.windsurf', 'global_workflows'));
  });
});

test('agents installers: write, omit without force, dry-run lines, cleanup of managed files only', () => {
  const home = tmp('oxe-sdk-ag-');
  withHome(home, () => {
    const paths = sdk.agents.buildAgentInstallPaths(true, home);
    const writes = [];
    sdk.agents.installOpenCodeCommands(CMDS, paths, { dryRun: true }, false, null, (l) => writes.push(l));
    assert.equal(writes.length, 6);
    assert.match(writes[0], /^opencode .*oxe-help\.md → .*oxe-help\.md$/);
    assert.ok(!fs.existsSync(path.join(home, '.config')));
    sdk.agents.installOpenCodeCommands(CMDS, paths, { force: true }, false);
    sdk.agents.installGeminiTomlCommands(CMDS, paths, { force: true }, false);
    sdk.agents.installWindsurfGlobalWorkflows(CMDS, paths, { force: true }, false);
    sdk.agents.installCodexPrompts(CMDS, paths, { force: true }, false);
    sdk.agents.installSkillTreeFromCursorCommands(CMDS, paths.antigravitySkillsRoot, { force: true }, false);
    const omitted = [];
    sdk.agents.installWindsurfGlobalWorkflows(CMDS, paths, { force: false }, false, (d) => omitted.push(d));
    assert.equal(omitted.length, 4);
    assert.ok(fs.existsSync(path.join(home, '.gemini', 'commands', 'oxe.toml')));
    assert.ok(fs.existsSync(path.join(home, '.gemini', 'antigravity', 'skills', 'oxe', 'SKILL.md')));
    const mine = path.join(home, '.opencode', 'commands', 'oxe-mine.md');
    fs.writeFileSync(mine, 'no marker');
    sdk.agents.cleanupMarkedUnifiedArtifacts({ dryRun: true }, paths);
    assert.ok(fs.existsSync(path.join(home, '.opencode', 'commands', 'oxe-scan.md')));
    sdk.agents.cleanupMarkedUnifiedArtifacts({ dryRun: false }, paths);
    assert.deepEqual(tree(path.join(home, '.opencode', 'commands')), ['oxe-mine.md']);
    assert.ok(!fs.existsSync(path.join(home, '.gemini', 'commands', 'oxe')));
    assert.deepEqual(tree(paths.windsurfWorkflowsDir), []);
    assert.deepEqual(tree(paths.antigravitySkillsRoot), []);
  });
});

test('npmVersion: parse, compare, and a fake npm on PATH', () => {
  const v = sdk.npmVersion;
  assert.equal(v.parseNpmViewVersion('0.3.5\n'), '0.3.5');
  assert.equal(v.parseNpmViewVersion('"1.2.3"\n'), '1.2.3');
  assert.equal(v.parseNpmViewVersion('v2.0.0'), '2.0.0');
  assert.equal(v.parseNpmViewVersion('not-a-version'), null);
  assert.equal(v.parseNpmViewVersion(''), null);
  assert.equal(v.parseNpmViewVersion("'not-a-semver'"), null);
  assert.equal(v.isNewerThan('0.4.0', '0.3.5'), true);
  assert.equal(v.isNewerThan('0.3.5', '0.3.5'), false);
  assert.equal(v.isNewerThan('x', '0.3.5'), false);
  const bin = tmp('oxe-sdk-npm-');
  fs.writeFileSync(path.join(bin, 'npm'), `#!${process.execPath}\nif (process.env.FAIL) { process.stderr.write('boom'); process.exit(3); }\nprocess.stdout.write((process.env.V || '') + '\\n');\n`, { mode: 0o755 });
  const env = (extra) => ({ env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...extra } });
  assert.deepEqual(v.syncNpmViewVersion('oxe-cc', env({ V: '99.0.0' })), { ok: true, version: '99.0.0' });
  const empty = v.syncNpmViewVersion('oxe-cc', env({}));
  assert.equal(empty.ok, false);
  assert.ok(empty.error.length > 0);
  assert.deepEqual(v.syncNpmViewVersion('oxe-cc', env({ FAIL: '1' })), { ok: false, error: 'boom' });
});
