'use strict';
// SDK namespace `agents` (oxe-cc 1.4.0: bin/lib/oxe-agent-install.cjs). Empty until its
// members are ported; add them here in 1.4.0's key order.

module.exports = {};
