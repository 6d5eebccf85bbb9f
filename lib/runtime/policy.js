'use strict';
// policy: PolicyEngine and the persisted policy decisions of a run. The core
// compiles an engine's rules and guardrail once and evaluates contexts; this
// file keeps the engine's own properties (`rules`, `guardrail`, as in
// 1.4.0), packs each context into the core's compact form, and mirrors the
// table of decisions the core answers with (see policy/wire.rs).

const path = require('path');
const { createRequire } = require('module');
const { native, toWire, requireString, flushDiagnostics } = require('../native.js');

// Answer bits of policyEvaluate (oxe_runtime::policy::wire).
const CLOCK_MOVED = 1;
const NEW_ENTRY = 2;
const EPHEMERAL = 4;
const SHIFT = 3;
const RETRY = 0xffffffff;

// Compiled engines live in the core under a handle; freed with the engine.
const released = new FinalizationRegistry((handle) => native.policyRelease(handle));

// The guardrail of engines built without one (shared and live, as in 1.4.0).
const DEFAULT_GUARDRAIL = JSON.parse(native.policyDefaultGuardrail());

// `require` as seen from 1.4.0's lib/runtime/policy/policy-engine.js, so a
// relative config path resolves against the same directory.
const requireAsEngine = createRequire(path.join(__dirname, 'policy', 'policy-engine.js'));

// ---------------------------------------------------------------- packing

// Outputs of pack() besides the packed text (module state: no allocation).
let packMask = 0;
let packScope = 0;
let packAffected = 0;
let packCount = 0;
let packBudget = 0;

// Appends a string field to `parts`; false when it is neither a string nor
// null/undefined.
function pushText(parts, v, bit) {
  if (typeof v === 'string') {
    packMask |= bit;
    parts.push(v);
    return true;
  }
  if (v == null) {
    parts.push('');
    return true;
  }
  return false;
}

// Appends a list of strings (an empty or absent list takes one empty piece).
function pushList(parts, list, bit) {
  if (list == null) {
    parts.push('');
    return 0;
  }
  if (!Array.isArray(list)) return -1;
  const n = list.length;
  if (n === 0) parts.push('');
  for (let i = 0; i < n; i++) {
    const x = list[i];
    if (typeof x !== 'string') return -1;
    parts.push(x);
  }
  packMask |= bit;
  return n;
}

function numberBit(v, bit) {
  if (typeof v === 'number') return bit;
  return v == null ? 0 : -1;
}

// The context as NUL-separated text for policyEvaluate, or null when a
// field holds a value only JSON can carry.
function pack(ctx) {
  packMask = 0;
  const parts = [];
  if (
    !pushText(parts, ctx.tool, 1) || !pushText(parts, ctx.env, 2) || !pushText(parts, ctx.kind, 4) ||
    !pushText(parts, ctx.side_effect_class, 8) || !pushText(parts, ctx.autonomy_tier, 16)
  ) {
    return null;
  }
  packScope = pushList(parts, ctx.mutation_scope, 32);
  if (packScope < 0) return null;
  packAffected = pushList(parts, ctx.affected_paths, 64);
  if (packAffected < 0) return null;
  const count = ctx.mutation_count;
  const np = ctx.node_policy;
  const budget = np == null ? undefined : np.mutation_budget;
  const countBit = numberBit(count, 128);
  const budgetBit = numberBit(budget, 256);
  if (countBit < 0 || budgetBit < 0) return null;
  packMask |= countBit | budgetBit;
  packCount = countBit ? count : 0;
  packBudget = budgetBit ? budget : 0;
  return parts.join('\0');
}

function listLength(v) {
  return Array.isArray(v) ? v.length : -1;
}

function guardrailField(g, key) {
  return g !== null && typeof g === 'object' ? g[key] : undefined;
}

// ---------------------------------------------------------------- engine

class PolicyEngine {
  #compiled = null;

  constructor(rules = [], guardrail = DEFAULT_GUARDRAIL) {
    this.rules = rules;
    this.guardrail = guardrail;
  }

  // The compiled engine; compiled again if `rules` or the guardrail lists
  // were replaced or grew/shrank since.
  #current() {
    const rules = this.rules;
    const g = this.guardrail;
    const paths = guardrailField(g, 'protected_paths');
    const gateOn = guardrailField(g, 'require_human_gate_on');
    const c = this.#compiled;
    if (
      c !== null && c.rules === rules && c.rulesLength === listLength(rules) && c.guardrail === g &&
      c.paths === paths && c.pathsLength === listLength(paths) &&
      c.gateOn === gateOn && c.gateOnLength === listLength(gateOn)
    ) {
      return c;
    }
    const handle = native.policyCompile(
      toWire('PolicyEngine', 'rules', rules),
      toWire('PolicyEngine', 'guardrail', g),
    );
    if (c !== null) {
      released.unregister(c);
      native.policyRelease(c.handle);
    }
    const initial = JSON.parse(native.policyInitial(handle));
    const fresh = {
      handle,
      table: initial.table,
      templates: initial.templates,
      timestamp: '',
      rules,
      rulesLength: listLength(rules),
      guardrail: g,
      paths,
      pathsLength: listLength(paths),
      gateOn,
      gateOnLength: listLength(gateOn),
    };
    released.register(this, handle, fresh);
    this.#compiled = fresh;
    return fresh;
  }

  evaluate(ctx) {
    const c = this.#current();
    const h = c.handle;
    const packed = pack(ctx);
    let code = packed === null
      ? RETRY
      : native.policyEvaluate(h, packed, packMask, packScope, packAffected, packCount, packBudget);
    if (code === RETRY) code = native.policyEvaluateWire(h, toWire('PolicyEngine.evaluate', 'ctx', ctx));
    if (code & CLOCK_MOVED) c.timestamp = native.policyTimestamp(h);
    let e;
    if (code & (NEW_ENTRY | EPHEMERAL)) {
      const t = c.templates[code >>> SHIFT];
      e = {
        decision_id: t.decision_id,
        allowed: t.allowed,
        gate_required: t.gate_required,
        reason: native.policyReason(h),
        rule_id: t.rule_id,
      };
      if (code & NEW_ENTRY) c.table.push(e);
    } else {
      e = c.table[code >>> SHIFT];
    }
    return {
      decision_id: e.decision_id,
      allowed: e.allowed,
      gate_required: e.gate_required,
      reason: e.reason,
      rule_id: e.rule_id,
      timestamp: c.timestamp,
    };
  }

  withRule(rule) {
    return new PolicyEngine([...this.rules, rule], this.guardrail);
  }

  withGuardrail(guardrail) {
    return new PolicyEngine(this.rules, guardrail);
  }

  getGuardrail() {
    return this.guardrail;
  }

  static fromConfig(config) {
    return new PolicyEngine(config.policies ?? [], config.guardrail ?? DEFAULT_GUARDRAIL);
  }

  static fromConfigFile(configPath) {
    try {
      return PolicyEngine.fromConfig(requireAsEngine(configPath));
    } catch {
      return new PolicyEngine();
    }
  }

  // A fresh copy (its lists are not shared with the default).
  static defaultGuardrail() {
    return JSON.parse(native.policyDefaultGuardrail());
  }
}

// ---------------------------------------------------------------- decisions

function savePolicyDecision(projectRoot, decision) {
  native.savePolicyDecision(
    requireString('savePolicyDecision', 'projectRoot', projectRoot),
    toWire('savePolicyDecision', 'decision', decision),
  );
  flushDiagnostics();
  return decision;
}

function loadPolicyDecisions(projectRoot, runId) {
  const text = native.loadPolicyDecisions(
    requireString('loadPolicyDecisions', 'projectRoot', projectRoot),
    requireString('loadPolicyDecisions', 'runId', runId),
  );
  flushDiagnostics();
  return JSON.parse(text);
}

function summarizePolicyDecisions(decisions) {
  return JSON.parse(native.summarizePolicyDecisions(toWire('summarizePolicyDecisions', 'decisions', decisions)));
}

module.exports = { PolicyEngine, savePolicyDecision, loadPolicyDecisions, summarizePolicyDecisions };
