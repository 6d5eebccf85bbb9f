// A consumer with deliberate type errors. tests/types.test.js runs tsc on it
// with the same options as consumer.ts and expects it to FAIL, with an error
// on every line marked `// expect-error` and on no other line. This proves
// the type check can fail and that the typings are not silently `any`.

import {
  compile,
  createJournal,
  saveJournal,
  stepReplay,
  AgentRegistry,
  CURRENT_ABI_VERSION,
  EvidenceStore,
  GateManager,
  InplaceWorkspaceManager,
  PolicyEngine,
  Scheduler,
  verifyRun,
  security,
  health,
  parsePlan,
} from '../..';
import type { ExecutionGraph, GraphNode, OxeEvent, ReplayStep, RunResult, SchedulerContext } from '../..';

export function misuse(graph: ExecutionGraph, events: OxeEvent[]): void {
  const first: GraphNode = graph.nodes[0]; // expect-error
  saveJournal(42, 'run-1', createJournal('run-1')); // expect-error
  const steps: ReplayStep[] = stepReplay(events); // expect-error
  compile({ tasks: [], waves: {}, totalTasks: 0 }, { objective: null, criteria: [] }, { default_max_retries: '2' }); // expect-error
  void first;
  void steps;
}

export function misuseSdk(): void {
  security.checkPathSafety(42, '/tmp/project'); // expect-error
  const report: string = health.buildHealthReport('/tmp/project').healthStatus === 'ok' ? 'x' : 'y'; // expect-error
  const waves: string[] = parsePlan('').waves; // expect-error
  void report;
  void waves;
}

export async function misuseValues(graph: ExecutionGraph, ctx: SchedulerContext, registry: AgentRegistry): Promise<void> {
  const result: RunResult = new Scheduler().run(graph, ctx); // expect-error
  registry.agents.clear(); // expect-error
  const gates = new GateManager('/tmp/project'); // expect-error
  const abi: number = CURRENT_ABI_VERSION; // expect-error
  new InplaceWorkspaceManager('/tmp/project').isolation_level = 'shared'; // expect-error
  await new EvidenceStore('/tmp/project').collect('stdout', 42, { work_item_id: 'T1', run_id: 'r', attempt_number: 1 }); // expect-error
  await verifyRun({ projectRoot: '/tmp/project', runId: 'r', workItemId: 'T1', cwd: '/tmp/project' }); // expect-error
  new PolicyEngine().evaluate({ side_effect_class: 'network_call' }); // expect-error
  void result;
  void gates;
  void abi;
}
