#!/usr/bin/env node
'use strict';
// The `oxe-cc` command: argument parsing, dispatch and output all live in
// Rust (crates/oxe-cli); this shim only hands over the process state.
const path = require('path');

let native;
try {
  ({ native } = require('../lib/native.js'));
} catch (e) {
  console.error(`oxe-cc: the native addon could not be loaded (${e && e.message}). Reinstall the package or run \`node scripts/build-native.js\`.`);
  process.exit(1);
}

process.exitCode = native.runCli(
  process.argv.slice(2),
  process.cwd(),
  { ...process.env },
  process.stdout.isTTY === true,
  path.join(__dirname, '..'),
);
