'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const oxe = require('..');
const { tmpProject, captureWarnings, rng, randomValue } = require('./helpers.js');

test('EVENT_TYPES is the 1.4.0 catalog, as a plain array', () => {
  assert.equal(oxe.EVENT_TYPES.length, 21);
  assert.equal(oxe.EVENT_TYPES[0], 'SessionCreated');
  assert.equal(oxe.EVENT_TYPES[20], 'LessonPromoted');
  assert.ok(Array.isArray(oxe.EVENT_TYPES) && !Object.isFrozen(oxe.EVENT_TYPES));
  assert.equal(oxe.isValidEventType('WorkItemBlocked'), true);
  assert.equal(oxe.isValidEventType('WorkItemFailed'), false);
  assert.equal(oxe.isValidEventType(42), false);
});

test('appendEvent returns an OxeEvent and writes the CLI line layout', () => {
  const root = tmpProject();
  const ev = oxe.appendEvent(root, null, { type: 'WorkItemReady', run_id: 'r1', work_item_id: 'T1', payload: { a: 1 } }, 'cause-1');
  assert.deepEqual(Object.keys(ev), ['id', 'type', 'timestamp', 'session_id', 'run_id', 'work_item_id', 'attempt_id', 'causation_id', 'correlation_id', 'payload']);
  assert.match(ev.id, /^evt-[0-9a-z]+-[0-9a-z]{1,6}$/);
  assert.match(ev.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(ev.causation_id, 'cause-1');
  const line = fs.readFileSync(path.join(root, '.oxe', 'OXE-EVENTS.ndjson'), 'utf8');
  const raw = JSON.parse(line);
  assert.deepEqual(Object.keys(raw), ['event_id', 'type', 'timestamp', 'run_id', 'session_id', 'wave_id', 'task_id', 'work_item_id', 'attempt_id', 'agent_id', 'causation_id', 'correlation_id', 'payload']);
  assert.equal(raw.task_id, 'T1');
  assert.ok(line.endsWith('}\n'));
});

test('session-scoped logs, filters, and empty reads', () => {
  const root = tmpProject();
  assert.deepEqual(oxe.readEvents(root, null), []);
  oxe.appendEvent(root, 'sessions/s001-x', { type: 'RunStarted', run_id: 'a', payload: { run_id: 'a' } });
  oxe.appendEvent(root, 'sessions/s001-x', { type: 'WorkItemReady', run_id: 'b', work_item_id: 'T2' });
  assert.ok(fs.existsSync(path.join(root, '.oxe', 'sessions', 's001-x', 'execution', 'OXE-EVENTS.ndjson')));
  const all = oxe.readEvents(root, 'sessions/s001-x');
  assert.equal(all.length, 2);
  assert.equal(all[0].session_id, 'sessions/s001-x');
  assert.equal(oxe.filterByRun(all, 'b').length, 1);
  assert.equal(oxe.filterByWorkItem(all, 'T2')[0].run_id, 'b');
  assert.deepEqual(oxe.readEvents(root, null), []);
});

test('a session id that would leave .oxe/ is rejected with OXE_E_PATH', () => {
  const root = tmpProject();
  assert.throws(() => oxe.appendEvent(root, '../../outside', { type: 'RunStarted' }), { code: 'OXE_E_PATH' });
  assert.throws(() => oxe.readEvents(root, '/etc'), { code: 'OXE_E_PATH' });
  assert.ok(!fs.existsSync(path.join(root, '..', 'outside')));
});

test('bad arguments fail with OXE_E_ARG naming the argument', () => {
  assert.throws(() => oxe.appendEvent(42, null, { type: 'RunStarted' }), { code: 'OXE_E_ARG', message: /projectRoot/ });
  assert.throws(() => oxe.appendEvent(tmpProject(), null, 'nope'), { code: 'OXE_E_ARG', message: /input/ });
  const circular = { type: 'RunStarted', payload: {} };
  circular.payload.self = circular;
  assert.throws(() => oxe.appendEvent(tmpProject(), null, circular), { code: 'OXE_E_ARG' });
});

test('unparseable lines are skipped and reported as a warning', () => {
  const root = tmpProject();
  oxe.appendEvent(root, null, { type: 'RunStarted', run_id: 'r' });
  fs.appendFileSync(path.join(root, '.oxe', 'OXE-EVENTS.ndjson'), '{"torn": \n\r\n  \n');
  oxe.appendEvent(root, null, { type: 'RunCompleted', run_id: 'r' });
  const { result, warnings } = captureWarnings(() => oxe.readEvents(root, null));
  assert.deepEqual(result.map((e) => e.type), ['RunStarted', 'RunCompleted']);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].code, 'OXE_W_CORRUPT_LINE');
  assert.match(warnings[0].message, /line 2/);
});

test('property: every persisted line equals JSON.stringify of the entry 1.4.0 builds', () => {
  const r = rng(20261125);
  const root = tmpProject();
  const expected = [];
  for (let i = 0; i < 400; i++) {
    const payload = randomValue(r);
    const input = { id: `evt-${i}`, type: 'ToolCompleted', timestamp: `t${i}`, run_id: 'run', work_item_id: i % 3 ? 'T' + i : undefined, payload };
    oxe.appendEvent(root, null, input);
    const p = payload && typeof payload === 'object' ? payload : {};
    expected.push(JSON.stringify({
      event_id: input.id, type: input.type, timestamp: input.timestamp, run_id: 'run', session_id: null, wave_id: null,
      task_id: input.work_item_id || null, work_item_id: input.work_item_id || null, attempt_id: null, agent_id: null,
      causation_id: null, correlation_id: null, payload: p,
    }));
  }
  const lines = fs.readFileSync(path.join(root, '.oxe', 'OXE-EVENTS.ndjson'), 'utf8').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, expected.length);
  for (let i = 0; i < lines.length; i++) assert.equal(lines[i], expected[i], `line ${i}`);
});
