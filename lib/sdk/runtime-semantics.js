'use strict';
// SDK namespace `runtimeSemantics` (oxe-cc 1.4.0: bin/lib/oxe-runtime-semantics.cjs).
// The registry is the package's own oxe/workflows/references/
// workflow-runtime-contracts.json, read once. Every rule lives in
// crates/oxe-cli/src/runtime_semantics; this file moves arguments in and
// JSON out. 1.4.0's SDK members come first, in its order, then the helpers
// its module also exports (MODE_*, buildContextPackPaths, buildContextTiers).
const path = require('path');
const { native, toWire } = require('../native.js');
const { PACKAGE_ROOT } = require('./parsers.js');

const C = JSON.parse(native.sdkSemanticsConstants(PACKAGE_ROOT));
if (C.loadWarning) process.stderr.write(C.loadWarning);

function call(name, args) {
  return JSON.parse(native.sdkSemanticsCall(PACKAGE_ROOT, name, toWire(name, 'arguments', args)));
}

// Trailing `undefined` arguments are left out (the core then applies 1.4.0's
// defaults); an `undefined` in the middle crosses as null.
function argList(...values) {
  let n = values.length;
  while (n > 0 && values[n - 1] === undefined) n -= 1;
  return values.slice(0, n).map((v) => (v === undefined ? null : v));
}

module.exports = {
  CONTRACT_VERSION: C.CONTRACT_VERSION,
  CONTRACTS_PATH: C.CONTRACTS_PATH,
  CONTRACTS_REGISTRY: C.CONTRACTS_REGISTRY,
  REQUIRED_CONTRACT_FIELDS: C.REQUIRED_CONTRACT_FIELDS,
  RUNTIME_METADATA_KEYS: C.RUNTIME_METADATA_KEYS,
  validateWorkflowContractsRegistry(...args) {
    return call('validateWorkflowContractsRegistry', args.length && args[0] !== undefined ? [args[0]] : []);
  },
  getWorkflowContract: (slug) => call('getWorkflowContract', argList(slug)),
  getAllWorkflowContracts: () => call('getAllWorkflowContracts', []),
  computeSemanticsHash: (slug) => call('computeSemanticsHash', argList(slug)),
  getRuntimeMetadataForSlug: (slug, options = {}) => call('getRuntimeMetadataForSlug', argList(slug, options || {})),
  renderRuntimeMetadataLines: (meta) => call('renderRuntimeMetadataLines', argList(meta)),
  buildReasoningContractBlock: (meta, options = {}) => call('buildReasoningContractBlock', argList(meta, options || {})),
  pickRuntimeMetadata: (frontmatter) => call('pickRuntimeMetadata', argList(frontmatter)),
  splitFrontmatter: (raw) => call('splitFrontmatter', argList(raw)),
  parseFrontmatterMap: (raw) => call('parseFrontmatterMap', argList(raw)),
  slugFromPromptFilename: (name) => call('slugFromPromptFilename', argList(name)),
  slugFromCommandFilename: (name) => call('slugFromCommandFilename', argList(name)),
  auditWrapperText: (slug, raw) => call('auditWrapperText', argList(slug, raw)),
  auditRuntimeTargets: (projectRoot) => call('auditRuntimeTargets', [path.resolve(String(projectRoot))]),
  MODE_DEFAULTS: C.MODE_DEFAULTS,
  MODE_GUIDANCE: C.MODE_GUIDANCE,
  MODE_REFERENCES: C.MODE_REFERENCES,
  buildContextPackPaths: (slug) => call('buildContextPackPaths', argList(slug)),
  buildContextTiers: (required, optional) => call('buildContextTiers', argList(required, optional)),
};
