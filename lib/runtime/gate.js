'use strict';
// gate: GateManager over the session's GATES.json. The core reads and
// writes the file (under its lock) and emits the gate events; this file
// keeps the manager's own properties, converts values, and dispatches the
// two free helpers through the manager they are given (duck-typed managers
// keep working, as in 1.4.0).

const { native, codedError, toWire, requireString, flushDiagnostics } = require('../native.js');

// JSON text of `v`, or undefined for `undefined` (which JSON cannot carry).
function wireOrUndefined(fn, what, v) {
  return v === undefined ? undefined : toWire(fn, what, v);
}

function parsed(text) {
  flushDiagnostics();
  return JSON.parse(text);
}

class GateManager {
  constructor(projectRoot, sessionId, runId) {
    this.projectRoot = projectRoot;
    this.sessionId = sessionId;
    this.runId = runId;
  }

  #root(fn) {
    return requireString(fn, 'projectRoot', this.projectRoot);
  }

  #session(fn) {
    return this.sessionId ? requireString(fn, 'sessionId', this.sessionId) : null;
  }

  #query(op, arg, hours) {
    const fn = `GateManager.${op}`;
    return parsed(native.gateQuery(this.#root(fn), this.#session(fn), op, wireOrUndefined(fn, 'argument', arg), hours));
  }

  async request(scope, ctx) {
    const fn = 'GateManager.request';
    const token = parsed(native.gateRequest(
      this.#root(fn),
      this.#session(fn),
      wireOrUndefined(fn, 'runId', this.runId),
      wireOrUndefined(fn, 'scope', scope),
      toWire(fn, 'ctx', ctx),
    ));
    // the token holds the caller's context object itself, as in 1.4.0
    if (ctx !== null && typeof ctx === 'object') token.context = ctx;
    return token;
  }

  async resolve(token, resolution) {
    const fn = 'GateManager.resolve';
    const ref = { gate_id: token.gate_id, scope: token.scope, action: token.action };
    return parsed(native.gateResolve(
      this.#root(fn),
      this.#session(fn),
      wireOrUndefined(fn, 'runId', this.runId),
      toWire(fn, 'token', ref),
      toWire(fn, 'resolution', resolution),
    ));
  }

  isPending(scope) {
    return this.#query('isPending', scope, 0);
  }

  listPending() {
    return this.#query('listPending', undefined, 0);
  }

  listResolved() {
    return this.#query('listResolved', undefined, 0);
  }

  listPendingByRun(runId = this.runId) {
    return this.#query('listPendingByRun', runId, 0);
  }

  listPendingForWorkItem(workItemId) {
    return this.#query('listPendingForWorkItem', workItemId, 0);
  }

  stalePending(maxAgeHours = 24) {
    return this.#query('stalePending', undefined, Number(maxAgeHours));
  }

  listRecentResolved(maxAgeHours = 24) {
    return this.#query('listRecentResolved', undefined, Number(maxAgeHours));
  }

  listAll() {
    return this.#query('listAll', undefined, 0);
  }

  get(gateId) {
    return this.#query('get', gateId, 0);
  }

  filter(query = {}) {
    return this.#query('filter', query, 0);
  }

  snapshot(maxAgeHours = 24, query = {}) {
    // the core lists pending/stale/recent gates as indexes into `all`, so
    // each gate is one object shared by the lists, as in 1.4.0
    const s = this.#query('snapshot', query, Number(maxAgeHours));
    const all = s.all;
    const pick = (indexes) => indexes.map((i) => all[i]);
    return {
      total: s.total,
      gate_sla_hours: s.gate_sla_hours,
      pending: pick(s.pending),
      stale_pending: pick(s.stale_pending),
      staleCount: s.staleCount,
      resolved_recent: pick(s.resolved_recent),
      byRun: s.byRun,
      byScope: s.byScope,
      all,
    };
  }
}

function listPendingGates(manager, runId, query = {}) {
  return manager.snapshot(query.gate_sla_hours ?? 24, { ...query, run_id: runId ?? undefined });
}

async function resolveGate(manager, gateId, resolution) {
  const token = manager.get(gateId);
  if (!token) throw codedError('OXE_E_ARG', `Gate ${gateId} not found`);
  return manager.resolve(token, resolution);
}

module.exports = { GateManager, listPendingGates, resolveGate };
