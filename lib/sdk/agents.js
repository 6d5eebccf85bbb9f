'use strict';
// SDK namespace `agents` (oxe-cc 1.4.0: bin/lib/oxe-agent-install.cjs).
// 1.4.0 exports the first two members; the others are the module's
// internal installers, exposed for its tests. Every format and rule is in
// Rust (crates/oxe-cli/src/install/render); this file passes paths and
// the environment, and hands the log lines to the caller's callbacks.
const path = require('path');
const { native, toWire } = require('../native.js');
const { PACKAGE_ROOT } = require('./parsers.js');

const OXE_MANAGED_HTML = '<!-- oxe-cc managed -->';
const OXE_MANAGED_TOML = '# oxe-cc managed';

function env() {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function adjustWorkflowPathsForNestedLayout(content) {
  return native.sdkAgentsAdjustPaths(String(content));
}

function parseCursorCommandFrontmatter(text) {
  return JSON.parse(native.sdkAgentsParseFrontmatter(String(text)));
}

function buildAgentSkillMarkdown(skillName, description, body, metadata) {
  return native.sdkAgentsSkillMarkdown(
    String(skillName),
    String(description == null ? '' : description),
    String(body == null ? '' : body),
    metadata ? toWire('buildAgentSkillMarkdown', 'metadata', metadata) : null,
  );
}

function buildAgentInstallPaths(ideGlobal, projectRoot) {
  return JSON.parse(native.sdkAgentsPaths(!!ideGlobal, path.resolve(String(projectRoot)), env()));
}

function runInstaller(kind, src, dest, opts, rewrite, logOmitido, logWrite) {
  const o = opts || {};
  const events = JSON.parse(
    native.sdkAgentsInstall(kind, String(src), toWire(kind, 'paths', dest), !!o.dryRun, !!o.force, !!rewrite),
  );
  for (const e of events) {
    if (e.kind === 'omit' && logOmitido) logOmitido(e.text);
    else if (e.kind === 'write' && logWrite) logWrite(e.text);
    else if (e.kind === 'error') throw Object.assign(new Error(e.text), { code: 'OXE_E_IO' });
  }
}

function installSkillTreeFromCursorCommands(cCmdSrc, skillsRoot, opts, pathRewriteNested, logOmitido, logWrite) {
  runInstaller('skills', cCmdSrc, String(skillsRoot), opts, pathRewriteNested, logOmitido, logWrite);
}
function installOpenCodeCommands(cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite) {
  runInstaller('opencode', cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite);
}
function installGeminiTomlCommands(cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite) {
  runInstaller('gemini', cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite);
}
function installWindsurfGlobalWorkflows(cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite) {
  runInstaller('windsurf', cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite);
}
function installCodexPrompts(cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite) {
  runInstaller('codexPrompts', cCmdSrc, paths, opts, pathRewriteNested, logOmitido, logWrite);
}

function globalPaths() {
  return buildAgentInstallPaths(true, process.cwd());
}
function opencodeCommandDirs() {
  return globalPaths().opencodeCommandDirs;
}
function windsurfGlobalWorkflowsDir() {
  return globalPaths().windsurfWorkflowsDir;
}
function geminiUserDir() {
  return path.dirname(globalPaths().geminiCommandsBase);
}
function codexAgentsSkillsRoot() {
  return globalPaths().codexAgentsSkillsRoot;
}
function codexPromptsDir() {
  return globalPaths().codexPromptsDir;
}
function antigravitySkillsRoot() {
  return globalPaths().antigravitySkillsRoot;
}

function cleanupMarkedUnifiedArtifacts(u, paths) {
  const p = paths || globalPaths();
  JSON.parse(native.sdkAgentsCleanup(toWire('cleanupMarkedUnifiedArtifacts', 'paths', p), !!(u && u.dryRun), env(), PACKAGE_ROOT));
}

module.exports = {
  adjustWorkflowPathsForNestedLayout,
  parseCursorCommandFrontmatter,
  OXE_MANAGED_HTML,
  OXE_MANAGED_TOML,
  buildAgentInstallPaths,
  buildAgentSkillMarkdown,
  installSkillTreeFromCursorCommands,
  installOpenCodeCommands,
  installGeminiTomlCommands,
  installWindsurfGlobalWorkflows,
  installCodexPrompts,
  opencodeCommandDirs,
  windsurfGlobalWorkflowsDir,
  geminiUserDir,
  codexAgentsSkillsRoot,
  codexPromptsDir,
  antigravitySkillsRoot,
  cleanupMarkedUnifiedArtifacts,
};
