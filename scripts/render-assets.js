#!/usr/bin/env node
'use strict';
// Renders assets/ into the folders the package ships (oxe/, .github/prompts,
// .cursor/commands, commands/oxe, AGENTS.md, .github/copilot-instructions.md)
// with the addon's renderAssets. Run by scripts/build-native.js after the
// build and by `npm pack` (prepack). Exit 1 when a source is malformed.

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function render() {
  if (!fs.existsSync(path.join(root, 'assets'))) {
    console.error('oxe-rs: no assets/ folder, nothing to render');
    return 0;
  }
  let native;
  try {
    native = require(path.join(root, 'binding.js'));
  } catch (e) {
    console.error(`oxe-rs: cannot load the native addon to render assets (${e && e.message})`);
    return 1;
  }
  try {
    const r = JSON.parse(native.renderAssets(root));
    console.error(
      `oxe-rs: rendered assets (${r.prompts} prompts, ${r.cursor} Cursor commands, ${r.commands} commands; ` +
        `${r.written} written, ${r.removed} removed)`,
    );
    return 0;
  } catch (e) {
    console.error(`oxe-rs: rendering assets failed: ${e && e.message}`);
    return 1;
  }
}

module.exports = { render };

if (require.main === module) process.exit(render());
