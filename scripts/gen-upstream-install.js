#!/usr/bin/env node
'use strict';
// Makes a project installed by oxe-cc 1.4.0 itself, for the upgrade tests.
//
//   node scripts/gen-upstream-install.js <upstream git dir> [install flags…]
//
// Extracts release 1.4.0 from the upstream git dir (`git archive`), runs
// its two prepublish sync scripts (as the published package did), then
// runs its installer non-interactively with a throwaway HOME into a new
// project. 1.4.0 needs `semver`: it is taken from npm's own bundled
// node_modules through NODE_PATH. Prints `{upstream, home, project}` as
// JSON on stdout; exits 1 with a reason on stderr when something is
// missing.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync, execFileSync } = require('child_process');

const COMMIT = '0cc5832fb6dc66bf2921430b606770ee4e13b61f';

function fail(msg) {
  process.stderr.write(`gen-upstream-install: ${msg}\n`);
  process.exit(1);
}

function npmNodeModules() {
  const candidates = [];
  try {
    const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    candidates.push(path.join(root, 'npm', 'node_modules'));
  } catch {
    /* fall through */
  }
  candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules'));
  return candidates.find((c) => fs.existsSync(path.join(c, 'semver')));
}

function main() {
  const [gitDir, ...flags] = process.argv.slice(2);
  if (!gitDir || !fs.existsSync(gitDir)) fail(`upstream git dir not found: ${gitDir || '(none given)'}`);
  const nodePath = npmNodeModules();
  if (!nodePath) fail("npm's bundled semver was not found");
  const upstream = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-upstream-140-'));
  const archive = spawnSync('git', ['-C', gitDir, 'archive', '--format=tar', COMMIT], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) fail(`git archive failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', upstream], { input: archive.stdout });
  if (untar.status !== 0) fail(`tar failed: ${untar.stderr}`);
  const env = { ...process.env, NODE_PATH: nodePath };
  for (const s of ['sync-runtime-metadata.cjs', 'sync-cursor-from-prompts.cjs']) {
    const r = spawnSync(process.execPath, [path.join(upstream, 'scripts', s)], { cwd: upstream, env, encoding: 'utf8' });
    if (r.status !== 0) fail(`${s} failed: ${r.stderr}`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-upstream-home-'));
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-upstream-proj-'));
  const ienv = { ...env, HOME: home, USERPROFILE: home, OXE_NO_PROMPT: '1', OXE_NO_BANNER: '1' };
  for (const k of ['CURSOR_CONFIG_DIR', 'COPILOT_CONFIG_DIR', 'COPILOT_HOME', 'CLAUDE_CONFIG_DIR', 'XDG_CONFIG_HOME', 'CODEX_HOME']) delete ienv[k];
  const args = flags.length > 0 ? flags : ['--cursor', '--copilot', '--copilot-cli', '--opencode'];
  const r = spawnSync(process.execPath, [path.join(upstream, 'bin', 'oxe-cc.js'), ...args, '--no-global-cli', project], {
    cwd: project,
    env: ienv,
    encoding: 'utf8',
  });
  if (r.status !== 0) fail(`the 1.4.0 installer failed (${r.status}): ${r.stderr}`);
  process.stdout.write(`${JSON.stringify({ upstream, home, project, nodePath })}\n`);
}

main();
