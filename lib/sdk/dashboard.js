'use strict';
// SDK namespace `dashboard` (oxe-cc 1.4.0: bin/lib/oxe-dashboard.cjs). The
// context, the review writes and the HTTP server live in Rust
// (crates/oxe-cli/src/dashboard); this glue passes paths and JSON across and
// wraps the native server in an http.Server-like object.

const EventEmitter = require('events');
const path = require('path');
const { native, toWire, requireString } = require('../native.js');
const { PACKAGE_ROOT } = require('./parsers.js');

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function call(method, projectRoot, options) {
  const root = path.resolve(requireString(method, 'projectRoot', projectRoot));
  const opts = options && typeof options === 'object' ? options : {};
  return JSON.parse(native.sdkDashboard(method, root, toWire(method, 'options', opts), env(), PACKAGE_ROOT));
}

function loadDashboardContext(projectRoot, opts = {}) {
  return call('loadDashboardContext', projectRoot, opts);
}

function savePlanReviewStatus(projectRoot, input = {}) {
  return call('savePlanReviewStatus', projectRoot, input);
}

function addPlanReviewComment(projectRoot, input = {}) {
  return call('addPlanReviewComment', projectRoot, input);
}

function updatePlanReviewCommentStatus(projectRoot, input = {}) {
  return call('updatePlanReviewCommentStatus', projectRoot, input);
}

// The native server runs on an addon thread; this object gives it the
// parts of http.Server callers use (listen / address / close / events),
// and holds the event loop open while it listens, as a socket would.
class DashboardServer extends EventEmitter {
  constructor(projectRoot, opts) {
    super();
    this._root = path.resolve(requireString('createDashboardServer', 'projectRoot', projectRoot));
    this._opts = {
      activeSession: opts.activeSession || null,
      readOnly: Boolean(opts.readOnly),
      token: opts.token === true || (typeof opts.token === 'string' && opts.token) ? opts.token : null,
    };
    this._handle = null;
    this._keepAlive = null;
    this._ref = true;
    this.token = null;
  }

  get listening() {
    return this._handle !== null;
  }

  listen(...args) {
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    let [port, host] = args;
    if (port && typeof port === 'object') ({ port, host } = port);
    const wanted = port == null ? 0 : Number(port);
    const bindHost = host == null ? '127.0.0.1' : String(host);
    if (cb) this.once('listening', cb);
    try {
      if (this._handle) throw Object.assign(new Error('Listen method has been called more than once'), { code: 'ERR_SERVER_ALREADY_LISTEN' });
      if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
        throw Object.assign(new RangeError(`port must be an integer from 0 to 65535, got ${port}`), { code: 'ERR_SOCKET_BAD_PORT' });
      }
      const started = JSON.parse(native.dashboardServerStart(this._root, JSON.stringify(this._opts), bindHost, wanted, env(), PACKAGE_ROOT));
      this._handle = started;
      this.token = started.token;
      this._keepAlive = setInterval(() => {}, 1 << 30);
      if (!this._ref) this._keepAlive.unref();
      process.nextTick(() => this.emit('listening'));
    } catch (err) {
      if (cb) this.removeListener('listening', cb);
      process.nextTick(() => this.emit('error', err));
    }
    return this;
  }

  address() {
    if (!this._handle) return null;
    const v6 = this._handle.host.includes(':');
    return { address: this._handle.host.replace(/^\[|\]$/g, ''), family: v6 ? 'IPv6' : 'IPv4', port: this._handle.port };
  }

  close(cb) {
    const handle = this._handle;
    this._handle = null;
    if (this._keepAlive) clearInterval(this._keepAlive);
    this._keepAlive = null;
    if (!handle) {
      const err = Object.assign(new Error('Server is not running.'), { code: 'ERR_SERVER_NOT_RUNNING' });
      if (cb) process.nextTick(cb, err);
      return this;
    }
    native.dashboardServerStop(handle.id);
    if (cb) this.once('close', cb);
    process.nextTick(() => this.emit('close'));
    return this;
  }

  ref() {
    this._ref = true;
    if (this._keepAlive) this._keepAlive.ref();
    return this;
  }

  unref() {
    this._ref = false;
    if (this._keepAlive) this._keepAlive.unref();
    return this;
  }
}

// `opts`: {activeSession, readOnly, token}. Without `token` writes need no
// token (as in 1.4.0); `token: true` makes one (see `server.token`), a
// string sets it. Only loopback hosts are accepted by `listen`.
function createDashboardServer(projectRoot, opts = {}) {
  return new DashboardServer(projectRoot, opts && typeof opts === 'object' ? opts : {});
}

// 1.4.0's SDK members first, then createDashboardServer (1.4.0 keeps it in
// its internal module; its tests use it).
module.exports = {
  loadDashboardContext,
  savePlanReviewStatus,
  addPlanReviewComment,
  updatePlanReviewCommentStatus,
  createDashboardServer,
};
