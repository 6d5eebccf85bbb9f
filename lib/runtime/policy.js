'use strict';
// policy: PolicyEngine and the persisted policy decisions of a run. The core
// compiles an engine's rules and guardrail once and evaluates contexts; this
// file keeps the engine's own properties (`rules`, `guardrail`, as in
// 1.4.0), writes each context into the core's compact numeric form, and
// mirrors the table of decisions the core answers with (policy/wire.rs).

const path = require('path');
const { createRequire } = require('module');
const { native, toWire, requireString, flushDiagnostics } = require('../native.js');

// Answer bits of policyEvaluateSlots (oxe_runtime::policy::wire).
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

// ---------------------------------------------------------------- transfer

// Contexts cross in two arrays bound once to the core (layout in
// policy.rs: policyEvaluateSlots): numbers and string lengths in a
// Float64Array, the strings as UTF-8 in a Uint8Array that the core reads in
// place. Copying a few short strings this way is much cheaper than passing
// them as napi arguments.
const SLOT_CAP = 1024;
const BYTE_CAP = 1 << 18;
const S_LENGTHS = 6;
const slots = new Float64Array(SLOT_CAP);
const bytes = new Uint8Array(BYTE_CAP);
native.policyBindSlots(slots, bytes);

// Next free slot and byte while filling (module state: no allocation).
let slotAt = 0;
let byteAt = 0;

// Writes a string as UTF-8 (a lone surrogate as U+FFFD, as napi does);
// false when it does not fit.
function putString(s) {
  const n = s.length;
  if (slotAt >= SLOT_CAP || byteAt + 3 * n > BYTE_CAP) return false;
  const start = byteAt;
  let at = byteAt;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      bytes[at++] = c;
    } else if (c < 0x800) {
      bytes[at++] = 0xc0 | (c >> 6);
      bytes[at++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          bytes[at++] = 0xf0 | (cp >> 18);
          bytes[at++] = 0x80 | ((cp >> 12) & 0x3f);
          bytes[at++] = 0x80 | ((cp >> 6) & 0x3f);
          bytes[at++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      bytes[at++] = 0xe0 | (c >> 12);
      bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[at++] = 0x80 | (c & 0x3f);
    }
  }
  slots[slotAt++] = at - start;
  byteAt = at;
  return true;
}

// Writes a string field; its mask bit, 0 when absent, -1 when it is not a
// string or does not fit.
function putText(v, bit) {
  if (typeof v === 'string') return putString(v) ? bit : -1;
  if (v == null) {
    slots[slotAt++] = 0;
    return 0;
  }
  return -1;
}

// Writes a list of strings; its length, or -1.
function putList(list) {
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const x = list[i];
    if (typeof x !== 'string' || !putString(x)) return -1;
  }
  return n;
}

function numberBit(v, bit) {
  if (typeof v === 'number') return bit;
  return v == null ? 0 : -1;
}

// Writes the context into the transfer arrays; false when a field holds a
// value only JSON can carry (or does not fit), and JSON is sent instead.
// Every field is read before anything is written (a getter may evaluate).
function fill(ctx) {
  const tool = ctx.tool;
  const env = ctx.env;
  const kind = ctx.kind;
  const effect = ctx.side_effect_class;
  const tier = ctx.autonomy_tier;
  const scope = ctx.mutation_scope;
  const affected = ctx.affected_paths;
  const count = ctx.mutation_count;
  const np = ctx.node_policy;
  const budget = np == null ? undefined : np.mutation_budget;
  slotAt = S_LENGTHS;
  byteAt = 0;
  const bits = putText(tool, 1) | putText(env, 2) | putText(kind, 4) | putText(effect, 8) | putText(tier, 16);
  if (bits < 0) return false;
  let mask = bits;
  let nScope = 0;
  let nAffected = 0;
  if (scope != null) {
    if (!Array.isArray(scope) || (nScope = putList(scope)) < 0) return false;
    mask |= 32;
  }
  if (affected != null) {
    if (!Array.isArray(affected) || (nAffected = putList(affected)) < 0) return false;
    mask |= 64;
  }
  const countBit = numberBit(count, 128);
  const budgetBit = numberBit(budget, 256);
  if (countBit < 0 || budgetBit < 0) return false;
  slots[1] = mask | countBit | budgetBit;
  slots[2] = nScope;
  slots[3] = nAffected;
  slots[4] = countBit ? count : 0;
  slots[5] = budgetBit ? budget : 0;
  return true;
}

// A table entry (one object shape for all of them).
function entry(t, reason) {
  return {
    decision_id: t.decision_id,
    allowed: t.allowed,
    gate_required: t.gate_required,
    reason,
    rule_id: t.rule_id,
  };
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
      table: initial.table.map((t) => entry(t, t.reason)),
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
    const filled = fill(ctx);
    slots[0] = h;
    let code = filled ? native.policyEvaluateSlots() : RETRY;
    if (code === RETRY) code = native.policyEvaluateWire(h, toWire('PolicyEngine.evaluate', 'ctx', ctx));
    if (code & CLOCK_MOVED) c.timestamp = native.policyTimestamp();
    let e;
    if (code & (NEW_ENTRY | EPHEMERAL)) {
      e = entry(c.templates[code >>> SHIFT], native.policyReason());
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
