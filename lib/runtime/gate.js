'use strict';
// gate: see the issue that builds this area.

module.exports = {};
