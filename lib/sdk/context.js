'use strict';
// SDK namespace `context` (oxe-cc 1.4.0: bin/lib/oxe-context-engine.cjs).
// So far only the two PLAN.md readers, the same function objects as the
// top-level SDK keys; the Context Engine members come with issue 8.
const { parseHypotheses, parseConfidenceVector } = require('./parsers.js');

module.exports = { parseHypotheses, parseConfidenceVector };
