'use strict';
// projection: see the issue that builds this area.

module.exports = {};
