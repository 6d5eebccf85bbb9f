'use strict';
// SDK namespace `install` (oxe-cc 1.4.0: bin/lib/oxe-install-resolve.cjs).
// The rules of the config `install` block live in Rust
// (crates/oxe-cli/src/install/resolve.rs); this file moves the options
// object and the environment across.
const path = require('path');
const { native, toWire } = require('../native.js');

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function resolveOptionsFromConfig(projectRoot, optsIn) {
  const opts = optsIn && typeof optsIn === 'object' ? optsIn : {};
  return JSON.parse(
    native.sdkInstallResolve(path.resolve(String(projectRoot)), toWire('resolveOptionsFromConfig', 'opts', opts), env()),
  );
}

module.exports = {
  resolveOptionsFromConfig,
};
