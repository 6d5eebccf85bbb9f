'use strict';
// audit: AuditTrail (the core appends, chains, reads and filters
// .oxe/AUDIT-TRAIL.ndjson), run quotas and policy packs. This file keeps
// the trail's own properties, converts values, calls the remote sink the
// way 1.4.0 does, and dispatches applyPolicyPack through the engine it is
// given (duck-typed engines keep working).

const { native, argError, toWire, requireString, flushDiagnostics } = require('../native.js');

// ---------------------------------------------------------------- trail

class AuditTrail {
  constructor(projectRoot, remoteSink) {
    this.projectRoot = projectRoot;
    this.remoteSink = remoteSink;
  }

  #root(fn) {
    return requireString(fn, 'projectRoot', this.projectRoot);
  }

  record(action, actor, options = {}) {
    const fn = 'AuditTrail.record';
    const text = native.auditRecord(this.#root(fn), toWire(fn, 'entry', { action, actor, options }));
    flushDiagnostics();
    const entry = JSON.parse(text);
    // the entry holds the caller's detail object itself, as in 1.4.0
    if (options !== null && typeof options === 'object' && options.detail != null) entry.detail = options.detail;
    // fire and forget: called before returning, never awaited, failures ignored
    if (this.remoteSink) this.remoteSink.write(entry).catch(() => {});
    return entry;
  }

  query(filter = {}) {
    const fn = 'AuditTrail.query';
    const text = native.auditQuery(this.#root(fn), toWire(fn, 'filter', filter));
    flushDiagnostics();
    return JSON.parse(text);
  }

  critical() {
    const text = native.auditQuery(this.#root('AuditTrail.critical'), '{"severity":"critical"}');
    flushDiagnostics();
    return JSON.parse(text);
  }

  metrics() {
    const text = native.auditMetrics(this.#root('AuditTrail.metrics'));
    flushDiagnostics();
    return JSON.parse(text);
  }

  // Beyond 1.4.0: checks the hash chain of the trail.
  // {ok, total_entries, chained_entries, legacy_entries, first_broken}
  verify() {
    return JSON.parse(native.auditVerify(this.#root('AuditTrail.verify')));
  }
}

// ---------------------------------------------------------------- quotas

// A quota number for the core: null/undefined stay absent, other values
// must be numbers.
function quotaNumber(fn, what, v) {
  if (v == null) return null;
  if (typeof v !== 'number') throw argError(`${fn}: ${what} must be a number, got ${typeof v}`);
  return v;
}

function createQuota(runId, limits = {}) {
  const fn = 'createQuota';
  const n = native.quotaCreate(
    quotaNumber(fn, 'max_work_items', limits.max_work_items),
    quotaNumber(fn, 'max_mutations', limits.max_mutations),
    quotaNumber(fn, 'max_retries_total', limits.max_retries_total),
  );
  return {
    run_id: runId,
    max_work_items: n[0],
    max_mutations: n[1],
    max_retries_total: n[2],
    consumed_work_items: n[3],
    consumed_mutations: n[4],
    consumed_retries: n[5],
  };
}

function checkQuota(quota) {
  const fn = 'checkQuota';
  return native.quotaCheck(
    quotaNumber(fn, 'consumed_work_items', quota.consumed_work_items),
    quotaNumber(fn, 'max_work_items', quota.max_work_items),
    quotaNumber(fn, 'consumed_mutations', quota.consumed_mutations),
    quotaNumber(fn, 'max_mutations', quota.max_mutations),
    quotaNumber(fn, 'consumed_retries', quota.consumed_retries),
    quotaNumber(fn, 'max_retries_total', quota.max_retries_total),
  );
}

function consumeQuota(quota, type, amount = 1) {
  const counter = native.quotaCounter(String(type));
  if (counter === null) return undefined;
  return { ...quota, [counter]: quota[counter] + amount };
}

// ---------------------------------------------------------------- packs

function savePolicyPack(projectRoot, pack) {
  native.savePolicyPack(
    requireString('savePolicyPack', 'projectRoot', projectRoot),
    toWire('savePolicyPack', 'pack', pack),
  );
}

function loadPolicyPack(projectRoot, packId) {
  const text = native.loadPolicyPack(
    requireString('loadPolicyPack', 'projectRoot', projectRoot),
    requireString('loadPolicyPack', 'packId', packId),
  );
  flushDiagnostics();
  return text === null ? null : JSON.parse(text);
}

function listPolicyPacks(projectRoot) {
  const text = native.listPolicyPacks(requireString('listPolicyPacks', 'projectRoot', projectRoot));
  flushDiagnostics();
  return JSON.parse(text);
}

function applyPolicyPack(engine, pack) {
  let result = engine.withGuardrail(pack.guardrail);
  for (const rule of pack.policies) result = result.withRule(rule);
  return result;
}

module.exports = {
  AuditTrail,
  createQuota,
  checkQuota,
  consumeQuota,
  savePolicyPack,
  loadPolicyPack,
  listPolicyPacks,
  applyPolicyPack,
};
