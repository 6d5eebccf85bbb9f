'use strict';
// `oxe-cc dashboard` and the SDK's `dashboard` namespace: every route of the
// local server (started on an ephemeral port), the write token, read-only
// mode, Host/Origin checks, 4xx answers for bad input, what lands in .oxe/,
// `--dump-context`, and the CLI server stopping cleanly on SIGINT.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'oxe-cc.js');
const sdk = require(ROOT);
const { dashboard, operational } = sdk;

const SPEC = '# Spec\n\n## Objetivo\n\nShip the widget.\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----------|----------------|\n| A1 | Widget renders | npm test |\n| A2 | Docs updated | review |\n';
const PLAN = '## Autoavaliação do Plano\n- **Melhor plano atual:** sim\n- **Confiança:** 80%\n\n### T1 — Build widget\n- **Onda:** 1\n- **Depende de:** —\n- **Verificar:**\n  - Comando: `npm test`\n- **Aceite vinculado:** A1\n\n### T2 — Wire widget\n- **Onda:** 2\n- **Depende de:** T1\n- **Aceite vinculado:** A1\n';

function env(extra = {}) {
  const e = { ...process.env };
  for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR']) delete e[k];
  return { ...e, HOME: tmpProject('oxe-dash-home-'), OXE_NO_BANNER: '1', ...extra };
}

function project() {
  const dir = tmpProject('oxe-dash-');
  const oxe = path.join(dir, '.oxe');
  fs.mkdirSync(oxe, { recursive: true });
  fs.writeFileSync(path.join(oxe, 'STATE.md'), '# State\n\n## Fase atual\n\n`executing`\n');
  fs.writeFileSync(path.join(oxe, 'SPEC.md'), SPEC);
  fs.writeFileSync(path.join(oxe, 'PLAN.md'), PLAN);
  return dir;
}

async function withPendingGate(dir, runId = 'oxe-run-dash') {
  operational.writeRunState(dir, null, { run_id: runId, status: 'running' });
  const gm = new sdk.GateManager(dir, null, runId);
  const token = await gm.request('critical_mutation', {
    work_item_id: 'T1', run_id: runId, action: 'apply_patch', description: 'Apply the widget patch', evidence_refs: [], risks: ['scope'],
  });
  return token.gate_id;
}

function request(port, method, pathname, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
    const req = http.request({ hostname: '127.0.0.1', port, path: pathname, method, headers: h }, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { raw += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(raw); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, raw, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function listening(server, port = 0) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server.address().port;
}

async function withServer(dir, opts, fn) {
  const server = dashboard.createDashboardServer(dir, opts);
  const port = await listening(server);
  try {
    return await fn(port, server);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

const post = (port, route, payload, token, extra = {}) => request(port, 'POST', route, {
  body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  headers: { 'Content-Type': 'application/json', ...(token ? { 'X-OXE-Token': token } : {}), ...extra },
});

const events = (dir) => fs.readFileSync(path.join(dir, '.oxe', 'OXE-EVENTS.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('GET / serves the self-contained page with the token injected and a strict CSP', async () => {
  const dir = project();
  await withServer(dir, { token: true }, async (port, server) => {
    assert.match(server.token, /^[0-9a-f]{32}$/);
    const r = await request(port, 'GET', '/');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/html; charset=utf-8/);
    assert.match(r.headers['content-security-policy'], /default-src 'none'/);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.ok(r.raw.includes(`'${server.token}'`), 'token injected into the page');
    assert.ok(!r.raw.includes('__OXE_TOKEN__'));
    assert.ok(!/<(script|link)[^>]+(src|href)=["']https?:/i.test(r.raw), 'no external assets');
  });
});

test('GET /api/context answers the context, with the session from the query and readOnly from the server', async () => {
  const dir = project();
  await withServer(dir, { token: true }, async (port) => {
    const r = await request(port, 'GET', '/api/context');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(r.raw.startsWith('{\n  "projectRoot"'), 'pretty-printed with 2 spaces');
    assert.equal(r.json.plan.totalTasks, 2);
    assert.deepEqual(r.json.plan.waves.map((w) => w.wave), [1, 2]);
    assert.deepEqual(r.json.spec.uncoveredCriteria.map((c) => c.id), ['A2']);
    assert.deepEqual(r.json.dashboard, { readOnly: false });
    assert.equal(r.json.activeSession, null);
    const s = await request(port, 'GET', '/api/context?session=sessions%2Fs001-x');
    assert.equal(s.status, 200);
    assert.equal(s.json.activeSession, 'sessions/s001-x');
    assert.ok(s.json.review.commentsPath.endsWith(path.join('sessions', 's001-x', 'plan', 'plan-review-comments.json')));
    for (const bad of ['..%2F..%2Fetc', '%2Fetc', 'sessions%2F..%2F..%2Fx']) {
      const b = await request(port, 'GET', `/api/context?session=${bad}`);
      assert.equal(b.status, 400, bad);
      assert.equal(typeof b.json.error, 'string');
    }
  });
});

test('writes need the token when the server has one; reads stay open', async () => {
  const dir = project();
  await withServer(dir, { token: 'secret-token-1' }, async (port) => {
    const body = { status: 'approved', note: 'ok', author: 'qa' };
    assert.equal((await post(port, '/api/review/status', body)).status, 401);
    const wrong = await post(port, '/api/review/status', body, 'secret-token-2');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.code, 'OXE_E_DASHBOARD_TOKEN');
    assert.ok(!fs.existsSync(path.join(dir, '.oxe', 'PLAN-REVIEW.md')), 'nothing written without the token');
    const ok = await post(port, '/api/review/status', body, 'secret-token-1');
    assert.equal(ok.status, 200);
    assert.equal((await request(port, 'GET', '/api/context')).status, 200);
  });
});

test('review routes write STATE.md, PLAN-REVIEW.md, the comments file and events', async () => {
  const dir = project();
  const oxe = path.join(dir, '.oxe');
  await withServer(dir, { token: true }, async (port, server) => {
    const s = await post(port, '/api/review/status', { status: 'in_review', note: 'looking', author: 'qa', activeSession: null }, server.token);
    assert.equal(s.status, 200);
    assert.deepEqual(Object.keys(s.json), ['status', 'updatedAt', 'ref', 'note', 'author', 'activeSession']);
    assert.equal(s.json.ref, path.join(oxe, 'PLAN-REVIEW.md'));
    const state = fs.readFileSync(path.join(oxe, 'STATE.md'), 'utf8');
    assert.match(state, /- \*\*plan_review_status:\*\* `in_review`/);
    assert.match(state, /- \*\*plan_review_ref:\*\* `PLAN-REVIEW\.md`/);
    assert.match(state, /- \*\*Notas:\*\* looking/);
    assert.match(fs.readFileSync(path.join(oxe, 'PLAN-REVIEW.md'), 'utf8'), /^---\noxe_doc: plan_review\nstatus: in_review\n/);

    const c = await post(port, '/api/review/comment', { target: 'wave:1', type: 'risk', text: '  mixed concerns  ', author: 'qa', activeSession: null }, server.token);
    assert.equal(c.status, 200);
    assert.deepEqual(Object.keys(c.json), ['id', 'target', 'type', 'status', 'author', 'created_at', 'text']);
    assert.equal(c.json.text, 'mixed concerns');
    const raw = fs.readFileSync(path.join(oxe, 'plan-review-comments.json'), 'utf8');
    assert.ok(!raw.endsWith('\n'), 'comments JSON has no trailing newline');
    assert.equal(JSON.parse(raw)[0].id, c.json.id);

    const u = await post(port, '/api/review/comment-status', { commentId: c.json.id, status: 'resolved', activeSession: null }, server.token);
    assert.equal(u.status, 200);
    assert.equal(u.json.status, 'resolved');
    assert.ok(u.json.updated_at);
    const missing = await post(port, '/api/review/comment-status', { commentId: 'c-nope', activeSession: null }, server.token);
    assert.equal(missing.status, 404);

    const types = events(dir).map((e) => e.type);
    for (const t of ['plan_review_status_changed', 'plan_review_comment_added', 'plan_review_comment_updated']) {
      assert.ok(types.includes(t), t);
    }
    // the review status survives the comment round trips
    assert.match(fs.readFileSync(path.join(oxe, 'STATE.md'), 'utf8'), /plan_review_status:\*\* `in_review`/);
    assert.equal(fs.readFileSync(path.join(oxe, 'STATE.md'), 'utf8').match(/plan_review_status/g).length, 1);
  });
});

test('runtime action and gate resolution go through the runtime stores', async () => {
  const dir = project();
  const gateId = await withPendingGate(dir);
  await withServer(dir, { token: true }, async (port, server) => {
    const ctx = await request(port, 'GET', '/api/context');
    assert.deepEqual(ctx.json.enterprise.gateQueue.pending.map((g) => g.gate_id), [gateId]);

    const pause = await post(port, '/api/runtime/action', { action: 'pause', reason: 'lunch' }, server.token);
    assert.equal(pause.status, 200);
    assert.equal(pause.json.status, 'paused');
    const bogus = await post(port, '/api/runtime/action', { action: 'explode' }, server.token);
    assert.equal(bogus.status, 400);

    const unknown = await post(port, '/api/runtime/gates/resolve', { gateId: 'gate-nope', decision: 'approve' }, server.token);
    assert.equal(unknown.status, 404);
    const r = await post(port, '/api/runtime/gates/resolve', { gateId, decision: 'reject', actor: 'qa', reason: 'too risky' }, server.token);
    assert.equal(r.status, 200);
    assert.equal(r.json.gate.gate_id, gateId);
    assert.equal(r.json.gate.status, 'resolved');
    assert.equal(r.json.gate.decision, 'rejected');
    assert.equal(r.json.impact.pendingRemaining, 0);
    assert.equal(r.json.impact.runId, 'oxe-run-dash');
    const again = new sdk.GateManager(dir, null, 'oxe-run-dash').get(gateId);
    assert.equal(again.status, 'resolved');
    assert.equal(again.actor, 'qa');
    assert.ok(events(dir).some((e) => e.type === 'run_paused'));
  });
});

test('runtime actions without a run answer 409, not 500', async () => {
  const dir = project();
  await withServer(dir, {}, async (port) => {
    const r = await post(port, '/api/runtime/action', { action: 'pause' });
    assert.equal(r.status, 409);
    assert.equal(typeof r.json.error, 'string');
    const g = await post(port, '/api/runtime/gates/resolve', { gateId: 'x', decision: 'approve' });
    assert.equal(g.status, 409);
  });
});

test('bad bodies, foreign hosts and origins, unknown routes: 4xx JSON, and the server keeps serving', async () => {
  const dir = project();
  await withServer(dir, { token: true }, async (port, server) => {
    const tk = server.token;
    for (const [body, why] of [['{"status":', 'truncated'], ['[1,2]', 'array'], ['42', 'number'], ['nul', 'garbage']]) {
      const r = await post(port, '/api/review/status', body, tk);
      assert.equal(r.status, 400, why);
      assert.equal(typeof r.json.error, 'string', why);
    }
    const big = await post(port, '/api/review/comment', JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }), tk);
    assert.equal(big.status, 413);
    const traversal = await post(port, '/api/review/status', { status: 'approved', activeSession: '../../outside' }, tk);
    assert.equal(traversal.status, 400);
    assert.ok(!fs.existsSync(path.join(dir, '..', 'outside')));
    const abs = await post(port, '/api/runtime/action', { action: 'start', activeSession: '/tmp/x' }, tk);
    assert.equal(abs.status, 400);
    const runEscape = await post(port, '/api/runtime/action', { action: 'start', run_id: '../../escaped-run' }, tk);
    assert.equal(runEscape.status, 400);
    assert.equal(runEscape.json.code, 'OXE_E_PATH');
    assert.ok(!fs.existsSync(path.join(dir, 'escaped-run.json')) && !fs.existsSync(path.join(dir, '..', 'escaped-run.json')));

    const rebind = await request(port, 'GET', '/api/context', { headers: { Host: `attacker.example:${port}` } });
    assert.equal(rebind.status, 403);
    const cross = await post(port, '/api/review/status', { status: 'approved' }, tk, { Origin: 'http://attacker.example' });
    assert.equal(cross.status, 403);
    const same = await post(port, '/api/review/status', { status: 'approved' }, tk, { Origin: `http://127.0.0.1:${port}` });
    assert.equal(same.status, 200);

    const nf = await request(port, 'GET', '/api/nothing');
    assert.equal(nf.status, 404);
    assert.equal(typeof nf.json.error, 'string');
    assert.equal((await request(port, 'GET', '/api/review/status')).status, 404);
    assert.equal((await request(port, 'GET', '/api/context')).status, 200, 'still serving');
  });
});

test('read-only servers refuse every write with 403 and say so in the context', async () => {
  const dir = project();
  await withServer(dir, { readOnly: true }, async (port) => {
    for (const route of ['/api/review/status', '/api/review/comment', '/api/review/comment-status', '/api/runtime/action', '/api/runtime/gates/resolve']) {
      const r = await post(port, route, { status: 'approved', action: 'start', text: 'x' });
      assert.equal(r.status, 403, route);
    }
    assert.ok(!fs.existsSync(path.join(dir, '.oxe', 'PLAN-REVIEW.md')));
    assert.ok(!fs.existsSync(path.join(dir, '.oxe', 'ACTIVE-RUN.json')));
    const ctx = await request(port, 'GET', '/api/context');
    assert.deepEqual(ctx.json.dashboard, { readOnly: true });
  });
});

test('concurrent comments from the page and the SDK lose nothing', async () => {
  const dir = project();
  await withServer(dir, {}, async (port) => {
    const http20 = Array.from({ length: 12 }, (_, i) => post(port, '/api/review/comment', { text: `http ${i}`, activeSession: null }));
    for (let i = 0; i < 6; i += 1) dashboard.addPlanReviewComment(dir, { text: `sdk ${i}`, activeSession: null });
    const answers = await Promise.all(http20);
    assert.ok(answers.every((a) => a.status === 200));
    const stored = JSON.parse(fs.readFileSync(path.join(dir, '.oxe', 'plan-review-comments.json'), 'utf8'));
    assert.equal(stored.length, 18);
    assert.equal(new Set(stored.map((c) => c.id)).size, 18, 'ids are unique');
  });
});

test('close() stops the server and frees the port; a busy port is an error event', async () => {
  const dir = project();
  const a = dashboard.createDashboardServer(dir);
  const port = await listening(a);
  const b = dashboard.createDashboardServer(dir);
  const err = await new Promise((resolve) => { b.once('error', resolve); b.listen(port, '127.0.0.1'); });
  assert.equal(err.code, 'OXE_E_DASHBOARD_LISTEN');
  await new Promise((r) => a.close(r));
  assert.equal(a.listening, false);
  await assert.rejects(request(port, 'GET', '/api/context'), /ECONNREFUSED/);
  const c = dashboard.createDashboardServer(dir);
  const err2 = await new Promise((resolve) => { c.once('error', resolve); c.listen(0, '0.0.0.0'); });
  assert.match(err2.message, /loopback/);
});

test('SDK members: context session rules, review writes, null for an unknown comment', () => {
  const dir = project();
  fs.appendFileSync(path.join(dir, '.oxe', 'STATE.md'), '\n- **active_session:** `sessions/s001-a`\n');
  assert.equal(dashboard.loadDashboardContext(dir).activeSession, 'sessions/s001-a', 'omitted: from STATE');
  assert.equal(dashboard.loadDashboardContext(dir, { activeSession: null }).activeSession, null);
  const saved = dashboard.savePlanReviewStatus(dir, { status: 'approved', activeSession: null });
  assert.equal(saved.status, 'approved');
  assert.equal(saved.note, '—');
  assert.equal(saved.author, 'dashboard');
  assert.equal(dashboard.updatePlanReviewCommentStatus(dir, { commentId: 'c-x', activeSession: null }), null);
  assert.throws(() => dashboard.savePlanReviewStatus(dir, { activeSession: '../../x' }), (e) => e.code === 'OXE_E_DASHBOARD_REQUEST');
  const ctx = dashboard.loadDashboardContext(dir, { activeSession: null });
  assert.equal(ctx.planReviewStatus, 'approved');
});

test('--dump-context prints the context JSON in 1.4.0 key order', () => {
  const dir = project();
  const r = spawnSync(process.execPath, [CLI, 'dashboard', '--dump-context', '--dir', dir], { encoding: 'utf8', env: env() });
  assert.equal(r.status, 0, r.stderr);
  const ctx = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(ctx), [
    'projectRoot', 'activeSession', 'phase', 'healthStatus', 'nextStep', 'planReviewStatus', 'state', 'spec', 'plan', 'runtime',
    'activeRun', 'runtimeCanonical', 'compiledGraph', 'enterprise', 'tracing', 'checkpoints', 'verify', 'review', 'sessions',
    'support', 'capabilities', 'memoryLayers', 'context', 'azure', 'diagnostics', 'repositoryContext', 'readiness', 'coverage',
    'calibration', 'visual', 'operationalGraph', 'dashboard',
  ]);
  assert.equal(ctx.phase, 'executing');
  assert.equal(ctx.visual.flow.nodes.length, 8);
  assert.deepEqual(ctx.readiness.blockers, ['review_status:draft']);
  assert.deepEqual(ctx.coverage.map((c) => [c.id, c.planCovered]), [['A1', true], ['A2', false]]);
  const s = spawnSync(process.execPath, [CLI, 'dashboard', dir, '--dump-context', '--session', 'sessions\\s002-b'], { encoding: 'utf8', env: env() });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).activeSession, 'sessions/s002-b');
  const bad = spawnSync(process.execPath, [CLI, 'dashboard', '--dump-context', '--dir', dir, '--session', '../x'], { encoding: 'utf8', env: env() });
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, '');
  assert.equal(spawnSync(process.execPath, [CLI, 'dashboard', '--bogus'], { encoding: 'utf8', env: env() }).status, 1);
  assert.equal(spawnSync(process.execPath, [CLI, 'dashboard', '--dump-context', '--dir', path.join(dir, 'nope')], { encoding: 'utf8', env: env() }).status, 1);
});

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function startCli(args) {
  const child = spawn(process.execPath, [CLI, 'dashboard', '--no-open', ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { err += d; });
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const url = /URL: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
      const token = /Write token: ([0-9a-f]{32})/.exec(out);
      if (url && token && /Ctrl\+C/.test(out)) resolve({ port: Number(url[2]), token: token[1] });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, out: () => out, err: () => err })));
  return { child, ready, exited };
}

test('the CLI serves in its own process, prints a token, honours --read-only and stops on SIGINT', async () => {
  const dir = project();
  const port = await freePort();
  const cli = startCli(['--port', String(port), '--dir', dir]);
  const { token } = await cli.ready;
  try {
    assert.equal((await request(port, 'GET', '/api/context')).status, 200);
    assert.equal((await post(port, '/api/review/status', { status: 'approved' })).status, 401);
    assert.equal((await post(port, '/api/review/status', { status: 'approved', activeSession: null }, token)).status, 200);
    assert.match(fs.readFileSync(path.join(dir, '.oxe', 'STATE.md'), 'utf8'), /plan_review_status:\*\* `approved`/);
  } finally {
    cli.child.kill('SIGINT');
  }
  const end = await cli.exited;
  assert.equal(end.code, 0, end.err());
  assert.match(end.out(), /Dashboard stopped\./);

  const badPort = spawnSync(process.execPath, [CLI, 'dashboard', '--no-open', '--port', '70000', '--dir', dir], { encoding: 'utf8', env: env() });
  assert.equal(badPort.status, 1);
  assert.match(badPort.stderr, /Invalid port: 70000/);
  // a busy port is an error, not a hang
  const busy = net.createServer();
  await new Promise((r) => busy.listen(0, '127.0.0.1', r));
  const taken = spawnSync(process.execPath, [CLI, 'dashboard', '--no-open', '--port', String(busy.address().port), '--dir', dir], { encoding: 'utf8', env: env(), timeout: 20000 });
  busy.close();
  assert.equal(taken.status, 1, taken.stdout);
  assert.match(taken.stderr, /Could not listen/);
});

test('--read-only really refuses writes from the CLI server, and SIGTERM stops it', async () => {
  const dir = project();
  const port = await freePort();
  const cli = startCli(['--port', String(port), '--read-only', '--dir', dir]);
  const { token } = await cli.ready;
  try {
    const r = await post(port, '/api/review/status', { status: 'approved' }, token);
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'OXE_E_DASHBOARD_READ_ONLY');
    assert.ok(!fs.existsSync(path.join(dir, '.oxe', 'PLAN-REVIEW.md')));
  } finally {
    cli.child.kill('SIGTERM');
  }
  const end = await cli.exited;
  assert.equal(end.code, 0, end.err());
});

test('run actions from the page and from `oxe-cc runtime` at once lose no transition', async () => {
  const dir = project();
  operational.applyRuntimeAction(dir, null, { action: 'start', run_id: 'oxe-run-race' });
  await withServer(dir, {}, async (port) => {
    const cliRuns = Array.from({ length: 4 }, () => new Promise((resolve) => {
      const c = spawn(process.execPath, [CLI, 'runtime', 'pause', '--dir', dir], { env: env(), stdio: 'ignore' });
      c.once('exit', resolve);
    }));
    const pageRuns = Array.from({ length: 8 }, () => post(port, '/api/runtime/action', { action: 'pause' }));
    const codes = await Promise.all(cliRuns);
    const answers = await Promise.all(pageRuns);
    assert.deepEqual(codes, [0, 0, 0, 0]);
    assert.ok(answers.every((a) => a.status === 200));
  });
  const run = operational.readRunState(dir, null);
  assert.equal(run.metrics.pause_count, 12);
  assert.equal(run.metrics.transitions, 13);
  assert.equal(events(dir).filter((e) => e.type === 'run_paused').length, 12);
});
