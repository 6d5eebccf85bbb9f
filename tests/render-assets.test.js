'use strict';
// renderAssets(packageRoot): the shipped folders rendered from assets/ in a
// temporary package root; idempotence, stale-file removal, errors with a
// stable code, and wrappers that pass the runtime-semantics audit.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const native = require(path.join(ROOT, 'binding.js'));
const { runtimeSemantics: rs } = require(ROOT);
const REGISTRY = path.join(ROOT, 'assets', 'workflows', 'references', 'workflow-runtime-contracts.json');

function command(slug, targets = 'all') {
  return `---\ndescription: Run ${slug}.\nargument-hint: "[focus]"\nallowed-tools: [Read, Bash]\ntargets: ${targets}\n---\nRead and apply \`.oxe/workflows/${slug}.md\` in full.\n`;
}

function fixturePackage() {
  const root = tmpProject('oxe-render-');
  const a = path.join(root, 'assets');
  fs.mkdirSync(path.join(a, 'workflows', 'references'), { recursive: true });
  fs.mkdirSync(path.join(a, 'commands'), { recursive: true });
  fs.mkdirSync(path.join(a, 'personas'), { recursive: true });
  fs.copyFileSync(REGISTRY, path.join(a, 'workflows', 'references', 'workflow-runtime-contracts.json'));
  fs.writeFileSync(path.join(a, 'workflows', 'plan.md'), '# OXE workflow: plan — p\n');
  fs.writeFileSync(path.join(a, 'personas', 'README.md'), '# Personas\n');
  fs.writeFileSync(path.join(a, 'AGENTS.md'), '# Agents\n');
  for (const slug of ['oxe', 'plan', 'verify']) fs.writeFileSync(path.join(a, 'commands', `${slug}.md`), command(slug));
  fs.writeFileSync(path.join(a, 'commands', 'ship.md'), command('ship', 'commands-only'));
  return root;
}

test('renders the three wrapper sets and the copies', () => {
  const root = fixturePackage();
  const r = JSON.parse(native.renderAssets(root));
  assert.equal(r.prompts, 3);
  assert.equal(r.cursor, 3);
  assert.equal(r.commands, 4);
  assert.deepEqual(fs.readdirSync(path.join(root, '.github', 'prompts')).sort(), ['oxe-plan.prompt.md', 'oxe-verify.prompt.md', 'oxe.prompt.md']);
  assert.deepEqual(fs.readdirSync(path.join(root, '.cursor', 'commands')).sort(), ['oxe-plan.md', 'oxe-verify.md', 'oxe.md']);
  assert.deepEqual(fs.readdirSync(path.join(root, 'commands', 'oxe')).sort(), ['oxe.md', 'plan.md', 'ship.md', 'verify.md']);
  assert.ok(fs.existsSync(path.join(root, 'oxe', 'workflows', 'plan.md')));
  assert.ok(fs.existsSync(path.join(root, 'oxe', 'personas', 'README.md')));
  assert.equal(fs.readFileSync(path.join(root, 'AGENTS.md'), 'utf8'), '# Agents\n');
  const prompt = fs.readFileSync(path.join(root, '.github', 'prompts', 'oxe-verify.prompt.md'), 'utf8');
  const fm = rs.parseFrontmatterMap(prompt);
  assert.equal(fm.name, 'oxe-verify');
  assert.equal(fm.agent, 'agent');
  assert.equal(fm.oxe_semantics_hash, rs.computeSemanticsHash('verify'));
  assert.ok(prompt.includes('oxe-cc runtime verify --dir <project>'));
  const ship = fs.readFileSync(path.join(root, 'commands', 'oxe', 'ship.md'), 'utf8');
  assert.match(ship, /^---\nname: oxe:ship\n/);
  assert.match(ship, /\nallowed-tools:\n {2}- Read\n {2}- Bash\noxe_workflow_slug: ship\n/);
  const audit = rs.auditRuntimeTargets(root);
  assert.equal(audit.ok, true, JSON.stringify(audit.mismatches));
  assert.equal(audit.targets.commands.checked, 4);
});

test('a second render writes nothing; stale rendered files are removed, foreign ones kept', () => {
  const root = fixturePackage();
  native.renderAssets(root);
  const before = fs.statSync(path.join(root, 'commands', 'oxe', 'plan.md')).mtimeMs;
  const again = JSON.parse(native.renderAssets(root));
  assert.equal(again.written, 0);
  assert.equal(fs.statSync(path.join(root, 'commands', 'oxe', 'plan.md')).mtimeMs, before);
  fs.rmSync(path.join(root, 'assets', 'commands', 'verify.md'));
  fs.writeFileSync(path.join(root, '.github', 'prompts', 'team.prompt.md'), 'ours');
  const r = JSON.parse(native.renderAssets(root));
  assert.equal(r.removed, 3);
  assert.ok(!fs.existsSync(path.join(root, '.github', 'prompts', 'oxe-verify.prompt.md')));
  assert.ok(!fs.existsSync(path.join(root, 'commands', 'oxe', 'verify.md')));
  assert.equal(fs.readFileSync(path.join(root, '.github', 'prompts', 'team.prompt.md'), 'utf8'), 'ours');
});

test('bad sources and a missing assets folder throw coded errors', () => {
  const root = fixturePackage();
  fs.writeFileSync(path.join(root, 'assets', 'commands', 'bad.md'), 'no front matter');
  assert.throws(() => native.renderAssets(root), (e) => e.code === 'OXE_E_ARG' && /bad\.md/.test(e.message));
  assert.throws(() => native.renderAssets(tmpProject('oxe-render-empty-')), (e) => e.code === 'OXE_E_PATH');
});
