'use strict';
// Builds the system prompt a participant sends to the chat model, from the
// workflow's context pack and the project state (both read via the SDK).

const { fill } = require('./i18n');
const { artifactSections, pendingHypotheses, criticalGaps } = require('./contextPack');

const DEFAULT_CONTRACT = {
  reasoning_mode: 'status',
  question_policy: 'none',
  output_contract: 'routing',
  tool_profile: 'read_heavy',
  confidence_policy: 'explicit',
};

const DEFAULT_GUIDANCE = {
  discovery: ['Map before you judge: cite the files you read.', 'Separate facts from assumptions.', 'Ask only what blocks the next step.'],
  planning: ['Every task is small, ordered and verifiable.', 'Tie each task to acceptance criteria.', 'State the plan confidence and its weakest point.'],
  execution: ['Change only what the current task needs.', 'Run the task verification and keep the evidence.', 'Stop and report on a blocker instead of improvising.'],
  review: ['Judge against the spec and the evidence, not intentions.', 'Each finding names a file, a criterion or a command.', 'Say what was not verified.'],
  status: ['Read the state before answering.', 'Answer briefly and point to the next command.', 'Do not change files.'],
};

function bulletList(lines) {
  return lines.map((l) => `- ${l}`).join('\n');
}

function build({ slug, pack, state, subCommand, t }) {
  const contract = { ...DEFAULT_CONTRACT, ...((pack && pack.contract) || {}) };
  const parts = [];
  parts.push(fill(t.identity, { slug }));
  parts.push(
    `## ${t.contract}\n` +
      bulletList([
        `${t.mode}: ${contract.reasoning_mode}`,
        `${t.questions}: ${contract.question_policy}`,
        `${t.output}: ${contract.output_contract}`,
        `${t.tools}: ${contract.tool_profile}`,
        `${t.confidence}: ${contract.confidence_policy}`,
      ]),
  );
  const guidance =
    Array.isArray(contract.guidance) && contract.guidance.length
      ? contract.guidance
      : DEFAULT_GUIDANCE[contract.reasoning_mode] || DEFAULT_GUIDANCE.status;
  parts.push(`## ${t.guidance}\n${bulletList(guidance)}`);

  const quick = [
    `${t.phase}: ${state.phase || t.unknown}`,
    `${t.session}: ${state.activeSession || t.none}`,
    `${t.nextStep}: ${state.next ? `${state.next.command || state.next.step} — ${state.next.reason}` : t.none}`,
  ];
  if (state.plan) {
    const done = state.plan.tasks.filter((x) => x.done).length;
    quick.push(`${t.plan}: ${state.plan.path}, ${fill(t.tasksWaves, { tasks: state.plan.taskCount, waves: state.plan.waveCount, done })}`);
  }
  quick.push(`${t.gates}: ${state.gates.length ? state.gates.map((g) => g.gateId).join(', ') : t.none}`);
  parts.push(`## ${t.quickContext}\n${bulletList(quick)}`);

  const artifacts = artifactSections(pack);
  if (artifacts.length) {
    const body = artifacts
      .map((a) => `### ${a.title}${a.fallback ? ' [fallback]' : ''}${a.required ? ' [required]' : ''}\n${a.text}`)
      .join('\n\n');
    parts.push(`## ${t.artifacts}\n${body}`);
  }
  const hyps = pendingHypotheses(pack);
  if (hyps.length) {
    parts.push(`## ${t.hypotheses}\n${bulletList(hyps.map((h) => `${h.id}: ${h.condition || ''}${h.checkpoint ? ` (${h.checkpoint})` : ''}`))}`);
  }
  const gaps = criticalGaps(pack);
  if (gaps.length) parts.push(`## ${t.gapsTitle}\n${bulletList(gaps.map((g) => `${g.alias}: ${g.reason}`))}`);

  const notes = [];
  if (pack && pack.context_quality && pack.context_quality.status === 'critical') notes.push(t.critical);
  if (pack && pack.fallback_required) notes.push(t.fallback);
  if (pack && pack.freshness && pack.freshness.stale) notes.push(fill(t.stale, { reason: pack.freshness.reason || 'stale', slug }));
  if (notes.length) parts.push(`## ${t.quality}\n${bulletList(notes)}`);

  const final = [fill(t.workflowFile, { slug }), t.instructions];
  if (subCommand && t.sub[subCommand]) final.push(`**${t.sub[subCommand]}**`);
  parts.push(final.join('\n'));
  return parts.join('\n\n');
}

module.exports = { build, DEFAULT_CONTRACT, DEFAULT_GUIDANCE };
