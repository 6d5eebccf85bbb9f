'use strict';
// Installs made by oxe-cc 1.4.0 itself, taken over by ours (and back):
// the user-level manifest is shared, so an update replaces what 1.4.0
// installed and the user left alone, keeps what the user edited, and
// 1.4.0 can still re-install over ours. Needs the upstream git dir
// (OXE_UPSTREAM_MIRROR, default /work/.mirror/propagno+oxe-build/repo).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const { ROOT, makePackage, cli, tree } = require('./install/fake-package.js');

const MIRROR = process.env.OXE_UPSTREAM_MIRROR || '/work/.mirror/propagno+oxe-build/repo';
const SKIP = fs.existsSync(MIRROR) ? false : `the upstream git dir is absent (${MIRROR}); set OXE_UPSTREAM_MIRROR to run this test`;

function sha(p) {
  return crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

function upstreamInstall() {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-upstream-install.js'), MIRROR, '--cursor', '--copilot-cli'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a 1.4.0 install, then our update, then 1.4.0 --force, then our uninstall', { skip: SKIP }, () => {
  const { upstream, home, project, nodePath } = upstreamInstall();
  const cmds = path.join(home, '.cursor', 'commands');
  const manifestFile = path.join(home, '.oxe-cc', 'manifest.json');
  const before = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).files;
  assert.equal(before[path.join(cmds, 'oxe-scan.md')], sha(path.join(cmds, 'oxe-scan.md')));
  fs.writeFileSync(path.join(cmds, 'oxe-plan.md'), 'my team plan command\n');

  const pkg = makePackage();
  const r = cli(pkg, ['--cursor', '--copilot-cli', '--no-global-cli', '--json', project], { home, env: { OXE_INSTALL_MODE: 'update' } });
  assert.equal(r.status, 0, r.stderr);
  const ours = fs.readFileSync(path.join(pkg, '.cursor', 'commands', 'oxe-scan.md'), 'utf8').replace(/oxe\/workflows\/scan\.md in/, '.oxe/workflows/scan.md in');
  // recorded by 1.4.0 and untouched: replaced
  assert.equal(fs.readFileSync(path.join(cmds, 'oxe-scan.md'), 'utf8'), ours);
  assert.match(fs.readFileSync(path.join(home, '.copilot', 'skills', 'oxe-scan', 'SKILL.md'), 'utf8'), /name: oxe-scan/);
  // edited by the user: kept, new version beside it
  assert.equal(fs.readFileSync(path.join(cmds, 'oxe-plan.md'), 'utf8'), 'my team plan command\n');
  assert.ok(fs.existsSync(path.join(cmds, 'oxe-plan.md.oxe-new')));
  // files 1.4.0 installed that this package does not ship are left alone
  assert.ok(fs.existsSync(path.join(cmds, 'oxe-ask.md')));
  const after = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  assert.deepEqual(Object.keys(after), ['version', 'updated_at', 'files']);
  for (const k of Object.keys(before)) assert.ok(k in after.files, `entry of 1.4.0 kept: ${k}`);
  assert.equal(after.files[path.join(cmds, 'oxe-scan.md')], sha(path.join(cmds, 'oxe-scan.md')));
  assert.equal(after.files[path.join(cmds, 'oxe-plan.md')], before[path.join(cmds, 'oxe-plan.md')], 'the edit is not a new baseline');

  // 1.4.0 reads our manifest and re-installs over our files
  const env = { ...process.env, HOME: home, USERPROFILE: home, OXE_NO_PROMPT: '1', NODE_PATH: nodePath };
  const back = spawnSync(process.execPath, [path.join(upstream, 'bin', 'oxe-cc.js'), '--cursor', '--copilot-cli', '--force', '--no-global-cli', project], { env, encoding: 'utf8' });
  assert.equal(back.status, 0, back.stderr);
  const meta = path.join(home, '.oxe-cc', 'oxe-local-patches');
  assert.equal(fs.readdirSync(meta).length, 1, '1.4.0 backed up the user edit it found through our manifest');

  // our uninstall removes what 1.4.0 re-installed (its hashes are recorded)
  const u = cli(pkg, ['uninstall', '--cursor', '--copilot-cli', '--ide-only', '--dir', project], { home });
  assert.equal(u.status, 0, u.stderr);
  assert.ok(!fs.existsSync(path.join(cmds, 'oxe-scan.md')));
  assert.ok(!fs.existsSync(path.join(cmds, 'oxe-ask.md')));
  // 1.4.0's --force replaced the edit (after its backup) and recorded it;
  // the proposal we wrote beside it is recorded too: both go
  assert.ok(!fs.existsSync(path.join(cmds, 'oxe-plan.md')));
  assert.ok(!fs.existsSync(path.join(cmds, 'oxe-plan.md.oxe-new')));
  // oxe.md: 1.4.0 never recorded it, so it is not provably ours and stays
  assert.deepEqual(tree(path.join(home, '.claude', 'commands')), ['oxe.md']);
});
