'use strict';
// SDK namespace `manifest` (oxe-cc 1.4.0: bin/lib/oxe-manifest.cjs): the
// user-level install manifest `~/.oxe-cc/manifest.json`. Reading, writing,
// hashing and backups are Rust (crates/oxe-cli/src/install/manifest.rs);
// collectFilesRecursive runs the caller's filter here, and
// backupModifiedFromManifest prints the report lines the core composes.
// backupModifiedFromManifest is internal in 1.4.0 (exposed for its tests).
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

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function backupModifiedFromManifest(home, prevManifest, opts, colors) {
  const o = opts || {};
  const r = JSON.parse(
    native.sdkManifestBackup(
      String(home),
      toWire('backupModifiedFromManifest', 'prevManifest', prevManifest || {}),
      !!o.force,
      !!o.dryRun,
      toWire('backupModifiedFromManifest', 'colors', colors || {}),
      env(),
    ),
  );
  for (const line of r.lines) console.log(line);
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
