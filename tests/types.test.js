'use strict';
// The package typings (index.d.ts). tsc must accept a realistic consumer
// (tests/types/consumer.ts) and reject one with deliberate mistakes
// (tests/types/broken.ts); the declared surface must carry exactly the 161
// type names and the 132 value names of oxe-cc 1.4.0, every declared value
// (and every declared class member) must exist in the runtime; and the
// consumer, transpiled, must behave as its annotations claim, area by area.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const TYPES_DIR = path.join(__dirname, 'types');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const HAVE_TS = fs.existsSync(TSC);
const HAVE_NODE_TYPES = fs.existsSync(path.join(ROOT, 'node_modules', '@types', 'node', 'package.json'));
const NO_TS = 'node_modules/typescript is missing (run `npm install --ignore-scripts`)';

// Every type-only name the 1.4.0 runtime barrel exports (interfaces and aliases).
const TYPE_NAMES_1_4_0 = [
  'AcceptanceCheck', 'AcceptanceCheckSuite', 'Action', 'AgentActionLog', 'AgentBudget', 'AgentHeartbeat',
  'AgentRole', 'AgentSpec', 'AgentStatus', 'ApiStability', 'ArbitrationRecord', 'Attempt', 'AttemptOutcome',
  'AuditAction', 'AuditEntry', 'AuditMetrics', 'AuditQueryFilter', 'AuditSeverity', 'AutonomyTier',
  'BlastRadiusEstimate', 'BranchInfo', 'BuildMemoInput', 'CICheck', 'CICheckContext', 'CICheckResult',
  'CICheckStatus', 'CapabilityMatrix', 'ChangeStrategy', 'CheckResult', 'CheckType', 'CommitRecord',
  'CompilerOptions', 'ContainerOptions', 'ContextArtifact', 'ContextDecisionType', 'ContextPack',
  'ContextPackDiff', 'ContextPackMeta', 'ContextPackOptions', 'ContextPackRef', 'ContextProfile',
  'ContextProvider', 'ContextQualityScore', 'ContextRequest', 'CooperativeHandoff', 'CoordinationMode',
  'CoordinationOptions', 'CoordinationResult', 'DecisionInput', 'DecisionLog', 'DecisionMemo', 'DecisionRecord',
  'DecisionSignal', 'DecisionType', 'EnvironmentGuardrail', 'EventInput', 'EventType', 'Evidence',
  'EvidenceCollectOptions', 'EvidenceContent', 'EvidenceCoverageSummary', 'EvidenceType',
  'ExecutedVerificationSuite', 'ExecutionGraph', 'ExecutionGraphMetadata', 'FailureClass', 'GateContext',
  'GateDecision', 'GateDecisionValue', 'GateQuery', 'GateQueueSnapshot', 'GateResolution',
  'GateResolutionRecord', 'GateScope', 'GateToken', 'GraphEdge', 'GraphNode', 'LessonMetric', 'ManifestCheck',
  'MergeGateReport', 'MergeGateVerdict', 'MultiAgentOwnership', 'MultiAgentStatusSnapshot', 'NodePolicy',
  'NodePolicyConfig', 'OxeEvent', 'OxePlugin', 'PRDraftOptions', 'PRInfo', 'PRResult', 'ParsedPlan',
  'ParsedSpec', 'ParsedSpecCriterion', 'ParsedTask', 'PersistedPolicyDecision', 'PluginContextArtifact',
  'PluginContextArtifacts', 'PluginManifest', 'PluginValidationResult', 'PolicyAction', 'PolicyAssertClause',
  'PolicyContext', 'PolicyDecision', 'PolicyDecisionRecord', 'PolicyPack', 'PolicyRule', 'PolicyWhenClause',
  'PromotionOptions', 'PromotionRecord', 'PromotionRemoteTarget', 'PromotionTarget', 'ProviderCapabilityEntry',
  'QuotaViolation', 'RegisteredAgent', 'RemoteAuditSink', 'ReplayStep', 'ResidualRisk', 'ResidualRiskLedger',
  'RollbackPlan', 'Run', 'RunInitiator', 'RunJournal', 'RunMode', 'RunPRLink', 'RunQuota', 'RunResult',
  'RunState', 'RunStatus', 'SchedulerContext', 'SeniorityLevel', 'Session', 'SessionStatus', 'SideEffectClass',
  'SnapshotRef', 'TaskExecutor', 'TaskResult', 'ToolFailureRecord', 'ToolInvocationInput',
  'ToolInvocationResult', 'ToolProvider', 'VerificationGranularity', 'VerificationInput',
  'VerificationManifest', 'VerificationProfile', 'VerificationResult', 'VerificationStatus', 'VerifierProvider',
  'VerifyContract', 'VerifyRunResult', 'Wave', 'WorkItem', 'WorkItemStatus', 'WorkItemType', 'Workspace',
  'WorkspaceIsolationLevel', 'WorkspaceLease', 'WorkspaceManager', 'WorkspaceProvider', 'WorkspaceRequest',
  'WorkspaceStatus', 'WorkspaceStrategy',
];

// Every runtime value the 1.4.0 runtime barrel exports (classes, functions, constants).
const VALUE_NAMES_1_4_0 = [
  'AgentRegistry', 'ArbitrationEngine', 'AuditTrail', 'BranchManager', 'CURRENT_ABI_VERSION', 'ContextPackBuilder',
  'DEFAULT_PROFILES', 'DecisionEngine', 'EVENT_TYPES', 'EphemeralContainerManager', 'EvidenceStore', 'GateManager',
  'GitWorktreeManager', 'InplaceWorkspaceManager', 'MergeGateEvaluator', 'MultiAgentCoordinator', 'OXE_CI_CHECKS',
  'PRManager', 'PluginRegistry', 'PolicyEngine', 'ProjectionEngine', 'PromotionPipeline', 'Scheduler',
  'StrategySelector', 'addEntry', 'appendDecision', 'appendEvent', 'applyEventExported', 'applyPolicyPack',
  'buildBlastRadius', 'buildHandoff', 'buildManifest', 'buildMatrix', 'buildMemo', 'buildRiskLedger',
  'buildRollbackPlan', 'checkQuota', 'classifyFailure', 'commitRecordPath', 'compile', 'compileVerification',
  'consumeBudget', 'consumeQuota', 'createBudget', 'createCapabilityPlugin', 'createEmptyRunState', 'createJournal',
  'createQuota', 'deleteJournal', 'diffPacks', 'executeSuite', 'extractManifest', 'filterByRun', 'filterByWorkItem',
  'fromSerializable', 'getAttemptCount', 'getDeprecatedEntries', 'getEvidenceRefs', 'getExperimentalEntries',
  'getPackRefForAttempt', 'getPolicyDecision', 'getProfile', 'getRetryCount', 'getStableEntries', 'getToolFailures',
  'getVerificationStatus', 'getWorkItemStatus', 'globalRegistry', 'isAbiCompatible', 'isBudgetExhausted', 'isStale',
  'isValidEventType', 'linkPackToAttempt', 'listMemos', 'listPackMeta', 'listPendingGates', 'listPolicyPacks',
  'loadCapabilityPlugins', 'loadCommitRecord', 'loadDecisionLog', 'loadEvidenceCoverage', 'loadJournal',
  'loadManifest', 'loadMemo', 'loadMultiAgentState', 'loadPack', 'loadPolicyDecisions', 'loadPolicyPack',
  'loadPromotionRecord', 'loadRiskLedger', 'markDeprecated', 'markStale', 'multiAgentStatePath',
  'planConsistencyCheck', 'policyCheck', 'promotionRecordPath', 'queryDecisions', 'readEvents', 'reduce',
  'registrySummary', 'replaySlice', 'replayUntil', 'resetGlobalRegistry', 'resolveCapabilityMatrix', 'resolveGate',
  'runCIChecks', 'runCheck', 'runSuite', 'runtimeEvidenceIntegrityCheck', 'sandboxInvoke', 'saveCommitRecord',
  'saveEvidenceCoverage', 'saveJournal', 'saveManifest', 'saveMemo', 'savePack', 'savePolicyDecision',
  'savePolicyPack', 'savePromotionRecord', 'saveRiskLedger', 'scorePackQuality', 'securityBaselineCheck',
  'stepReplay', 'summarizeCIResults', 'summarizeEvidenceCoverage', 'summarizePolicyDecisions', 'summarizeSuite',
  'toSerializable', 'validateGraph', 'validatePlugin', 'verifyAcceptanceCheck', 'verifyRun',
];

// The 27 own keys of the oxe-cc 1.4.0 SDK object (`require('oxe-cc')` is the
// SDK, with the runtime values assigned onto it). They are not runtime values
// and index.d.ts does not declare them.
const SDK_KEYS_1_4_0 = [
  'version', 'name', 'PACKAGE_ROOT', 'readPackageMeta', 'readMinNode', 'parsePlan', 'parseSpec', 'parseHypotheses',
  'parseConfidenceVector', 'parseState', 'validateDecisionFidelity', 'parseLessonsMetrics', 'updateLessonMetric',
  'deprecateLowEffectiveness', 'health', 'workflows', 'install', 'manifest', 'agents', 'security', 'plugins',
  'dashboard', 'operational', 'context', 'runtimeSemantics', 'azure', 'runDoctorChecks',
];

function tsc(args) {
  const r = spawnSync(process.execPath, [TSC, ...args, '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout || ''}${r.stderr || ''}`.trim(), error: r.error };
}

// Parses `file(line,col): error TSnnnn: message` lines.
function diagnostics(output) {
  const found = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) found.push({ file: path.resolve(ROOT, m[1]), line: Number(m[2]), code: m[4], message: m[5] });
  }
  return found;
}

function loadRuntime() {
  try {
    return { runtime: require('..') };
  } catch (err) {
    return { reason: `the package does not load (${err && err.message})` };
  }
}

// The module-level declarations of index.d.ts: the exported names split into
// values and types, and for each exported class its public members.
let declared;
function declaredSurface() {
  if (declared) return declared;
  const ts = require(path.join(ROOT, 'node_modules', 'typescript'));
  const file = path.join(ROOT, 'index.d.ts');
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2020.d.ts'],
    types: [],
  });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  const values = [];
  const types = [];
  const kinds = {}; // value name -> 'class' | 'function' | 'string' | 'object'
  const classes = {}; // class name -> { methods, statics, getters, properties }
  for (const sym of checker.getExportsOfModule(moduleSymbol)) {
    if (!(sym.flags & ts.SymbolFlags.Value)) {
      types.push(sym.name);
      continue;
    }
    values.push(sym.name);
    const decl = sym.declarations[0];
    if (sym.flags & ts.SymbolFlags.Class) {
      kinds[sym.name] = 'class';
      const members = { methods: [], statics: [], getters: [], properties: [] };
      for (const m of decl.members) {
        if (!m.name || ts.isConstructorDeclaration(m)) continue;
        const mods = ts.getCombinedModifierFlags(m);
        if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        const name = m.name.getText();
        if (ts.isMethodDeclaration(m)) (mods & ts.ModifierFlags.Static ? members.statics : members.methods).push(name);
        else if (ts.isGetAccessorDeclaration(m)) members.getters.push(name);
        else if (ts.isPropertyDeclaration(m)) members.properties.push(name);
      }
      classes[sym.name] = members;
    } else if (sym.flags & ts.SymbolFlags.Function) {
      kinds[sym.name] = 'function';
    } else {
      const type = checker.getTypeOfSymbolAtLocation(sym, decl);
      kinds[sym.name] = type.flags & ts.TypeFlags.StringLike ? 'string' : 'object';
    }
  }
  declared = { problems, values, types, kinds, classes };
  return declared;
}

// tests/types/consumer.ts transpiled to CommonJS in a temp folder, with its
// package-root imports pointed at this checkout (loaded once).
let consumerModule;
function loadConsumer() {
  if (consumerModule) return consumerModule;
  const ts = require(path.join(ROOT, 'node_modules', 'typescript'));
  const source = fs.readFileSync(path.join(TYPES_DIR, 'consumer.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  });
  const rootSpecifier = /require\("\.\.\/\.\."\)/g;
  assert.ok((outputText.match(rootSpecifier) || []).length >= 2, 'expected package-root requires in the output');
  const dir = tmpProject('oxe-types-');
  const compiled = path.join(dir, 'consumer.js');
  fs.writeFileSync(compiled, outputText.replace(rootSpecifier, `require(${JSON.stringify(ROOT)})`));
  consumerModule = { consumer: require(compiled), source };
  return consumerModule;
}

// The runtime values each top-level function of consumer.ts uses, directly or
// through the file's other top-level functions, classes and constants.
function runtimeValuesUsedBy(source, functionName) {
  const ts = require(path.join(ROOT, 'node_modules', 'typescript'));
  const sf = ts.createSourceFile('consumer.ts', source, ts.ScriptTarget.ES2020, true);
  const topLevel = new Map();
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) topLevel.set(st.name.text, st);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) topLevel.set(d.name.text, st);
    }
  }
  const wanted = new Set(VALUE_NAMES_1_4_0);
  const found = new Set();
  const visited = new Set();
  const walk = (node) => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === node);
      if (!isMemberName) {
        if (wanted.has(node.text)) found.add(node.text);
        if (topLevel.has(node.text) && !visited.has(node.text)) {
          visited.add(node.text);
          walk(topLevel.get(node.text));
        }
      }
    }
    ts.forEachChild(node, walk);
  };
  visited.add(functionName);
  walk(topLevel.get(functionName));
  return [...found].sort();
}

test('tsc accepts the consumer (tests/types/consumer.ts)', (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  const r = tsc(['-p', path.join(TYPES_DIR, 'tsconfig.json')]);
  assert.equal(r.error, undefined);
  assert.equal(r.status, 0, `tsc rejected consumer.ts:\n${r.output}`);
});

test('tsc accepts the consumer with @types/node loaded too', (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  if (!HAVE_NODE_TYPES) return t.skip('node_modules/@types/node is not installed');
  const r = tsc(['-p', path.join(TYPES_DIR, 'tsconfig.json'), '--types', 'node']);
  assert.equal(r.status, 0, `tsc rejected consumer.ts with node types:\n${r.output}`);
});

test('tsc rejects the broken consumer, exactly on its marked lines', (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  const brokenFile = path.join(TYPES_DIR, 'broken.ts');
  const marked = fs
    .readFileSync(brokenFile, 'utf8')
    .split(/\r?\n/)
    .flatMap((text, i) => (/\/\/ expect-error\s*$/.test(text) ? [i + 1] : []));
  assert.ok(marked.length >= 2, 'broken.ts should mark at least two lines with `// expect-error`');

  const r = tsc(['-p', path.join(TYPES_DIR, 'tsconfig.broken.json')]);
  assert.equal(r.error, undefined);
  assert.notEqual(r.status, 0, `tsc accepted broken.ts, so the check cannot fail:\n${r.output}`);
  const found = diagnostics(r.output);
  assert.ok(found.length > 0, `tsc failed without file diagnostics:\n${r.output}`);

  const elsewhere = found.filter((d) => d.file !== brokenFile);
  assert.deepEqual(elsewhere, [], `errors outside broken.ts (index.d.ts itself?):\n${r.output}`);
  const lines = [...new Set(found.map((d) => d.line))].sort((a, b) => a - b);
  assert.deepEqual(lines, marked, `errors should be on the marked lines only:\n${r.output}`);
});

test('index.d.ts declares the 161 type names and the 132 value names of 1.4.0', (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  const { problems, values, types } = declaredSurface();
  assert.deepEqual(problems, [], 'index.d.ts should compile cleanly on its own');
  assert.deepEqual(types.sort(), [...TYPE_NAMES_1_4_0].sort());
  assert.equal(new Set(VALUE_NAMES_1_4_0).size, 132);
  // SDK namespaces typed at the end of index.d.ts are values too; they are not runtime values
  assert.deepEqual([...values].filter((v) => !SDK_KEYS_1_4_0.includes(v)).sort(), [...VALUE_NAMES_1_4_0].sort());
});

test('every declared value and class member exists in the package, which exports nothing else but SDK keys', (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  const { runtime, reason } = loadRuntime();
  if (!runtime) return t.skip(reason);
  const { values, kinds, classes } = declaredSurface();
  const keys = Object.keys(runtime); // own enumerable keys, as the SDK's Object.assign copies them
  const undeclared = keys.filter((k) => !values.includes(k));
  const sdkKeys = undeclared.filter((k) => SDK_KEYS_1_4_0.includes(k));
  assert.deepEqual(
    undeclared.filter((k) => !sdkKeys.includes(k)),
    [],
    'package exports that are neither 1.4.0 runtime values nor 1.4.0 SDK keys',
  );

  const missing = values.filter((v) => !keys.includes(v));
  const present = values.filter((v) => keys.includes(v));
  const wrong = [];
  for (const name of present) {
    const value = runtime[name];
    const kind = kinds[name];
    if (kind === 'class' || kind === 'function') {
      if (typeof value !== 'function') wrong.push(`${name}: declared a ${kind}, runtime has ${typeof value}`);
    } else if (kind === 'string' ? typeof value !== 'string' : value === null || typeof value !== 'object') {
      wrong.push(`${name}: declared a ${kind} constant, runtime has ${value === null ? 'null' : typeof value}`);
    }
    if (kind !== 'class' || typeof value !== 'function') continue;
    const { methods, statics, getters } = classes[name];
    for (const m of methods) {
      if (typeof value.prototype[m] !== 'function') wrong.push(`${name}.prototype.${m} is not a function`);
    }
    for (const m of statics) {
      if (typeof value[m] !== 'function') wrong.push(`static ${name}.${m} is not a function`);
    }
    for (const g of getters) {
      let proto = value.prototype;
      let desc;
      while (proto && !desc) {
        desc = Object.getOwnPropertyDescriptor(proto, g);
        proto = Object.getPrototypeOf(proto);
      }
      if (!desc || typeof desc.get !== 'function') wrong.push(`${name}.prototype.${g} is not a getter`);
    }
  }
  assert.deepEqual(wrong, [], 'declarations that the runtime does not match');
  const todo = [];
  assert.deepEqual(missing, [], 'declared 1.4.0 runtime values missing from the package');
  assert.equal(present.filter((v) => !SDK_KEYS_1_4_0.includes(v)).length, 132, 'all 132 runtime values of 1.4.0 are own enumerable exports');
  if (sdkKeys.length > 0) todo.push(`SDK keys the package exports but index.d.ts does not type: ${sdkKeys.join(', ')}`);
  if (todo.length > 0) t.todo(todo.join('; '));
});

test('the transpiled consumer runs and matches its annotations', (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  const { runtime, reason } = loadRuntime();
  if (!runtime) return t.skip(reason);
  const { consumer } = loadConsumer();

  const projectRoot = tmpProject();
  const s = consumer.exercise(projectRoot);
  assert.equal(s.eventTypeCount, 21);
  assert.deepEqual(s.nodeIds, ['T1', 'T2']);
  assert.deepEqual(s.waveNumbers, [1, 2]);
  assert.deepEqual(s.edges, ['T1->T2:dependency']);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(s.serializedNodeKeys, ['T1', 'T2']);
  assert.deepEqual(s.completed, ['T1']);
  assert.deepEqual(s.blocked, ['T2']);
  assert.equal(s.retries, 1);
  assert.equal(s.attempts, 1);
  assert.deepEqual(s.evidence, ['ev-1']);
  assert.equal(s.toolFailures, 1);
  assert.equal(s.pendingGates, 2);
  assert.equal(s.replaySteps, 8);
  assert.equal(s.firstCompletedIndex, 6);
  assert.deepEqual(s.sliceIndexes, [1, 2, 3]);
  assert.equal(s.statusAfterReplay, 'completed');
  assert.equal(s.journalState, 'running');
  assert.equal(s.journalAfterDelete, null);
  assert.equal(s.eventsOnDisk, 8);
  assert.equal(s.eventsForT2, 1);
});

// What each `exercise<Area>` function of consumer.ts must report (it gets a
// fresh project folder). Every exported exercise<Area> needs an entry here.
const AREA_EXPECTATIONS = {
  exerciseScheduler(s, root) {
    assert.equal(s.status, 'completed');
    assert.deepEqual(s.completed, ['T1', 'T2']);
    assert.deepEqual(s.ran, ['T1@shared#1', 'T2@shared#1']);
    const perNode = ['WorkItemReady', 'AttemptStarted', 'WorkspaceAllocated', 'WorkItemCompleted'];
    assert.deepEqual(s.eventTypes, ['RunStarted', ...perNode, ...perNode, 'RunCompleted']);
    assert.equal(s.journalBefore, null);
    assert.equal(s.journalState, 'completed');
    assert.equal(s.persistedState, 'completed');
    assert.equal(s.recovered, null);
    assert.equal(s.cancelledStatus, 'cancelled');
    assert.deepEqual(s.lease, {
      workspace_id: 'ws-inplace-T1-a1',
      strategy: 'inplace',
      isolation_level: 'shared',
      branch: null,
      base_commit: null,
      root_path: root,
      ttl_minutes: 60,
    });
  },
  exerciseGovernedRun(s) {
    assert.equal(s.status, 'blocked');
    assert.deepEqual(s.blocked, ['T1', 'T2']);
    assert.equal(s.pendingGates.length, 1);
    assert.match(s.pendingGates[0], /^gate-[0-9a-f]{8}$/);
    assert.equal(s.gatesListed, 1);
    assert.equal(s.decisions, 1);
    assert.deepEqual(s.audited, ['run_started', 'gate_requested', 'run_completed']);
  },
  exerciseGates(s) {
    assert.deepEqual(s, {
      idPrefix: 'gate-',
      pendingBefore: true,
      snapshotTotal: 1,
      snapshotPending: 1,
      resolvedDecision: 'approved_with_caveats',
      history: 2,
      pendingAfter: 0,
      resolvedFiltered: 1,
    });
  },
  exercisePolicy(s) {
    assert.deepEqual(s.denied, {
      decision_id: 'no-network',
      allowed: false,
      gate_required: false,
      reason: 'Denied by rule no-network',
      rule_id: 'no-network',
      timestamp: '',
    });
    assert.deepEqual(s.guarded, { decision_id: '__guardrail_path', allowed: true, gate_required: true });
    assert.equal(s.gatedByNewRule, true);
    assert.equal(s.defaultReason, 'no matching policy — default allow');
    assert.equal(s.originalUnchanged, true);
    assert.deepEqual(s.guardrailPaths, ['.oxe/config.json', '.env', 'package.json']);
    assert.equal(s.persisted, 1);
    assert.deepEqual(s.tally, { total: 1, denied: 1, gated: 0, overridesWithoutRationale: 1 });
  },
  exerciseAudit(s) {
    assert.deepEqual(s, {
      severity: 'critical',
      idPrefix: 'aud-',
      sinkReceived: 2,
      critical: 1,
      metrics: { total_entries: 2, critical_count: 1, warn_count: 0, actors: ['alice', 'runtime'] },
      infoForRun: 1,
      violation: { quota_type: 'retries', limit: 1, consumed: 2 },
      unlimited: true,
      packs: ['org-default'],
      packDecision: { allowed: false, rule_id: 'no-infra' },
    });
  },
  exerciseEvidence(s) {
    assert.deepEqual(s, {
      paths: [
        '.oxe/evidence/runs/run-ev/T1/attempt-1/stdout.txt',
        '.oxe/evidence/runs/run-ev/T1/attempt-1/stdout-2.txt',
      ],
      listed: 2,
      byRun: 2,
      text: 'all green',
      sameBytes: true,
      unknown: null,
    });
  },
  exerciseVerification(s) {
    assert.deepEqual(s, {
      compiledChecks: ['check-a1', 'check-a2'],
      compiledCommands: ['npm test', null],
      status: 'passed',
      manifestSkip: 1,
      coverageTotal: 1,
      evidenceCollected: 1,
      single: 'skip',
      allPassed: true,
      failureClass: 'deterministic',
      risks: 1,
      coverage: 50,
      loaded: true,
      executedRefs: 0,
    });
  },
  exerciseProjection(s) {
    assert.deepEqual(s, {
      plan: true,
      verify: true,
      state: true,
      runSummary: true,
      commit: true,
      promotion: true,
      prIsPromotion: true,
    });
  },
  exercisePlugins(s) {
    assert.deepEqual(s, {
      toolFound: 'echo',
      invoked: { success: true, output: 'read_code', evidence_paths: [], side_effects_applied: [] },
      manifest: { capabilities: ['tool'], tool_action_types: ['read_code'] },
      invalidErrors: 1,
      abi: '1',
      compatible: [true, true, false],
      hooked: ['run-plugins'],
      summary: 1,
      matrixEntries: 1,
      stable: 1,
      deprecated: 1,
      experimental: 0,
      sameAfterDuplicate: true,
      sandboxed: 42,
      singleton: true,
      projectCapabilities: [],
      capabilityPlugin: 'capability:lint:1',
      capabilityError: 'Capability lint does not declare an entrypoint',
    });
  },
  exerciseDelivery(s) {
    assert.deepEqual(s, {
      verdict: 'approved',
      blockedReasons: ['1 task(s) failed: T2'],
      commit: { status: 'committed', commit_sha: 'abc1234', branch: 'oxe/feature', message: 'feat: parser' },
      pushed: 'promoted',
      pushedTo: ['origin/oxe/feature'],
      opened: { status: 'open', pr_url: 'https://example.invalid/pull/7', target_kind: 'pr_draft' },
      draftTitles: ['oxe: run run-deliver — 2 tasks'],
      link: 'open',
      records: true,
      summaryHeading: '## OXE Promotion Summary',
      ciStatuses: ['skip', 'skip', 'pass', 'skip', 'skip'],
      ciNames: ['always-pass', 'oxe-policy'],
      ciAllPassed: true,
      builtins: true,
    });
  },
  exerciseContext(s) {
    assert.deepEqual(s, {
      kinds: ['lesson', 'evidence', 'summary'],
      considered: 3,
      lightweight: 2,
      filtered: 3,
      sharedProfile: true,
      overallInRange: true,
      meta: { pack_id: 'cp-run-ctx-T1', artifact_count: 3, stale: false },
      staleAfterMark: true,
      indexed: 1,
      reloaded: true,
      added: ['ev-run-ctx-T1-a1-stdout-1'],
      refId: 'ref-run-ctx-T1-a1',
    });
  },
  exerciseDecision(s) {
    assert.deepEqual(s, {
      proceed: {
        type: 'proceed',
        seniority: 'expert',
        confidence: 0.9,
        signals: ['policy_allowed', 'evidence_sufficient'],
      },
      aborted: 'abort',
      memoLinked: true,
      logged: 2,
      aborts: 1,
      strategy: 'minimal_patch',
      alternatives: 4,
      blast: { estimated_files: 3, subsystems: ['src', 'lib'], risk_score: 0.35, reversible: true },
      rollback: 'undo_patch',
      memoPrefix: 'memo-',
      memos: 1,
      memoBack: true,
    });
  },
  exerciseMultiAgent(s) {
    assert.deepEqual(s, {
      mode: 'competitive',
      completed: ['T1', 'T2'],
      winners: ['a', 'a'],
      persisted: 'competitive',
      statePath: true,
      sharedRejected: 'Multi-agent requires isolated workspaces. Invalid agents: solo:shared',
      failedOver: ['T1'],
      workerStatus: 'failed',
      rawAgents: 2,
      budgetExhausted: true,
      handoffPrefix: 'hoff-',
      arbitrated: 'b won',
    });
  },
};

test('the transpiled consumer drives every runtime area as its annotations claim', async (t) => {
  if (!HAVE_TS) return t.skip(NO_TS);
  const { runtime, reason } = loadRuntime();
  if (!runtime) return t.skip(reason);
  const { consumer, source } = loadConsumer();
  const areas = Object.keys(consumer).filter((k) => /^exercise[A-Z]/.test(k) && typeof consumer[k] === 'function');
  assert.deepEqual(areas.sort(), Object.keys(AREA_EXPECTATIONS).sort(), 'each exercise<Area> needs expectations');
  assert.equal(typeof consumer.typeOnlyExternalTools, 'function'); // type-checked only (git, gh, docker)

  for (const area of areas) {
    await t.test(area, async (st) => {
      const needs = runtimeValuesUsedBy(source, area);
      assert.ok(needs.length > 0, `${area} uses no runtime value?`);
      const missing = needs.filter((n) => !Object.prototype.hasOwnProperty.call(runtime, n));
      if (missing.length > 0) {
        st.todo(`not run: the runtime does not export ${missing.join(', ')} yet`);
        return;
      }
      const root = tmpProject();
      AREA_EXPECTATIONS[area](await consumer[area](root), root);
    });
  }
});
