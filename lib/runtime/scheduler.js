'use strict';
// Scheduler: the run is a Rust coroutine (crates/oxe-runtime/src/scheduler)
// that asks this driver to perform effects — call the executor, the
// workspace manager, the policy engine, the gate manager, the plugin
// registry, the audit trail and onEvent — and resumes with the answers.
// The driver decides nothing: it performs the request it is given, with
// the same sync/async shape as oxe-cc 1.4.0 (sync callbacks stay sync).

const { native, argError, codedError, toWire } = require('../native.js');
const journalApi = require('./journal.js');

const kCore = Symbol('oxe.scheduler.core');
const kJournal = Symbol('oxe.scheduler.journal');

function graphWire(graph) {
  if (!graph || !(graph.nodes instanceof Map)) {
    throw argError('Scheduler: graph.nodes must be a Map of GraphNode objects (use compile() or fromSerializable())');
  }
  return toWire('Scheduler', 'graph', { nodes: [...graph.nodes], waves: Array.isArray(graph.waves) ? graph.waves : [] });
}

function contextWire(ctx, runId, internal = {}) {
  if (!ctx || typeof ctx !== 'object') throw argError('Scheduler: ctx must be a SchedulerContext object');
  if (typeof ctx.projectRoot !== 'string') throw argError('Scheduler: ctx.projectRoot must be a string');
  if (typeof runId !== 'string' || !runId) throw argError('Scheduler: ctx.runId must be a non-empty string');
  if (!ctx.executor || typeof ctx.executor.execute !== 'function') {
    throw argError('Scheduler: ctx.executor must have an execute(node, lease, runId, attemptNumber) method');
  }
  if (!ctx.workspaceManager || typeof ctx.workspaceManager.allocate !== 'function') {
    throw argError('Scheduler: ctx.workspaceManager must have allocate(request) and dispose(id) methods');
  }
  return JSON.stringify({
    projectRoot: ctx.projectRoot,
    sessionId: typeof ctx.sessionId === 'string' ? ctx.sessionId : null,
    runId,
    allowExternalDeps: Boolean(internal.allowExternalDeps),
    policyActor: ctx.policyActor ?? 'runtime',
    has: {
      onEvent: ctx.onEvent != null,
      auditTrail: ctx.auditTrail != null,
      policyEngine: Boolean(ctx.policyEngine),
      gateManager: Boolean(ctx.gateManager),
      pluginRegistry: ctx.pluginRegistry != null,
      quota: Boolean(ctx.quota),
    },
  });
}

// Answers sent back to the coroutine.
function ok(value) {
  try {
    const text = JSON.stringify({ ok: value });
    return text;
  } catch (e) {
    return JSON.stringify({ throw: null, message: `value cannot be serialized to JSON (${e && e.message})` });
  }
}
const OK_NULL = '{"ok":null}';

class Thrown {
  constructor() {
    this.next = 1;
    this.values = new Map();
  }
  answer(err) {
    const token = this.next++;
    this.values.set(token, err);
    let message;
    try {
      message = String(err);
    } catch {
      message = 'Error';
    }
    return JSON.stringify({ throw: token, message });
  }
  rethrow(req) {
    if (typeof req.token === 'number' && this.values.has(req.token)) return this.values.get(req.token);
    const code = req.token && typeof req.token === 'object' && req.token.code ? req.token.code : 'OXE_E_STATE';
    return codedError(code, req.message);
  }
}

function quotaStep(ctx, kinds) {
  const audit = require('./audit.js');
  let quota = ctx.quota;
  for (const kind of kinds) quota = audit.consumeQuota(quota, kind, 1);
  const violation = audit.checkQuota(quota);
  ctx.quota = quota;
  return violation ? `${violation.quota_type}:${violation.consumed}/${violation.limit}` : null;
}

function providerInfo(p) {
  return p ? { name: p.name ?? null, kind: p.kind ?? null } : null;
}

// Drive one coroutine until it finishes; `nodeId` is set for node coroutines.
async function drive(run, handle, nodeId) {
  const { core, ctx, graph, thrown } = run;
  let response = null;
  let lease = null;
  let toolProvider = null;
  let workspaceProvider = null;
  for (;;) {
    const req = JSON.parse(core.resume(handle, response));
    response = null;
    switch (req.op) {
      case 'done':
        return req.value;
      case 'throw':
        throw thrown.rethrow(req);
      case 'onEvent':
        try { ctx.onEvent(req.event); response = OK_NULL; } catch (e) { response = thrown.answer(e); }
        break;
      case 'audit':
        try { ctx.auditTrail.record(req.action, req.actor, req.opts); response = OK_NULL; } catch (e) { response = thrown.answer(e); }
        break;
      case 'policyEvaluate':
        try { response = ok(ctx.policyEngine.evaluate(req.context)); } catch (e) { response = thrown.answer(e); }
        break;
      case 'savePolicyDecision':
        try { require('./policy.js').savePolicyDecision(ctx.projectRoot, req.decision); response = OK_NULL; } catch (e) { response = thrown.answer(e); }
        break;
      case 'quota':
        try { response = ok(quotaStep(ctx, req.kinds)); } catch (e) { response = thrown.answer(e); }
        break;
      case 'toolProviderFor':
        try { toolProvider = ctx.pluginRegistry.toolProviderFor(req.type); response = ok(providerInfo(toolProvider)); } catch (e) { response = thrown.answer(e); }
        break;
      case 'workspaceProviderFor':
        try { workspaceProvider = ctx.pluginRegistry.workspaceProviderFor(req.strategy); response = ok(workspaceProvider != null); } catch (e) { response = thrown.answer(e); }
        break;
      case 'allocate':
        try {
          const manager = req.viaProvider ? workspaceProvider : ctx.workspaceManager;
          lease = await manager.allocate(req.request);
          response = ok(lease);
        } catch (e) { response = thrown.answer(e); }
        break;
      case 'execute':
        try { response = ok(await ctx.executor.execute(graph.nodes.get(nodeId), lease, ctx.runId, req.attempt)); } catch (e) { response = thrown.answer(e); }
        break;
      case 'invokeProvider':
        try { response = ok(await toolProvider.invoke(req.input)); } catch (e) { response = thrown.answer(e); }
        break;
      case 'gateRequest':
        try { response = ok(await ctx.gateManager.request(req.scope, req.context)); } catch (e) { response = thrown.answer(e); }
        break;
      case 'dispose':
        try { await ctx.workspaceManager.dispose(req.workspaceId); } catch { /* a failed dispose never fails the run */ }
        lease = null;
        response = OK_NULL;
        break;
      case 'runNodes':
        try {
          await Promise.all(req.ids.map((id) => drive(run, core.spawnNode(id), id)));
          response = OK_NULL;
        } catch (e) { response = thrown.answer(e); }
        break;
      default:
        throw codedError('OXE_E_STATE', `scheduler driver: unknown request ${req.op}`);
    }
  }
}

class Scheduler {
  constructor() {
    this.cancelled = false;
    this.paused = false;
    Object.defineProperty(this, 'journal', { enumerable: true, configurable: true, get: () => this.getJournal() });
    this.ctx = null;
    Object.defineProperty(this, kCore, { value: null, writable: true });
    Object.defineProperty(this, kJournal, { value: null, writable: true });
  }

  async run(graph, ctx) {
    return this._start(graph, ctx, null);
  }

  async recover(runId, ctx, graph) {
    return this._start(graph, ctx, runId);
  }

  async _start(graph, ctx, recoverRunId, internal) {
    const runId = recoverRunId ?? (ctx && ctx.runId);
    const core = native.schedulerCreate(contextWire(ctx, runId, internal), graphWire(graph));
    this[kCore] = core;
    this[kJournal] = null;
    this.cancelled = false;
    this.paused = false;
    this.ctx = ctx;
    const handle = recoverRunId === null ? core.startRun() : core.startRecover();
    if (handle === null) {
      this[kCore] = null;
      return null;
    }
    return drive({ core, ctx, graph, thrown: new Thrown() }, handle, null);
  }

  pause() {
    this.paused = true;
    if (this[kCore]) this[kCore].pause();
  }

  resume() {
    this.paused = false;
    if (this[kCore]) this[kCore].resumeRun();
  }

  cancel() {
    this.cancelled = true;
    if (this[kCore]) this[kCore].cancel();
  }

  // The live journal object: the same object on every call, kept in step
  // with the run's journal.
  getJournal() {
    const core = this[kCore];
    if (!core) return this[kJournal];
    const text = core.journal();
    if (text === null) return this[kJournal];
    const fresh = JSON.parse(text);
    const cached = this[kJournal];
    if (!cached) {
      this[kJournal] = fresh;
      return fresh;
    }
    for (const k of Object.keys(cached)) if (!(k in fresh)) delete cached[k];
    Object.assign(cached, fresh);
    return cached;
  }

  static loadJournal(projectRoot, runId) {
    return journalApi.loadJournal(projectRoot, runId);
  }
}

module.exports = { Scheduler };
