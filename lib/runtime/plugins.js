'use strict';
// plugins: see the issue that builds this area.

module.exports = {};
