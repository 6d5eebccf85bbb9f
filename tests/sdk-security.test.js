'use strict';
// SDK namespace `security`: path safety, secret detection, permission rules.
// The built-in pattern lists are matched in Rust; the exported DEFAULT_*
// RegExps carry 1.4.0's sources, so feeding those RegExps back as custom
// lists (matched by JS) must give the same answers as the defaults.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { security } = require('..');

function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'oxe-sdk-sec-'));
}

const NAMES = [
  '.env', '.env.local', '.env.local.bak', 'prod.ENV', 'env', 'secrets.yml', 'my-secret.json',
  'secret.txt', 'credentials.json', 'credential.yaml', 'server.pem', 'tls.KEY', 'id_rsa',
  'id_ed25519.pub', 'id_rsa.old', 'cert.pfx', 'a.p12', 'serviceAccountKey.json',
  'firebase-adminsdk-x1.json', 'firebase-adminsdk.jsonx', 'aws-credentials', '.npmrc', '.netrc',
  '.htpasswd', 'vault-token', 'Vault_Token.txt', 'app.ts', 'readme.md', 'keys.json',
];

const LINES = [
  'password = "hunter2hunter2"', 'passwd:abcdefgh', 'API_KEY= short', 'apikey: "12345678"',
  "private-key = 'abcdefghij'", 'token:\t\tabc"defghij', '-----BEGIN RSA PRIVATE KEY-----',
  'begin  pgp   private key', 'BEGIN DSA PRIVATE KEY', 'AKIAABCDEFGHIJKLMNOP', 'ASIAabcdefghijklmnop',
  'x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'eyJ.eyJa.b', `ghp_${'A1'.repeat(18)}`, `ghs_${'b'.repeat(35)}`, `glpat-${'x-_y'.repeat(5)}`,
  'nothing to see here', '',
];

const RELS = ['node_modules/pkg', 'a/.git/config', 'mydist/x', 'dist', 'src\\build\\x', 'coverage/', '.cache/a', 'src/app.ts'];

test('DEFAULT_* lists are RegExps with 1.4.0 sizes', () => {
  assert.equal(security.DEFAULT_SECRET_PATTERNS.length, 15);
  assert.equal(security.DEFAULT_SECRET_CONTENT_PATTERNS.length, 7);
  assert.equal(security.DEFAULT_DENIED_PATH_PATTERNS.length, 6);
  for (const re of [
    ...security.DEFAULT_SECRET_PATTERNS,
    ...security.DEFAULT_SECRET_CONTENT_PATTERNS,
    ...security.DEFAULT_DENIED_PATH_PATTERNS,
  ]) {
    assert.ok(re instanceof RegExp);
  }
  assert.equal(String(security.DEFAULT_DENIED_PATH_PATTERNS[0]), '/node_modules[/\\\\]/');
});

test('built-in secret-name matching agrees with the exported RegExps', () => {
  const dir = tmpDir();
  for (const n of NAMES) fs.writeFileSync(path.join(dir, n), 'x');
  const builtin = security.scanDirForSecretFiles(dir);
  const viaJs = security.scanDirForSecretFiles(dir, { secretPatterns: security.DEFAULT_SECRET_PATTERNS });
  assert.deepEqual(builtin, viaJs);
  const expected = NAMES.filter((n) => security.DEFAULT_SECRET_PATTERNS.some((re) => re.test(n))).sort();
  assert.deepEqual(builtin, expected);
  assert.ok(builtin.includes('.env') && !builtin.includes('app.ts'));
});

test('built-in content matching agrees with the exported RegExps', () => {
  const dir = tmpDir();
  const file = path.join(dir, 'notes.txt');
  fs.writeFileSync(file, LINES.join('\n'));
  const builtin = security.scanFileForSecrets(file);
  const viaJs = security.scanFileForSecrets(file, { contentPatterns: security.DEFAULT_SECRET_CONTENT_PATTERNS });
  assert.deepEqual(builtin, viaJs);
  const expected = [];
  LINES.forEach((l, i) => {
    const re = security.DEFAULT_SECRET_CONTENT_PATTERNS.find((r) => r.test(l));
    if (re) expected.push({ line: i + 1, pattern: String(re), preview: l.trim().slice(0, 80) + (l.trim().length > 80 ? '…' : '') });
  });
  assert.deepEqual(builtin.matches, expected);
  assert.equal(builtin.hasSecrets, true);
});

test('denied-path matching agrees with the exported RegExps', () => {
  const root = tmpDir();
  for (const rel of RELS) {
    const own = security.checkPathSafety(rel, root, { secretPatterns: [] });
    const viaJs = security.checkPathSafety(rel, root, {
      secretPatterns: [],
      deniedPatterns: security.DEFAULT_DENIED_PATH_PATTERNS,
    });
    assert.deepEqual(own, viaJs, rel);
  }
  assert.equal(security.checkPathSafety('mydist/x', root).safe, false);
  assert.equal(security.checkPathSafety('src/app.ts', root).safe, true);
});

test('checkPathSafety: containment is real, not a string prefix (compat fix)', () => {
  const base = tmpDir();
  const root = path.join(base, 'proj');
  const sibling = path.join(base, 'proj-evil', 'x.ts');
  const r = security.checkPathSafety(sibling, root);
  assert.equal(r.safe, false);
  assert.match(r.reason, /traversal/);
  assert.equal(security.checkPathSafety(path.join(root, 'src', 'a.ts'), root).safe, true);
  assert.equal(security.checkPathSafety(root, root).safe, true);
  // a relative root resolves against the working directory
  assert.equal(security.checkPathSafety('src/a.ts', '.').safe, true);
  assert.equal(security.checkPathSafety('../a.ts', '.').safe, false);
  assert.throws(() => security.checkPathSafety(42, root), { code: 'OXE_E_ARG' });
});

test('checkPathSafety: denied before secret, custom lists and their labels', () => {
  const root = tmpDir();
  const r = security.checkPathSafety('build/.env', root);
  assert.match(r.reason, /build\[/);
  const custom = security.checkPathSafety('src/app.ts', root, { deniedPatterns: [/^src\//] });
  assert.deepEqual(custom, { safe: false, reason: custom.reason });
  assert.ok(custom.reason.includes('/^src\\//'));
  assert.throws(() => security.checkPathSafety('a', root, { secretPatterns: ['not-a-regexp'] }), { code: 'OXE_E_ARG' });
  fs.writeFileSync(path.join(root, 'a.ts'), 'x');
  fs.writeFileSync(path.join(root, 'b.ts'), 'x');
  const throwing = { test() { throw new Error('boom'); }, toString: () => '/boom/' };
  assert.throws(() => security.scanDirForSecretFiles(root, { secretPatterns: [throwing] }), (e) => {
    return e.code === 'OXE_E_ARG' && /boom/.test(e.message);
  });
  // a stateful (global) RegExp is called as 1.4.0 calls it: .test on the caller's object
  const g = /\.ts$/g;
  assert.deepEqual(security.scanDirForSecretFiles(root, { secretPatterns: [g] }), ['a.ts']);
});

test('checkPathSafety reason in Portuguese under a pt locale', () => {
  const saved = process.env.LC_ALL;
  process.env.LC_ALL = 'pt_BR.UTF-8';
  try {
    const r = security.checkPathSafety('.env', tmpDir());
    assert.ok(r.reason.includes('segredo'));
  } finally {
    if (saved === undefined) delete process.env.LC_ALL;
    else process.env.LC_ALL = saved;
  }
});

test('scanFileForSecrets: missing file, previews cut at 80 UTF-16 units', () => {
  assert.deepEqual(security.scanFileForSecrets('/nonexistent-oxe-file.txt'), { hasSecrets: false, matches: [] });
  const file = path.join(tmpDir(), 'long.txt');
  const line = `   secret=${'z'.repeat(120)}   `;
  fs.writeFileSync(file, `ok\r\n${line}\r\n`);
  const r = security.scanFileForSecrets(file);
  assert.equal(r.matches.length, 1);
  assert.equal(r.matches[0].line, 2);
  assert.equal(r.matches[0].preview, `${line.trim().slice(0, 80)}…`);
});

test('scanDirForSecretFiles: depth, dot folders, node_modules, relative paths', () => {
  const dir = tmpDir();
  const put = (rel) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), 'x');
  };
  put('config/secrets.json');
  put('.hidden/id_rsa');
  put('a/.hidden/id_rsa');
  put('node_modules/.env');
  put('a/b/c/d/e/deep.pem');
  put('.env');
  assert.deepEqual(security.scanDirForSecretFiles(dir), ['.env', path.join('.hidden', 'id_rsa'), path.join('config', 'secrets.json')]);
  assert.deepEqual(security.scanDirForSecretFiles(dir, { maxDepth: 0 }), ['.env']);
  assert.ok(security.scanDirForSecretFiles(dir, { maxDepth: 10 }).includes('a/b/c/d/e/deep.pem'));
  assert.deepEqual(security.scanDirForSecretFiles(path.join(dir, 'missing')), []);
});

test('validatePlanPaths keeps the caller paths in issues', () => {
  const root = path.join(tmpDir(), 'project');
  const bad = path.join(root, '..', '..', 'etc', 'passwd');
  const r = security.validatePlanPaths([path.join(root, 'src', 'a.ts'), bad, 'node_modules/x/y.js'], root);
  assert.equal(r.ok, false);
  assert.deepEqual(r.issues.map((i) => i.path), [bad, 'node_modules/x/y.js']);
  assert.deepEqual(security.validatePlanPaths([], root), { ok: true, issues: [] });
});

test('globToRegex returns a case-insensitive anchored RegExp', () => {
  const re = security.globToRegex('src/**/*.ts');
  assert.ok(re instanceof RegExp);
  assert.equal(re.flags, 'i');
  assert.ok(re.test('SRC/a/b/file.TS') && re.test('src/file.ts') && !re.test('lib/a.ts'));
  assert.ok(security.globToRegex('*.env').test('production.env'));
  assert.ok(!security.globToRegex('*.env').test('.env.local'));
  assert.ok(security.globToRegex('a(b)+[c]').test('A(B)+[C]'));
});

test('Rust glob matching agrees with globToRegex', () => {
  const globs = ['*.env', '**/.env*', 'scripts/**', 'src/?.ts', 'src/**/*.ts', '**', '***/x', 'a.b', '*'];
  const paths = ['.env', 'x/.env.prod', 'scripts/a/b.sh', 'src/a.ts', 'src/ab.ts', 'src/a/b/c.ts', 'a/b/x', 'aXb', 'a.b', 'deep/x'];
  for (const g of globs) {
    const re = security.globToRegex(g);
    for (const p of paths) {
      const rule = [{ pattern: g, action: 'deny' }];
      const own = security.checkFilePermission(p, rule).action === 'deny';
      const js = re.test(p) || re.test(p.split('/').pop());
      assert.equal(own, js, `${g} vs ${p}`);
    }
  }
});

test('checkFilePermission: first match, scopes, rule identity, odd inputs', () => {
  const rules = [
    { pattern: '*.env', action: 'deny', scope: 'all' },
    { pattern: 'scripts/**', action: 'ask', scope: 'execute' },
    { pattern: 'src/**', action: 'allow' },
  ];
  const r = security.checkFilePermission('.env', rules, 'execute');
  assert.equal(r.action, 'deny');
  assert.equal(r.rule, rules[0]);
  assert.equal(security.checkFilePermission('scripts\\deploy.sh', rules).action, 'ask');
  assert.deepEqual(security.checkFilePermission('scripts/deploy.sh', rules, 'apply'), { action: 'allow', rule: null });
  assert.deepEqual(security.checkFilePermission('x', null), { action: 'allow', rule: null });
  assert.equal(security.checkFilePermission('x', [{ pattern: 'x' }]).action, 'allow');
  assert.equal(security.checkFilePermission('x', [{ pattern: 'x', action: 3 }]).action, '3');
  assert.throws(() => security.checkFilePermission('x', [{ pattern: 5, action: 'deny' }]), { code: 'OXE_E_ARG' });
});

test('checkPermissions sorts files into denied / needsApproval / allowed', () => {
  const rules = [
    { pattern: '*.env', action: 'deny' },
    { pattern: 'scripts/**', action: 'ask' },
    { pattern: 'docs/**', action: 'other' },
  ];
  assert.deepEqual(security.checkPermissions(['.env', 'scripts/run.sh', 'src/index.ts', 'docs/a.md'], rules, 'execute'), {
    denied: ['.env'],
    needsApproval: ['scripts/run.sh'],
    allowed: ['src/index.ts', 'docs/a.md'],
  });
  assert.deepEqual(security.checkPermissions([], rules), { denied: [], needsApproval: [], allowed: [] });
  assert.deepEqual(security.checkPermissions(['.env'], []), { denied: [], needsApproval: [], allowed: ['.env'] });
});

// Inputs where a careless translation of the JS regexes to Rust would
// differ: Unicode case folding (ſ, Kelvin sign), Rust's vs JS's `\s` (U+0085,
// U+FEFF), JS's four line terminators, UTF-16 counting of astral
// characters, near misses and long lines.
const TRICKY_NAMES = [
  '\u017fecrets.json', 'tls.\u212aey', 'SERVICEACCOUNTKEY.JSON', '.ENV.PROD_1', '.env.\u00e9', '.env.\u017f',
  '.env\n', 'firebase-adminsdk\u0085.json', 'firebase-adminsdk\u2028.json', 'firebase-adminsdk\r.json',
  'FIREBASE-ADMINSDK😀.JSON', 'id_rsa.PUB', 'id-rsa', 'vault.token', 'VAULT-TOKEN', 'credentials.jsonl',
  'x.P12', 'a.pem.bak', '_netrc', 'ht-passwd', 'aws_credentials', 'é'.repeat(5000) + '.key',
];

const TRICKY_LINES = [
  'secret=😀😀😀😀', 'secret=😀😀😀', 'password\u0085=abcdefgh1', 'token\ufeff=\u3000abcdefgh',
  'pa\u017f\u017fword=abcdefghij', 'token="abc def gh"', 'api__key=abcdefghij', 'x accesskey=é-é-é-é-',
  'begin\tpgp  private\u3000key', 'BEGIN\u0085RSA PRIVATE KEY', 'BEGIN RSA PRIVATE \u212aEY', 'BEGINRSA PRIVATE KEY',
  'akiaABCDEFGHIJKLMNOP', 'AKIAABCDEFGHIJKLMNO', 'xASIA0123456789ABCDEF', 'eyJa.eyJb.c', 'eyJa.eyJb.é',
  `ghp_${'aB3'.repeat(11)}aBé`, `GHP_${'aB3'.repeat(12)}`, `glpat-${'a'.repeat(19)}`, `glpat_${'a'.repeat(20)}`,
  'carriage\r', 'sep\u2028token: abcdefghij', `${'a '.repeat(50000)}password=${'z'.repeat(50000)}`,
  'eyJ'.repeat(30000),
];

test('tricky secret names: Rust defaults agree with the exported RegExps', () => {
  const root = tmpDir();
  for (const name of TRICKY_NAMES) {
    const own = security.checkPathSafety(name, root, { deniedPatterns: [] });
    const viaJs = security.checkPathSafety(name, root, {
      deniedPatterns: [],
      secretPatterns: security.DEFAULT_SECRET_PATTERNS,
    });
    assert.deepEqual(own, viaJs, JSON.stringify(name));
    const expected = security.DEFAULT_SECRET_PATTERNS.find((re) => re.test(name));
    assert.equal(own.safe, expected === undefined, JSON.stringify(name));
    if (expected) assert.ok(own.reason.includes(String(expected)), JSON.stringify(name));
  }
  // the cases where Rust's own Unicode rules would have said yes
  assert.equal(security.checkPathSafety('\u017fecrets.json', root).safe, true);
  assert.equal(security.checkPathSafety('tls.\u212aey', root).safe, true);
});

test('tricky content lines: Rust defaults agree with the exported RegExps', () => {
  const file = path.join(tmpDir(), 'tricky.txt');
  fs.writeFileSync(file, TRICKY_LINES.join('\n'));
  const own = security.scanFileForSecrets(file);
  const viaJs = security.scanFileForSecrets(file, { contentPatterns: security.DEFAULT_SECRET_CONTENT_PATTERNS });
  assert.deepEqual(own, viaJs);
  const hits = TRICKY_LINES.map((l) => security.DEFAULT_SECRET_CONTENT_PATTERNS.findIndex((r) => r.test(l)));
  assert.deepEqual(own.matches.map((m) => m.line), hits.flatMap((h, i) => (h >= 0 ? [i + 1] : [])));
  // astral characters count as two UTF-16 units, as in JS
  assert.ok(own.matches.some((m) => m.line === 1) && !own.matches.some((m) => m.line === 2));
  // U+0085 is not a JS space; U+FEFF and U+3000 are
  assert.ok(!own.matches.some((m) => m.line === 3) && own.matches.some((m) => m.line === 4));
});

test('tricky denied paths: Rust defaults agree with the exported RegExps', () => {
  const root = tmpDir();
  for (const rel of ['NODE_MODULES/x', '.gitignore/x', 'a/dist\\b', 'coverage\u2028/x', 'xbuild/y', 'd\u0130st/x']) {
    const own = security.checkPathSafety(rel, root, { secretPatterns: [] });
    const viaJs = security.checkPathSafety(rel, root, {
      secretPatterns: [],
      deniedPatterns: security.DEFAULT_DENIED_PATH_PATTERNS,
    });
    assert.deepEqual(own, viaJs, rel);
  }
});

test('Rust glob matching agrees with globToRegex on Unicode, case and odd globs', () => {
  const globs = ['é.ts', 'σ*', 's.ts', 'k', '\u212a', '?.ts', '??.ts', '*.ts', '😀/*', 'a/**', 'a/*', '**/x', 'a\u0000b', 'a\u0000/b', '***/x', 'a(b)+[c]{d}|^$', 'Ǆ*', 'ß', 'İ*'];
  const paths = ['É.TS', 'ς', 'Σx', '\u017f.ts', 'K', '\u212a', '😀.ts', 'x.ts', '😀/a', '😁/a', 'a/x\ny', '\u2028/x', 'a/c/b', 'a/b', 'ax/b', 'a/b/x', 'x', 'A(B)+[C]{D}|^$', 'ǆz', 'ǅ', 'SS', 'ẞ', 'i̇x', 'ix'];
  for (const g of globs) {
    const re = security.globToRegex(g);
    for (const p of paths) {
      const own = security.checkFilePermission(p, [{ pattern: g, action: 'deny' }]).action === 'deny';
      const js = re.test(p.replace(/\\/g, '/')) || re.test(p.replace(/\\/g, '/').split('/').pop());
      assert.equal(own, js, `${JSON.stringify(g)} vs ${JSON.stringify(p)}`);
    }
  }
});
