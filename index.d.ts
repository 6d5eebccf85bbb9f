// Type declarations for oxe-rs, the Rust re-implementation of the oxe-cc 1.4.0
// runtime. `require('oxe-cc')` (aliased to this package) and
// `import { … } from 'oxe-rs'` both resolve here through package.json "types".
//
// What is declared:
//   * every type-only name the 1.4.0 runtime barrel exports (161 interfaces and
//     type aliases, with the same names, fields and field order), and
//   * the runtime VALUES this package implements today (27 of the 132):
//     events, reducers, replay helpers, the graph compiler and the run journal.
//
// Later steps add the remaining values (Scheduler, GateManager, PolicyEngine,
// EvidenceStore, the verification, plugin, delivery, context, decision and
// audit functions, …) as they are implemented. Until then a few type shapes
// below refer to internal "instance shape" interfaces for those classes; they
// are not exported and become the exported class declarations later.
//
// Everything lives in this one file on purpose: package.json "files" publishes
// index.d.ts but no types/ folder, so a split would not survive `npm pack`.
//
// Conventions: `Map` and `Set` are real JavaScript Map/Set objects. Paths in
// comments are relative to the `projectRoot` argument. All values listed here
// are synchronous.

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
export declare function stepReplay(events: OxeEvent[]): Generator<ReplayStep, void, unknown>;

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

// ============================================================================
// delivery — branches, pull requests, CI checks, promotion
// ============================================================================

/** A local git branch. */
export interface BranchInfo {
  name: string;
  current: boolean;
  commit: string;
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

// ============================================================================
// Internal helpers (not exported)
// ============================================================================

/**
 * Node's Buffer when @types/node is loaded, otherwise Uint8Array (which every
 * Buffer is), so these typings need no Node type declarations.
 */
type NodeBuffer = typeof globalThis extends { Buffer: { isBuffer(obj: any): obj is infer B } } ? B : Uint8Array;

// Instance shapes of runtime classes whose values are not implemented yet.
// Type shapes above (SchedulerContext, CICheckContext) refer to them; a later
// step replaces each with an exported `declare class` of the same name.

/** Instance shape of GateManager (the gate queue in GATES.json). */
interface GateManager {
  request(scope: GateScope, ctx: GateContext): Promise<GateToken>;
  resolve(token: GateToken, resolution: GateResolution): Promise<GateToken>;
  isPending(scope: GateScope): boolean;
  listPending(): GateToken[];
  listResolved(): GateToken[];
  listPendingByRun(runId?: string): GateToken[];
  listPendingForWorkItem(workItemId: string): GateToken[];
  stalePending(maxAgeHours?: number): GateToken[];
  listRecentResolved(maxAgeHours?: number): GateToken[];
  listAll(): GateToken[];
  get(gateId: string): GateToken | null;
  filter(query?: GateQuery): GateToken[];
  snapshot(maxAgeHours?: number, query?: Omit<GateQuery, 'gate_sla_hours'>): GateQueueSnapshot;
}

/** Instance shape of PolicyEngine. */
interface PolicyEngine {
  evaluate(ctx: PolicyContext): PolicyDecision;
  withRule(rule: PolicyRule): PolicyEngine;
  withGuardrail(guardrail: EnvironmentGuardrail): PolicyEngine;
  getGuardrail(): EnvironmentGuardrail;
}

/** A plugin as listed by the registry. */
interface PluginListing {
  name: string;
  version?: string;
  providers: string[];
}

/** Instance shape of PluginRegistry. */
interface PluginRegistry {
  register(plugin: OxePlugin): void;
  unregister(name: string): void;
  loadFromDirectory(dir: string): string[];
  toolProviderFor(actionType: string): ToolProvider | null;
  workspaceProviderFor(strategy: string): WorkspaceProvider | null;
  verifierProviderFor(checkType: string): VerifierProvider | null;
  contextProviderFor(name: string): ContextProvider | null;
  allContextProviders(): ContextProvider[];
  allToolProviders(): ToolProvider[];
  runHook(hookName: string, ctx: Record<string, unknown>): Promise<void>;
  list(): PluginListing[];
  registerProjectCapabilities(projectRoot: string): string[];
  loadErrorsSnapshot(): string[];
  clearLoadErrors(): void;
  snapshot(): Array<{
    name: string;
    version?: string;
    abi_version?: string;
    toolProviders: Array<{ name: string; kind: string; idempotent: boolean }>;
    workspaceProviders: Array<{ name: string }>;
    verifierProviders: Array<{ name: string }>;
    contextProviders: Array<{ name: string }>;
  }>;
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
    plugins: PluginListing[];
  };
  capabilityMatrix(): CapabilityMatrix;
}

/** Instance shape of AuditTrail (`.oxe/AUDIT-TRAIL.ndjson`). */
interface AuditTrail {
  record(
    action: AuditAction,
    actor: string,
    options?: { runId?: string; workItemId?: string; resource?: string; detail?: Record<string, unknown> },
  ): AuditEntry;
  query(filter?: AuditQueryFilter): AuditEntry[];
  critical(): AuditEntry[];
  metrics(): AuditMetrics;
}

/** Instance shape of EvidenceStore (`.oxe/evidence/runs/…`). */
interface EvidenceStore {
  collect(type: EvidenceType, content: NodeBuffer | string, opts: EvidenceCollectOptions): Promise<Evidence>;
  list(opts: EvidenceCollectOptions): Promise<Evidence[]>;
  get(evidenceId: string, opts: EvidenceCollectOptions): Promise<EvidenceContent | null>;
  listByRun(runId: string): Promise<Evidence[]>;
}

// Only the `export` declarations above are part of the module.
export {};
