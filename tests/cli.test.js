'use strict';
// The `oxe-cc` command as a user runs it: `node bin/oxe-cc.js …` in temp
// folders. Dispatch, the shared flag rules, help/version, language, colour,
// and `init-oxe` (the first command built in Rust).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'oxe-cc.js');
const VERSION = require(path.join(ROOT, 'package.json')).version;

// A neutral environment: no locale, no colour settings, a private HOME.
function baseEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR', 'OXE_NO_BANNER']) delete env[k];
  return { ...env, HOME: tmpProject('oxe-cli-home-'), ...extra };
}

function run(args, { cwd = tmpProject('oxe-cli-'), env = {} } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: baseEnv(env) });
  return { code: r.status, out: r.stdout, err: r.stderr, cwd };
}

// runCli with stdout taken for a terminal, in a child process.
function runAsTty(args, env = {}) {
  const code = `process.exitCode = require(${JSON.stringify(path.join(ROOT, 'lib', 'native.js'))}).native.runCli(${JSON.stringify(args)}, process.cwd(), { ...process.env }, true, ${JSON.stringify(ROOT)});`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: tmpProject('oxe-cli-tty-'), encoding: 'utf8', env: baseEnv(env) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const quiet = { OXE_NO_BANNER: '1' };

test('--help: banner, then the usage text; exit 0', () => {
  const r = run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, new RegExp(`v${VERSION.replace(/\./g, '\\.')}`));
  assert.match(r.out, /Usage:/);
  for (const word of ['doctor', 'status', 'init-oxe', 'runtime', 'azure', 'capabilities', 'uninstall', 'update']) {
    assert.ok(r.out.includes(word), word);
  }
  assert.equal(r.err, '');
  for (const cmd of ['runtime', 'azure', 'dashboard', 'capabilities', 'uninstall', 'update', 'context', 'plan', 'verify']) {
    assert.equal(run([cmd, '--help'], { env: quiet }).code, 0, cmd);
  }
  assert.doesNotMatch(run(['--help'], { env: quiet }).out, /╭/);
  assert.doesNotMatch(run(['--help'], { env: { OXE_NO_BANNER: 'true' } }).out, /╭/);
});

test('-v / --version print one line and no banner', () => {
  for (const args of [['-v'], ['--version'], ['status', '--version'], ['doctor', '-v', '--nope']]) {
    const r = run(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.equal(r.out, `oxe-cc v${VERSION}\n`);
  }
  // only the install-family parser knows -v
  const r = run(['runtime', '-v'], { env: quiet });
  assert.equal(r.code, 1);
  assert.match(r.err, /Unknown option: -v/);
});

test('an unknown flag names itself on stderr, prints the usage, exits 1', () => {
  const r = run(['--not-a-real-flag']);
  assert.equal(r.code, 1);
  assert.match(r.err, /Unknown option: --not-a-real-flag/);
  assert.match(r.out, /Usage:/);
  for (const cmd of ['doctor', 'status', 'init-oxe', 'uninstall', 'update', 'capabilities', 'dashboard', 'context', 'runtime', 'azure', 'plan', 'verify']) {
    const c = run([cmd, '--nope'], { env: quiet });
    assert.equal(c.code, 1, cmd);
    assert.match(c.err, /--nope/, cmd);
  }
  // the first unknown flag wins over a later --help
  assert.equal(run(['init-oxe', '--nope', '--help'], { env: quiet }).code, 1);
  // but help comes first for the other parsers
  assert.equal(run(['runtime', '--help', '--nope'], { env: quiet }).code, 0);
});

test('conflicting flags: message on stderr, exit 1, even with --help', () => {
  const cases = [
    [['-g', '-l'], /--global-cli/],
    [['--global', '--local', '--help'], /--global and --local/],
    [['--ide-global', '--ide-local'], /--ide-global/],
    [['--all-agents', '--config-dir', '/tmp/x', '--oxe-only'], /--config-dir/],
    [['uninstall', '--ide-local', '--config-dir', '/tmp/x'], /--config-dir/],
    [['update', '--check', '--if-newer'], /--check/],
  ];
  for (const [args, re] of cases) {
    const r = run(args, { env: quiet });
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, re, args.join(' '));
  }
});

test('--dir rules: last-argument --dir is unknown, values are verbatim, the positional wins', () => {
  let r = run(['init-oxe', '--dir'], { env: quiet });
  assert.equal(r.code, 1);
  assert.match(r.err, /Unknown option: --dir/);

  const cwd = tmpProject('oxe-cli-dir-');
  r = run(['init-oxe', '--dry-run', '--dir', '--force'], { cwd, env: quiet });
  assert.equal(r.code, 0);
  assert.ok(r.out.includes(path.join(cwd, '--force')), 'the value after --dir is taken as is');

  fs.mkdirSync(path.join(cwd, 'a'));
  fs.mkdirSync(path.join(cwd, 'b'));
  r = run(['init-oxe', '--dir', 'a', 'b'], { cwd, env: quiet });
  assert.equal(r.code, 0, r.err);
  assert.ok(fs.existsSync(path.join(cwd, 'b', '.oxe', 'STATE.md')));
  assert.ok(!fs.existsSync(path.join(cwd, 'a', '.oxe')));
});

test('language: English by default, Brazilian Portuguese from LANG/LC_ALL or --lang', () => {
  assert.match(run(['--nope'], { env: quiet }).err, /Unknown option/);
  assert.match(run(['--nope'], { env: { ...quiet, LANG: 'pt_BR.UTF-8' } }).err, /Opção desconhecida/);
  assert.match(run(['--nope'], { env: { ...quiet, LC_ALL: 'pt_PT.UTF-8', LANG: 'en_US.UTF-8' } }).err, /Opção desconhecida/);
  assert.match(run(['--nope'], { env: { ...quiet, LC_ALL: 'C', LANG: 'pt_BR.UTF-8' } }).err, /Unknown option/);
  assert.match(run(['--nope', '--lang', 'pt-BR'], { env: quiet }).err, /Opção desconhecida/);
  assert.match(run(['--nope', '--lang=en'], { env: { ...quiet, LANG: 'pt_BR' } }).err, /Unknown option/);
  assert.match(run(['--help', '--lang', 'pt-BR'], { env: quiet }).out, /Uso:/);
  const missing = path.join(tmpProject('oxe-cli-pt-'), 'nope');
  assert.match(run(['init-oxe', missing], { env: { ...quiet, LANG: 'pt_BR.UTF-8' } }).err, /Diretório não encontrado/);
});

test('colour only on a terminal, never with NO_COLOR or FORCE_COLOR=0', () => {
  assert.match(runAsTty(['--help']).out, /\x1b\[/);
  assert.doesNotMatch(runAsTty(['--help'], { NO_COLOR: '1' }).out, /\x1b/);
  assert.doesNotMatch(runAsTty(['--help'], { FORCE_COLOR: '0' }).out, /\x1b/);
  // not a terminal: no escape at all, error lines included
  const r = run(['init-oxe', path.join(tmpProject('oxe-cli-nc-'), 'missing')]);
  assert.doesNotMatch(r.out + r.err, /\x1b/);
  const ok = run(['init-oxe']);
  assert.equal(ok.code, 0);
  assert.doesNotMatch(ok.out, /\x1b/);
});

test('init-oxe creates the .oxe/ tree, .gitignore rule and exits 0', () => {
  const r = run(['init-oxe'], { env: quiet });
  assert.equal(r.code, 0, r.err);
  const oxe = path.join(r.cwd, '.oxe');
  for (const f of ['STATE.md', 'config.json', 'global/LESSONS.md', 'global/MILESTONES.md', 'EXECUTION-RUNTIME.md', 'ACTIVE-RUN.json', 'OXE-EVENTS.ndjson', 'CHECKPOINTS.md', 'CAPABILITIES.md', 'INVESTIGATIONS.md', 'plugins/README.md']) {
    assert.ok(fs.statSync(path.join(oxe, f)).isFile(), f);
  }
  for (const d of ['codebase', 'capabilities', 'investigations', 'dashboard', 'context/packs', 'context/summaries', 'install', 'workstreams', 'sessions', 'global/milestones', 'memory', 'runs']) {
    assert.ok(fs.statSync(path.join(oxe, d)).isDirectory(), d);
  }
  const cfg = JSON.parse(fs.readFileSync(path.join(oxe, 'config.json'), 'utf8'));
  assert.equal(cfg.plan_confidence_threshold, 70);
  assert.equal(cfg.install.repo_layout, 'nested');
  const run0 = JSON.parse(fs.readFileSync(path.join(oxe, 'ACTIVE-RUN.json'), 'utf8'));
  assert.equal(run0.run_id, 'oxe-run-YYYYMMDD-001');
  assert.equal(fs.readFileSync(path.join(oxe, 'OXE-EVENTS.ndjson'), 'utf8'), '');
  assert.match(fs.readFileSync(path.join(r.cwd, '.gitignore'), 'utf8'), /^\.oxe\/\s*$/m);
  assert.match(r.out, /init {2}.*STATE\.md/);
  assert.match(r.out, /init-oxe finished/);
  // the fresh STATE.md reads as an initial project
  const sdk = require(ROOT);
  const state = sdk.parseState(fs.readFileSync(path.join(oxe, 'STATE.md'), 'utf8'));
  assert.equal(state.phase, 'initial');
  assert.equal(state.runId, null);
});

test('init-oxe keeps existing files unless --force, and never duplicates the .gitignore rule', () => {
  const cwd = tmpProject('oxe-cli-again-');
  fs.writeFileSync(path.join(cwd, '.gitignore'), 'node_modules');
  assert.equal(run(['init-oxe'], { cwd, env: quiet }).code, 0);
  assert.equal(fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8').match(/^\.oxe\/$/gm).length, 1);
  assert.ok(fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8').startsWith('node_modules\n'));
  const state = path.join(cwd, '.oxe', 'STATE.md');
  fs.writeFileSync(state, '## Fase atual\n\n`executing`\n');
  fs.writeFileSync(path.join(cwd, '.oxe', 'global', 'LESSONS.md'), 'mine');
  const again = run(['init-oxe'], { cwd, env: quiet });
  assert.equal(again.code, 0);
  assert.match(again.out, /skipped .*STATE\.md/);
  assert.doesNotMatch(again.out, /gitignore/);
  assert.equal(fs.readFileSync(state, 'utf8'), '## Fase atual\n\n`executing`\n');
  assert.equal(fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8').match(/^\.oxe\/$/gm).length, 1);
  assert.equal(run(['init-oxe', '--force'], { cwd, env: quiet }).code, 0);
  assert.notEqual(fs.readFileSync(state, 'utf8'), '## Fase atual\n\n`executing`\n');
  assert.equal(fs.readFileSync(path.join(cwd, '.oxe', 'global', 'LESSONS.md'), 'utf8'), 'mine', '--force leaves the other files alone');
  const pre = path.join(tmpProject('oxe-cli-pre-'));
  fs.writeFileSync(path.join(pre, '.gitignore'), '# x\n.oxe\n');
  assert.equal(run(['init-oxe', pre], { env: quiet }).code, 0);
  assert.equal(fs.readFileSync(path.join(pre, '.gitignore'), 'utf8'), '# x\n.oxe\n');
});

test('init-oxe --dry-run writes nothing; a missing folder is an error only without it', () => {
  const cwd = tmpProject('oxe-cli-dry-');
  const r = run(['init-oxe', '--dry-run'], { cwd, env: quiet });
  assert.equal(r.code, 0);
  assert.deepEqual(fs.readdirSync(cwd), []);
  assert.match(r.out, /dry-run/i);
  const missing = path.join(cwd, 'missing');
  const m = run(['init-oxe', missing], { env: quiet });
  assert.equal(m.code, 1);
  assert.match(m.err, /Directory not found/);
  assert.ok(m.err.includes(missing));
  assert.equal(run(['init-oxe', '--dry-run', missing], { env: quiet }).code, 0);
  assert.ok(!fs.existsSync(missing));
});

test('folder and mode errors fail with a clear message and exit 1', () => {
  // an unknown word is the install target folder
  assert.match(run(['foo'], { env: quiet }).err, /Directory not found: .*foo/);
  // folder checks come first where 1.4.0 has them
  const gone = path.join(tmpProject('oxe-cli-gone-'), 'x');
  assert.match(run(['doctor', gone], { env: quiet }).err, /Directory not found/);
  assert.match(run(['plan'], { env: quiet }).err, /plan --visual/);
  // status --json keeps stdout free of the banner: one JSON line
  const s = run(['status', '--json']);
  assert.equal(s.out.trim().split('\n').length, 1);
  assert.equal(JSON.parse(s.out).oxeStatusSchema, 5);
});
