'use strict';
// The VS Code extension (vscode-extension/): its handlers and commands run
// under node with a stand-in `vscode` module, on a temp project built with
// our SDK, so what the extension shows comes from require('oxe-cc').

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.resolve(__dirname, '..');
const EXT = path.join(ROOT, 'vscode-extension');
const sdk = require(ROOT);
const { createHandler } = require(path.join(EXT, 'src', 'handler.js'));
const { activateWith } = require(path.join(EXT, 'src', 'extension.js'));
const { createCommands } = require(path.join(EXT, 'src', 'commands.js'));
const { loadSdk, packageCandidates } = require(path.join(EXT, 'src', 'shared', 'oxeSdk.js'));
const { PARTICIPANTS } = require(path.join(EXT, 'src', 'participants.js'));

const PLAN = `# Plan

## Tarefas

### T1 — Login endpoint
- **Onda:** 1
- **Aceite vinculado:** A1

### T2 — Token refresh
- **Depende de:** T1
- **Onda:** 2
- **Aceite vinculado:** A2
`;

async function fixtureProject() {
  const dir = tmpProject('oxe-vscode-');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'oxe-cc.js'), 'init-oxe', dir], {
    encoding: 'utf8',
    env: { ...process.env, OXE_NO_BANNER: '1', NO_COLOR: '1' },
  });
  assert.strictEqual(r.status, 0, r.stderr);
  fs.writeFileSync(path.join(dir, '.oxe', 'PLAN.md'), PLAN);
  const gm = new sdk.GateManager(dir, null, 'oxe-run-vscode');
  const gate = await gm.request('critical_mutation', {
    run_id: 'oxe-run-vscode',
    work_item_id: 'T1',
    action: 'generate_patch',
    description: 'Approve the login patch',
    evidence_refs: [],
    risks: [],
  });
  return { dir, gateId: gate.gate_id };
}

function fakeVscode({ root, language = 'en', chat = true, models, pick = [], input = [] }) {
  const shown = { info: [], warn: [], output: [] };
  const registered = { participants: [], commands: {} };
  const sent = [];
  const defaultModel = {
    async sendRequest(messages) {
      sent.push(messages);
      return {
        text: (async function* gen() {
          yield 'first ';
          yield 'answer';
        })(),
      };
    },
  };
  class LanguageModelError extends Error {
    constructor(message, code) {
      super(message);
      this.code = code;
    }
    static Blocked() {
      return new LanguageModelError('blocked', 'Blocked');
    }
    static NotFound() {
      return new LanguageModelError('not found', 'NotFound');
    }
    static NoPermissions() {
      return new LanguageModelError('no permissions', 'NoPermissions');
    }
  }
  const api = {
    env: { language },
    workspace: { workspaceFolders: root ? [{ uri: { fsPath: root } }] : undefined },
    window: {
      createOutputChannel: () => ({ appendLine: (l) => shown.output.push(l), show() {}, dispose() {} }),
      showInformationMessage: async (m) => void shown.info.push(m),
      showWarningMessage: async (m) => void shown.warn.push(m),
      showQuickPick: async (items) => {
        const want = pick.shift();
        return items.find((i) => (typeof i === 'string' ? i === want : i.label === want));
      },
      showInputBox: async () => input.shift(),
    },
    commands: { registerCommand: (id, fn) => ((registered.commands[id] = fn), { dispose() {} }) },
    ThemeIcon: class {
      constructor(id) {
        this.id = id;
      }
    },
    LanguageModelChatMessage: { User: (c) => ({ role: 'user', content: c }), Assistant: (c) => ({ role: 'assistant', content: c }) },
    LanguageModelError,
    lm: { selectChatModels: async () => (models === undefined ? [defaultModel] : models) },
  };
  if (chat) {
    api.chat = {
      createChatParticipant: (id, handler) => {
        const p = { id, handler, dispose() {} };
        registered.participants.push(p);
        return p;
      },
    };
  }
  return { api, shown, registered, sent };
}

function stream() {
  const parts = [];
  return { markdown: (m) => parts.push(m), text: () => parts.join('') };
}

const ourSdk = () => loadSdk(null, { env: { OXE_CC_PACKAGE: ROOT }, globalRoot: null });

test('the manifest declares the 13 participants the handlers implement', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
  assert.strictEqual(pkg.name, 'oxe-agents');
  assert.strictEqual(pkg.publisher, 'oxe-cc');
  assert.deepStrictEqual(pkg.activationEvents, ['onStartupFinished']);
  assert.deepStrictEqual(pkg.extensionDependencies, ['GitHub.copilot-chat']);
  assert.deepStrictEqual(
    pkg.contributes.chatParticipants.map((p) => p.id),
    PARTICIPANTS.map((p) => p.id),
  );
  assert.strictEqual(PARTICIPANTS.find((p) => p.id === 'oxe.review').slug, 'review-pr');
  for (const cmd of pkg.contributes.commands) assert.ok(cmd.command.startsWith('oxe.'));
});

test('activate registers every participant and both commands', () => {
  const { api, registered } = fakeVscode({ root: null });
  const subs = [];
  const store = new Map();
  const out = activateWith(api, { subscriptions: subs, globalState: { get: (k) => store.get(k), update: (k, v) => store.set(k, v) } });
  assert.strictEqual(out.participants.length, 13);
  assert.deepStrictEqual(registered.participants.map((p) => p.id), PARTICIPANTS.map((p) => p.id));
  assert.ok(registered.participants.every((p) => p.iconPath && p.iconPath.id === 'sparkle'));
  assert.deepStrictEqual(Object.keys(registered.commands).sort(), ['oxe.resolveGate', 'oxe.showStatus']);
  assert.strictEqual(store.get('oxe.agents.v2.activated'), true);
});

test('without the chat API it warns and registers no participant', () => {
  const { api, shown } = fakeVscode({ root: null, chat: false });
  const out = activateWith(api, { subscriptions: [] });
  assert.deepStrictEqual(out.participants, []);
  assert.match(shown.warn[0], /Copilot Chat/);
});

test('no workspace and an uninitialised project get a clear answer, no model call', async () => {
  const a = fakeVscode({ root: null });
  const s1 = stream();
  const r1 = await createHandler({ vscode: a.api, slug: 'oxe', sdkFor: ourSdk })({ prompt: 'hi' }, { history: [] }, s1, {});
  assert.strictEqual(r1.metadata.outcome, 'no-workspace');
  assert.match(s1.text(), /Open a folder/);
  const empty = tmpProject('oxe-vscode-empty-');
  const b = fakeVscode({ root: empty, language: 'pt-BR' });
  const s2 = stream();
  const r2 = await createHandler({ vscode: b.api, slug: 'oxe', sdkFor: ourSdk })({ prompt: 'oi' }, { history: [] }, s2, {});
  assert.strictEqual(r2.metadata.outcome, 'not-initialized');
  assert.match(s2.text(), /npx oxe-cc/);
  assert.match(s2.text(), /ainda não tem/);
  assert.strictEqual(a.sent.length + b.sent.length, 0);
});

test('the system prompt carries state, plan and gates read through the SDK', async () => {
  const { dir, gateId } = await fixtureProject();
  const { api, sent } = fakeVscode({ root: dir });
  const s = stream();
  const history = [{ prompt: 'earlier question' }, { response: [{ value: { value: 'earlier answer' } }] }];
  const res = await createHandler({ vscode: api, slug: 'execute', sdkFor: ourSdk })(
    { prompt: 'go on', command: 'wave' },
    { history },
    s,
    { isCancellationRequested: false },
  );
  assert.strictEqual(res.metadata.outcome, 'ok');
  assert.strictEqual(res.metadata.source, 'sdk');
  assert.strictEqual(s.text(), 'first answer');
  const messages = sent[0];
  const system = messages[0].content;
  const report = sdk.health.buildHealthReport(dir);
  assert.ok(system.includes(`phase: ${report.phase}`), system);
  assert.ok(system.includes(report.next.cursorCmd), system);
  assert.ok(system.includes('2 tasks in 2 waves (0 done)'), system);
  assert.ok(system.includes(gateId), system);
  assert.ok(system.includes('.oxe/workflows/execute.md'), system);
  assert.ok(system.includes('Sub-command /wave'), system);
  assert.deepStrictEqual(messages.slice(1).map((m) => m.role), ['user', 'assistant', 'user']);
  assert.strictEqual(messages[3].content, '[/wave] go on');
});

test('a stored context pack feeds contract, artifacts, hypotheses and quality notes', async () => {
  const { dir } = await fixtureProject();
  const packs = path.join(dir, '.oxe', 'context', 'packs');
  fs.mkdirSync(packs, { recursive: true });
  fs.writeFileSync(
    path.join(packs, 'plan.json'),
    JSON.stringify({
      workflow: 'plan',
      contract: { reasoning_mode: 'planning', question_policy: 'targeted', guidance: ['Keep tasks under a day.'] },
      selected_artifacts: [
        { alias: 'spec_doc', exists: true, required: true, semantic_summary: 'Login with JWT.' },
        { alias: 'missing_doc', exists: false, summary: 'never shown' },
      ],
      hypotheses: [{ id: 'H1', status: 'pending', condition: 'tokens expire', checkpoint: 'CP-1' }, { id: 'H2', status: 'confirmed' }],
      gaps: [{ alias: 'verify', severity: 'critical', reason: 'no VERIFY.md' }],
      context_quality: { score: 20, status: 'critical' },
      fallback_required: true,
      freshness: { stale: true, reason: 'pack_age_exceeded' },
    }),
  );
  const noContextSdk = () => {
    const l = ourSdk();
    return { ...l, sdk: { ...l.sdk, context: {} } };
  };
  const { api, sent } = fakeVscode({ root: dir });
  await createHandler({ vscode: api, slug: 'plan', sdkFor: noContextSdk })({ prompt: 'plan it' }, { history: [] }, stream(), {});
  const system = sent[0][0].content;
  assert.ok(system.includes('reasoning mode: planning'));
  assert.ok(system.includes('- Keep tasks under a day.'));
  assert.ok(system.includes('### spec doc [required]\nLogin with JWT.'));
  assert.ok(!system.includes('never shown'));
  assert.ok(system.includes('H1: tokens expire (CP-1)') && !system.includes('H2:'));
  assert.ok(system.includes('verify: no VERIFY.md'));
  assert.ok(system.includes('context pack is critical'));
  assert.ok(system.includes('oxe-cc context build --workflow plan'));
});

test('model errors become readable messages; cancellation stays silent', async () => {
  const { dir } = await fixtureProject();
  const failing = (err) => [{ sendRequest: async () => { throw err; } }];
  const a = fakeVscode({ root: dir });
  a.api.lm.selectChatModels = async () => failing(a.api.LanguageModelError.Blocked());
  const s1 = stream();
  const r1 = await createHandler({ vscode: a.api, slug: 'ask', sdkFor: ourSdk })({ prompt: 'x' }, { history: [] }, s1, { isCancellationRequested: false });
  assert.strictEqual(r1.metadata.outcome, 'model-error');
  assert.match(s1.text(), /refused/);
  const s2 = stream();
  const r2 = await createHandler({ vscode: a.api, slug: 'ask', sdkFor: ourSdk })({ prompt: 'x' }, { history: [] }, s2, { isCancellationRequested: true });
  assert.strictEqual(r2.metadata.outcome, 'cancelled');
  assert.strictEqual(s2.text(), '');
  const b = fakeVscode({ root: dir, models: [] });
  const s3 = stream();
  const r3 = await createHandler({ vscode: b.api, slug: 'ask', sdkFor: ourSdk })({ prompt: 'x' }, { history: [] }, s3, {});
  assert.strictEqual(r3.metadata.outcome, 'no-model');
});

test('the resolve-gate command writes through the runtime gate store', async () => {
  const { dir, gateId } = await fixtureProject();
  const { api, shown } = fakeVscode({ root: dir, pick: [gateId, 'reject'], input: ['needs tests'] });
  const output = { appendLine() {}, show() {} };
  const cmds = createCommands({ vscode: api, output, sdkFor: ourSdk });
  await cmds.resolveGate();
  const gates = JSON.parse(fs.readFileSync(path.join(dir, '.oxe', 'execution', 'GATES.json'), 'utf8'));
  const g = gates.find((x) => x.gate_id === gateId);
  assert.strictEqual(g.status, 'resolved');
  const last = g.resolution_history[g.resolution_history.length - 1];
  assert.strictEqual(last.decision, 'rejected');
  assert.strictEqual(last.actor, 'vscode');
  assert.strictEqual(last.reason, 'needs tests');
  assert.match(shown.info[0], new RegExp(gateId));
  const lines = [];
  const state = await createCommands({ vscode: api, output: { appendLine: (l) => lines.push(l), show() {} }, sdkFor: ourSdk }).showStatus();
  assert.deepStrictEqual(state.gates, []);
  assert.ok(lines.some((l) => l.startsWith('phase: ')));
});

test('the SDK locator tries OXE_CC_PACKAGE, the workspace, then the global root', () => {
  const c = packageCandidates('/p', { OXE_CC_PACKAGE: '/x/pkg' }, '/g');
  assert.deepStrictEqual(c, [path.resolve('/x/pkg'), path.join('/p', 'node_modules', 'oxe-cc'), path.join('/g', 'oxe-cc')]);
  const dir = tmpProject('oxe-vscode-pkg-');
  fs.mkdirSync(path.join(dir, 'node_modules', 'oxe-cc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'oxe-cc', 'package.json'), '{"name":"oxe-cc","main":"i.js"}');
  fs.writeFileSync(path.join(dir, 'node_modules', 'oxe-cc', 'i.js'), 'module.exports = { health: {} };');
  const r = loadSdk(dir, { env: {}, globalRoot: null });
  assert.strictEqual(r.sdk, null);
  assert.match(r.errors[0], /not an oxe-cc SDK/);
  const ok = loadSdk(dir, { env: { OXE_CC_PACKAGE: ROOT }, globalRoot: null });
  assert.strictEqual(ok.packageRoot, ROOT);
});

test('vsce packages the extension into a .vsix', { skip: !fs.existsSync(path.join(EXT, 'node_modules', '.bin', 'vsce')) && 'vscode-extension/node_modules not installed (npm ci --prefix vscode-extension)' }, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-vsix-')), 'oxe-agents-1.4.0.vsix');
  const r = spawnSync(path.join(EXT, 'node_modules', '.bin', 'vsce'), ['package', '--no-yarn', '--allow-missing-repository', '--no-dependencies', '--out', out], {
    cwd: EXT,
    encoding: 'utf8',
  });
  assert.strictEqual(r.status, 0, r.stderr + r.stdout);
  const head = fs.readFileSync(out).subarray(0, 2).toString('latin1');
  assert.strictEqual(head, 'PK');
});
