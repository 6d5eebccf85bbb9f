'use strict';
// The installer's lifecycle beyond 1.4.0: an update keeps the user's
// edits, uninstall removes only what oxe-cc installed, an interrupted
// install leaves whole files and can be re-run.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { makePackage, cli, tmp, tree } = require('./install/fake-package.js');

function read(...p) {
  return fs.readFileSync(path.join(...p), 'utf8');
}

test('update mode replaces untouched files, keeps edited ones and writes <file>.oxe-new', () => {
  const pkg = makePackage();
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  assert.equal(cli(pkg, ['--cursor', '--gemini', '--no-init-oxe', proj], { home }).status, 0);
  const cmds = path.join(home, '.cursor', 'commands');
  fs.writeFileSync(path.join(cmds, 'oxe-plan.md'), 'my own plan command\n');
  const wf = path.join(proj, '.oxe', 'workflows', 'plan.md');
  fs.writeFileSync(wf, 'my plan workflow\n');
  // a new package version changes the sources
  for (const f of ['oxe-scan.md', 'oxe-plan.md']) fs.appendFileSync(path.join(pkg, '.cursor', 'commands', f), '\nNew in this version.\n');
  for (const f of ['scan.md', 'plan.md']) fs.appendFileSync(path.join(pkg, 'oxe', 'workflows', f), 'New step.\n');
  const dry = cli(pkg, ['--cursor', '--gemini', '--no-init-oxe', '--dry-run', proj], { home, env: { OXE_INSTALL_MODE: 'update' } });
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /keep +.*oxe-plan\.md \(edited by you; new version would go to .*oxe-plan\.md\.oxe-new\)/);
  assert.match(dry.stdout, /file +.*oxe-scan\.md → .*oxe-scan\.md/);
  assert.match(dry.stdout, /unchanged +.*oxe-help\.md/);
  assert.ok(!fs.existsSync(path.join(cmds, 'oxe-plan.md.oxe-new')));
  assert.doesNotMatch(read(cmds, 'oxe-scan.md'), /New in this version/);
  const r = cli(pkg, ['--cursor', '--gemini', '--no-init-oxe', '--json', proj], { home, env: { OXE_INSTALL_MODE: 'update' } });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.mode, 'update');
  assert.match(read(cmds, 'oxe-scan.md'), /New in this version/);
  assert.match(read(home, '.gemini', 'commands', 'oxe', 'plan.toml'), /New in this version/);
  assert.match(read(proj, '.oxe', 'workflows', 'scan.md'), /New step/);
  assert.equal(read(cmds, 'oxe-plan.md'), 'my own plan command\n');
  assert.match(read(cmds, 'oxe-plan.md.oxe-new'), /New in this version/);
  assert.equal(read(wf), 'my plan workflow\n');
  assert.match(read(`${wf}.oxe-new`), /New step/);
  assert.deepEqual(s.keptUserEdits.map((k) => k.path).sort(), [path.join(cmds, 'oxe-plan.md'), wf].sort());
  // the edit is still detected on the next update (not taken as a new baseline)
  const again = JSON.parse(cli(pkg, ['--cursor', '--no-init-oxe', '--json', proj], { home, env: { OXE_INSTALL_MODE: 'update' } }).stdout);
  assert.ok(again.keptUserEdits.some((k) => k.path === path.join(cmds, 'oxe-plan.md')));
});

test('oxe-cc update runs the installer through npx in update mode, without --force', () => {
  const pkg = makePackage();
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  assert.equal(cli(pkg, ['--cursor', '--no-init-oxe', proj], { home }).status, 0);
  fs.writeFileSync(path.join(home, '.cursor', 'commands', 'oxe-plan.md'), 'mine\n');
  fs.appendFileSync(path.join(pkg, '.cursor', 'commands', 'oxe-scan.md'), 'v2\n');
  // a fake npx that runs this package's CLI with the arguments after the package spec
  const bin = tmp('oxe-fake-npx-');
  const log = path.join(bin, 'args.json');
  fs.writeFileSync(
    path.join(bin, 'npx'),
    `#!${process.execPath}\nconst fs=require('fs');const a=process.argv.slice(2);fs.writeFileSync(${JSON.stringify(log)},JSON.stringify({a,mode:process.env.OXE_INSTALL_MODE,cwd:process.cwd()}));\nconst r=require('child_process').spawnSync(process.execPath,[${JSON.stringify(path.join(pkg, 'bin', 'run.js'))},...a.slice(2)],{stdio:'inherit'});process.exit(r.status);\n`,
    { mode: 0o755 },
  );
  const r = cli(pkg, ['update', '--cursor', '--no-init-oxe', proj], { home, env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const seen = JSON.parse(fs.readFileSync(log, 'utf8'));
  assert.deepEqual(seen.a.slice(0, 2), ['-y', 'oxe-cc@latest']);
  assert.ok(!seen.a.includes('--force'));
  assert.ok(seen.a.includes('--cursor'));
  assert.equal(seen.mode, 'update');
  assert.equal(fs.realpathSync(seen.cwd), fs.realpathSync(proj));
  assert.match(read(home, '.cursor', 'commands', 'oxe-scan.md'), /v2/);
  assert.equal(read(home, '.cursor', 'commands', 'oxe-plan.md'), 'mine\n');
  assert.ok(fs.existsSync(path.join(home, '.cursor', 'commands', 'oxe-plan.md.oxe-new')));
});

test('update --check / --if-newer exit codes with OXE_UPDATE_SKIP_REGISTRY and a fake npm', () => {
  const pkg = makePackage();
  const home = tmp('oxe-home-');
  assert.equal(cli(pkg, ['update', '--check'], { home, env: { OXE_UPDATE_SKIP_REGISTRY: '1' } }).status, 2);
  assert.equal(cli(pkg, ['update', '--if-newer', home], { home, env: { OXE_UPDATE_SKIP_REGISTRY: 'true' } }).status, 2);
  const bin = tmp('oxe-fake-npm-');
  fs.writeFileSync(path.join(bin, 'npm'), `#!${process.execPath}\nprocess.stdout.write(process.env.FAKE_V + '\\n');\n`, { mode: 0o755 });
  const env = (v) => ({ PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_V: v });
  assert.equal(cli(pkg, ['update', '--check'], { home, env: env('"9.0.0"') }).status, 1);
  assert.equal(cli(pkg, ['update', '--check'], { home, env: env('1.4.0') }).status, 0);
  assert.equal(cli(pkg, ['update', '--check'], { home, env: env('garbage') }).status, 2);
  const r = cli(pkg, ['update', '--if-newer', home], { home, env: env('1.0.0') });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /npm latest/);
  const d = cli(pkg, ['update', '--dry-run', home], { home, env: env('1.0.0') });
  assert.equal(d.status, 0);
  assert.match(d.stdout, /npx -y oxe-cc@latest/);
});

test('uninstall removes what oxe-cc installed, keeps edited and foreign files', () => {
  const pkg = makePackage();
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  assert.equal(cli(pkg, ['--cursor', '--copilot', '--copilot-cli', '--opencode', '--no-init-oxe', proj], { home }).status, 0);
  const cmds = path.join(home, '.cursor', 'commands');
  fs.writeFileSync(path.join(cmds, 'oxe-mine.md'), 'my command\n');
  fs.writeFileSync(path.join(cmds, 'oxe-plan.md'), 'edited\n');
  fs.writeFileSync(path.join(proj, '.oxe', 'workflows', 'my-flow.md'), 'mine\n');
  fs.writeFileSync(path.join(home, '.opencode', 'commands', 'oxe-other.md'), 'no marker\n');
  const inst = path.join(proj, '.github', 'copilot-instructions.md');
  fs.writeFileSync(inst, `# Team notes\n\n${read(inst)}`);
  const r = cli(pkg, ['uninstall', '--dir', proj], { home });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.deepEqual(tree(cmds), ['oxe-mine.md', 'oxe-plan.md']);
  assert.equal(read(cmds, 'oxe-plan.md'), 'edited\n');
  assert.deepEqual(tree(path.join(home, '.claude', 'commands')), []);
  assert.ok(!fs.existsSync(path.join(home, '.copilot', 'skills', 'oxe-scan')));
  assert.deepEqual(tree(path.join(home, '.opencode', 'commands')), ['oxe-other.md']);
  assert.deepEqual(tree(path.join(proj, '.oxe', 'workflows')), ['my-flow.md']);
  assert.deepEqual(tree(path.join(proj, '.github', 'prompts')), []);
  assert.equal(read(inst), '# Team notes\n');
  const files = JSON.parse(read(home, '.oxe-cc', 'manifest.json')).files;
  assert.ok(!(path.join(cmds, 'oxe-scan.md') in files));
  assert.ok(path.join(cmds, 'oxe-plan.md') in files, 'the kept edited file stays recorded');
  assert.ok(!(path.join(home, '.opencode', 'commands', 'oxe-scan.md') in files));
});

test('uninstall --dry-run removes nothing', () => {
  const pkg = makePackage();
  const home = tmp('oxe-home-');
  const proj = tmp('oxe-proj-');
  assert.equal(cli(pkg, ['--cursor', '--no-init-oxe', proj], { home }).status, 0);
  const before = tree(home).concat(tree(proj));
  const r = cli(pkg, ['uninstall', '--dry-run', '--dir', proj], { home });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /rm .*oxe-scan\.md/);
  assert.deepEqual(tree(home).concat(tree(proj)), before);
});

test('an interrupted install leaves only whole files and a re-run completes it', () => {
  const pkg = makePackage();
  const clean = { home: tmp('oxe-home-'), proj: tmp('oxe-proj-') };
  assert.equal(cli(pkg, ['--all-agents', clean.proj], { home: clean.home }).status, 0);
  const expected = new Map(tree(clean.proj).map((f) => [f, read(clean.proj, f)]));
  for (const n of [1, 7, 30]) {
    const home = tmp('oxe-home-');
    const proj = tmp('oxe-proj-');
    const crashed = cli(pkg, ['--all-agents', proj], { home, env: { OXE_TEST_CRASH_AFTER_WRITES: String(n) } });
    assert.notEqual(crashed.status, 0, `crash after ${n} writes`);
    const partial = tree(proj);
    assert.ok(partial.length > 0 && partial.length < expected.size);
    for (const f of partial) {
      assert.ok(!/\.tmp$/.test(f), `temp file left: ${f}`);
      // the install manifests carry a timestamp; every other file must be whole
      if (!f.startsWith('.oxe/install/')) assert.equal(read(proj, f), expected.get(f), `${f} is whole`);
      else JSON.parse(read(proj, f));
    }
    const again = cli(pkg, ['--all-agents', proj], { home });
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(tree(proj), [...expected.keys()]);
    for (const f of ['.oxe/workflows/scan.md', '.github/copilot-instructions.md', '.cursor/commands/oxe-scan.md']) {
      if (expected.has(f)) assert.equal(read(proj, f), expected.get(f));
    }
  }
});
