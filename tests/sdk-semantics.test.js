'use strict';
// runtimeSemantics and workflows SDK namespaces: the package registry,
// normalised contracts, hashes, metadata, the reasoning-contract block, the
// wrapper audit and the workflow lint, as 1.4.0 shapes them.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const sdk = require(ROOT);
const rs = sdk.runtimeSemantics;
const wf = sdk.workflows;

// 1.4.0's hash input: keys sorted recursively, arrays in order.
function stableJson(v) {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

test('constants come from the package registry', () => {
  assert.equal(rs.CONTRACT_VERSION, '2.0.0');
  assert.equal(rs.CONTRACTS_PATH, path.join(ROOT, 'oxe', 'workflows', 'references', 'workflow-runtime-contracts.json'));
  assert.equal(Object.keys(rs.CONTRACTS_REGISTRY.workflows).length, 37);
  assert.equal(rs.RUNTIME_METADATA_KEYS.length, 9);
  assert.equal(rs.REQUIRED_CONTRACT_FIELDS.length, 12);
  assert.deepEqual(Object.keys(rs.MODE_REFERENCES).sort(), ['discovery', 'execution', 'planning', 'review', 'status']);
  assert.equal(rs.MODE_DEFAULTS.review.oxe_tool_profile, 'review_heavy');
  assert.deepEqual(rs.validateWorkflowContractsRegistry(), []);
  assert.ok(rs.validateWorkflowContractsRegistry(null).length > 0);
  assert.ok(rs.validateWorkflowContractsRegistry({ workflows: {} }).length > 0);
});

test('contracts: 37 sorted, mode counts, hash = sha256(stableJson)[:16]', () => {
  const all = rs.getAllWorkflowContracts();
  assert.equal(all.length, 37);
  const slugs = all.map((c) => c.workflow_slug);
  assert.deepEqual(slugs, [...slugs].sort());
  const modes = {};
  for (const c of all) modes[c.reasoning_mode] = (modes[c.reasoning_mode] || 0) + 1;
  assert.deepEqual(modes, { discovery: 6, execution: 12, planning: 6, review: 8, status: 5 });
  for (const c of all) {
    const h = crypto.createHash('sha256').update(stableJson(c)).digest('hex').slice(0, 16);
    assert.equal(rs.computeSemanticsHash(c.workflow_slug), h, c.workflow_slug);
  }
  assert.equal(rs.computeSemanticsHash('nope-xyz'), null);
  assert.equal(rs.getWorkflowContract('nope-xyz'), null);
  const v = rs.getWorkflowContract('verify');
  assert.deepEqual(Object.keys(v).slice(0, 3), ['workflow_slug', 'contract_version', 'reasoning_mode']);
  assert.deepEqual(v.auditor_artifacts, ['state', 'spec', 'verify']);
  assert.deepEqual(v.auditor_excluded, ['runtime', 'plan']);
  assert.deepEqual(rs.getWorkflowContract('execute').auditor_artifacts, []);
});

test('metadata, lines, block and audit agree', () => {
  const meta = rs.getRuntimeMetadataForSlug('plan');
  assert.deepEqual(Object.keys(meta), rs.RUNTIME_METADATA_KEYS);
  assert.equal(meta.oxe_context_tier, 'standard');
  assert.equal(rs.getRuntimeMetadataForSlug('plan', { tier: 'full' }).oxe_context_tier, 'full');
  const ghost = rs.getRuntimeMetadataForSlug('ghost-xyz');
  assert.equal(ghost.oxe_semantics_hash, crypto.createHash('sha256').update('fallback:ghost-xyz').digest('hex').slice(0, 16));
  const lines = rs.renderRuntimeMetadataLines(meta);
  assert.equal(lines.length, 9);
  assert.equal(lines[0], 'oxe_workflow_slug: plan');
  const block = rs.buildReasoningContractBlock(meta);
  assert.ok(block.startsWith('<!-- oxe-reasoning-contract:start -->'));
  assert.ok(block.endsWith('<!-- oxe-reasoning-contract:end -->'));
  assert.ok(block.includes('.oxe/context/packs/plan.md') && block.includes('.oxe/context/packs/plan.json'));
  assert.ok(block.includes('oxe-cc context inspect --workflow plan --json'));
  assert.ok(block.includes('oxe/workflows/references/reasoning-planning.md'));
  assert.ok(!rs.buildReasoningContractBlock(meta, { includeReference: false }).includes('reasoning-planning.md'));
  const wrapper = `---\n${lines.join('\n')}\n---\n\n${block}\n\nbody\n`;
  assert.equal(rs.auditWrapperText('plan', wrapper).ok, true);
  const drift = rs.auditWrapperText('plan', wrapper.replace('oxe_reasoning_mode: planning', 'oxe_reasoning_mode: x'));
  assert.equal(drift.ok, false);
  assert.deepEqual(drift.issues[0], { key: 'oxe_reasoning_mode', expected: 'planning', actual: 'x' });
  assert.deepEqual(Object.keys(drift), ['slug', 'frontmatter', 'expected', 'issues', 'ok']);
});

test('front matter helpers and slugs', () => {
  assert.deepEqual(rs.splitFrontmatter('\uFEFF---\r\nkey: value\r\n---\r\nbody'), { frontmatter: 'key: value', body: 'body' });
  assert.deepEqual(rs.splitFrontmatter(undefined), { frontmatter: '', body: '' });
  assert.deepEqual(rs.parseFrontmatterMap('---\nfoo: bar\nbaz: "q"\n---\nb'), { foo: 'bar', baz: 'q' });
  assert.deepEqual(rs.pickRuntimeMetadata({ oxe_workflow_slug: ' plan ', x: 'y', oxe_tool_profile: '  ' }), { oxe_workflow_slug: 'plan' });
  assert.equal(rs.slugFromPromptFilename('oxe-plan.prompt.md'), 'plan');
  assert.equal(rs.slugFromPromptFilename('oxe.prompt.md'), 'oxe');
  assert.equal(rs.slugFromCommandFilename('OXE-verify.md'), 'verify');
  assert.deepEqual(rs.buildContextPackPaths('plan'), {
    markdown: '.oxe/context/packs/plan.md',
    json: '.oxe/context/packs/plan.json',
    inspectCommand: 'oxe-cc context inspect --workflow plan --json',
  });
  const tiers = rs.buildContextTiers(['a', 'a', 'b'], ['b', 'x_session_summary', 'c', 'd', 'e', 'f', 'g']);
  assert.deepEqual(tiers.minimal, ['a', 'b', 'x_session_summary']);
  assert.deepEqual(tiers.standard, ['a', 'b', 'x_session_summary', 'c', 'd', 'e']);
  assert.deepEqual(tiers.full, ['a', 'b', 'x_session_summary', 'c', 'd', 'e', 'f', 'g']);
});

test('auditRuntimeTargets reports drift per target', () => {
  const dir = tmpProject('oxe-sem-');
  fs.mkdirSync(path.join(dir, 'commands', 'oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'commands', 'oxe', 'plan.md'), '---\noxe_workflow_slug: plan\n---\nbody');
  const a = rs.auditRuntimeTargets(dir);
  assert.equal(a.ok, false);
  assert.equal(a.targets.commands.checked, 1);
  assert.equal(a.targets['copilot-prompts'].missing, true);
  assert.equal(a.mismatches[0].slug, 'plan');
  assert.equal(a.mismatches[0].target, 'commands');
  assert.deepEqual(Object.keys(a), ['ok', 'contractVersion', 'registryPath', 'registryIssues', 'warnings', 'mismatches', 'targets']);
});

test('workflows namespace: resolve, list, diff, lint', () => {
  const dir = tmpProject('oxe-wf-');
  assert.equal(wf.resolveWorkflowsDir(dir), null);
  fs.mkdirSync(path.join(dir, 'oxe', 'workflows'), { recursive: true });
  assert.equal(wf.resolveWorkflowsDir(dir), path.join(dir, 'oxe', 'workflows'));
  fs.mkdirSync(path.join(dir, '.oxe', 'workflows'), { recursive: true });
  const nested = path.join(dir, '.oxe', 'workflows');
  assert.equal(wf.resolveWorkflowsDir(dir), nested);
  fs.writeFileSync(path.join(nested, 'b.md'), '<objective>x</objective>\n<success_criteria>y</success_criteria>\n');
  fs.writeFileSync(path.join(nested, 'help.md'), '<objective>x</objective>\n');
  fs.mkdirSync(path.join(nested, 'weird.md'));
  assert.deepEqual(wf.listWorkflowMdFiles(nested), ['b.md', 'help.md', 'weird.md']);
  const d = wf.diffWorkflows(nested, path.join(dir, 'oxe', 'workflows'));
  assert.deepEqual(d, { expected: ['b.md', 'help.md', 'weird.md'], actual: [], missing: ['b.md', 'help.md', 'weird.md'], extra: [], ok: false });
  const r = wf.validateWorkflowShapes(nested);
  const files = r.warnings.map((w) => w.detail.file);
  assert.ok(files.includes('help.md') && files.includes('weird.md') && !files.includes('b.md'));
  assert.ok(r.warnings.every((w) => w.code === 'WORKFLOW_SHAPE'));
  assert.deepEqual(wf.validateWorkflowShapes(path.join(dir, 'missing')), { fileResults: [], warnings: [] });
  assert.equal(wf.DEFAULT_MAX_BYTES_SOFT, 45000);
  assert.ok(wf.SUCCESS_CRITERIA_EXCEPTIONS.has('help.md'));
});

test('health semanticsDrift carries the wrapper audit', () => {
  const dir = tmpProject('oxe-sem-health-');
  fs.mkdirSync(path.join(dir, '.oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.oxe', 'STATE.md'), '## Fase atual\n\n`plan_ready`\n');
  fs.mkdirSync(path.join(dir, 'commands', 'oxe'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'commands', 'oxe', 'plan.md'), '---\noxe_workflow_slug: plan\n---\nbody');
  const r = sdk.health.buildHealthReport(dir);
  const s = r.semanticsDrift;
  assert.equal(s.ok, false);
  assert.equal(s.contractVersion, '2.0.0');
  assert.equal(s.audit.ok, false);
  assert.equal(s.audit.mismatchCount, 1);
  assert.equal(s.audit.mismatches[0].slug, 'plan');
  assert.deepEqual(Object.keys(s.audit.targets.commands), ['path', 'checked', 'missing']);
  assert.equal(s.audit.targets.commands.checked, 1);
  assert.ok(r.semanticsWarn.some((w) => /1 wrapper\(s\)/.test(w)));
  // a wrapper rendered from the registry is clean
  const meta = rs.getRuntimeMetadataForSlug('plan');
  const good = `---\n${rs.renderRuntimeMetadataLines(meta).join('\n')}\n---\n\n${rs.buildReasoningContractBlock(meta)}\n`;
  fs.writeFileSync(path.join(dir, 'commands', 'oxe', 'plan.md'), good);
  const r2 = sdk.health.buildHealthReport(dir);
  assert.equal(r2.semanticsDrift.audit.ok, true);
  assert.equal(r2.semanticsDrift.audit.mismatchCount, 0);
});

// Cross-check against 1.4.0's own module (from the upstream mirror, when this
// machine has it) run over OUR registry: same contracts, hashes, metadata.
test('1.4.0 module over our registry gives the same contracts and hashes', (t) => {
  const mirror = process.env.OXE_UPSTREAM_MIRROR || '/work/.mirror/propagno+oxe-build/repo';
  const { spawnSync } = require('child_process');
  const src = spawnSync('git', ['-C', mirror, 'show', '0cc5832fb6dc66bf2921430b606770ee4e13b61f:bin/lib/oxe-runtime-semantics.cjs'], { encoding: 'utf8' });
  if (src.status !== 0) return t.skip('upstream mirror not available');
  const dir = tmpProject('oxe-sem-up-');
  fs.mkdirSync(path.join(dir, 'bin', 'lib'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'oxe', 'workflows', 'references'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'bin', 'lib', 'm.cjs'), src.stdout);
  fs.copyFileSync(rs.CONTRACTS_PATH, path.join(dir, 'oxe', 'workflows', 'references', 'workflow-runtime-contracts.json'));
  const up = require(path.join(dir, 'bin', 'lib', 'm.cjs'));
  assert.equal(up.getAllWorkflowContracts().length, 37);
  for (const c of up.getAllWorkflowContracts()) {
    assert.deepEqual(rs.getWorkflowContract(c.workflow_slug), c);
    assert.equal(rs.computeSemanticsHash(c.workflow_slug), up.computeSemanticsHash(c.workflow_slug));
  }
  assert.deepEqual(rs.getRuntimeMetadataForSlug('ghost'), up.getRuntimeMetadataForSlug('ghost'));
  assert.deepEqual(rs.MODE_DEFAULTS, up.MODE_DEFAULTS);
  for (const raw of ['---\nfoo: bar\nbaz: "q\'\nempty: \n  x: 1\nk:v\n---\n\n body', '\uFEFF---\r\na: b\r\n---\r\nbody\r\n', '---\n---\nx', '---\nx: y']) {
    assert.deepEqual(rs.splitFrontmatter(raw), up.splitFrontmatter(raw));
    assert.deepEqual(rs.parseFrontmatterMap(raw), up.parseFrontmatterMap(raw));
  }
  const r = ['a', 'a', ' b ', '', null];
  const o = ['x_phase_summary', 'c', 'y_project_summary', 'z_session_summary', 'd', 'e', 'f', 'g'];
  assert.deepEqual(rs.buildContextTiers(r, o), up.buildContextTiers(r, o));
});
