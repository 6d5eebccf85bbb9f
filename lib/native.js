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

function flushDiagnostics() {
  const text = native.takeDiagnostics();
  if (!text) return;
  for (const d of JSON.parse(text)) {
    process.emitWarning(d.message, { code: d.code, detail: d.path });
  }
}

module.exports = { native, codedError, argError, toWire, requireString, optionalString, flushDiagnostics };
