'use strict';
// Entry point of the OXE Agents extension: registers the 13 chat
// participants and the two commands.

const { PARTICIPANTS } = require('./participants');
const { createHandler, createSdkCache } = require('./handler');
const { createCommands } = require('./commands');
const { strings } = require('./shared/i18n');

const FIRST_RUN_KEY = 'oxe.agents.v2.activated';

function activate(context) {
  // Loaded here, not at the top, so the module also loads under plain node.
  return activateWith(require('vscode'), context);
}

function activateWith(api, context) {
  const t = strings(api.env && api.env.language);
  const output = api.window.createOutputChannel('OXE Agents');
  context.subscriptions.push(output);
  const log = (line) => output.appendLine(`[${new Date().toISOString()}] ${line}`);
  const sdkFor = createSdkCache();

  const commands = createCommands({ vscode: api, output, sdkFor });
  context.subscriptions.push(api.commands.registerCommand('oxe.showStatus', commands.showStatus));
  context.subscriptions.push(api.commands.registerCommand('oxe.resolveGate', commands.resolveGate));

  if (!api.chat || typeof api.chat.createChatParticipant !== 'function') {
    api.window.showWarningMessage(t.noCopilot);
    return { participants: [] };
  }
  const registered = [];
  for (const p of PARTICIPANTS) {
    const participant = api.chat.createChatParticipant(p.id, createHandler({ vscode: api, slug: p.slug, log, sdkFor }));
    participant.iconPath = new api.ThemeIcon('sparkle');
    context.subscriptions.push(participant);
    registered.push(p.id);
  }
  log(`registered ${registered.length} participants`);
  if (context.globalState && !context.globalState.get(FIRST_RUN_KEY)) {
    context.globalState.update(FIRST_RUN_KEY, true);
    Promise.resolve(api.window.showInformationMessage(t.activated, t.showLog)).then((choice) => {
      if (choice === t.showLog) output.show(true);
    });
  }
  return { participants: registered };
}

function deactivate() {}

module.exports = { activate, deactivate, activateWith };
