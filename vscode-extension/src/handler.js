'use strict';
// The chat request handler shared by every participant. `vscode` and the SDK
// loader are passed in, so the handler runs under node with stand-ins.

const { strings } = require('./shared/i18n');
const { loadSdk } = require('./shared/oxeSdk');
const { readProjectState, isInitialized } = require('./shared/projectState');
const { loadContextPack } = require('./shared/contextPack');
const promptBuilder = require('./shared/promptBuilder');

const MODEL_SELECTORS = [
  { vendor: 'copilot', family: 'gpt-4o' },
  { vendor: 'copilot', family: 'claude-sonnet' },
  { vendor: 'copilot' },
  {},
];
const HISTORY_TURNS = 6;

function workspaceRoot(vscode) {
  const folders = vscode.workspace && vscode.workspace.workspaceFolders;
  return folders && folders.length ? folders[0].uri.fsPath : null;
}

function createSdkCache(loader = loadSdk) {
  const cache = new Map();
  return (root) => {
    if (!cache.has(root)) cache.set(root, loader(root));
    return cache.get(root);
  };
}

async function pickModel(vscode, request) {
  if (request && request.model && typeof request.model.sendRequest === 'function') return request.model;
  if (!vscode.lm || typeof vscode.lm.selectChatModels !== 'function') return null;
  for (const selector of MODEL_SELECTORS) {
    const models = await vscode.lm.selectChatModels(selector);
    if (models && models.length) return models[0];
  }
  return null;
}

function responseText(turn) {
  const parts = Array.isArray(turn.response) ? turn.response : [];
  return parts
    .map((p) => (p && p.value && typeof p.value.value === 'string' ? p.value.value : typeof p.value === 'string' ? p.value : ''))
    .join('');
}

function historyMessages(vscode, context) {
  const turns = context && Array.isArray(context.history) ? context.history.slice(-HISTORY_TURNS) : [];
  const out = [];
  for (const turn of turns) {
    if (turn && typeof turn.prompt === 'string') out.push(vscode.LanguageModelChatMessage.User(turn.prompt));
    else if (turn && Array.isArray(turn.response)) {
      const text = responseText(turn);
      if (text) out.push(vscode.LanguageModelChatMessage.Assistant(text));
    }
  }
  return out;
}

function errorMessage(vscode, err, t) {
  const code = err && err.code;
  const LMError = vscode.LanguageModelError;
  if (LMError && err instanceof LMError) {
    if (code === (LMError.Blocked && LMError.Blocked().code)) return t.blocked;
    if (code === (LMError.NotFound && LMError.NotFound().code)) return t.unavailable;
    if (code === (LMError.NoPermissions && LMError.NoPermissions().code)) return t.quota;
  }
  const msg = String((err && err.message) || err || '');
  if (/blocked/i.test(msg)) return t.blocked;
  if (/not ?found|unavailable/i.test(msg)) return t.unavailable;
  if (/permission|quota/i.test(msg)) return t.quota;
  return `${t.failed} ${msg}`;
}

/**
 * Returns the handler of one participant.
 * @param {{vscode: object, slug: string, log?: (line: string) => void, sdkFor?: (root: string) => object}} deps
 */
function createHandler({ vscode, slug, log = () => {}, sdkFor = createSdkCache() }) {
  return async function handle(request, context, stream, token) {
    const t = strings(vscode.env && vscode.env.language);
    const root = workspaceRoot(vscode);
    if (!root) {
      stream.markdown(t.noWorkspace);
      return { metadata: { slug, outcome: 'no-workspace' } };
    }
    if (!isInitialized(root)) {
      stream.markdown(t.notInitialized);
      return { metadata: { slug, outcome: 'not-initialized' } };
    }
    const loaded = sdkFor(root);
    if (!loaded.sdk) log(`${t.noSdk} ${loaded.errors.join('; ')}`);
    let state;
    let pack;
    try {
      state = readProjectState(root, loaded.sdk);
      pack = loadContextPack(root, slug, loaded.sdk);
    } catch (e) {
      stream.markdown(`${t.failed} ${e && e.message ? e.message : String(e)}`);
      return { metadata: { slug, outcome: 'state-error', code: e && e.code } };
    }
    const system = promptBuilder.build({ slug, pack, state, subCommand: request.command, t });
    const model = await pickModel(vscode, request);
    if (!model) {
      stream.markdown(t.noModel);
      return { metadata: { slug, outcome: 'no-model' } };
    }
    const prompt = request.command ? `[/${request.command}] ${request.prompt}` : request.prompt;
    const messages = [
      vscode.LanguageModelChatMessage.User(system),
      ...historyMessages(vscode, context),
      vscode.LanguageModelChatMessage.User(prompt),
    ];
    try {
      const response = await model.sendRequest(messages, {}, token);
      for await (const fragment of response.text) stream.markdown(fragment);
    } catch (e) {
      if (token && token.isCancellationRequested) return { metadata: { slug, outcome: 'cancelled' } };
      log(`[${slug}] ${e && e.stack ? e.stack : String(e)}`);
      stream.markdown(errorMessage(vscode, e, t));
      return { metadata: { slug, outcome: 'model-error' } };
    }
    return { metadata: { slug, outcome: 'ok', source: state.source, pack: Boolean(pack) } };
  };
}

module.exports = { createHandler, createSdkCache, workspaceRoot, pickModel, historyMessages, MODEL_SELECTORS };
