'use strict';
// reducers: RunState folding happens in the core; this file converts the
// wire form (entry arrays) to and from real Map/Set objects and exposes
// the replay helpers as a real generator.

const { native, argError, toWire } = require('../native.js');

const MAPS = ['workItems', 'attempts', 'workspaces', 'retryCounts', 'policyDecisions', 'resolvedGates', 'verificationStatus', 'evidenceRefs', 'toolFailures'];
const SETS = ['completedWorkItems', 'failedWorkItems', 'blockedWorkItems', 'pendingGates'];

function createEmptyRunState() {
  return {
    run: null,
    workItems: new Map(),
    attempts: new Map(),
    workspaces: new Map(),
    completedWorkItems: new Set(),
    failedWorkItems: new Set(),
    blockedWorkItems: new Set(),
    retryCounts: new Map(),
    policyDecisions: new Map(),
    pendingGates: new Set(),
    resolvedGates: new Map(),
    verificationStatus: new Map(),
    evidenceRefs: new Map(),
    toolFailures: new Map(),
  };
}

function stateFromWire(text) {
  const w = JSON.parse(text);
  return {
    run: w.run,
    workItems: new Map(w.workItems),
    attempts: new Map(w.attempts),
    workspaces: new Map(w.workspaces),
    completedWorkItems: new Set(w.completedWorkItems),
    failedWorkItems: new Set(w.failedWorkItems),
    blockedWorkItems: new Set(w.blockedWorkItems),
    retryCounts: new Map(w.retryCounts),
    policyDecisions: new Map(w.policyDecisions),
    pendingGates: new Set(w.pendingGates),
    resolvedGates: new Map(w.resolvedGates),
    verificationStatus: new Map(w.verificationStatus),
    evidenceRefs: new Map(w.evidenceRefs),
    toolFailures: new Map(w.toolFailures),
  };
}

function entries(collection) {
  if (collection instanceof Map || collection instanceof Set) return [...collection];
  if (collection === undefined || collection === null) return [];
  if (typeof collection === 'object' && !Array.isArray(collection)) return Object.entries(collection);
  return collection;
}

function stateToWire(fn, state) {
  if (state === null || typeof state !== 'object') throw argError(`${fn}: state must be a RunState object`);
  const w = { run: state.run === undefined ? null : state.run };
  for (const k of MAPS) w[k] = entries(state[k]);
  for (const k of SETS) w[k] = entries(state[k]);
  return toWire(fn, 'state', w);
}

function eventsWire(fn, events) {
  if (!Array.isArray(events)) throw argError(`${fn}: events must be an array of OxeEvent objects`);
  return toWire(fn, 'events', events);
}

function reduce(events) {
  return stateFromWire(native.reduce(eventsWire('reduce', events)));
}

function applyEventExported(state, event) {
  return stateFromWire(native.applyEvent(stateToWire('applyEventExported', state), toWire('applyEventExported', 'event', event)));
}

function getWorkItemStatus(state, workItemId) {
  const item = state.workItems.get(workItemId);
  return (item && item.status) ?? null;
}
function getAttemptCount(state, workItemId) {
  const a = state.attempts.get(workItemId);
  return (a && a.length) ?? 0;
}
function getRetryCount(state, workItemId) {
  return state.retryCounts.get(workItemId) ?? 0;
}
function getPolicyDecision(state, workItemId) {
  return state.policyDecisions.get(workItemId) ?? null;
}
function getVerificationStatus(state, workItemId) {
  return state.verificationStatus.get(workItemId) ?? null;
}
function getEvidenceRefs(state, workItemId) {
  return state.evidenceRefs.get(workItemId) ?? [];
}
function getToolFailures(state, workItemId) {
  return state.toolFailures.get(workItemId) ?? [];
}

const EMPTY_WIRE = stateToWire('stepReplay', createEmptyRunState());

// A real generator: each step folds one more event in the core and yields
// a fresh state, lazily.
function* stepReplay(events) {
  if (!Array.isArray(events)) throw argError('stepReplay: events must be an array of OxeEvent objects');
  let wire = EMPTY_WIRE;
  for (let i = 0; i < events.length; i++) {
    wire = native.applyEvent(wire, toWire('stepReplay', 'event', events[i]));
    yield { index: i, event: events[i], state: stateFromWire(wire) };
  }
}

function replayUntil(events, predicate) {
  for (const step of stepReplay(events)) {
    if (predicate(step)) return step;
  }
  return null;
}

function replaySlice(events, from, to) {
  const steps = [];
  for (const step of stepReplay(events)) {
    if (step.index > to) break;
    if (step.index >= from) steps.push(step);
  }
  return steps;
}

module.exports = {
  createEmptyRunState,
  reduce,
  applyEventExported,
  getWorkItemStatus,
  getAttemptCount,
  getRetryCount,
  getPolicyDecision,
  getVerificationStatus,
  getEvidenceRefs,
  getToolFailures,
  stepReplay,
  replayUntil,
  replaySlice,
};
