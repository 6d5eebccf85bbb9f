'use strict';
// verification: see the issue that builds this area.

module.exports = {};
