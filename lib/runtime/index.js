'use strict';
// The runtime barrel: every runtime value export of oxe-cc 1.4.0 that is
// implemented so far, as own enumerable properties (the SDK copies them
// with Object.assign). In this barrel `compile` is the graph compiler.

module.exports = {
  ...require('./events.js'),
  ...require('./reducers.js'),
  ...require('./compiler.js'),
  ...require('./journal.js'),
};
