'use strict';
// kill -9 in the middle of 10,000 appends leaves a log whose every line parses.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { tmpProject } = require('./helpers.js');

const CHILD = `
const oxe = require(${JSON.stringify(path.join(__dirname, '..'))});
const root = process.argv[1];
const big = 'x'.repeat(3000);
process.stdout.write('ready\\n');
for (let i = 0; i < 10000; i++) {
  oxe.appendEvent(root, null, { type: 'ToolCompleted', run_id: 'r', work_item_id: 'T' + (i % 50), payload: { i, blob: i % 7 === 0 ? big : 'small' } });
}
process.stdout.write('done\\n');
`;

function runAndKill(root, delayMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready') && !child.killTimer) {
        child.killTimer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, finished: out.includes('done') }));
  });
}

test('kill -9 during 10,000 appends never leaves a torn line', async () => {
  const root = tmpProject();
  const delays = [5, 20, 40, 80, 150];
  let killedMidway = 0;
  for (const d of delays) {
    const r = await runAndKill(root, d);
    if (r.signal === 'SIGKILL' && !r.finished) killedMidway++;
    const text = fs.readFileSync(path.join(root, '.oxe', 'OXE-EVENTS.ndjson'), 'utf8');
    assert.ok(text.endsWith('\n'), `after delay ${d}: file ends mid-line`);
    const lines = text.split('\n').slice(0, -1);
    for (let i = 0; i < lines.length; i++) {
      assert.doesNotThrow(() => JSON.parse(lines[i]), `line ${i + 1} after delay ${d}`);
    }
  }
  assert.ok(killedMidway > 0, 'no child was killed in the middle of its appends');
});
