'use strict';
// Entry point of the package: `require('oxe-cc')` (aliased to oxe-rs)
// gets every runtime export as an own enumerable property.

module.exports = { ...require('./lib/runtime/index.js') };
