'use strict';
// The runtime barrel: the runtime value exports of oxe-cc 1.4.0, as own
// enumerable properties (the SDK copies them with Object.assign). In this
// barrel `compile` is the graph compiler; the verification compiler is
// `compileVerification`.

module.exports = {
  ...require('./events.js'),
  ...require('./reducers.js'),
  ...require('./compiler.js'),
  ...require('./journal.js'),
  ...require('./scheduler.js'),
  ...require('./multi-agent.js'),
  ...require('./workspace.js'),
  ...require('./evidence.js'),
  ...require('./verification.js'),
  ...require('./policy.js'),
  ...require('./gate.js'),
  ...require('./projection.js'),
  ...require('./plugins.js'),
  ...require('./delivery.js'),
  ...require('./context.js'),
  ...require('./decision.js'),
  ...require('./audit.js'),
  ...require('./agents.js'),
};
