'use strict';
// workspace: see the issue that builds this area.

module.exports = {};
