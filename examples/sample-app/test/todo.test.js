'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { createList } = require('../src/todo.js');

test('adds, completes and lists items', () => {
  const list = createList();
  const a = list.add('write the spec');
  list.add('plan the work');
  assert.strictEqual(list.complete(a.id), true);
  assert.deepStrictEqual(list.pending().map((i) => i.title), ['plan the work']);
});

test('rejects empty titles', () => {
  assert.throws(() => createList().add('  '), TypeError);
});
