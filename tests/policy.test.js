'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject, captureWarnings, rng } = require('./helpers.js');

const { PolicyEngine } = oxe;

test('exports and own properties match 1.4.0', () => {
  for (const name of ['PolicyEngine', 'savePolicyDecision', 'loadPolicyDecisions', 'summarizePolicyDecisions']) {
    assert.equal(typeof oxe[name], 'function', name);
    assert.ok(Object.keys(oxe).includes(name), name);
  }
  const rules = [{ id: 'r', when: {}, action: 'allow' }];
  const e = new PolicyEngine(rules);
  assert.deepEqual(Object.keys(e), ['rules', 'guardrail']);
  assert.equal(e.rules, rules);
  assert.equal(e.getGuardrail(), e.guardrail);
  // default engines share the default guardrail object
  assert.equal(new PolicyEngine().getGuardrail(), new PolicyEngine().getGuardrail());
});

test('decisions have 1.4.0 fields, order and a fresh timestamp', () => {
  const e = new PolicyEngine();
  const a = e.evaluate({ tool: 'x' });
  const b = e.evaluate({ tool: 'x' });
  assert.deepEqual(Object.keys(a), ['decision_id', 'allowed', 'gate_required', 'reason', 'rule_id', 'timestamp']);
  assert.deepEqual({ ...a, timestamp: 0 }, {
    decision_id: '__default_allow', allowed: true, gate_required: false,
    reason: 'no matching policy — default allow', rule_id: null, timestamp: 0,
  });
  assert.match(a.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.notEqual(a, b);
});

test('every stage gives 1.4.0 reasons', () => {
  const e = new PolicyEngine([
    { id: 'scope', when: { tool: 'patch' }, assert: { diff_within_scope: true }, action: 'allow' },
    { id: 'gate', when: { kind: 'infra' }, action: 'require_human_gate' },
  ]);
  const r = (ctx) => { const d = e.evaluate(ctx); return [d.decision_id, d.allowed, d.gate_required, d.reason]; };
  assert.deepEqual(r({ tool: 't', autonomy_tier: 'L0', side_effect_class: 'write_fs' }),
    ['__autonomy_tier', false, false, "Autonomy tier L0 does not permit side effect 'write_fs'"]);
  assert.deepEqual(r({ tool: 't', affected_paths: ['src/a', '.oxe/config.json'] }),
    ['__guardrail_path', true, true, 'Protected path affected: .oxe/config.json']);
  assert.deepEqual(r({ tool: 't', side_effect_class: 'secret_access' }),
    ['__guardrail_side_effect', true, true, "Side effect class 'secret_access' requires human gate"]);
  assert.deepEqual(r({ tool: 't', mutation_count: 4, node_policy: { max_retries: 1, mutation_budget: 2 } }),
    ['__mutation_budget', false, false, 'Mutation budget exhausted: 4/2']);
  assert.deepEqual(r({ tool: 'patch', mutation_scope: ['src/a/'], affected_paths: ['src/a/x', 'src/b', 'lib'] }),
    ['scope', false, false, 'Assert failed for rule scope: paths outside mutation scope: src/b, lib']);
  assert.deepEqual(r({ tool: 'patch', mutation_scope: ['src/a/'], affected_paths: ['src/a/x'] }),
    ['scope', true, false, 'Allowed by rule scope']);
  assert.deepEqual(r({ tool: 'z', kind: 'infra' }), ['gate', true, true, 'Gate required by rule gate']);
  // repeated context-dependent decisions come back equal
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(r({ tool: 't', affected_paths: ['.env'] }), ['__guardrail_path', true, true, 'Protected path affected: .env']);
  }
});

test('values only JSON can carry are evaluated with JS semantics', () => {
  const e = new PolicyEngine([{ id: 7, when: { tool: 5 }, action: 'deny' }, { when: { env: 'x' }, action: 'deny' }]);
  const d = e.evaluate({ tool: 5 });
  assert.equal(d.decision_id, 7);
  assert.equal(d.reason, 'Denied by rule 7');
  assert.equal(e.evaluate({ tool: '5' }).allowed, true);
  // a rule without an id: undefined ids, "undefined" in the reason
  const u = e.evaluate({ tool: 'a', env: 'x' });
  assert.ok('decision_id' in u);
  assert.equal(u.decision_id, undefined);
  assert.equal(u.reason, 'Denied by rule undefined');
  // a string budget compares as JS does
  assert.equal(new PolicyEngine().evaluate({ tool: 't', mutation_count: '3', node_policy: { mutation_budget: 3 } }).allowed, false);
  // strings holding NUL and very long lists still evaluate
  assert.equal(new PolicyEngine().evaluate({ tool: 'a\0b', affected_paths: ['x\0', '.env'] }).decision_id, '__guardrail_path');
  const long = Array.from({ length: 3000 }, (_, i) => `src/f${i}`);
  assert.equal(new PolicyEngine().evaluate({ tool: 't', affected_paths: [...long, 'package.json'] }).reason, 'Protected path affected: package.json');
});

test('non-ASCII strings cross intact (lone surrogates as U+FFFD, as napi does)', () => {
  const g = { protected_paths: ['dados/ação', '🎉/x'], protected_branches: [], require_human_gate_on: ['ünïcode'] };
  const e = new PolicyEngine([{ id: 'é', when: { tool: 'ferramenta-ç' }, action: 'deny' }], g);
  assert.equal(e.evaluate({ tool: 't', affected_paths: ['dados/ação/arquivo.ts'] }).reason, 'Protected path affected: dados/ação/arquivo.ts');
  assert.equal(e.evaluate({ tool: 't', affected_paths: ['🎉/x/y'] }).reason, 'Protected path affected: 🎉/x/y');
  assert.equal(e.evaluate({ tool: 't', side_effect_class: 'ünïcode' }).decision_id, '__guardrail_side_effect');
  assert.equal(e.evaluate({ tool: 'ferramenta-ç' }).reason, 'Denied by rule é');
  assert.equal(e.evaluate({ tool: 't', affected_paths: ['a\ud800b'] }).decision_id, '__default_allow');
  const lone = new PolicyEngine([], { protected_paths: ['x\ufffdy'], protected_branches: [], require_human_gate_on: [] });
  assert.equal(lone.evaluate({ tool: 't', affected_paths: ['x\ud800y'] }).gate_required, true);
});

test('a context getter that evaluates another engine does not disturb the outer call', () => {
  const inner = new PolicyEngine([{ id: 'inner', when: {}, action: 'deny' }]);
  const outer = new PolicyEngine([{ id: 'outer', when: { tool: 'x' }, action: 'require_human_gate' }]);
  const ctx = { get tool() { inner.evaluate({ tool: 'zzz', affected_paths: ['a', 'b'] }); return 'x'; }, affected_paths: ['src/a'] };
  const d = outer.evaluate(ctx);
  assert.deepEqual([d.rule_id, d.gate_required], ['outer', true]);
});

test('malformed engines fail only when the bad piece is reached, with a code', () => {
  const e = new PolicyEngine(null, null);
  assert.equal(e.evaluate({ tool: 't', autonomy_tier: 'L0', side_effect_class: 'network_call' }).decision_id, '__autonomy_tier');
  assert.throws(() => e.evaluate({ tool: 't', affected_paths: ['x'] }), { code: 'OXE_E_ARG' });
  assert.throws(() => e.evaluate({ tool: 't' }), { code: 'OXE_E_ARG' });
  assert.throws(() => new PolicyEngine([{ id: 'x' }]).evaluate({ tool: 't' }), { code: 'OXE_E_ARG' });
  assert.throws(() => new PolicyEngine().evaluate({ tool: 't', affected_paths: 42 }), { code: 'OXE_E_ARG' });
  assert.throws(() => new PolicyEngine().evaluate(null), TypeError);
});

test('builders are immutable; a guardrail changed through getGuardrail() applies', () => {
  const base = new PolicyEngine();
  const denied = base.withRule({ id: 'd', when: { tool: 'x' }, action: 'deny' });
  assert.equal(base.evaluate({ tool: 'x' }).allowed, true);
  assert.equal(denied.evaluate({ tool: 'x' }).allowed, false);
  const g = { protected_paths: ['a'], protected_branches: [], require_human_gate_on: [] };
  const e = base.withGuardrail(g);
  assert.equal(e.evaluate({ tool: 't', affected_paths: ['b'] }).gate_required, false);
  e.getGuardrail().protected_paths.push('b');
  assert.equal(e.evaluate({ tool: 't', affected_paths: ['b'] }).gate_required, true);
  e.rules.push({ id: 'late', when: {}, action: 'deny' });
  assert.equal(e.evaluate({ tool: 't' }).rule_id, 'late');
});

test('defaultGuardrail returns fresh copies that do not alias the default', () => {
  const a = PolicyEngine.defaultGuardrail();
  const b = PolicyEngine.defaultGuardrail();
  assert.notEqual(a, b);
  assert.deepEqual(a, b);
  assert.deepEqual(a, {
    protected_paths: ['.oxe/config.json', '.env', 'package.json'],
    protected_branches: ['main', 'master', 'production', 'release'],
    require_human_gate_on: ['infra_operation', 'db_change', 'secret_access'],
  });
  a.protected_paths.length = 0;
  assert.equal(new PolicyEngine().evaluate({ tool: 't', affected_paths: ['.env'] }).gate_required, true);
});

test('fromConfigFile loads JS and JSON through require; errors give an empty engine', () => {
  const dir = tmpProject();
  const json = path.join(dir, 'policy.json');
  fs.writeFileSync(json, JSON.stringify({ policies: [{ id: 'j', when: { tool: 'a' }, action: 'deny' }] }));
  assert.equal(PolicyEngine.fromConfigFile(json).evaluate({ tool: 'a' }).rule_id, 'j');
  const js = path.join(dir, 'policy.js');
  fs.writeFileSync(js, "module.exports = { policies: [{ id: 'js', when: { tool: 'b' }, action: 'require_human_gate' }], guardrail: { protected_paths: [], protected_branches: [], require_human_gate_on: [] } };");
  const e = PolicyEngine.fromConfigFile(js);
  assert.equal(e.evaluate({ tool: 'b' }).gate_required, true);
  assert.equal(e.evaluate({ tool: 'c', affected_paths: ['.env'] }).gate_required, false);
  // relative paths resolve against lib/runtime/policy/, as 1.4.0's module dir
  const rel = path.relative(path.join(__dirname, '..', 'lib', 'runtime', 'policy'), json);
  assert.equal(PolicyEngine.fromConfigFile(rel).evaluate({ tool: 'a' }).rule_id, 'j');
  const empty = PolicyEngine.fromConfigFile(path.join(dir, 'missing.json'));
  assert.deepEqual(empty.rules, []);
  assert.equal(PolicyEngine.fromConfigFile(42).evaluate({ tool: 'a' }).allowed, true);
});

test('many distinct strings (past the intern limit) keep decisions right', () => {
  const e = new PolicyEngine([{ id: 's', when: {}, assert: { diff_within_scope: true }, action: 'allow' }]);
  for (let i = 0; i < 70000; i++) {
    const d = e.evaluate({ tool: `t${i}`, mutation_scope: [`dir${i}/`], affected_paths: [`dir${i}/f`, i % 1000 === 0 ? 'out' : `dir${i}/g`] });
    assert.equal(d.allowed, i % 1000 !== 0);
  }
});

test('property: decisions match a reference model of the stages', () => {
  const r = rng(11);
  const tools = ['a', 'b', 'c'];
  const effects = ['read_fs', 'write_fs', 'network_call', 'db_change', 'infra_operation'];
  const rules = [];
  for (let i = 0; i < 12; i++) {
    const when = {};
    if (r.next() < 0.6) when.tool = r.pick(tools);
    if (r.next() < 0.3) when.side_effect_class = r.pick(effects);
    rules.push({ id: `r${i}`, when, action: r.pick(['allow', 'deny', 'require_human_gate']) });
  }
  const tiers = { L0: ['read_fs'], L1: ['read_fs', 'write_fs', 'spawn_process'], L2: ['read_fs', 'write_fs', 'spawn_process', 'network_call', 'git_mutation'] };
  const model = (ctx) => {
    if (ctx.autonomy_tier && ctx.side_effect_class && !(tiers[ctx.autonomy_tier] || effects).includes(ctx.side_effect_class)) return '__autonomy_tier';
    if ((ctx.affected_paths || []).some((p) => p === '.env' || p.startsWith('.env/'))) return '__guardrail_path';
    if (['infra_operation', 'db_change', 'secret_access'].includes(ctx.side_effect_class)) return '__guardrail_side_effect';
    for (const rule of rules) {
      if (rule.when.tool && rule.when.tool !== ctx.tool) continue;
      if (rule.when.side_effect_class && rule.when.side_effect_class !== ctx.side_effect_class) continue;
      return rule.id;
    }
    return '__default_allow';
  };
  const e = new PolicyEngine(rules);
  for (let i = 0; i < 2000; i++) {
    const ctx = { tool: r.pick(tools) };
    if (r.next() < 0.7) ctx.side_effect_class = r.pick(effects);
    if (r.next() < 0.4) ctx.autonomy_tier = r.pick(['L0', 'L1', 'L2', 'L3']);
    if (r.next() < 0.2) ctx.affected_paths = [r.pick(['.env', '.env/x', '.envrc', 'src'])];
    assert.equal(e.evaluate(ctx).decision_id, model(ctx), JSON.stringify(ctx));
  }
});

test('savePolicyDecision keeps one entry per decision_id, byte-compatible', () => {
  const root = tmpProject();
  const d = (id, n) => ({ decision_id: id, allowed: n % 2 === 0, gate_required: false, reason: 'x', rule_id: id, timestamp: 't', run_id: 'run-1', work_item_id: null, action: 'a', actor: 'me', override: n === 3, rationale: null, context: { tool: 'x', n } });
  const first = d('a', 1);
  assert.equal(oxe.savePolicyDecision(root, first), first);
  oxe.savePolicyDecision(root, d('b', 2));
  oxe.savePolicyDecision(root, d('a', 3));
  const file = path.join(root, '.oxe', 'runs', 'run-1', 'policy-decisions.json');
  const expected = [d('b', 2), d('a', 3)];
  assert.equal(fs.readFileSync(file, 'utf8'), JSON.stringify(expected, null, 2));
  assert.deepEqual(oxe.loadPolicyDecisions(root, 'run-1'), expected);
  assert.deepEqual(oxe.summarizePolicyDecisions(expected), { total: 2, denied: 1, gated: 0, overridesWithoutRationale: 1 });
  assert.deepEqual(oxe.loadPolicyDecisions(root, 'nope'), []);
  assert.throws(() => oxe.savePolicyDecision(root, { ...first, run_id: '../../x' }), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.loadPolicyDecisions(root, 7), { code: 'OXE_E_ARG' });
  assert.throws(() => oxe.summarizePolicyDecisions([null]), { code: 'OXE_E_ARG' });
});

test('a corrupt policy-decisions.json loads as [] and is moved aside', () => {
  const root = tmpProject();
  const dir = path.join(root, '.oxe', 'runs', 'r');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'policy-decisions.json'), '[{"decision_id": ');
  const { result, warnings } = captureWarnings(() => oxe.loadPolicyDecisions(root, 'r'));
  assert.deepEqual(result, []);
  assert.equal(warnings[0].code, 'OXE_W_CORRUPT_FILE');
  assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('policy-decisions.json.corrupt-')));
});
