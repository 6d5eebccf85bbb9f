'use strict';
// context: see the issue that builds this area.

module.exports = {};
