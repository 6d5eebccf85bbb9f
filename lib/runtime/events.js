'use strict';
// events: the catalog and the NDJSON event log. The core owns the file and
// the line layout; this file only converts values.

const { native, toWire, requireString, optionalString, flushDiagnostics } = require('../native.js');

// A plain (unfrozen) array, as in 1.4.0.
const EVENT_TYPES = native.eventTypes();

function isValidEventType(type) {
  return typeof type === 'string' && native.isValidEventType(type);
}

function appendEvent(projectRoot, sessionId, input, causationId) {
  const text = native.appendEvent(
    requireString('appendEvent', 'projectRoot', projectRoot),
    optionalString('appendEvent', 'sessionId', sessionId || null),
    toWire('appendEvent', 'input', input),
    causationId === undefined || causationId === null ? null : String(causationId),
  );
  return JSON.parse(text);
}

function readEvents(projectRoot, sessionId) {
  const text = native.readEvents(
    requireString('readEvents', 'projectRoot', projectRoot),
    optionalString('readEvents', 'sessionId', sessionId || null),
  );
  flushDiagnostics();
  return JSON.parse(text);
}

function filterByRun(events, runId) {
  return events.filter((e) => e.run_id === runId);
}

function filterByWorkItem(events, workItemId) {
  return events.filter((e) => e.work_item_id === workItemId);
}

module.exports = { EVENT_TYPES, isValidEventType, appendEvent, readEvents, filterByRun, filterByWorkItem };
