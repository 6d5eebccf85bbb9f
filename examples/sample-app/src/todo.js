'use strict';
// A minimal in-memory to-do list: enough code for an agent to scan, spec,
// plan and change with OXE.

function createList() {
  const items = [];
  let next = 1;
  return {
    add(title) {
      if (typeof title !== 'string' || !title.trim()) throw new TypeError('title must be a non-empty string');
      const item = { id: next++, title: title.trim(), done: false };
      items.push(item);
      return item;
    },
    complete(id) {
      const item = items.find((i) => i.id === id);
      if (!item) return false;
      item.done = true;
      return true;
    },
    pending() {
      return items.filter((i) => !i.done);
    },
    all() {
      return items.slice();
    },
  };
}

module.exports = { createList };
