'use strict';
// The extension's commands: show the project status, resolve a pending gate.
// Both go through the oxe-cc SDK, so a gate resolved here is written by the
// same locked gate store the CLI and the dashboard use.

const { strings, fill } = require('./shared/i18n');
const { readProjectState } = require('./shared/projectState');
const { workspaceRoot } = require('./handler');

function statusLines(state, t) {
  const lines = [
    `${t.statusTitle}`,
    `${t.phase}: ${state.phase || t.unknown}`,
    `${t.session}: ${state.activeSession || t.none}`,
    `${t.nextStep}: ${state.next ? `${state.next.command || state.next.step} — ${state.next.reason}` : t.none}`,
  ];
  if (state.plan) {
    const done = state.plan.tasks.filter((x) => x.done).length;
    lines.push(`${t.plan}: ${fill(t.tasksWaves, { tasks: state.plan.taskCount, waves: state.plan.waveCount, done })}`);
  }
  lines.push(`${t.gates}: ${state.gates.length ? state.gates.map((g) => g.gateId).join(', ') : t.none}`);
  return lines;
}

function createCommands({ vscode, output, sdkFor }) {
  const t = strings(vscode.env && vscode.env.language);

  async function showStatus() {
    const root = workspaceRoot(vscode);
    if (!root) return void vscode.window.showWarningMessage(t.noWorkspace);
    const { sdk } = sdkFor(root);
    const state = readProjectState(root, sdk);
    const lines = statusLines(state, t);
    for (const l of lines) output.appendLine(l);
    output.show(true);
    return state;
  }

  async function resolveGate() {
    const root = workspaceRoot(vscode);
    if (!root) return void vscode.window.showWarningMessage(t.noWorkspace);
    const { sdk } = sdkFor(root);
    if (!sdk) return void vscode.window.showWarningMessage(t.noSdk);
    const state = readProjectState(root, sdk);
    if (!state.gates.length) return void vscode.window.showInformationMessage(t.noGates);
    const picked = await vscode.window.showQuickPick(
      state.gates.map((g) => ({ label: g.gateId, description: [g.workItemId, g.action].filter(Boolean).join(' · '), detail: g.description || '', gate: g })),
      { placeHolder: t.pickGate },
    );
    if (!picked) return undefined;
    const decision = await vscode.window.showQuickPick(['approve', 'reject', 'waive'], { placeHolder: t.pickDecision });
    if (!decision) return undefined;
    let reason;
    if (decision !== 'approve') {
      reason = await vscode.window.showInputBox({ prompt: t.reasonPrompt, validateInput: (v) => (v && v.trim() ? null : t.reasonPrompt) });
      if (!reason) return undefined;
    }
    const result = await sdk.operational.resolveRuntimeGate(root, state.activeSession, {
      gateId: picked.gate.gateId,
      runId: picked.gate.runId || undefined,
      decision,
      actor: 'vscode',
      reason,
    });
    vscode.window.showInformationMessage(fill(t.gateResolved, { gate: picked.gate.gateId, decision }));
    return result;
  }

  return { showStatus, resolveGate };
}

module.exports = { createCommands, statusLines };
