'use strict';
// delivery: see the issue that builds this area.

module.exports = {};
