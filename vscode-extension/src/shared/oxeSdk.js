'use strict';
// Locates the oxe-cc package a workspace uses and loads its SDK
// (require('oxe-cc')). The extension reads project state only through that
// SDK; when no package can be loaded it falls back to the oxe-cc CLI (the
// same commands 1.4.0's extension spawned), never to Markdown parsing of its
// own.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

let globalRootCache;

function npmGlobalRoot(spawn = spawnSync) {
  if (globalRootCache !== undefined) return globalRootCache;
  globalRootCache = null;
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawn(npm, ['root', '-g'], { encoding: 'utf8', timeout: 8000, shell: process.platform === 'win32' });
    const out = r && r.status === 0 ? String(r.stdout || '').trim() : '';
    if (out) globalRootCache = out;
  } catch {
    globalRootCache = null;
  }
  return globalRootCache;
}

/** Package directories to try, most specific first. */
function packageCandidates(root, env = process.env, globalRoot = npmGlobalRoot) {
  const out = [];
  if (env.OXE_CC_PACKAGE) out.push(path.resolve(env.OXE_CC_PACKAGE));
  if (root) out.push(path.join(root, 'node_modules', 'oxe-cc'));
  const g = typeof globalRoot === 'function' ? globalRoot() : globalRoot;
  if (g) out.push(path.join(g, 'oxe-cc'));
  return out;
}

/** True when `sdk` offers what the extension needs. */
function isUsableSdk(sdk) {
  return Boolean(
    sdk &&
      sdk.health &&
      typeof sdk.health.buildHealthReport === 'function' &&
      typeof sdk.parsePlan === 'function',
  );
}

/**
 * Loads the first usable SDK among the candidates.
 * @returns {{sdk: object|null, packageRoot: string|null, errors: string[]}}
 */
function loadSdk(root, opts = {}) {
  const env = opts.env || process.env;
  const req = opts.requireFn || require;
  const errors = [];
  for (const dir of packageCandidates(root, env, opts.globalRoot === undefined ? npmGlobalRoot : opts.globalRoot)) {
    if (!fs.existsSync(path.join(dir, 'package.json'))) continue;
    try {
      const sdk = req(dir);
      if (isUsableSdk(sdk)) return { sdk, packageRoot: dir, errors };
      errors.push(`${dir}: not an oxe-cc SDK`);
    } catch (e) {
      errors.push(`${dir}: ${e && e.message ? e.message : String(e)}`);
    }
  }
  return { sdk: null, packageRoot: null, errors };
}

/**
 * Runs the oxe-cc CLI and returns its JSON output (parsed from the first
 * `{`), or null. Prefers the workspace's own bin, then npx.
 */
function runCliJson(root, args, opts = {}) {
  const spawn = opts.spawn || spawnSync;
  const env = { ...(opts.env || process.env), OXE_NO_BANNER: '1', NO_COLOR: '1' };
  const localBin = path.join(root, 'node_modules', 'oxe-cc', 'bin', 'oxe-cc.js');
  const attempts = [];
  if (fs.existsSync(localBin)) attempts.push([process.execPath, [localBin, ...args]]);
  attempts.push([process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no-install', 'oxe-cc', ...args]]);
  for (const [cmd, argv] of attempts) {
    try {
      const r = spawn(cmd, argv, { cwd: root, env, encoding: 'utf8', timeout: 12000, shell: process.platform === 'win32' });
      if (!r || r.status !== 0) continue;
      const text = String(r.stdout || '');
      const at = text.indexOf('{');
      if (at < 0) continue;
      return JSON.parse(text.slice(at));
    } catch {
      // try the next way of running the CLI
    }
  }
  return null;
}

function resetCache() {
  globalRootCache = undefined;
}

module.exports = { loadSdk, packageCandidates, isUsableSdk, runCliJson, npmGlobalRoot, resetCache };
