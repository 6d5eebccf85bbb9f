'use strict';
// audit: see the issue that builds this area.

module.exports = {};
