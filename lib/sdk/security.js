'use strict';
// SDK namespace `security` (oxe-cc 1.4.0: bin/lib/oxe-security.cjs). The
// rules live in crates/oxe-cli/src/security; this file turns arguments into
// what the addon takes, builds RegExp objects from the sources the core
// hands out, and, when a caller passes its own RegExp lists, lets the core
// ask whether pattern i of a list matches a string.

const { native, requireString, toWire } = require('../native.js');

const SETS = ['deniedPatterns', 'secretPatterns', 'contentPatterns'];

const defaults = JSON.parse(native.sdkSecurityDefaults());
const toRegExps = (pairs) => pairs.map(([source, flags]) => new RegExp(source, flags));

const DEFAULT_SECRET_PATTERNS = toRegExps(defaults.secretPatterns);
const DEFAULT_SECRET_CONTENT_PATTERNS = toRegExps(defaults.contentPatterns);
const DEFAULT_DENIED_PATH_PATTERNS = toRegExps(defaults.deniedPatterns);

function langEnv() {
  const out = {};
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    if (typeof process.env[k] === 'string') out[k] = process.env[k];
  }
  return out;
}

// Labels of the caller's lists (null: use the defaults) and the tester the
// core calls back for them.
function customLists(options) {
  const o = options || {};
  const lists = SETS.map((k) => (o[k] == null ? null : Array.from(o[k])));
  const labels = lists.map((l) => (l == null ? null : l.map((re) => String(re))));
  const tester = (set, index, subject) => lists[set][index].test(subject) === true;
  return { labels, tester };
}

function checkPathSafety(filePath, projectRoot, options) {
  const fn = 'checkPathSafety';
  const { labels, tester } = customLists(options);
  return JSON.parse(
    native.sdkSecurityCheckPath(
      requireString(fn, 'filePath', filePath),
      requireString(fn, 'projectRoot', projectRoot),
      langEnv(),
      labels[0],
      labels[1],
      tester,
    ),
  );
}

function scanFileForSecrets(filePath, options) {
  const { labels, tester } = customLists(options);
  return JSON.parse(native.sdkSecurityScanFile(String(filePath), labels[2], tester));
}

function scanDirForSecretFiles(dir, options) {
  const o = options || {};
  const { labels, tester } = customLists(o);
  const maxDepth = Number(o.maxDepth ?? 4);
  return JSON.parse(native.sdkSecurityScanDir(String(dir), labels[1], maxDepth, tester));
}

function validatePlanPaths(filePaths, projectRoot) {
  const fn = 'validatePlanPaths';
  const list = Array.from(filePaths, (p, i) => requireString(fn, `filePaths[${i}]`, p));
  return JSON.parse(
    native.sdkSecurityValidatePlanPaths(list, requireString(fn, 'projectRoot', projectRoot), langEnv()),
  );
}

function checkFilePermission(filePath, permissions, currentScope = 'execute') {
  const fn = 'checkFilePermission';
  const rules = Array.isArray(permissions) ? permissions : [];
  const r = JSON.parse(
    native.sdkSecurityCheckFilePermission(
      requireString(fn, 'filePath', filePath),
      toWire(fn, 'permissions', rules),
      typeof currentScope === 'string' ? currentScope : null,
    ),
  );
  return { action: r.action, rule: r.rule == null ? null : rules[r.rule] };
}

function checkPermissions(fileList, permissions, scope = 'execute') {
  const fn = 'checkPermissions';
  const files = Array.from(fileList, (f, i) => requireString(fn, `fileList[${i}]`, f));
  const rules = Array.isArray(permissions) ? permissions : [];
  return JSON.parse(
    native.sdkSecurityCheckPermissions(
      files,
      toWire(fn, 'permissions', rules),
      typeof scope === 'string' ? scope : null,
    ),
  );
}

function globToRegex(glob) {
  return new RegExp(native.sdkSecurityGlobSource(requireString('globToRegex', 'glob', glob)), 'i');
}

module.exports = {
  checkPathSafety,
  scanFileForSecrets,
  scanDirForSecretFiles,
  validatePlanPaths,
  checkFilePermission,
  checkPermissions,
  globToRegex,
  DEFAULT_SECRET_PATTERNS,
  DEFAULT_SECRET_CONTENT_PATTERNS,
  DEFAULT_DENIED_PATH_PATTERNS,
};
