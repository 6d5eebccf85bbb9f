// A TypeScript consumer of the package typings (index.d.ts, reached through
// package.json "types" by importing the package root). tests/types.test.js
// type-checks it with tsc (strict) and, when the addon loads, also runs the
// transpiled `exercise` function and the `exercise<Area>` functions so the
// typings are checked against real values too (`typeOnlyExternalTools` needs
// git, gh or Docker and is only type-checked). Annotations are explicit on purpose: if a declaration drifts
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
  // scheduler, agents, multi-agent
  Scheduler,
  AgentRegistry,
  ArbitrationEngine,
  createBudget,
  consumeBudget,
  isBudgetExhausted,
  buildHandoff,
  MultiAgentCoordinator,
  multiAgentStatePath,
  loadMultiAgentState,
  // workspace, evidence
  InplaceWorkspaceManager,
  GitWorktreeManager,
  EphemeralContainerManager,
  EvidenceStore,
  // verification
  compileVerification,
  runCheck,
  runSuite,
  executeSuite,
  verifyRun,
  summarizeSuite,
  classifyFailure,
  buildManifest,
  buildRiskLedger,
  summarizeEvidenceCoverage,
  saveManifest,
  loadManifest,
  saveRiskLedger,
  loadRiskLedger,
  saveEvidenceCoverage,
  loadEvidenceCoverage,
  // policy, gate, projection
  PolicyEngine,
  savePolicyDecision,
  loadPolicyDecisions,
  summarizePolicyDecisions,
  GateManager,
  listPendingGates,
  resolveGate,
  ProjectionEngine,
  // plugins
  CURRENT_ABI_VERSION,
  extractManifest,
  validatePlugin,
  isAbiCompatible,
  sandboxInvoke,
  PluginRegistry,
  globalRegistry,
  resetGlobalRegistry,
  registrySummary,
  resolveCapabilityMatrix,
  buildMatrix,
  getStableEntries,
  getExperimentalEntries,
  getDeprecatedEntries,
  markDeprecated,
  addEntry,
  createCapabilityPlugin,
  loadCapabilityPlugins,
  // delivery
  BranchManager,
  PRManager,
  planConsistencyCheck,
  verifyAcceptanceCheck,
  policyCheck,
  securityBaselineCheck,
  runtimeEvidenceIntegrityCheck,
  OXE_CI_CHECKS,
  runCIChecks,
  summarizeCIResults,
  commitRecordPath,
  promotionRecordPath,
  saveCommitRecord,
  loadCommitRecord,
  savePromotionRecord,
  loadPromotionRecord,
  MergeGateEvaluator,
  PromotionPipeline,
  // context
  DEFAULT_PROFILES,
  getProfile,
  ContextPackBuilder,
  scorePackQuality,
  savePack,
  loadPack,
  markStale,
  isStale,
  diffPacks,
  listPackMeta,
  linkPackToAttempt,
  getPackRefForAttempt,
  // decision
  DecisionEngine,
  appendDecision,
  loadDecisionLog,
  queryDecisions,
  StrategySelector,
  buildBlastRadius,
  buildRollbackPlan,
  buildMemo,
  saveMemo,
  loadMemo,
  listMemos,
  // audit
  AuditTrail,
  createQuota,
  checkQuota,
  consumeQuota,
  savePolicyPack,
  loadPolicyPack,
  listPolicyPacks,
  applyPolicyPack,
  // SDK own keys
  version,
  name as packageName,
  PACKAGE_ROOT,
  parsePlan,
  parseState,
  parseConfidenceVector,
  runDoctorChecks,
  health,
  security,
  plugins,
  operational,
  context,
} from '../..';
import type {
  AcceptanceCheck,
  AcceptanceCheckSuite,
  Action,
  AgentBudget,
  AgentSpec,
  ArbitrationRecord,
  Attempt,
  AuditEntry,
  AuditMetrics,
  BlastRadiusEstimate,
  BranchInfo,
  CapabilityMatrix,
  CheckResult,
  CICheck,
  CICheckResult,
  CommitRecord,
  CompilerOptions,
  ContextArtifact,
  ContextPack,
  ContextPackDiff,
  ContextPackMeta,
  ContextPackRef,
  ContextProfile,
  ContextQualityScore,
  CooperativeHandoff,
  CoordinationOptions,
  CoordinationResult,
  DecisionInput,
  DecisionLog,
  DecisionMemo,
  DecisionRecord,
  EnvironmentGuardrail,
  EventInput,
  EventType,
  Evidence,
  EvidenceCollectOptions,
  EvidenceContent,
  EvidenceCoverageSummary,
  ExecutedVerificationSuite,
  ExecutionGraph,
  ExecutionGraphMetadata,
  FailureClass,
  GateContext,
  GateQueueSnapshot,
  GateResolution,
  GateToken,
  GraphEdge,
  GraphNode,
  LessonMetric,
  MergeGateReport,
  MultiAgentStatusSnapshot,
  OxeEvent,
  OxePlugin,
  ParsedPlan,
  ParsedSpec,
  ParsedSpecCriterion,
  ParsedTask,
  PersistedPolicyDecision,
  PluginManifest,
  PluginValidationResult,
  PolicyDecision,
  PolicyDecisionRecord,
  PolicyPack,
  PolicyRule,
  PRDraftOptions,
  PromotionOptions,
  PromotionRecord,
  ProviderCapabilityEntry,
  PRResult,
  QuotaViolation,
  RegisteredAgent,
  RemoteAuditSink,
  ReplayStep,
  ResidualRiskLedger,
  RollbackPlan,
  RunJournal,
  RunPRLink,
  RunQuota,
  RunResult,
  RunState,
  SchedulerContext,
  SnapshotRef,
  TaskExecutor,
  TaskResult,
  ToolFailureRecord,
  ToolInvocationResult,
  ToolProvider,
  VerificationManifest,
  VerificationResult,
  VerifyRunResult,
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
// Implementations of the runtime's callback contracts
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
// Every runtime area, driven the way a consumer would (each function gets a
// fresh project folder from the test; none needs git, gh or Docker)
// ---------------------------------------------------------------------------

const inplacePlanOptions: CompilerOptions = { default_workspace_strategy: 'inplace', default_max_retries: 0 };

/** A plain-object executor that succeeds and records what it ran. */
function recordingExecutor(ran: string[]): TaskExecutor {
  return {
    async execute(node: GraphNode, lease: WorkspaceLease, runId: string, attemptNumber: number): Promise<TaskResult> {
      ran.push(`${node.id}@${lease.isolation_level}#${attemptNumber}`);
      return { success: true, failure_class: null, evidence: [`${runId}:${node.id}`], output: 'ok' };
    },
  };
}

/** A plain-object workspace manager that reports isolated workspaces rooted at `root`. */
function isolatedManager(root: string, tag: string): WorkspaceManager {
  return {
    isolation_level: 'isolated',
    async allocate(req: WorkspaceRequest): Promise<WorkspaceLease> {
      return {
        workspace_id: `ws-${tag}-${req.work_item_id}-a${req.attempt_number}`,
        strategy: req.strategy,
        isolation_level: 'isolated',
        branch: null,
        base_commit: null,
        root_path: root,
        ttl_minutes: 5,
      };
    },
    async snapshot(id: string): Promise<SnapshotRef> {
      return { snapshot_id: `snap-${tag}`, workspace_id: id, commit: 'HEAD', created_at: new Date(0).toISOString() };
    },
    async reset(_id: string, _snap: SnapshotRef): Promise<void> {},
    async dispose(_id: string): Promise<void> {},
  };
}

export interface SchedulerSummary {
  status: RunResult['status'];
  completed: string[];
  ran: string[];
  eventTypes: EventType[];
  journalBefore: RunJournal | null;
  journalState: RunJournal['scheduler_state'] | null;
  persistedState: RunJournal['scheduler_state'] | null;
  recovered: RunResult | null;
  cancelledStatus: RunResult['status'];
  lease: WorkspaceLease;
}

/** Scheduler.run with a plain-object executor and the InplaceWorkspaceManager. */
export async function exerciseScheduler(projectRoot: string): Promise<SchedulerSummary> {
  const graph: ExecutionGraph = compile(plan, spec, inplacePlanOptions);
  const ran: string[] = [];
  const inplace: InplaceWorkspaceManager = new InplaceWorkspaceManager(projectRoot);
  const shared: 'shared' = inplace.isolation_level;
  const lease: WorkspaceLease = await inplace.allocate({
    work_item_id: 'T1',
    attempt_number: 1,
    strategy: 'inplace',
    mutation_scope: [],
  });
  const snap: SnapshotRef = await inplace.snapshot(lease.workspace_id);
  await inplace.reset(lease.workspace_id, snap);
  await inplace.dispose(lease.workspace_id);

  const events: OxeEvent[] = [];
  const ctx: SchedulerContext = {
    projectRoot,
    sessionId: null,
    runId: 'run-sched',
    executor: recordingExecutor(ran),
    workspaceManager: inplace,
    policyActor: 'types-test',
    onEvent: (event: OxeEvent) => {
      events.push(event);
    },
  };
  const scheduler: Scheduler = new Scheduler();
  const journalBefore: RunJournal | null = scheduler.getJournal();
  const result: RunResult = await scheduler.run(graph, ctx);
  const live: RunJournal | null = scheduler.getJournal();
  const persisted: RunJournal | null = Scheduler.loadJournal(projectRoot, 'run-sched');
  // recover only resumes a paused journal; a completed one gives null
  const recovered: RunResult | null = await new Scheduler().recover('run-sched', ctx, graph);

  // cancel() is re-entrant: an executor may call it on its own scheduler
  const cancelling: Scheduler = new Scheduler();
  const cancelled: RunResult = await cancelling.run(graph, {
    ...ctx,
    runId: 'run-cancel',
    onEvent: undefined,
    executor: {
      async execute(): Promise<TaskResult> {
        cancelling.cancel();
        return { success: false, failure_class: 'env', evidence: [], output: 'cancelled by the executor' };
      },
    },
  });
  return {
    status: result.status,
    completed: result.completed,
    ran: ran.map((r: string) => (shared === 'shared' ? r : `?${r}`)),
    eventTypes: events.map((e: OxeEvent) => e.type),
    journalBefore,
    journalState: live ? live.scheduler_state : null,
    persistedState: persisted ? persisted.scheduler_state : null,
    recovered,
    cancelledStatus: cancelled.status,
    lease,
  };
}

export interface GovernedRunSummary {
  status: RunResult['status'];
  blocked: string[];
  pendingGates: string[];
  gatesListed: number;
  decisions: number;
  audited: string[];
}

/** A scheduler run whose context carries a real PolicyEngine, GateManager and AuditTrail. */
export async function exerciseGovernedRun(projectRoot: string): Promise<GovernedRunSummary> {
  const graph: ExecutionGraph = compile(plan, spec, inplacePlanOptions);
  const gatePatches: PolicyRule = {
    id: 'gate-patches',
    when: { tool: 'generate_patch' },
    action: 'require_human_gate',
  };
  const ctx: SchedulerContext = {
    projectRoot,
    sessionId: null,
    runId: 'run-governed',
    executor: recordingExecutor([]),
    workspaceManager: new InplaceWorkspaceManager(projectRoot),
    policyEngine: new PolicyEngine([gatePatches]),
    gateManager: new GateManager(projectRoot, null, 'run-governed'),
    auditTrail: new AuditTrail(projectRoot),
    quota: createQuota('run-governed'),
  };
  const result: RunResult = await new Scheduler().run(graph, ctx);
  const gates: GateToken[] = ctx.gateManager ? ctx.gateManager.listPending() : [];
  const audit: AuditEntry[] = ctx.auditTrail ? ctx.auditTrail.query({ runId: 'run-governed' }) : [];
  return {
    status: result.status,
    blocked: result.blocked,
    pendingGates: result.pending_gates ?? [],
    gatesListed: gates.length,
    decisions: loadPolicyDecisions(projectRoot, 'run-governed').length,
    audited: audit.map((e: AuditEntry) => e.action),
  };
}

export interface GateSummary {
  idPrefix: string;
  pendingBefore: boolean;
  snapshotTotal: number;
  snapshotPending: number;
  resolvedDecision: GateToken['decision'];
  history: number;
  pendingAfter: number;
  resolvedFiltered: number;
}

/** GateManager: request, query, resolve through the helper and directly. */
export async function exerciseGates(projectRoot: string): Promise<GateSummary> {
  const gates: GateManager = new GateManager(projectRoot, null, 'run-gates');
  const gateContext: GateContext = {
    work_item_id: 'T1',
    action: 'generate_patch',
    description: 'Approve the parser change',
    evidence_refs: [],
    risks: ['touches src/'],
    policy_decision_id: null,
  };
  const token: GateToken = await gates.request('critical_mutation', gateContext);
  const pendingBefore: boolean = gates.isPending('critical_mutation');
  const queue: GateQueueSnapshot = listPendingGates(gates, 'run-gates', { status: 'pending' });
  const approve: GateResolution = { decision: 'approved', actor: 'alice' };
  const approved: GateToken = await resolveGate(gates, token.gate_id, approve);
  const caveats: GateResolution = { decision: 'approved_with_caveats', actor: 'bob', reason: 'ok' };
  const revisited: GateToken = await gates.resolve(approved, caveats);
  const stored: GateToken | null = gates.get(token.gate_id);
  const stale: GateToken[] = gates.stalePending(1);
  const mine: GateToken[] = [...gates.listPendingByRun(), ...gates.listPendingForWorkItem('T1'), ...stale];
  const recent: GateToken[] = gates.listRecentResolved();
  const snap: GateQueueSnapshot = gates.snapshot(24, { run_id: 'run-gates' });
  if (recent.length !== gates.listResolved().length || snap.all.length !== gates.listAll().length) {
    throw new Error('gate queries disagree');
  }
  return {
    idPrefix: token.gate_id.slice(0, 5),
    pendingBefore,
    snapshotTotal: queue.total,
    snapshotPending: queue.pending.length,
    resolvedDecision: revisited.decision,
    history: stored?.resolution_history?.length ?? 0,
    pendingAfter: gates.listPending().length + mine.length,
    resolvedFiltered: gates.filter({ status: 'resolved', scope: 'critical_mutation' }).length,
  };
}

export interface PolicySummary {
  denied: PolicyDecision;
  guarded: Pick<PolicyDecision, 'decision_id' | 'allowed' | 'gate_required'>;
  gatedByNewRule: boolean;
  defaultReason: string;
  originalUnchanged: boolean;
  guardrailPaths: string[];
  persisted: number;
  tally: ReturnType<typeof summarizePolicyDecisions>;
}

/** PolicyEngine: rules, guardrails, immutable builders, persisted decisions. */
export function exercisePolicy(projectRoot: string): PolicySummary {
  const rules: PolicyRule[] = [{ id: 'no-network', when: { side_effect_class: 'network_call' }, action: 'deny' }];
  const engine: PolicyEngine = new PolicyEngine(rules);
  const denied: PolicyDecision = engine.evaluate({ tool: 'curl', side_effect_class: 'network_call' });
  const guarded: PolicyDecision = engine.evaluate({ tool: 'edit', affected_paths: ['.env'] });
  const gatePatches: PolicyRule = { id: 'gate-patches', when: { tool: 'generate_patch' }, action: 'require_human_gate' };
  const stricter: PolicyEngine = engine.withRule(gatePatches);
  const open: EnvironmentGuardrail = { protected_paths: [], protected_branches: [], require_human_gate_on: [] };
  const relaxed: PolicyEngine = stricter.withGuardrail(open);
  const fromConfig: PolicyEngine = PolicyEngine.fromConfig({ policies: rules });
  const guardrail: EnvironmentGuardrail = PolicyEngine.defaultGuardrail();
  const decision: PersistedPolicyDecision = savePolicyDecision(projectRoot, {
    ...denied,
    run_id: 'run-policy',
    work_item_id: 'T1',
    action: 'curl',
    actor: 'runtime',
    override: true,
    rationale: null,
    context: { tool: 'curl', side_effect_class: 'network_call' },
  });
  const loaded: PersistedPolicyDecision[] = loadPolicyDecisions(projectRoot, 'run-policy');
  return {
    denied: { ...denied, timestamp: '' },
    guarded: { decision_id: guarded.decision_id, allowed: guarded.allowed, gate_required: guarded.gate_required },
    gatedByNewRule: relaxed.evaluate({ tool: 'generate_patch' }).gate_required,
    defaultReason: fromConfig.evaluate({ tool: 'read_code' }).reason,
    originalUnchanged:
      !engine.evaluate({ tool: 'generate_patch' }).gate_required && engine.getGuardrail() !== guardrail,
    guardrailPaths: guardrail.protected_paths,
    persisted: loaded.filter((d: PersistedPolicyDecision) => d.decision_id === decision.decision_id).length,
    tally: summarizePolicyDecisions(loaded),
  };
}

export interface AuditSummary {
  severity: AuditEntry['severity'];
  idPrefix: string;
  sinkReceived: number;
  critical: number;
  metrics: Pick<AuditMetrics, 'total_entries' | 'critical_count' | 'warn_count' | 'actors'>;
  infoForRun: number;
  violation: QuotaViolation | null;
  unlimited: boolean;
  packs: string[];
  packDecision: Pick<PolicyDecision, 'allowed' | 'rule_id'>;
}

/** AuditTrail with a remote sink, quotas and policy packs. */
export function exerciseAudit(projectRoot: string): AuditSummary {
  const mirrored: AuditEntry[] = [];
  const sink: RemoteAuditSink = {
    async write(entry: AuditEntry): Promise<void> {
      mirrored.push(entry);
    },
    async query(): Promise<AuditEntry[]> {
      return mirrored;
    },
  };
  const trail: AuditTrail = new AuditTrail(projectRoot, sink);
  const secret: AuditEntry = trail.record('secret_accessed', 'alice', { runId: 'run-audit', resource: '.env' });
  trail.record('run_started', 'runtime', { runId: 'run-audit', detail: { session_id: null } });
  const metrics: AuditMetrics = trail.metrics();

  const quota: RunQuota = createQuota('run-audit', { max_retries_total: 1 });
  const spent: RunQuota = consumeQuota(consumeQuota(quota, 'retries'), 'retries', 1);
  const violation: QuotaViolation | null = checkQuota(spent);

  const pack: PolicyPack = {
    pack_id: 'org-default',
    org_id: 'acme',
    name: 'Default pack',
    version: '1.0.0',
    policies: [{ id: 'no-infra', when: { side_effect_class: 'infra_operation' }, action: 'deny' }],
    guardrail: { protected_paths: [], protected_branches: ['main'], require_human_gate_on: [] },
    created_at: new Date(0).toISOString(),
  };
  savePolicyPack(projectRoot, pack);
  const loaded: PolicyPack | null = loadPolicyPack(projectRoot, 'org-default');
  const all: PolicyPack[] = listPolicyPacks(projectRoot);
  const engine: PolicyEngine = applyPolicyPack(new PolicyEngine(), loaded ?? pack);
  const packDecision: PolicyDecision = engine.evaluate({ tool: 'terraform', side_effect_class: 'infra_operation' });
  return {
    severity: secret.severity,
    idPrefix: secret.audit_id.slice(0, 4),
    sinkReceived: mirrored.length,
    critical: trail.critical().length,
    metrics: {
      total_entries: metrics.total_entries,
      critical_count: metrics.critical_count,
      warn_count: metrics.warn_count,
      actors: metrics.actors,
    },
    infoForRun: trail.query({ runId: 'run-audit', severity: 'info' }).length,
    violation,
    unlimited: quota.max_work_items === Infinity,
    packs: all.map((p: PolicyPack) => p.pack_id),
    packDecision: { allowed: packDecision.allowed, rule_id: packDecision.rule_id },
  };
}

export interface EvidenceSummary {
  paths: string[];
  listed: number;
  byRun: number;
  text: string;
  sameBytes: boolean;
  unknown: EvidenceContent | null;
}

/** EvidenceStore: a string artifact, then the Buffer read back stored again. */
export async function exerciseEvidence(projectRoot: string): Promise<EvidenceSummary> {
  const store: EvidenceStore = new EvidenceStore(projectRoot);
  const opts: EvidenceCollectOptions = { work_item_id: 'T1', run_id: 'run-ev', attempt_number: 1 };
  const first: Evidence = await store.collect('stdout', 'all green', opts);
  const read: EvidenceContent | null = await store.get(first.evidence_id, opts);
  if (read === null) throw new Error('evidence not found');
  const bytes: EvidenceContent['content'] = read.content; // a Node Buffer
  const second: Evidence = await store.collect('stdout', bytes, opts);
  const again: EvidenceContent | null = await store.get(second.evidence_id, opts);
  const listed: Evidence[] = await store.list(opts);
  const byRun: Evidence[] = await store.listByRun('run-ev');
  return {
    paths: listed.map((e: Evidence) => e.path.split('\\').join('/')),
    listed: listed.length,
    byRun: byRun.length,
    text: String.fromCharCode(...bytes),
    sameBytes:
      again !== null && again.content.byteLength === bytes.byteLength && again.evidence.checksum === first.checksum,
    unknown: await store.get('ev-missing', opts),
  };
}

export interface VerificationSummary {
  compiledChecks: string[];
  compiledCommands: Array<string | null>;
  status: VerifyRunResult['status'];
  manifestSkip: number | null;
  coverageTotal: number | null;
  evidenceCollected: number;
  single: CheckResult['status'];
  allPassed: boolean;
  failureClass: FailureClass | null;
  risks: number;
  coverage: number;
  loaded: boolean;
  executedRefs: number;
}

/** The verification compiler, verifyRun with an EvidenceStore, and the manifest helpers (no command is spawned). */
export async function exerciseVerification(projectRoot: string): Promise<VerificationSummary> {
  const compiled: AcceptanceCheckSuite = compileVerification(spec, plan);
  const manual: AcceptanceCheck = {
    id: 'check-manual',
    type: 'custom',
    command: null,
    evidence_type_expected: 'summary',
    acceptance_ref: 'A2',
    description: 'Checked by hand',
  };
  const suite: AcceptanceCheckSuite = { ...compiled, checks: [manual] };
  const evidenceStore: EvidenceStore = new EvidenceStore(projectRoot);
  const outcome: VerifyRunResult = await verifyRun({
    projectRoot,
    runId: 'run-verify',
    workItemId: 'T2',
    cwd: projectRoot,
    suite,
    evidenceStore,
  });
  const single: CheckResult = await runCheck(manual, projectRoot);
  const all: CheckResult[] = await runSuite(suite, projectRoot, 1000);
  const executed: ExecutedVerificationSuite = await executeSuite(suite, projectRoot, {
    runId: 'run-exec',
    workItemId: 'T2',
  });

  const failing: CheckResult = {
    check_id: 'check-a1',
    acceptance_ref: 'A1',
    status: 'fail',
    stdout: '',
    stderr: 'assertion error at line 5',
    exit_code: 1,
    duration_ms: 3,
    error: null,
  };
  const manifest: VerificationManifest = buildManifest('run-manual', [single, failing], {
    workItemId: 'T1',
    profile: 'critical',
    evidenceRefs: new Map([['check-a1', ['ev-1']]]),
  });
  const ledger: ResidualRiskLedger = buildRiskLedger('run-manual', manifest);
  const coverage: EvidenceCoverageSummary = summarizeEvidenceCoverage(manifest);
  saveManifest(projectRoot, 'run-manual', manifest);
  saveRiskLedger(projectRoot, 'run-manual', ledger);
  saveEvidenceCoverage(projectRoot, 'run-manual', coverage);
  const loadedManifest: VerificationManifest | null = loadManifest(projectRoot, 'run-manual');
  const loadedLedger: ResidualRiskLedger | null = loadRiskLedger(projectRoot, 'run-manual');
  const loadedCoverage: EvidenceCoverageSummary | null = loadEvidenceCoverage(projectRoot, 'run-manual');
  return {
    compiledChecks: compiled.checks.map((c: AcceptanceCheck) => c.id),
    compiledCommands: compiled.checks.map((c: AcceptanceCheck) => c.command),
    status: outcome.status,
    manifestSkip: outcome.manifest ? outcome.manifest.summary.skip : null,
    coverageTotal: outcome.evidence_coverage ? outcome.evidence_coverage.total_checks : null,
    evidenceCollected: (await evidenceStore.listByRun('run-verify')).length,
    single: single.status,
    allPassed: summarizeSuite(all).allPassed,
    failureClass: classifyFailure(failing),
    risks: ledger.risks.length,
    coverage: coverage.coverage_percent,
    loaded:
      loadedManifest?.manifest_id === manifest.manifest_id &&
      loadedLedger?.risks.length === ledger.risks.length &&
      loadedCoverage?.coverage_percent === coverage.coverage_percent,
    executedRefs: executed.evidence_refs.size,
  };
}

export interface ProjectionSummary {
  plan: boolean;
  verify: boolean;
  state: boolean;
  runSummary: boolean;
  commit: boolean;
  promotion: boolean;
  prIsPromotion: boolean;
}

/** ProjectionEngine over a hand-built RunState (real Maps and Sets). */
export function exerciseProjection(): ProjectionSummary {
  const graph: ExecutionGraph = compile(plan, spec, inplacePlanOptions);
  const state: RunState = createEmptyRunState();
  state.run = {
    run_id: 'r001',
    session_id: null,
    graph_version: graph.metadata.plan_hash,
    started_at: new Date(0).toISOString(),
    ended_at: null,
    status: 'running',
    initiator: 'user',
    mode: 'completo',
  };
  state.completedWorkItems.add('T1');
  const result: VerificationResult = {
    verification_id: 'vr-1',
    work_item_id: 'T1',
    check_id: 'check-a1',
    status: 'pass',
    evidence_refs: [],
    summary: null,
  };
  const engine: ProjectionEngine = new ProjectionEngine();
  const verify: string = engine.projectVerify(state, [result], [], null, null, null);
  return {
    plan: engine.projectPlan(state, graph).includes('Onda 2'),
    verify: verify.includes('✓ PASS'),
    state: engine.projectState(state).includes('executing'),
    runSummary: engine.projectRunSummary(state).includes('r001'),
    commit: engine.projectCommitSummary(state, graph).includes('Add the parser'),
    promotion: engine.projectPromotionSummary(state, graph).includes('Wave 1'),
    prIsPromotion: engine.projectPRSummary(state, graph) === engine.projectPromotionSummary(state, graph),
  };
}

export interface PluginSummary {
  toolFound: string | null;
  invoked: ToolInvocationResult | null;
  manifest: Pick<PluginManifest, 'capabilities' | 'tool_action_types'>;
  invalidErrors: number;
  abi: typeof CURRENT_ABI_VERSION;
  compatible: boolean[];
  hooked: string[];
  summary: ReturnType<PluginRegistry['summary']>['total_plugins'];
  matrixEntries: number;
  stable: number;
  deprecated: number;
  experimental: number;
  sameAfterDuplicate: boolean;
  sandboxed: number;
  singleton: boolean;
  projectCapabilities: string[];
  capabilityPlugin: string;
  capabilityError: string | undefined;
}

/** PluginRegistry, manifests, the capability matrix and capability plugins. */
export async function exercisePlugins(projectRoot: string): Promise<PluginSummary> {
  const registry: PluginRegistry = new PluginRegistry();
  registry.register(plugin);
  const hooked: string[] = [];
  const hooks: OxePlugin = {
    name: 'hooks-plugin',
    version: '1.0.0',
    hooks: {
      onRunStart: (ctx: Record<string, unknown>) => {
        hooked.push(String(ctx.run_id));
      },
    },
  };
  registry.register(hooks);
  await registry.runHook('onRunStart', { run_id: 'run-plugins' });
  const tool: ToolProvider | null = registry.toolProviderFor('read_code');
  const invoked: ToolInvocationResult | null = tool
    ? await tool.invoke({
        action_type: 'read_code',
        work_item_id: 'T1',
        run_id: 'run-plugins',
        attempt_id: 'T1-a1',
        params: {},
        workspace_root: projectRoot,
      })
    : null;
  const manifest: PluginManifest = extractManifest(plugin);
  const invalid: PluginValidationResult = validatePlugin({ name: 'future', abi_version: '2' });
  const matrix: CapabilityMatrix = resolveCapabilityMatrix(registry);
  const rebuilt: CapabilityMatrix = buildMatrix(registry);
  const first: ProviderCapabilityEntry = rebuilt.entries[0];
  const deprecated: CapabilityMatrix = markDeprecated(matrix, 'echo', '2', 'echo2');
  const listed: Array<{ name: string; version?: string; providers: string[] }> = registry.list();
  const lookups: unknown[] = [
    registry.workspaceProviderFor('inplace'),
    registry.verifierProviderFor('unit'),
    registry.contextProviderFor('none'),
    ...registry.allContextProviders(),
    ...registry.allToolProviders(),
    ...registry.snapshot(),
    ...listed,
  ];
  const sandboxed: number = await sandboxInvoke(async () => 42, 1000);
  const global: PluginRegistry = globalRegistry();
  const singleton: boolean = global === globalRegistry();
  resetGlobalRegistry();
  const capability: OxePlugin = createCapabilityPlugin(projectRoot, {
    id: 'lint',
    entrypoint: null,
    sideEffects: ['read'],
    evidenceOutputs: [],
    checkTypes: ['policy'],
    dir: projectRoot,
  });
  const capabilityTool: ToolProvider | undefined = capability.toolProviders?.[0];
  const capabilityRun: ToolInvocationResult | undefined = await capabilityTool?.invoke({
    action_type: 'lint',
    work_item_id: 'T1',
    run_id: 'run-plugins',
    attempt_id: 'T1-a1',
    params: {},
    workspace_root: projectRoot,
  });
  const loadedNames: string[] = [
    ...registry.loadFromDirectory(`${projectRoot}/.oxe/plugins`),
    ...registry.registerProjectCapabilities(projectRoot),
    ...loadCapabilityPlugins(projectRoot).map((p: OxePlugin) => p.name),
    ...registry.loadErrorsSnapshot(),
  ];
  registry.clearLoadErrors();
  registry.unregister('hooks-plugin');
  return {
    toolFound: tool ? tool.name : null,
    invoked,
    manifest: { capabilities: manifest.capabilities, tool_action_types: manifest.tool_action_types },
    invalidErrors: invalid.errors.length + (invalid.valid ? 100 : 0),
    abi: CURRENT_ABI_VERSION,
    compatible: ['1', '1.0.0', '2'].map((v: string) => isAbiCompatible(v)),
    hooked,
    summary: registrySummary(registry).total_plugins + (lookups.length > 0 ? 0 : 100),
    matrixEntries: matrix.entries.length,
    stable: getStableEntries(matrix).length,
    deprecated: getDeprecatedEntries(deprecated).length,
    experimental: getExperimentalEntries(deprecated).length,
    sameAfterDuplicate: addEntry(rebuilt, first) === rebuilt,
    sandboxed,
    singleton,
    projectCapabilities: loadedNames,
    capabilityPlugin: `${capability.name}:${capability.verifierProviders?.length ?? 0}`,
    capabilityError: capabilityRun?.error,
  };
}

/** A BranchManager that answers from memory instead of running git. */
class MemoryBranches extends BranchManager {
  readonly pushed: string[] = [];
  currentBranch(): string {
    return 'oxe/feature';
  }
  currentCommit(): string {
    return 'abc1234';
  }
  push(remote: string, branchName: string, setUpstream?: boolean): void {
    this.pushed.push(`${remote}/${branchName}${setUpstream ? ' -u' : ''}`);
  }
}

/** A PRManager that opens pull requests in memory instead of running gh. */
class MemoryPRs extends PRManager {
  readonly drafts: PRDraftOptions[] = [];
  createDraft(opts: PRDraftOptions): PRResult {
    this.drafts.push(opts);
    return { success: true, url: 'https://example.invalid/pull/7' };
  }
}

export interface DeliverySummary {
  verdict: MergeGateReport['verdict'];
  blockedReasons: string[];
  commit: Pick<CommitRecord, 'status' | 'commit_sha' | 'branch' | 'message'>;
  pushed: PromotionRecord['status'];
  pushedTo: string[];
  opened: Pick<PromotionRecord, 'status' | 'pr_url' | 'target_kind'>;
  draftTitles: string[];
  link: RunPRLink['status'] | null;
  records: boolean;
  summaryHeading: string;
  ciStatuses: CICheckResult['status'][];
  ciNames: string[];
  ciAllPassed: boolean;
  builtins: boolean;
}

/** MergeGateEvaluator, PromotionPipeline with in-memory collaborators, delivery records and CI checks. */
export async function exerciseDelivery(projectRoot: string): Promise<DeliverySummary> {
  const runResult: RunResult = {
    run_id: 'run-deliver',
    status: 'completed',
    completed: ['T1', 'T2'],
    failed: [],
    blocked: [],
  };
  const evaluator: MergeGateEvaluator = new MergeGateEvaluator();
  const report: MergeGateReport = evaluator.evaluate(runResult, null, null);
  const failedRun: RunResult = { ...runResult, status: 'failed', failed: ['T2'] };
  const blocked: MergeGateReport = evaluator.evaluate(failedRun, null, null, [], null, 100);

  const branches: MemoryBranches = new MemoryBranches(projectRoot);
  const prs: MemoryPRs = new MemoryPRs(projectRoot);
  const pipeline: PromotionPipeline = new PromotionPipeline(projectRoot, branches, prs, evaluator);
  const commit: CommitRecord = pipeline.recordLocalCommit(runResult, null, null, { commitMessage: 'feat: parser' });
  const pushOptions: PromotionOptions = { targetKind: 'branch_push', remote: 'origin' };
  const pushed: PromotionRecord = await pipeline.promote(runResult, null, null, pushOptions);
  const prOptions: PromotionOptions = { draftPR: true, baseBranch: 'main' };
  const opened: PromotionRecord = await pipeline.promote(runResult, null, null, prOptions, [], null);
  const link: RunPRLink | null = pipeline.loadPRLink('run-deliver');
  const commitSummary: string = pipeline.buildCommitSummary(runResult, null, null, 'feat: parser');
  const body: string = pipeline.buildPRBody(runResult, null, null);

  saveCommitRecord(projectRoot, 'run-copy', commit);
  savePromotionRecord(projectRoot, 'run-copy', opened);
  const records: boolean =
    loadCommitRecord(projectRoot, 'run-copy')?.commit_sha === commit.commit_sha &&
    loadPromotionRecord(projectRoot, 'run-copy')?.pr_url === opened.pr_url &&
    pipeline.loadCommitRecord('run-deliver')?.status === commit.status &&
    pipeline.loadPromotionRecord('run-deliver')?.status === opened.status &&
    commitRecordPath(projectRoot, 'run-copy').endsWith('commit-record.json') &&
    promotionRecordPath(projectRoot, 'run-copy').endsWith('promotion-record.json') &&
    commitSummary.includes('feat: parser') &&
    body === pipeline.buildPromotionSummary(runResult, null, null);

  const results: CICheckResult[] = await runCIChecks({ projectRoot, sessionId: null, runId: 'run-deliver' });
  const custom: CICheckResult[] = await runCIChecks(
    { projectRoot, sessionId: null, evidenceStore: new EvidenceStore(projectRoot) },
    [ciCheck, policyCheck],
  );
  const builtins: CICheck[] = [
    planConsistencyCheck,
    verifyAcceptanceCheck,
    policyCheck,
    securityBaselineCheck,
    runtimeEvidenceIntegrityCheck,
  ];
  return {
    verdict: report.verdict,
    blockedReasons: blocked.reasons,
    commit: { status: commit.status, commit_sha: commit.commit_sha, branch: commit.branch, message: commit.message },
    pushed: pushed.status,
    pushedTo: branches.pushed,
    opened: { status: opened.status, pr_url: opened.pr_url, target_kind: opened.target_kind },
    draftTitles: prs.drafts.map((d: PRDraftOptions) => d.title),
    link: link ? link.status : null,
    records,
    summaryHeading: body.split('\n')[0],
    ciStatuses: results.map((r: CICheckResult) => r.status),
    ciNames: custom.map((r: CICheckResult) => r.check),
    ciAllPassed: summarizeCIResults([...results, ...custom]).allPassed,
    builtins: builtins.every((c: CICheck, i: number) => OXE_CI_CHECKS[i] === c),
  };
}

export interface ContextSummary {
  kinds: ContextArtifact['kind'][];
  considered: number;
  lightweight: number;
  filtered: number;
  sharedProfile: boolean;
  overallInRange: boolean;
  meta: Pick<ContextPackMeta, 'pack_id' | 'artifact_count' | 'stale'>;
  staleAfterMark: boolean;
  indexed: number;
  reloaded: boolean;
  added: string[];
  refId: string | null;
}

export interface SdkSummary {
  versionIsString: boolean;
  packageName: string;
  totalTasks: number;
  wave2: string[];
  phase: string | null;
  confidenceScore: number | null;
  nextStep: string;
  healthStatus: string;
  doctorNodeOk: boolean;
  workflowShape: null;
  traversal: boolean;
  globFlags: string;
  permissions: { denied: string[]; needsApproval: string[]; allowed: string[] };
  pluginErrors: number;
  replayed: number;
  quality: string;
}

/** The SDK's own keys: readers, health, doctor, security, plugins, operational, context. */
export function exerciseSdk(projectRoot: string): SdkSummary {
  const plan = parsePlan('### T1 — a\n**Onda:** 1\n\n### T2 — b\n**Onda:** 2\n**Depende de:** T1\n');
  const wave2: string[] = plan.waves[2];
  const state = parseState('## Fase atual\n\n`plan`\n');
  const vector = parseConfidenceVector('<confidence_vector cycle="1"><dim name="a" score="0.5" weight="1"/></confidence_vector>');
  const next = health.suggestNextStep(projectRoot);
  const report = health.buildHealthReport(projectRoot);
  const doctor = runDoctorChecks({ projectRoot, packageRoot: PACKAGE_ROOT, includeWorkflowLint: false });
  const shape: null = doctor.workflowShape === null ? null : null;
  const traversal = security.checkPathSafety('../outside.txt', projectRoot).reason;
  const rules = [
    { pattern: '*.env', action: 'deny' },
    { pattern: 'scripts/**', action: 'ask', scope: 'execute' },
  ];
  const sorted = security.checkPermissions(['.env', 'scripts/a.sh', 'src/a.ts'], rules, 'execute');
  const resolved = plugins.resolvePluginSources(projectRoot, ['missing.cjs', { source: 'bogus:x' }]);
  const replay = operational.replayEvents(projectRoot, null);
  const quality = context.computeContextQuality({ selected_artifacts: [], gaps: [], conflicts: [] });
  return {
    versionIsString: typeof version === 'string' && version.length > 0,
    packageName,
    totalTasks: plan.totalTasks,
    wave2,
    phase: state.phase,
    confidenceScore: vector === null ? null : vector.global.score,
    nextStep: next.step,
    healthStatus: report.healthStatus,
    doctorNodeOk: doctor.node.ok,
    workflowShape: shape,
    traversal: traversal !== null && /traversal/.test(traversal),
    globFlags: security.globToRegex('src/**').flags,
    permissions: sorted,
    pluginErrors: resolved.errors.length,
    replayed: replay.totalEvents,
    quality: quality.status,
  };
}

/** ContextPackBuilder (evidence contents as a Map), profiles, quality and the pack store. */
export function exerciseContext(projectRoot: string): ContextSummary {
  const workItem: WorkItem = {
    work_item_id: 'T1',
    run_id: 'run-ctx',
    title: 'Add the parser',
    type: 'task',
    depends_on: [],
    mutation_scope: ['src/parser.ts'],
    policy_ref: null,
    verify_ref: [],
    status: 'ready',
    workspace_strategy: 'inplace',
  };
  const state: RunState = createEmptyRunState();
  state.completedWorkItems.add('T0');
  const evidence: Evidence[] = [
    {
      evidence_id: 'ev-run-ctx-T1-a1-stdout-1',
      attempt_id: 'T1-a1',
      type: 'stdout',
      path: '.oxe/evidence/runs/run-ctx/T1/attempt-1/stdout.txt',
      checksum: null,
      created_at: new Date().toISOString(),
    },
  ];
  const contents: Map<string, string> = new Map([['ev-run-ctx-T1-a1-stdout-1', 'parser tests passed on empty input']]);
  const lessons: LessonMetric[] = [
    { lesson_id: 'L1', title: 'Parser edge cases', tags: ['parser'], content: 'Remember quoted commas' },
  ];
  const builder: ContextPackBuilder = new ContextPackBuilder({ maxArtifacts: 5, maxTokensEstimate: 1000 });
  const pack: ContextPack = builder.build(workItem, state, evidence, contents, lessons);
  const light: ContextPack = builder.buildLightweight(workItem, state, lessons);
  const filtered: ContextArtifact[] = builder.filterByMutationScope(pack.artifacts, workItem.mutation_scope, 'L1');
  const profile: ContextProfile = getProfile('execute');
  const quality: ContextQualityScore = scorePackQuality(pack, profile);
  const meta: ContextPackMeta = savePack(projectRoot, 'run-ctx', pack);
  markStale(projectRoot, 'run-ctx', 'T1', 'plan changed');
  const index: ContextPackMeta[] = listPackMeta(projectRoot, 'run-ctx');
  const reloaded: ContextPack | null = loadPack(projectRoot, 'run-ctx', 'T1');
  const diff: ContextPackDiff = diffPacks(light, pack);
  const ref: ContextPackRef = linkPackToAttempt(projectRoot, 'run-ctx', 'T1-a1', pack, quality);
  const refBack: ContextPackRef | null = getPackRefForAttempt(projectRoot, 'run-ctx', 'T1-a1');
  return {
    kinds: pack.artifacts.map((a: ContextArtifact) => a.kind),
    considered: pack.total_artifacts_considered,
    lightweight: light.artifacts.length,
    filtered: filtered.length,
    sharedProfile: profile === DEFAULT_PROFILES.execute,
    overallInRange: quality.overall >= 0 && quality.overall <= 1,
    meta: { pack_id: meta.pack_id, artifact_count: meta.artifact_count, stale: meta.stale },
    staleAfterMark: isStale(projectRoot, 'run-ctx', 'T1'),
    indexed: index.length,
    reloaded: reloaded !== null && reloaded.artifacts.length === pack.artifacts.length,
    added: diff.added,
    refId: refBack && refBack.ref_id === ref.ref_id ? ref.ref_id : null,
  };
}

export interface DecisionSummary {
  proceed: Pick<DecisionRecord, 'type' | 'seniority' | 'confidence' | 'signals'>;
  aborted: DecisionRecord['type'];
  memoLinked: boolean;
  logged: number;
  aborts: number;
  strategy: ReturnType<StrategySelector['select']>;
  alternatives: number;
  blast: BlastRadiusEstimate;
  rollback: RollbackPlan['strategy'];
  memoPrefix: string;
  memos: number;
  memoBack: boolean;
}

/** DecisionEngine, the decision log, strategies and decision memos. */
export function exerciseDecision(projectRoot: string): DecisionSummary {
  const engine: DecisionEngine = new DecisionEngine();
  const input: DecisionInput = {
    run_id: 'run-dec',
    work_item_id: 'T1',
    policy_allowed: true,
    gate_pending: false,
    gate_approved: false,
    retry_count: 0,
    max_retries: 2,
    evidence_count: 1,
    risk_level: 'low',
    lesson_match: false,
  };
  const proceed: DecisionRecord = engine.evaluate(input);
  const aborted: DecisionRecord = engine.evaluate({ ...input, policy_allowed: false });
  const memo: DecisionMemo = buildMemo({
    work_item_id: 'T1',
    run_id: 'run-dec',
    problem_summary: 'Parser rejects quoted commas',
    mutation_scope: ['src/parser.ts'],
    retry_count: 0,
    risk_level: 'low',
  });
  const withMemo: DecisionRecord = engine.evaluate({ ...input, memo });
  appendDecision(projectRoot, 'run-dec', proceed);
  appendDecision(projectRoot, 'run-dec', aborted);
  const log: DecisionLog | null = loadDecisionLog(projectRoot, 'run-dec');
  const aborts: DecisionRecord[] = log ? queryDecisions(log, { type: 'abort', minConfidence: 0.5 }) : [];

  const selector: StrategySelector = new StrategySelector();
  const scope: string[] = ['src/a.ts', 'src/b.ts', 'lib/c.ts'];
  const blast: BlastRadiusEstimate = buildBlastRadius(scope, 1, 'medium');
  const rollback: RollbackPlan = buildRollbackPlan(blast, 1);
  saveMemo(projectRoot, memo);
  const back: DecisionMemo | null = loadMemo(projectRoot, 'run-dec', memo.memo_id);
  return {
    proceed: {
      type: proceed.type,
      seniority: proceed.seniority,
      confidence: proceed.confidence,
      signals: proceed.signals,
    },
    aborted: aborted.type,
    memoLinked: withMemo.memo?.memo_id === memo.memo_id && !('memo' in proceed),
    logged: log ? log.decisions.length : 0,
    aborts: aborts.length,
    strategy: selector.select(scope, 0, 'low'),
    alternatives: selector.alternatives('minimal_patch', scope, 'low').length,
    blast,
    rollback: rollback.strategy,
    memoPrefix: memo.memo_id.slice(0, 5),
    memos: listMemos(projectRoot, 'run-dec').length,
    memoBack: back !== null && back.chosen_strategy === memo.chosen_strategy,
  };
}

export interface MultiAgentSummary {
  mode: CoordinationResult['mode'];
  completed: string[];
  winners: Array<string | null>;
  persisted: MultiAgentStatusSnapshot['mode'] | null;
  statePath: boolean;
  sharedRejected: string;
  failedOver: string[];
  workerStatus: RegisteredAgent['heartbeat']['status'] | null;
  rawAgents: number;
  budgetExhausted: boolean;
  handoffPrefix: string;
  arbitrated: TaskResult['output'];
}

/** MultiAgentCoordinator (competitive mode, isolated plain-object managers), AgentRegistry, budgets, arbitration. */
export async function exerciseMultiAgent(projectRoot: string): Promise<MultiAgentSummary> {
  const graph: ExecutionGraph = compile(plan, spec, inplacePlanOptions);
  const agentSpecs: AgentSpec[] = [
    { id: 'a', executor: recordingExecutor([]), workspaceManager: isolatedManager(projectRoot, 'a') },
    { id: 'b', executor: recordingExecutor([]), workspaceManager: isolatedManager(projectRoot, 'b') },
  ];
  const options: CoordinationOptions = {
    mode: 'competitive',
    agents: agentSpecs,
    projectRoot,
    sessionId: null,
    runId: 'run-multi',
  };
  const coordinator: MultiAgentCoordinator = new MultiAgentCoordinator();
  const result: CoordinationResult = await coordinator.run(graph, options);
  const arbitration: ArbitrationRecord[] = result.arbitration_results ?? [];
  const state: MultiAgentStatusSnapshot | null = loadMultiAgentState(projectRoot, 'run-multi');
  let sharedRejected = '';
  try {
    await coordinator.run(graph, {
      ...options,
      mode: 'parallel',
      runId: 'run-shared',
      agents: [
        { id: 'solo', executor: recordingExecutor([]), workspaceManager: new InplaceWorkspaceManager(projectRoot) },
      ],
    });
  } catch (err: unknown) {
    sharedRejected = err instanceof Error ? err.message : String(err);
  }

  const registry: AgentRegistry = new AgentRegistry(60_000);
  const [first, second] = agentSpecs;
  const worker: RegisteredAgent = registry.register('worker', first.executor, first.workspaceManager, ['T1'], 'executor');
  registry.register('backup', second.executor, second.workspaceManager);
  registry.beat('worker', 'T1');
  registry.logAction('worker', {
    agent_id: 'worker',
    role: 'executor',
    work_item_id: 'T1',
    action: 'execute',
    result: 'success',
    duration_ms: 5,
    timestamp: new Date().toISOString(),
  });
  worker.heartbeat.last_seen = new Date(0).toISOString(); // records are live: failover sees this
  const raw: Map<string, RegisteredAgent> = registry['agents']; // TS-private in 1.4.0, read by bracket access
  const failedOver: string[] = registry.failover('backup');
  const overview: RegisteredAgent[] = [
    ...registry.list(),
    ...registry.liveAgents(),
    ...registry.timedOut(),
    ...registry.getByRole('executor'),
  ];
  registry.setStatus('backup', 'paused');
  const alive: boolean = registry.isAlive('backup');

  const budget: AgentBudget = consumeBudget(createBudget({ max_retries: 1 }), { retries: 1, tokens: 10 });
  const handoff: CooperativeHandoff = buildHandoff({
    from_agent_id: 'a',
    to_agent_id: 'b',
    from_role: 'planner',
    to_role: 'executor',
    work_item_id: 'T1',
  });
  const arbitrated: TaskResult = new ArbitrationEngine().arbitrate([
    { agent_id: 'a', result: { success: false, failure_class: 'test', evidence: [], output: 'a failed' } },
    { agent_id: 'b', result: { success: true, failure_class: null, evidence: ['ev'], output: 'b won' } },
  ]);
  const workerStatus: RegisteredAgent['heartbeat']['status'] | null = registry.get('worker')?.heartbeat.status ?? null;
  const rawAgents: number = raw.size + (overview.length > 0 && alive ? 0 : 100);
  registry.unregister('backup');
  registry.clear();
  return {
    mode: result.mode,
    completed: result.completed,
    winners: arbitration.map((r: ArbitrationRecord) => r.winner_agent_id),
    persisted: state ? state.mode : null,
    statePath: multiAgentStatePath(projectRoot, 'run-multi').endsWith('multi-agent-state.json'),
    sharedRejected,
    failedOver,
    workerStatus,
    rawAgents,
    budgetExhausted: isBudgetExhausted(budget),
    handoffPrefix: handoff.handoff_id.slice(0, 5),
    arbitrated: arbitrated.output,
  };
}

// ---------------------------------------------------------------------------
// Areas that need git, gh or Docker: type-checked only, never run by the test
// ---------------------------------------------------------------------------

export async function typeOnlyExternalTools(projectRoot: string, graph: ExecutionGraph): Promise<string[]> {
  const git: GitWorktreeManager = new GitWorktreeManager(projectRoot);
  const isolated: 'isolated' = git.isolation_level;
  const request: WorkspaceRequest = {
    work_item_id: 'T1',
    attempt_number: 1,
    strategy: 'git_worktree',
    mutation_scope: [],
  };
  const lease: WorkspaceLease = await git.allocate(request);
  const snap: SnapshotRef = await git.snapshot(lease.workspace_id);
  await git.reset(lease.workspace_id, snap);
  await git.dispose(lease.workspace_id);

  const containers: EphemeralContainerManager = new EphemeralContainerManager(projectRoot, {
    image: 'node:20-alpine',
    mountPath: '/workspace',
    extraEnv: { CI: '1' },
    fallback: true,
  });
  const level: 'shared' | 'isolated' = containers.isolation_level;
  const fallback: boolean = containers.usingFallback;
  const containerLease: WorkspaceLease = await containers.allocate({ ...request, strategy: 'ephemeral_container' });

  const scheduler: Scheduler = new Scheduler();
  const pending: Promise<RunResult> = scheduler.run(graph, {
    projectRoot,
    sessionId: 'sessions/s001',
    runId: 'run-git',
    executor: recordingExecutor([]),
    workspaceManager: git,
    pluginRegistry: new PluginRegistry(),
  });
  scheduler.pause();
  scheduler.resume();
  const paused: RunResult = await pending;

  const branches: BranchManager = new BranchManager(projectRoot);
  const created: string[] = [
    branches.createSessionBranch('s001'),
    branches.createOxeBranch('feature', 'main'),
    branches.currentBranch(),
    branches.currentCommit(),
  ];
  branches.switchTo('main');
  branches.mergeWorktreeBranch('oxe/feature', 'main');
  branches.deleteBranch('oxe/feature', true);
  branches.push('origin', 'main', true);
  const listed: BranchInfo[] = branches.listOxeBranches();
  const exists: boolean = branches.branchExists('main');

  const prs: PRManager = new PRManager(projectRoot);
  const available: boolean = prs.isAvailable();
  const viewed: PRResult = prs.view(7);
  const merged: PRResult = prs.mergePR(7, 'squash');
  const pipeline: PromotionPipeline = new PromotionPipeline(projectRoot, branches, prs);
  const promoted: PromotionRecord = await pipeline.promote(
    { run_id: 'run-git', status: 'completed', completed: [], failed: [], blocked: [] },
    null,
    null,
    { targetKind: 'pr_draft', draftPR: true, minimumCoverage: 80 },
  );
  pipeline.savePRLink('run-git', {
    run_id: 'run-git',
    branch: 'oxe/feature',
    pr_url: promoted.pr_url,
    pr_number: promoted.pr_number,
    status: 'open',
    created_at: promoted.created_at,
    merged_at: null,
  });
  const fromFile: PolicyEngine = PolicyEngine.fromConfigFile(`${projectRoot}/.oxe/policy.json`);
  return [
    isolated,
    level,
    String(fallback),
    containerLease.root_path,
    paused.status,
    ...created,
    ...listed.map((b: BranchInfo) => `${b.name}:${b.current}`),
    String(exists && available),
    viewed.pr?.state ?? '',
    merged.error ?? '',
    fromFile.getGuardrail().protected_branches.join(','),
  ];
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
