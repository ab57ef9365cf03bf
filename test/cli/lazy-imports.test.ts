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
});
