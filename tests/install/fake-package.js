'use strict';
// A small package root with the folders the installer reads (rendered
// command wrappers, workflows, templates…), and a runner that starts our
// CLI with that folder as its package root. Tests install from it into
// empty projects with a throwaway HOME.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..', '..');

const META = (slug, mode) =>
  [
    `oxe_workflow_slug: ${slug}`,
    `oxe_reasoning_mode: ${mode}`,
    'oxe_question_policy: none',
    'oxe_output_contract: routing',
    'oxe_tool_profile: read_heavy',
    'oxe_confidence_policy: explicit',
    'oxe_context_tier: standard',
    'oxe_contract_version: 2.0.0',
    `oxe_semantics_hash: ${'0123456789abcdef'}`,
  ].join('\n');

const COMMANDS = [
  ['help', 'Show the OXE commands', 'status'],
  ['scan', 'Map the codebase', 'discovery'],
  ['plan', 'Write the plan', 'planning'],
];

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function cursorCommand(slug, desc, mode) {
  return `---\ndescription: ${JSON.stringify(desc)}\nargument-hint: "[focus]"\n${META(slug, mode)}\n---\n\n${desc}\n\nRead and apply \`.oxe/workflows/${slug}.md\` (also oxe/workflows/${slug}.md in the classic layout).\nUse $ARGUMENTS as the focus.\n`;
}

function makePackage(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-pkg-'))) {
  write(path.join(dir, 'package.json'), JSON.stringify({ name: 'oxe-rs', version: '1.4.0' }));
  write(
    path.join(dir, 'bin', 'run.js'),
    `'use strict';\nconst { native } = require(${JSON.stringify(path.join(ROOT, 'lib', 'native.js'))});\nprocess.exitCode = native.runCli(process.argv.slice(2), process.cwd(), { ...process.env }, process.stdout.isTTY === true, ${JSON.stringify(dir)});\n`,
  );
  for (const [slug] of COMMANDS) {
    write(path.join(dir, 'oxe', 'workflows', `${slug}.md`), `# OXE workflow: ${slug}\n\nSee oxe/workflows/help.md and .oxe/workflows/${slug}.md and oxe/templates/STATE.md.\n`);
  }
  write(path.join(dir, 'oxe', 'workflows', 'references', 'legacy-brownfield.md'), 'Read oxe/workflows/references/x.md.\n');
  for (const t of ['STATE.md', 'config.template.json']) {
    fs.mkdirSync(path.join(dir, 'oxe', 'templates'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'assets', 'templates', t), path.join(dir, 'oxe', 'templates', t));
  }
  write(path.join(dir, 'oxe', 'personas', 'architect.md'), '---\noxe_persona: architect\n---\n# Persona: Architect\nSee oxe/workflows/plan.md\n');
  write(path.join(dir, 'oxe', 'schemas', 'plan-agents.schema.json'), '{"type":"object"}\n');
  write(path.join(dir, '.cursor', 'commands', 'oxe.md'), cursorCommand('oxe', 'OXE entry point', 'status'));
  for (const [slug, desc, mode] of COMMANDS) {
    write(path.join(dir, '.cursor', 'commands', `oxe-${slug}.md`), cursorCommand(slug, desc, mode));
    write(
      path.join(dir, '.github', 'prompts', `oxe-${slug}.prompt.md`),
      `---\nname: oxe-${slug}\nagent: agent\ndescription: ${JSON.stringify(desc)}\nargument-hint: "[focus]"\n${META(slug, mode)}\n---\nRead \`.oxe/workflows/${slug}.md\`.\n`,
    );
    write(path.join(dir, 'commands', 'oxe', `${slug}.md`), `---\nname: oxe:${slug}\ndescription: ${JSON.stringify(desc)}\n---\nRead oxe/workflows/${slug}.md\n`);
  }
  write(path.join(dir, '.github', 'prompts', 'oxe.prompt.md'), '---\nname: oxe\nagent: agent\ndescription: "OXE"\n---\nStart.\n');
  write(path.join(dir, '.github', 'copilot-instructions.md'), '# OXE for Copilot\n\nWorkflows live in oxe/workflows/ (nested: .oxe/workflows/).\n');
  write(path.join(dir, 'commands', 'oxe', 'ship.md'), '---\nname: oxe:ship\ndescription: "Ship"\n---\nShip it.\n');
  write(path.join(dir, 'AGENTS.md'), '# Agents\n\nUse oxe/workflows/.\n');
  return dir;
}

const IDE_VARS = ['CURSOR_CONFIG_DIR', 'COPILOT_CONFIG_DIR', 'COPILOT_HOME', 'CLAUDE_CONFIG_DIR', 'XDG_CONFIG_HOME', 'CODEX_HOME', 'OXE_INSTALL_MODE', 'OXE_TEST_CRASH_AFTER_WRITES', 'LANG', 'LC_ALL', 'LC_MESSAGES'];

function isolatedEnv(home, extra = {}) {
  const env = { ...process.env };
  for (const k of IDE_VARS) delete env[k];
  return { ...env, HOME: home, USERPROFILE: home, OXE_NO_PROMPT: '1', OXE_NO_BANNER: '1', NO_COLOR: '1', ...extra };
}

function tmp(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function cli(pkg, args, { home, env = {}, cwd } = {}) {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'run.js'), ...args], {
    cwd: cwd || os.tmpdir(),
    encoding: 'utf8',
    env: isolatedEnv(home, env),
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout || '', stderr: r.stderr || '' };
}

// Every file under `dir` (relative POSIX paths, sorted).
function tree(dir) {
  const out = [];
  const walk = (d, rel) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

// Every directory under `dir` too (for "writes nothing" checks).
function entries(dir) {
  const out = [];
  const walk = (d, rel) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(path.join(d, e.name), r);
    }
  };
  walk(dir, '');
  return out.sort();
}

function frontmatterKeys(text) {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) return [];
  return m[1].split('\n').map((l) => (/^([A-Za-z0-9_-]+):/.exec(l) || [])[1]).filter(Boolean);
}

module.exports = { ROOT, makePackage, cli, tmp, tree, entries, frontmatterKeys, isolatedEnv, COMMANDS };
