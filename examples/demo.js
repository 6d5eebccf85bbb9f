#!/usr/bin/env node
'use strict';
// A tour of the runtime on a sample project: compile a plan into an
// execution graph, record a run in the event log, replay it, and keep a
// journal. Usage: node examples/demo.js [projectDir]

const fs = require('fs');
const path = require('path');
const oxe = require('..');

const project = path.resolve(process.argv[2] || path.join(__dirname, 'sample-project'));
const plan = JSON.parse(fs.readFileSync(path.join(project, 'plan.json'), 'utf8'));
const spec = JSON.parse(fs.readFileSync(path.join(project, 'spec.json'), 'utf8'));

const graph = oxe.compile(plan, spec, { default_workspace_strategy: 'inplace' });
const problems = oxe.validateGraph(graph);
console.log(`compiled ${graph.metadata.node_count} nodes in ${graph.metadata.wave_count} waves (plan ${graph.metadata.plan_hash})${problems.length ? `; problems: ${problems.join('; ')}` : ''}`);

const runId = `demo-${Date.now().toString(36)}`;
oxe.appendEvent(project, null, { type: 'RunStarted', run_id: runId, payload: { run_id: runId, status: 'running', mode: 'completo' } });
for (const wave of graph.waves) {
  for (const id of wave.node_ids) {
    oxe.appendEvent(project, null, { type: 'WorkItemReady', run_id: runId, work_item_id: id, payload: { title: graph.nodes.get(id).title, wave: wave.wave_number } });
    oxe.appendEvent(project, null, { type: 'AttemptStarted', run_id: runId, work_item_id: id, attempt_id: `${id}-a1`, payload: { attempt_number: 1 } });
    oxe.appendEvent(project, null, { type: 'WorkItemCompleted', run_id: runId, work_item_id: id, payload: { evidence: [`ev-${runId}-${id}-a1-stdout-1`] } });
  }
}
oxe.appendEvent(project, null, { type: 'RunCompleted', run_id: runId, payload: { status: 'completed' } });

const events = oxe.filterByRun(oxe.readEvents(project, null), runId);
const state = oxe.reduce(events);
console.log(`run ${runId}: ${events.length} events, status ${state.run.status}, completed ${[...state.completedWorkItems].join(', ')}`);

const journal = oxe.createJournal(runId);
journal.completed_work_items = [...state.completedWorkItems];
journal.scheduler_state = 'completed';
oxe.saveJournal(project, runId, journal);
console.log(`journal: ${path.relative(process.cwd(), path.join(project, '.oxe', 'runs', runId, 'journal.json'))}`);
