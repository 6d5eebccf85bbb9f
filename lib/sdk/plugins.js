'use strict';
// SDK namespace `plugins` (oxe-cc 1.4.0: bin/lib/oxe-plugins.cjs). The core
// (crates/oxe-cli/src/plugins_cmd.rs) decides which files and config
// sources load, in which order, what a valid plugin module is and what
// validation reports; this glue requires the files it names, describes
// each loaded module to it, and awaits plugin hooks.

const path = require('path');
const { native, requireString } = require('../native.js');
const { PACKAGE_ROOT } = require('./parsers.js');

function root(fn, projectRoot) {
  return path.resolve(requireString(fn, 'projectRoot', projectRoot));
}

function describeModule(mod) {
  return JSON.stringify({
    type: typeof mod,
    isNull: mod === null,
    nameType: mod ? typeof mod.name : 'undefined',
    hooksType: mod ? typeof mod.hooks : 'undefined',
    hooksIsNull: mod ? mod.hooks === null : false,
  });
}

function loadOne(file, external) {
  try {
    // eslint-disable-next-line global-require
    const mod = require(file);
    const error = native.sdkPluginsCheckModule(describeModule(mod), external);
    return error == null ? { mod } : { error };
  } catch (e) {
    return { error: String(e) };
  }
}

function loadPlugins(projectRoot) {
  const plan = JSON.parse(native.sdkPluginsLoadPlan(root('loadPlugins', projectRoot)));
  const plugins = [];
  const errors = plan.errors.slice();
  for (const { file, path: abs } of plan.files) {
    const r = loadOne(abs, false);
    if (r.error !== undefined) errors.push({ file, error: r.error });
    else plugins.push(r.mod);
  }
  if (plan.external) {
    for (const se of plan.external.errors) errors.push({ file: se.source, error: se.error });
    for (const abs of plan.external.resolved) {
      const r = loadOne(abs, true);
      if (r.error !== undefined) errors.push({ file: abs, error: r.error });
      else if (!plugins.some((p) => p.name === r.mod.name)) plugins.push(r.mod);
    }
  }
  return { plugins, errors };
}

async function runHook(plugins, hookName, ctx) {
  const hookErrors = [];
  for (const plugin of plugins) {
    const hook = plugin.hooks[hookName];
    if (typeof hook !== 'function') continue;
    try {
      await hook(ctx);
    } catch (e) {
      hookErrors.push({ plugin: plugin.name, error: String(e) });
    }
  }
  return hookErrors;
}

function validatePlugins(projectRoot) {
  const dir = root('validatePlugins', projectRoot);
  const { errors } = loadPlugins(dir);
  return JSON.parse(native.sdkPluginsValidate(dir, JSON.stringify(errors)));
}

function initPluginsDir(projectRoot) {
  native.sdkPluginsInitDir(root('initPluginsDir', projectRoot), PACKAGE_ROOT);
}

function describeSource(entry) {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && entry.source) return { source: String(entry.source) };
  return { invalid: String(entry) };
}

function resolvePluginSources(projectRoot, pluginsSources) {
  const list = Array.isArray(pluginsSources) ? pluginsSources.map(describeSource) : [];
  return JSON.parse(
    native.sdkPluginsResolveSources(root('resolvePluginSources', projectRoot), JSON.stringify(list)),
  );
}

function installNpmPlugin(projectRoot, pkgName, version) {
  return JSON.parse(
    native.sdkPluginsInstallNpm(
      root('installNpmPlugin', projectRoot),
      String(pkgName),
      version ? String(version) : null,
    ),
  );
}

module.exports = {
  loadPlugins,
  runHook,
  validatePlugins,
  initPluginsDir,
  resolvePluginSources,
  installNpmPlugin,
};
