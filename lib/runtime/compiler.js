'use strict';
// compiler: compile and validate run in the core; toSerializable and
// fromSerializable are pure Map <-> object conversions.

const { native, argError, toWire } = require('../native.js');

// The core decides the graph (node per task, waves, actions, hashes) and
// returns it by task index; the node objects are built here from the
// caller's task objects, so `depends_on` and `mutation_scope` are the
// task's own arrays, as in 1.4.0. Flags: 1 = read_code, 2 = run_tests.
function compile(plan, spec, options) {
  const text = native.compile(
    toWire('compile', 'plan', plan),
    toWire('compile', 'spec', spec),
    options === undefined || options === null ? null : toWire('compile', 'options', options),
  );
  const w = JSON.parse(text);
  const tasks = plan.tasks;
  const nodes = new Map();
  for (const [ti, wave, flags] of w.nodes) {
    const t = tasks[ti];
    const actions = [];
    if (flags & 1) actions.push({ type: 'read_code', targets: t.files });
    actions.push({ type: 'generate_patch' });
    if (flags & 2) actions.push({ type: 'run_tests', command: t.verifyCommand });
    actions.push({ type: 'collect_evidence' });
    nodes.set(t.id, {
      id: t.id,
      title: t.title,
      wave,
      depends_on: t.dependsOn,
      workspace_strategy: w.strategy,
      mutation_scope: t.files,
      actions,
      verify: { must_pass: flags & 2 ? ['tests'] : [], acceptance_refs: t.aceite, command: t.verifyCommand },
      policy: { requires_human_approval: w.approval, max_retries: w.maxRetries },
    });
  }
  const edges = [];
  const e = w.edges;
  for (let i = 0; i < e.length; i += 2) {
    const t = tasks[e[i]];
    edges.push({ from: t.dependsOn[e[i + 1]], to: t.id, type: 'dependency' });
  }
  const waves = w.waves.map(([n, ...ids]) => ({ wave_number: n, node_ids: ids.map((ti) => tasks[ti].id) }));
  return { nodes, edges, waves, metadata: w.metadata };
}

function validateGraph(graph) {
  if (!graph || !(graph.nodes instanceof Map)) {
    throw argError('validateGraph: graph.nodes must be a Map of GraphNode objects');
  }
  const pairs = [];
  for (const [id, node] of graph.nodes) pairs.push([id, node == null ? null : node.depends_on]);
  return native.validateGraph(toWire('validateGraph', 'graph', pairs));
}

function toSerializable(graph) {
  return {
    nodes: Object.fromEntries(graph.nodes),
    edges: graph.edges,
    waves: graph.waves,
    metadata: graph.metadata,
  };
}

function fromSerializable(raw) {
  return {
    nodes: new Map(Object.entries(raw.nodes)),
    edges: raw.edges,
    waves: raw.waves,
    metadata: raw.metadata,
  };
}

module.exports = { compile, validateGraph, toSerializable, fromSerializable };
