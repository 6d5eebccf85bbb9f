'use strict';
// SDK namespace `azure` (oxe-cc 1.4.0: bin/lib/oxe-azure.cjs). The provider
// lives in Rust (crates/oxe-cli/src/azure): it finds and runs `az`, decides
// what to write and what to refuse. This glue passes the project path, the
// other arguments as JSON and process.env, and parses the JSON answer.
// Members in 1.4.0's order; normalizeInventoryItem, which 1.4.0 keeps
// internal, comes last (its own tests call it).

const path = require('path');
const { native, toWire } = require('../native.js');

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function call(method, projectRoot, ...args) {
  const root = projectRoot == null ? '' : path.normalize(String(projectRoot));
  return JSON.parse(native.sdkAzure(method, root, toWire(method, 'arguments', args), env()));
}

const C = call('constants', '.');

module.exports = {
  MIN_AZURE_CLI_MAJOR: C.MIN_AZURE_CLI_MAJOR,
  AZURE_CAPABILITY_IDS: C.AZURE_CAPABILITY_IDS,
  RESOURCE_GRAPH_QUERY: C.RESOURCE_GRAPH_QUERY,
  DEFAULT_AZURE_PROFILE: C.DEFAULT_AZURE_PROFILE,
  azurePaths: (projectRoot) => call('azurePaths', projectRoot),
  ensureAzureArtifacts: (projectRoot) => call('ensureAzureArtifacts', projectRoot),
  isAzureContextEnabled: (projectRoot, config = {}) => call('isAzureContextEnabled', projectRoot, config),
  detectAzureCli: (projectRoot, options = {}) => call('detectAzureCli', projectRoot, options),
  loadAzureProfile: (projectRoot) => call('loadAzureProfile', projectRoot),
  loadAzureAuthStatus: (projectRoot) => call('loadAzureAuthStatus', projectRoot),
  loadAzureInventory: (projectRoot) => call('loadAzureInventory', projectRoot),
  listAzureOperations: (projectRoot) => call('listAzureOperations', projectRoot),
  summarizeInventory: (items) => call('summarizeInventory', '.', items),
  searchAzureInventory: (projectRoot, query, filters = {}) =>
    call('searchAzureInventory', projectRoot, query, filters),
  diffInventory: (previousItems, currentItems) => call('diffInventory', '.', previousItems, currentItems),
  statusAzure: (projectRoot, config = {}, options = {}) => call('statusAzure', projectRoot, config, options),
  ensureAzureCapabilities: (projectRoot) => call('ensureAzureCapabilities', projectRoot),
  getAzureContext: (projectRoot, options = {}) => call('getAzureContext', projectRoot, options),
  loginAzure: (projectRoot, options = {}) => call('loginAzure', projectRoot, options),
  setAzureSubscription: (projectRoot, subscription, options = {}) =>
    call('setAzureSubscription', projectRoot, subscription, options),
  syncAzureInventory: (projectRoot, options = {}) => call('syncAzureInventory', projectRoot, options),
  executeAzureRead: (projectRoot, activeSession, domain, verb, input = {}, options = {}) =>
    call('executeAzureRead', projectRoot, activeSession, domain, verb, input, options),
  planAzureOperation: (projectRoot, activeSession, domain, input = {}, options = {}) =>
    call('planAzureOperation', projectRoot, activeSession, domain, input, options),
  applyAzureOperation: (projectRoot, activeSession, domain, input = {}, options = {}) =>
    call('applyAzureOperation', projectRoot, activeSession, domain, input, options),
  azureDoctor: (projectRoot, config = {}, options = {}) => call('azureDoctor', projectRoot, config, options),
  // A primitive is returned as it is, as 1.4.0 does (JSON would turn
  // undefined into null).
  redactObject: (value) => (value === null || typeof value !== 'object' ? value : call('redactObject', '.', value)),
  normalizeInventoryItem: (item = {}) => call('normalizeInventoryItem', '.', item),
};
