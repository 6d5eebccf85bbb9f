'use strict';
// SDK namespace `npmVersion` (oxe-cc 1.4.0: bin/lib/oxe-npm-version.cjs,
// not in the 1.4.0 SDK object). Version parsing, comparison and the
// `npm view` call are Rust (crates/oxe-cli/src/install/npm_version.rs).
const { native } = require('../native.js');

function parseNpmViewVersion(stdout) {
  if (!stdout || typeof stdout !== 'string') return null;
  return native.sdkNpmParseViewVersion(stdout);
}

function isNewerThan(latest, current) {
  return native.sdkNpmIsNewerThan(String(latest), String(current));
}

function syncNpmViewVersion(packageName, spawnOpts = {}) {
  const src = (spawnOpts && spawnOpts.env) || process.env;
  const env = {};
  for (const [k, v] of Object.entries(src)) if (typeof v === 'string') env[k] = v;
  const cwd = spawnOpts && spawnOpts.cwd ? String(spawnOpts.cwd) : null;
  return JSON.parse(native.sdkNpmSyncViewVersion(String(packageName), env, cwd));
}

module.exports = {
  parseNpmViewVersion,
  isNewerThan,
  syncNpmViewVersion,
};
