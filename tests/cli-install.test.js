'use strict';
// `oxe-cc [install]` for each of the 8 targets, from a small package root
// into empty projects with a throwaway HOME: destinations, file names,
// frontmatter each agent needs, the nested path rewrite, manifests,
// dry-run and --json.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { makePackage, cli, tmp, tree, entries, frontmatterKeys } = require('./install/fake-package.js');

const PKG = makePackage();
const META_KEYS = [
  'oxe_workflow_slug', 'oxe_reasoning_mode', 'oxe_question_policy', 'oxe_output_contract', 'oxe_tool_profile',
  'oxe_confidence_policy', 'oxe_context_tier', 'oxe_contract_version', 'oxe_semantics_hash',
];
const MARK = '<!-- oxe-cc managed -->';

function install(args, extra = {}) {
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  const r = cli(PKG, [...args, '--no-init-oxe', proj], { home, ...extra });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return { home, proj, r };
}

function read(...p) {
  return fs.readFileSync(path.join(...p), 'utf8');
}

function noDoubleDots(dir) {
  for (const f of tree(dir)) {
    if (!/\.(md|toml)$/.test(f)) continue;
    assert.ok(!read(dir, f).includes('..oxe/'), `${f} has a doubled ..oxe/ path`);
  }
}

test('nested layout (default): oxe/ tree under .oxe/, path rewrite without ..oxe/', () => {
  const { home, proj } = install(['--oxe-only']);
  assert.deepEqual(tree(path.join(proj, '.oxe', 'workflows')), ['help.md', 'plan.md', 'references/legacy-brownfield.md', 'scan.md']);
  assert.deepEqual(tree(path.join(proj, '.oxe', 'templates')), ['STATE.md', 'config.template.json']);
  assert.ok(fs.existsSync(path.join(proj, '.oxe', 'personas', 'architect.md')));
  assert.ok(fs.existsSync(path.join(proj, '.oxe', 'schemas', 'plan-agents.schema.json')));
  assert.ok(!fs.existsSync(path.join(proj, 'oxe')));
  assert.equal(read(proj, '.oxe', 'workflows', 'scan.md'), '# OXE workflow: scan\n\nSee .oxe/workflows/help.md and .oxe/workflows/scan.md and .oxe/templates/STATE.md.\n');
  assert.equal(read(proj, '.oxe', 'workflows', 'references', 'legacy-brownfield.md'), 'Read .oxe/workflows/references/x.md.\n');
  // personas are copied verbatim
  assert.match(read(proj, '.oxe', 'personas', 'architect.md'), / oxe\/workflows\/plan\.md/);
  assert.match(read(proj, '.gitignore'), /^\.oxe\/$/m);
  // --oxe-only writes no IDE file into HOME
  assert.deepEqual(tree(home).filter((f) => !f.startsWith('.oxe-cc/')), []);
});

test('classic layout (--global): oxe/, commands/oxe and AGENTS.md at the root, no rewrite', () => {
  const { proj } = install(['--cursor', '--global', '--no-global-cli']);
  assert.deepEqual(tree(path.join(proj, 'oxe', 'workflows')), ['help.md', 'plan.md', 'references/legacy-brownfield.md', 'scan.md']);
  assert.deepEqual(tree(path.join(proj, 'commands', 'oxe')), ['help.md', 'plan.md', 'scan.md', 'ship.md']);
  assert.ok(fs.existsSync(path.join(proj, 'AGENTS.md')));
  assert.ok(!fs.existsSync(path.join(proj, '.oxe', 'workflows')));
  assert.match(read(proj, 'oxe', 'workflows', 'scan.md'), /See oxe\/workflows\/help\.md/);
});

test('cursor: ~/.cursor/commands, 4 files with description, argument-hint and the 9 metadata keys', () => {
  const { home, proj } = install(['--cursor']);
  const dir = path.join(home, '.cursor', 'commands');
  assert.deepEqual(tree(dir), ['oxe-help.md', 'oxe-plan.md', 'oxe-scan.md', 'oxe.md']);
  const t = read(dir, 'oxe-scan.md');
  assert.deepEqual(frontmatterKeys(t), ['description', 'argument-hint', ...META_KEYS]);
  assert.match(t, /`\.oxe\/workflows\/scan\.md` \(also \.oxe\/workflows\/scan\.md/);
  noDoubleDots(dir);
  assert.ok(!fs.existsSync(path.join(proj, '.cursor')));
});

test('cursor --ide-local and CURSOR_CONFIG_DIR', () => {
  const { proj } = install(['--cursor', '--ide-local']);
  assert.ok(fs.existsSync(path.join(proj, '.cursor', 'commands', 'oxe-scan.md')));
  const custom = tmp('oxe-cursor-');
  install(['--cursor'], { env: { CURSOR_CONFIG_DIR: custom } });
  assert.ok(fs.existsSync(path.join(custom, 'commands', 'oxe-scan.md')));
});

test('copilot (VS Code): workspace .github, one OXE block, copilot-vscode.json', () => {
  const { home, proj } = install(['--copilot']);
  const inst = read(proj, '.github', 'copilot-instructions.md');
  assert.equal(inst.split('<!-- oxe-cc:install-begin -->').length, 2);
  assert.equal(inst.split('<!-- oxe-cc:install-end -->').length, 2);
  assert.match(inst, /Workflows live in \.oxe\/workflows\/ \(nested: \.oxe\/workflows\/\)/);
  assert.deepEqual(tree(path.join(proj, '.github', 'prompts')), ['oxe-help.prompt.md', 'oxe-plan.prompt.md', 'oxe-scan.prompt.md', 'oxe.prompt.md']);
  assert.deepEqual(frontmatterKeys(read(proj, '.github', 'prompts', 'oxe-scan.prompt.md')), ['name', 'agent', 'description', 'argument-hint', ...META_KEYS]);
  const m = JSON.parse(read(proj, '.oxe', 'install', 'copilot-vscode.json'));
  assert.deepEqual(Object.keys(m), ['schema_version', 'target', 'synced_at', 'oxe_version', 'layout', 'instructions_path', 'prompt_files', 'hashes']);
  assert.deepEqual(m.prompt_files, ['oxe-help.prompt.md', 'oxe-plan.prompt.md', 'oxe-scan.prompt.md']);
  assert.equal(m.layout, 'nested');
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(proj, '.github', 'prompts', 'oxe-scan.prompt.md'))).digest('hex');
  assert.equal(m.hashes['.github/prompts/oxe-scan.prompt.md'], sha);
  assert.ok(!fs.existsSync(path.join(home, '.copilot')));
  // a forced reinstall keeps exactly one block and the user's text
  fs.writeFileSync(path.join(proj, '.github', 'copilot-instructions.md'), `# Mine\n\n${inst}\nafter\n`);
  const r = cli(PKG, ['--copilot', '--force', '--no-init-oxe', proj], { home });
  assert.equal(r.status, 0, r.stderr);
  const again = read(proj, '.github', 'copilot-instructions.md');
  assert.equal(again.split('<!-- oxe-cc:install-end -->').length, 2);
  assert.match(again, /^# Mine\n/);
  assert.match(again, /after\n$/);
});

test('copilot-cli: Claude commands, Copilot commands and skills', () => {
  const { home } = install(['--copilot-cli']);
  assert.deepEqual(tree(path.join(home, '.claude', 'commands')), ['oxe-help.md', 'oxe-plan.md', 'oxe-scan.md', 'oxe.md']);
  assert.deepEqual(tree(path.join(home, '.copilot', 'commands')), ['oxe-help.md', 'oxe-plan.md', 'oxe-scan.md', 'oxe.md']);
  assert.deepEqual(tree(path.join(home, '.copilot', 'skills')), ['oxe-help/SKILL.md', 'oxe-plan/SKILL.md', 'oxe-scan/SKILL.md', 'oxe/SKILL.md']);
  const s = read(home, '.copilot', 'skills', 'oxe-scan', 'SKILL.md');
  assert.deepEqual(frontmatterKeys(s), ['name', 'description', 'user-invocable', ...META_KEYS]);
  assert.match(s, /^---\nname: oxe-scan\ndescription: "Map the codebase"\nuser-invocable: true\noxe_workflow_slug: scan\n/);
  assert.match(s, /\n---\n\n<!-- oxe-cc managed -->\n\nMap the codebase\n\nRead and apply/);
  assert.match(read(home, '.copilot', 'skills', 'oxe', 'SKILL.md'), /^---\nname: oxe\ndescription: "Show the OXE commands Entry point \/oxe/);
});

test('opencode: both folders, marker after the frontmatter, no oxe.md', () => {
  const { home } = install(['--opencode']);
  for (const d of [path.join(home, '.config', 'opencode', 'commands'), path.join(home, '.opencode', 'commands')]) {
    assert.deepEqual(tree(d), ['oxe-help.md', 'oxe-plan.md', 'oxe-scan.md']);
    const t = read(d, 'oxe-scan.md');
    assert.deepEqual(frontmatterKeys(t), ['description', 'argument-hint', ...META_KEYS]);
    assert.match(t, /\n---\n\n<!-- oxe-cc managed -->\n\n\nMap the codebase/);
  }
  assert.ok(!fs.existsSync(path.join(home, '.gemini')));
  const xdg = tmp('oxe-xdg-');
  install(['--opencode'], { env: { XDG_CONFIG_HOME: xdg } });
  assert.ok(fs.existsSync(path.join(xdg, 'opencode', 'commands', 'oxe-scan.md')));
});

test('gemini: oxe.toml and oxe/<short>.toml with marker, description and prompt', () => {
  const { home } = install(['--gemini']);
  const base = path.join(home, '.gemini', 'commands');
  assert.deepEqual(tree(base), ['oxe.toml', 'oxe/help.toml', 'oxe/plan.toml', 'oxe/scan.toml']);
  const t = read(base, 'oxe', 'scan.toml');
  assert.match(t, /^# oxe-cc managed\ndescription = "Map the codebase \(Gemini: \/oxe:scan\)"\nprompt = """\nMap the codebase\n/);
  assert.match(t, /\n"""\n$/);
  assert.match(read(base, 'oxe.toml'), /^# oxe-cc managed\ndescription = "Show the OXE commands \(Gemini: \/oxe\)"/);
});

test('windsurf: description-only frontmatter, marker and H1; oxe.md from help', () => {
  const { home } = install(['--windsurf']);
  const dir = path.join(home, '.codeium', 'windsurf', 'global_workflows');
  assert.deepEqual(tree(dir), ['oxe-help.md', 'oxe-plan.md', 'oxe-scan.md', 'oxe.md']);
  assert.match(read(dir, 'oxe-scan.md'), /^---\ndescription: "Map the codebase"\n---\n\n<!-- oxe-cc managed -->\n\n# oxe-scan\n\nMap the codebase/);
  assert.match(read(dir, 'oxe.md'), /^---\ndescription: "Show the OXE commands \(OXE \/oxe\)"\n---\n\n<!-- oxe-cc managed -->\n\n# oxe\n/);
});

test('codex: prompts with description, argument-hint and metadata; skills in ~/.agents', () => {
  const { home } = install(['--codex']);
  const p = path.join(home, '.codex', 'prompts');
  assert.deepEqual(tree(p), ['oxe-help.md', 'oxe-plan.md', 'oxe-scan.md']);
  const t = read(p, 'oxe-scan.md');
  assert.deepEqual(frontmatterKeys(t), ['description', 'argument-hint', ...META_KEYS]);
  assert.ok(t.includes(MARK));
  assert.deepEqual(tree(path.join(home, '.agents', 'skills')), ['oxe-help/SKILL.md', 'oxe-plan/SKILL.md', 'oxe-scan/SKILL.md', 'oxe/SKILL.md']);
  const codexHome = tmp('oxe-codex-');
  install(['--codex'], { env: { CODEX_HOME: codexHome } });
  assert.ok(fs.existsSync(path.join(codexHome, 'prompts', 'oxe-scan.md')));
});

test('antigravity: skills in ~/.gemini/antigravity/skills', () => {
  const { home } = install(['--antigravity']);
  const dir = path.join(home, '.gemini', 'antigravity', 'skills');
  assert.deepEqual(tree(dir), ['oxe-help/SKILL.md', 'oxe-plan/SKILL.md', 'oxe-scan/SKILL.md', 'oxe/SKILL.md']);
  assert.ok(read(dir, 'oxe-scan', 'SKILL.md').includes(MARK));
  assert.ok(!fs.existsSync(path.join(home, '.gemini', 'commands')));
});

test('--all-agents --ide-local puts every agent target inside the project', () => {
  const { home, proj } = install(['--all-agents', '--ide-local']);
  for (const rel of [
    '.cursor/commands/oxe-scan.md',
    '.github/prompts/oxe-scan.prompt.md',
    '.claude/commands/oxe-scan.md',
    '.copilot/skills/oxe-scan/SKILL.md',
    '.opencode/commands/oxe-scan.md',
    '.gemini/commands/oxe/scan.toml',
    '.windsurf/global_workflows/oxe.md',
    '.codex/prompts/oxe-scan.md',
    '.agents/skills/oxe/SKILL.md',
    '.gemini/antigravity/skills/oxe-scan/SKILL.md',
  ]) {
    assert.ok(fs.existsSync(path.join(proj, rel)), rel);
  }
  noDoubleDots(proj);
  assert.deepEqual(tree(home).filter((f) => !f.startsWith('.oxe-cc/')), []);
  const rs = JSON.parse(read(proj, '.oxe', 'install', 'runtime-semantics.json'));
  assert.deepEqual(Object.keys(rs), ['schema_version', 'target', 'synced_at', 'oxe_version', 'contract_version', 'layout', 'installed_runtimes', 'semantics_hashes', 'wrappers', 'audit']);
  assert.deepEqual(rs.installed_runtimes, { cursor: true, copilot_vscode: true, copilot_cli: true, opencode: true, gemini: true, codex: true, windsurf: true, antigravity: true });
  assert.deepEqual(Object.keys(rs.wrappers), ['copilot_prompts', 'cursor_commands']);
  assert.deepEqual(rs.wrappers.cursor_commands.files.map((f) => f.path), ['.cursor/commands/oxe-help.md', '.cursor/commands/oxe-plan.md', '.cursor/commands/oxe-scan.md', '.cursor/commands/oxe.md']);
  assert.deepEqual(Object.keys(rs.audit), ['ok', 'warnings', 'mismatches']);
});

test('~/.oxe-cc/manifest.json records every installed file with its sha256', () => {
  const { home, proj } = install(['--cursor', '--copilot']);
  const m = JSON.parse(read(home, '.oxe-cc', 'manifest.json'));
  assert.deepEqual(Object.keys(m), ['version', 'updated_at', 'files']);
  assert.equal(m.version, '1.4.0');
  const files = m.files;
  const expect = [
    path.join(home, '.cursor', 'commands', 'oxe-scan.md'),
    path.join(home, '.cursor', 'commands', 'oxe.md'),
    path.join(proj, '.github', 'prompts', 'oxe-scan.prompt.md'),
    path.join(proj, '.github', 'copilot-instructions.md'),
    path.join(proj, '.oxe', 'install', 'copilot-vscode.json'),
    path.join(proj, '.oxe', 'install', 'runtime-semantics.json'),
    path.join(proj, '.oxe', 'workflows', 'scan.md'),
  ];
  for (const f of expect) {
    assert.equal(files[f], crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex'), f);
  }
  assert.match(read(home, '.oxe-cc', 'manifest.json'), /\n}\n$/);
});

test('--dry-run prints the plan and writes nothing, not even folders', () => {
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  const r = cli(PKG, ['--all-agents', '--dry-run', proj], { home });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /oxe-scan\.md → /);
  assert.match(r.stdout, /gemini .*scan\.toml/);
  assert.deepEqual(entries(proj), []);
  assert.deepEqual(entries(home), []);
});

test('--json prints one JSON summary on stdout', () => {
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  const r = cli(PKG, ['--cursor', '--json', '--no-init-oxe', proj], { home });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.ok, true);
  assert.equal(s.mode, 'install');
  assert.equal(s.layout, 'nested');
  assert.ok(s.written.includes(path.join(home, '.cursor', 'commands', 'oxe-scan.md')));
  const d = JSON.parse(cli(PKG, ['--cursor', '--json', '--dry-run', proj], { home }).stdout);
  assert.equal(d.dryRun, true);
  assert.ok(d.planned.some((p) => p.target === 'cursor'));
});

test('config install block: profile core installs no IDE file; --no-install-config ignores it', () => {
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  fs.mkdirSync(path.join(proj, '.oxe'));
  fs.writeFileSync(path.join(proj, '.oxe', 'config.json'), JSON.stringify({ install: { profile: 'core', repo_layout: 'classic' } }));
  assert.equal(cli(PKG, ['--no-init-oxe', proj], { home }).status, 0);
  assert.ok(!fs.existsSync(path.join(home, '.cursor')));
  assert.ok(fs.existsSync(path.join(proj, 'oxe', 'workflows', 'scan.md')));
  assert.ok(!fs.existsSync(path.join(proj, 'commands')));
  assert.equal(cli(PKG, ['--no-install-config', '--no-init-oxe', proj], { home }).status, 0);
  assert.ok(fs.existsSync(path.join(home, '.cursor', 'commands', 'oxe-scan.md')));
});

test('an existing file is kept without --force; --force backs up the user edit keeping its path', () => {
  const { home, proj } = install(['--cursor', '--copilot-cli']);
  const a = path.join(home, '.copilot', 'skills', 'oxe-scan', 'SKILL.md');
  const b = path.join(home, '.copilot', 'skills', 'oxe-plan', 'SKILL.md');
  fs.writeFileSync(a, 'mine a');
  fs.writeFileSync(b, 'mine b');
  assert.equal(cli(PKG, ['--cursor', '--copilot-cli', '--no-init-oxe', proj], { home }).status, 0);
  assert.equal(read(a), 'mine a');
  const r = cli(PKG, ['--cursor', '--copilot-cli', '--force', '--no-init-oxe', proj], { home });
  assert.equal(r.status, 0, r.stderr);
  assert.match(read(a), /name: oxe-scan/);
  const patches = path.join(home, '.oxe-cc', 'oxe-local-patches');
  const [stamp] = fs.readdirSync(patches);
  const files = tree(path.join(patches, stamp));
  const rel = (p) => path.relative('/', p).split(path.sep).join('/');
  assert.ok(files.includes(rel(a)) && files.includes(rel(b)), files.join('\n'));
  assert.equal(fs.readFileSync(path.join(patches, stamp, rel(a)), 'utf8'), 'mine a');
  assert.equal(fs.readFileSync(path.join(patches, stamp, rel(b)), 'utf8'), 'mine b');
  assert.deepEqual(JSON.parse(read(patches, stamp, 'backup-meta.json')).files.sort(), [b, a].sort());
});

test('on a terminal the runtime, location and layout are asked (script(1) provides the pty)', (t) => {
  const { spawnSync } = require('child_process');
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) return t.skip('script(1) is not available');
  const { isolatedEnv } = require('./install/fake-package.js');
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  const env = isolatedEnv(home);
  delete env.OXE_NO_PROMPT;
  const cmd = `${process.execPath} ${path.join(PKG, 'bin', 'run.js')} --no-init-oxe ${proj}`;
  // runtimes 3 (gemini) and 8 (windsurf), location 2 (project), layout 1 (classic), global CLI 1 (no)
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { input: '3,8\n2\n1\n1\n', env, encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stdout);
  assert.ok(fs.existsSync(path.join(proj, '.gemini', 'commands', 'oxe', 'scan.toml')));
  assert.ok(fs.existsSync(path.join(proj, '.windsurf', 'global_workflows', 'oxe.md')));
  assert.ok(fs.existsSync(path.join(proj, 'oxe', 'workflows', 'scan.md')), 'classic layout chosen');
  assert.ok(!fs.existsSync(path.join(proj, '.cursor')));
  assert.deepEqual(fs.readdirSync(home), ['.oxe-cc']);
});

test('VS Code extension: newest oxe-agents*.vsix through `code`; a missing or failing CLI never fails the install', () => {
  const pkg = makePackage();
  fs.mkdirSync(path.join(pkg, 'vscode-extension'));
  for (const v of ['0.9.2', '1.0.0', '1.4.0']) fs.writeFileSync(path.join(pkg, 'vscode-extension', `oxe-agents-${v}.vsix`), 'zip');
  const bin = tmp('oxe-fake-code-');
  const log = path.join(bin, 'log.json');
  fs.writeFileSync(path.join(bin, 'code'), `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(Number(process.env.CODE_EXIT || 0));\n`, { mode: 0o755 });
  const env = (extra) => ({ PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...extra });
  const home = tmp('oxe-home-');
  const ok = cli(pkg, ['--oxe-only', '--no-init-oxe', tmp('oxe-proj-')], { home, env: env({}) });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(fs.readFileSync(log, 'utf8')), ['--install-extension', path.join(pkg, 'vscode-extension', 'oxe-agents-1.4.0.vsix'), '--force']);
  const failing = cli(pkg, ['--oxe-only', '--no-init-oxe', tmp('oxe-proj-')], { home, env: env({ CODE_EXIT: '3' }) });
  assert.equal(failing.status, 0);
  assert.match(failing.stdout, /code --install-extension ".*oxe-agents-1\.4\.0\.vsix"/);
  fs.unlinkSync(log);
  const dry = cli(pkg, ['--oxe-only', '--dry-run', tmp('oxe-proj-')], { home, env: env({}) });
  assert.match(dry.stdout, /\(dry-run\) +code --install-extension/);
  assert.ok(!fs.existsSync(log), 'a dry run does not call code');
});
