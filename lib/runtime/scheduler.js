'use strict';
// scheduler

module.exports = {};
