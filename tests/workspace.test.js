'use strict';
// Workspace managers: 1.4.0 shapes, and real git worktrees in throwaway
// repositories. Docker is replaced by a fake CLI on PATH so the container
// manager is tested the same way whether or not a docker daemon runs here.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const oxe = require('..');
const { tmpProject } = require('./helpers.js');

const { InplaceWorkspaceManager, GitWorktreeManager, EphemeralContainerManager } = oxe;

const LEASE_KEYS = ['workspace_id', 'strategy', 'isolation_level', 'branch', 'base_commit', 'root_path', 'ttl_minutes'];
const SNAP_KEYS = ['snapshot_id', 'workspace_id', 'commit', 'created_at'];
const req = (wi, n, strategy = 'git_worktree') => ({ work_item_id: wi, attempt_number: n, strategy, mutation_scope: [] });

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'user.name=oxe', '-c', 'user.email=oxe@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function gitRepo() {
  const root = tmpProject('oxe-ws-');
  git(root, 'init', '-q');
  fs.writeFileSync(path.join(root, 'README.md'), 'hello\n');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'init');
  return root;
}

// A fake `docker` first on PATH while `fn` runs. mode: 'ok', 'nodaemon', 'runfails'.
async function withFakeDocker(mode, fn) {
  const dir = tmpProject('oxe-fake-docker-');
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(
    path.join(dir, 'docker'),
    `#!/bin/sh
echo "$@" >> '${log}'
case "$1" in
  version) [ "${mode}" = nodaemon ] && { echo 'Cannot connect to the Docker daemon' >&2; exit 1; }; echo 28.0.0 ;;
  run) [ "${mode}" = runfails ] && { echo 'Unable to find image' >&2; exit 125; }; echo abcdef0123456789abcdef0123456789 ;;
  commit) echo sha256:0 ;;
  *) echo "$2" ;;
esac
`,
    { mode: 0o755 },
  );
  const saved = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${saved}`;
  try {
    return await fn(() => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []));
  } finally {
    process.env.PATH = saved;
  }
}

test('exports: three classes with 1.4.0 own properties', () => {
  for (const C of [InplaceWorkspaceManager, GitWorktreeManager, EphemeralContainerManager]) {
    assert.equal(typeof C, 'function');
    assert.ok(Object.keys(oxe).includes(C.name));
  }
  const inplace = new InplaceWorkspaceManager('/tmp/fake-root');
  assert.deepEqual(Object.keys(inplace), ['projectRoot', 'isolation_level']);
  assert.equal(inplace.isolation_level, 'shared');
  const gw = new GitWorktreeManager('/tmp/fake-root');
  assert.deepEqual(Object.keys(gw), ['projectRoot', 'isolation_level', 'leases']);
  assert.equal(gw.isolation_level, 'isolated');
  assert.ok(gw.leases instanceof Map);
  for (const m of ['allocate', 'snapshot', 'reset', 'dispose']) {
    assert.equal(typeof GitWorktreeManager.prototype[m], 'function');
    assert.ok(!Object.keys(gw).includes(m));
  }
  for (const g of ['isolation_level', 'usingFallback']) {
    const d = Object.getOwnPropertyDescriptor(EphemeralContainerManager.prototype, g);
    assert.equal(typeof d.get, 'function', g);
  }
});

test('InplaceWorkspaceManager: lease, snapshot, no-op reset and dispose', async () => {
  const mgr = new InplaceWorkspaceManager('/tmp/fake-root');
  const p = mgr.allocate(req('T1', 1, 'inplace'));
  assert.ok(p instanceof Promise);
  const lease = await p;
  assert.deepEqual(Object.keys(lease), LEASE_KEYS);
  assert.deepEqual(lease, {
    workspace_id: 'ws-inplace-T1-a1',
    strategy: 'inplace',
    isolation_level: 'shared',
    branch: null,
    base_commit: null,
    root_path: '/tmp/fake-root',
    ttl_minutes: 60,
  });
  const snap = await mgr.snapshot(lease.workspace_id);
  assert.deepEqual(Object.keys(snap), SNAP_KEYS);
  assert.match(snap.snapshot_id, /^snap-[0-9a-f]{8}$/);
  assert.equal(snap.commit, 'HEAD');
  assert.ok(!Number.isNaN(Date.parse(snap.created_at)));
  assert.equal(await mgr.reset(lease.workspace_id, snap), undefined);
  assert.equal(await mgr.dispose(lease.workspace_id), undefined);
  assert.notEqual((await mgr.allocate(req('T1', 2))).workspace_id, lease.workspace_id);
});

test('a bad request is a rejection with a code, never a synchronous throw', async () => {
  for (const mgr of [new InplaceWorkspaceManager('/x'), new GitWorktreeManager('/x')]) {
    let p;
    assert.doesNotThrow(() => {
      p = mgr.allocate(null);
    });
    await assert.rejects(p, (e) => e.code === 'OXE_E_ARG' && /request must be an object/.test(e.message));
  }
  await assert.rejects(new GitWorktreeManager(42).allocate(req('T1', 1)), (e) => e.code === 'OXE_E_ARG' && /projectRoot must be a string/.test(e.message));
});

test('GitWorktreeManager: allocate → worktree on oxe/T1-attempt1 → snapshot → reset → dispose', async () => {
  const root = gitRepo();
  const base = git(root, 'rev-parse', 'HEAD');
  const mgr = new GitWorktreeManager(root);
  const lease = await mgr.allocate(req('T1', 1));
  const wt = path.join(root, '.oxe', 'workspaces', 'ws-T1-a1');
  assert.deepEqual(Object.keys(lease), LEASE_KEYS);
  assert.deepEqual(lease, {
    workspace_id: 'ws-T1-a1',
    strategy: 'git_worktree',
    isolation_level: 'isolated',
    branch: 'oxe/T1-attempt1',
    base_commit: base,
    root_path: wt,
    ttl_minutes: 45,
  });
  assert.equal(mgr.leases.get('ws-T1-a1'), lease);

  // The git CLI sees a normal, clean worktree on the new branch.
  assert.equal(fs.readFileSync(path.join(wt, 'README.md'), 'utf8'), 'hello\n');
  assert.equal(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD'), 'oxe/T1-attempt1');
  assert.equal(git(wt, 'status', '--porcelain'), '');
  assert.ok(git(root, 'worktree', 'list', '--porcelain').includes(`worktree ${fs.realpathSync(wt)}`));
  assert.notEqual(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'oxe/T1-attempt1');

  const snap = await mgr.snapshot('ws-T1-a1');
  assert.deepEqual(Object.keys(snap), SNAP_KEYS);
  assert.match(snap.snapshot_id, /^snap-[0-9a-f]{8}$/);
  assert.equal(snap.workspace_id, 'ws-T1-a1');
  assert.equal(snap.commit, base);

  // Work in the worktree, then reset back to the snapshot.
  fs.writeFileSync(path.join(wt, 'README.md'), 'changed\n');
  fs.writeFileSync(path.join(wt, 'added.txt'), 'added\n');
  git(wt, 'add', '.');
  git(wt, 'commit', '-q', '-m', 'work');
  const after = await mgr.snapshot('ws-T1-a1');
  assert.notEqual(after.commit, base);
  assert.equal(after.commit, git(wt, 'rev-parse', 'HEAD'));
  fs.writeFileSync(path.join(wt, 'README.md'), 'uncommitted\n');
  assert.equal(await mgr.reset('ws-T1-a1', snap), undefined);
  assert.equal(git(wt, 'rev-parse', 'HEAD'), base);
  assert.equal(fs.readFileSync(path.join(wt, 'README.md'), 'utf8'), 'hello\n');
  assert.ok(!fs.existsSync(path.join(wt, 'added.txt')));
  assert.equal(git(wt, 'status', '--porcelain'), '');
  // The project's own checkout did not move.
  assert.equal(git(root, 'rev-parse', 'HEAD'), base);

  assert.equal(await mgr.dispose('ws-T1-a1'), undefined);
  assert.ok(!fs.existsSync(wt));
  assert.equal(git(root, 'branch', '--list', 'oxe/T1-attempt1'), '');
  assert.ok(!git(root, 'worktree', 'list', '--porcelain').includes('ws-T1-a1'));
  assert.equal(mgr.leases.size, 0);
  await mgr.dispose('ws-T1-a1');
});

test('GitWorktreeManager: several attempts side by side', async () => {
  const root = gitRepo();
  const mgr = new GitWorktreeManager(root);
  const a = await mgr.allocate(req('T1', 1));
  const b = await mgr.allocate(req('T1', 2));
  const c = await mgr.allocate(req('T2', 1));
  assert.deepEqual([a, b, c].map((l) => l.branch), ['oxe/T1-attempt1', 'oxe/T1-attempt2', 'oxe/T2-attempt1']);
  assert.deepEqual([...mgr.leases.keys()], ['ws-T1-a1', 'ws-T1-a2', 'ws-T2-a1']);
  fs.writeFileSync(path.join(b.root_path, 'only-in-b.txt'), 'b');
  assert.ok(!fs.existsSync(path.join(a.root_path, 'only-in-b.txt')));
  await Promise.all([a, b, c].map((l) => mgr.dispose(l.workspace_id)));
  assert.deepEqual(fs.readdirSync(path.join(root, '.oxe', 'workspaces')), []);
  assert.equal(git(root, 'branch', '--list', 'oxe/*'), '');
});

test('GitWorktreeManager: unknown ids, and dispose after the worktree and branch are gone', async () => {
  const root = gitRepo();
  const mgr = new GitWorktreeManager(root);
  await assert.rejects(mgr.snapshot('ws-nope-a1'), { message: 'Workspace ws-nope-a1 not found' });
  assert.equal(await mgr.reset('ws-nope-a1', { commit: 'HEAD' }), undefined);
  assert.equal(await mgr.dispose('ws-nope-a1'), undefined);

  const lease = await mgr.allocate(req('T3', 1));
  git(root, 'worktree', 'remove', '--force', lease.root_path);
  git(root, 'branch', '-D', lease.branch);
  await assert.doesNotReject(mgr.dispose(lease.workspace_id));
  assert.equal(mgr.leases.size, 0);

  // Directory deleted by hand: dispose still unregisters it and drops the branch.
  const lease2 = await mgr.allocate(req('T3', 2));
  fs.rmSync(lease2.root_path, { recursive: true, force: true });
  await mgr.dispose(lease2.workspace_id);
  assert.equal(git(root, 'branch', '--list', 'oxe/T3-attempt2'), '');
  assert.ok(!git(root, 'worktree', 'list', '--porcelain').includes('ws-T3-a2'));
});

test('GitWorktreeManager: clear errors naming the repository or path', async () => {
  const plain = tmpProject('oxe-ws-plain-');
  await assert.rejects(new GitWorktreeManager(plain).allocate(req('T1', 1)), (e) => {
    assert.equal(e.code, 'OXE_E_WORKSPACE');
    assert.match(e.message, /GitWorktreeManager\.allocate: .* is not inside a git repository/);
    assert.ok(e.message.includes(plain));
    return true;
  });
  const empty = tmpProject('oxe-ws-empty-');
  git(empty, 'init', '-q');
  await assert.rejects(new GitWorktreeManager(empty).allocate(req('T1', 1)), /cannot resolve HEAD/);

  const root = gitRepo();
  const mgr = new GitWorktreeManager(root);
  await mgr.allocate(req('T1', 1));
  await assert.rejects(mgr.allocate(req('T1', 1)), /already exists/);
  git(root, 'branch', 'oxe/T1-attempt2');
  await assert.rejects(mgr.allocate(req('T1', 2)), /cannot create branch oxe\/T1-attempt2/);
  assert.ok(!fs.existsSync(path.join(root, '.oxe', 'workspaces', 'ws-T1-a2')));
  await assert.rejects(mgr.allocate(req('../../escape', 1)), (e) => e.code === 'OXE_E_PATH');
  await assert.rejects(mgr.reset('ws-T1-a1', {}), /snapshot must be an object with a string commit/);
  await assert.rejects(mgr.reset('ws-T1-a1', { commit: 'no-such-rev' }), /commit "no-such-rev" not found in workspace ws-T1-a1/);
  await mgr.dispose('ws-T1-a1');
});

test('EphemeralContainerManager: no docker daemon → git worktree fallback', async () => {
  const root = gitRepo();
  await withFakeDocker('nodaemon', async (calls) => {
    const mgr = new EphemeralContainerManager(root);
    assert.deepEqual(Object.keys(mgr), ['projectRoot', 'opts', 'containerIds', 'useFallback', 'fallbackManager']);
    assert.deepEqual(mgr.opts, { image: 'node:20-alpine', mountPath: '/workspace', fallback: true });
    assert.equal(mgr.usingFallback, true);
    assert.equal(mgr.isolation_level, 'isolated');
    assert.ok(mgr.fallbackManager instanceof GitWorktreeManager);
    assert.deepEqual(calls(), ['version --format {{.Server.Version}}']);

    const lease = await mgr.allocate(req('T1', 1, 'ephemeral_container'));
    assert.equal(lease.strategy, 'git_worktree');
    assert.equal(lease.workspace_id, 'ws-T1-a1');
    assert.equal(lease.branch, 'oxe/T1-attempt1');
    assert.ok(fs.existsSync(path.join(root, '.oxe', 'workspaces', 'ws-T1-a1', 'README.md')));
    assert.equal(mgr.fallbackManager.leases.get('ws-T1-a1'), lease);
    const snap = await mgr.snapshot('ws-T1-a1');
    assert.equal(snap.commit, lease.base_commit);
    await mgr.reset('ws-T1-a1', snap);
    await mgr.dispose('ws-T1-a1');
    assert.ok(!fs.existsSync(lease.root_path));
    assert.equal(mgr.containerIds.size, 0);
    // The getter reports the fallback manager's level.
    mgr.fallbackManager.isolation_level = 'shared';
    assert.equal(mgr.isolation_level, 'shared');
    assert.deepEqual(calls(), ['version --format {{.Server.Version}}']);
  });
});

test('EphemeralContainerManager: fallback disabled and no docker → the constructor throws', async () => {
  await withFakeDocker('nodaemon', async () => {
    assert.throws(
      () => new EphemeralContainerManager('/tmp/x', { image: 'node:20-alpine', mountPath: '/workspace', fallback: false }),
      (e) => e.code === 'OXE_E_WORKSPACE' && /^Docker is not available and fallback is disabled/.test(e.message),
    );
  });
  // No docker program at all behaves the same.
  const saved = process.env.PATH;
  process.env.PATH = tmpProject('oxe-empty-path-');
  try {
    assert.throws(() => new EphemeralContainerManager('/tmp/x', { image: 'i', mountPath: '/w', fallback: false }), /Docker is not available/);
    assert.equal(new EphemeralContainerManager('/tmp/x').usingFallback, true);
  } finally {
    process.env.PATH = saved;
  }
});

test('EphemeralContainerManager: this machine (docker CLI without a daemon, or none)', async (t) => {
  let mgr;
  try {
    mgr = new EphemeralContainerManager(process.cwd(), { image: 'i', mountPath: '/w', fallback: false });
  } catch (e) {
    assert.match(e.message, /Docker is not available and fallback is disabled/);
    assert.equal(new EphemeralContainerManager(process.cwd()).usingFallback, true);
    return;
  }
  t.diagnostic('a docker daemon answered here; the fallback path is covered by the fake-docker tests');
  assert.equal(mgr.usingFallback, false);
});

test('EphemeralContainerManager: with docker, one container per attempt', async () => {
  await withFakeDocker('ok', async (calls) => {
    const mgr = new EphemeralContainerManager('/proj', { image: 'img:1', mountPath: '/w', extraEnv: { A: '1', B: 'x y' } });
    assert.equal(mgr.usingFallback, false);
    assert.equal(mgr.isolation_level, 'isolated');
    const lease = await mgr.allocate(req('T1', 2, 'ephemeral_container'));
    assert.deepEqual(Object.keys(lease), LEASE_KEYS);
    assert.deepEqual(lease, {
      workspace_id: 'ws-container-T1-a2',
      strategy: 'ephemeral_container',
      isolation_level: 'isolated',
      branch: null,
      base_commit: null,
      root_path: 'docker:abcdef012345:/w',
      ttl_minutes: 60,
    });
    assert.deepEqual([...mgr.containerIds], [['ws-container-T1-a2', 'abcdef012345']]);
    const snap = await mgr.snapshot('ws-container-T1-a2');
    assert.deepEqual(Object.keys(snap), SNAP_KEYS);
    assert.match(snap.snapshot_id, /^oxe-snap-[0-9a-f]{8}$/);
    assert.equal(snap.commit, snap.snapshot_id);
    await assert.rejects(mgr.snapshot('ws-other'), { message: 'Container for workspace ws-other not found' });
    await mgr.reset('ws-container-T1-a2', snap);
    await mgr.reset('ws-other', snap);
    await mgr.dispose('ws-container-T1-a2');
    await mgr.dispose('ws-other');
    assert.equal(mgr.containerIds.size, 0);
    assert.deepEqual(calls(), [
      'version --format {{.Server.Version}}',
      'run -d -v /proj:/w -w /w -e A=1 -e B=x y img:1 sleep 3600',
      `commit abcdef012345 ${snap.snapshot_id}`,
      'stop abcdef012345',
      'rm abcdef012345',
      `run -d -v /proj:/w ${snap.snapshot_id} sleep 3600`,
      'stop abcdef012345',
      'rm abcdef012345',
    ]);
  });
});

test('EphemeralContainerManager: a failing docker run falls back for good, or rejects', async () => {
  const root = gitRepo();
  await withFakeDocker('runfails', async (calls) => {
    const mgr = new EphemeralContainerManager(root);
    assert.equal(mgr.usingFallback, false);
    const lease = await mgr.allocate(req('T1', 1));
    assert.equal(mgr.usingFallback, true);
    assert.equal(lease.strategy, 'git_worktree');
    await mgr.allocate(req('T1', 2));
    assert.equal(calls().filter((c) => c.startsWith('run ')).length, 1);
    await mgr.dispose('ws-T1-a1');
    await mgr.dispose('ws-T1-a2');

    const strict = new EphemeralContainerManager(root, { image: 'i', mountPath: '/w', fallback: false });
    const p = strict.allocate(req('T1', 3));
    assert.ok(p instanceof Promise);
    await assert.rejects(p, { message: 'docker run failed: Unable to find image\n' });
    assert.equal(strict.usingFallback, false);
  });
});
