'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject, captureWarnings } = require('./helpers.js');

const node = process.execPath;
const check = (id, command, extra = {}) => ({ id, type: 'custom', command, evidence_type_expected: 'stdout', acceptance_ref: 'A1', description: id, ...extra });
const suiteOf = (checks) => ({ checks, compiled_at: '2026-01-01T00:00:00.000Z', spec_hash: 's', plan_hash: 'p' });

test('compileVerification: criteria checks, uncovered task checks, hashes of the callers JSON', () => {
  const spec = { objective: 'q', criteria: [
    { id: 'A1', criterion: 'Tests pass', howToVerify: 'npm test' },
    { id: 'A2', criterion: 'No lint', howToVerify: 'npm run lint' },
    { id: 'A3', criterion: 'Manual', howToVerify: '# open the page' },
  ] };
  const plan = { tasks: [
    { id: 'T1', verifyCommand: 'npm test', aceite: ['A1'] },
    { id: 'T2', verifyCommand: 'curl http://x', aceite: ['A1', 'A9'] },
    { id: 'T3', verifyCommand: 'npm test', aceite: ['A2'] },
  ] };
  const s = oxe.compileVerification(spec, plan, { ignored: true });
  assert.deepEqual(Object.keys(s), ['checks', 'compiled_at', 'spec_hash', 'plan_hash']);
  assert.deepEqual(s.checks.map((c) => [c.id, c.type, c.command, c.evidence_type_expected, c.acceptance_ref]), [
    ['check-a1', 'unit', 'npm test', 'junit_xml', 'A1'],
    ['check-a2', 'policy', 'npm test', 'log', 'A2'],
    ['check-a3', 'custom', null, 'stdout', 'A3'],
    ['check-task-t2', 'smoke', 'curl http://x', 'stdout', 'A9'],
  ]);
  assert.deepEqual(Object.keys(s.checks[0]), ['id', 'type', 'command', 'evidence_type_expected', 'acceptance_ref', 'description']);
  const hash = (x) => require('crypto').createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 12);
  assert.equal(s.spec_hash, hash(spec));
  assert.equal(s.plan_hash, hash(plan));
  assert.throws(() => oxe.compileVerification({}, plan), { code: 'OXE_E_PLAN' });
  assert.throws(() => oxe.compileVerification(spec, { tasks: [{ id: 'T', verifyCommand: 'x' }] }), { code: 'OXE_E_PLAN' });
  assert.throws(() => oxe.compileVerification({ criteria: [{ id: 'A1' }] }, { tasks: [] }), { code: 'OXE_E_PLAN' });
});

test('runCheck: exit codes, Node error strings, whitespace splitting', async () => {
  const cwd = tmpProject();
  const pass = await oxe.runCheck(check('c1', `${node} -e process.exit(0)`), cwd);
  assert.deepEqual(Object.keys(pass), ['check_id', 'acceptance_ref', 'status', 'stdout', 'stderr', 'exit_code', 'duration_ms', 'error']);
  assert.equal(pass.status, 'pass');
  assert.equal(pass.exit_code, 0);
  assert.ok(pass.duration_ms >= 0);
  const fail = await oxe.runCheck(check('c2', `${node}   -e   console.log(1);console.error(2);process.exit(3)`), cwd);
  assert.deepEqual([fail.status, fail.exit_code, fail.stdout, fail.stderr, fail.error], ['fail', 3, '1\n', '2\n', null]);
  const missing = await oxe.runCheck(check('c3', 'no-such-program-oxe arg'), cwd);
  assert.deepEqual([missing.status, missing.exit_code, missing.stdout, missing.error], ['fail', null, '', 'Error: spawnSync no-such-program-oxe ENOENT']);
  assert.equal(oxe.classifyFailure(missing), 'env_setup');
  const lead = await oxe.runCheck(check('c4', ' npm test'), cwd);
  assert.equal(lead.status, 'error');
  assert.equal(lead.error, "TypeError [ERR_INVALID_ARG_VALUE]: The argument 'file' cannot be empty. Received ''");
  const skip = await oxe.runCheck(check('c5', null), cwd);
  assert.deepEqual(skip, { check_id: 'c5', acceptance_ref: 'A1', status: 'skip', stdout: '', stderr: '', exit_code: null, duration_ms: 0, error: null });
  const quoted = await oxe.runCheck(check('c6', `${node} -e "process.exit('a b'.length)"`), cwd);
  assert.equal(quoted.status, 'fail', 'quotes are not interpreted (no shell)');
  const badTimeout = await oxe.runCheck(check('c7', `${node} -v`), cwd, 1.5);
  assert.equal(badTimeout.status, 'error');
  assert.match(badTimeout.error, /^RangeError \[ERR_OUT_OF_RANGE\]: The value of "timeout" is out of range/);
  await assert.rejects(oxe.runCheck(null, cwd), { code: 'OXE_E_ARG' });
});

test('runCheck times out like spawnSync and never blocks the event loop', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const t0 = Date.now();
  const r = await oxe.runCheck(check('slow', `${node} -e setTimeout(()=>{},5000)`), process.cwd(), 400);
  clearInterval(timer);
  assert.ok(Date.now() - t0 < 4000);
  assert.deepEqual([r.status, r.exit_code, r.error], ['fail', null, `Error: spawnSync ${node} ETIMEDOUT`]);
  assert.equal(oxe.classifyFailure(r), 'env_setup');
  assert.ok(ticks >= 5, `the event loop kept running (${ticks} ticks)`);
});

test('runSuite runs checks in order; summarizeSuite counts', async () => {
  const results = await oxe.runSuite(suiteOf([check('a', `${node} -e process.exit(0)`), check('b', null), check('c', `${node} -e process.exit(2)`)]), process.cwd());
  assert.deepEqual(results.map((r) => [r.check_id, r.status]), [['a', 'pass'], ['b', 'skip'], ['c', 'fail']]);
  assert.deepEqual(oxe.summarizeSuite(results), { total: 3, pass: 1, fail: 1, skip: 1, error: 0, allPassed: false });
  assert.deepEqual(oxe.summarizeSuite([]), { total: 0, pass: 0, fail: 0, skip: 0, error: 0, allPassed: true });
});

test('executeSuite collects evidence for every check (skips included) through the store', async () => {
  const root = tmpProject();
  const store = new oxe.EvidenceStore(root);
  const suite = suiteOf([
    check('check-a1', `${node} -e console.log("out");console.error("policy-denied");process.exit(1)`, { evidence_type_expected: 'log' }),
    check('check-a2', null, { evidence_type_expected: 'summary' }),
  ]);
  const ex = await oxe.executeSuite(suite, root, { runId: 'run-x', workItemId: 'T1', evidenceStore: store });
  assert.deepEqual(Object.keys(ex), ['results', 'verification_results', 'evidence_refs', 'manifest', 'risk_ledger', 'evidence_coverage']);
  assert.ok(ex.evidence_refs instanceof Map);
  assert.deepEqual([...ex.evidence_refs.keys()], ['check-a1', 'check-a2']);
  assert.deepEqual(ex.results[0].evidence_refs, ['ev-run-x-T1-a1-stdout-1', 'ev-run-x-T1-a1-stderr-1', 'ev-run-x-T1-a1-log-1']);
  assert.deepEqual(ex.results[1].evidence_refs, ['ev-run-x-T1-a1-summary-1']);
  const summary = await store.get('ev-run-x-T1-a1-summary-1', { run_id: 'run-x', work_item_id: 'T1', attempt_number: 1 });
  assert.equal(summary.content.toString(), JSON.stringify({ check_id: 'check-a2', type: 'custom', command: null, status: 'skip', exit_code: null, duration_ms: 0 }, null, 2));
  assert.equal(ex.verification_results[0].summary, 'policy-denied\n');
  assert.match(ex.verification_results[0].verification_id, /^vr-[0-9a-f]{8}$/);
  assert.equal(ex.manifest.granularity, 'work_item');
  assert.equal(ex.manifest.checks[0].failure_class, 'policy_failure');
  assert.equal(ex.risk_ledger.risks[0].severity, 'high');
  assert.deepEqual(ex.evidence_coverage, { total_checks: 2, checks_with_evidence: 2, total_evidence_refs: 4, coverage_percent: 100 });
});

test('executeSuite hands providers the check and keeps their result objects', async () => {
  const seen = [];
  const result = { verification_id: 'vr-custom', work_item_id: 'T9', check_id: 'check-a9', status: 'pass', evidence_refs: ['ev-custom'], summary: 'ok' };
  const registry = {
    verifierProviderFor(type) { seen.push(type); return type === 'security' ? { execute: async (input) => { seen.push(input); return result; } } : undefined; },
  };
  const collected = [];
  const store = { collect: async (type, content, o) => { collected.push([type, o]); return { evidence_id: `dk-${collected.length}` }; } };
  const suite = suiteOf([check('check-a9', 'noop', { type: 'security' }), check('check-b', null)]);
  const ex = await oxe.executeSuite(suite, '/work/x', { runId: 'r', workItemId: 'T9', attemptNumber: 3, pluginRegistry: registry, evidenceStore: store });
  assert.equal(ex.verification_results[0], result, 'the provider result is returned by identity');
  assert.deepEqual(seen, ['security', { check_id: 'check-a9', check_type: 'security', command: 'noop', work_item_id: 'T9', workspace_root: '/work/x', evidence_dir: '' }, 'custom']);
  assert.deepEqual(ex.results[0], { check_id: 'check-a9', acceptance_ref: 'A1', status: 'pass', stdout: 'ok', stderr: '', exit_code: 0, duration_ms: 0, error: null, evidence_refs: ['ev-custom'] });
  assert.deepEqual(collected, [['stdout', { run_id: 'r', work_item_id: 'T9', attempt_number: 3 }]]);
  assert.deepEqual(ex.results[1].evidence_refs, ['dk-1']);
  const boom = new Error('provider exploded');
  const throwing = { verifierProviderFor: () => ({ execute: async () => { throw boom; } }) };
  await assert.rejects(oxe.executeSuite(suite, '/w', { runId: 'r', workItemId: 'T', pluginRegistry: throwing }), (e) => e === boom);
});

test('verifyRun writes manifest, both ledgers and coverage as 1.4.0 does', async () => {
  const root = tmpProject();
  const suite = suiteOf([check('check-a1', `${node} -e process.exit(1)`), check('check-a2', `${node} -e process.exit(0)`)]);
  const out = await oxe.verifyRun({ projectRoot: root, runId: 'run-v', workItemId: 'T1', cwd: root, suite, evidenceStore: new oxe.EvidenceStore(root) });
  assert.deepEqual(Object.keys(out), ['status', 'suite', 'executed', 'gaps', 'verification_results', 'check_results', 'manifest', 'risk_ledger', 'evidence_coverage']);
  assert.equal(out.status, 'failed');
  assert.equal(out.suite, suite);
  assert.equal(out.check_results, out.executed.results);
  assert.equal(out.manifest, out.executed.manifest);
  const dir = path.join(root, '.oxe', 'runs', 'run-v');
  assert.equal(fs.readFileSync(path.join(dir, 'verification-manifest.json'), 'utf8'), JSON.stringify(out.manifest, null, 2));
  const ledger = JSON.stringify(out.risk_ledger, null, 2);
  assert.equal(fs.readFileSync(path.join(dir, 'residual-risk-ledger.json'), 'utf8'), ledger);
  assert.equal(fs.readFileSync(path.join(dir, 'residual-risks.json'), 'utf8'), ledger);
  assert.equal(fs.readFileSync(path.join(dir, 'evidence-coverage.json'), 'utf8'), JSON.stringify(out.evidence_coverage, null, 2));
  assert.deepEqual(oxe.loadManifest(root, 'run-v'), out.manifest);
  assert.equal(out.manifest.checks[0].failure_class, 'evidence_missing');
  const ok = await oxe.verifyRun({ projectRoot: root, runId: 'run-ok', workItemId: 'T1', cwd: root, suite: suiteOf([check('c', null)]) });
  assert.equal(ok.status, 'passed');
});

test('verifyRun with nothing to run is partial and writes nothing; bad ids reject before any check runs', async () => {
  const root = tmpProject();
  const empty = await oxe.verifyRun({ projectRoot: root, runId: 'r', workItemId: 'T', cwd: root, suite: suiteOf([]) });
  assert.deepEqual(empty, { status: 'partial', suite: suiteOf([]), executed: null, gaps: ['Nenhum check executável foi compilado a partir de SPEC/PLAN.'], verification_results: [], check_results: [], manifest: null, risk_ledger: null, evidence_coverage: null });
  const noSuite = await oxe.verifyRun({ projectRoot: root, runId: 'r', workItemId: 'T', cwd: root });
  assert.equal(noSuite.status, 'partial');
  const marker = path.join(root, 'ran');
  const suite = suiteOf([check('c', `${node} -e require("fs").writeFileSync(${JSON.stringify(marker)},"x")`)]);
  await assert.rejects(oxe.verifyRun({ projectRoot: root, runId: '../../x', workItemId: 'T', cwd: root, suite }), { code: 'OXE_E_PATH' });
  assert.equal(fs.existsSync(marker), false);
  assert.deepEqual(fs.readdirSync(root), []);
});

test('manifest helpers: summary, profiles, coverage, save/load round trips', () => {
  const r = (o) => ({ check_id: 'c', acceptance_ref: null, status: 'pass', stdout: '', stderr: '', exit_code: 0, duration_ms: 5, error: null, ...o });
  const results = [r({ check_id: 'c1' }), r({ check_id: 'c2', status: 'fail', exit_code: 1 }), r({ check_id: 'c3', status: 'error', exit_code: null, error: 'command timed out' })];
  const m = oxe.buildManifest('run-m', results, { profile: 'critical', wave: 2, evidenceRefs: new Map([['c1', ['e1']]]) });
  assert.deepEqual(m.checks.map((c) => c.failure_class), [null, 'evidence_missing', 'timeout']);
  assert.deepEqual(m.summary, { total: 3, pass: 1, fail: 1, skip: 0, error: 1, all_passed: false });
  assert.deepEqual([m.work_item_id, m.wave, m.granularity, m.profile], [null, 2, 'run', 'critical']);
  const l = oxe.buildRiskLedger('run-m', m);
  assert.deepEqual(l.risks.map((x) => [x.check_id, x.severity, x.description]), [['c2', 'medium', 'Check c2 fail: evidence_missing']]);
  assert.deepEqual(oxe.summarizeEvidenceCoverage(m), { total_checks: 3, checks_with_evidence: 1, total_evidence_refs: 1, coverage_percent: 33 });
  const root = tmpProject();
  oxe.saveManifest(root, 'run-m', m);
  oxe.saveRiskLedger(root, 'run-m', l);
  oxe.saveEvidenceCoverage(root, 'run-m', oxe.summarizeEvidenceCoverage(m));
  assert.deepEqual(oxe.loadManifest(root, 'run-m'), m);
  assert.deepEqual(oxe.loadRiskLedger(root, 'run-m'), l);
  const dir = path.join(root, '.oxe', 'runs', 'run-m');
  fs.rmSync(path.join(dir, 'residual-risk-ledger.json'));
  assert.deepEqual(oxe.loadRiskLedger(root, 'run-m'), l, 'the legacy twin is read when the canonical file is gone');
  fs.writeFileSync(path.join(dir, 'evidence-coverage.json'), '{"total_checks": ');
  const { result, warnings } = captureWarnings(() => oxe.loadEvidenceCoverage(root, 'run-m'));
  assert.equal(result, null);
  assert.deepEqual(warnings.map((w) => w.code), ['OXE_W_CORRUPT_FILE']);
  assert.equal(oxe.loadManifest(root, 'nope'), null);
  assert.throws(() => oxe.saveManifest(root, '../x', m), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.buildManifest('r', results, { evidenceRefs: {} }), { code: 'OXE_E_ARG' });
});
