/**
 * Prepares one store for the scale benchmark: a fresh data directory (config, CA), an account with an access key
 * made through fleetca's own registry adapter, one real device certificate as the template, then N synthetic
 * certificates loaded in bulk. What the rows derive from is saved next to the data directory (fixture.json), so
 * a later run can measure the same store again without reloading it (--skip-load).
 */

import { generateKeyPairSync, randomInt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { openHomeAuthority } from '../../src/home/open-home.js';
import { type Credentials, REGION } from '../sigv4-client.js';
import type { LoadTimes } from './load-times.js';
import { loadPostgres } from './postgres-loader.js';
import { loadSqlite } from './sqlite-loader.js';
import { openStoreRegistry, resetPostgresSchema, type StoreKind, type StoreTarget } from './stores.js';
import { type FixtureSpec, SyntheticRegistry } from './synthetic-registry.js';

/** The one account every synthetic certificate belongs to. */
const ACCOUNT_ID = '111122223333';

export interface LoadedStore {
  readonly target: StoreTarget;
  /** FLEETCA_HOME of the server that will serve the store. */
  readonly homeDir: string;
  readonly spec: FixtureSpec;
  readonly credentials: Credentials;
  /** Undefined when the store was loaded by an earlier run. */
  readonly times?: LoadTimes;
}

/** Where a store's data directory and fixture live inside the work directory (servers.ts expects `<dir>/fleetca`). */
export function storeWorkDir(workDir: string, kind: StoreKind): string {
  return join(workDir, kind);
}

function fixtureFile(storeDir: string): string {
  return join(storeDir, 'fixture.json');
}

/** The template: one certificate issued exactly as CreateKeysAndCertificate would, by the data directory's CA. */
async function issueTemplate(homeDir: string): Promise<Buffer> {
  const { dataDir, authority } = await openHomeAuthority({ FLEETCA_HOME: homeDir });
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const subject = encodeName(dataDir.config.certificateSubject);
  return (await authority.issue({ subject, publicKey, now: new Date() })).der;
}

/** The account and its access key, through the store's own adapter (which also creates and migrates the schema). */
async function createAccount(target: StoreTarget): Promise<Credentials> {
  const registry = await openStoreRegistry(target);
  try {
    await registry.accounts.createAccount(ACCOUNT_ID);
    const key = await registry.accounts.createAccessKey(ACCOUNT_ID);
    return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  } finally {
    await registry.close();
  }
}

export async function bulkLoad(
  target: StoreTarget,
  storeDir: string,
  rows: number,
  log: (line: string) => void,
): Promise<LoadedStore> {
  const homeDir = join(storeDir, 'fleetca');
  if (target.kind === 'postgres') await resetPostgresSchema(target);
  const templateDer = await issueTemplate(homeDir);
  const credentials = await createAccount(target);
  const spec: FixtureSpec = {
    rows,
    accountId: ACCOUNT_ID,
    region: REGION,
    templateDer: templateDer.toString('base64'),
    endMs: Date.now() - 3_600_000,
    seed: randomInt(2 ** 31),
  };
  const registry = new SyntheticRegistry(spec);
  const started = performance.now();
  let reported = 0;
  const onProgress = (loaded: number) => {
    // A line per tenth: enough to see the rate hold (or not) as the indexes grow.
    if (loaded < reported + rows / 10 && loaded < rows) return;
    reported = loaded;
    const seconds = (performance.now() - started) / 1000;
    log(`  ${loaded.toLocaleString('en-US')} rows, ${Math.round(loaded / seconds).toLocaleString('en-US')} rows/s`);
  };
  const times =
    target.kind === 'sqlite'
      ? loadSqlite(target.file, registry, onProgress)
      : await loadPostgres(target.url, registry, onProgress);
  const loaded: LoadedStore = { target, homeDir, spec, credentials, times };
  await writeFile(fixtureFile(storeDir), `${JSON.stringify({ spec, credentials, target }, null, 2)}\n`, {
    mode: 0o600,
  });
  return loaded;
}

/** A store loaded by an earlier run with the same work directory. */
export async function reuseLoaded(target: StoreTarget, storeDir: string, rows: number): Promise<LoadedStore> {
  const saved = JSON.parse(await readFile(fixtureFile(storeDir), 'utf8')) as {
    spec: FixtureSpec;
    credentials: Credentials;
    target: StoreTarget;
  };
  if (saved.spec.rows !== rows) throw new Error(`${storeDir} holds ${saved.spec.rows} rows, not ${rows}`);
  if (JSON.stringify(saved.target) !== JSON.stringify(target)) {
    throw new Error(`${storeDir} was loaded into ${JSON.stringify(saved.target)}`);
  }
  return { target, homeDir: join(storeDir, 'fleetca'), spec: saved.spec, credentials: saved.credentials };
}
