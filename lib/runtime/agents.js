'use strict';
// agents: AgentRegistry (heartbeats, liveness, failover) and the role
// helpers (budgets, cooperative handoffs, arbitration between results).
//
// The registry's records live in a real Map (`registry.agents`, an own
// property as in oxe-cc 1.4.0): they hold the caller's executor and
// workspace manager, which are stored and never called, and `get`/`list`
// hand back the stored records themselves. The rules — the heartbeat a
// record starts with, what a beat changes, liveness, which agents a
// failover strips, budget arithmetic, handoff ids, the arbitration winner —
// are decided by the core; this file reads the values they need and applies
// the answers to the live records.

const { native, argError, requireString, optionalString } = require('../native.js');

// How 1.4.0 reads a heartbeat: `new Date(last_seen).getTime()` of the record
// registered under that id; NaN (never alive) when there is none.
function seenAt(registry, id) {
  const record = registry.agents.get(id);
  return record ? new Date(record.heartbeat.last_seen).getTime() : NaN;
}

// Every record in registry order, and the heartbeat time each is judged by
// (the record registered under its `id`, as 1.4.0 looks it up).
function snapshot(registry) {
  const records = [...registry.agents.values()];
  const seen = new Array(records.length);
  for (let i = 0; i < records.length; i++) seen[i] = seenAt(registry, records[i].id);
  return { records, seen };
}

function pickAlive(registry, wantAlive) {
  const { records, seen } = snapshot(registry);
  const alive = native.agentLiveness(seen, Number(registry.heartbeatTimeoutMs));
  return records.filter((_, i) => alive[i] === wantAlive);
}

class AgentRegistry {
  constructor(heartbeatTimeoutMs = native.AGENT_HEARTBEAT_TIMEOUT_MS) {
    this.agents = new Map();
    this.heartbeatTimeoutMs = heartbeatTimeoutMs;
  }

  register(id, executor, workspaceManager, assignedTaskIds = [], role) {
    requireString('AgentRegistry.register', 'id', id);
    const heartbeat = native.agentRegisterHeartbeat(id, this.agents.has(id));
    const agent = { id, executor, workspaceManager, assignedTaskIds, heartbeat, role, actionLog: [] };
    this.agents.set(id, agent);
    return agent;
  }

  unregister(id) {
    this.agents.delete(id);
  }

  beat(id, currentTask = null) {
    const agent = this.agents.get(id);
    if (!agent) return;
    agent.heartbeat.last_seen = native.agentStamp();
    agent.heartbeat.current_task = currentTask;
    agent.heartbeat.status = native.agentBeatStatus(Boolean(currentTask));
  }

  setStatus(id, status) {
    const agent = this.agents.get(id);
    if (agent) agent.heartbeat.status = status;
  }

  isAlive(id) {
    return native.agentIsAlive(seenAt(this, id), Number(this.heartbeatTimeoutMs));
  }

  timedOut() {
    return pickAlive(this, false);
  }

  liveAgents() {
    return pickAlive(this, true);
  }

  get(id) {
    return this.agents.get(id) ?? null;
  }

  list() {
    return [...this.agents.values()];
  }

  failover(fallbackAgentId) {
    const fallback = this.agents.get(fallbackAgentId);
    const { records, seen } = snapshot(this);
    const plan = native.agentFailover(
      `${fallbackAgentId}`,
      Boolean(fallback),
      seen,
      Number(this.heartbeatTimeoutMs),
    );
    const orphaned = [];
    for (const i of plan.timed_out) {
      const agent = records[i];
      orphaned.push(...agent.assignedTaskIds);
      agent.assignedTaskIds = [];
      agent.heartbeat.status = plan.status;
    }
    fallback.assignedTaskIds = [...fallback.assignedTaskIds, ...orphaned];
    return orphaned;
  }

  getByRole(role) {
    return [...this.agents.values()].filter((a) => a.role === role);
  }

  logAction(agentId, log) {
    const agent = this.agents.get(agentId);
    if (agent) agent.actionLog.push(log);
  }

  clear() {
    this.agents.clear();
  }
}

// A budget figure: a number, or null/undefined for "not given".
function budgetNumber(fn, what, value) {
  if (value === undefined || value === null || typeof value === 'number') return value;
  throw argError(`${fn}: ${what} must be a number, got ${typeof value}`);
}

function requireObject(fn, what, value) {
  if (value === null || typeof value !== 'object') {
    throw argError(`${fn}: ${what} must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

// A fresh budget: the limits as given (missing means unlimited), nothing consumed.
function createBudget(opts = {}) {
  const fn = 'createBudget';
  requireObject(fn, 'opts', opts);
  return {
    max_tokens: native.budgetLimit(budgetNumber(fn, 'max_tokens', opts.max_tokens)),
    max_time_ms: native.budgetLimit(budgetNumber(fn, 'max_time_ms', opts.max_time_ms)),
    max_retries: native.budgetLimit(budgetNumber(fn, 'max_retries', opts.max_retries)),
    consumed_tokens: 0,
    consumed_time_ms: 0,
    consumed_retries: 0,
  };
}

// A new budget: the caller's fields, with the amounts in `delta` added.
function consumeBudget(budget, delta) {
  const fn = 'consumeBudget';
  requireObject(fn, 'budget', budget);
  requireObject(fn, 'delta', delta);
  return {
    ...budget,
    consumed_tokens: native.budgetAdd(
      budgetNumber(fn, 'budget.consumed_tokens', budget.consumed_tokens),
      budgetNumber(fn, 'delta.tokens', delta.tokens),
    ),
    consumed_time_ms: native.budgetAdd(
      budgetNumber(fn, 'budget.consumed_time_ms', budget.consumed_time_ms),
      budgetNumber(fn, 'delta.time_ms', delta.time_ms),
    ),
    consumed_retries: native.budgetAdd(
      budgetNumber(fn, 'budget.consumed_retries', budget.consumed_retries),
      budgetNumber(fn, 'delta.retries', delta.retries),
    ),
  };
}

function isBudgetExhausted(budget) {
  const fn = 'isBudgetExhausted';
  requireObject(fn, 'budget', budget);
  return native.budgetExhausted(
    budgetNumber(fn, 'consumed_tokens', budget.consumed_tokens),
    budgetNumber(fn, 'max_tokens', budget.max_tokens),
    budgetNumber(fn, 'consumed_time_ms', budget.consumed_time_ms),
    budgetNumber(fn, 'max_time_ms', budget.max_time_ms),
    budgetNumber(fn, 'consumed_retries', budget.consumed_retries),
    budgetNumber(fn, 'max_retries', budget.max_retries),
  );
}

function buildHandoff(opts) {
  const fn = 'buildHandoff';
  requireObject(fn, 'opts', opts);
  return native.agentBuildHandoff(
    requireString(fn, 'from_agent_id', opts.from_agent_id),
    requireString(fn, 'to_agent_id', opts.to_agent_id),
    requireString(fn, 'from_role', opts.from_role),
    requireString(fn, 'to_role', opts.to_role),
    requireString(fn, 'work_item_id', opts.work_item_id),
    optionalString(fn, 'context_pack_ref', opts.context_pack_ref),
  );
}

class ArbitrationEngine {
  arbitrate(results) {
    const fn = 'ArbitrationEngine.arbitrate';
    if (!Array.isArray(results)) throw argError(`${fn}: results must be an array of {agent_id, result}`);
    const n = results.length;
    const success = new Array(n);
    const evidence = new Array(n);
    for (let i = 0; i < n; i++) {
      const entry = results[i];
      const result = entry === null || typeof entry !== 'object' ? undefined : entry.result;
      if (result === null || typeof result !== 'object') {
        throw argError(`${fn}: results[${i}].result must be a TaskResult object`);
      }
      success[i] = Boolean(result.success);
      const count = result.evidence == null ? 0 : Number(result.evidence.length);
      evidence[i] = Number.isNaN(count) ? 0 : count;
    }
    const pick = native.agentArbitrate(success, evidence);
    return typeof pick === 'number' ? results[pick].result : pick;
  }
}

module.exports = {
  AgentRegistry,
  createBudget,
  consumeBudget,
  isBudgetExhausted,
  buildHandoff,
  ArbitrationEngine,
};
