/**
 * Start-up: a command loads only the code it uses. Runs the real bin/fleetca.js with a module hook that lists
 * every module the ESM loader loads, and checks what must stay off each path (no timing here; bench/startup.ts
 * measures the speed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startServer } from '../helpers/fleetca-server.js';
import { cliEnv, FLEETCA_BIN } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'fleetca-lazy-imports-'));
const hooks = join(work, 'hooks.mjs');
const register = join(work, 'register.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  appendFileSync(process.env.FLEETCA_TEST_MODULE_LOG, url + '\\n');
  return nextLoad(url, context);
}
`,
);
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);
const env = cliEnv(work);

/** The modules (URLs) loaded by `fleetca <args>`, as ESM imports; CommonJS packages show as their entry. */
function modulesLoadedBy(...args: string[]): string[] {
  const log = join(work, `modules-${Date.now()}-${Math.random()}.log`);
  writeFileSync(log, '');
  execFileSync(process.execPath, ['--import', pathToFileURL(register).href, FLEETCA_BIN, ...args], {
    env: { ...env, FLEETCA_TEST_MODULE_LOG: log },
    encoding: 'utf8',
  });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const inSrc = (modules: string[], folder: string) => modules.filter((url) => url.includes(`/src/${folder}`));

/** The registry's stores besides the certificates': each is imported on its first use. */
const OTHER_STORES = [
  'registry/sqlite/sqlite-account-store.js',
  'registry/sqlite/sqlite-ca-certificate-store.js',
  'registry/sqlite/sqlite-scope-identifier-store.js',
  'registry/sqlite/sqlite-ownership-token-store.js',
  'registry/sqlite/sqlite-provisioning-template-store.js',
  'registry/sqlite/sqlite-provisioning-claim-store.js',
  'registry/sqlite/sqlite-thing-store.js',
  'registry/sqlite/sqlite-provisioning-store.js',
];
/** The code that makes certificates and keys: imported at the first signature or key (a server: before it listens). */
const SIGNING_AND_KEYS = [
  'ca/leaf-certificate.js',
  'ca/claim-certificate.js',
  'ca/server-certificate.js',
  'ca/certificate-builder.js',
  'ca/keygen/worker-key-generator.js',
  'ca/keygen/key-pool.js',
  'ca/keygen/keygen-protocol.js',
];
/**
 * What a local read of one certificate must not load, because only other commands or options use it: the other
 * stores, the change feed's watcher and the insert writer thread, the CA's signing and creation, key generation,
 * the passphrase prompt, remote mode, paging, skeletons and the --debug wrapper.
 */
const OFF_A_LOCAL_READ = [
  ...OTHER_STORES,
  ...SIGNING_AND_KEYS,
  'registry/sqlite/sqlite-change-feed.js',
  'registry/sqlite/insert-writer.js',
  'ca/ca-certificates.js',
  'ca/locked-signer.js',
  'home/terminal-passphrase.js',
  'provisioning/',
  'cli/config/credentials.js',
  'cli/config/retry-config.js',
  'cli/remote/endpoint.js',
  'cli/remote/remote-errors.js',
  'cli/paginate/',
  'cli/skeleton/',
  'cli/debug/debug-transport.js',
];
const packages = (modules: string[]) =>
  new Set(modules.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));

describe('start-up: each command imports only what it uses', () => {
  let certificateId = '';
  before(() => {
    certificateId = execFileSync(
      process.execPath,
      [FLEETCA_BIN, 'iot', 'create-keys-and-certificate', '--query', 'certificateId', '--output', 'text'],
      { env, encoding: 'utf8' },
    ).trim();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('--version loads the argument parser and nothing of the operations, registry, CA or server', () => {
    const modules = modulesLoadedBy('--version');
    for (const folder of ['operations/', 'model/certificates', 'registry/', 'ca/', 'server/', 'home/'])
      assert.deepEqual(inSrc(modules, folder), [], folder);
    assert.deepEqual([...packages(modules)], []);
  });

  it('help loads the help pages but no operation code', () => {
    const modules = modulesLoadedBy('help');
    assert.ok(inSrc(modules, 'cli/help/render-help').length === 1);
    for (const folder of ['operations/', 'registry/', 'ca/', 'server/']) assert.deepEqual(inSrc(modules, folder), []);
  });

  it('a local JSON describe loads its one operation, and no server, MQTT, PostgreSQL, YAML, prompt or pager code', () => {
    const modules = modulesLoadedBy('iot', 'describe-certificate', '--certificate-id', certificateId);
    const operations = inSrc(modules, 'operations/').filter((url) => /\/operations\/[a-z-]+\/[a-z-]+\.js$/.test(url));
    assert.deepEqual(
      operations.map((url) => url.replace(/.*\/operations\//, '')),
      ['certificates/describe-certificate.js'],
    );
    const offPath = [
      'server/',
      'registry/postgres/',
      'cli/prompt/auto-prompt',
      'cli/output/pager-process',
      'cli/help/',
    ];
    for (const folder of [...offPath, 'cli/output/yaml']) assert.deepEqual(inSrc(modules, folder), [], folder);
    const loaded = packages(modules);
    for (const name of ['yaml', 'pg', 'pino', 'prom-client', 'mqtt-packet', 'cbor-x', '@smithy/signature-v4'])
      assert.ok(!loaded.has(name), `${name} loaded`);
  });

  it('a local describe loads no other store, no signing, key generation, remote-mode, paging or skeleton code', () => {
    const modules = modulesLoadedBy('iot', 'describe-certificate', '--certificate-id', certificateId);
    assert.ok(inSrc(modules, 'registry/sqlite/sqlite-store.js').length === 1, 'the certificate store is loaded');
    for (const path of OFF_A_LOCAL_READ) assert.deepEqual(inSrc(modules, path), [], path);
    for (const builtin of ['node:worker_threads', 'node:net']) assert.ok(!modules.includes(builtin), builtin);
  });

  it('fleetca serve has every store, the signing code and the key generator loaded before it listens', async () => {
    const log = join(work, 'modules-serve.log');
    writeFileSync(log, '');
    const server = await startServer(
      { ...env, NODE_OPTIONS: `--import ${pathToFileURL(register).href}`, FLEETCA_TEST_MODULE_LOG: log },
      ['--key-pool-size', '0', '--no-mqtt'],
    );
    const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    await server.stop();
    for (const path of [...OTHER_STORES, ...SIGNING_AND_KEYS, 'registry/sqlite/sqlite-change-feed.js'])
      assert.equal(inSrc(modules, path).length, 1, path);
  });
});
