'use strict';
// run journal: .oxe/runs/<runId>/journal.json, written atomically by the core.

const { native, argError, requireString, flushDiagnostics } = require('../native.js');

// JSON.stringify(v, null, 2): exactly the bytes 1.4.0 writes.
function prettyJson(fn, what, value) {
  let text;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (e) {
    throw argError(`${fn}: ${what} cannot be serialized to JSON (${e && e.message})`);
  }
  if (typeof text !== 'string' || text[0] !== '{') throw argError(`${fn}: ${what} must be an object`);
  return text;
}

function saveJournal(projectRoot, runId, journal) {
  native.saveJournal(
    requireString('saveJournal', 'projectRoot', projectRoot),
    requireString('saveJournal', 'runId', runId),
    prettyJson('saveJournal', 'journal', journal),
  );
}

function loadJournal(projectRoot, runId) {
  const text = native.loadJournal(
    requireString('loadJournal', 'projectRoot', projectRoot),
    requireString('loadJournal', 'runId', runId),
  );
  flushDiagnostics();
  return text === null ? null : JSON.parse(text);
}

function deleteJournal(projectRoot, runId) {
  native.deleteJournal(
    requireString('deleteJournal', 'projectRoot', projectRoot),
    requireString('deleteJournal', 'runId', runId),
  );
}

function createJournal(runId) {
  return JSON.parse(native.createJournal(requireString('createJournal', 'runId', runId)));
}

module.exports = { saveJournal, loadJournal, deleteJournal, createJournal };
