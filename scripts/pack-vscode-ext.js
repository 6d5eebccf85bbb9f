#!/usr/bin/env node
'use strict';
// Packages vscode-extension/ into oxe-agents-<version>.vsix with vsce, so the
// installer's VS Code step finds it in the package. Run by `npm pack`
// (prepack). Without the extension's dev tools (npm ci --prefix
// vscode-extension) it says so and leaves the package without a .vsix; the
// installer then skips that step.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ext = path.resolve(__dirname, '..', 'vscode-extension');
const vsce = path.join(ext, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
if (!fs.existsSync(vsce)) {
  console.error('oxe-rs: vsce not installed (npm ci --prefix vscode-extension); no .vsix packaged');
  process.exit(0);
}
const r = spawnSync(vsce, ['package', '--no-yarn', '--allow-missing-repository', '--no-dependencies'], {
  cwd: ext,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.exit(r.status == null ? 1 : r.status);
