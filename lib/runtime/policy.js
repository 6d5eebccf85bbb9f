'use strict';
// policy: see the issue that builds this area.

module.exports = {};
