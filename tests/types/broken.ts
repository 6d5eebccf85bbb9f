// A consumer with deliberate type errors. tests/types.test.js runs tsc on it
// with the same options as consumer.ts and expects it to FAIL, with an error
// on every line marked `// expect-error` and on no other line. This proves
// the type check can fail and that the typings are not silently `any`.

import { compile, createJournal, saveJournal, stepReplay } from '../..';
import type { ExecutionGraph, GraphNode, OxeEvent, ReplayStep } from '../..';

export function misuse(graph: ExecutionGraph, events: OxeEvent[]): void {
  const first: GraphNode = graph.nodes[0]; // expect-error
  saveJournal(42, 'run-1', createJournal('run-1')); // expect-error
  const steps: ReplayStep[] = stepReplay(events); // expect-error
  compile({ tasks: [], waves: {}, totalTasks: 0 }, { objective: null, criteria: [] }, { default_max_retries: '2' }); // expect-error
  void first;
  void steps;
}
