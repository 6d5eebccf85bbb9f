'use strict';
// `oxe-cc runtime <action>` as a user runs it, and the SDK's `operational`
// namespace behind it: the ACTIVE-RUN pointer and run files, the legacy
// trace, the start/pause/resume/replay machine, compile, projections,
// gates, CI, recover, agents and replay.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'oxe-cc.js');
const { operational } = require(ROOT);

const SPEC = '# OXE — Spec\n\n## Objetivo\n\nCompilar runtime.\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----------|----------------|\n| A1 | Runtime compilado | node --test |\n';
const PLAN = '## Tarefas\n\n### T1 — Demo\n**Onda:** 1\n**Depende de:** —\n**Verificar:**\n- Comando: `node --test`\n**Aceite vinculado:** A1\n';

function env(extra = {}) {
  const e = { ...process.env };
  for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR']) delete e[k];
  return { ...e, HOME: tmpProject('oxe-rt-home-'), OXE_NO_BANNER: '1', ...extra };
}

function rt(dir, args, extra) {
  const cwd = fs.existsSync(dir) ? dir : path.dirname(dir);
  const r = spawnSync(process.execPath, [CLI, 'runtime', ...args, '--dir', dir], { cwd, encoding: 'utf8', env: env(extra) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// With --json, stdout is exactly one JSON document.
function json(r) {
  assert.equal(r.code === 0 || r.code === 1, true, r.err);
  return JSON.parse(r.out);
}

function seeded() {
  const dir = tmpProject('oxe-rt-');
  fs.mkdirSync(path.join(dir, '.oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.oxe', 'SPEC.md'), SPEC);
  fs.writeFileSync(path.join(dir, '.oxe', 'PLAN.md'), PLAN);
  return dir;
}

function runFile(dir) {
  const ptr = JSON.parse(fs.readFileSync(path.join(dir, '.oxe', 'ACTIVE-RUN.json'), 'utf8'));
  return path.join(dir, '.oxe', 'runs', `${ptr.run_id}.json`);
}

const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));

test('status on a fresh project: bootstraps .oxe/, no run, clean JSON', () => {
  const dir = tmpProject('oxe-rt-');
  const r = rt(dir, ['status', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { run: null, status: 'absent' });
  assert.match(r.err, /OXE ▸ runtime/);
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'ACTIVE-RUN.json')));
  assert.match(rt(dir, ['status']).out, /No ACTIVE-RUN found/);
  assert.match(rt(dir, ['status'], { LANG: 'pt_BR.UTF-8' }).out, /Nenhum ACTIVE-RUN encontrado/);
  // a missing folder and an unknown flag exit 1
  assert.equal(rt(path.join(dir, 'missing'), ['status']).code, 1);
  assert.equal(rt(dir, ['status', '--nope']).code, 1);
});

test('start, pause, resume, replay --task: run file, pointer and trace', () => {
  const dir = tmpProject('oxe-rt-');
  const start = rt(dir, ['start', '--wave', '2', '--task', 'T3', '--reason', 'wave 2']);
  assert.equal(start.code, 0, start.err);
  assert.match(start.out, /Runtime updated\./);
  assert.match(start.out, /wave=2 task=T3 mode=task/);
  const file = runFile(dir);
  let run = readJson(file);
  assert.equal(run.status, 'running');
  assert.equal(run.current_wave, 2);
  assert.equal(run.cursor.task, 'T3');
  assert.ok(!fs.readFileSync(file, 'utf8').endsWith('\n'));

  assert.equal(rt(dir, ['pause', '--reason', 'waiting']).code, 0);
  assert.equal(readJson(file).status, 'paused');
  assert.equal(rt(dir, ['resume']).code, 0);
  assert.equal(readJson(file).status, 'running');
  const replay = rt(dir, ['replay', '--wave', '3', '--task', 'T7', '--json']);
  run = JSON.parse(replay.out);
  assert.equal(run.status, 'replaying');
  assert.equal(run.current_wave, 3);
  assert.equal(run.metrics.transitions, 4);
  assert.deepEqual(readJson(file), run);

  const lines = fs.readFileSync(path.join(dir, '.oxe', 'OXE-EVENTS.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((e) => e.type), ['run_started', 'run_paused', 'run_resumed', 'run_replay_requested']);
  assert.deepEqual(Object.keys(lines[0]), ['event_id', 'type', 'timestamp', 'run_id', 'session_id', 'wave_id', 'task_id', 'work_item_id', 'attempt_id', 'agent_id', 'causation_id', 'correlation_id', 'payload']);
  assert.match(lines[0].event_id, /^evt-[0-9a-z]+-[0-9a-z]+$/);
  assert.match(lines[0].run_id, /^oxe-run-[0-9a-z]+-[0-9a-z]+$/);
  assert.equal(lines[1].payload.reason, 'waiting');

  const bad = rt(dir, ['frobnicate']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /Unknown runtime action: frobnicate/);
});

test('pause without a run exits 1 and writes no run', () => {
  const dir = tmpProject('oxe-rt-');
  const r = rt(dir, ['pause']);
  assert.equal(r.code, 1);
  assert.match(r.err, /No ACTIVE-RUN/);
  assert.deepEqual(fs.readdirSync(path.join(dir, '.oxe', 'runs')), []);
});

test('a session id that leaves .oxe/ is refused', () => {
  const dir = tmpProject('oxe-rt-');
  const r = rt(dir, ['start', '--session', '../../escape']);
  assert.equal(r.code, 1);
  assert.throws(() => operational.readRunState(dir, '../x'), { code: 'OXE_E_PATH' });
});

test('compile, project, gates, ci, recover, agents, replay on one project', () => {
  const dir = seeded();
  const oxe = path.join(dir, '.oxe');
  const compiled = rt(dir, ['compile']);
  assert.equal(compiled.code, 0, compiled.err);
  assert.match(compiled.out, /Runtime compiled\./);
  const file = runFile(dir);
  let run = readJson(file);
  assert.ok(run.compiled_graph && run.verification_suite && run.canonical_state);
  assert.equal(run.compiled_graph.nodes.T1.title, 'Demo');

  const status = JSON.parse(rt(dir, ['status', '--json']).out);
  assert.equal(status.runtimeMode.runtime_mode, 'enterprise');
  assert.ok(status.gateQueue && status.providerCatalog);

  fs.mkdirSync(path.join(oxe, 'execution'), { recursive: true });
  fs.writeFileSync(path.join(oxe, 'execution', 'GATES.json'), JSON.stringify([{
    gate_id: 'gate-1', scope: 'critical_mutation', run_id: run.run_id, work_item_id: 'T1', action: 'apply_patch',
    requested_at: new Date().toISOString(), context: { description: 'Approve mutation' }, status: 'pending',
  }], null, 2));
  const list = JSON.parse(rt(dir, ['gates', 'list', '--status', 'pending', '--json']).out);
  assert.equal(list.pending.length, 1);
  assert.equal(list.filters.status, 'pending');
  assert.equal(JSON.parse(rt(dir, ['gates', 'show', '--gate', 'gate-1', '--json']).out).gate_id, 'gate-1');
  const resolved = JSON.parse(rt(dir, ['gates', 'resolve', '--gate', 'gate-1', '--decision', 'approve', '--actor', 'qa', '--json']).out);
  assert.equal(resolved.gate.status, 'resolved');
  assert.equal(resolved.impact.pendingRemaining, 0);

  const projected = rt(dir, ['project']);
  assert.equal(projected.code, 0, projected.err);
  assert.match(projected.out, /Projections generated/);
  for (const f of ['RUN-SUMMARY.md', 'COMMIT-SUMMARY.md', 'PROMOTION-SUMMARY.md', 'PR-SUMMARY.md', 'VERIFY.md']) {
    assert.ok(fs.existsSync(path.join(oxe, f)), f);
  }
  assert.equal(fs.readFileSync(path.join(oxe, 'PLAN.md'), 'utf8'), PLAN, 'the written plan is kept');
  assert.ok(fs.existsSync(path.join(oxe, 'projections', 'PLAN.md')));

  fs.mkdirSync(path.join(oxe, 'runs', run.run_id), { recursive: true });
  fs.writeFileSync(path.join(oxe, 'runs', run.run_id, 'multi-agent-state.json'), JSON.stringify({
    mode: 'parallel', workspace_isolation_enforced: true, agent_results: [{ agent_id: 'agent-a' }], ownership: [], orphan_reassignments: [],
  }));
  const agents = JSON.parse(rt(dir, ['agents', '--json']).out);
  assert.equal(agents.enabled, true);
  assert.equal(agents.mode, 'parallel');

  fs.writeFileSync(path.join(oxe, 'runs', run.run_id, 'journal.json'), JSON.stringify({ run_id: run.run_id, scheduler_state: 'paused', pending_gates: [] }));
  const replay = JSON.parse(rt(dir, ['replay', '--json', '--run', run.run_id]).out);
  assert.equal(replay.run_id, run.run_id);
  assert.ok(replay.gateQueue && replay.consistency);
  const human = rt(dir, ['replay']);
  assert.match(human.out, /GraphCompiled/);

  const recovered = JSON.parse(rt(dir, ['recover', '--json']).out);
  assert.ok(recovered.recoverySummary);
  assert.ok(fs.existsSync(path.join(oxe, 'RECOVERY-SUMMARY.md')));
  assert.equal(readJson(file).status, 'paused');

  const ci = rt(dir, ['ci', '--json']);
  const report = JSON.parse(ci.out);
  assert.equal(report.summary.total, 5);
  assert.equal(ci.code, report.summary.allPassed ? 0 : 1);
  run = readJson(file);
  assert.equal(run.ci_checks.summary.total, 5);
  assert.ok(fs.existsSync(path.join(oxe, 'runs', run.run_id, 'ci-results.json')));
});

test('compile without SPEC.md exits 1 naming the file', () => {
  const dir = tmpProject('oxe-rt-');
  const r = rt(dir, ['compile']);
  assert.equal(r.code, 1);
  assert.match(r.err, /SPEC\.md is missing/);
});

test('SDK: operational namespace shape and 1.4.0 member order', () => {
  const first = ['operationalPaths', 'appendEvent', 'readEvents', 'summarizeEvents', 'writeRunState', 'readRunState', 'buildOperationalGraph',
    'serializeCanonicalState', 'hydrateCanonicalState', 'reduceCanonicalRunState', 'compileExecutionGraphFromArtifacts',
    'compileVerificationSuiteFromArtifacts', 'projectRuntimeArtifacts', 'runRuntimeCiChecks', 'buildRuntimePluginRegistry',
    'readRuntimeGates', 'resolveRuntimeGate', 'runRuntimeVerify', 'runRuntimePromotion', 'recoverRuntimeState', 'applyRuntimeAction',
    'parseCapabilityManifest', 'readCapabilityCatalog', 'buildMemoryLayers', 'replayEvents', 'replayRuntimeState',
    'readRuntimeMultiAgentStatus', 'multiAgentStatus'];
  assert.deepEqual(Object.keys(operational).slice(0, first.length), first);
  assert.equal(operational.multiAgentStatus, operational.readRuntimeMultiAgentStatus);
  assert.ok(operational.VALID_RUN_STATUSES instanceof Set && operational.VALID_RUN_STATUSES.has('replaying'));
  const p = operational.operationalPaths('/p', 'sessions/s1');
  assert.equal(p.gates, path.join('/p', '.oxe', 'sessions', 's1', 'execution', 'GATES.json'));
  assert.equal(operational.operationalPaths('/p', null).gates, path.join('/p', '.oxe', 'execution', 'GATES.json'));
  assert.equal(operational.operationalPaths('/p', null).sessionManifest, null);
});

test('SDK: events, run state, canonical state as Maps and Sets', () => {
  const dir = tmpProject('oxe-rt-sdk-');
  const payload = { checkpoint_id: 'CP-01' };
  const entry = operational.appendEvent(dir, null, { type: 'checkpoint_opened', run_id: 'r1', payload });
  assert.equal(entry.payload, payload, 'the caller payload object itself');
  assert.equal(entry.task_id, null);
  operational.appendEvent(dir, null, { type: 'run_started', run_id: 'r1', work_item_id: 'T9' });
  const events = operational.readEvents(dir, null);
  assert.equal(events.length, 2);
  assert.equal(events[1].task_id, 'T9');
  assert.deepEqual(operational.summarizeEvents(events).byType, { checkpoint_opened: 1, run_started: 1 });

  const saved = operational.writeRunState(dir, null, { run_id: 'r1', status: 'weird', cursor: { wave: '2' } });
  assert.equal(saved.status, 'planned');
  assert.equal(saved.cursor.wave, 2);
  assert.deepEqual(operational.readRunState(dir, null), saved);

  const live = operational.hydrateCanonicalState({ workItems: [{ work_item_id: 'T1', status: 'pending' }], completedWorkItems: ['T1'], attempts: { T1: [{}] } });
  assert.ok(live.workItems instanceof Map && live.completedWorkItems instanceof Set);
  const back = operational.serializeCanonicalState(live);
  assert.deepEqual(back.summary, { work_item_count: 1, attempt_count: 1, workspace_count: 0, completed: 1, failed: 0, blocked: 0 });
  assert.equal(operational.serializeCanonicalState(null), null);
  const reduced = operational.reduceCanonicalRunState(dir, null, { runId: 'r1' });
  assert.ok(reduced.summary);
});

test('SDK: async members return promises; errors carry codes', async () => {
  const dir = seeded();
  operational.compileExecutionGraphFromArtifacts(dir, null);
  const ci = operational.runRuntimeCiChecks(dir, null);
  assert.ok(ci instanceof Promise);
  const report = await ci;
  assert.ok(report.summary.total >= 1);
  assert.equal(operational.readRunState(dir, null).ci_checks.summary.total, report.summary.total);
  await assert.rejects(operational.resolveRuntimeGate(dir, null, { gateId: 'nope' }), { code: 'OXE_E_ARG' });
  assert.throws(() => operational.applyRuntimeAction(tmpProject('oxe-rt-'), null, { action: 'pause' }), { code: 'OXE_E_ARG' });
  assert.throws(() => operational.compileExecutionGraphFromArtifacts(tmpProject('oxe-rt-'), null), { code: 'OXE_E_PLAN' });
  const projected = operational.projectRuntimeArtifacts(dir, null, { write: false });
  assert.match(projected.projections.plan, /T1/);
  assert.ok(projected.run.projections.plan_ref);
});

test('SDK: replay, multi-agent status, capability catalog', () => {
  const dir = tmpProject('oxe-rt-sdk-');
  assert.equal(operational.replayEvents(dir, null).duration_ms, null);
  operational.appendEvent(dir, null, { type: 'run_started', run_id: 'a', wave_id: 'wave-1', timestamp: '2024-01-01T00:00:00.000Z' });
  operational.appendEvent(dir, null, { type: 'task_failed', run_id: 'a', wave_id: 'wave-2', task_id: 'T1', timestamp: '2024-01-01T00:00:01.500Z' });
  const r = operational.replayEvents(dir, null, { writeReport: true });
  assert.equal(r.duration_ms, 1500);
  assert.deepEqual(r.waveIds, [1, 2]);
  assert.equal(r.failureEvents.length, 1);
  assert.match(fs.readFileSync(r._reportPath, 'utf8'), /OXE — Replay Session/);
  const ma = operational.readRuntimeMultiAgentStatus(dir, null, {});
  assert.equal(ma.enabled, false);
  const capDir = path.join(dir, '.oxe', 'capabilities', 'c1');
  fs.mkdirSync(capDir, { recursive: true });
  fs.writeFileSync(path.join(capDir, 'CAPABILITY.md'), '---\nid: c1\ntype: script\nentrypoint: run.js\napproval_policy: require_approval\nevidence_outputs: [out.txt]\n---\n');
  const cat = operational.readCapabilityCatalog(dir);
  assert.equal(cat[0].id, 'c1');
  assert.equal(cat[0].manifestPath, path.join(capDir, 'CAPABILITY.md'));
  assert.deepEqual(operational.capabilityCatalogWarnings(dir), []);
  assert.deepEqual(operational.readGitActivity(dir, '2099-01-01T00:00:00Z'), []);
});

test('verify and promote run the runtime through the SDK (git project)', () => {
  const dir = seeded();
  const git = (...a) => spawnSync('git', a, { cwd: dir, encoding: 'utf8', env: env() });
  assert.equal(git('init').status, 0);
  git('config', 'user.email', 'oxe@test.local');
  git('config', 'user.name', 'OXE Test');
  git('add', '.');
  assert.equal(git('commit', '-m', 'init').status, 0);
  assert.equal(rt(dir, ['compile']).code, 0);

  const noManifest = rt(dir, ['promote']);
  assert.equal(noManifest.code, 1);
  assert.match(noManifest.err, /runtime verify/);

  const verified = rt(dir, ['verify', '--json']);
  assert.equal(verified.code, 0, verified.err);
  const v = JSON.parse(verified.out);
  assert.ok(v.run && v.report && v.projected);
  assert.ok(['passed', 'failed', 'blocked', 'partial'].includes(v.report.status) || typeof v.report.status === 'string');
  const file = runFile(dir);
  const run = readJson(file);
  assert.ok(run.verification_manifest && run.residual_risks && run.verification_evidence_coverage);
  for (const f of ['verification-manifest.json', 'residual-risk-ledger.json', 'evidence-coverage.json']) {
    assert.ok(fs.existsSync(path.join(dir, '.oxe', 'runs', run.run_id, f)), f);
  }
  const human = rt(dir, ['verify']);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /Runtime verify done\./);
  assert.match(human.out, /VERIFY: /);

  const promoted = rt(dir, ['promote', '--target', 'pr_draft', '--json']);
  assert.equal(promoted.code, 0, promoted.err);
  const p = JSON.parse(promoted.out);
  assert.ok(p.commitRecord && p.promotion && 'promotionReadiness' in p);
  assert.equal(readJson(file).delivery.promotion_record.target_kind, 'pr_draft');
  assert.ok(fs.existsSync(path.join(dir, '.oxe', 'runs', run.run_id, 'promotion-readiness.json')));
});

test('SDK: runRuntimeVerify is async and records the report', async () => {
  const dir = seeded();
  const pending = operational.runRuntimeVerify(dir, null, { timeoutMs: 30000 });
  assert.ok(pending instanceof Promise);
  const out = await pending;
  assert.equal(typeof out.report.status, 'string');
  assert.ok(operational.readRunState(dir, null).verification_manifest);
  await assert.rejects(operational.runRuntimePromotion(tmpProject('oxe-rt-'), null), { code: 'OXE_E_ARG' });
});
