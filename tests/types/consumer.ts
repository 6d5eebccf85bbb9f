// A TypeScript consumer of the package typings (index.d.ts, reached through
// package.json "types" by importing the package root). tests/types.test.js
// type-checks it with tsc (strict) and, when the addon loads, also runs the
// transpiled `exercise` function so the typings are checked against real
// values too. Annotations are explicit on purpose: if a declaration drifts
// (a Map typed as an array, a nullable return typed as non-null, …) tsc fails.
// No Node type declarations are needed here or in index.d.ts.

import {
  EVENT_TYPES,
  isValidEventType,
  appendEvent,
  readEvents,
  filterByRun,
  filterByWorkItem,
  createEmptyRunState,
  reduce,
  applyEventExported,
  getWorkItemStatus,
  getAttemptCount,
  getRetryCount,
  getPolicyDecision,
  getVerificationStatus,
  getEvidenceRefs,
  getToolFailures,
  stepReplay,
  replayUntil,
  replaySlice,
  compile,
  validateGraph,
  toSerializable,
  fromSerializable,
  saveJournal,
  loadJournal,
  deleteJournal,
  createJournal,
} from '../..';
import type {
  Action,
  AgentSpec,
  Attempt,
  AuditEntry,
  CICheck,
  CICheckResult,
  CompilerOptions,
  CoordinationOptions,
  EventInput,
  EventType,
  EvidenceContent,
  ExecutionGraph,
  ExecutionGraphMetadata,
  GateToken,
  GraphEdge,
  GraphNode,
  OxeEvent,
  OxePlugin,
  ParsedPlan,
  ParsedSpec,
  ParsedSpecCriterion,
  ParsedTask,
  PersistedPolicyDecision,
  PolicyDecisionRecord,
  ReplayStep,
  RunJournal,
  RunQuota,
  RunResult,
  RunState,
  SchedulerContext,
  SnapshotRef,
  TaskExecutor,
  TaskResult,
  ToolFailureRecord,
  ToolProvider,
  VerificationManifest,
  Wave,
  WorkItem,
  WorkItemStatus,
  WorkspaceLease,
  WorkspaceManager,
  WorkspaceRequest,
} from '../..';
// The CommonJS form a `require('oxe-cc')` user writes.
import oxe = require('../..');

/** What `exercise` reports back to the test that runs it. */
export interface ExerciseSummary {
  eventTypeCount: number;
  nodeIds: string[];
  waveNumbers: number[];
  edges: string[];
  problems: string[];
  serializedNodeKeys: string[];
  completed: string[];
  blocked: string[];
  retries: number;
  attempts: number;
  evidence: string[];
  toolFailures: number;
  pendingGates: number;
  replaySteps: number;
  firstCompletedIndex: number | null;
  sliceIndexes: number[];
  statusAfterReplay: WorkItemStatus | null;
  journalState: RunJournal['scheduler_state'] | null;
  journalAfterDelete: RunJournal | null;
  eventsOnDisk: number;
  eventsForT2: number;
}

// ---------------------------------------------------------------------------
// Inputs: a plan and a spec as the CLI parses them
// ---------------------------------------------------------------------------

const tasks: ParsedTask[] = [
  {
    id: 'T1',
    title: 'Add the parser',
    wave: 1,
    dependsOn: [],
    files: ['src/parser.ts'],
    verifyCommand: 'npm test',
    aceite: ['A1'],
    done: false,
  },
  {
    id: 'T2',
    title: 'Wire the CLI',
    wave: 2,
    dependsOn: ['T1'],
    files: [],
    verifyCommand: null,
    aceite: ['A2'],
    done: false,
    meta: { owner: 'cli' },
  },
];

const plan: ParsedPlan = { tasks, waves: { 1: ['T1'], 2: ['T2'] }, totalTasks: tasks.length };

const criteria: ParsedSpecCriterion[] = [
  { id: 'A1', criterion: 'Parses the input', howToVerify: 'npm test' },
  { id: 'A2', criterion: 'The CLI prints help', howToVerify: '# manual' },
];
const spec: ParsedSpec = { objective: 'Ship the parser', criteria };

const options: CompilerOptions = { default_workspace_strategy: 'inplace', default_max_retries: 1 };

// ---------------------------------------------------------------------------
// Implementations of the runtime's callback contracts (types only for now)
// ---------------------------------------------------------------------------

const executor: TaskExecutor = {
  async execute(node: GraphNode, lease: WorkspaceLease, runId: string, attemptNumber: number): Promise<TaskResult> {
    const ok: boolean = node.mutation_scope.length >= 0 && lease.root_path.length > 0;
    return { success: ok, failure_class: ok ? null : 'env', evidence: [`${runId}-${attemptNumber}`], output: '' };
  },
};

const workspaceManager: WorkspaceManager = {
  isolation_level: 'shared',
  async allocate(req: WorkspaceRequest): Promise<WorkspaceLease> {
    return {
      workspace_id: `ws-${req.work_item_id}-a${req.attempt_number}`,
      strategy: req.strategy,
      isolation_level: 'shared',
      branch: null,
      base_commit: null,
      root_path: '.',
      ttl_minutes: 60,
    };
  },
  async snapshot(id: string): Promise<SnapshotRef> {
    return { snapshot_id: 'snap-1', workspace_id: id, commit: 'HEAD', created_at: new Date(0).toISOString() };
  },
  async reset(): Promise<void> {},
  async dispose(): Promise<void> {},
};

const quota: RunQuota = {
  run_id: 'run-1',
  max_work_items: Infinity,
  max_mutations: 10,
  max_retries_total: 3,
  consumed_work_items: 0,
  consumed_mutations: 0,
  consumed_retries: 0,
};

const seen: OxeEvent[] = [];
export const schedulerContext: SchedulerContext = {
  projectRoot: '/tmp/project',
  sessionId: null,
  runId: 'run-1',
  executor,
  workspaceManager,
  quota,
  onEvent: (event: OxeEvent) => {
    seen.push(event);
  },
};

export const agents: AgentSpec[] = [
  { id: 'a', executor, workspaceManager },
  { id: 'b', executor, workspaceManager, assignedTaskIds: ['T2'] },
];
export const coordination: CoordinationOptions = {
  mode: 'parallel',
  agents,
  projectRoot: '/tmp/project',
  sessionId: null,
  runId: 'run-1',
  onEvent: schedulerContext.onEvent,
};

const echoTool: ToolProvider = {
  name: 'echo',
  kind: 'read',
  idempotent: true,
  supports: (actionType: string) => actionType === 'read_code',
  invoke: async (input) => ({
    success: true,
    output: input.action_type,
    evidence_paths: [],
    side_effects_applied: [],
  }),
};
export const plugin: OxePlugin = { name: 'echo-plugin', version: '1.0.0', abi_version: '1', toolProviders: [echoTool] };

export const ciCheck: CICheck = {
  name: 'always-pass',
  description: 'A custom CI check',
  async run(ctx): Promise<CICheckResult> {
    return { check: this.name, status: 'pass', message: ctx.projectRoot };
  },
};

/** Shapes a reader of persisted artifacts would touch. */
export function describeArtifacts(
  gate: GateToken,
  decision: PersistedPolicyDecision,
  manifest: VerificationManifest,
  audit: AuditEntry,
  evidence: EvidenceContent,
  result: RunResult,
): string[] {
  const history: number = gate.resolution_history?.length ?? 0;
  const bytes: number = evidence.content.byteLength;
  const pending: string[] = result.pending_gates ?? [];
  return [
    `${gate.gate_id}:${gate.status}:${history}`,
    `${decision.rule_id ?? 'none'}:${decision.context.tool}`,
    `${manifest.summary.all_passed}:${manifest.checks.length}`,
    `${audit.severity}:${audit.action}`,
    `${evidence.evidence.type}:${bytes}`,
    `${result.status}:${pending.length}`,
  ];
}

// ---------------------------------------------------------------------------
// Implemented values, used the way a consumer would
// ---------------------------------------------------------------------------

export function exercise(projectRoot: string): ExerciseSummary {
  // events catalog
  const types: readonly EventType[] = EVENT_TYPES;
  const first: 'SessionCreated' = EVENT_TYPES[0];
  const last: 'LessonPromoted' = EVENT_TYPES[20];
  const candidate: string = 'RunStarted';
  let checked: EventType = first;
  if (isValidEventType(candidate)) checked = candidate; // narrowed to EventType
  if (checked === last) throw new Error('unexpected narrowing');

  // compile and inspect the graph
  const graph: ExecutionGraph = compile(plan, spec, options);
  const again: ExecutionGraph = oxe.compile(plan, spec); // options are optional
  const nodeIds: string[] = [];
  for (const [id, node] of graph.nodes) {
    const actions: Action[] = node.actions;
    const kinds: Action['type'][] = actions.map((a: Action) => a.type);
    if (kinds.length === 0 || id !== node.id) throw new Error('bad node');
    nodeIds.push(id);
  }
  const t1: GraphNode | undefined = graph.nodes.get('T1');
  if (t1 === undefined || t1.verify.command === undefined) throw new Error('T1 missing');
  const retriesAllowed: number = t1.policy.max_retries;
  const waves: Wave[] = graph.waves;
  const edges: GraphEdge[] = graph.edges;
  const meta: ExecutionGraphMetadata = again.metadata;
  if (meta.node_count !== again.nodes.size || retriesAllowed < 0) throw new Error('bad metadata');

  const problems: string[] = validateGraph(graph);
  const serial: Record<string, unknown> = toSerializable(graph);
  const roundTrip: ExecutionGraph = fromSerializable(JSON.parse(JSON.stringify(serial)) as Record<string, unknown>);
  const serialNodes = serial.nodes as Record<string, GraphNode>;

  // events: write a few to the log, read them back
  const runId = 'run-types';
  const base: Omit<EventInput, 'type'> = { run_id: runId, payload: {} };
  const inputs: EventInput[] = [
    { ...base, type: 'RunStarted', payload: { run_id: runId } },
    { ...base, type: 'WorkItemReady', work_item_id: 'T1', payload: { title: 'Add the parser' } },
    { ...base, type: 'AttemptStarted', work_item_id: 'T1', attempt_id: 'T1-a1', payload: { attempt_number: 1 } },
    { ...base, type: 'RetryScheduled', work_item_id: 'T1', payload: { next_attempt: 2, reason: 'env' } },
    { ...base, type: 'ToolFailed', work_item_id: 'T1', payload: { tool: 'echo', error: 'boom' } },
    { ...base, type: 'GateRequested', work_item_id: 'T1', payload: { gate_id: 'gate-1' } },
    { ...base, type: 'WorkItemCompleted', work_item_id: 'T1', payload: { evidence: ['ev-1'] } },
    { ...base, type: 'WorkItemBlocked', work_item_id: 'T2', payload: { reason: 'dependency_not_met' } },
  ];
  const appended: OxeEvent[] = inputs.map((input: EventInput) => appendEvent(projectRoot, null, input));
  const onDisk: OxeEvent[] = readEvents(projectRoot, null);
  const forRun: OxeEvent[] = filterByRun(onDisk, runId);
  const forT2: OxeEvent[] = filterByWorkItem(forRun, 'T2');

  // reduce into RunState and use its Maps and Sets
  const state: RunState = reduce(appended);
  const completed: string[] = [...state.completedWorkItems];
  const blocked: Set<string> = state.blockedWorkItems;
  const item: WorkItem | undefined = state.workItems.get('T1');
  const status: WorkItemStatus | null = getWorkItemStatus(state, 'T1');
  if (item !== undefined && item.status !== status) throw new Error('status mismatch');
  const retries: number = getRetryCount(state, 'T1');
  const attempts: number = getAttemptCount(state, 'T1');
  const attemptList: Attempt[] = state.attempts.get('T1') ?? [];
  if (attemptList.length !== attempts || attemptList.some((a: Attempt) => a.work_item_id !== 'T1')) {
    throw new Error('attempts mismatch');
  }
  const policy: PolicyDecisionRecord | null = getPolicyDecision(state, 'T1');
  const verification: 'started' | 'completed' | 'failed' | null = getVerificationStatus(state, 'T1');
  const evidence: string[] = getEvidenceRefs(state, 'T1');
  const failures: ToolFailureRecord[] = getToolFailures(state, 'T1');
  if (policy !== null || verification !== null) throw new Error('unexpected policy/verification');

  // a consumer can hand-build state too, and fold one more event in
  const empty: RunState = createEmptyRunState();
  empty.pendingGates.add('gate-0');
  empty.retryCounts.set('T9', 4);
  const next: RunState = applyEventExported(empty, appended[5]);
  const pendingGates: number = next.pendingGates.size;

  // replay
  let replaySteps = 0;
  let lastState: RunState = empty;
  for (const step of stepReplay(appended)) {
    const s: ReplayStep = step;
    replaySteps += 1;
    lastState = s.state;
  }
  const iterator: Generator<ReplayStep> = stepReplay(appended);
  const firstStep: IteratorResult<ReplayStep> = iterator.next();
  if (firstStep.done) throw new Error('empty replay');
  const found: ReplayStep | null = replayUntil(appended, (s: ReplayStep) => s.event.type === 'WorkItemCompleted');
  const slice: ReplayStep[] = replaySlice(appended, 1, 3);

  // the run journal
  const journal: RunJournal = createJournal(runId);
  journal.completed_work_items.push(...completed);
  journal.partial_result = { run_id: runId, completed, failed: [], blocked: [...blocked] };
  saveJournal(projectRoot, runId, journal);
  const loaded: RunJournal | null = loadJournal(projectRoot, runId);
  const journalState: RunJournal['scheduler_state'] | null = loaded ? loaded.scheduler_state : null;
  deleteJournal(projectRoot, runId);
  const journalAfterDelete: RunJournal | null = oxe.loadJournal(projectRoot, runId);

  return {
    eventTypeCount: types.length,
    nodeIds,
    waveNumbers: waves.map((w: Wave) => w.wave_number),
    edges: edges.map((e: GraphEdge) => `${e.from}->${e.to}:${e.type}`),
    problems,
    serializedNodeKeys: Object.keys(serialNodes).filter((k: string) => roundTrip.nodes.has(k)),
    completed,
    blocked: [...blocked],
    retries,
    attempts,
    evidence,
    toolFailures: failures.length,
    pendingGates,
    replaySteps,
    firstCompletedIndex: found ? found.index : null,
    sliceIndexes: slice.map((s: ReplayStep) => s.index),
    statusAfterReplay: getWorkItemStatus(lastState, 'T1'),
    journalState,
    journalAfterDelete,
    eventsOnDisk: onDisk.length,
    eventsForT2: forT2.length,
  };
}

// ---------------------------------------------------------------------------
// Things the typings must reject (each line below is a compile error)
// ---------------------------------------------------------------------------

export function rejected(graph: ExecutionGraph, state: RunState): void {
  // @ts-expect-error EVENT_TYPES is a readonly tuple (even a valid name cannot be pushed)
  EVENT_TYPES.push('RunStarted');
  // @ts-expect-error EVENT_TYPES entries are read-only
  EVENT_TYPES[0] = 'SessionCreated';
  // @ts-expect-error graph.nodes is a Map, not an array
  graph.nodes.forEach((_node: GraphNode, _index: number, _all: GraphNode[]) => undefined);
  // @ts-expect-error completedWorkItems is a Set of ids, not an array
  state.completedWorkItems.includes('T1');
  // @ts-expect-error getWorkItemStatus can return null
  const status: WorkItemStatus = getWorkItemStatus(state, 'T1');
  // @ts-expect-error loadJournal can return null
  const journal: RunJournal = loadJournal('/tmp/project', 'run-1');
  // @ts-expect-error the event type must be one of the 21 catalog names
  const bad: EventInput = { type: 'WorkItemFailed' };
  // @ts-expect-error validateGraph returns messages, not a boolean
  const ok: boolean = validateGraph(graph);
  // @ts-expect-error the plan is required
  compile(undefined, { objective: null, criteria: [] });
  void status;
  void journal;
  void bad;
  void ok;
}
