'use strict';
// Loads the napi-rs addon and holds the few helpers every area's glue
// shares: turning JS values into the JSON text the addon takes, argument
// type errors with a stable code, and surfacing the core's diagnostics
// (corrupt files moved aside, skipped lines) as process warnings.

const native = require('../binding.js');

function codedError(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

function argError(message) {
  return codedError('OXE_E_ARG', message);
}

// JSON text of `value` as JS itself renders it (toJSON, undefined dropped).
function toWire(fn, what, value) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw argError(`${fn}: ${what} cannot be serialized to JSON (${e && e.message})`);
  }
  return text === undefined ? 'null' : text;
}

function requireString(fn, what, value) {
  if (typeof value !== 'string') {
    throw argError(`${fn}: ${what} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function optionalString(fn, what, value) {
  if (value === undefined || value === null) return null;
  return requireString(fn, what, value);
}

function requireObject(fn, what, value) {
  if (value === null || typeof value !== 'object') {
    throw argError(`${fn}: ${what} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

// [projectRoot, runId(, id)] checked as strings, for run-scoped files.
function runArgs(fn, projectRoot, runId, idName, id) {
  const args = [requireString(fn, 'projectRoot', projectRoot), requireString(fn, 'runId', runId)];
  if (idName !== undefined) args.push(requireString(fn, idName, id));
  return args;
}

// JSON text from the core (or null), after surfacing its diagnostics.
function parseOrNull(text) {
  flushDiagnostics();
  return text === null ? null : JSON.parse(text);
}

function flushDiagnostics() {
  const text = native.takeDiagnostics();
  if (!text) return;
  for (const d of JSON.parse(text)) {
    process.emitWarning(d.message, { code: d.code, detail: d.path });
  }
}

module.exports = { native, codedError, argError, toWire, requireString, optionalString, requireObject, runArgs, parseOrNull, flushDiagnostics };
