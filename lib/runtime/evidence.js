'use strict';
// evidence: see the issue that builds this area.

module.exports = {};
