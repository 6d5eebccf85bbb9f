'use strict';
// workspace: InplaceWorkspaceManager, GitWorktreeManager and
// EphemeralContainerManager with oxe-cc 1.4.0's shapes. Each instance keeps
// 1.4.0's own properties (projectRoot, isolation_level, leases,
// containerIds, useFallback, fallbackManager); the addon decides and does
// the work (libgit2 for worktrees, the docker CLI for containers). Every
// method is async, so a failure is a rejected Promise, never a throw.

const { native, toWire } = require('../native.js');

const call = (label, fn, args) => JSON.parse(fn(toWire(label, 'arguments', args)));

class InplaceWorkspaceManager {
  constructor(projectRoot) {
    this.projectRoot = projectRoot;
    this.isolation_level = 'shared';
  }

  async allocate(req) {
    return call('InplaceWorkspaceManager.allocate', native.workspaceInplaceAllocate, { root: this.projectRoot, req });
  }

  async snapshot(id) {
    return call('InplaceWorkspaceManager.snapshot', native.workspaceInplaceSnapshot, { id });
  }

  async reset(_id, _snapRef) {}

  async dispose(_id) {}
}

class GitWorktreeManager {
  constructor(projectRoot) {
    this.projectRoot = projectRoot;
    this.isolation_level = 'isolated';
    this.leases = new Map();
  }

  async allocate(req) {
    const lease = call('GitWorktreeManager.allocate', native.workspaceGitAllocate, { root: this.projectRoot, req });
    this.leases.set(lease.workspace_id, lease);
    return lease;
  }

  async snapshot(id) {
    return call('GitWorktreeManager.snapshot', native.workspaceGitSnapshot, { id, lease: this.leases.get(id) });
  }

  async reset(id, snapRef) {
    native.workspaceGitReset(
      toWire('GitWorktreeManager.reset', 'arguments', { id, lease: this.leases.get(id), snap: snapRef }),
    );
  }

  async dispose(id) {
    call('GitWorktreeManager.dispose', native.workspaceGitDispose, { root: this.projectRoot, lease: this.leases.get(id) });
    this.leases.delete(id);
  }
}

// The addon answers container calls with {delegate: true} when the call
// belongs to the fallback manager, or {result}.
const containerCall = (label, fn, mgr, args) =>
  JSON.parse(fn(Boolean(mgr.useFallback), toWire(label, 'arguments', args)));

class EphemeralContainerManager {
  constructor(projectRoot, opts = JSON.parse(native.workspaceContainerDefaults())) {
    this.projectRoot = projectRoot;
    this.opts = opts;
    this.containerIds = new Map();
    this.useFallback = false;
    this.fallbackManager = new GitWorktreeManager(projectRoot);
    this.useFallback = native.workspaceContainerInit(toWire('EphemeralContainerManager', 'opts', opts));
  }

  get isolation_level() {
    const fallbackLevel = toWire('EphemeralContainerManager', 'isolation_level', this.fallbackManager.isolation_level);
    return JSON.parse(native.workspaceContainerIsolationLevel(Boolean(this.useFallback), fallbackLevel));
  }

  get usingFallback() {
    return this.useFallback;
  }

  async allocate(req) {
    const out = containerCall('EphemeralContainerManager.allocate', native.workspaceContainerAllocate, this, {
      root: this.projectRoot,
      opts: this.opts,
      req,
    });
    if (out.delegate) {
      this.useFallback = true;
      return this.fallbackManager.allocate(req);
    }
    this.containerIds.set(out.result.lease.workspace_id, out.result.container_id);
    return out.result.lease;
  }

  async snapshot(id) {
    const out = containerCall('EphemeralContainerManager.snapshot', native.workspaceContainerSnapshot, this, {
      id,
      container_id: this.containerIds.get(id),
    });
    return out.delegate ? this.fallbackManager.snapshot(id) : out.result;
  }

  async reset(id, snapRef) {
    const out = containerCall('EphemeralContainerManager.reset', native.workspaceContainerReset, this, {
      root: this.projectRoot,
      opts: this.opts,
      container_id: this.containerIds.get(id),
      snap: snapRef,
    });
    if (out.delegate) return this.fallbackManager.reset(id, snapRef);
    if (out.result !== null) this.containerIds.set(id, out.result);
  }

  async dispose(id) {
    const out = containerCall('EphemeralContainerManager.dispose', native.workspaceContainerDispose, this, {
      container_id: this.containerIds.get(id),
    });
    if (out.delegate) return this.fallbackManager.dispose(id);
    this.containerIds.delete(id);
  }
}

module.exports = { InplaceWorkspaceManager, GitWorktreeManager, EphemeralContainerManager };
