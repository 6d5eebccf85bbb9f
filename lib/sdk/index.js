'use strict';
// require('oxe-cc'): the SDK of oxe-cc 1.4.0. Its 27 own keys come first, in
// 1.4.0's order, then every runtime export (Object.assign, as 1.4.0 does).
// Each namespace lives in its own file beside this one.

const parsers = require('./parsers.js');

function runDoctorChecks(args = {}) {
  const path = require('path');
  const { native } = require('../native.js');
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') env[k] = v;
  const lint = args.workflowLintOptions || {};
  const r = JSON.parse(
    native.healthRunDoctorChecks(
      path.resolve(String(args.projectRoot)),
      path.resolve(String(args.packageRoot || parsers.PACKAGE_ROOT)),
      args.nodeMajor != null ? Number(args.nodeMajor) : parseInt(String(process.versions.node).split('.')[0], 10),
      args.includeWorkflowLint !== false,
      lint.maxBytesSoft != null ? Number(lint.maxBytesSoft) : null,
      args.includeSecurity !== false,
      env,
    ),
  );
  for (const k of ['scanDate', 'compactDate', 'retroDate']) {
    if (r.healthReport && r.healthReport[k] != null) r.healthReport[k] = new Date(r.healthReport[k]);
  }
  return r;
}

const meta = parsers.readPackageMeta(parsers.PACKAGE_ROOT);

module.exports = {
  version: meta.version,
  // Published as oxe-rs, used under the alias oxe-cc: 1.4.0 consumers see 'oxe-cc'.
  name: 'oxe-cc',
  PACKAGE_ROOT: parsers.PACKAGE_ROOT,
  readPackageMeta: parsers.readPackageMeta,
  readMinNode: parsers.readMinNode,
  parsePlan: parsers.parsePlan,
  parseSpec: parsers.parseSpec,
  parseHypotheses: parsers.parseHypotheses,
  parseConfidenceVector: parsers.parseConfidenceVector,
  parseState: parsers.parseState,
  validateDecisionFidelity: parsers.validateDecisionFidelity,
  parseLessonsMetrics: parsers.parseLessonsMetrics,
  updateLessonMetric: parsers.updateLessonMetric,
  deprecateLowEffectiveness: parsers.deprecateLowEffectiveness,
  health: require('./health.js'),
  workflows: require('./workflows.js'),
  install: require('./install.js'),
  manifest: require('./manifest.js'),
  agents: require('./agents.js'),
  security: require('./security.js'),
  plugins: require('./plugins.js'),
  dashboard: require('./dashboard.js'),
  operational: require('./operational.js'),
  context: require('./context.js'),
  runtimeSemantics: require('./runtime-semantics.js'),
  azure: require('./azure.js'),
  runDoctorChecks,
  // Not in the 1.4.0 SDK object (1.4.0: bin/lib/oxe-npm-version.cjs).
  npmVersion: require('./npm-version.js'),
};

Object.assign(module.exports, require('../runtime/index.js'));
