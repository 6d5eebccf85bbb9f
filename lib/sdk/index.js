'use strict';
// require('oxe-cc'): the SDK of oxe-cc 1.4.0. Its 27 own keys come first, in
// 1.4.0's order, then every runtime export (Object.assign, as 1.4.0 does).
// Each namespace lives in its own file beside this one.

const parsers = require('./parsers.js');

function runDoctorChecks() {
  const err = new Error(
    'runDoctorChecks is not available in oxe-rs yet: it is still being ported. Until it lands, use oxe-cc 1.4.0 for doctor checks.',
  );
  err.code = 'OXE_E_NOT_AVAILABLE';
  throw err;
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
};

Object.assign(module.exports, require('../runtime/index.js'));
