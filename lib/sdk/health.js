'use strict';
// SDK namespace `health` (oxe-cc 1.4.0: bin/lib/oxe-project-health.cjs).
// So far only the STATE.md readers; parseActiveSession and
// parsePlanReviewStatus are helpers 1.4.0 keeps internal (exposed for the
// upstream tests). The rest of the namespace comes with issue 8.
const { stateReaders } = require('./parsers.js');

module.exports = {
  parseStatePhase: stateReaders.parseStatePhase,
  parseLastScanDate: stateReaders.parseLastScanDate,
  parseLastCompactDate: stateReaders.parseLastCompactDate,
  parseLastRetroDate: stateReaders.parseLastRetroDate,
  parseActiveSession: stateReaders.parseActiveSession,
  parsePlanReviewStatus: stateReaders.parsePlanReviewStatus,
};
