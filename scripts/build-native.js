#!/usr/bin/env node
'use strict';
// `npm install` hook: builds the napi-rs addon from the Rust sources in this
// package (there are no prebuilt binaries to download) and places it where
// binding.js looks for it: ./oxe-rs.<platform>.node.
//
// Then renders assets/ (scripts/render-assets.js).
//
// Env: OXE_SKIP_NATIVE_BUILD=1 skips the build (an addon is already in
// place); CARGO_TARGET_DIR is honoured; OXE_NATIVE_PROFILE=debug builds an
// unoptimized addon.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');

function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    let musl = false;
    try {
      const report = process.report && process.report.getReport();
      musl = !(report && report.header && report.header.glibcVersionRuntime);
    } catch {
      musl = false;
    }
    return `linux-${arch}-${musl ? 'musl' : 'gnu'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function libName() {
  if (process.platform === 'win32') return 'oxe_node.dll';
  if (process.platform === 'darwin') return 'liboxe_node.dylib';
  return 'liboxe_node.so';
}

function main() {
  const out = path.join(root, `oxe-rs.${platformSuffix()}.node`);
  if (process.env.OXE_SKIP_NATIVE_BUILD) {
    console.error(`oxe-rs: OXE_SKIP_NATIVE_BUILD set, not building ${path.basename(out)}`);
    return require('./render-assets.js').render();
  }
  const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' });
  if (cargo.error || cargo.status !== 0) {
    console.error('oxe-rs: a Rust toolchain (cargo) is needed to build the native addon; install it from https://rustup.rs and run `npm install` again.');
    return 1;
  }
  const profile = process.env.OXE_NATIVE_PROFILE === 'debug' ? 'debug' : 'release';
  const args = ['build', '-p', 'oxe-node', '--locked'];
  if (profile === 'release') args.push('--release');
  console.error(`oxe-rs: building the native addon (cargo ${args.join(' ')})…`);
  const r = spawnSync('cargo', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('oxe-rs: cargo build failed; see the messages above.');
    return r.status || 1;
  }
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
  const built = path.join(targetDir, profile, libName());
  const tmp = `${out}.tmp-${process.pid}`;
  fs.copyFileSync(built, tmp);
  fs.renameSync(tmp, out);
  console.error(`oxe-rs: installed ${path.basename(out)}`);
  // the shipped asset folders are rendered from assets/ by the new addon
  return require('./render-assets.js').render();
}

process.exit(main());
