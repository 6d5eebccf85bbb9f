'use strict';
// `oxe-cc azure …` and the SDK's `azure` namespace against a fake Azure CLI
// (tests/fixtures/fake-az.js behind an `az` shell script placed first on
// PATH): every command, the files under .oxe/cloud/azure, the safety rules
// of mutations, and each failure of `az` (missing, signed out, non-zero
// exit, garbage output, timeout) with its OXE_E_AZURE_* code.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { tmpProject } = require('./helpers.js');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'oxe-cc.js');
const FAKE = path.join(__dirname, 'fixtures', 'fake-az.js');
const sdk = require(ROOT);
const azure = sdk.azure;

const RESOURCES = [
  { id: '/subscriptions/s1/resourceGroups/rg-msg/providers/Microsoft.ServiceBus/namespaces/bus-orders', name: 'bus-orders', type: 'Microsoft.ServiceBus/namespaces', resourceGroup: 'rg-msg', location: 'westeurope', subscriptionId: 's1', tags: { team: 'payments' }, sku: 'Standard' },
  { id: '/subscriptions/s1/resourceGroups/rg-msg/providers/Microsoft.EventGrid/topics/grid-events', name: 'grid-events', type: 'Microsoft.EventGrid/topics', resourceGroup: 'rg-msg', location: 'westeurope', subscriptionId: 's1', tags: {}, sku: 'Basic' },
  { id: '/subscriptions/s1/resourceGroups/rg-db/providers/Microsoft.Sql/servers/db-main', name: 'db-main', type: 'Microsoft.Sql/servers', resourceGroup: 'rg-db', location: 'northeurope', subscriptionId: 's1', tags: {}, sku: '' },
  { id: '/subscriptions/s1/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-front', name: 'app-front', type: 'Microsoft.Web/sites', resourceGroup: 'rg-web', location: 'westeurope', subscriptionId: 's1', tags: {}, sku: '' },
];

// A fresh fake `az`: its own folder (first on PATH), state file and call log.
function fakeAz(overrides = {}) {
  const dir = tmpProject('oxe-fake-az-');
  const stateFile = path.join(dir, 'state.json');
  const log = path.join(dir, 'calls.log');
  const state = {
    version: '2.64.0',
    loggedIn: true,
    user: 'ops@example.test',
    tenant: 'tenant-1',
    subscriptions: [{ id: 's1', name: 'Prod One' }, { id: 's2', name: 'Dev Two' }],
    current: 's1',
    graphExtension: true,
    resources: RESOURCES,
    created: [],
    ...overrides,
  };
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const script = path.join(dir, 'az');
  fs.writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
  fs.chmodSync(script, 0o755);
  return {
    dir,
    env: { PATH: `${dir}${path.delimiter}${path.dirname(process.execPath)}`, FAKE_AZ_STATE: stateFile, FAKE_AZ_LOG: log },
    state: () => JSON.parse(fs.readFileSync(stateFile, 'utf8')),
    set: (patch) => fs.writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(stateFile, 'utf8')), ...patch })),
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
  };
}

const NO_AZ = { PATH: path.dirname(process.execPath) };

function baseEnv(extra) {
  const env = { ...process.env };
  for (const k of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR', 'OXE_AZ_TIMEOUT_MS', 'AZURE_SQL_ADMIN_PASSWORD']) delete env[k];
  return { ...env, HOME: tmpProject('oxe-az-home-'), OXE_NO_BANNER: '1', ...extra };
}

function cli(args, { dir = tmpProject('oxe-az-proj-'), env = {} } = {}) {
  const r = spawnSync(process.execPath, [CLI, 'azure', ...args, '--dir', dir], { cwd: dir, encoding: 'utf8', env: baseEnv(env) });
  return { code: r.status, out: r.stdout, err: r.stderr, dir };
}

const azDir = (dir) => path.join(dir, '.oxe', 'cloud', 'azure');
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const events = (dir) =>
  fs.readFileSync(path.join(dir, '.oxe', 'OXE-EVENTS.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const opFiles = (dir) => (fs.existsSync(path.join(azDir(dir), 'operations')) ? fs.readdirSync(path.join(azDir(dir), 'operations')).filter((n) => n.endsWith('.json')) : []);

// Runs `fn` with process.env pointing the SDK at `fake` (or at no az).
function withEnv(extra, fn) {
  const saved = {};
  for (const k of Object.keys(extra)) {
    saved[k] = process.env[k];
    process.env[k] = extra[k];
  }
  try {
    return fn();
  } finally {
    for (const k of Object.keys(extra)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

function codeOf(fn) {
  try {
    fn();
  } catch (e) {
    return { code: e.code, message: e.message };
  }
  assert.fail('expected a throw');
}

// ---------------------------------------------------------------- CLI

test('status and doctor without az: status exits 0 with its labels, doctor exits 1 and says why', () => {
  const st = cli(['status'], { env: NO_AZ });
  assert.equal(st.code, 0, st.err);
  assert.match(st.out, /CLI:\s+not installed/);
  assert.match(st.out, /Login:\s+none/);
  assert.match(st.out, /Sub:\s+—/);
  assert.ok(fs.existsSync(path.join(st.dir, '.oxe', 'capabilities', 'azure-sql-admin', 'CAPABILITY.md')));
  assert.match(fs.readFileSync(path.join(st.dir, '.oxe', 'CAPABILITIES.md'), 'utf8'), /azure-resource-graph/);
  // status never writes the auth files
  assert.equal(fs.existsSync(path.join(azDir(st.dir), 'auth-status.json')), false);

  const doc = cli(['doctor'], { env: NO_AZ });
  assert.equal(doc.code, 1);
  assert.match(doc.out, /WARNING Azure CLI not installed\./);
  assert.equal(readJson(path.join(azDir(doc.dir), 'auth-status.json')).installed, false);
  // doctor is the default scope
  assert.equal(cli([], { env: NO_AZ }).code, 1);

  const pt = cli(['doctor'], { env: { ...NO_AZ, LANG: 'pt_BR.UTF-8' } });
  assert.equal(pt.code, 1);
  assert.match(pt.out, /AVISO Azure CLI não instalada/);
  assert.match(cli(['status', '--lang', 'pt-BR'], { env: NO_AZ }).out, /Inventário:\s+ausente/);
});

test('doctor with a signed-in az: healthy only after sync; exit 0 with a subscription', () => {
  const fake = fakeAz();
  const first = cli(['doctor'], { env: fake.env });
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /Azure CLI 2\.64\.0/);
  assert.match(first.out, /WARNING No Azure inventory yet/);
  const synced = cli(['sync'], { dir: first.dir, env: fake.env });
  assert.equal(synced.code, 0, synced.err);
  const again = cli(['doctor'], { dir: first.dir, env: fake.env });
  assert.equal(again.code, 0);
  assert.match(again.out, /✓ Azure context is healthy\./);
  assert.deepEqual(readJson(path.join(azDir(first.dir), 'auth-status.json')).warnings, []);
});

test('auth whoami writes profile.json and auth-status.json and prints the account', () => {
  const fake = fakeAz();
  const r = cli(['auth', 'whoami'], { env: fake.env });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Account: ops@example\.test/);
  assert.match(r.out, /Subscription: Prod One/);
  assert.match(r.out, /Resource Graph: enabled/);
  const profile = readJson(path.join(azDir(r.dir), 'profile.json'));
  assert.deepEqual(Object.keys(profile), ['cloud', 'tenant_id', 'subscription_id', 'subscription_name', 'auth_mode', 'default_resource_group', 'preferred_locations', 'last_auth_check', 'resource_graph_enabled']);
  assert.equal(profile.subscription_id, 's1');
  assert.equal(profile.auth_mode, 'user_mfa');
  const auth = readJson(path.join(azDir(r.dir), 'auth-status.json'));
  assert.equal(auth.login_active, true);
  assert.equal(auth.user, 'ops@example.test');
  // `auth` alone is whoami; every call is an argument list, run in the project
  assert.equal(cli(['auth'], { dir: r.dir, env: fake.env }).code, 0);
  assert.deepEqual(fake.calls()[0], ['version', '--output', 'json']);
});

test('auth login passes --tenant only when given, and records the login events', () => {
  const fake = fakeAz({ loggedIn: false });
  const r = cli(['auth', 'login'], { env: fake.env });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Azure login complete\./);
  const login = fake.calls().find((c) => c[0] === 'login');
  assert.deepEqual(login, ['login', '--output', 'json']);
  const types = events(r.dir).map((e) => e.type);
  assert.deepEqual(types, ['azure_login_started', 'azure_login_succeeded']);

  const fake2 = fakeAz({ loggedIn: false });
  const r2 = cli(['auth', 'login', '--tenant', 'contoso.onmicrosoft.com'], { env: fake2.env });
  assert.equal(r2.code, 0, r2.err);
  assert.deepEqual(fake2.calls().find((c) => c[0] === 'login'), ['login', '--output', 'json', '--tenant', 'contoso.onmicrosoft.com']);
});

test('auth set-subscription: needs --subscription, names the failing az command, selects by id or name', () => {
  const fake = fakeAz();
  const none = cli(['auth', 'set-subscription'], { env: fake.env });
  assert.equal(none.code, 1);
  assert.match(none.err, /--subscription/);
  const bad = cli(['auth', 'set-subscription', '--subscription', 'nope'], { env: fake.env });
  assert.equal(bad.code, 1);
  assert.match(bad.err, /`az account set --subscription nope` failed \(exit 1\): ERROR: The subscription 'nope'/);
  const ok = cli(['auth', 'set-subscription', '--subscription', 'Dev Two'], { env: fake.env });
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /Subscription selected\.\n.*Subscription: Dev Two/);
  assert.equal(readJson(path.join(azDir(ok.dir), 'profile.json')).subscription_id, 's2');
  const ev = events(ok.dir).find((e) => e.type === 'azure_subscription_selected');
  assert.deepEqual(ev.payload, { subscription: 's2', subscription_name: 'Dev Two' });
  const unknown = cli(['auth', 'rotate'], { env: fake.env });
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /Unknown azure auth action: rotate/);
});

test('sync writes the inventory and its Markdown views; --diff reports what changed', () => {
  const fake = fakeAz({ graphExtension: false });
  const r = cli(['sync'], { env: fake.env });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Summary: total=4 servicebus=1 eventgrid=1 sql=1/);
  const empty = fakeAz({ resources: [] });
  assert.match(cli(['sync'], { env: empty.env }).out, /Summary: total=0 servicebus=0 eventgrid=0 sql=0\n/);
  // the missing resource-graph extension was added first
  assert.ok(fake.calls().some((c) => c.join(' ') === 'extension add --name resource-graph --upgrade --only-show-errors'));
  const graph = fake.calls().find((c) => c[0] === 'graph');
  assert.deepEqual(graph.slice(-2), ['--subscriptions', 's1']);
  const inv = readJson(path.join(azDir(r.dir), 'inventory.json'));
  assert.deepEqual(Object.keys(inv), ['oxeAzureInventorySchema', 'synced_at', 'query', 'cloud', 'tenant_id', 'subscription_id', 'subscription_name', 'summary', 'items']);
  assert.equal(inv.query, azure.RESOURCE_GRAPH_QUERY);
  assert.deepEqual(inv.summary, { total: 4, servicebus: 1, eventgrid: 1, sql: 1, other: 1 });
  assert.deepEqual(inv.items.map((i) => i.name), ['grid-events', 'app-front', 'bus-orders', 'db-main']);
  assert.equal(inv.items[0].service_family, 'eventgrid');
  for (const f of ['INVENTORY.md', 'SERVICEBUS.md', 'EVENTGRID.md', 'SQL.md']) assert.ok(fs.existsSync(path.join(azDir(r.dir), f)), f);
  assert.match(fs.readFileSync(path.join(azDir(r.dir), 'SQL.md'), 'utf8'), /\| db-main \| Microsoft\.Sql\/servers \| sql \| rg-db \| northeurope \| — \|/);
  const auth = readJson(path.join(azDir(r.dir), 'auth-status.json'));
  assert.equal(auth.last_sync, inv.synced_at);

  fake.set({ resources: [...RESOURCES.slice(1), { id: '/x/new', name: 'bus-new', type: 'Microsoft.ServiceBus/namespaces', resourceGroup: 'rg-msg' }] });
  const d = cli(['sync', '--diff'], { dir: r.dir, env: fake.env });
  assert.equal(d.code, 0, d.err);
  assert.match(d.out, /Diff: \+1 added · -1 removed · 3 unchanged/);
  assert.match(d.out, /\+ bus-new · Microsoft\.ServiceBus\/namespaces · rg-msg/);
  assert.match(d.out, /- bus-orders · /);
});

test('sync failures: signed out, non-zero exit, garbage JSON and timeout leave the last inventory intact', () => {
  const fake = fakeAz();
  const ok = cli(['sync'], { env: fake.env });
  assert.equal(ok.code, 0, ok.err);
  const invPath = path.join(azDir(ok.dir), 'inventory.json');
  const before = fs.readFileSync(invPath, 'utf8');

  fake.set({ loggedIn: false });
  const out = cli(['sync'], { dir: ok.dir, env: fake.env });
  assert.equal(out.code, 1);
  assert.match(out.err, /No Azure session: `az account show` failed\. Run "oxe-cc azure auth login"/);

  fake.set({ loggedIn: true, fail: { 'graph query': 'ERROR: AuthorizationFailed' } });
  const failed = cli(['sync'], { dir: ok.dir, env: fake.env });
  assert.equal(failed.code, 1);
  assert.match(failed.err, /`az graph query -q Resources .* --subscriptions s1` failed \(exit 2\): ERROR: AuthorizationFailed/);

  fake.set({ fail: {}, bad: ['graph query'] });
  const bad = cli(['sync'], { dir: ok.dir, env: fake.env });
  assert.equal(bad.code, 1);
  assert.match(bad.err, /`az graph query .*` did not answer valid JSON .*nothing was written/);

  fake.set({ bad: [], hang: ['graph query'] });
  const t0 = Date.now();
  const slow = cli(['sync'], { dir: ok.dir, env: { ...fake.env, OXE_AZ_TIMEOUT_MS: '700' } });
  assert.equal(slow.code, 1);
  assert.match(slow.err, /`az graph query .*` timed out after 700 ms/);
  assert.ok(Date.now() - t0 < 15000, 'the hung az was stopped');

  assert.equal(fs.readFileSync(invPath, 'utf8'), before);
  const missing = cli(['sync'], { dir: ok.dir, env: NO_AZ });
  assert.equal(missing.code, 1);
  assert.match(missing.err, /Azure CLI not installed: `az version` could not run .*on PATH/);
});

test('find searches the local inventory by text, --type and --filter-rg', () => {
  const fake = fakeAz();
  const { dir } = cli(['sync'], { env: fake.env });
  const hit = cli(['find', 'payments'], { dir, env: fake.env });
  assert.equal(hit.code, 0);
  assert.match(hit.out, /• bus-orders · Microsoft\.ServiceBus\/namespaces · rg-msg · westeurope/);
  assert.doesNotMatch(hit.out, /db-main/);
  const miss = cli(['find', 'nothing', 'like', 'this'], { dir, env: fake.env });
  assert.equal(miss.code, 0);
  assert.match(miss.out, /No resource found in the local inventory\./);
  const typed = cli(['find', '--type', 'sql'], { dir, env: fake.env });
  assert.match(typed.out, /db-main/);
  assert.doesNotMatch(typed.out, /bus-orders|grid-events/);
  const rg = cli(['find', '--filter-rg', 'RG-MSG'], { dir, env: fake.env });
  assert.match(rg.out, /bus-orders/);
  assert.match(rg.out, /grid-events/);
  assert.doesNotMatch(rg.out, /app-front/);
});

test('list and show print only the az JSON on stdout (banner and header on stderr)', () => {
  const fake = fakeAz();
  const env = { ...fake.env, OXE_NO_BANNER: '' };
  const list = cli(['servicebus', 'list'], { env });
  assert.equal(list.code, 0, list.err);
  const json = JSON.parse(list.out);
  assert.deepEqual(json.map((r) => r.name), ['bus-orders']);
  assert.equal(list.out, JSON.stringify(json, null, 2) + '\n');
  assert.match(list.err, /OXE ▸ azure/);
  assert.deepEqual(fake.calls().pop(), ['servicebus', 'namespace', 'list', '--output', 'json']);
  const shown = cli(['servicebus', 'show', '--name', 'bus-orders', '--resource-group', 'rg-msg'], { dir: list.dir, env });
  assert.equal(JSON.parse(shown.out).name, 'bus-orders');
  assert.deepEqual(fake.calls().pop(), ['servicebus', 'namespace', 'show', '--name', 'bus-orders', '--resource-group', 'rg-msg', '--output', 'json']);
  assert.equal(JSON.parse(cli(['eventgrid', 'list'], { env }).out)[0].name, 'grid-events');
  assert.equal(JSON.parse(cli(['sql', 'list'], { env }).out)[0].name, 'db-main');
  const ev = events(list.dir).filter((e) => e.type === 'azure_resource_found');
  assert.equal(ev.length, 2);
  assert.equal(ev[0].payload.domain, 'servicebus');
  // a read updates the run's Azure provider context
  const run = sdk.operational.readRunState(list.dir, null);
  assert.equal(run.provider_context.azure.enabled, true);
  assert.equal(run.provider_context.azure.subscription_id, 's1');

  const noName = cli(['servicebus', 'show'], { env });
  assert.equal(noName.code, 1);
  assert.equal(noName.out, '');
  assert.match(noName.err, /Missing --name\./);
  const bad = cli(['servicebus', 'list'], { env: { ...env } });
  fake.set({ bad: ['servicebus namespace list'] });
  const garbage = cli(['servicebus', 'list'], { dir: bad.dir, env });
  assert.equal(garbage.code, 1);
  assert.match(garbage.err, /`az servicebus namespace list --output json` did not answer valid JSON/);
});

test('plan records the operation, its Markdown and an event; nothing runs', () => {
  const fake = fakeAz();
  const r = cli(['servicebus', 'plan', '--kind', 'queue', '--name', 'q-orders', '--namespace', 'bus-orders', '--resource-group', 'rg-msg'], { env: fake.env });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Operation ID: azure-servicebus-[0-9a-z]+-[0-9a-z]{6}/);
  assert.match(r.out, /Checkpoint: CP-AZ-[0-9A-Z]+/);
  assert.match(r.out, /Command: az servicebus queue create --name q-orders --namespace-name bus-orders --resource-group rg-msg/);
  const [file] = opFiles(r.dir);
  const op = readJson(path.join(azDir(r.dir), 'operations', file));
  assert.equal(op.phase, 'planned');
  assert.deepEqual(Object.keys(op).slice(0, 6), ['operation_id', 'created_at', 'updated_at', 'domain', 'phase', 'kind']);
  assert.deepEqual(op.resource_refs, [{ kind: 'queue', name: 'q-orders', namespace: 'bus-orders', resourceGroup: 'rg-msg' }]);
  assert.ok(fs.existsSync(path.join(azDir(r.dir), 'operations', file.replace(/\.json$/, '.md'))));
  assert.equal(events(r.dir).pop().type, 'azure_operation_planned');
  assert.equal(fake.state().created.length, 0);
  const missing = cli(['servicebus', 'plan', '--kind', 'queue', '--name', 'q', '--resource-group', 'rg'], { env: fake.env });
  assert.equal(missing.code, 1);
  assert.match(missing.err, /Missing --namespace\./);
  const kind = cli(['eventgrid', 'plan', '--kind', 'domain', '--name', 'x', '--resource-group', 'rg'], { env: fake.env });
  assert.equal(kind.code, 1);
  assert.match(kind.err, /Event Grid mutations support --kind topic \| event-subscription/);
});

test('apply: a checkpoint first, the mutation only with --approve; operations and status list it', () => {
  const fake = fakeAz();
  const args = ['servicebus', 'apply', '--kind', 'namespace', '--name', 'bus-new', '--resource-group', 'rg-msg', '--location', 'westeurope'];
  const pending = cli(args, { env: fake.env });
  assert.equal(pending.code, 0, pending.err);
  assert.match(pending.out, /Checkpoint opened before the mutation\./);
  assert.match(pending.out, /Re-run: npx oxe-cc azure servicebus apply --approve --kind namespace --resource-group rg-msg/);
  assert.equal(fake.state().created.length, 0);
  const cps = fs.readFileSync(path.join(pending.dir, '.oxe', 'CHECKPOINTS.md'), 'utf8');
  assert.match(cps, /\| CP-AZ-[0-9A-Z]+ \| approval \| execution \| azure:servicebus:namespace \| pending_approval \| require_approval_if_external_side_effect \| — \| — \| \d{4}-\d\d-\d\d \| — \| Create Service Bus namespace bus-new \|/);
  const run = sdk.operational.readRunState(pending.dir, null);
  assert.equal(run.status, 'waiting_approval');
  assert.equal(run.provider_context.azure.last_operation.phase, 'waiting_approval');
  assert.equal(run.pending_checkpoints.length, 1);
  const ops = cli(['operations'], { dir: pending.dir, env: fake.env });
  assert.match(ops.out, /waiting_approval · azure-servicebus-\S+ · servicebus\/namespace · Create Service Bus namespace bus-new/);
  const st = cli(['status'], { dir: pending.dir, env: fake.env });
  assert.match(st.out, /Pending ops: 1 \(azure-servicebus-/);
  assert.match(st.out, /Inventory:\s+none/);
  cli(['sync'], { dir: pending.dir, env: fake.env });
  assert.match(cli(['status'], { dir: pending.dir, env: fake.env }).out, /Resources:\s+total=4 sb=1 eg=1 sql=1\n/);

  const applied = cli([...args, '--approve'], { dir: pending.dir, env: fake.env });
  assert.equal(applied.code, 0, applied.err);
  assert.match(applied.out, /✓ Azure operation applied\./);
  assert.deepEqual(fake.calls().pop(), ['servicebus', 'namespace', 'create', '--name', 'bus-new', '--resource-group', 'rg-msg', '--location', 'westeurope', '--output', 'json']);
  assert.equal(fake.state().created.length, 1);
  const after = sdk.operational.readRunState(pending.dir, null);
  assert.equal(after.status, 'completed');
  assert.equal(after.provider_context.azure.last_operation.phase, 'applied');
  assert.equal(after.provider_context.azure.last_operation.capability_id, 'azure-servicebus');
  assert.ok(events(pending.dir).some((e) => e.type === 'azure_operation_applied'));
  assert.equal(opFiles(pending.dir).length, 2);
  const ordered = cli(['operations'], { dir: pending.dir, env: fake.env }).out.split('\n').filter((l) => l.includes('azure-servicebus-'));
  assert.match(ordered[0], /^\s+applied/);
});

test('apply --dry-run validates and previews without writing anything', () => {
  const fake = fakeAz();
  const r = cli(['eventgrid', 'apply', '--kind', 'topic', '--name', 'grid-new', '--resource-group', 'rg-msg', '--dry-run'], { env: fake.env });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\[dry-run\] validation OK/);
  assert.match(r.out, /Command: az eventgrid topic create --name grid-new --resource-group rg-msg --location eastus/);
  assert.equal(opFiles(r.dir).length, 0);
  assert.equal(fake.state().created.length, 0);
});

test('the SQL admin password comes from the environment, reaches az, and is never written or printed', () => {
  const fake = fakeAz();
  const secret = 'S3cret-Value-42!';
  const args = ['sql', 'apply', '--kind', 'server', '--name', 'db-new', '--resource-group', 'rg-db', '--admin-user', 'dbadmin'];
  const noPw = cli(args, { env: fake.env });
  assert.equal(noPw.code, 1);
  assert.match(noPw.err, /AZURE_SQL_ADMIN_PASSWORD is not set/);
  const dry = cli([...args, '--dry-run'], { env: { ...fake.env, AZURE_SQL_ADMIN_PASSWORD: secret } });
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /--admin-password \$\{AZURE_SQL_ADMIN_PASSWORD\}/);
  assert.ok(!dry.out.includes(secret));
  const r = cli([...args, '--approve', '--admin-password-env', 'MY_PW'], { env: { ...fake.env, MY_PW: secret } });
  assert.equal(r.code, 0, r.err);
  assert.ok(!r.out.includes(secret) && !r.err.includes(secret));
  const create = fake.calls().pop();
  assert.equal(create[create.indexOf('--admin-password') + 1], secret);
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  for (const f of walk(path.join(r.dir, '.oxe'))) assert.ok(!fs.readFileSync(f, 'utf8').includes(secret), f);
  const op = readJson(path.join(azDir(r.dir), 'operations', opFiles(r.dir)[0]));
  assert.equal(op.command_args[op.command_args.indexOf('--admin-password') + 1], '${MY_PW}');
  assert.equal(op.metadata.admin_password_env, '[redacted]');
});

test('policy and VPN refusals: wide firewall ranges need --override-policy, vpn_required needs --vpn-confirmed', () => {
  const fake = fakeAz();
  const args = ['sql', 'apply', '--kind', 'firewall-rule', '--name', 'all', '--server', 'db-main', '--resource-group', 'rg-db', '--start-ip-address', '0.0.0.0', '--end-ip-address', '255.255.255.255', '--approve'];
  const denied = cli(args, { env: fake.env });
  assert.equal(denied.code, 1);
  assert.match(denied.err, /Blocked by policy: Firewall range too wide/);
  assert.equal(fake.state().created.length, 0);
  const op = readJson(path.join(azDir(denied.dir), 'operations', opFiles(denied.dir)[0]));
  assert.equal(op.blocked, true);
  assert.equal(op.approval_policy, 'deny_unless_overridden');
  const forced = cli([...args, '--override-policy'], { dir: denied.dir, env: fake.env });
  assert.equal(forced.code, 0, forced.err);
  assert.equal(fake.state().created.length, 1);
  assert.match(fs.readFileSync(path.join(denied.dir, '.oxe', 'CHECKPOINTS.md'), 'utf8'), /\| approved \| deny_unless_overridden \| approved \| explicit \|/);

  const vpnDir = tmpProject('oxe-az-vpn-');
  fs.mkdirSync(path.join(vpnDir, '.oxe'), { recursive: true });
  fs.writeFileSync(path.join(vpnDir, '.oxe', 'config.json'), JSON.stringify({ azure: { vpn_required: true, default_resource_group: 'rg-cfg', preferred_locations: ['brazilsouth'] } }));
  const vpn = cli(['servicebus', 'apply', '--kind', 'namespace', '--name', 'b', '--approve'], { dir: vpnDir, env: fake.env });
  assert.equal(vpn.code, 1);
  assert.match(vpn.err, /requires a VPN .*--vpn-confirmed/);
  const ok = cli(['servicebus', 'apply', '--kind', 'namespace', '--name', 'b', '--approve', '--vpn-confirmed'], { dir: vpnDir, env: fake.env });
  assert.equal(ok.code, 0, ok.err);
  // the configured resource group and first preferred location are the defaults
  assert.deepEqual(fake.calls().pop(), ['servicebus', 'namespace', 'create', '--name', 'b', '--resource-group', 'rg-cfg', '--location', 'brazilsouth', '--output', 'json']);
  assert.match(cli(['status'], { dir: vpnDir, env: fake.env }).out, /VPN:\s+required/);
});

test('a failing mutation is recorded as failed and reported with the az error', () => {
  const fake = fakeAz({ fail: { 'servicebus namespace create': 'ERROR: (Conflict) namespace already exists' } });
  const r = cli(['servicebus', 'apply', '--kind', 'namespace', '--name', 'dup', '--resource-group', 'rg', '--approve'], { env: fake.env });
  assert.equal(r.code, 1);
  assert.match(r.err, /`az servicebus namespace create --name dup --resource-group rg --output json` failed \(exit 2\): ERROR: \(Conflict\)/);
  const op = readJson(path.join(azDir(r.dir), 'operations', opFiles(r.dir)[0]));
  assert.equal(op.phase, 'failed');
  assert.match(op.error, /Conflict/);
  assert.ok(events(r.dir).some((e) => e.type === 'azure_operation_failed'));
});

test('unknown scopes and actions exit 1 with a message', () => {
  const fake = fakeAz();
  const scope = cli(['keyvault'], { env: fake.env });
  assert.equal(scope.code, 1);
  assert.match(scope.err, /Unknown Azure scope: keyvault/);
  const noAction = cli(['sql'], { env: fake.env });
  assert.equal(noAction.code, 1);
  assert.match(noAction.err, /Give the action for sql: list \| show \| plan \| apply/);
  const action = cli(['sql', 'drop'], { env: fake.env });
  assert.equal(action.code, 1);
  assert.match(action.err, /Unknown Azure action: drop/);
  const missingDir = spawnSync(process.execPath, [CLI, 'azure', 'status', '--dir', '/nonexistent/oxe-az'], { encoding: 'utf8', env: baseEnv(fake.env) });
  assert.equal(missingDir.status, 1);
  assert.match(missingDir.stderr, /Directory not found/);
});

// ---------------------------------------------------------------- SDK

test('SDK: the 26 members of 1.4.0 in order, then normalizeInventoryItem; constants', () => {
  assert.deepEqual(Object.keys(azure), [
    'MIN_AZURE_CLI_MAJOR', 'AZURE_CAPABILITY_IDS', 'RESOURCE_GRAPH_QUERY', 'DEFAULT_AZURE_PROFILE', 'azurePaths',
    'ensureAzureArtifacts', 'isAzureContextEnabled', 'detectAzureCli', 'loadAzureProfile', 'loadAzureAuthStatus',
    'loadAzureInventory', 'listAzureOperations', 'summarizeInventory', 'searchAzureInventory', 'diffInventory',
    'statusAzure', 'ensureAzureCapabilities', 'getAzureContext', 'loginAzure', 'setAzureSubscription',
    'syncAzureInventory', 'executeAzureRead', 'planAzureOperation', 'applyAzureOperation', 'azureDoctor',
    'redactObject', 'normalizeInventoryItem',
  ]);
  assert.equal(azure.MIN_AZURE_CLI_MAJOR, 2);
  assert.deepEqual(azure.AZURE_CAPABILITY_IDS, ['azure-auth', 'azure-resource-graph', 'azure-servicebus', 'azure-eventgrid', 'azure-sql-admin']);
  assert.match(azure.RESOURCE_GRAPH_QUERY, /^Resources \| project id, name, type/);
  assert.deepEqual(azure.DEFAULT_AZURE_PROFILE, { cloud: 'AzureCloud', tenant_id: null, subscription_id: null, subscription_name: null, auth_mode: 'unknown', default_resource_group: '', preferred_locations: [], last_auth_check: null, resource_graph_enabled: false });
  const p = azure.azurePaths('/proj');
  assert.equal(p.root, '/proj/.oxe/cloud/azure');
  assert.equal(p.operationsDir, '/proj/.oxe/cloud/azure/operations');
  assert.deepEqual(Object.keys(p), ['root', 'profile', 'authStatus', 'inventory', 'inventoryMd', 'serviceBusMd', 'eventGridMd', 'sqlMd', 'operationsDir']);
});

test('SDK: pure helpers (summarize, normalize, search, diff, redact, context detection)', () => {
  assert.deepEqual(azure.summarizeInventory(null), { total: 0, servicebus: 0, eventgrid: 0, sql: 0, other: 0 });
  assert.deepEqual(azure.summarizeInventory([{ type: 'microsoft.sql/servers/databases' }, { service_family: 'Microsoft.EventGrid/x' }, {}]), { total: 3, servicebus: 0, eventgrid: 1, sql: 1, other: 1 });
  assert.deepEqual(azure.normalizeInventoryItem({ resource_group: 'g', subscription_id: 's', type: 'Microsoft.ServiceBus/namespaces', tags: 'x' }), { id: '', name: '', type: 'Microsoft.ServiceBus/namespaces', resourceGroup: 'g', location: '', subscriptionId: 's', tags: {}, sku: '', service_family: 'servicebus' });
  const d = azure.diffInventory([{ id: 'a' }, { id: 'b' }], [{ id: 'b' }, { id: 'c', name: 'C' }]);
  assert.deepEqual(d, { added: [{ id: 'c', name: 'C' }], removed: [{ id: 'a' }], unchanged: 1 });
  const red = azure.redactObject({ name: 'x', Password: 'p', apiToken: '', list: [{ connection_string: 'c', primaryKey: 'k', keep: 1 }], nested: { accessKey: null } });
  assert.deepEqual(red, { name: 'x', Password: '[redacted]', apiToken: null, list: [{ connection_string: '[redacted]', primaryKey: '[redacted]', keep: 1 }], nested: { accessKey: null } });
  assert.equal(azure.redactObject(undefined), undefined);
  assert.equal(azure.redactObject('secret'), 'secret');

  const dir = tmpProject('oxe-az-sdk-');
  assert.equal(azure.isAzureContextEnabled(dir, {}), false);
  assert.equal(azure.isAzureContextEnabled(dir, { azure: { enabled: true } }), true);
  assert.deepEqual(azure.searchAzureInventory(dir, 'x'), []);
  assert.equal(azure.loadAzureInventory(dir), null);
  assert.equal(azure.loadAzureAuthStatus(dir), null);
  assert.deepEqual(azure.loadAzureProfile(dir), azure.DEFAULT_AZURE_PROFILE);
  assert.deepEqual(azure.listAzureOperations(dir), []);
  azure.ensureAzureArtifacts(dir);
  assert.ok(fs.existsSync(path.join(azDir(dir), 'operations')));
  assert.equal(azure.isAzureContextEnabled(dir, {}), true);
  assert.deepEqual(azure.ensureAzureCapabilities(dir), azure.AZURE_CAPABILITY_IDS);
  const cap = fs.readFileSync(path.join(dir, '.oxe', 'capabilities', 'azure-sql-admin', 'CAPABILITY.md'), 'utf8');
  assert.match(cap, /^---\noxe_capability: true\nid: azure-sql-admin\n/);
  assert.match(cap, /requires_env: \[AZURE_SQL_ADMIN_PASSWORD\]/);
  fs.writeFileSync(path.join(azDir(dir), 'inventory.json'), JSON.stringify({ items: [
    { name: 'a1', type: 'Microsoft.Sql/servers', resourceGroup: 'RG1', service_family: 'sql', tags: { owner: 'Team-X' } },
    { name: 'b2', type: 'Microsoft.Web/sites', resourceGroup: 'rg2', service_family: 'other', tags: {} },
  ] }));
  assert.deepEqual(azure.searchAzureInventory(dir, 'team-x').map((i) => i.name), ['a1']);
  assert.deepEqual(azure.searchAzureInventory(dir, '', { type: 'SQL' }).map((i) => i.name), ['a1']);
  assert.deepEqual(azure.searchAzureInventory(dir, '  ', { resourceGroup: 'rg1' }).map((i) => i.name), ['a1']);
});

test('SDK: no az is a result for detect/context/status, and OXE_E_AZURE_CLI_MISSING where 1.4.0 throws', () => {
  const dir = tmpProject('oxe-az-sdk-');
  withEnv(NO_AZ, () => {
    const cli = azure.detectAzureCli(dir);
    assert.deepEqual(Object.keys(cli), ['installed', 'version', 'major', 'okVersion', 'message', 'raw']);
    assert.equal(cli.installed, false);
    const ctx = azure.getAzureContext(dir, { write: false });
    assert.deepEqual(Object.keys(ctx), ['cli', 'profile', 'authStatus', 'account', 'cloud', 'extension']);
    assert.equal(ctx.authStatus.installed, false);
    assert.equal(fs.existsSync(azDir(dir)), false, 'write:false writes nothing');
    const st = azure.statusAzure(dir, {});
    assert.deepEqual(Object.keys(st), ['cliInstalled', 'cliVersion', 'loginActive', 'subscription', 'cloud', 'resourceGraphEnabled', 'inventoryPresent', 'inventoryStale', 'inventoryAgeHours', 'inventorySummary', 'pendingOperations', 'pendingOperationIds', 'vpnRequired']);
    assert.equal(st.cliInstalled, false);
    const doc = azure.azureDoctor(dir, {}, { write: false });
    assert.equal(doc.healthy, false);
    assert.deepEqual(Object.keys(doc), ['healthy', 'warnings', 'profile', 'authStatus', 'inventory', 'inventorySummary', 'paths']);
    for (const fn of [() => azure.syncAzureInventory(dir), () => azure.loginAzure(dir), () => azure.setAzureSubscription(dir, 's1'), () => azure.executeAzureRead(dir, null, 'sql', 'list', {})]) {
      assert.equal(codeOf(fn).code, 'OXE_E_AZURE_CLI_MISSING');
    }
  });
});

test('SDK: each az failure throws its OXE_E_AZURE_* code', () => {
  const fake = fakeAz();
  const dir = tmpProject('oxe-az-sdk-');
  withEnv(fake.env, () => {
    fake.set({ loggedIn: false });
    assert.equal(codeOf(() => azure.syncAzureInventory(dir)).code, 'OXE_E_AZURE_NOT_LOGGED_IN');
    assert.equal(codeOf(() => azure.planAzureOperation(dir, null, 'sql', { kind: 'database' })).code, 'OXE_E_AZURE_NOT_LOGGED_IN');
    fake.set({ loggedIn: true, fail: { 'sql server list': 'ERROR: Forbidden' } });
    const failed = codeOf(() => azure.executeAzureRead(dir, null, 'sql', 'list', {}));
    assert.equal(failed.code, 'OXE_E_AZURE_COMMAND_FAILED');
    assert.match(failed.message, /az sql server list --output json/);
    fake.set({ fail: {}, bad: ['sql server list'] });
    assert.equal(codeOf(() => azure.executeAzureRead(dir, null, 'sql', 'list', {})).code, 'OXE_E_AZURE_BAD_JSON');
    fake.set({ bad: [], hang: ['sql server list'] });
    assert.equal(codeOf(() => azure.executeAzureRead(dir, null, 'sql', 'list', {}, { timeoutMs: 500 })).code, 'OXE_E_AZURE_TIMEOUT');
    fake.set({ hang: [], graphExtension: false, fail: { 'extension add': 'ERROR: offline' } });
    const ext = codeOf(() => azure.syncAzureInventory(dir, { autoInstall: false }));
    assert.equal(ext.code, 'OXE_E_AZURE_EXTENSION');
    assert.equal(codeOf(() => azure.syncAzureInventory(dir)).code, 'OXE_E_AZURE_EXTENSION');
    fake.set({ graphExtension: true, fail: {} });
    assert.equal(codeOf(() => azure.executeAzureRead(dir, null, 'servicebus', 'show', { kind: 'queue' })).code, 'OXE_E_AZURE_INPUT');
    assert.equal(codeOf(() => azure.executeAzureRead(dir, null, 'storage', 'list', {})).code, 'OXE_E_AZURE_UNSUPPORTED');
    assert.equal(codeOf(() => azure.planAzureOperation(dir, null, 'sql', { kind: 'server', name: 'n', resourceGroup: 'g', adminUser: 'u', adminPasswordEnv: 'UNSET_PW_VAR' })).code, 'OXE_E_AZURE_SECRET_MISSING');
    const input = { kind: 'namespace', name: 'n', resourceGroup: 'g' };
    assert.equal(codeOf(() => azure.applyAzureOperation(dir, null, 'servicebus', input, { vpnRequired: true })).code, 'OXE_E_AZURE_VPN_REQUIRED');
    const wide = { kind: 'firewall-rule', name: 'w', server: 's', resourceGroup: 'g', startIpAddress: '*', endIpAddress: '*' };
    assert.equal(codeOf(() => azure.applyAzureOperation(dir, null, 'sql', wide, { approve: true })).code, 'OXE_E_AZURE_POLICY');
    assert.equal(codeOf(() => azure.executeAzureRead(dir, '../../escape', 'sql', 'list', {})).code, 'OXE_E_PATH');
  });
});

test('SDK: sync, status, plan and apply results keep 1.4.0 shapes; options.env reaches az', () => {
  const fake = fakeAz();
  const dir = tmpProject('oxe-az-sdk-');
  const opts = { env: fake.env };
  const synced = azure.syncAzureInventory(dir, { ...opts, diff: true });
  assert.deepEqual(Object.keys(synced), ['paths', 'profile', 'authStatus', 'inventory']);
  const again = azure.syncAzureInventory(dir, { ...opts, diff: true });
  assert.deepEqual(Object.keys(again), ['paths', 'profile', 'authStatus', 'inventory', 'diff']);
  assert.equal(again.diff.unchanged, 4);
  const st = azure.statusAzure(dir, { azure: { inventory_max_age_hours: 24 } }, opts);
  assert.equal(st.inventoryPresent, true);
  assert.equal(st.inventoryStale, false);
  assert.equal(st.inventoryAgeHours, 0);
  assert.equal(st.subscription, 'Prod One');
  const planned = azure.planAzureOperation(dir, null, 'sql', { kind: 'database', name: 'd1', server: 'db-main', resourceGroup: 'rg-db' }, opts);
  assert.deepEqual(Object.keys(planned), ['context', 'operation', 'files']);
  assert.equal(planned.operation.metadata.service_objective, 'S0');
  assert.ok(fs.existsSync(planned.files.jsonPath) && fs.existsSync(planned.files.mdPath));
  const dry = azure.applyAzureOperation(dir, null, 'servicebus', { kind: 'topic', name: 't', namespace: 'bus-orders', resourceGroup: 'rg-msg' }, { ...opts, dryRun: true });
  assert.deepEqual(Object.keys(dry), ['approved', 'dryRun', 'operation', 'commandPreview', 'message']);
  assert.equal(dry.operation.phase, 'dry_run');
  const waiting = azure.applyAzureOperation(dir, null, 'servicebus', { kind: 'topic', name: 't', namespace: 'bus-orders', resourceGroup: 'rg-msg' }, opts);
  assert.deepEqual(Object.keys(waiting), ['approved', 'operation', 'files', 'checkpoint_id', 'message']);
  const done = azure.applyAzureOperation(dir, null, 'servicebus', { kind: 'topic', name: 't', namespace: 'bus-orders', resourceGroup: 'rg-msg' }, { ...opts, approve: true });
  assert.deepEqual(Object.keys(done), ['approved', 'operation', 'files', 'result']);
  assert.equal(done.result.name, 't');
  assert.equal(azure.listAzureOperations(dir)[0].phase, 'applied');
  const doc = azure.azureDoctor(dir, { azure: {} }, opts);
  // the SDK does not install the capability manifests (the CLI does)
  assert.equal(doc.warnings.length, 2);
  assert.match(doc.warnings[0], /Azure capabilities missing: azure-auth, /);
  assert.match(doc.warnings[1], /waiting for approval.*: azure-servicebus-/);
});

test('health report: the azure summary comes from a read-only doctor run once the context is active', () => {
  const fake = fakeAz();
  const dir = tmpProject('oxe-az-health-');
  fs.mkdirSync(path.join(dir, '.oxe'), { recursive: true });
  withEnv(fake.env, () => {
    assert.equal(sdk.health.buildHealthReport(dir).azureActive, false);
    azure.syncAzureInventory(dir);
    const authBefore = fs.readFileSync(path.join(azDir(dir), 'auth-status.json'), 'utf8');
    const r = sdk.health.buildHealthReport(dir);
    assert.equal(r.azureActive, true);
    assert.deepEqual(Object.keys(r.azure), ['profile', 'authStatus', 'inventorySummary', 'inventoryPath', 'operationsPath', 'inventorySyncedAt', 'inventoryStale', 'pendingOperations', 'lastOperation', 'warnings']);
    assert.equal(r.azure.inventorySummary.total, 4);
    assert.equal(r.azure.profile.subscription_name, 'Prod One');
    assert.deepEqual(r.azure.inventoryStale, { stale: false, hours: 0 });
    assert.equal(r.azure.pendingOperations, 0);
    assert.equal(r.azure.lastOperation, null);
    // read-only: the auth file is untouched
    assert.equal(fs.readFileSync(path.join(azDir(dir), 'auth-status.json'), 'utf8'), authBefore);
  });
});

test('suggestNextStep: sign in, then select a subscription, then sync', () => {
  const fake = fakeAz();
  const dir = tmpProject('oxe-az-next-');
  const oxe = path.join(dir, '.oxe');
  fs.mkdirSync(path.join(oxe, 'codebase'), { recursive: true });
  for (const f of sdk.health.EXPECTED_CODEBASE_MAPS) fs.writeFileSync(path.join(oxe, 'codebase', f), '# ok\n');
  fs.writeFileSync(path.join(oxe, 'STATE.md'), '# OXE\n\n## Fase atual\n\n`scan_complete`\n');
  fs.writeFileSync(path.join(oxe, 'config.json'), JSON.stringify({ azure: { enabled: true } }));
  assert.equal(sdk.health.suggestNextStep(dir).step, 'azure-auth');
  withEnv(fake.env, () => azure.getAzureContext(dir));
  assert.equal(sdk.health.suggestNextStep(dir).step, 'azure-sync');
  const profilePath = path.join(azDir(dir), 'profile.json');
  const profile = readJson(profilePath);
  fs.writeFileSync(profilePath, JSON.stringify({ ...profile, subscription_id: null }));
  const sub = sdk.health.suggestNextStep(dir);
  assert.equal(sub.step, 'azure-auth');
  assert.match(sub.cursorCmd, /set-subscription/);
  fs.writeFileSync(profilePath, JSON.stringify(profile));
  withEnv(fake.env, () => azure.syncAzureInventory(dir));
  assert.doesNotMatch(sdk.health.suggestNextStep(dir).step, /^azure-/);
});
