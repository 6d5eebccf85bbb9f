'use strict';
// compiler: compile and validate run in the core; toSerializable and
// fromSerializable are pure Map <-> object conversions.

const { native, argError, toWire } = require('../native.js');

function compile(plan, spec, options) {
  const text = native.compile(
    toWire('compile', 'plan', plan),
    toWire('compile', 'spec', spec),
    options === undefined || options === null ? null : toWire('compile', 'options', options),
  );
  const w = JSON.parse(text);
  return { nodes: new Map(w.nodes), edges: w.edges, waves: w.waves, metadata: w.metadata };
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
