'use strict';
// Project state for the chat participants, read through the oxe-cc SDK:
// phase, active session, the suggested next step, pending gates and the
// plan's shape. Without an SDK it asks the CLI (`oxe-cc status --json`).

const fs = require('fs');
const path = require('path');
const { runCliJson } = require('./oxeSdk');

function stateFile(root) {
  return path.join(root, '.oxe', 'STATE.md');
}

function isInitialized(root) {
  return fs.existsSync(stateFile(root));
}

function planSummary(sdk, root, activeSession) {
  const candidates = [];
  if (activeSession) candidates.push(path.join(root, '.oxe', activeSession, 'plan', 'PLAN.md'));
  candidates.push(path.join(root, '.oxe', 'PLAN.md'));
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const plan = sdk.parsePlan(fs.readFileSync(file, 'utf8'));
    const tasks = Array.isArray(plan.tasks) ? plan.tasks : [];
    const waves = plan.waves && typeof plan.waves === 'object' ? Object.keys(plan.waves).length : 0;
    return {
      path: path.relative(root, file).split(path.sep).join('/'),
      taskCount: tasks.length,
      waveCount: waves,
      tasks: tasks.map((t) => ({ id: t.id, title: t.title, wave: t.wave, done: Boolean(t.done) })),
    };
  }
  return null;
}

function gateList(queue) {
  const pending = queue && Array.isArray(queue.pending) ? queue.pending : [];
  return pending.map((g) => ({
    gateId: g.gate_id,
    runId: g.run_id || null,
    workItemId: g.work_item_id || null,
    action: g.action || null,
    requestedAt: g.requested_at || null,
    description: (g.context && g.context.description) || null,
  }));
}

/**
 * @returns {{source:'sdk'|'cli'|'none', phase:string|null, activeSession:string|null,
 *   next:{step:string, command:string|null, reason:string}|null, gates:object[],
 *   plan:object|null, healthStatus:string|null}}
 */
function readProjectState(root, sdk, opts = {}) {
  if (sdk) {
    const report = sdk.health.buildHealthReport(root);
    const next = report.next
      ? { step: report.next.step, command: report.next.cursorCmd || null, reason: report.next.reason || '' }
      : null;
    return {
      source: 'sdk',
      phase: report.phase || null,
      activeSession: report.activeSession || null,
      next,
      gates: gateList(report.pendingGates || report.gateQueue),
      plan: planSummary(sdk, root, report.activeSession || null),
      healthStatus: report.healthStatus || null,
    };
  }
  const status = runCliJson(root, ['status', '--json', '--dir', root], opts);
  if (!status) {
    return { source: 'none', phase: null, activeSession: null, next: null, gates: [], plan: null, healthStatus: null };
  }
  return {
    source: 'cli',
    phase: status.phase || null,
    activeSession: status.activeSession || null,
    next: status.nextStep
      ? { step: status.nextStep, command: status.cursorCmd || null, reason: status.reason || '' }
      : null,
    gates: [],
    plan: null,
    healthStatus: status.healthStatus || null,
  };
}

module.exports = { readProjectState, isInitialized, stateFile };
