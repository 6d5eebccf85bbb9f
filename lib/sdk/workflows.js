'use strict';
// SDK namespace `workflows` (oxe-cc 1.4.0: bin/lib/oxe-workflows.cjs), in
// 1.4.0's key order. The rules live in crates/oxe-cli/src/workflows.rs (the
// shape lint is the one doctor runs); this file moves paths in and JSON out.
const path = require('path');
const { native } = require('../native.js');

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function resolveWorkflowsDir(targetProject) {
  return native.sdkWorkflowsResolveDir(path.resolve(String(targetProject)));
}

function listWorkflowMdFiles(workflowsDir) {
  return native.sdkWorkflowsList(path.resolve(String(workflowsDir)));
}

function diffWorkflows(expectedDir, actualDir) {
  return JSON.parse(native.sdkWorkflowsDiff(path.resolve(String(expectedDir)), path.resolve(String(actualDir))));
}

function validateWorkflowShapes(workflowsDir, options = {}) {
  const o = options || {};
  const dir = workflowsDir ? path.resolve(String(workflowsDir)) : null;
  const max = o.maxBytesSoft === undefined || o.maxBytesSoft === null ? null : Number(o.maxBytesSoft);
  return JSON.parse(native.sdkWorkflowsValidate(dir, max, env()));
}

module.exports = {
  resolveWorkflowsDir,
  listWorkflowMdFiles,
  diffWorkflows,
  validateWorkflowShapes,
  DEFAULT_MAX_BYTES_SOFT: 45000,
  SUCCESS_CRITERIA_EXCEPTIONS: new Set(['help.md']),
};
