'use strict';
// delivery: BranchManager against real temporary repositories (and a bare
// "remote" for push), PRManager against a fake `gh` on PATH, CI checks,
// delivery records, and the promotion intent journal that stops a crash
// between a push/PR and its record from producing a second PR.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync, execFileSync } = require('child_process');
const { tmpProject, captureWarnings } = require('./helpers.js');
const rt = require('../index.js');

const INDEX = path.join(__dirname, '..', 'index.js');

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function repo() {
  const dir = tmpProject('oxe-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 't@example.com');
  git(dir, 'config', 'user.name', 'tester');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

function withRemote(dir) {
  const bare = tmpProject('oxe-remote-');
  git(bare, 'init', '-q', '--bare');
  git(dir, 'remote', 'add', 'origin', bare);
  return bare;
}

// git writes progress to stderr; 1.4.0 echoes it, the tests keep it quiet.
function quiet(fn) {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    return fn();
  } finally {
    process.stderr.write = write;
  }
}

function okRun(id) {
  return { run_id: id, status: 'completed', completed: ['T1'], failed: [], blocked: [] };
}

test('BranchManager in a real repository', () => {
  const dir = repo();
  const bm = new rt.BranchManager(dir);
  assert.deepEqual(Object.keys(bm), ['projectRoot']);
  assert.equal(bm.currentBranch(), 'main');
  assert.equal(bm.currentCommit(), git(dir, 'rev-parse', 'HEAD'));
  assert.equal(quiet(() => bm.createOxeBranch('feature')), 'oxe/feature');
  assert.equal(bm.currentBranch(), 'oxe/feature');
  assert.deepEqual(bm.listOxeBranches(), [{ name: 'oxe/feature', commit: git(dir, 'rev-parse', '--short', 'HEAD'), current: true }]);
  fs.writeFileSync(path.join(dir, 'b.txt'), 'b');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'b');
  quiet(() => bm.switchTo('main'));
  quiet(() => bm.mergeWorktreeBranch('oxe/feature', 'main'));
  assert.ok(fs.existsSync(path.join(dir, 'b.txt')));
  assert.equal(bm.currentBranch(), 'main');
  assert.equal(bm.branchExists('oxe/feature'), true);
  quiet(() => bm.deleteBranch('oxe/feature'));
  assert.equal(bm.branchExists('oxe/feature'), false);
  assert.equal(quiet(() => bm.createSessionBranch('s1')), 'oxe/s1');
  assert.throws(() => quiet(() => bm.createSessionBranch('s1')), (e) => {
    assert.equal(e.code, 'OXE_E_GIT');
    assert.match(e.message, /^Command failed: git checkout -b oxe\/s1\n.*already exists/s);
    assert.equal(typeof e.status, 'number');
    return true;
  });
  assert.throws(() => bm.switchTo('--orphan'), { code: 'OXE_E_ARG' });
  assert.equal(bm.branchExists('--all'), false);
  assert.throws(() => new rt.BranchManager(tmpProject()).currentCommit(), { code: 'OXE_E_GIT' });
});

test('BranchManager.push to a bare remote', () => {
  const dir = repo();
  const bare = withRemote(dir);
  const bm = new rt.BranchManager(dir);
  quiet(() => bm.createOxeBranch('ship'));
  quiet(() => bm.push('origin', 'oxe/ship', true));
  assert.equal(git(bare, 'rev-parse', 'oxe/ship'), bm.currentCommit());
  assert.throws(() => quiet(() => bm.push('nowhere', 'oxe/ship')), { code: 'OXE_E_GIT', message: /^Command failed: git push nowhere oxe\/ship/ });
  assert.throws(() => bm.push('--receive-pack=touch /tmp/x', 'main'), { code: 'OXE_E_ARG' });
});

// A fake gh: answers --version, records every call, and behaves as the
// mode file says.
function fakeGh(mode) {
  const bin = tmpProject('oxe-gh-');
  const log = path.join(bin, 'calls.log');
  fs.writeFileSync(path.join(bin, 'mode'), mode);
  fs.writeFileSync(path.join(bin, 'gh'), `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls.log"
mode=$(cat "$dir/mode")
if [ "$1" = "--version" ]; then echo "gh version 2.0.0"; exit 0; fi
if [ "$mode" = "noauth" ]; then echo "To get started with GitHub CLI, please run:  gh auth login" >&2; exit 4; fi
if [ "$mode" = "fail" ]; then echo "pull request create failed: GraphQL error" >&2; exit 1; fi
case "$1 $2" in
  "pr create") echo "https://github.com/o/r/pull/7"; exit 0 ;;
  "pr view") echo '{"number":7,"title":"t","url":"https://github.com/o/r/pull/7","state":"OPEN","isDraft":true,"headRefName":"oxe/x","baseRefName":"main"}'; exit 0 ;;
  "pr merge") exit 0 ;;
esac
exit 1
`, { mode: 0o755 });
  return { bin, log, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function withPath(dir, fn) {
  const saved = process.env.PATH;
  process.env.PATH = dir;
  try {
    return fn();
  } finally {
    process.env.PATH = saved;
  }
}

test('PRManager through a fake gh: create, view, merge; missing and unauthenticated gh', () => {
  const root = tmpProject();
  const gh = fakeGh('ok');
  const pm = new rt.PRManager(root);
  withPath(`${gh.bin}:${process.env.PATH}`, () => {
    assert.equal(pm.isAvailable(), true);
    assert.deepEqual(pm.createDraft({ title: 'T', body: 'B', base: 'main' }), { success: true, url: 'https://github.com/o/r/pull/7' });
    assert.deepEqual(pm.createDraft({ title: 'T', body: 'B', draft: false, head: 'oxe/x' }).success, true);
    assert.deepEqual(pm.view(7), {
      success: true, url: 'https://github.com/o/r/pull/7',
      pr: { number: 7, title: 't', url: 'https://github.com/o/r/pull/7', state: 'open', draft: true, head: 'oxe/x', base: 'main' },
    });
    assert.deepEqual(pm.mergePR(7, 'squash'), { success: true });
    assert.equal(pm.mergePR(7, 'admin').success, false);
    assert.equal(pm.view('--web').success, false);
  });
  const calls = gh.calls().filter((c) => c !== '--version');
  assert.deepEqual(calls, [
    'pr create --title T --body B --draft --base main',
    'pr create --title T --body B --head oxe/x',
    'pr view 7 --json number,title,url,state,isDraft,headRefName,baseRefName',
    'pr merge 7 --squash --delete-branch',
  ]);
  withPath(tmpProject(), () => {
    assert.equal(pm.isAvailable(), false);
    assert.deepEqual(pm.createDraft({ title: 'T', body: 'B' }), { success: false, error: 'gh CLI not available — install from https://cli.github.com' });
    assert.deepEqual(pm.view(1), { success: false, error: 'gh CLI not available' });
  });
  const noauth = fakeGh('noauth');
  withPath(`${noauth.bin}:${process.env.PATH}`, () => {
    const r = pm.createDraft({ title: 'T', body: 'B' });
    assert.equal(r.success, false);
    assert.match(r.error, /^gh CLI is not authenticated — run "gh auth login" or set GH_TOKEN/);
  });
});

test('CI checks: defaults, this.name, session ids that escape, summary', async () => {
  const root = tmpProject();
  const results = await rt.runCIChecks({ projectRoot: root, sessionId: null });
  assert.deepEqual(results.map((r) => [r.check, r.status]), [
    ['oxe-plan-consistency', 'skip'], ['oxe-verify-acceptance', 'skip'], ['oxe-policy', 'pass'],
    ['oxe-security-baseline', 'skip'], ['oxe-runtime-evidence-integrity', 'skip'],
  ]);
  assert.equal(rt.OXE_CI_CHECKS[0], rt.planConsistencyCheck);
  const renamed = { ...rt.policyCheck, name: 'custom-name' };
  assert.equal((await renamed.run({ projectRoot: root, sessionId: null })).check, 'custom-name');
  const bad = await rt.verifyAcceptanceCheck.run({ projectRoot: root, sessionId: '../../etc' });
  assert.equal(bad.status, 'error');
  assert.match(bad.message, /would leave \.oxe/);
  const custom = { name: 'mine', description: '', async run() { return { check: this.name, status: 'fail', message: 'x' }; } };
  const all = await rt.runCIChecks({ projectRoot: root, sessionId: null }, [custom, rt.policyCheck]);
  assert.deepEqual(rt.summarizeCIResults(all), { total: 2, pass: 1, fail: 1, skip: 0, error: 0, allPassed: false });
  await assert.rejects(() => rt.policyCheck.run.call(undefined, { projectRoot: root }));
});

test('delivery records: paths, byte layout, corrupt files', () => {
  const root = tmpProject();
  assert.equal(rt.commitRecordPath(root, 'r1'), path.join(root, '.oxe', 'runs', 'r1', 'commit-record.json'));
  assert.equal(rt.promotionRecordPath('.', 'r1'), path.join('.oxe', 'runs', 'r1', 'promotion-record.json'));
  assert.throws(() => rt.commitRecordPath(root, '../../x'), { code: 'OXE_E_PATH' });
  const rec = { run_id: 'r1', branch: 'main', commit_sha: null, status: 'committed', created_at: 't', committed_at: 't', message: null, summary_path: null, extra: undefined };
  rt.saveCommitRecord(root, 'r1', rec);
  assert.equal(fs.readFileSync(rt.commitRecordPath(root, 'r1'), 'utf8'), JSON.stringify(rec, null, 2));
  assert.deepEqual(rt.loadCommitRecord(root, 'r1'), JSON.parse(JSON.stringify(rec)));
  assert.equal(rt.loadPromotionRecord(root, 'r1'), null);
  fs.writeFileSync(rt.promotionRecordPath(root, 'r1'), '{"run_id": ');
  const { result, warnings } = captureWarnings(() => rt.loadPromotionRecord(root, 'r1'));
  assert.equal(result, null);
  assert.equal(warnings[0].code, 'OXE_W_CORRUPT_FILE');
  assert.ok(fs.readdirSync(path.dirname(rt.promotionRecordPath(root, 'r1'))).some((f) => f.startsWith('promotion-record.json.corrupt-')));
  // an unparsable pr-link.json falls back to the promotion record, every time
  const pipeline = new rt.PromotionPipeline(root, { currentBranch: () => 'b' }, {});
  rt.savePromotionRecord(root, 'r1', { run_id: 'r1', target: 'remote_promotion', target_kind: 'pr_draft', branch: 'b', status: 'open', created_at: 'c', promoted_at: 'p', summary_path: null, remote: 'origin', target_ref: 'main', pr_url: 'u', pr_number: null });
  fs.writeFileSync(path.join(root, '.oxe', 'runs', 'r1', 'pr-link.json'), 'nope');
  for (let i = 0; i < 2; i++) {
    const link = captureWarnings(() => pipeline.loadPRLink('r1')).result;
    assert.deepEqual(link, { run_id: 'r1', branch: 'b', pr_url: 'u', pr_number: null, status: 'open', created_at: 'c', merged_at: null });
  }
});

test('promote through the real BranchManager and a fake gh writes 1.4.0-shaped records', async () => {
  const dir = repo();
  const gh = fakeGh('ok');
  const pipeline = new rt.PromotionPipeline(dir, new rt.BranchManager(dir), new rt.PRManager(dir));
  const record = await withPath(`${gh.bin}:${process.env.PATH}`, () => pipeline.promote(okRun('run-pr'), null, null, { baseBranch: 'main' }));
  assert.deepEqual(Object.keys(record), ['run_id', 'target', 'target_kind', 'branch', 'status', 'created_at', 'promoted_at',
    'summary_path', 'remote', 'target_ref', 'pr_url', 'pr_number', 'reasons', 'coverage_percent']);
  assert.equal(record.status, 'open');
  assert.equal(record.pr_url, 'https://github.com/o/r/pull/7');
  assert.equal(record.branch, 'main');
  const runDir = path.join(dir, '.oxe', 'runs', 'run-pr');
  assert.equal(fs.readFileSync(path.join(runDir, 'promotion-record.json'), 'utf8'), JSON.stringify(record, null, 2));
  assert.equal(pipeline.loadPRLink('run-pr').status, 'open');
  assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'promotion-intent.json'), 'utf8')).status, 'recorded');
  assert.match(gh.calls().find((c) => c.startsWith('pr create')), /^pr create --title oxe: run run-pr — 1 tasks --body ## OXE Promotion Summary/);

  const commit = pipeline.recordLocalCommit(okRun('run-pr'), null, null, { commitMessage: 'feat: x' });
  assert.equal(commit.commit_sha, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(commit.status, 'committed');
  assert.deepEqual(pipeline.loadCommitRecord('run-pr'), commit);

  const push = await quiet(() => {
    withRemote(dir);
    return pipeline.promote(okRun('run-push'), null, null, { targetKind: 'branch_push' });
  });
  assert.equal(push.status, 'promoted');
  const failedPush = await quiet(() => pipeline.promote(okRun('run-push2'), null, null, { targetKind: 'branch_push', remote: 'nowhere' }));
  assert.equal(failedPush.status, 'blocked');
  assert.match(failedPush.reasons[0], /^Branch push failed \(push of branch "main" to "nowhere"\): Command failed: git push nowhere main/);
});

// Runs `promote` in a child process whose PR manager / push kills the
// process right after the effect, before anything is recorded.
function promoteAndDie(root, targetKind, effectLog) {
  const script = `
    const fs = require('fs');
    const rt = require(${JSON.stringify(INDEX)});
    const die = (what) => { fs.appendFileSync(${JSON.stringify(effectLog)}, what + '\\n'); process.kill(process.pid, 'SIGKILL'); };
    const bm = { currentBranch: () => 'oxe/crash', push: () => die('push') };
    const pm = { createDraft: () => die('pr') };
    new rt.PromotionPipeline(${JSON.stringify(root)}, bm, pm).promote(
      { run_id: 'run-crash', status: 'completed', completed: ['T1'], failed: [], blocked: [] }, null, null,
      { targetKind: ${JSON.stringify(targetKind)} });
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, 'SIGKILL', r.stderr);
}

for (const targetKind of ['pr_draft', 'branch_push']) {
  test(`a crash between the ${targetKind} and its record is reported on the next call, not repeated`, async () => {
    const root = tmpProject();
    const effectLog = path.join(root, 'effects.log');
    promoteAndDie(root, targetKind, effectLog);
    const runDir = path.join(root, '.oxe', 'runs', 'run-crash');
    assert.equal(fs.existsSync(path.join(runDir, 'promotion-record.json')), false);
    assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'promotion-intent.json'), 'utf8')).status, 'started');

    let effects = 0;
    const bm = { currentBranch: () => 'oxe/crash', push: () => { effects++; } };
    const pm = { createDraft: () => { effects++; return { success: true, url: 'https://x/pull/2' }; } };
    const pipeline = new rt.PromotionPipeline(root, bm, pm);
    const { result: pending, warnings } = captureWarnings(() => pipeline.promote(okRun('run-crash'), null, null, { targetKind }));
    const record = await pending;
    assert.equal(effects, 0, 'no second push or PR');
    assert.equal(record.status, 'blocked');
    assert.match(record.reasons[0], /^Promotion interrupted: a .* started at .* and its result was never recorded\. Check .*, then delete .*promotion-intent\.json to promote again\.$/);
    assert.ok(warnings.some((w) => w.code === 'OXE_W_PROMOTION_INTERRUPTED'));
    assert.equal(rt.loadPromotionRecord(root, 'run-crash').status, 'blocked');
    assert.equal((await pipeline.promote(okRun('run-crash'), null, null, { targetKind })).status, 'blocked');
    assert.equal(effects, 0);

    // once someone has checked and removed the intent, promotion proceeds
    fs.unlinkSync(path.join(runDir, 'promotion-intent.json'));
    const again = await pipeline.promote(okRun('run-crash'), null, null, { targetKind });
    assert.equal(effects, 1);
    assert.equal(again.status, targetKind === 'branch_push' ? 'promoted' : 'open');
    assert.equal(fs.readFileSync(effectLog, 'utf8'), `${targetKind === 'branch_push' ? 'push' : 'pr'}\n`);
  });
}

test('promote rejects (never throws) and a throwing PR manager does not leave the run stuck', async () => {
  const root = tmpProject();
  const boom = new rt.PromotionPipeline(root, { currentBranch: () => { throw new Error('no git'); } }, {});
  const p = boom.promote(okRun('r'), null, null);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, /no git/);
  let calls = 0;
  const throwing = new rt.PromotionPipeline(root, { currentBranch: () => 'b' }, { createDraft: () => { calls++; throw new Error('gh exploded'); } });
  await assert.rejects(throwing.promote(okRun('r2'), null, null), /gh exploded/);
  await assert.rejects(throwing.promote(okRun('r2'), null, null), /gh exploded/);
  assert.equal(calls, 2);
  const missing = new rt.PromotionPipeline(root, { currentBranch: () => 'b' }, { createDraft: () => undefined });
  const rec = await missing.promote(okRun('r3'), null, null);
  assert.equal(rec.status, 'blocked');
  assert.deepEqual(rec.reasons, ['Draft PR was not created: the PR manager returned no result']);
});
