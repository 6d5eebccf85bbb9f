'use strict';
// decision: see the issue that builds this area.

module.exports = {};
