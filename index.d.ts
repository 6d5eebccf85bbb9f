// Type declarations for oxe-rs, the Rust re-implementation of the oxe-cc 1.4.0
// runtime. `require('oxe-cc')` (aliased to this package) and
// `import { … } from 'oxe-rs'` both resolve here through package.json "types".
//
// What is declared: the whole public surface of the 1.4.0 runtime barrel, that
// is the 161 type-only names (interfaces and type aliases, same names, fields
// and field order) and the 132 runtime values (classes with their public
// methods and properties, functions and constants), with the 1.4.0 signatures.
// Members that 1.4.0 keeps TypeScript-private are not declared, except
// `AgentRegistry.agents`, which users reach as `registry['agents']`.
//
// Everything lives in this one file on purpose: package.json "files" publishes
// index.d.ts but no types/ folder, so a split would not survive `npm pack`.
//
// Conventions: `Map` and `Set` are real JavaScript Map/Set objects. Paths in
// comments are relative to the `projectRoot` argument. A value returns a
// Promise only where its signature says so (file I/O inside is synchronous).

// ============================================================================
// models — plain data shapes (no runtime values)
// ============================================================================

/** Lifecycle of a session. */
export type SessionStatus = 'active' | 'archived' | 'closed';

/** A working session over one repository. */
export interface Session {
  session_id: string;
  title: string;
  created_at: string;
  status: SessionStatus;
  repo_root: string;
  baseline_commit: string | null;
  active_run_id: string | null;
}

/** Lifecycle of a run. */
export type RunStatus =
  | 'planned'
  | 'running'
  | 'paused'
  | 'waiting_approval'
  | 'failed'
  | 'completed'
  | 'replaying'
  | 'aborted'
  | 'cancelled';

/** How much of the plan a run executes (whole plan, one wave, one task). */
export type RunMode = 'completo' | 'por_onda' | 'por_tarefa';

/** Who started a run. */
export type RunInitiator = 'user' | 'scheduler' | 'retry' | 'replay';

/** One execution of a compiled graph. */
export interface Run {
  run_id: string;
  session_id: string | null;
  graph_version: string;
  started_at: string;
  ended_at: string | null;
  status: RunStatus;
  initiator: RunInitiator;
  mode: RunMode;
}

/** Lifecycle of a work item. */
export type WorkItemStatus = 'pending' | 'ready' | 'running' | 'completed' | 'failed' | 'blocked' | 'skipped';

/** Kind of a work item. */
export type WorkItemType = 'task' | 'checkpoint' | 'gate' | 'verification';

/** A unit of work inside a run. */
export interface WorkItem {
  work_item_id: string;
  run_id: string;
  title: string;
  type: WorkItemType;
  depends_on: string[];
  mutation_scope: string[];
  policy_ref: string | null;
  verify_ref: string[];
  status: WorkItemStatus;
  workspace_strategy: WorkspaceStrategy;
}

/** How an attempt ended. */
export type AttemptOutcome =
  | 'success'
  | 'failure_env'
  | 'failure_policy'
  | 'failure_test'
  | 'failure_timeout'
  | 'cancelled';

/** One try at executing a work item. */
export interface Attempt {
  attempt_id: string;
  work_item_id: string;
  attempt_number: number;
  workspace_id: string | null;
  agent_profile: string | null;
  model: string | null;
  started_at: string;
  ended_at: string | null;
  outcome: AttemptOutcome | null;
}

/** Where an attempt runs: the project itself, a git worktree, or a container. */
export type WorkspaceStrategy = 'inplace' | 'git_worktree' | 'ephemeral_container';

/** Lifecycle of a workspace. */
export type WorkspaceStatus = 'allocating' | 'ready' | 'dirty' | 'disposed' | 'error';

/** Whether a workspace is shared with the project or isolated from it. */
export type WorkspaceIsolationLevel = 'shared' | 'isolated';

/** A workspace as tracked in RunState. */
export interface Workspace {
  workspace_id: string;
  strategy: WorkspaceStrategy;
  isolation_level: WorkspaceIsolationLevel;
  base_commit: string | null;
  branch: string | null;
  container_ref: string | null;
  status: WorkspaceStatus;
  root_path: string;
}

/** What a WorkspaceManager hands out for one attempt. */
export interface WorkspaceLease {
  workspace_id: string;
  strategy: WorkspaceStrategy;
  isolation_level: WorkspaceIsolationLevel;
  branch: string | null;
  base_commit: string | null;
  root_path: string;
  ttl_minutes: number;
}

/** A point a workspace can be reset to. */
export interface SnapshotRef {
  snapshot_id: string;
  workspace_id: string;
  commit: string;
  created_at: string;
}

/** Kind of a collected evidence artifact. */
export type EvidenceType =
  | 'diff'
  | 'stdout'
  | 'stderr'
  | 'junit_xml'
  | 'coverage'
  | 'screenshot'
  | 'trace'
  | 'log'
  | 'security_report'
  | 'api_output'
  | 'summary';

/** Index entry of one stored evidence artifact. */
export interface Evidence {
  evidence_id: string;
  attempt_id: string;
  type: EvidenceType;
  path: string;
  checksum: string | null;
  created_at: string;
}

/** The verdict a human (or policy) gives on a gate. */
export type GateDecisionValue = 'approved' | 'rejected' | 'approved_with_caveats' | 'needs_more_evidence';

/** What a gate protects. */
export type GateScope =
  | 'plan_approval'
  | 'critical_mutation'
  | 'security'
  | 'pr_promotion'
  | 'remote_promotion'
  | 'merge';

/** A recorded gate verdict. */
export interface GateDecision {
  gate_id: string;
  scope: GateScope;
  run_id?: string | null;
  work_item_id?: string | null;
  action?: string | null;
  decision: GateDecisionValue;
  actor: string;
  reason: string | null;
  timestamp: string;
}

/** Outcome of one verification check. */
export type VerificationStatus = 'pass' | 'fail' | 'skip' | 'error';

/** The result of verifying one check for one work item. */
export interface VerificationResult {
  verification_id: string;
  work_item_id: string;
  check_id: string;
  status: VerificationStatus;
  evidence_refs: string[];
  summary: string | null;
}

// ============================================================================
// events — catalog and the NDJSON event log
// ============================================================================

/** The 21 event type names, in catalog order (a plain, unfrozen array at runtime). */
export declare const EVENT_TYPES: readonly [
  'SessionCreated',
  'RunStarted',
  'GraphCompiled',
  'WorkItemReady',
  'WorkspaceAllocated',
  'AttemptStarted',
  'ToolInvoked',
  'ToolCompleted',
  'ToolFailed',
  'EvidenceCollected',
  'PolicyEvaluated',
  'GateRequested',
  'GateResolved',
  'VerificationStarted',
  'VerificationCompleted',
  'RetryScheduled',
  'WorkItemCompleted',
  'WorkItemBlocked',
  'RunCompleted',
  'RetroPublished',
  'LessonPromoted',
];

/** One of the names in EVENT_TYPES. */
export type EventType = (typeof EVENT_TYPES)[number];

/** An event as the runtime sees it (mapped from the persisted NDJSON line). */
export interface OxeEvent {
  id: string;
  type: EventType;
  timestamp: string;
  session_id: string | null;
  run_id: string | null;
  work_item_id: string | null;
  attempt_id: string | null;
  causation_id: string | null;
  correlation_id: string | null;
  payload: Record<string, unknown>;
}

/** What appendEvent accepts: a type plus any subset of the other event fields. */
export type EventInput = Partial<Omit<OxeEvent, 'type'>> & { type: EventType };

/** True when `type` is one of the names in EVENT_TYPES. */
export declare function isValidEventType(type: string): type is EventType;

/** Appends one line to `.oxe/OXE-EVENTS.ndjson` (`.oxe/<session>/execution/…` with a session) and returns the stored event. */
export declare function appendEvent(
  projectRoot: string,
  sessionId: string | null,
  input: EventInput,
  causationId?: string,
): OxeEvent;

/** Reads every event from the session's `OXE-EVENTS.ndjson`, skipping blank or unparsable lines; a missing file gives []. */
export declare function readEvents(projectRoot: string, sessionId: string | null): OxeEvent[];

/** The events whose `run_id` is exactly `runId` (no file access). */
export declare function filterByRun(events: OxeEvent[], runId: string): OxeEvent[];

/** The events whose `work_item_id` is exactly `workItemId` (no file access). */
export declare function filterByWorkItem(events: OxeEvent[], workItemId: string): OxeEvent[];

// ============================================================================
// reducers — RunState folding and replay
// ============================================================================

/** The policy verdict RunState keeps per work item. */
export interface PolicyDecisionRecord {
  allowed: boolean;
  gate_required: boolean;
  reason: string;
  rule_id: string | null;
}

/** One ToolFailed event as RunState keeps it. */
export interface ToolFailureRecord {
  tool: string;
  error: string;
  timestamp: string;
}

/** The state folded from an event list; every collection is a real Map or Set. */
export interface RunState {
  run: Run | null;
  workItems: Map<string, WorkItem>;
  /** Attempts per work item id, in start order. */
  attempts: Map<string, Attempt[]>;
  workspaces: Map<string, Workspace>;
  completedWorkItems: Set<string>;
  failedWorkItems: Set<string>;
  blockedWorkItems: Set<string>;
  retryCounts: Map<string, number>;
  policyDecisions: Map<string, PolicyDecisionRecord>;
  pendingGates: Set<string>;
  /** Resolved gates by gate id. */
  resolvedGates: Map<string, { decision: string; actor?: string }>;
  verificationStatus: Map<string, 'started' | 'completed' | 'failed'>;
  evidenceRefs: Map<string, string[]>;
  toolFailures: Map<string, ToolFailureRecord[]>;
}

/** One replay step: the event at `index` and the state right after it. */
export interface ReplayStep {
  index: number;
  event: OxeEvent;
  state: RunState;
}

/** A RunState with no run and every Map/Set empty. */
export declare function createEmptyRunState(): RunState;

/** Folds `events` in order into a fresh RunState (pure, no file access). */
export declare function reduce(events: OxeEvent[]): RunState;

/** Applies one event and returns a new RunState; `state` itself is not modified. */
export declare function applyEventExported(state: RunState, event: OxeEvent): RunState;

/** The work item's status, or null when RunState does not know the item. */
export declare function getWorkItemStatus(state: RunState, workItemId: string): WorkItemStatus | null;

/** How many attempts the work item has started (0 when unknown). */
export declare function getAttemptCount(state: RunState, workItemId: string): number;

/** How many retries were scheduled for the work item (0 when unknown). */
export declare function getRetryCount(state: RunState, workItemId: string): number;

/** The last policy verdict recorded for the work item, or null. */
export declare function getPolicyDecision(state: RunState, workItemId: string): PolicyDecisionRecord | null;

/** The work item's verification progress, or null when none was recorded. */
export declare function getVerificationStatus(
  state: RunState,
  workItemId: string,
): 'started' | 'completed' | 'failed' | null;

/** Evidence ids recorded for the work item ([] when none). */
export declare function getEvidenceRefs(state: RunState, workItemId: string): string[];

/** ToolFailed records for the work item ([] when none). */
export declare function getToolFailures(state: RunState, workItemId: string): ToolFailureRecord[];

/** A generator that lazily yields one ReplayStep per event, in order. */
export declare function stepReplay(events: OxeEvent[]): Generator<ReplayStep>;

/** The first replay step for which `predicate` is truthy, or null. */
export declare function replayUntil(events: OxeEvent[], predicate: (step: ReplayStep) => boolean): ReplayStep | null;

/** The replay steps whose index lies in `from`..`to`, both ends included. */
export declare function replaySlice(events: OxeEvent[], from: number, to: number): ReplayStep[];

// ============================================================================
// compiler — PLAN/SPEC → execution graph
// ============================================================================

/** A task parsed from PLAN.md. */
export interface ParsedTask {
  id: string;
  title: string;
  /** null means wave 1. */
  wave: number | null;
  dependsOn: string[];
  files: string[];
  verifyCommand: string | null;
  /** Acceptance criterion ids this task satisfies. */
  aceite: string[];
  done: boolean;
  meta?: Record<string, unknown> | null;
}

/** An acceptance criterion parsed from SPEC.md. */
export interface ParsedSpecCriterion {
  id: string;
  criterion: string;
  howToVerify: string;
}

/** SPEC.md as parsed by the CLI. */
export interface ParsedSpec {
  objective: string | null;
  criteria: ParsedSpecCriterion[];
}

/** PLAN.md as parsed by the CLI. */
export interface ParsedPlan {
  tasks: ParsedTask[];
  /** Task ids per wave number. */
  waves: Record<number, string[]>;
  totalTasks: number;
}

/** One step of a graph node. */
export interface Action {
  type: 'read_code' | 'generate_patch' | 'run_tests' | 'run_lint' | 'collect_evidence' | 'custom';
  command?: string;
  targets?: string[];
}

/** What must hold for a node to count as verified. */
export interface VerifyContract {
  must_pass: string[];
  acceptance_refs: string[];
  command: string | null;
}

/** Per-node execution policy. */
export interface NodePolicy {
  requires_human_approval: boolean;
  max_retries: number;
}

/** One executable node of the graph (one plan task). */
export interface GraphNode {
  id: string;
  title: string;
  wave: number;
  depends_on: string[];
  workspace_strategy: WorkspaceStrategy;
  mutation_scope: string[];
  actions: Action[];
  verify: VerifyContract;
  policy: NodePolicy;
}

/** A dependency between two nodes. */
export interface GraphEdge {
  from: string;
  to: string;
  type: 'dependency' | 'wave_sequence';
}

/** The node ids of one wave, in plan order. */
export interface Wave {
  wave_number: number;
  node_ids: string[];
}

/** Provenance of a compiled graph. */
export interface ExecutionGraphMetadata {
  compiled_at: string;
  plan_hash: string;
  spec_hash: string;
  node_count: number;
  wave_count: number;
}

/** A compiled plan; `nodes` is a real Map keyed by node id. */
export interface ExecutionGraph {
  nodes: Map<string, GraphNode>;
  edges: GraphEdge[];
  /** Ascending by wave_number. */
  waves: Wave[];
  metadata: ExecutionGraphMetadata;
}

/** Knobs of `compile`; every field is optional. */
export interface CompilerOptions {
  /** Default 'git_worktree'. */
  default_workspace_strategy?: WorkspaceStrategy;
  /** Default 2. */
  default_max_retries?: number;
  /** Default false. */
  require_approval_for_all?: boolean;
  /** Default false. */
  skip_done_tasks?: boolean;
}

/** Compiles a parsed plan and spec into an ExecutionGraph (no file access). */
export declare function compile(plan: ParsedPlan, spec: ParsedSpec, options?: CompilerOptions): ExecutionGraph;

/** Problems found in the graph (unknown dependencies, a cycle); [] when it is sound. */
export declare function validateGraph(graph: ExecutionGraph): string[];

/** A JSON-ready copy of the graph whose `nodes` is a plain object instead of a Map. */
export declare function toSerializable(graph: ExecutionGraph): Record<string, unknown>;

/** Rebuilds an ExecutionGraph (with a Map of nodes) from `toSerializable` output. */
export declare function fromSerializable(raw: Record<string, unknown>): ExecutionGraph;

// ============================================================================
// scheduler — task execution contracts and the run journal
// ============================================================================

/** What an executor reports for one attempt. */
export interface TaskResult {
  success: boolean;
  failure_class: 'env' | 'policy' | 'test' | 'timeout' | null;
  evidence: string[];
  output: string;
}

/** User code that performs a node inside a leased workspace. */
export interface TaskExecutor {
  execute(node: GraphNode, lease: WorkspaceLease, runId: string, attemptNumber: number): Promise<TaskResult>;
}

/** Everything the Scheduler needs for one run. */
export interface SchedulerContext {
  projectRoot: string;
  sessionId: string | null;
  runId: string;
  executor: TaskExecutor;
  workspaceManager: WorkspaceManager;
  gateManager?: GateManager;
  policyEngine?: PolicyEngine;
  pluginRegistry?: PluginRegistry;
  auditTrail?: AuditTrail;
  /** Replaced (not mutated) by the scheduler as work is consumed. */
  quota?: RunQuota;
  /** Default 'runtime'. */
  policyActor?: string;
  /** Called synchronously for every event the scheduler emits. */
  onEvent?: (event: OxeEvent) => void;
}

/** How a scheduler run ended. */
export interface RunResult {
  run_id: string;
  status: 'completed' | 'failed' | 'blocked' | 'cancelled' | 'paused';
  completed: string[];
  failed: string[];
  blocked: string[];
  pending_gates?: string[];
}

/** The scheduler's persisted progress, stored at `.oxe/runs/<run>/journal.json`. */
export interface RunJournal {
  run_id: string;
  paused_at: string | null;
  cancelled: boolean;
  eligible_work_items: string[];
  completed_work_items: string[];
  failed_work_items: string[];
  blocked_work_items: string[];
  pending_gates: string[];
  replay_cursor: string | null;
  scheduler_state: 'running' | 'paused' | 'cancelled' | 'completed' | 'blocked';
  partial_result: Omit<RunResult, 'status'> | null;
}

/** Writes `.oxe/runs/<runId>/journal.json` (pretty JSON), creating the folder. */
export declare function saveJournal(projectRoot: string, runId: string, journal: RunJournal): void;

/** Reads `.oxe/runs/<runId>/journal.json`; null when it is missing or not valid JSON. */
export declare function loadJournal(projectRoot: string, runId: string): RunJournal | null;

/** Removes `.oxe/runs/<runId>/journal.json`; a missing file is not an error. */
export declare function deleteJournal(projectRoot: string, runId: string): void;

/** A fresh journal for `runId` in state 'running' (nothing is written). */
export declare function createJournal(runId: string): RunJournal;

/** Runs a compiled graph wave by wave, with retries, policy, gates, quotas and a persisted journal. */
export declare class Scheduler {
  /** Executes every wave of `graph`; settles with the run's outcome (paused runs settle early). */
  run(graph: ExecutionGraph, ctx: SchedulerContext): Promise<RunResult>;
  /** Resumes a paused run from its journal, skipping finished work; null when no paused journal exists. */
  recover(runId: string, ctx: SchedulerContext, graph: ExecutionGraph): Promise<RunResult | null>;
  /** Asks the run to pause at the next wave boundary (saves the journal at once when one exists). */
  pause(): void;
  /** Clears a pause request (saves the journal at once when one exists). */
  resume(): void;
  /** Cancels the run; safe to call from inside an executor (saves the journal at once when one exists). */
  cancel(): void;
  /** The live journal object of the current or last run, or null before any run. */
  getJournal(): RunJournal | null;
  /** Same as the `loadJournal` function: reads `.oxe/runs/<runId>/journal.json`, or null. */
  static loadJournal(projectRoot: string, runId: string): RunJournal | null;
}

// --- agents (registry, roles, budgets) ---

/** Liveness state of a registered agent. */
export type AgentStatus = 'idle' | 'running' | 'paused' | 'failed' | 'timeout';

/** The last heartbeat of an agent. */
export interface AgentHeartbeat {
  agent_id: string;
  last_seen: string;
  current_task: string | null;
  status: AgentStatus;
}

/** A role an agent can play in cooperative mode. */
export type AgentRole = 'planner' | 'executor' | 'reviewer' | 'verifier';

/** One logged agent action. */
export interface AgentActionLog {
  agent_id: string;
  role: AgentRole;
  work_item_id: string;
  action: 'execute' | 'verify' | 'review' | 'plan';
  result: 'success' | 'failure';
  duration_ms: number;
  timestamp: string;
}

/** An agent record kept by the agent registry (returned by reference). */
export interface RegisteredAgent {
  id: string;
  executor: TaskExecutor;
  workspaceManager: WorkspaceManager;
  assignedTaskIds: string[];
  heartbeat: AgentHeartbeat;
  role?: AgentRole;
  actionLog: AgentActionLog[];
}

/** Limits and consumption of one agent; unlimited maxima are Infinity. */
export interface AgentBudget {
  max_tokens: number;
  max_time_ms: number;
  max_retries: number;
  consumed_tokens: number;
  consumed_time_ms: number;
  consumed_retries: number;
}

/** A work item handed from one agent to another. */
export interface CooperativeHandoff {
  handoff_id: string;
  from_agent_id: string;
  to_agent_id: string;
  from_role: AgentRole;
  to_role: AgentRole;
  work_item_id: string;
  context_pack_ref: string | null;
  transferred_at: string;
}

/** An in-memory registry of agents with heartbeats, roles, action logs and failover. */
export declare class AgentRegistry {
  /** The stored records by agent id; TS-private as in 1.4.0, so read it as `registry['agents']`. */
  private agents: Map<string, RegisteredAgent>;
  /** `heartbeatTimeoutMs` (default 30000) is how long an agent stays alive after its last beat. */
  constructor(heartbeatTimeoutMs?: number);
  /** Adds an idle agent and returns its live record; throws when the id is already registered. */
  register(
    id: string,
    executor: TaskExecutor,
    workspaceManager: WorkspaceManager,
    assignedTaskIds?: string[],
    role?: AgentRole,
  ): RegisteredAgent;
  /** Removes an agent (unknown ids are ignored). */
  unregister(id: string): void;
  /** Records a heartbeat now; status becomes 'running' with a task, 'idle' without (unknown ids are ignored). */
  beat(id: string, currentTask?: string | null): void;
  /** Sets the heartbeat status of an agent (unknown ids are ignored). */
  setStatus(id: string, status: AgentStatus): void;
  /** True when the agent's last heartbeat is younger than the timeout. */
  isAlive(id: string): boolean;
  /** Agents whose last heartbeat is older than the timeout. */
  timedOut(): RegisteredAgent[];
  /** Agents whose last heartbeat is within the timeout. */
  liveAgents(): RegisteredAgent[];
  /** The live record of an agent, or null. */
  get(id: string): RegisteredAgent | null;
  /** Every live record, in registration order. */
  list(): RegisteredAgent[];
  /** Moves the tasks of timed-out agents (marked 'failed') to `fallbackAgentId`; returns the moved task ids. */
  failover(fallbackAgentId: string): string[];
  /** Agents registered with `role`. */
  getByRole(role: AgentRole): RegisteredAgent[];
  /** Appends an entry to an agent's action log (unknown ids are ignored). */
  logAction(agentId: string, log: AgentActionLog): void;
  /** Removes every agent. */
  clear(): void;
}

/** Picks one result among competing agents: a success with the most evidence, else the first result. */
export declare class ArbitrationEngine {
  /** The winning TaskResult; an empty list gives a failed result with output 'no results to arbitrate'. */
  arbitrate(results: Array<{ agent_id: string; result: TaskResult }>): TaskResult;
}

/** A budget with the given maxima (unset ones are Infinity) and nothing consumed. */
export declare function createBudget(
  opts?: Partial<Omit<AgentBudget, 'consumed_tokens' | 'consumed_time_ms' | 'consumed_retries'>>,
): AgentBudget;

/** A new budget with `delta` added to the consumed figures (the input is not modified). */
export declare function consumeBudget(
  budget: AgentBudget,
  delta: { tokens?: number; time_ms?: number; retries?: number },
): AgentBudget;

/** True when any consumed figure has reached its maximum. */
export declare function isBudgetExhausted(budget: AgentBudget): boolean;

/** A handoff record with a fresh `hoff-…` id and the current time. */
export declare function buildHandoff(opts: {
  from_agent_id: string;
  to_agent_id: string;
  from_role: AgentRole;
  to_role: AgentRole;
  work_item_id: string;
  context_pack_ref?: string | null;
}): CooperativeHandoff;

// --- multi-agent coordination ---

/** How several agents share a graph. */
export type CoordinationMode = 'parallel' | 'competitive' | 'cooperative';

/** One agent taking part in a coordinated run. */
export interface AgentSpec {
  id: string;
  executor: TaskExecutor;
  workspaceManager: WorkspaceManager;
  /** Node ids this agent owns in parallel mode. */
  assignedTaskIds?: string[];
}

/** Input of a coordinated multi-agent run. */
export interface CoordinationOptions {
  mode: CoordinationMode;
  agents: AgentSpec[];
  projectRoot: string;
  sessionId: string | null;
  runId: string;
  onEvent?: SchedulerContext['onEvent'];
}

/** Which agent's result won for one work item. */
export interface ArbitrationRecord {
  work_item_id: string;
  mode: CoordinationMode;
  winner_agent_id: string | null;
  participant_agent_ids: string[];
  success: boolean;
  failure_class: TaskResult['failure_class'];
  evidence_count: number;
  recorded_at: string;
}

/** Which agent owns a work item. */
export interface MultiAgentOwnership {
  work_item_id: string;
  owner_agent_id: string;
}

/** Persisted status of a multi-agent run (`.oxe/runs/<run>/multi-agent-state.json`). */
export interface MultiAgentStatusSnapshot {
  run_id: string;
  mode: CoordinationMode;
  workspace_isolation_required: 'isolated';
  workspace_isolation_enforced: boolean;
  agent_count: number;
  ownership: MultiAgentOwnership[];
  completed: string[];
  failed: string[];
  blocked: string[];
  agent_results: Array<{
    agent_id: string;
    isolation_level: 'shared' | 'isolated';
    assigned_task_ids: string[];
    completed: string[];
    failed: string[];
  }>;
  orphan_reassignments: Array<{
    from_agent_id: string;
    to_agent_id: string;
    work_item_ids: string[];
  }>;
  updated_at: string;
}

/** Result of a coordinated multi-agent run. */
export interface CoordinationResult {
  mode: CoordinationMode;
  run_id: string;
  completed: string[];
  failed: string[];
  blocked: string[];
  agent_results: Array<{
    agent_id: string;
    completed: string[];
    failed: string[];
  }>;
  handoffs?: CooperativeHandoff[];
  arbitration_results?: ArbitrationRecord[];
  state?: MultiAgentStatusSnapshot;
}

/** Runs one graph with several agents in parallel, competitive or cooperative mode (isolated workspaces only). */
export declare class MultiAgentCoordinator {
  /** Coordinates the run and persists its state; rejects on shared workspaces, too few agents or an unknown mode. */
  run(graph: ExecutionGraph, opts: CoordinationOptions): Promise<CoordinationResult>;
}

/** Path of `.oxe/runs/<runId>/multi-agent-state.json`. */
export declare function multiAgentStatePath(projectRoot: string, runId: string): string;

/** Reads the persisted multi-agent state of a run; null when missing or unreadable. */
export declare function loadMultiAgentState(projectRoot: string, runId: string): MultiAgentStatusSnapshot | null;

// ============================================================================
// workspace
// ============================================================================

/** What the scheduler asks a WorkspaceManager for. */
export interface WorkspaceRequest {
  work_item_id: string;
  attempt_number: number;
  strategy: WorkspaceStrategy;
  mutation_scope: string[];
}

/** Contract of any workspace manager, built-in or user-supplied. */
export interface WorkspaceManager {
  readonly isolation_level: WorkspaceIsolationLevel;
  allocate(req: WorkspaceRequest): Promise<WorkspaceLease>;
  snapshot(id: string): Promise<SnapshotRef>;
  reset(id: string, snapRef: SnapshotRef): Promise<void>;
  /** Must return a thenable: the scheduler attaches `.catch` to it. */
  dispose(id: string): Promise<void>;
}

/** Settings of the container workspace manager. */
export interface ContainerOptions {
  image: string;
  mountPath: string;
  extraEnv?: Record<string, string>;
  /** Use git worktrees when Docker is unavailable (on unless false). */
  fallback?: boolean;
}

/** Runs every attempt directly in the project folder (shared, nothing to clean up). */
export declare class InplaceWorkspaceManager implements WorkspaceManager {
  /** Always 'shared'. */
  readonly isolation_level: 'shared';
  /** Leases point at `projectRoot` itself. */
  constructor(projectRoot: string);
  /** A lease `ws-inplace-<item>-a<n>` rooted at the project, with no branch or base commit. */
  allocate(req: WorkspaceRequest): Promise<WorkspaceLease>;
  /** A `snap-…` reference at commit 'HEAD' (nothing is copied). */
  snapshot(id: string): Promise<SnapshotRef>;
  /** Does nothing. */
  reset(id: string, snapRef: SnapshotRef): Promise<void>;
  /** Does nothing. */
  dispose(id: string): Promise<void>;
}

/** Gives each attempt its own git worktree under `.oxe/workspaces/` on an `oxe/<item>-attempt<n>` branch. */
export declare class GitWorktreeManager implements WorkspaceManager {
  /** Always 'isolated'. */
  readonly isolation_level: 'isolated';
  /** `projectRoot` must be a git repository with at least one commit. */
  constructor(projectRoot: string);
  /** Adds a worktree and branch for the attempt (runs git synchronously). */
  allocate(req: WorkspaceRequest): Promise<WorkspaceLease>;
  /** The worktree's current HEAD commit; rejects for an unknown workspace. */
  snapshot(id: string): Promise<SnapshotRef>;
  /** Hard-resets the worktree to the snapshot's commit (unknown ids are ignored). */
  reset(id: string, snapRef: SnapshotRef): Promise<void>;
  /** Removes the worktree and deletes its branch, ignoring git errors (unknown ids are ignored). */
  dispose(id: string): Promise<void>;
}

/** Gives each attempt a Docker container, or falls back to git worktrees when Docker is unavailable. */
export declare class EphemeralContainerManager implements WorkspaceManager {
  /** Probes Docker synchronously; throws when it is missing and `opts.fallback` is false. */
  constructor(projectRoot: string, opts?: ContainerOptions);
  /** 'isolated', or the fallback manager's level once it is in use. */
  get isolation_level(): 'shared' | 'isolated';
  /** True once the git worktree fallback is in use. */
  get usingFallback(): boolean;
  /** Starts a container with the project mounted (or a worktree, on fallback). */
  allocate(req: WorkspaceRequest): Promise<WorkspaceLease>;
  /** Commits the container to an `oxe-snap-…` image; rejects for an unknown workspace. */
  snapshot(id: string): Promise<SnapshotRef>;
  /** Replaces the container with one started from the snapshot image. */
  reset(id: string, snapRef: SnapshotRef): Promise<void>;
  /** Stops and removes the container. */
  dispose(id: string): Promise<void>;
}

// ============================================================================
// evidence
// ============================================================================

/** Which attempt an evidence operation targets. */
export interface EvidenceCollectOptions {
  work_item_id: string;
  run_id: string;
  attempt_number: number;
}

/** A stored evidence entry together with its bytes. */
export interface EvidenceContent {
  evidence: Evidence;
  content: NodeBuffer;
}

/** Stores evidence artifacts per attempt under `.oxe/evidence/runs/<run>/<item>/attempt-<n>/` with an index.json. */
export declare class EvidenceStore {
  /** Artifacts are written below `projectRoot`. */
  constructor(projectRoot: string);
  /** Writes the bytes (a string is UTF-8 encoded) as the next artifact of `type` and indexes it. */
  collect(type: EvidenceType, content: NodeBuffer | string, opts: EvidenceCollectOptions): Promise<Evidence>;
  /** The index entries of one attempt ([] when none). */
  list(opts: EvidenceCollectOptions): Promise<Evidence[]>;
  /** An indexed artifact with its bytes as a Buffer; null when unknown or its file is gone. */
  get(evidenceId: string, opts: EvidenceCollectOptions): Promise<EvidenceContent | null>;
  /** Every index entry of a run, across work items and attempts, in sorted folder order. */
  listByRun(runId: string): Promise<Evidence[]>;
}

// ============================================================================
// verification — acceptance checks, manifest, residual risk
// ============================================================================

/** Category of an acceptance check. */
export type CheckType =
  | 'unit'
  | 'integration'
  | 'contract'
  | 'smoke'
  | 'policy'
  | 'security'
  | 'ux_snapshot'
  | 'performance_baseline'
  | 'custom';

/** One runnable acceptance check. */
export interface AcceptanceCheck {
  id: string;
  type: CheckType;
  command: string | null;
  evidence_type_expected: EvidenceType;
  acceptance_ref: string | null;
  description: string;
}

/** The checks compiled from a spec and plan. */
export interface AcceptanceCheckSuite {
  checks: AcceptanceCheck[];
  compiled_at: string;
  spec_hash: string;
  plan_hash: string;
}

/** The raw outcome of running one check. */
export interface CheckResult {
  check_id: string;
  acceptance_ref: string | null;
  status: VerificationStatus;
  stdout: string;
  stderr: string;
  exit_code: number | null;
  duration_ms: number;
  error: string | null;
  evidence_refs?: string[];
}

/** Everything produced by executing a suite. */
export interface ExecutedVerificationSuite {
  results: CheckResult[];
  verification_results: VerificationResult[];
  /** Evidence ids per check id (only checks that produced some). */
  evidence_refs: Map<string, string[]>;
  manifest: VerificationManifest;
  risk_ledger: ResidualRiskLedger;
  evidence_coverage: EvidenceCoverageSummary;
}

/** Outcome of verifying a run end to end. */
export interface VerifyRunResult {
  status: 'passed' | 'failed' | 'partial';
  suite: AcceptanceCheckSuite;
  executed: ExecutedVerificationSuite | null;
  gaps: string[];
  verification_results: VerificationResult[];
  check_results: CheckResult[];
  manifest: VerificationManifest | null;
  risk_ledger: ResidualRiskLedger | null;
  evidence_coverage: EvidenceCoverageSummary | null;
}

/** How strict a verification pass is. */
export type VerificationProfile = 'quick' | 'standard' | 'critical';

/** Why a check did not pass. */
export type FailureClass =
  | 'deterministic'
  | 'flaky'
  | 'timeout'
  | 'env_setup'
  | 'policy_failure'
  | 'evidence_missing';

/** What a manifest covers. */
export type VerificationGranularity = 'work_item' | 'wave' | 'run';

/** One check line of a verification manifest. */
export interface ManifestCheck {
  check_id: string;
  acceptance_ref: string | null;
  status: VerificationStatus;
  failure_class: FailureClass | null;
  evidence_refs: string[];
  duration_ms: number;
}

/** Summary of a verification pass (`.oxe/runs/<run>/verification-manifest.json`). */
export interface VerificationManifest {
  manifest_id: string;
  run_id: string;
  work_item_id: string | null;
  wave: number | null;
  granularity: VerificationGranularity;
  profile: VerificationProfile;
  compiled_at: string;
  checks: ManifestCheck[];
  summary: {
    total: number;
    pass: number;
    fail: number;
    skip: number;
    error: number;
    all_passed: boolean;
  };
}

/** A risk left open by a failed check. */
export interface ResidualRisk {
  risk_id: string;
  work_item_id: string | null;
  check_id: string | null;
  failure_class: FailureClass;
  description: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  mitigation: string | null;
}

/** The open risks of a run (`.oxe/runs/<run>/residual-risk-ledger.json`). */
export interface ResidualRiskLedger {
  run_id: string;
  generated_at: string;
  risks: ResidualRisk[];
}

/** How many checks produced evidence (`.oxe/runs/<run>/evidence-coverage.json`). */
export interface EvidenceCoverageSummary {
  total_checks: number;
  checks_with_evidence: number;
  total_evidence_refs: number;
  coverage_percent: number;
}

/** Compiles SPEC criteria and PLAN verify commands into acceptance checks (the verification `compile`; no file access). */
export declare function compileVerification(
  spec: VerificationSpecInput,
  plan: VerificationPlanInput,
): AcceptanceCheckSuite;

/** Runs one check's command (split on whitespace, no shell); a null or empty command gives 'skip'. */
export declare function runCheck(check: AcceptanceCheck, cwd: string, timeoutMs?: number): Promise<CheckResult>;

/** Runs the suite's checks one after another. */
export declare function runSuite(suite: AcceptanceCheckSuite, cwd: string, timeoutMs?: number): Promise<CheckResult[]>;

/** Runs the suite through verifier providers or commands, collects evidence, and builds manifest, risks and coverage. */
export declare function executeSuite(
  suite: AcceptanceCheckSuite,
  cwd: string,
  options: {
    timeoutMs?: number;
    runId: string;
    workItemId: string;
    attemptNumber?: number;
    evidenceStore?: EvidenceStore;
    pluginRegistry?: PluginRegistry;
  },
): Promise<ExecutedVerificationSuite>;

/** Counts check results by status; `allPassed` means no fail and no error. */
export declare function summarizeSuite(results: CheckResult[]): {
  total: number;
  pass: number;
  fail: number;
  skip: number;
  error: number;
  allPassed: boolean;
};

/** Executes the suite and writes the run's manifest, risk ledger and coverage; an empty suite gives 'partial'. */
export declare function verifyRun(input: {
  projectRoot: string;
  runId: string;
  workItemId: string;
  cwd: string;
  suite: AcceptanceCheckSuite;
  pluginRegistry?: PluginRegistry;
  evidenceStore?: EvidenceStore;
  attemptNumber?: number;
  timeoutMs?: number;
}): Promise<VerifyRunResult>;

/** Why a check did not pass, or null for pass and skip. */
export declare function classifyFailure(result: CheckResult): FailureClass | null;

/** A manifest over check results (granularity 'run' and profile 'standard' unless given). */
export declare function buildManifest(
  runId: string,
  results: CheckResult[],
  options?: {
    workItemId?: string;
    wave?: number;
    granularity?: VerificationGranularity;
    profile?: VerificationProfile;
    evidenceRefs?: Map<string, string[]>;
  },
): VerificationManifest;

/** The residual risks of the manifest's failed checks that its profile cares about. */
export declare function buildRiskLedger(runId: string, manifest: VerificationManifest): ResidualRiskLedger;

/** How many of the manifest's checks carry evidence (100% for an empty manifest). */
export declare function summarizeEvidenceCoverage(manifest: VerificationManifest): EvidenceCoverageSummary;

/** Writes `.oxe/runs/<runId>/verification-manifest.json`. */
export declare function saveManifest(projectRoot: string, runId: string, manifest: VerificationManifest): void;

/** Reads the run's verification manifest; null when missing or unreadable. */
export declare function loadManifest(projectRoot: string, runId: string): VerificationManifest | null;

/** Writes `residual-risk-ledger.json` and its legacy twin `residual-risks.json` for the run. */
export declare function saveRiskLedger(projectRoot: string, runId: string, ledger: ResidualRiskLedger): void;

/** Reads the run's risk ledger (the canonical file first, then the legacy one); null when neither is readable. */
export declare function loadRiskLedger(projectRoot: string, runId: string): ResidualRiskLedger | null;

/** Writes `.oxe/runs/<runId>/evidence-coverage.json`. */
export declare function saveEvidenceCoverage(
  projectRoot: string,
  runId: string,
  coverage: EvidenceCoverageSummary,
): void;

/** Reads the run's evidence coverage; null when missing or unreadable. */
export declare function loadEvidenceCoverage(projectRoot: string, runId: string): EvidenceCoverageSummary | null;

// ============================================================================
// policy
// ============================================================================

/** What a matching policy rule does. */
export type PolicyAction = 'allow' | 'deny' | 'require_human_gate';

/** The kind of side effect an action has. */
export type SideEffectClass =
  | 'read_fs'
  | 'write_fs'
  | 'spawn_process'
  | 'network_call'
  | 'git_mutation'
  | 'db_change'
  | 'secret_access'
  | 'infra_operation';

/** How much autonomy a node has (L0 = read only … L3 = anything). */
export type AutonomyTier = 'L0' | 'L1' | 'L2' | 'L3';

/** Conditions of a rule; every field present must equal the context's. */
export interface PolicyWhenClause {
  tool?: string;
  env?: string;
  kind?: string;
  side_effect_class?: SideEffectClass;
  autonomy_tier?: AutonomyTier;
}

/** Extra assertions a matching rule enforces. */
export interface PolicyAssertClause {
  diff_within_scope?: boolean;
}

/** Per-node policy inputs. */
export interface NodePolicyConfig {
  max_retries: number;
  mutation_budget?: number;
  autonomy_tier?: AutonomyTier;
  allowed_side_effects?: SideEffectClass[];
}

/** Project-wide protections checked before any rule. */
export interface EnvironmentGuardrail {
  protected_paths: string[];
  protected_branches: string[];
  require_human_gate_on: SideEffectClass[];
}

/** One policy rule. */
export interface PolicyRule {
  id: string;
  when: PolicyWhenClause;
  assert?: PolicyAssertClause;
  action: PolicyAction;
}

/** What a policy evaluation looks at. */
export interface PolicyContext {
  tool: string;
  env?: string;
  kind?: string;
  mutation_scope?: string[];
  affected_paths?: string[];
  side_effect_class?: SideEffectClass;
  autonomy_tier?: AutonomyTier;
  mutation_count?: number;
  node_policy?: NodePolicyConfig;
}

/** The verdict of one policy evaluation. */
export interface PolicyDecision {
  decision_id: string;
  allowed: boolean;
  gate_required: boolean;
  reason: string;
  rule_id: string | null;
  timestamp: string;
}

/** A policy verdict as stored in `.oxe/runs/<run>/policy-decisions.json`. */
export interface PersistedPolicyDecision extends PolicyDecision {
  run_id: string;
  work_item_id: string | null;
  action: string;
  actor: string;
  override: boolean;
  rationale: string | null;
  context: PolicyContext;
}

/** Evaluates actions against autonomy tiers, guardrails, mutation budgets and ordered rules (immutable). */
export declare class PolicyEngine {
  /** Rules are tried in order after the guardrail checks; the guardrail defaults to `PolicyEngine.defaultGuardrail()`. */
  constructor(rules?: PolicyRule[], guardrail?: EnvironmentGuardrail);
  /** The first decision that applies (tier, guardrail path, guardrail side effect, budget, rules), else default allow. */
  evaluate(ctx: PolicyContext): PolicyDecision;
  /** A new engine with `rule` appended; this one is unchanged. */
  withRule(rule: PolicyRule): PolicyEngine;
  /** A new engine with the same rules and `guardrail`; this one is unchanged. */
  withGuardrail(guardrail: EnvironmentGuardrail): PolicyEngine;
  /** The engine's live guardrail object. */
  getGuardrail(): EnvironmentGuardrail;
  /** An engine from `{ policies, guardrail }`, both optional. */
  static fromConfig(config: { policies?: PolicyRule[]; guardrail?: EnvironmentGuardrail }): PolicyEngine;
  /** An engine from a JS or JSON file loaded with `require`; any error gives an engine with no rules. */
  static fromConfigFile(configPath: string): PolicyEngine;
  /** A fresh copy of the default guardrail (protects .oxe/config.json, .env and package.json). */
  static defaultGuardrail(): EnvironmentGuardrail;
}

/** Adds the decision to `.oxe/runs/<run_id>/policy-decisions.json`, replacing one with the same decision_id; returns it. */
export declare function savePolicyDecision(
  projectRoot: string,
  decision: PersistedPolicyDecision,
): PersistedPolicyDecision;

/** The run's persisted policy decisions ([] when missing or unreadable). */
export declare function loadPolicyDecisions(projectRoot: string, runId: string): PersistedPolicyDecision[];

/** Counts decisions: total, denied, gated, and overrides that lack a rationale. */
export declare function summarizePolicyDecisions(decisions: PersistedPolicyDecision[]): {
  total: number;
  denied: number;
  gated: number;
  overridesWithoutRationale: number;
};

// ============================================================================
// gate — human approval queue (`GATES.json`)
// ============================================================================

/** The caller-supplied description of why a gate is requested. */
export interface GateContext {
  work_item_id?: string;
  run_id?: string;
  action?: string;
  description: string;
  evidence_refs: string[];
  risks: string[];
  rationale?: string;
  policy_decision_id?: string | null;
}

/** One entry of a gate's resolution history. */
export interface GateResolutionRecord {
  decision: GateDecisionValue;
  actor: string;
  reason?: string;
  resolved_at: string;
}

/** A gate as stored in GATES.json; resolution fields appear once resolved. */
export interface GateToken {
  gate_id: string;
  scope: GateScope;
  run_id: string | null;
  work_item_id: string | null;
  action: string | null;
  requested_at: string;
  context: GateContext;
  status: 'pending' | 'resolved';
  decision?: GateDecisionValue;
  actor?: string;
  reason?: string;
  resolved_at?: string;
  resolution_history?: GateResolutionRecord[];
}

/** A verdict to apply to a gate. */
export interface GateResolution {
  decision: GateDecisionValue;
  actor: string;
  reason?: string;
}

/** Filters over the gate queue; falsy fields are ignored. */
export interface GateQuery {
  run_id?: string | null;
  status?: 'pending' | 'stale' | 'resolved' | 'all';
  scope?: GateScope;
  work_item_id?: string | null;
  action?: string | null;
  gate_sla_hours?: number;
}

/** A grouped view of the gate queue. */
export interface GateQueueSnapshot {
  total: number;
  gate_sla_hours: number;
  pending: GateToken[];
  stale_pending: GateToken[];
  staleCount: number;
  resolved_recent: GateToken[];
  byRun: Record<string, number>;
  byScope: Record<string, number>;
  all: GateToken[];
}

/** The human approval queue of a run, kept in GATES.json (re-read on every call). */
export declare class GateManager {
  /** Gates live in `.oxe/execution/GATES.json`, or `.oxe/<session>/execution/GATES.json` with a session. */
  constructor(projectRoot: string, sessionId: string | null, runId: string);
  /** Stores a new pending `gate-…` token and emits GateRequested. */
  request(scope: GateScope, ctx: GateContext): Promise<GateToken>;
  /** Records the verdict on the stored gate (history appended), emits GateResolved; rejects for an unknown gate. */
  resolve(token: GateToken, resolution: GateResolution): Promise<GateToken>;
  /** True when a gate of this scope is pending. */
  isPending(scope: GateScope): boolean;
  /** Every pending gate. */
  listPending(): GateToken[];
  /** Every resolved gate. */
  listResolved(): GateToken[];
  /** Pending gates of a run (this manager's run by default). */
  listPendingByRun(runId?: string): GateToken[];
  /** Pending gates of a work item. */
  listPendingForWorkItem(workItemId: string): GateToken[];
  /** Pending gates requested at least `maxAgeHours` (default 24) ago. */
  stalePending(maxAgeHours?: number): GateToken[];
  /** Gates resolved within the last `maxAgeHours` (default 24). */
  listRecentResolved(maxAgeHours?: number): GateToken[];
  /** Every gate in the file. */
  listAll(): GateToken[];
  /** The stored gate with this id, or null. */
  get(gateId: string): GateToken | null;
  /** The gates matching every truthy field of `query`. */
  filter(query?: GateQuery): GateToken[];
  /** The filtered queue split into pending, stale and recently resolved, with counts by run and scope. */
  snapshot(maxAgeHours?: number, query?: Omit<GateQuery, 'gate_sla_hours'>): GateQueueSnapshot;
}

/** The manager's queue snapshot for a run (the whole snapshot, not only the pending list). */
export declare function listPendingGates(
  manager: GateManager,
  runId?: string,
  query?: Omit<GateQuery, 'run_id'>,
): GateQueueSnapshot;

/** Looks a gate up by id and resolves it; rejects when the id is unknown. */
export declare function resolveGate(
  manager: GateManager,
  gateId: string,
  resolution: GateResolution,
): Promise<GateToken>;

// ============================================================================
// projection — Markdown views of a run
// ============================================================================

/** Renders run state (and graph or verification data) as the Markdown files the CLI writes. */
export declare class ProjectionEngine {
  /** PLAN.md: run summary and one table per wave. */
  projectPlan(state: RunState, graph: ExecutionGraph): string;
  /** VERIFY.md: criteria, manifest, coverage, risks, executed checks and the conclusion. */
  projectVerify(
    state: RunState,
    results: VerificationResult[],
    checkResults?: CheckResult[],
    manifest?: VerificationManifest | null,
    riskLedger?: ResidualRiskLedger | null,
    evidenceCoverage?: {
      total_checks: number;
      checks_with_evidence: number;
      total_evidence_refs: number;
      coverage_percent: number;
    } | null,
  ): string;
  /** STATE.md: run status, progress lists and lifecycle status. */
  projectState(state: RunState): string;
  /** RUN-SUMMARY.md: status, counts and item lists (no trailing newline). */
  projectRunSummary(state: RunState): string;
  /** PR-SUMMARY.md: same text as `projectPromotionSummary`. */
  projectPRSummary(state: RunState, graph: ExecutionGraph): string;
  /** COMMIT-SUMMARY.md: included work items and attention points. */
  projectCommitSummary(state: RunState, graph: ExecutionGraph): string;
  /** PROMOTION-SUMMARY.md: completed and incomplete items and a per-wave test plan. */
  projectPromotionSummary(state: RunState, graph: ExecutionGraph): string;
}

// ============================================================================
// plugins — provider ABI, manifests, capability matrix
// ============================================================================

/** Input of a tool provider call. */
export interface ToolInvocationInput {
  action_type: string;
  work_item_id: string;
  run_id: string;
  attempt_id: string;
  params: Record<string, unknown>;
  workspace_root: string;
}

/** Output of a tool provider call. */
export interface ToolInvocationResult {
  success: boolean;
  output: string;
  evidence_paths: string[];
  side_effects_applied: string[];
  error?: string;
}

/** A plugin component that performs graph actions. */
export interface ToolProvider {
  readonly name: string;
  readonly kind: 'read' | 'mutation' | 'verification' | 'analysis' | 'external_operation';
  readonly idempotent: boolean;
  supports(actionType: string): boolean;
  invoke(input: ToolInvocationInput): Promise<ToolInvocationResult>;
}

/** A plugin component that allocates workspaces for some strategies. */
export interface WorkspaceProvider extends WorkspaceManager {
  readonly name: string;
  readonly isolation_level: 'shared' | 'isolated';
  supportsStrategy(strategy: string): boolean;
}

/** Input of a verifier provider call. */
export interface VerificationInput {
  check_id: string;
  check_type: string;
  command: string | null;
  work_item_id: string;
  workspace_root: string;
  evidence_dir: string;
}

/** A plugin component that runs acceptance checks of some types. */
export interface VerifierProvider {
  readonly name: string;
  supports(checkType: string): boolean;
  execute(input: VerificationInput): Promise<VerificationResult>;
}

/** Input of a context provider call. */
export interface ContextRequest {
  work_item_id: string;
  run_id: string;
  decision_type: 'execute' | 'verify' | 'plan' | 'review';
  artifact_paths: string[];
  project_root: string;
}

/** One artifact a context provider selected. */
export interface PluginContextArtifact {
  source: string;
  weight: number;
  reason: string;
  content?: string;
}

/** What a context provider returns. */
export interface PluginContextArtifacts {
  included: PluginContextArtifact[];
  excluded: Array<{ source: string; reason: string }>;
  total_weight: number;
}

/** A plugin component that gathers context for a decision. */
export interface ContextProvider {
  readonly name: string;
  collect(input: ContextRequest): Promise<PluginContextArtifacts>;
}

/** A runtime plugin: a named bundle of providers and hooks. */
export interface OxePlugin {
  readonly name: string;
  readonly version?: string;
  readonly abi_version?: string;
  toolProviders?: ToolProvider[];
  workspaceProviders?: WorkspaceProvider[];
  verifierProviders?: VerifierProvider[];
  contextProviders?: ContextProvider[];
  /** Lifecycle hooks by name, run one after another. */
  hooks?: Record<string, (ctx: Record<string, unknown>) => Promise<void> | void>;
}

/** What a plugin offers, derived from its providers. */
export interface PluginManifest {
  name: string;
  version: string;
  abi_version: string;
  capabilities: Array<'tool' | 'workspace' | 'verifier' | 'context' | 'hooks'>;
  tool_action_types?: string[];
  workspace_strategies?: string[];
  verifier_check_types?: string[];
  context_provider_names?: string[];
  hook_names?: string[];
}

/** Result of validating a plugin before registration. */
export interface PluginValidationResult {
  valid: boolean;
  errors: string[];
  warnings: string[];
}

/** Maturity of a provider API. */
export type ApiStability = 'stable' | 'experimental' | 'deprecated';

/** One provider row of the capability matrix. */
export interface ProviderCapabilityEntry {
  plugin: string;
  name: string;
  capability: string;
  provider_type: 'tool' | 'workspace' | 'verifier' | 'context';
  stability: ApiStability;
  abi_version: string;
  since_abi_version: string;
  supported: string[];
  fallback_available: boolean;
  deprecated_in?: string;
  replacement?: string;
}

/** Every registered provider with its stability. */
export interface CapabilityMatrix {
  abi_version: string;
  entries: ProviderCapabilityEntry[];
}

/** The plugin ABI version this runtime implements. */
export declare const CURRENT_ABI_VERSION = '1';

/** Describes what a plugin offers by probing its providers (no side effects beyond `supports` calls). */
export declare function extractManifest(plugin: OxePlugin): PluginManifest;

/** Checks a plugin's name, ABI and providers; errors make it unregistrable, warnings do not. */
export declare function validatePlugin(plugin: OxePlugin): PluginValidationResult;

/** True when the major part of `pluginAbiVersion` equals the runtime ABI ('1', '1.0.0' and '1.9' pass). */
export declare function isAbiCompatible(pluginAbiVersion: string): boolean;

/** Calls `fn` and settles with its result, or rejects once `timeoutMs` (default 10000) has passed. */
export declare function sandboxInvoke<T>(fn: () => Promise<T>, timeoutMs?: number): Promise<T>;

/** The plugins of a runtime, in registration order, with provider lookups, hooks and introspection. */
export declare class PluginRegistry {
  /** Validates and stores the plugin object; throws on a duplicate name or validation errors. */
  register(plugin: OxePlugin): void;
  /** Removes the plugin with this name (unknown names are ignored). */
  unregister(name: string): void;
  /** Requires every `*.js`/`*.cjs` file of `dir` in sorted order and registers the plugins; returns their names. */
  loadFromDirectory(dir: string): string[];
  /** The first tool provider that supports the action type, or null. */
  toolProviderFor(actionType: string): ToolProvider | null;
  /** The first workspace provider that supports the strategy, or null. */
  workspaceProviderFor(strategy: string): WorkspaceProvider | null;
  /** The first verifier provider that supports the check type, or null. */
  verifierProviderFor(checkType: string): VerifierProvider | null;
  /** The first context provider with this name, or null. */
  contextProviderFor(name: string): ContextProvider | null;
  /** Every context provider of every plugin. */
  allContextProviders(): ContextProvider[];
  /** Every tool provider of every plugin. */
  allToolProviders(): ToolProvider[];
  /** Awaits the named hook of each plugin in turn; rejects when one throws. */
  runHook(hookName: string, ctx: Record<string, unknown>): Promise<void>;
  /** One line per plugin with its providers as 'tool:<name>', 'workspace:<name>', … */
  list(): Array<{ name: string; version?: string; providers: string[] }>;
  /** Registers the plugins built from `.oxe/capabilities/*` of the project; returns their names. */
  registerProjectCapabilities(projectRoot: string): string[];
  /** A copy of the errors recorded while loading plugins. */
  loadErrorsSnapshot(): string[];
  /** Forgets the recorded load errors. */
  clearLoadErrors(): void;
  /** Per plugin: name, versions and the names (and tool kinds) of its providers. */
  snapshot(): Array<{
    name: string;
    version?: string;
    abi_version?: string;
    toolProviders: Array<{ name: string; kind: string; idempotent: boolean }>;
    workspaceProviders: Array<{ name: string }>;
    verifierProviders: Array<{ name: string }>;
    contextProviders: Array<{ name: string }>;
  }>;
  /** Counts of plugins, providers and load errors (snake_case and camelCase), plus `list()`. */
  summary(): {
    total_plugins: number;
    tool_providers: number;
    workspace_providers: number;
    verifier_providers: number;
    context_providers: number;
    load_errors: number;
    pluginsCount: number;
    toolProviders: number;
    workspaceProviders: number;
    verifierProviders: number;
    contextProviders: number;
    loadErrors: number;
    plugins: Array<{ name: string; version?: string; providers: string[] }>;
  };
  /** The capability matrix of the registered providers (same as `buildMatrix(this)`). */
  capabilityMatrix(): CapabilityMatrix;
}

/** The process-wide registry, created on first use (the same object on every call). */
export declare function globalRegistry(): PluginRegistry;

/** Drops the process-wide registry; the next `globalRegistry()` creates a new one. */
export declare function resetGlobalRegistry(): void;

/** Same as `registry.summary()`. */
export declare function registrySummary(registry: PluginRegistry): ReturnType<PluginRegistry['summary']>;

/** Same as `registry.capabilityMatrix()`. */
export declare function resolveCapabilityMatrix(registry: PluginRegistry): CapabilityMatrix;

/** One stable entry per registered provider, with the action or check types it actually serves. */
export declare function buildMatrix(registry: PluginRegistry): CapabilityMatrix;

/** The entries marked 'stable'. */
export declare function getStableEntries(matrix: CapabilityMatrix): ProviderCapabilityEntry[];

/** The entries marked 'experimental'. */
export declare function getExperimentalEntries(matrix: CapabilityMatrix): ProviderCapabilityEntry[];

/** The entries marked 'deprecated'. */
export declare function getDeprecatedEntries(matrix: CapabilityMatrix): ProviderCapabilityEntry[];

/** A copy of the matrix with every entry named `name` marked deprecated in `deprecatedIn`. */
export declare function markDeprecated(
  matrix: CapabilityMatrix,
  name: string,
  deprecatedIn: string,
  replacement?: string,
): CapabilityMatrix;

/** A copy with `entry` appended, or the same matrix when its name and provider type are already present. */
export declare function addEntry(matrix: CapabilityMatrix, entry: ProviderCapabilityEntry): CapabilityMatrix;

/** A `capability:<id>` plugin whose tool (and verifier, with check types) runs the capability's entrypoint. */
export declare function createCapabilityPlugin(projectRoot: string, manifest: CapabilityManifest): OxePlugin;

/** The plugins of every `.oxe/capabilities/<dir>/CAPABILITY.md` of the project, in sorted order. */
export declare function loadCapabilityPlugins(projectRoot: string): OxePlugin[];

// ============================================================================
// delivery — branches, pull requests, CI checks, promotion
// ============================================================================

/** A local git branch. */
export interface BranchInfo {
  name: string;
  current: boolean;
  commit: string;
}

/** Synchronous git branch operations in the project folder (each throws when git fails). */
export declare class BranchManager {
  /** git runs with `projectRoot` as its working directory. */
  constructor(projectRoot: string);
  /** The checked-out branch name. */
  currentBranch(): string;
  /** The HEAD commit sha. */
  currentCommit(): string;
  /** Creates and checks out `oxe/<sessionId>`; returns the branch name. */
  createSessionBranch(sessionId: string): string;
  /** Creates and checks out `name` (prefixed with `oxe/` when needed), from `base` if given; returns the branch name. */
  createOxeBranch(name: string, base?: string): string;
  /** Checks out an existing branch. */
  switchTo(branchName: string): void;
  /** Deletes a branch (`-D` when `force`). */
  deleteBranch(name: string, force?: boolean): void;
  /** The local `oxe/*` branches. */
  listOxeBranches(): BranchInfo[];
  /** Merges the worktree branch into `targetBranch` with --no-ff, then returns to the previous branch. */
  mergeWorktreeBranch(worktreeBranch: string, targetBranch: string): void;
  /** True when the name resolves to a commit. */
  branchExists(name: string): boolean;
  /** Pushes the branch to the remote (`-u` when `setUpstream`). */
  push(remote: string, branchName: string, setUpstream?: boolean): void;
}

/** Input for opening a pull request. */
export interface PRDraftOptions {
  title: string;
  body: string;
  base?: string;
  head?: string;
  draft?: boolean;
}

/** A pull request as reported by the GitHub CLI. */
export interface PRInfo {
  number: number;
  title: string;
  url: string;
  state: string;
  draft: boolean;
  head: string;
  base: string;
}

/** Outcome of a pull-request operation. */
export interface PRResult {
  success: boolean;
  url?: string;
  error?: string;
  pr?: PRInfo;
}

/** Synchronous pull-request operations through the GitHub CLI (`gh`). */
export declare class PRManager {
  /** gh runs with `projectRoot` as its working directory. */
  constructor(projectRoot: string);
  /** True when `gh --version` succeeds. */
  isAvailable(): boolean;
  /** Opens a pull request (a draft unless `draft` is false); the url is in the result. */
  createDraft(opts: PRDraftOptions): PRResult;
  /** Reads a pull request by number or url. */
  view(prNumberOrUrl: string | number): PRResult;
  /** Merges a pull request with the given method (default 'merge') and deletes its branch. */
  mergePR(prNumber: number, method?: 'merge' | 'squash' | 'rebase'): PRResult;
}

/** Outcome of one CI check. */
export type CICheckStatus = 'pass' | 'fail' | 'skip' | 'error';

/** What a CI check receives. */
export interface CICheckContext {
  projectRoot: string;
  sessionId: string | null;
  runId?: string;
  evidenceStore?: EvidenceStore;
}

/** The result of one CI check. */
export interface CICheckResult {
  check: string;
  status: CICheckStatus;
  message: string;
  details?: unknown;
}

/** A CI check; `run` is called with `this` bound to the check. */
export interface CICheck {
  name: string;
  description: string;
  run(ctx: CICheckContext): Promise<CICheckResult>;
}

/** 'oxe-plan-consistency': the active run exists and has a compiled graph. */
export declare const planConsistencyCheck: CICheck;

/** 'oxe-verify-acceptance': the run's manifest (or VERIFY.md) reports no failures. */
export declare const verifyAcceptanceCheck: CICheck;

/** 'oxe-policy': no pending gate and no policy override without a rationale. */
export declare const policyCheck: CICheck;

/** 'oxe-security-baseline': no secrets or private keys in the run's evidence files. */
export declare const securityBaselineCheck: CICheck;

/** 'oxe-runtime-evidence-integrity': every indexed evidence file of the run exists. */
export declare const runtimeEvidenceIntegrityCheck: CICheck;

/** The five built-in checks above, in that order. */
export declare const OXE_CI_CHECKS: CICheck[];

/** Runs the checks one after another (each `run` called with `this` bound to its check). */
export declare function runCIChecks(ctx: CICheckContext, checks?: CICheck[]): Promise<CICheckResult[]>;

/** Counts CI results by status; `allPassed` means no fail and no error. */
export declare function summarizeCIResults(results: CICheckResult[]): {
  total: number;
  pass: number;
  fail: number;
  skip: number;
  error: number;
  allPassed: boolean;
};

/** Where a run's result is promoted. */
export type PromotionTarget = 'local_commit' | 'remote_promotion';

/** How a remote promotion is done. */
export type PromotionRemoteTarget = 'pr_draft' | 'branch_push';

/** A run's local commit (`.oxe/runs/<run>/commit-record.json`). */
export interface CommitRecord {
  run_id: string;
  branch: string;
  commit_sha: string | null;
  status: 'pending' | 'committed' | 'blocked';
  created_at: string;
  committed_at: string | null;
  message: string | null;
  summary_path: string | null;
}

/** A run's remote promotion (`.oxe/runs/<run>/promotion-record.json`). */
export interface PromotionRecord {
  run_id: string;
  target: PromotionTarget;
  target_kind: PromotionRemoteTarget;
  branch: string;
  status: 'pending' | 'open' | 'merged' | 'closed' | 'blocked' | 'promoted';
  created_at: string;
  promoted_at: string | null;
  summary_path: string | null;
  remote: string | null;
  target_ref: string | null;
  pr_url: string | null;
  pr_number: number | null;
  reasons?: string[];
  coverage_percent?: number | null;
}

/** Path of `.oxe/runs/<runId>/commit-record.json`. */
export declare function commitRecordPath(projectRoot: string, runId: string): string;

/** Path of `.oxe/runs/<runId>/promotion-record.json`. */
export declare function promotionRecordPath(projectRoot: string, runId: string): string;

/** Writes the run's commit record. */
export declare function saveCommitRecord(projectRoot: string, runId: string, record: CommitRecord): void;

/** Reads the run's commit record; null when missing or unreadable. */
export declare function loadCommitRecord(projectRoot: string, runId: string): CommitRecord | null;

/** Writes the run's promotion record. */
export declare function savePromotionRecord(projectRoot: string, runId: string, record: PromotionRecord): void;

/** Reads the run's promotion record; null when missing or unreadable. */
export declare function loadPromotionRecord(projectRoot: string, runId: string): PromotionRecord | null;

/** The pull request linked to a run (`.oxe/runs/<run>/pr-link.json`). */
export interface RunPRLink {
  run_id: string;
  branch: string;
  pr_url: string | null;
  pr_number: number | null;
  status: 'pending' | 'open' | 'merged' | 'closed' | 'blocked';
  created_at: string;
  merged_at: string | null;
}

/** Knobs of a promotion. */
export interface PromotionOptions {
  baseBranch?: string;
  draftPR?: boolean;
  autoMerge?: boolean;
  mergeMethod?: 'merge' | 'squash' | 'rebase';
  targetRef?: string;
  remote?: string;
  targetKind?: PromotionRemoteTarget;
  minimumCoverage?: number;
}

/** The merge gate's overall verdict. */
export type MergeGateVerdict = 'approved' | 'blocked' | 'needs_review';

/** Why the merge gate reached its verdict. */
export interface MergeGateReport {
  verdict: MergeGateVerdict;
  reasons: string[];
  blocking_risks: string[];
  pending_gates: Array<{
    gate_id: string;
    scope: string;
    work_item_id: string | null;
  }>;
}

/** Decides whether a run may be merged, from its result, verification, risks, gates and coverage. */
export declare class MergeGateEvaluator {
  /** 'blocked' on failed or blocked tasks, failed checks, pending gates, low coverage or high/critical risks; else 'approved'. */
  evaluate(
    runResult: RunResult,
    manifest: VerificationManifest | null,
    riskLedger: ResidualRiskLedger | null,
    gates?: GateToken[],
    evidenceCoverage?: EvidenceCoverageSummary | null,
    minimumCoverage?: number,
  ): MergeGateReport;
}

/** Records a run's local commit and promotes it (draft PR or branch push), writing the delivery records. */
export declare class PromotionPipeline {
  /** The collaborators are only called through the methods the pipeline needs (all synchronous). */
  constructor(
    projectRoot: string,
    branchManager: BranchManager,
    prManager: PRManager,
    gateEvaluator?: MergeGateEvaluator,
  );
  /** Markdown headed '## OXE Commit Summary' for the run. */
  buildCommitSummary(
    runResult: RunResult,
    manifest: VerificationManifest | null,
    riskLedger: ResidualRiskLedger | null,
    commitMessage?: string | null,
  ): string;
  /** Markdown headed '## OXE Promotion Summary' for the run. */
  buildPromotionSummary(
    runResult: RunResult,
    manifest: VerificationManifest | null,
    riskLedger: ResidualRiskLedger | null,
  ): string;
  /** Same text as `buildPromotionSummary`. */
  buildPRBody(
    runResult: RunResult,
    manifest: VerificationManifest | null,
    riskLedger: ResidualRiskLedger | null,
  ): string;
  /** Writes and returns the run's commit record ('blocked' when anything failed or is blocked). */
  recordLocalCommit(
    runResult: RunResult,
    manifest: VerificationManifest | null,
    riskLedger: ResidualRiskLedger | null,
    options?: { commitMessage?: string; commitSha?: string | null; summaryPath?: string | null },
  ): CommitRecord;
  /** Evaluates the merge gate, then opens a PR or pushes the branch; writes the promotion record and PR link. */
  promote(
    runResult: RunResult,
    manifest: VerificationManifest | null,
    riskLedger: ResidualRiskLedger | null,
    opts?: PromotionOptions,
    gates?: GateToken[],
    evidenceCoverage?: EvidenceCoverageSummary | null,
  ): Promise<PromotionRecord>;
  /** Reads the run's commit record, or null. */
  loadCommitRecord(runId: string): CommitRecord | null;
  /** Reads the run's promotion record, or null. */
  loadPromotionRecord(runId: string): PromotionRecord | null;
  /** Writes `.oxe/runs/<runId>/pr-link.json`. */
  savePRLink(runId: string, link: RunPRLink): void;
  /** Reads the run's PR link (falling back to its promotion record when unreadable); null when missing. */
  loadPRLink(runId: string): RunPRLink | null;
}

// ============================================================================
// context — context packs for agents
// ============================================================================

/** One piece of context offered to an agent. */
export interface ContextArtifact {
  id: string;
  kind: 'evidence' | 'lesson' | 'file' | 'summary';
  content: string;
  relevanceScore: number;
  tags: string[];
}

/** A lesson learned that may be fed back as context. */
export interface LessonMetric {
  lesson_id: string;
  title: string;
  tags: string[];
  embedding?: number[];
  content: string;
}

/** Limits of the context pack builder. */
export interface ContextPackOptions {
  maxArtifacts?: number;
  maxTokensEstimate?: number;
  deduplicateThreshold?: number;
}

/** The context selected for one work item. */
export interface ContextPack {
  work_item_id: string;
  artifacts: ContextArtifact[];
  total_artifacts_considered: number;
  redundancy_removed: number;
  built_at: string;
}

/** Quality scores of a context pack. */
export interface ContextQualityScore {
  completeness: number;
  relevance_mean: number;
  redundancy: number;
  recency_score: number;
  overall: number;
}

/** Index entry of a stored context pack. */
export interface ContextPackMeta {
  pack_id: string;
  work_item_id: string;
  run_id: string;
  built_at: string;
  artifact_count: number;
  estimated_tokens: number;
  stale: boolean;
  stale_reason: string | null;
}

/** Differences between two context packs. */
export interface ContextPackDiff {
  added: string[];
  removed: string[];
  score_changed: Array<{ id: string; before: number; after: number }>;
}

/** Which context pack an attempt used. */
export interface ContextPackRef {
  ref_id: string;
  pack_id: string;
  attempt_id: string;
  work_item_id: string;
  run_id: string;
  artifacts_used: string[];
  quality: ContextQualityScore;
  linked_at: string;
}

/** The kind of decision a context pack is built for. */
export type ContextDecisionType = 'execute' | 'verify' | 'plan' | 'review' | 'debug' | 'migration';

/** Weights and limits used to build context for one decision type. */
export interface ContextProfile {
  decision_type: ContextDecisionType;
  artifact_kind_weights: Record<ContextArtifact['kind'], number>;
  quality_threshold: number;
  max_artifacts: number;
  max_tokens: number;
}

/** The built-in profile of each decision type (shared live objects). */
export declare const DEFAULT_PROFILES: Record<ContextDecisionType, ContextProfile>;

/** The built-in profile of a decision type (the shared object, not a copy). */
export declare function getProfile(decisionType: ContextDecisionType): ContextProfile;

/** Builds ranked, deduplicated, token-bounded context packs for a work item. */
export declare class ContextPackBuilder {
  /** Defaults: 20 artifacts, 8000 estimated tokens, deduplication at similarity 0.85. */
  constructor(opts?: ContextPackOptions);
  /** Scores evidence (content looked up by evidence id), lessons and a run summary, then keeps the best. */
  build(
    workItem: WorkItem,
    state: RunState,
    evidenceItems: Evidence[],
    evidenceContents: Map<string, string>,
    lessons: LessonMetric[],
  ): ContextPack;
  /** `build` with no evidence: lessons and the run summary only. */
  buildLightweight(workItem: WorkItem, state: RunState, lessons: LessonMetric[]): ContextPack;
  /** Keeps artifacts whose path-like tags touch the mutation scope (tiers L2 and L3 keep everything). */
  filterByMutationScope(
    artifacts: ContextArtifact[],
    mutationScope: string[],
    autonomyTier: AutonomyTier,
  ): ContextArtifact[];
}

/** Completeness, relevance, redundancy and recency of a pack against a profile (each rounded to 2 decimals). */
export declare function scorePackQuality(pack: ContextPack, profile: ContextProfile): ContextQualityScore;

/** Writes `.oxe/runs/<runId>/context-pack-<item>.json` and updates the run's pack index; returns the index entry. */
export declare function savePack(projectRoot: string, runId: string, pack: ContextPack): ContextPackMeta;

/** Reads the stored pack of a work item; null when missing or unreadable. */
export declare function loadPack(projectRoot: string, runId: string, workItemId: string): ContextPack | null;

/** Flags the work item's indexed pack as stale with a reason (unknown items are ignored). */
export declare function markStale(projectRoot: string, runId: string, workItemId: string, reason: string): void;

/** True when the work item's indexed pack is flagged stale (false when unknown). */
export declare function isStale(projectRoot: string, runId: string, workItemId: string): boolean;

/** Artifact ids added and removed between two packs, and scores that moved by more than 0.05. */
export declare function diffPacks(before: ContextPack, after: ContextPack): ContextPackDiff;

/** The run's pack index entries ([] when none). */
export declare function listPackMeta(projectRoot: string, runId: string): ContextPackMeta[];

/** Writes `.oxe/runs/<runId>/context-ref-<attemptId>.json` linking the pack and its quality to an attempt. */
export declare function linkPackToAttempt(
  projectRoot: string,
  runId: string,
  attemptId: string,
  pack: ContextPack,
  quality: ContextQualityScore,
): ContextPackRef;

/** The pack reference of an attempt; null when missing or unreadable. */
export declare function getPackRefForAttempt(
  projectRoot: string,
  runId: string,
  attemptId: string,
): ContextPackRef | null;

// ============================================================================
// decision — decision engine and decision memos
// ============================================================================

/** What the decision engine recommends. */
export type DecisionType = 'proceed' | 'retry' | 'escalate_gate' | 'skip' | 'abort' | 'promote_lesson';

/** A fact the decision engine took into account. */
export type DecisionSignal =
  | 'policy_allowed'
  | 'policy_denied'
  | 'gate_pending'
  | 'gate_approved'
  | 'evidence_sufficient'
  | 'evidence_missing'
  | 'retry_budget_available'
  | 'retry_budget_exhausted'
  | 'lesson_match'
  | 'risk_high';

/** Seniority implied by a decision's confidence. */
export type SeniorityLevel = 'junior' | 'standard' | 'senior' | 'expert';

/** One decision as logged in `.oxe/runs/<run>/decisions.json`. */
export interface DecisionRecord {
  decision_id: string;
  work_item_id: string | null;
  run_id: string;
  type: DecisionType;
  seniority: SeniorityLevel;
  confidence: number;
  signals: DecisionSignal[];
  rationale: string;
  timestamp: string;
  /** Absent (not undefined) when no memo was given. */
  memo?: DecisionMemo;
}

/** The decision log of a run. */
export interface DecisionLog {
  run_id: string;
  decisions: DecisionRecord[];
}

/** What the decision engine evaluates. */
export interface DecisionInput {
  work_item_id?: string;
  run_id: string;
  policy_allowed: boolean;
  gate_pending: boolean;
  gate_approved: boolean;
  retry_count: number;
  max_retries: number;
  evidence_count: number;
  risk_level: 'none' | 'low' | 'medium' | 'high' | 'critical';
  lesson_match: boolean;
  memo?: DecisionMemo;
}

/** Turns policy, gate, retry, evidence, risk and lesson signals into one recommended decision. */
export declare class DecisionEngine {
  /** The decision record for the input (no file access). */
  evaluate(input: DecisionInput): DecisionRecord;
}

/** Appends the record to `.oxe/runs/<runId>/decisions.json`. */
export declare function appendDecision(projectRoot: string, runId: string, record: DecisionRecord): void;

/** Reads the run's decision log; null when missing or unreadable. */
export declare function loadDecisionLog(projectRoot: string, runId: string): DecisionLog | null;

/** The log's decisions matching every given filter field. */
export declare function queryDecisions(
  log: DecisionLog,
  filter: { type?: DecisionType; workItemId?: string; minConfidence?: number },
): DecisionRecord[];

/** How a change should be made. */
export type ChangeStrategy = 'minimal_patch' | 'isolated_refactor' | 'expand_contract' | 'feature_flag' | 'no_op';

/** How far a change reaches. */
export interface BlastRadiusEstimate {
  estimated_files: number;
  subsystems: string[];
  risk_score: number;
  reversible: boolean;
}

/** How to undo a change. */
export interface RollbackPlan {
  strategy: 'revert_commit' | 'restore_workspace' | 'undo_patch' | 'no_rollback';
  steps: string[];
  estimated_cost: 'low' | 'medium' | 'high';
  preconditions: string[];
}

/** Picks a change strategy from the mutation scope, retry count and risk level. */
export declare class StrategySelector {
  /** The first strategy whose rule matches (critical risk, retries, scope size, …). */
  select(mutationScope: string[], retryCount: number, riskLevel: string): ChangeStrategy;
  /** The other strategies, in fixed order, each with the reason it was not chosen. */
  alternatives(
    chosen: ChangeStrategy,
    mutationScope: string[],
    riskLevel: string,
  ): Array<{ strategy: ChangeStrategy; reason: string }>;
}

/** Estimates files, subsystems, risk score and reversibility of a change. */
export declare function buildBlastRadius(
  mutationScope: string[],
  retryCount: number,
  riskLevel: string,
): BlastRadiusEstimate;

/** A rollback plan sized to the blast radius and retry count. */
export declare function buildRollbackPlan(blastRadius: BlastRadiusEstimate, retryCount: number): RollbackPlan;

/** A written rationale for a change (`.oxe/runs/<run>/memos/<memo_id>.json`). */
export interface DecisionMemo {
  memo_id: string;
  work_item_id: string;
  run_id: string;
  problem_summary: string;
  chosen_strategy: ChangeStrategy;
  alternatives_rejected: Array<{ strategy: ChangeStrategy; reason: string }>;
  blast_radius: BlastRadiusEstimate;
  rollback_plan: RollbackPlan;
  min_evidence_required: string[];
  confidence: number;
  created_at: string;
}

/** Input for building a decision memo. */
export interface BuildMemoInput {
  work_item_id: string;
  run_id: string;
  problem_summary: string;
  mutation_scope: string[];
  retry_count: number;
  risk_level: string;
  min_evidence_required?: string[];
  confidence?: number;
}

/** A complete decision memo (strategy, alternatives, blast radius, rollback plan) with a fresh `memo-…` id. */
export declare function buildMemo(input: BuildMemoInput): DecisionMemo;

/** Writes `.oxe/runs/<run_id>/memos/<memo_id>.json`. */
export declare function saveMemo(projectRoot: string, memo: DecisionMemo): void;

/** Reads one memo of a run; null when missing or unreadable. */
export declare function loadMemo(projectRoot: string, runId: string, memoId: string): DecisionMemo | null;

/** Every readable memo of a run, in sorted file order. */
export declare function listMemos(projectRoot: string, runId: string): DecisionMemo[];

// ============================================================================
// audit — audit trail, quotas, policy packs
// ============================================================================

/** Filters for querying the audit trail. */
export interface AuditQueryFilter {
  action?: AuditAction;
  severity?: AuditSeverity;
  runId?: string;
  /** ISO timestamp, compared as a string. */
  since?: string;
}

/** An external destination that mirrors audit entries. */
export interface RemoteAuditSink {
  /** Must return a thenable; rejections are swallowed. */
  write(entry: AuditEntry): Promise<void>;
  query(filter: AuditQueryFilter): Promise<AuditEntry[]>;
}

/** Aggregates over the audit trail. */
export interface AuditMetrics {
  total_entries: number;
  critical_count: number;
  warn_count: number;
  by_action: Partial<Record<AuditAction, number>>;
  actors: string[];
  oldest: string | null;
  newest: string | null;
}

/** What an audit entry records. */
export type AuditAction =
  | 'run_started'
  | 'run_completed'
  | 'run_paused'
  | 'run_recovered'
  | 'gate_requested'
  | 'gate_resolved'
  | 'policy_denied'
  | 'plugin_registered'
  | 'plugin_invoked'
  | 'secret_accessed'
  | 'infra_mutation'
  | 'pr_created'
  | 'merge_approved'
  | 'merge_blocked';

/** Severity of an audit entry (fixed per action). */
export type AuditSeverity = 'info' | 'warn' | 'critical';

/** One line of `.oxe/AUDIT-TRAIL.ndjson`. */
export interface AuditEntry {
  audit_id: string;
  action: AuditAction;
  severity: AuditSeverity;
  run_id: string | null;
  work_item_id: string | null;
  actor: string;
  resource: string | null;
  detail: Record<string, unknown>;
  timestamp: string;
}

/** Limits and consumption of one run; unlimited maxima are Infinity. */
export interface RunQuota {
  run_id: string;
  max_work_items: number;
  max_mutations: number;
  max_retries_total: number;
  consumed_work_items: number;
  consumed_mutations: number;
  consumed_retries: number;
}

/** The first quota a run went over. */
export interface QuotaViolation {
  quota_type: 'work_items' | 'mutations' | 'retries';
  limit: number;
  consumed: number;
}

/** The append-only audit log `.oxe/AUDIT-TRAIL.ndjson`, optionally mirrored to a remote sink. */
export declare class AuditTrail {
  /** `remoteSink.write` receives every recorded entry (not awaited; rejections are swallowed). */
  constructor(projectRoot: string, remoteSink?: RemoteAuditSink | undefined);
  /** Appends an entry (severity fixed by the action), forwards it to the sink, and returns it. */
  record(
    action: AuditAction,
    actor: string,
    options?: { runId?: string; workItemId?: string; resource?: string; detail?: Record<string, unknown> },
  ): AuditEntry;
  /** The entries matching every given field (`since` compared as an ISO string); [] when the file is unreadable. */
  query(filter?: { action?: AuditAction; severity?: AuditSeverity; runId?: string; since?: string }): AuditEntry[];
  /** The entries with severity 'critical'. */
  critical(): AuditEntry[];
  /** Totals, counts by action, actors and the oldest and newest timestamps. */
  metrics(): AuditMetrics;
}

/** A quota for the run with the given limits (unset ones are Infinity) and nothing consumed. */
export declare function createQuota(
  runId: string,
  limits?: Partial<Omit<RunQuota, 'run_id' | 'consumed_work_items' | 'consumed_mutations' | 'consumed_retries'>>,
): RunQuota;

/** The first limit the quota has gone over (work items, mutations, retries), or null. */
export declare function checkQuota(quota: RunQuota): QuotaViolation | null;

/** A new quota with `amount` (default 1) more consumed of `type` (the input is not modified). */
export declare function consumeQuota(quota: RunQuota, type: QuotaViolation['quota_type'], amount?: number): RunQuota;

/** An organisation's bundle of policies (`.oxe/policy-packs/<pack_id>.json`). */
export interface PolicyPack {
  pack_id: string;
  org_id: string;
  name: string;
  version: string;
  policies: PolicyRule[];
  guardrail: EnvironmentGuardrail;
  created_at: string;
}

/** Writes `.oxe/policy-packs/<pack_id>.json`. */
export declare function savePolicyPack(projectRoot: string, pack: PolicyPack): void;

/** Reads one policy pack; null when missing or unreadable. */
export declare function loadPolicyPack(projectRoot: string, packId: string): PolicyPack | null;

/** Every readable policy pack, in sorted file order. */
export declare function listPolicyPacks(projectRoot: string): PolicyPack[];

/** A new engine with the pack's guardrail and its rules appended in order; `engine` is unchanged. */
export declare function applyPolicyPack(engine: PolicyEngine, pack: PolicyPack): PolicyEngine;

// ============================================================================
// SDK — the own keys of `require('oxe-cc')` (1.4.0 lib/sdk): package facts,
// Markdown/JSON readers, `runDoctorChecks` and the namespaces. Shapes that
// would clash with a runtime type of the same name are kept module-local
// (`Sdk…`); the others carry 1.4.0's names.
// ============================================================================

export interface PackageMeta {
  version: string;
  name: string;
}

/** One `### T<n> — title` task of PLAN.md as the SDK reads it. */
interface SdkParsedTask {
  id: string;
  title: string;
  wave: number | null;
  dependsOn: string[];
  files: string[];
  verifyCommand: string | null;
  aceite: string[];
  decisions: string[];
  done: boolean;
  meta: Record<string, unknown> | null;
}

/** `parsePlan` result; `waves` maps a wave number to its task ids. */
interface SdkParsedPlan {
  tasks: SdkParsedTask[];
  waves: Record<number, string[]>;
  totalTasks: number;
}

export interface ParsedCriterion {
  id: string;
  criterion: string;
  howToVerify: string;
}

/** `parseSpec` result. */
interface SdkParsedSpec {
  objective: string | null;
  criteria: ParsedCriterion[];
  requiredSections: string[];
}

export interface ParsedState {
  phase: string | null;
  lastScanDate: string | null;
  lastRetroDate: string | null;
  nextStep: string | null;
  decisions: string[];
  activeWorkstreams: string[];
  activeMilestone: string | null;
  runId: string | null;
  lifecycleStatus: string | null;
  loopStatus: string | null;
}

export interface CriticalHypothesis {
  id: string;
  condition: string;
  validation: string;
  on_failure: string;
  checkpoint: string | null;
  status: string;
}

export interface ConfidenceDimension {
  name: string;
  score: number;
  weight: number;
  note: string;
}

export interface ConfidenceVector {
  cycle: string | null;
  generated_at: string | null;
  dimensions: ConfidenceDimension[];
  global: { score: number; gate: string };
}

export interface DecisionFidelityResult {
  ok: boolean;
  gaps: Array<{ decisionId: string; decision: string }>;
  covered: Array<{ decisionId: string; taskIds: string[] }>;
}

export interface LessonOutcome {
  cycle: string;
  verify_status: string;
  saved_hours?: number;
  failure_condition?: string;
}

/** A lesson of `.oxe/lessons-metrics.json` (not the runtime's `LessonMetric`). */
interface SdkLessonMetric {
  id: string;
  rule: string;
  type: string;
  applied_cycles: string[];
  outcomes: LessonOutcome[];
  success_rate: number;
  status: 'active' | 'deprecated' | 'conditional' | string;
  deprecation_threshold?: number;
}

export interface HealthStaleInfo {
  stale: boolean;
  days: number | null;
}

export interface OxeNextSuggestion {
  step: string;
  cursorCmd: string;
  reason: string;
  artifacts: string[];
}

export interface OxeConfigMerged {
  config: Record<string, unknown>;
  path: string | null;
  parseError: string | null;
  sources: { system: string | null; user: string | null; project: string | null };
}

export interface CopilotIntegrationReport {
  status: 'healthy' | 'warning' | 'broken' | 'not_installed';
  detected: boolean;
  target: 'workspace';
  promptSource: 'workspace' | 'legacy_global' | 'missing';
  workspace: {
    root: string;
    promptsDir: string;
    instructions: string;
    manifest: string;
    promptFiles: string[];
    hasInstructions: boolean;
    hasOxeBlock: boolean;
  };
  legacy: {
    root: string;
    promptsDir: string;
    instructions: string;
    promptFiles: string[];
    hasInstructions: boolean;
    hasOxeBlock: boolean;
    hasOtherManagedBlocks: boolean;
    detected: boolean;
  };
  manifest: Record<string, unknown> | null;
  warnings: string[];
}

/** `buildHealthReport`: the keys `status --json` and `doctor` build on. */
export interface OxeHealthReport {
  configPath: string | null;
  configParseError: string | null;
  unknownConfigKeys: string[];
  typeErrors: string[];
  phase: string | null;
  activeSession: string | null;
  scanDate: Date | null;
  stale: HealthStaleInfo;
  compactDate: Date | null;
  staleCompact: HealthStaleInfo;
  retroDate: Date | null;
  staleLessons: HealthStaleInfo;
  phaseWarn: string[];
  runtimeWarn: string[];
  reviewWarn: string[];
  capabilityWarn: string[];
  investigationWarn: string[];
  sessionWarn: string[];
  installWarn: string[];
  copilotWarn: string[];
  contextWarn: string[];
  semanticsWarn: string[];
  copilot: CopilotIntegrationReport | null;
  summaryGapWarn: string | null;
  specWarn: string[];
  planWarn: string[];
  planSelfEvaluation: Record<string, unknown> | null;
  planReviewStatus: string | null;
  activeRun: Record<string, unknown> | null;
  eventsSummary: Record<string, unknown> | null;
  memoryLayers: Record<string, unknown> | null;
  enterpriseWarn: string[];
  azureActive: boolean;
  azure: Record<string, unknown> | null;
  healthStatus: 'healthy' | 'warning' | 'broken';
  next: OxeNextSuggestion;
  [key: string]: unknown;
}

export interface DoctorIssue {
  code: string;
  message: string;
  detail?: unknown;
}

export interface WorkflowDiff {
  expected: string[];
  actual: string[];
  missing: string[];
  extra: string[];
  ok: boolean;
}

export interface WorkflowShapeResult {
  fileResults: Array<{ file: string; warnings: string[] }>;
  warnings: DoctorIssue[];
}

export interface DoctorChecksResult {
  ok: boolean;
  errors: DoctorIssue[];
  warnings: DoctorIssue[];
  node: { currentMajor: number; minimumMajor: number; ok: boolean };
  workflowDiff: WorkflowDiff | null;
  projectWorkflowsDir: string | null;
  packageWorkflowsDir: string;
  config: OxeConfigMerged;
  validation: { unknownKeys: string[]; typeErrors: string[] };
  healthReport: OxeHealthReport;
  workflowShape: WorkflowShapeResult | null;
  securityReport: { secretFiles: string[]; pluginsValid: boolean } | null;
}

export interface DoctorChecksOptions {
  projectRoot: string;
  packageRoot?: string;
  nodeMajor?: number;
  includeWorkflowLint?: boolean;
  workflowLintOptions?: { maxBytesSoft?: number };
  includeSecurity?: boolean;
}

export interface PathSafetyResult {
  safe: boolean;
  reason: string | null;
}

export interface SecretMatch {
  line: number;
  pattern: string;
  preview: string;
}

export interface SecretScanResult {
  hasSecrets: boolean;
  matches: SecretMatch[];
}

export interface PlanPathsResult {
  ok: boolean;
  issues: Array<{ path: string; reason: string }>;
}

export interface OxePermissionRule {
  pattern: string;
  action: 'allow' | 'deny' | 'ask' | string;
  scope?: 'execute' | 'apply' | 'all' | string;
}

export interface PermissionCheckResult {
  denied: string[];
  needsApproval: string[];
  allowed: string[];
}

/** A module of `.oxe/plugins/*.cjs` (the SDK hook plugin, not the runtime `OxePlugin`). */
interface SdkHookPlugin {
  name: string;
  version?: string;
  hooks: Record<string, (ctx: Record<string, unknown>) => Promise<void> | void>;
}

export interface PluginSource {
  source: string;
  version?: string;
}

export interface ReplayReport {
  events: Array<Record<string, unknown>>;
  totalEvents: number;
  duration_ms: number | null;
  runId: string | null;
  waveIds: number[];
  taskSequence: string[];
  checkpointSequence: string[];
  failureEvents: Array<Record<string, unknown>>;
  _reportPath?: string;
}

export interface ContextPackQuality {
  score: number;
  status: 'excellent' | 'good' | 'fragile' | 'critical';
  requiredMissing: number;
  optionalMissing: number;
  conflicts: number;
  fallbackCount: number;
}

export interface PackFreshness {
  generated_at: string | null;
  latest_source_at: string | null;
  pack_age_hours: number | null;
  max_pack_age_hours: number;
  stale: boolean;
  reason: 'fresh' | 'pack_age_exceeded' | 'source_newer_than_pack' | 'fallback_required';
}

type SessionArg = string | null;
type Obj = Record<string, unknown>;

export interface HealthAPI {
  ALLOWED_CONFIG_KEYS: string[];
  EXECUTION_PROFILES: string[];
  VERIFICATION_DEPTHS: string[];
  INSTALL_PROFILES: string[];
  INSTALL_REPO_LAYOUTS: string[];
  INSTALL_OBJECT_KEYS: string[];
  EXPECTED_CODEBASE_MAPS: string[];
  expandExecutionProfile(profile: string): Obj;
  loadOxeConfigMerged(targetProject: string): OxeConfigMerged;
  validateConfigShape(cfg: Obj): { unknownKeys: string[]; typeErrors: string[] };
  parseStatePhase(stateText: string): string | null;
  parseLastScanDate(stateText: string): Date | null;
  parseLastCompactDate(stateText: string): Date | null;
  parseLastRetroDate(stateText: string): Date | null;
  parseActiveSession(stateText: string): string | null;
  parsePlanReviewStatus(stateText: string): string | null;
  isStaleScan(date: Date | null, maxAgeDays: number): HealthStaleInfo;
  isStaleLessons(date: Date | null, maxAgeDays: number): HealthStaleInfo;
  copilotWorkspacePaths(target: string): { root: string; promptsDir: string; instructions: string; manifest: string };
  copilotLegacyPaths(): { root: string; promptsDir: string; instructions: string };
  copilotIntegrationReport(target: string): CopilotIntegrationReport;
  planAgentsWarnings(target: string): string[];
  parsePlanSelfEvaluation(planPath: string): Obj | null;
  runtimeWarnings(stateText: string, paths: Record<string, string | null>): string[];
  capabilityWarnings(paths: Record<string, string | null>): string[];
  investigationWarnings(paths: Record<string, string | null>): string[];
  phaseCoherenceWarnings(phase: string | null, paths: Record<string, string | null>): string[];
  verifyGapsWithoutSummaryWarning(verifyPath: string, summaryPath: string): string | null;
  specSectionWarnings(specPath: string, requiredHeadings: string[]): string[];
  planWaveWarningsFixed(planPath: string, maxPerWave: number): string[];
  planTaskAceiteWarnings(planPath: string): string[];
  suggestNextStep(target: string, cfg?: { discuss_before_plan?: boolean }): OxeNextSuggestion;
  buildHealthReport(target: string): OxeHealthReport;
  oxePaths(target: string): Record<string, string>;
  scopedOxePaths(target: string, activeSession: SessionArg): Record<string, string | null>;
  collectOxeRoutineHints(target: string): string[];
}

export interface OperationalAPI {
  operationalPaths(projectRoot: string, activeSession: SessionArg): Record<string, string | null>;
  appendEvent(projectRoot: string, activeSession: SessionArg, event?: Obj): Obj;
  readEvents(projectRoot: string, activeSession: SessionArg): Obj[];
  summarizeEvents(events: Obj[]): Obj;
  writeRunState(projectRoot: string, activeSession: SessionArg, runState?: Obj): Obj;
  readRunState(projectRoot: string, activeSession: SessionArg): Obj | null;
  buildOperationalGraph(runState?: Obj): { nodes: Obj[]; edges: Obj[] };
  serializeCanonicalState(state: unknown): Obj | null;
  hydrateCanonicalState(serialized: unknown): Obj;
  reduceCanonicalRunState(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj | null;
  compileExecutionGraphFromArtifacts(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  compileVerificationSuiteFromArtifacts(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  projectRuntimeArtifacts(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  runRuntimeCiChecks(projectRoot: string, activeSession: SessionArg, options?: Obj): Promise<Obj>;
  buildRuntimePluginRegistry(projectRoot: string): Obj | null;
  readRuntimeGates(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  resolveRuntimeGate(projectRoot: string, activeSession: SessionArg, options?: Obj): Promise<Obj>;
  runRuntimeVerify(projectRoot: string, activeSession: SessionArg, options?: Obj): Promise<Obj>;
  runRuntimePromotion(projectRoot: string, activeSession: SessionArg, options?: Obj): Promise<Obj>;
  recoverRuntimeState(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  applyRuntimeAction(projectRoot: string, activeSession: SessionArg, input?: Obj): Obj;
  parseCapabilityManifest(text: string): Obj;
  readCapabilityCatalog(projectRoot: string): Obj[];
  buildMemoryLayers(projectRoot: string, activeSession: SessionArg): Obj;
  replayEvents(
    projectRoot: string,
    activeSession: SessionArg,
    options?: { fromEventId?: string; runId?: string; waveId?: number; limit?: number; writeReport?: boolean },
  ): ReplayReport;
  replayRuntimeState(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  readRuntimeMultiAgentStatus(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  multiAgentStatus(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  VALID_RUN_STATUSES: Set<string>;
  VALID_APPROVAL_POLICIES: Set<string>;
  VALID_CAPABILITY_TYPES: Set<string>;
  makeRunId(): string;
  readGitActivity(projectRoot: string, since?: string | null): Obj[];
  verifyGitEvidence(projectRoot: string, runState?: Obj | null): string[];
  runtimeStateWarnings(projectRoot: string, activeSession: SessionArg): string[];
  capabilityCatalogWarnings(projectRoot: string): string[];
  buildRuntimeModeStatus(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  buildRuntimeProviderCatalog(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
  buildRecoveryConsistency(projectRoot: string, activeSession: SessionArg, options?: Obj): Obj;
}

export interface PluginsAPI {
  loadPlugins(projectRoot: string): { plugins: SdkHookPlugin[]; errors: Array<{ file: string; error: string }> };
  runHook(plugins: SdkHookPlugin[], hookName: string, ctx: Obj): Promise<Array<{ plugin: string; error: string }>>;
  validatePlugins(projectRoot: string): { valid: boolean; issues: Array<{ file: string; issue: string }> };
  initPluginsDir(projectRoot: string): void;
  resolvePluginSources(
    projectRoot: string,
    pluginsSources: Array<string | PluginSource>,
  ): { resolved: string[]; errors: Array<{ source: string; error: string }> };
  installNpmPlugin(projectRoot: string, pkgName: string, version?: string): { ok: boolean; path: string; error: string };
}

export interface SecurityAPI {
  checkPathSafety(
    filePath: string,
    projectRoot: string,
    options?: { allowedRoots?: string[]; deniedPatterns?: RegExp[]; secretPatterns?: RegExp[] },
  ): PathSafetyResult;
  scanFileForSecrets(filePath: string, options?: { contentPatterns?: RegExp[] }): SecretScanResult;
  scanDirForSecretFiles(dir: string, options?: { secretPatterns?: RegExp[]; maxDepth?: number }): string[];
  validatePlanPaths(filePaths: string[], projectRoot: string): PlanPathsResult;
  checkFilePermission(
    filePath: string,
    permissions: OxePermissionRule[],
    currentScope?: string,
  ): { action: string; rule: OxePermissionRule | null };
  checkPermissions(fileList: string[], permissions: OxePermissionRule[], scope?: string): PermissionCheckResult;
  globToRegex(glob: string): RegExp;
  DEFAULT_SECRET_PATTERNS: RegExp[];
  DEFAULT_SECRET_CONTENT_PATTERNS: RegExp[];
  DEFAULT_DENIED_PATH_PATTERNS: RegExp[];
}

/** The members of `context` this package implements so far (the pack builders come with the workflow contracts). */
export interface ContextAPI {
  computeContextQuality(pack: Obj): ContextPackQuality;
  computePackFreshness(pack: Obj, contract?: Obj | null): PackFreshness;
  contextPaths(projectRoot: string, activeSession?: SessionArg): Obj;
  extractSemanticFragment(
    text: string,
    options?: { intent?: string; maxChars?: number; preserveMarkers?: string[] },
  ): string;
  parseConfidenceVector(planText: string): ConfidenceVector | null;
  parseHypotheses(planText: string): CriticalHypothesis[];
  resolvePackFile(projectRoot: string, workflow: string, activeSession?: SessionArg): string;
  summarizeText(text: string, maxChars?: number, maxLines?: number): string;
}

/** `package.json` `version` of this package ('0.0.0' when unreadable). */
export declare const version: string;
/** The package name 1.4.0 consumers see: 'oxe-cc'. */
export declare const name: string;
/** Absolute path of the package root. */
export declare const PACKAGE_ROOT: string;
/** `{version, name}` of the package.json under `root` (defaults when unreadable). */
export declare function readPackageMeta(root?: string): PackageMeta;
/** The major of `engines.node` under `packageRoot`; 18 when absent or unreadable. */
export declare function readMinNode(packageRoot: string): number;
export declare function parsePlan(planMd: string): SdkParsedPlan;
export declare function parseSpec(specMd: string): SdkParsedSpec;
export declare function parseHypotheses(planText: string): CriticalHypothesis[];
export declare function parseConfidenceVector(planText: string): ConfidenceVector | null;
export declare function parseState(stateMd: string): ParsedState;
export declare function validateDecisionFidelity(discussMd: string, planMd: string): DecisionFidelityResult;
/** The `lessons` array of a lessons-metrics JSON text; [] when invalid. */
export declare function parseLessonsMetrics(metricsJson: string): SdkLessonMetric[];
export declare function updateLessonMetric(
  metrics: SdkLessonMetric[],
  lessonId: string,
  outcome: LessonOutcome,
): SdkLessonMetric[];
export declare function deprecateLowEffectiveness(
  metrics: SdkLessonMetric[],
  threshold?: number,
  minObservations?: number,
): SdkLessonMetric[];
/** Doctor as data: never exits, never throws on project problems. */
export declare function runDoctorChecks(args: DoctorChecksOptions): DoctorChecksResult;
export declare const health: HealthAPI;
export declare const security: SecurityAPI;
export declare const plugins: PluginsAPI;
export declare const operational: OperationalAPI;
export declare const context: ContextAPI;

// The namespaces `workflows`, `install`, `manifest`, `agents`, `dashboard`,
// `runtimeSemantics`, `azure` and `npmVersion` are declared at the end of
// this file.

// ============================================================================
// Internal helpers (not exported)
// ============================================================================

/**
 * Node's Buffer when @types/node is loaded, otherwise Uint8Array (which every
 * Buffer is), so these typings need no Node type declarations.
 */
type NodeBuffer = typeof globalThis extends { Buffer: { isBuffer(obj: any): obj is infer B } } ? B : Uint8Array;

/** The spec shape `compileVerification` reads. */
interface VerificationSpecInput {
  objective: string | null;
  criteria: Array<{ id: string; criterion: string; howToVerify: string }>;
}

/** The plan shape `compileVerification` reads. */
interface VerificationPlanInput {
  tasks: Array<{ id: string; verifyCommand: string | null; aceite: string[] }>;
}

/** A parsed `.oxe/capabilities/<dir>/CAPABILITY.md`, as `createCapabilityPlugin` takes it. */
interface CapabilityManifest {
  id: string;
  entrypoint: string | null;
  sideEffects: string[];
  evidenceOutputs: string[];
  checkTypes: string[];
  dir: string;
}


// ---------------------------------------------------------------------------
// SDK namespaces of the installer: install, manifest, agents, npmVersion

/** Install options as `resolveOptionsFromConfig` reads and returns them (other keys pass through). */
interface InstallResolveOptions {
  ignoreInstallConfig?: boolean;
  explicitScope?: boolean;
  oxeOnly?: boolean;
  integrationsUnset?: boolean;
  installAssetsGlobal?: boolean;
  vscode?: boolean;
  cursor?: boolean;
  copilot?: boolean;
  copilotCli?: boolean;
  allAgents?: boolean;
  commands?: boolean;
  agents?: boolean;
  [key: string]: unknown;
}

/** `require('oxe-cc').install`: the config `install` block. */
export declare const install: {
  resolveOptionsFromConfig<T extends InstallResolveOptions>(
    projectRoot: string,
    opts: T,
  ): { options: T & InstallResolveOptions; warnings: string[] };
};

/** `require('oxe-cc').manifest`: the user-level manifest `~/.oxe-cc/manifest.json`. */
export declare const manifest: {
  /** The `files` map (absolute path → sha256 hex); `{}` when missing or invalid. */
  loadFileManifest(home: string): Record<string, string>;
  writeFileManifest(home: string, files: Record<string, string>, version?: string): void;
  /** Lowercase sha256 hex of the file's bytes; throws when it cannot be read. */
  sha256File(filePath: string): string;
  collectFilesRecursive(dir: string, filter: (name: string) => boolean): string[];
  readonly MANIFEST_DIR: '.oxe-cc';
  readonly PATCHES_DIR: 'oxe-local-patches';
  /** With `force` and outside a dry run: backs up the files that changed since recorded; answers their paths. */
  backupModifiedFromManifest(
    home: string,
    prevManifest: Record<string, string>,
    opts: { force?: boolean; dryRun?: boolean },
    colors?: { yellow?: string; cyan?: string; dim?: string; reset?: string },
  ): string[];
};

/** Destination folders of the agent targets for one scope. */
interface AgentInstallPaths {
  ideGlobal: boolean;
  opencodeCommandDirs: string[];
  geminiCommandsBase: string;
  windsurfWorkflowsDir: string;
  codexPromptsDir: string;
  codexAgentsSkillsRoot: string;
  antigravitySkillsRoot: string;
}

type AgentInstaller = (
  cursorCommandsDir: string,
  paths: AgentInstallPaths,
  opts: { dryRun?: boolean; force?: boolean },
  pathRewriteNested?: boolean,
  logOmitted?: (dest: string) => void,
  logWrite?: (line: string) => void,
) => void;

/** `require('oxe-cc').agents`: command-file helpers and the per-agent installers. */
export declare const agents: {
  /** `oxe/workflows/` and `oxe/templates/` written as their `.oxe/` paths. */
  adjustWorkflowPathsForNestedLayout(content: string): string;
  parseCursorCommandFrontmatter(text: string): {
    description: string;
    body: string;
    frontmatter: Record<string, string>;
  };
  readonly OXE_MANAGED_HTML: '<!-- oxe-cc managed -->';
  readonly OXE_MANAGED_TOML: '# oxe-cc managed';
  buildAgentInstallPaths(ideGlobal: boolean, projectRoot: string): AgentInstallPaths;
  buildAgentSkillMarkdown(skillName: string, description: string, body: string, metadata?: Record<string, string>): string;
  installSkillTreeFromCursorCommands(
    cursorCommandsDir: string,
    skillsRoot: string,
    opts: { dryRun?: boolean; force?: boolean },
    pathRewriteNested?: boolean,
    logOmitted?: (dest: string) => void,
    logWrite?: (line: string) => void,
  ): void;
  installOpenCodeCommands: AgentInstaller;
  installGeminiTomlCommands: AgentInstaller;
  installWindsurfGlobalWorkflows: AgentInstaller;
  installCodexPrompts: AgentInstaller;
  opencodeCommandDirs(): string[];
  windsurfGlobalWorkflowsDir(): string;
  geminiUserDir(): string;
  codexAgentsSkillsRoot(): string;
  codexPromptsDir(): string;
  antigravitySkillsRoot(): string;
  /** Removes the managed agent files (marker present, unchanged since installed). */
  cleanupMarkedUnifiedArtifacts(u: { dryRun?: boolean }, paths?: AgentInstallPaths): void;
};

/** `require('oxe-cc').npmVersion`: registry version checks. */
export declare const npmVersion: {
  /** The version in `npm view <pkg> version` output, coerced to `M.m.p`; `null` when none. */
  parseNpmViewVersion(stdout: string): string | null;
  /** Both versions valid semver and `latest` greater than `current`. */
  isNewerThan(latest: string, current: string): boolean;
  syncNpmViewVersion(
    packageName: string,
    spawnOpts?: { env?: Record<string, string | undefined>; cwd?: string },
  ): { ok: true; version: string } | { ok: false; error: string };
};

// Only the `export` declarations above are part of the module.
export {};

// ============================================================================
// SDK namespaces `runtimeSemantics` and `workflows` (oxe-cc 1.4.0 SDK keys)
// ============================================================================

/** One of the five reasoning modes of the contracts registry. */
type ReasoningMode = 'discovery' | 'planning' | 'execution' | 'review' | 'status';

/** The nine `oxe_*` front-matter keys of a command wrapper. */
interface RuntimeMetadata {
  oxe_workflow_slug: string;
  oxe_reasoning_mode: string;
  oxe_question_policy: string;
  oxe_output_contract: string;
  oxe_tool_profile: string;
  oxe_confidence_policy: string;
  oxe_context_tier: string;
  oxe_contract_version: string;
  oxe_semantics_hash: string;
}

/** A normalised workflow contract (`getWorkflowContract`), fields in this order. */
interface WorkflowContract {
  workflow_slug: string;
  contract_version: string;
  reasoning_mode: string;
  question_policy: string;
  output_contract: string;
  tool_profile: string;
  confidence_policy: string;
  required_artifacts: string[];
  optional_artifacts: string[];
  context_tiers: { minimal: string[]; standard: string[]; full: string[] };
  freshness_policy: { pack_max_age_hours?: number; artifact_max_age_hours?: number };
  fallback_policy: string;
  blocking_conditions: string[];
  output_sections: string[];
  extraction_intent: string;
  runtime_default_commands: string[];
  runtime_primary_artifacts: string[];
  runtime_fallback_note: string;
  auditor_artifacts: string[];
  auditor_excluded: string[];
  reference: string | null;
  guidance: string[];
}

/** One difference between a wrapper and the registry. */
interface WrapperIssue {
  key: string;
  expected: string;
  actual: string;
}

/** `auditWrapperText` result. */
interface WrapperAudit {
  slug: string;
  frontmatter: Record<string, string>;
  expected: RuntimeMetadata;
  issues: WrapperIssue[];
  ok: boolean;
}

/** `auditRuntimeTargets` result (targets: `copilot-prompts`, `commands`, `cursor`). */
interface RuntimeTargetsAudit {
  ok: boolean;
  contractVersion: string;
  registryPath: string;
  registryIssues: string[];
  warnings: string[];
  mismatches: Array<{ target: string; file: string; slug: string; issues: WrapperIssue[] }>;
  targets: Record<
    string,
    { path: string; files: Array<{ file: string; slug: string; ok: boolean; issues: WrapperIssue[] }>; checked: number; missing: boolean }
  >;
}

/** `require('oxe-cc').runtimeSemantics`: the package's workflow contracts and the wrapper audit. */
export declare const runtimeSemantics: {
  readonly CONTRACT_VERSION: string;
  readonly CONTRACTS_PATH: string;
  readonly CONTRACTS_REGISTRY: Record<string, unknown>;
  readonly REQUIRED_CONTRACT_FIELDS: string[];
  readonly RUNTIME_METADATA_KEYS: Array<keyof RuntimeMetadata>;
  validateWorkflowContractsRegistry(registry?: unknown): string[];
  getWorkflowContract(slug: string): WorkflowContract | null;
  getAllWorkflowContracts(): WorkflowContract[];
  computeSemanticsHash(slug: string): string | null;
  getRuntimeMetadataForSlug(slug: string, options?: { tier?: 'minimal' | 'standard' | 'full' | string }): RuntimeMetadata;
  renderRuntimeMetadataLines(meta: Partial<RuntimeMetadata>): string[];
  buildReasoningContractBlock(meta: Partial<RuntimeMetadata>, options?: { includeReference?: boolean; slug?: string }): string;
  pickRuntimeMetadata(frontmatter: Record<string, unknown>): Partial<RuntimeMetadata>;
  splitFrontmatter(raw: string): { frontmatter: string; body: string };
  parseFrontmatterMap(raw: string): Record<string, string>;
  slugFromPromptFilename(name: string): string;
  slugFromCommandFilename(name: string): string;
  auditWrapperText(slug: string, raw: string): WrapperAudit;
  auditRuntimeTargets(projectRoot: string): RuntimeTargetsAudit;
  readonly MODE_DEFAULTS: Record<ReasoningMode | string, Partial<RuntimeMetadata>>;
  readonly MODE_GUIDANCE: Record<ReasoningMode | string, string[]>;
  readonly MODE_REFERENCES: Record<ReasoningMode | string, string>;
  buildContextPackPaths(slug: string): { markdown: string; json: string; inspectCommand: string };
  buildContextTiers(required: string[], optional: string[]): { minimal: string[]; standard: string[]; full: string[] };
};

/** One `WORKFLOW_SHAPE` warning of the workflow lint. */
interface WorkflowShapeWarning {
  code: 'WORKFLOW_SHAPE';
  message: string;
  detail?: { file: string };
}

/** `require('oxe-cc').workflows`: where a project keeps its workflows, the package diff and the shape lint. */
export declare const workflows: {
  resolveWorkflowsDir(targetProject: string): string | null;
  listWorkflowMdFiles(workflowsDir: string): string[];
  diffWorkflows(
    expectedDir: string,
    actualDir: string,
  ): { expected: string[]; actual: string[]; missing: string[]; extra: string[]; ok: boolean };
  validateWorkflowShapes(
    workflowsDir: string | null | undefined,
    options?: { maxBytesSoft?: number },
  ): { fileResults: Array<{ file: string; warnings: string[] }>; warnings: WorkflowShapeWarning[] };
  readonly DEFAULT_MAX_BYTES_SOFT: number;
  readonly SUCCESS_CRITERIA_EXCEPTIONS: Set<string>;
};

// ============================================================================
// SDK namespace `azure` (require('oxe-cc').azure): the Azure CLI provider
// ============================================================================

/** `azurePaths(projectRoot)`: the provider's files under `.oxe/cloud/azure/`. */
interface AzurePathsInfo {
  root: string;
  profile: string;
  authStatus: string;
  inventory: string;
  inventoryMd: string;
  serviceBusMd: string;
  eventGridMd: string;
  sqlMd: string;
  operationsDir: string;
}

/** `profile.json`: the subscription context (unknown keys are kept). */
interface AzureProfile {
  cloud: string;
  tenant_id: string | null;
  subscription_id: string | null;
  subscription_name: string | null;
  auth_mode: 'user_mfa' | 'service_principal' | 'managed_identity' | 'unknown' | string;
  default_resource_group: string;
  preferred_locations: string[];
  last_auth_check: string | null;
  resource_graph_enabled: boolean;
  [key: string]: unknown;
}

/** `auth-status.json`: the last check of the CLI and its session. */
interface AzureAuthStatus {
  checked_at: string;
  installed: boolean;
  version: string | null;
  login_active: boolean;
  subscription_selected: boolean;
  tenant_id: string | null;
  subscription_id: string | null;
  subscription_name: string | null;
  cloud: string;
  auth_mode: string;
  user: string | null;
  user_type: string | null;
  resource_graph_enabled: boolean;
  warnings: string[];
  last_sync?: string;
}

/** `detectAzureCli`: whether `az` runs, and its version. */
interface AzureCliInfo {
  installed: boolean;
  version: string | null;
  major: number | null;
  okVersion: boolean;
  message: string | null;
  raw: unknown;
}

/** `getAzureContext`, `loginAzure`, `setAzureSubscription`. */
interface AzureContext {
  cli: AzureCliInfo;
  profile: AzureProfile;
  authStatus: AzureAuthStatus;
  account: Record<string, unknown> | null;
  cloud: Record<string, unknown> | null;
  extension: unknown;
}

/** One Resource Graph resource, as `inventory.json` stores it. */
interface AzureInventoryItem {
  id: string;
  name: string;
  type: string;
  resourceGroup: string;
  location: string;
  subscriptionId: string;
  tags: Record<string, unknown>;
  sku: string;
  service_family: 'servicebus' | 'eventgrid' | 'sql' | 'other';
}

/** `summarizeInventory(items)`. */
interface AzureInventorySummary {
  total: number;
  servicebus: number;
  eventgrid: number;
  sql: number;
  other: number;
}

/** `inventory.json`. */
interface AzureInventory {
  oxeAzureInventorySchema: 1;
  synced_at: string;
  query: string;
  cloud: string;
  tenant_id: string | null;
  subscription_id: string | null;
  subscription_name: string | null;
  summary: AzureInventorySummary;
  items: AzureInventoryItem[];
}

/** `diffInventory(previous, current)`. */
interface AzureInventoryDiff<T = AzureInventoryItem> {
  added: T[];
  removed: T[];
  unchanged: number;
}

/** `operations/<id>.json`: a planned, pending, applied or failed mutation. */
interface AzureOperation {
  operation_id: string;
  created_at: string;
  updated_at: string;
  domain: AzureDomain;
  phase: 'planned' | 'dry_run' | 'waiting_approval' | 'running' | 'applied' | 'failed';
  kind: string;
  action: 'create';
  mutate: true;
  approval_policy: 'require_approval_if_external_side_effect' | 'deny_unless_overridden';
  checkpoint_id: string;
  resource_group: string;
  location: string | null;
  resource_refs: Array<Record<string, unknown>>;
  evidence_outputs: string[];
  blocked: boolean;
  blocked_reason: string | null;
  summary: string;
  /** The `az` arguments; a SQL admin password appears as `${ENV_VAR}`. */
  command_args: string[];
  command_display: string;
  command_display_redacted: string;
  metadata: Record<string, unknown>;
  error?: string;
  result?: unknown;
}

type AzureDomain = 'servicebus' | 'eventgrid' | 'sql';

/** The input of reads and mutations (the CLI's flags). */
interface AzureOperationInput {
  kind?: string;
  resourceGroup?: string;
  name?: string;
  namespace?: string;
  topicName?: string;
  subscriptionName?: string;
  sourceResourceId?: string;
  endpoint?: string;
  location?: string;
  server?: string;
  database?: string;
  adminUser?: string;
  /** The environment variable holding the SQL admin password (`AZURE_SQL_ADMIN_PASSWORD`). */
  adminPasswordEnv?: string;
  startIpAddress?: string;
  endIpAddress?: string;
  serviceObjective?: string;
  env?: Record<string, string | undefined>;
}

/** Options every call that runs `az` accepts. */
interface AzureRunOptions {
  /** Extra environment for `az` (merged over `process.env`). */
  env?: Record<string, string>;
  /** Timeout of one `az` call in ms (default 30000, or `OXE_AZ_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** `false`: do not write `profile.json` / `auth-status.json`. */
  write?: boolean;
  /** `false`: do not add the resource-graph extension when it is missing. */
  autoInstall?: boolean;
}

/** `applyAzureOperation` switches. */
interface AzureApplyOptions extends AzureRunOptions {
  approve?: boolean;
  overridePolicy?: boolean;
  dryRun?: boolean;
  vpnRequired?: boolean;
  vpnConfirmed?: boolean;
}

/** `statusAzure(projectRoot, config)`. */
interface AzureStatus {
  cliInstalled: boolean;
  cliVersion: string | null;
  loginActive: boolean;
  subscription: string | null;
  cloud: string;
  resourceGraphEnabled: boolean;
  inventoryPresent: boolean;
  inventoryStale: boolean;
  inventoryAgeHours: number | null;
  inventorySummary: AzureInventorySummary | null;
  pendingOperations: number;
  pendingOperationIds: string[];
  vpnRequired: boolean;
}

/** `{jsonPath, mdPath}` of an operation record. */
interface AzureOperationFiles {
  jsonPath: string;
  mdPath: string;
}

/**
 * `require('oxe-cc').azure`: the Azure provider of oxe-cc 1.4.0, driving the
 * Azure CLI (`az`, found on PATH). Calls that need `az` throw an `Error` whose
 * `code` is `OXE_E_AZURE_CLI_MISSING`, `OXE_E_AZURE_NOT_LOGGED_IN`,
 * `OXE_E_AZURE_COMMAND_FAILED`, `OXE_E_AZURE_BAD_JSON`, `OXE_E_AZURE_TIMEOUT`,
 * `OXE_E_AZURE_EXTENSION`, `OXE_E_AZURE_INPUT`, `OXE_E_AZURE_UNSUPPORTED`,
 * `OXE_E_AZURE_SECRET_MISSING`, `OXE_E_AZURE_POLICY` or
 * `OXE_E_AZURE_VPN_REQUIRED`; `detectAzureCli`, `getAzureContext`,
 * `statusAzure` and `azureDoctor` report a missing CLI or session in their
 * result instead.
 */
export interface OxeAzureNamespace {
  readonly MIN_AZURE_CLI_MAJOR: number;
  readonly AZURE_CAPABILITY_IDS: string[];
  readonly RESOURCE_GRAPH_QUERY: string;
  readonly DEFAULT_AZURE_PROFILE: AzureProfile;
  azurePaths(projectRoot: string): AzurePathsInfo;
  /** Creates `.oxe/cloud/azure/operations/`. */
  ensureAzureArtifacts(projectRoot: string): AzurePathsInfo;
  isAzureContextEnabled(projectRoot: string, config?: { azure?: { enabled?: boolean } } | Record<string, unknown>): boolean;
  detectAzureCli(projectRoot: string, options?: AzureRunOptions): AzureCliInfo;
  loadAzureProfile(projectRoot: string): AzureProfile;
  loadAzureAuthStatus(projectRoot: string): AzureAuthStatus | null;
  loadAzureInventory(projectRoot: string): AzureInventory | null;
  /** Newest first. */
  listAzureOperations(projectRoot: string): AzureOperation[];
  summarizeInventory(items: Array<{ type?: string; service_family?: string }> | null | undefined): AzureInventorySummary;
  searchAzureInventory(projectRoot: string, query: string, filters?: { type?: string; resourceGroup?: string }): AzureInventoryItem[];
  diffInventory<T extends { id?: unknown }>(previousItems: T[], currentItems: T[]): AzureInventoryDiff<T>;
  statusAzure(projectRoot: string, config?: Record<string, unknown>, options?: AzureRunOptions): AzureStatus;
  /** Writes the missing `.oxe/capabilities/azure-*` manifests; returns the five ids. */
  ensureAzureCapabilities(projectRoot: string): string[];
  getAzureContext(projectRoot: string, options?: AzureRunOptions): AzureContext;
  loginAzure(projectRoot: string, options?: AzureRunOptions & { inherit?: boolean; tenant?: string }): AzureContext;
  setAzureSubscription(projectRoot: string, subscription: string, options?: AzureRunOptions): AzureContext;
  syncAzureInventory(
    projectRoot: string,
    options?: AzureRunOptions & { diff?: boolean },
  ): { paths: AzurePathsInfo; profile: AzureProfile; authStatus: AzureAuthStatus; inventory: AzureInventory; diff?: AzureInventoryDiff };
  /** The parsed answer of `az <domain> … list|show`. */
  executeAzureRead(projectRoot: string, activeSession: string | null, domain: AzureDomain, verb: 'list' | 'show', input?: AzureOperationInput, options?: AzureRunOptions): unknown;
  planAzureOperation(
    projectRoot: string,
    activeSession: string | null,
    domain: AzureDomain,
    input: AzureOperationInput,
    options?: AzureRunOptions,
  ): { context: AzureContext; operation: AzureOperation; files: AzureOperationFiles };
  applyAzureOperation(
    projectRoot: string,
    activeSession: string | null,
    domain: AzureDomain,
    input: AzureOperationInput,
    options?: AzureApplyOptions,
  ):
    | { approved: false; dryRun: true; operation: AzureOperation; commandPreview: string; message: string }
    | { approved: false; operation: AzureOperation; files: AzureOperationFiles; checkpoint_id: string; message: string }
    | { approved: true; operation: AzureOperation; files: AzureOperationFiles; result: unknown };
  azureDoctor(
    projectRoot: string,
    config?: Record<string, unknown>,
    options?: AzureRunOptions,
  ): {
    healthy: boolean;
    warnings: string[];
    profile: AzureProfile;
    authStatus: AzureAuthStatus;
    inventory: AzureInventory | null;
    inventorySummary: AzureInventorySummary;
    paths: AzurePathsInfo;
  };
  /** A deep copy with secret-looking keys' values replaced by `'[redacted]'` (or `null` when empty). */
  redactObject<T>(value: T): T;
  /** Not in 1.4.0's SDK (an internal helper its tests use). */
  normalizeInventoryItem(item: Record<string, unknown>): AzureInventoryItem;
}

/** The `azure` SDK namespace. */
export declare const azure: OxeAzureNamespace;

// ============================================================================
// SDK namespace `dashboard` (require('oxe-cc').dashboard)
// ============================================================================

/** The local dashboard: its context object, the plan review writes and an HTTP server. */
export declare namespace dashboard {
  /** Options of the context and review calls: the session (`sessions/sNNN-slug`); `null` is project level. */
  interface SessionOption {
    /** Omitted: STATE.md's `active_session`; `null`: no session. */
    activeSession?: string | null;
  }

  /** Everything the page shows (1.4.0's `loadDashboardContext` shape; the big sub-objects stay loose). */
  interface Context {
    projectRoot: string;
    activeSession: string | null;
    phase: string | null;
    healthStatus: string;
    nextStep: Record<string, unknown>;
    planReviewStatus: string;
    state: { path: string; raw: string; parsed: { phase: string | null; activeSession: string | null; runtimeStatus: string | null } };
    spec: { path: string; raw: string; objective: string | null; criteria: Array<{ id: string; criterion: string; howToVerify: string }>; uncoveredCriteria: Array<{ id: string; criterion: string; howToVerify: string }> };
    plan: {
      path: string;
      raw: string;
      tasks: PlanTask[];
      waves: Array<{ wave: number; taskIds: string[]; tasks: PlanTask[] }>;
      totalTasks: number;
      selfEvaluation: Record<string, unknown>;
    };
    runtime: { path: string; raw: string; summary: string; parsed: Record<string, unknown> };
    activeRun: Record<string, unknown> | null;
    runtimeCanonical: Record<string, unknown> | null;
    compiledGraph: Record<string, unknown> | null;
    enterprise: Record<string, unknown> & { warnings: string[] };
    tracing: { path: string; events: Array<Record<string, unknown>>; summary: { total: number; byType: Record<string, number>; lastEvent: Record<string, unknown> | null } };
    checkpoints: { path: string; raw: string; parsed: Array<Record<string, string>> };
    verify: { path: string; raw: string; summary: string; parsed: { criteria: Array<{ id: string; status: 'passed' | 'failed' | 'mentioned'; summary: string }>; mentionedCriteria: string[]; failed: boolean; passed: boolean } };
    review: { markdownPath: string; commentsPath: string; comments: ReviewComment[] };
    sessions: Record<string, unknown>;
    support: { capabilitiesSummary: string; investigationsSummary: string };
    capabilities: Array<Record<string, unknown>>;
    memoryLayers: Record<string, unknown>;
    context: Record<string, unknown>;
    azure: Record<string, unknown> | null;
    diagnostics: Record<string, string[]>;
    repositoryContext: Record<string, { path: string | null; summary: string }>;
    readiness: { go: boolean; decision: 'go' | 'no-go'; threshold: number; confidence: number | null; confidenceBand: string; checkpointPending: boolean; blockers: string[]; warnings: string[] };
    coverage: Array<{ id: string; criterion: string; verifyHow: string; tasks: string[]; planCovered: boolean; verifyStatus: 'passed' | 'failed' | 'mentioned' | 'missing'; verifySummary: string }>;
    calibration: { status: string; summary: string };
    visual: { flow: { nodes: Array<{ label: string; status: string }> }; artifactGraph: Array<{ id: string; label: string; path: string | null; detail: string; status: string }> };
    operationalGraph: { nodes: Array<Record<string, unknown>>; edges: Array<Record<string, unknown>> };
    dashboard: { readOnly: boolean };
  }

  /** A dashboard plan task. */
  interface PlanTask {
    id: string;
    title: string;
    wave: number | null;
    dependsOn: string[];
    verifyCommand: string | null;
    aceite: string[];
    decisions: string[];
  }

  /** A plan review comment as stored in `plan-review-comments.json`. */
  interface ReviewComment {
    id: string;
    target: string;
    type: string;
    status: string;
    author: string;
    created_at: string;
    text: string;
    updated_at?: string;
  }

  /** What `savePlanReviewStatus` wrote. */
  interface ReviewStatus {
    status: string;
    updatedAt: string;
    /** Absolute path of PLAN-REVIEW.md. */
    ref: string;
    note: string;
    author: string;
    activeSession: string | null;
  }

  /** Options of `createDashboardServer`. */
  interface ServerOptions {
    activeSession?: string | null;
    /** Every POST answers 403. */
    readOnly?: boolean;
    /** Writes must carry it in `X-OXE-Token`; `true` makes a fresh one (see `server.token`). Default: none needed. */
    token?: string | true | null;
  }

  /** The running server: the parts of `http.Server` callers use. Only loopback hosts are accepted. */
  interface Server {
    readonly listening: boolean;
    /** The write token, or `null` when writes need none. */
    token: string | null;
    listen(port?: number, host?: string, callback?: () => void): Server;
    listen(port: number, callback: () => void): Server;
    listen(options: { port?: number; host?: string }, callback?: () => void): Server;
    address(): { address: string; family: 'IPv4' | 'IPv6'; port: number } | null;
    close(callback?: (err?: Error) => void): Server;
    ref(): Server;
    unref(): Server;
    on(event: 'listening' | 'close', listener: () => void): Server;
    on(event: 'error', listener: (err: Error & { code?: string }) => void): Server;
    once(event: 'listening' | 'close', listener: () => void): Server;
    once(event: 'error', listener: (err: Error & { code?: string }) => void): Server;
  }

  function loadDashboardContext(projectRoot: string, opts?: SessionOption): Context;
  function savePlanReviewStatus(
    projectRoot: string,
    input?: SessionOption & { status?: string; note?: string; author?: string },
  ): ReviewStatus;
  function addPlanReviewComment(
    projectRoot: string,
    input?: SessionOption & { target?: string; type?: string; text?: string; author?: string },
  ): ReviewComment;
  /** The updated comment, or `null` for an unknown id. */
  function updatePlanReviewCommentStatus(
    projectRoot: string,
    input?: SessionOption & { commentId?: string; status?: string },
  ): ReviewComment | null;
  function createDashboardServer(projectRoot: string, opts?: ServerOptions): Server;
}
