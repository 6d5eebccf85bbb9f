#!/usr/bin/env node
'use strict';
// The `oxe-cc` command: argument parsing, dispatch and output all live in
// Rust (crates/oxe-cli); this shim only hands over the process state.
const path = require('path');
const { native } = require('../lib/native.js');

process.exitCode = native.runCli(
  process.argv.slice(2),
  process.cwd(),
  { ...process.env },
  process.stdout.isTTY === true,
  path.join(__dirname, '..'),
);
