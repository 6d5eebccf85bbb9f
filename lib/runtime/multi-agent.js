'use strict';
// MultiAgentCoordinator: the coordination is a Rust coroutine; this driver
// allocates, executes and disposes through each agent's own objects and
// runs the parallel partitions with our Scheduler.

const { native, argError, codedError, toWire, requireString, flushDiagnostics } = require('../native.js');
const { Scheduler } = require('./scheduler.js');

function ok(value) {
  try {
    return JSON.stringify({ ok: value });
  } catch (e) {
    return JSON.stringify({ throw: null, message: `value cannot be serialized to JSON (${e && e.message})` });
  }
}

function describeAgents(agents) {
  if (!Array.isArray(agents)) throw argError('MultiAgentCoordinator: opts.agents must be an array of AgentSpec');
  return agents.map((a) => ({
    id: a && a.id,
    isolation_level: a && a.workspaceManager ? a.workspaceManager.isolation_level : undefined,
    assignedTaskIds: a && a.assignedTaskIds,
  }));
}

function graphWire(graph) {
  if (!graph || !(graph.nodes instanceof Map)) throw argError('MultiAgentCoordinator: graph.nodes must be a Map of GraphNode objects');
  return toWire('MultiAgentCoordinator', 'graph', {
    nodes: [...graph.nodes].map(([id, n]) => [id, { workspace_strategy: n && n.workspace_strategy, mutation_scope: n && n.mutation_scope }]),
    edges: graph.edges,
    waves: graph.waves,
    metadata: graph.metadata,
  });
}

async function settle(promiseFn) {
  try {
    return { value: await promiseFn() };
  } catch (e) {
    let message;
    try { message = String(e); } catch { message = 'Error'; }
    return { threw: true, message };
  }
}

class MultiAgentCoordinator {
  async run(graph, opts) {
    if (!opts || typeof opts !== 'object') throw argError('MultiAgentCoordinator: opts must be an object');
    const wireOpts = toWire('MultiAgentCoordinator', 'opts', {
      mode: opts.mode, agents: describeAgents(opts.agents), projectRoot: opts.projectRoot, sessionId: opts.sessionId ?? null, runId: opts.runId,
    });
    const core = native.coordinatorCreate(wireOpts, graphWire(graph));
    const agents = opts.agents;
    const leases = new Map();
    let nextLease = 1;
    let response = null;
    for (;;) {
      const req = JSON.parse(core.resume(response));
      response = null;
      // An allocation or sub-run that throws rejects the coordinated run, as
      // in 1.4.0; executions and disposals are settled and never throw here.
      {
        switch (req.op) {
          case 'done':
            return req.value;
          case 'throw':
            throw codedError(req.token && req.token.code ? req.token.code : 'OXE_E_STATE', req.message);
          case 'allocate': {
            const lease = await agents[req.agent].workspaceManager.allocate(req.request);
            const token = nextLease++;
            leases.set(token, lease);
            response = ok({ token, workspace_id: lease && lease.workspace_id });
            break;
          }
          case 'executeAll': {
            const node = graph.nodes.get(req.nodeId);
            const out = await Promise.all(req.runs.map((r) => settle(() => agents[r.agent].executor.execute(node, leases.get(r.lease), opts.runId, 1))));
            response = ok(out);
            break;
          }
          case 'disposeAll':
            await Promise.all(req.items.map((d) => settle(() => agents[d.agent].workspaceManager.dispose(d.workspaceId))));
            response = ok(null);
            break;
          case 'buildHandoff':
            response = ok(require('./agents.js').buildHandoff(req.spec));
            break;
          case 'runSchedulers': {
            const results = await Promise.all(req.runs.map((r) => {
              if (!r) return null;
              const nodes = new Map(r.graph.ids.map((id) => [id, graph.nodes.get(id)]));
              const sub = { nodes, edges: r.graph.edges, waves: r.graph.waves, metadata: r.graph.metadata };
              const agent = agents[r.agent];
              const ctx = {
                projectRoot: opts.projectRoot, sessionId: opts.sessionId, runId: r.runId,
                executor: agent.executor, workspaceManager: agent.workspaceManager, onEvent: opts.onEvent,
              };
              return new Scheduler()._start(sub, ctx, null, { allowExternalDeps: true });
            }));
            response = ok(results);
            break;
          }
          default:
            throw codedError('OXE_E_STATE', `coordinator driver: unknown request ${req.op}`);
        }
      }
    }
  }
}

function loadMultiAgentState(projectRoot, runId) {
  const text = native.loadMultiAgentState(requireString('loadMultiAgentState', 'projectRoot', projectRoot), requireString('loadMultiAgentState', 'runId', runId));
  flushDiagnostics();
  return text === null ? null : JSON.parse(text);
}

function multiAgentStatePath(projectRoot, runId) {
  return native.multiAgentStatePath(requireString('multiAgentStatePath', 'projectRoot', projectRoot), requireString('multiAgentStatePath', 'runId', runId));
}

module.exports = { MultiAgentCoordinator, loadMultiAgentState, multiAgentStatePath };
