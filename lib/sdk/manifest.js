'use strict';
// SDK namespace `manifest` (oxe-cc 1.4.0: bin/lib/oxe-manifest.cjs): the
// user-level install manifest `~/.oxe-cc/manifest.json`. Reading, writing,
// hashing and backups are Rust (crates/oxe-cli/src/install/manifest.rs);
// collectFilesRecursive runs the caller's filter here, and
// backupModifiedFromManifest prints its report with the caller's colours.
// backupModifiedFromManifest is internal in 1.4.0 (exposed for its tests).
const path = require('path');
const { native, toWire } = require('../native.js');

const MANIFEST_DIR = '.oxe-cc';
const PATCHES_DIR = 'oxe-local-patches';

function loadFileManifest(home) {
  return JSON.parse(native.sdkManifestLoad(String(home)));
}

function writeFileManifest(home, files, version) {
  native.sdkManifestWrite(String(home), toWire('writeFileManifest', 'files', files || {}), version == null ? null : String(version));
}

function sha256File(filePath) {
  return native.sdkManifestSha256File(String(filePath));
}

function collectFilesRecursive(dir, filter) {
  const all = JSON.parse(native.sdkManifestListFiles(String(dir)));
  return all.filter(([, name]) => filter(name)).map(([p]) => p);
}

function backupModifiedFromManifest(home, prevManifest, opts, colors) {
  const o = opts || {};
  const r = JSON.parse(
    native.sdkManifestBackup(String(home), toWire('backupModifiedFromManifest', 'prevManifest', prevManifest || {}), !!o.force, !!o.dryRun),
  );
  if (r.modified.length > 0) {
    const c = colors || {};
    const [y, cy, d, rs] = [c.yellow || '', c.cyan || '', c.dim || '', c.reset || ''];
    console.log(`  ${y}i${rs}  ${r.modified.length} OXE file(s) changed locally; backed up in ${cy}${path.relative(String(home), r.dir)}${rs}`);
    for (const f of r.modified) console.log(`     ${d}${f}${rs}`);
  }
  return r.modified;
}

module.exports = {
  loadFileManifest,
  writeFileManifest,
  sha256File,
  collectFilesRecursive,
  MANIFEST_DIR,
  PATCHES_DIR,
  backupModifiedFromManifest,
};
