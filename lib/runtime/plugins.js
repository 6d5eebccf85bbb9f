'use strict';
// plugins: the plugin ABI, manifests, the registry, the capability matrix
// and project capabilities as plugins. Plugins are user JS objects, so the
// registry keeps them here, in registration order; every rule (admission,
// validation, manifest extraction, lookup order, directory loading,
// listings, the matrix) is decided by the core from a description of the
// plugins, and this file performs the JS calls the core asks for.
//
// Beyond 1.4.0: a plugin whose supports() throws or answers garbage is
// reported by name (process warning OXE_W_PLUGIN_FAULT, faultsSnapshot())
// and skipped instead of breaking the lookup; a hook that throws or times
// out rejects runHook with an OXE_E_PLUGIN / OXE_E_PLUGIN_TIMEOUT error
// naming the plugin; plugin files that resolve outside the plugin
// directory are not loaded.

const { native, toWire, requireString, flushDiagnostics, codedError } = require('../native.js');

const ABI = JSON.parse(native.pluginAbiConstants());
const CURRENT_ABI_VERSION = ABI.abi_version;
const [TOOL, WORKSPACE, VERIFIER, CONTEXT] = ABI.kinds;

// ---------------------------------------------------------------- describing

function safeString(v) {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function isObject(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

// A JS value as the core reads it: JSON primitives as they are, anything
// else as a {$js, text, truthy} marker; undefined stays undefined (dropped
// from objects).
function jsv(v) {
  if (v === undefined) return undefined;
  const t = typeof v;
  if (v === null || t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v))) return v;
  return { $js: t, text: safeString(v), truthy: !!v };
}

// Same, for array items (where undefined would become null).
function jsvItem(v) {
  return v === undefined ? { $js: 'undefined', text: 'undefined', truthy: false } : jsv(v);
}

function errorMessage(e) {
  return e instanceof Error ? e.message : safeString(e);
}

function providerArray(plugin, kind) {
  const list = isObject(plugin) ? plugin[kind.field] : undefined;
  return Array.isArray(list) ? list : [];
}

function describeList(list, kind, probe) {
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list)) return { $js: typeof list, text: safeString(list), truthy: !!list };
  return list.map((p) => {
    if (!isObject(p)) return null;
    const d = {
      name: jsv(p.name),
      kind: jsv(p.kind),
      idempotent: jsv(p.idempotent),
      fns: kind.methods.filter((m) => typeof p[m] === 'function'),
    };
    if (probe && kind.probe && typeof p[kind.lookup] === 'function') {
      d.probe = kind.probe.map((t) => probe(p, kind.lookup, t));
    }
    return d;
  });
}

// The description of a plugin object the core's rules read. `probe`, when
// given, answers supports() for the manifest's fixed type lists.
function describePlugin(plugin, probe) {
  if (!isObject(plugin)) {
    return { $js: plugin === null ? 'null' : typeof plugin, text: safeString(plugin), truthy: !!plugin };
  }
  const d = {
    name: jsv(plugin.name),
    version: jsv(plugin.version),
    abi_version: jsv(plugin.abi_version),
  };
  for (const kind of ABI.kinds) d[kind.field] = describeList(plugin[kind.field], kind, probe);
  const hooks = plugin.hooks;
  if (hooks !== undefined) d.hooks = { truthy: !!hooks, keys: hooks ? Object.keys(hooks) : [] };
  return d;
}

function wireDesc(plugin, probe) {
  return JSON.stringify(describePlugin(plugin, probe));
}

function faultText(plugin, provider, call, what) {
  const fields = { plugin: safeString(isObject(plugin) ? plugin.name : plugin), call, what };
  if (provider !== undefined) fields.provider = safeString(isObject(provider) ? provider.name : provider);
  return native.pluginMessage('fault', JSON.stringify(fields), '');
}

function pluginError(code, plugin, call, what, cause) {
  const err = codedError(code, faultText(plugin, undefined, call, what));
  if (cause !== undefined) err.cause = cause;
  err.plugin = isObject(plugin) ? plugin.name : undefined;
  return err;
}

// ------------------------------------------------------------------ manifest

function validatePlugin(plugin) {
  return JSON.parse(native.pluginValidate(wireDesc(plugin)));
}

function extractManifest(plugin) {
  const probe = (provider, method, type) => {
    try {
      return !!provider[method](type);
    } catch (e) {
      const err = codedError('OXE_E_PLUGIN', faultText(plugin, provider, `${method}(${JSON.stringify(type)})`, `threw: ${errorMessage(e)}`));
      err.cause = e;
      throw err;
    }
  };
  return JSON.parse(native.pluginExtractManifest(wireDesc(plugin, probe)));
}

function isAbiCompatible(pluginAbiVersion) {
  return typeof pluginAbiVersion === 'string' && native.pluginIsAbiCompatible(pluginAbiVersion);
}

// Calls fn() and races its promise against a timer. A synchronous throw
// rejects with the thrown value as it is; a non-Error rejection becomes an
// Error. The timer is cleared however the call ends.
function sandboxInvoke(fn, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Plugin invocation timed out after ${timeoutMs}ms`));
    }, timeoutMs);
    const fail = (e) => {
      clearTimeout(timer);
      reject(e);
    };
    let pending;
    try {
      pending = fn();
    } catch (e) {
      fail(e);
      return;
    }
    let then;
    try {
      then = isObject(pending) ? pending.then : undefined;
    } catch (e) {
      fail(e);
      return;
    }
    if (typeof then !== 'function') {
      fail(new TypeError(`sandboxInvoke: the plugin function returned ${pending === null ? 'null' : typeof pending}, not a Promise`));
      return;
    }
    try {
      then.call(
        pending,
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (err) => fail(err instanceof Error ? err : new Error(safeString(err))),
      );
    } catch (e) {
      fail(e);
    }
  });
}

// ----------------------------------------------------------------- registry

function hidden(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: false, configurable: true });
}

class PluginRegistry {
  // `options.hookTimeoutMs` (beyond 1.4.0, off by default): a hook that has
  // not settled by then rejects runHook with OXE_E_PLUGIN_TIMEOUT.
  constructor(options) {
    this.plugins = [];
    this.loadErrors = [];
    hidden(this, '_faults', []);
    hidden(this, '_faultSeen', new Set());
    hidden(this, '_hookTimeoutMs', isObject(options) ? options.hookTimeoutMs : undefined);
  }

  _admit(plugin, mode) {
    const names = JSON.stringify(this.plugins.map((p) => jsvItem(isObject(p) ? p.name : undefined)));
    return JSON.parse(native.pluginAdmit(names, wireDesc(plugin), mode));
  }

  register(plugin) {
    const verdict = this._admit(plugin, 'register');
    if (verdict.action !== 'register') throw codedError('OXE_E_PLUGIN', verdict.message);
    this.plugins.push(plugin);
  }

  unregister(name) {
    const names = JSON.stringify(this.plugins.map((p) => jsvItem(isObject(p) ? p.name : undefined)));
    const drop = new Set(native.pluginFindNamed(names, JSON.stringify(jsvItem(name))));
    this.plugins = this.plugins.filter((_, i) => !drop.has(i));
  }

  loadFromDirectory(dir) {
    const plan = JSON.parse(native.pluginPlanDirectory(requireString('loadFromDirectory', 'dir', dir)));
    const loaded = [];
    for (const entry of plan) {
      if (entry.error !== null) {
        this.loadErrors.push(native.pluginMessage('load', entry.full_path, entry.error));
        continue;
      }
      try {
        const mod = require(entry.load_path);
        const pick = JSON.parse(native.pluginPickExport(mod === null ? 'null' : typeof mod, isObject(mod) && !!mod.default));
        if (pick.pick === null) {
          this.loadErrors.push(native.pluginMessage('load', entry.full_path, pick.reason));
          continue;
        }
        const plugin = pick.pick === 'default' ? mod.default : mod;
        const verdict = this._admit(plugin, 'load');
        if (verdict.action === 'skip') continue;
        if (verdict.action === 'reject') throw new Error(verdict.message);
        this.plugins.push(plugin);
        loaded.push(plugin.name);
      } catch (error) {
        this.loadErrors.push(native.pluginMessage('load', entry.full_path, errorMessage(error)));
      }
    }
    flushDiagnostics();
    return loaded;
  }

  // The providers of one kind, in the core's lookup order.
  _ordered(kind) {
    const lists = this.plugins.map((p) => providerArray(p, kind));
    const order = native.pluginLookupOrder(lists.map((l) => l.length));
    const out = [];
    for (let i = 0; i < order.length; i += 2) {
      out.push({ plugin: this.plugins[order[i]], provider: lists[order[i]][order[i + 1]] });
    }
    return out;
  }

  _fault(plugin, provider, call, what) {
    const message = faultText(plugin, provider, call, what);
    if (this._faultSeen.has(message)) return;
    this._faultSeen.add(message);
    this._faults.push(message);
    process.emitWarning(message, { code: 'OXE_W_PLUGIN_FAULT' });
  }

  // Asks each provider in lookup order; the first that says yes wins.
  _lookup(kind, arg) {
    for (const { plugin, provider } of this._ordered(kind)) {
      const call = `${kind.lookup}(${JSON.stringify(arg) ?? safeString(arg)})`;
      if (!isObject(provider) || typeof provider[kind.lookup] !== 'function') {
        this._fault(plugin, provider, call, 'is not a function');
        continue;
      }
      let answer;
      try {
        answer = provider[kind.lookup](arg);
      } catch (e) {
        this._fault(plugin, provider, call, `threw: ${errorMessage(e)}`);
        continue;
      }
      if (typeof answer !== 'boolean') {
        this._fault(plugin, provider, call, `returned ${answer === null ? 'null' : typeof answer}, not a boolean`);
      }
      if (answer) return provider;
    }
    return null;
  }

  toolProviderFor(actionType) {
    return this._lookup(TOOL, actionType);
  }

  workspaceProviderFor(strategy) {
    return this._lookup(WORKSPACE, strategy);
  }

  verifierProviderFor(checkType) {
    return this._lookup(VERIFIER, checkType);
  }

  contextProviderFor(name) {
    const all = this._ordered(CONTEXT).map((e) => e.provider);
    const names = JSON.stringify(all.map((p) => jsvItem(isObject(p) ? p.name : undefined)));
    const hits = native.pluginFindNamed(names, JSON.stringify(jsvItem(name)));
    return hits.length > 0 ? all[hits[0]] : null;
  }

  allContextProviders() {
    return this._ordered(CONTEXT).map((e) => e.provider);
  }

  allToolProviders() {
    return this._ordered(TOOL).map((e) => e.provider);
  }

  async runHook(hookName, ctx) {
    const plugins = this.plugins;
    for (const plugin of plugins) {
      const hook = isObject(plugin) && isObject(plugin.hooks) ? plugin.hooks[hookName] : undefined;
      if (!hook) continue;
      const call = `hook ${JSON.stringify(String(hookName))}`;
      if (typeof hook !== 'function') throw pluginError('OXE_E_PLUGIN', plugin, call, 'is not a function');
      let pending;
      try {
        pending = hook(ctx);
      } catch (e) {
        throw pluginError('OXE_E_PLUGIN', plugin, call, `threw: ${errorMessage(e)}`, e);
      }
      await this._settle(pending, plugin, call);
    }
  }

  async _settle(pending, plugin, call) {
    const ms = this._hookTimeoutMs;
    let timer;
    const timeout = typeof ms === 'number' && ms >= 0
      ? new Promise((_, reject) => {
        timer = setTimeout(() => reject(pluginError('OXE_E_PLUGIN_TIMEOUT', plugin, call, `timed out after ${ms}ms`)), ms);
      })
      : null;
    try {
      const work = Promise.resolve(pending).catch((e) => {
        throw pluginError('OXE_E_PLUGIN', plugin, call, `threw: ${errorMessage(e)}`, e);
      });
      await (timeout ? Promise.race([work, timeout]) : work);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  _listing() {
    const descs = '[' + this.plugins.map((p) => wireDesc(p)).join(',') + ']';
    return JSON.parse(native.pluginListing(descs, this.loadErrors.length));
  }

  _list(providers) {
    return this.plugins.map((p, i) => ({ name: p.name, version: p.version, providers: providers[i] }));
  }

  list() {
    return this._list(this._listing().providers);
  }

  registerProjectCapabilities(projectRoot) {
    const loaded = [];
    for (const plugin of loadCapabilityPlugins(projectRoot)) {
      try {
        this.register(plugin);
        loaded.push(plugin.name);
      } catch (error) {
        this.loadErrors.push(native.pluginMessage('capability', String(plugin.name), errorMessage(error)));
      }
    }
    return loaded;
  }

  loadErrorsSnapshot() {
    return [...this.loadErrors];
  }

  clearLoadErrors() {
    this.loadErrors = [];
  }

  // Beyond 1.4.0: the plugin faults seen so far (each reported once).
  faultsSnapshot() {
    return [...this._faults];
  }

  snapshot() {
    const items = (plugin, kind, pick) => providerArray(plugin, kind).filter(isObject).map(pick);
    return this.plugins.map((plugin) => ({
      name: plugin.name,
      version: plugin.version,
      abi_version: plugin.abi_version,
      toolProviders: items(plugin, TOOL, (p) => ({ name: p.name, kind: p.kind, idempotent: p.idempotent })),
      workspaceProviders: items(plugin, WORKSPACE, (p) => ({ name: p.name })),
      verifierProviders: items(plugin, VERIFIER, (p) => ({ name: p.name })),
      contextProviders: items(plugin, CONTEXT, (p) => ({ name: p.name })),
    }));
  }

  summary() {
    const { providers, summary } = this._listing();
    return { ...summary, plugins: this._list(providers) };
  }

  capabilityMatrix() {
    return buildMatrix(this);
  }
}

let globalInstance = null;

function globalRegistry() {
  if (!globalInstance) globalInstance = new PluginRegistry();
  return globalInstance;
}

function resetGlobalRegistry() {
  globalInstance = null;
}

function registrySummary(registry) {
  return registry.summary();
}

function resolveCapabilityMatrix(registry) {
  return registry.capabilityMatrix();
}

// ------------------------------------------------------------ capability matrix

function buildMatrix(registry) {
  const snapshot = registry.snapshot();
  const winner = (p) => jsvItem(isObject(p) ? p.name : undefined);
  const tools = ABI.tool_action_types.map((t) => winner(registry.toolProviderFor(t)));
  const verifiers = ABI.verifier_check_types.map((t) => winner(registry.verifierProviderFor(t)));
  return JSON.parse(native.pluginBuildMatrix(toWire('buildMatrix', 'snapshot', snapshot), JSON.stringify(tools), JSON.stringify(verifiers)));
}

function selectEntries(op, matrix, arg) {
  const entries = matrix.entries.map((e) => ({
    name: jsvItem(isObject(e) ? e.name : undefined),
    stability: jsvItem(isObject(e) ? e.stability : undefined),
    provider_type: jsvItem(isObject(e) ? e.provider_type : undefined),
  }));
  return native.pluginMatrixSelect(op, JSON.stringify(entries), JSON.stringify(arg === undefined ? null : arg));
}

function getStableEntries(matrix) {
  return selectEntries('stable', matrix).map((i) => matrix.entries[i]);
}

function getExperimentalEntries(matrix) {
  return selectEntries('experimental', matrix).map((i) => matrix.entries[i]);
}

function getDeprecatedEntries(matrix) {
  return selectEntries('deprecated', matrix).map((i) => matrix.entries[i]);
}

function markDeprecated(matrix, name, deprecatedIn, replacement) {
  const hit = new Set(selectEntries('name', matrix, jsvItem(name)));
  return {
    ...matrix,
    entries: matrix.entries.map((e, i) => (hit.has(i) ? { ...e, stability: 'deprecated', deprecated_in: deprecatedIn, replacement } : e)),
  };
}

function addEntry(matrix, entry) {
  const same = selectEntries('same', matrix, {
    name: jsvItem(entry.name),
    provider_type: jsvItem(entry.provider_type),
  });
  if (same.length > 0) return matrix;
  return { ...matrix, entries: [...matrix.entries, entry] };
}

// ------------------------------------------------------- capability adapter

function createCapabilityPlugin(projectRoot, manifest) {
  requireString('createCapabilityPlugin', 'projectRoot', projectRoot);
  const manifestText = toWire('createCapabilityPlugin', 'manifest', manifest);
  const shape = JSON.parse(native.capabilityShape(manifestText));
  const tool = {
    name: shape.tool.name,
    kind: shape.tool.kind,
    idempotent: shape.tool.idempotent,
    supports(actionType) {
      return shape.tool.accepts.includes(actionType);
    },
    async invoke(input) {
      const out = native.capabilityInvoke(projectRoot, manifestText, toWire('invoke', 'input', input), process.execPath);
      return JSON.parse(out);
    },
  };
  const verifierProviders = [];
  if (shape.verifier) {
    verifierProviders.push({
      name: shape.verifier.name,
      supports(checkType) {
        return shape.verifier.accepts.includes(checkType);
      },
      async execute(input) {
        const out = native.capabilityExecute(projectRoot, manifestText, toWire('execute', 'input', input), process.execPath);
        return JSON.parse(out);
      },
    });
  }
  return {
    name: shape.name,
    version: shape.version,
    abi_version: shape.abi_version,
    toolProviders: [tool],
    verifierProviders,
  };
}

function loadCapabilityPlugins(projectRoot) {
  const root = requireString('loadCapabilityPlugins', 'projectRoot', projectRoot);
  const manifests = JSON.parse(native.capabilityScan(root));
  flushDiagnostics();
  return manifests.map((m) => createCapabilityPlugin(root, m));
}

module.exports = {
  PluginRegistry,
  globalRegistry,
  resetGlobalRegistry,
  registrySummary,
  resolveCapabilityMatrix,
  CURRENT_ABI_VERSION,
  extractManifest,
  validatePlugin,
  isAbiCompatible,
  sandboxInvoke,
  buildMatrix,
  getStableEntries,
  getExperimentalEntries,
  getDeprecatedEntries,
  markDeprecated,
  addEntry,
  createCapabilityPlugin,
  loadCapabilityPlugins,
};
