'use strict';
// Entry point of the package: `require('oxe-cc')` (aliased to oxe-rs) is the
// SDK object of oxe-cc 1.4.0, runtime exports included.

module.exports = require('./lib/sdk/index.js');
