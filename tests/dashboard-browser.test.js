'use strict';
// The dashboard page in a real browser: headless Chromium (Debian package
// `chromium`) driven by puppeteer-core loads the page served for a fixture
// project (a run, events, a pending gate, built with the runtime SDK), checks
// what it shows, resolves the gate by clicking, checks .oxe/ afterwards and
// saves screenshots to test-output/ (dashboard.png with the gate pending,
// dashboard-after.png once resolved, dashboard-pt-BR.png read-only). Skips when Chromium or
// puppeteer-core is missing.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const CHROMIUM = process.env.OXE_CHROMIUM || '/usr/bin/chromium';
const OUT_DIR = path.join(ROOT, 'test-output');

let puppeteer = null;
try {
  // eslint-disable-next-line global-require
  puppeteer = require('puppeteer-core');
} catch {
  puppeteer = null;
}

const sdk = require(ROOT);
const { dashboard, operational } = sdk;

const SPEC = '# Spec\n\n## Objetivo\n\nShip the widget.\n\n## Critérios de aceite\n\n| ID | Critério | Como verificar |\n|----|----------|----------------|\n| A1 | Widget renders | npm test |\n| A2 | Docs updated | review |\n';
const PLAN = '## Autoavaliação do Plano\n- **Melhor plano atual:** sim\n- **Confiança:** 82%\n\n### T1 — Build the widget\n- **Onda:** 1\n- **Depende de:** —\n- **Verificar:**\n  - Comando: `npm test`\n- **Aceite vinculado:** A1\n\n### T2 — Document the widget\n- **Onda:** 2\n- **Depende de:** T1\n- **Aceite vinculado:** A2\n';
const RUNTIME = '## Onda atual\n\n- **Onda:** 1\n- **Estado:** running\n- **Tarefas ativas:** T1\n\n## Evidências produzidas\n\n- logs/widget-test.txt: unit tests green\n\n## Bloqueios\n\n- nenhum\n';
const VERIFY = '# Verify\n\n| ID | Status | Evidência |\n|----|--------|-----------|\n| A1 | ok | logs/widget-test.txt |\n';

async function fixture() {
  const dir = tmpProject('oxe-dash-browser-');
  const oxe = path.join(dir, '.oxe');
  fs.mkdirSync(oxe, { recursive: true });
  fs.writeFileSync(path.join(oxe, 'STATE.md'), '# State\n\n## Fase atual\n\n`executing`\n');
  fs.writeFileSync(path.join(oxe, 'SPEC.md'), SPEC);
  fs.writeFileSync(path.join(oxe, 'PLAN.md'), PLAN);
  fs.writeFileSync(path.join(oxe, 'EXECUTION-RUNTIME.md'), RUNTIME);
  fs.writeFileSync(path.join(oxe, 'VERIFY.md'), VERIFY);
  const run = operational.applyRuntimeAction(dir, null, { action: 'start', run_id: 'oxe-run-browser', wave: 1, task: 'T1', reason: 'fixture' });
  operational.appendEvent(dir, null, { type: 'task_started', run_id: run.run_id, wave_id: 'wave-1', task_id: 'T1', payload: { attempt: 1 } });
  const gm = new sdk.GateManager(dir, null, run.run_id);
  const gate = await gm.request('critical_mutation', {
    work_item_id: 'T1', run_id: run.run_id, action: 'apply_patch', description: 'Apply the widget patch to src/', evidence_refs: [], risks: ['touches src/'],
  });
  return { dir, runId: run.run_id, gateId: gate.gate_id };
}

function skipReason() {
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}: install the Debian package \`chromium\` (apt-get install chromium) or set OXE_CHROMIUM`;
  if (!puppeteer) return 'puppeteer-core is not installed (npm ci installs it as a devDependency)';
  return null;
}

async function launch() {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

async function serve(dir, opts) {
  const server = dashboard.createDashboardServer(dir, opts);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

const texts = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));

test('the page shows the run, waves, events, gate and evidence, and resolves the gate by clicking', { timeout: 90000 }, async (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  const { dir, runId, gateId } = await fixture();
  const { server, base } = await serve(dir, { token: true });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.setViewport({ width: 1440, height: 900 });
    await page.goto(`${base}?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });

    assert.equal(await page.$eval('h1', (e) => e.textContent), 'OXE dashboard');
    assert.equal(await page.$eval('#project', (e) => e.textContent), dir);
    // run
    assert.match(await page.$eval('#run', (e) => e.textContent), new RegExp(runId));
    assert.match(await page.$eval('#run-status', (e) => e.textContent), /running/);
    // waves and tasks, the current wave marked
    assert.deepEqual(await page.$$eval('.wave', (ws) => ws.map((w) => w.getAttribute('data-wave'))), ['1', '2']);
    assert.deepEqual(await page.$$eval('.task', (ts) => ts.map((x) => x.getAttribute('data-task'))), ['T1', 'T2']);
    assert.equal(await page.$eval('.wave.current', (w) => w.getAttribute('data-wave')), '1');
    assert.match(await page.$eval('.task[data-task="T1"]', (e) => e.textContent), /Build the widget.*npm test/s);
    // events, newest first
    const evTypes = await page.$$eval('.ev', (es) => es.map((e) => e.getAttribute('data-event-type')));
    assert.deepEqual(evTypes.slice(0, 3), ['GateRequested', 'task_started', 'run_started']);
    // the pending gate
    assert.deepEqual(await page.$$eval('.gate', (gs) => gs.map((g) => g.getAttribute('data-gate-id'))), [gateId]);
    assert.match(await page.$eval('.gate', (e) => e.textContent), /Apply the widget patch to src\//);
    // evidence and verification
    assert.deepEqual(await page.$$eval('#evidence tr[data-criterion]', (rs) => rs.map((r) => r.getAttribute('data-criterion'))), ['A1', 'A2']);
    assert.match(await page.$eval('#evidence tr[data-criterion="A1"]', (e) => e.textContent), /passed/);
    assert.match(await page.$eval('#evidence', (e) => e.textContent), /logs\/widget-test\.txt/);
    assert.match(await page.$eval('#decision', (e) => e.textContent), /NO-GO/);

    // an event written while the page is open shows up without a reload
    operational.appendEvent(dir, null, { type: 'verify_started', run_id: runId, task_id: 'T1', payload: {} });
    await page.waitForSelector('.ev[data-event-type="verify_started"]', { timeout: 10000 });

    assert.equal(await page.$eval('#ro', (e) => getComputedStyle(e).display), 'none', 'no read-only badge');
    fs.mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard.png'), fullPage: true });

    // rejecting needs a reason: nothing is sent without one
    await page.click(`button[data-gate="${gateId}"][data-decision="reject"]`);
    await page.waitForFunction(() => document.getElementById('toast').style.display === 'block');
    assert.equal(new sdk.GateManager(dir, null, runId).get(gateId).status, 'pending');

    // approve by clicking
    await page.click(`button[data-gate="${gateId}"][data-decision="approve"]`);
    await page.waitForFunction(() => !document.querySelector('.gate'), { timeout: 10000 });
    assert.match(await page.$eval('#gates', (e) => e.textContent), /No gate waits for a decision/);

    const stored = JSON.parse(fs.readFileSync(path.join(dir, '.oxe', 'execution', 'GATES.json'), 'utf8'));
    const g = stored.find((x) => x.gate_id === gateId);
    assert.equal(g.status, 'resolved');
    assert.equal(g.decision, 'approved');
    assert.equal(g.actor, 'dashboard');
    await page.waitForSelector('.ev[data-event-type="GateResolved"]', { timeout: 10000 });

    // review comment through the form lands in .oxe/
    await page.type('#comment-target', 'wave:2');
    await page.type('#comment-text', 'Docs task needs an owner');
    await page.click('#comment-add');
    await page.waitForSelector('[data-comment]', { timeout: 10000 });
    const comments = JSON.parse(fs.readFileSync(path.join(dir, '.oxe', 'plan-review-comments.json'), 'utf8'));
    assert.equal(comments[0].target, 'wave:2');
    assert.equal(comments[0].text, 'Docs task needs an owner');

    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard-after.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no page errors');
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
});

test('the page speaks Portuguese with ?lang=pt-BR and disables writes when read-only', { timeout: 60000 }, async (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  const { dir, gateId } = await fixture();
  const { server, base } = await serve(dir, { readOnly: true });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${base}?lang=pt-BR`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
    assert.equal(await page.$eval('h1', (e) => e.textContent), 'Painel OXE');
    assert.equal(await page.$eval('html', (e) => e.lang), 'pt-BR');
    assert.notEqual(await page.$eval('#ro', (e) => getComputedStyle(e).display), 'none', 'read-only badge shown');
    assert.equal(await page.$eval(`button[data-gate="${gateId}"][data-decision="approve"]`, (b) => b.disabled), true);
    assert.deepEqual(await texts(page, '#waves .wave .head > span:first-child'), ['Onda 1 · 1 tarefa', 'Onda 2 · 1 tarefa']);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    // the server words the context in the page's language
    assert.match(await page.$eval('#readiness', (e) => e.textContent), /seção|sem|não/i);
    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard-pt-BR.png') });
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
});
