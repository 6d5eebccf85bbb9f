'use strict';
// ProjectionEngine: the core renders every Markdown view. This file only
// reads, from the caller's RunState (real Maps and Sets, often hand-built
// by the CLI) and ExecutionGraph (a Map of nodes), the values a view
// interpolates, and sends them as one JSON "projection wire" (see
// crates/oxe-runtime/src/projection/mod.rs).

const { native, argError, toWire } = require('../native.js');

function stateOf(fn, state) {
  if (state === null || typeof state !== 'object') throw argError(`${fn}: state must be a RunState object`);
  return state;
}

function runOf(run) {
  if (run === null || run === undefined) return null;
  return { run_id: run.run_id, status: run.status, mode: run.mode, started_at: run.started_at, ended_at: run.ended_at };
}

function base(fn, state) {
  const s = stateOf(fn, state);
  return {
    run: runOf(s.run),
    completed: [...s.completedWorkItems],
    failed: [...s.failedWorkItems],
    blocked: [...s.blockedWorkItems],
  };
}

function nodesOf(fn, graph) {
  if (!graph || !graph.nodes || typeof graph.nodes.get !== 'function') {
    throw argError(`${fn}: graph.nodes must be a Map of GraphNode objects`);
  }
  return graph.nodes;
}

// The titles of the nodes of each id in the three Sets (commit and
// promotion summaries), aligned with the ids.
function withTitles(fn, w, graph) {
  const nodes = nodesOf(fn, graph);
  w.completed_titles = w.completed.map((id) => nodes.get(id)?.title);
  w.failed_titles = w.failed.map((id) => nodes.get(id)?.title);
  w.blocked_titles = w.blocked.map((id) => nodes.get(id)?.title);
  w.waves = graph.waves;
  return w;
}

function render(method, w) {
  return native.project(method, toWire(method, 'projection input', w));
}

class ProjectionEngine {
  projectPlan(state, graph) {
    const w = base('projectPlan', state);
    const nodes = nodesOf('projectPlan', graph);
    const rows = [];
    for (const wave of graph.waves) {
      for (const id of wave.node_ids) {
        const node = nodes.get(id);
        rows.push(node == null ? [0, null, null, state.workItems.get(id)?.status] : [1, node.title, node.depends_on, state.workItems.get(id)?.status]);
      }
    }
    w.rows = rows;
    w.waves = graph.waves;
    w.metadata = graph.metadata;
    return render('projectPlan', w);
  }

  projectVerify(state, results, checkResults, manifest, riskLedger, evidenceCoverage) {
    const w = base('projectVerify', state);
    w.results = results.map((r) => ({ c: r.check_id, s: r.summary, t: r.status, e: r.evidence_refs }));
    if (checkResults) {
      w.check_results = checkResults.map((c) => ({ c: c.check_id, a: c.acceptance_ref, t: c.status, d: c.duration_ms }));
    }
    w.manifest = manifest ? { summary: manifest.summary } : null;
    w.risk_ledger = riskLedger ? { risks: riskLedger.risks } : null;
    w.coverage = evidenceCoverage ?? null;
    return render('projectVerify', w);
  }

  projectState(state) {
    return render('projectState', base('projectState', state));
  }

  projectRunSummary(state) {
    const w = base('projectRunSummary', state);
    w.attempts = [];
    for (const a of state.attempts.values()) w.attempts.push(a.length);
    return render('projectRunSummary', w);
  }

  projectPRSummary(state, graph) {
    return this.projectPromotionSummary(state, graph);
  }

  projectCommitSummary(state, graph) {
    return render('projectCommitSummary', withTitles('projectCommitSummary', base('projectCommitSummary', state), graph));
  }

  projectPromotionSummary(state, graph) {
    return render('projectPromotionSummary', withTitles('projectPromotionSummary', base('projectPromotionSummary', state), graph));
  }
}

module.exports = { ProjectionEngine };
