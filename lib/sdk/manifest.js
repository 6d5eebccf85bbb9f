'use strict';
// SDK namespace `manifest` (oxe-cc 1.4.0: bin/lib/oxe-manifest.cjs). Empty until its
// members are ported; add them here in 1.4.0's key order.

module.exports = {};
