'use strict';
// run journal: .oxe/runs/<runId>/journal.json, written atomically by the core.

const { native, toWire, requireString, flushDiagnostics } = require('../native.js');

function saveJournal(projectRoot, runId, journal) {
  native.saveJournal(
    requireString('saveJournal', 'projectRoot', projectRoot),
    requireString('saveJournal', 'runId', runId),
    toWire('saveJournal', 'journal', journal),
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
