import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONFIG_FORMAT, checkAccountId, DEFAULT_CONFIG, type HomeConfig, HomeError, parseConfig } from './config.js';

/**
 * The data directory: config.json (its identity), ca/ (CA material, keys 0600) and, unless the registry
 * is elsewhere (PostgreSQL), registry.db (SQLite, WAL). Created on first use; concurrent first uses end
 * with one of each. Replicas may share one, mounted read-only: an existing directory is only read.
 */
export interface DataDir {
  readonly path: string;
  readonly config: HomeConfig;
  readonly caDir: string;
  /** The default SQLite registry; created by the first command that uses it. */
  readonly registryFile: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function dataDirPath(env: Env): string {
  const configured = env.FLEETCA_HOME;
  if (configured !== undefined && configured !== '') return resolve(configured);
  return join(env.HOME || homedir(), '.fleetca');
}

export async function openDataDir(env: Env): Promise<DataDir> {
  const path = dataDirPath(env);
  await mkdir(path, { recursive: true, mode: 0o700 });
  const info = await stat(path);
  if (!info.isDirectory()) throw new HomeError(`${path} is not a directory`);

  const configFile = join(path, 'config.json');
  let config = await readConfig(configFile);
  if (!config) {
    await refuseForeign(path);
    config = await createConfig(configFile);
  }
  if (env.FLEETCA_ACCOUNT_ID) {
    checkAccountId(env.FLEETCA_ACCOUNT_ID, 'FLEETCA_ACCOUNT_ID');
    config = { ...config, accountId: env.FLEETCA_ACCOUNT_ID };
  }
  return { path, config, caDir: join(path, 'ca'), registryFile: registryFileIn(path) };
}

export function registryFileIn(dataDirPath: string): string {
  return join(dataDirPath, 'registry.db');
}

/**
 * A registry file holds access-key secrets: create it owner-only before SQLite does (SQLite gives its -wal
 * and -shm files the database file's mode, so they stay owner-only too). An existing file is left as it is.
 */
export async function createPrivateFile(file: string): Promise<void> {
  try {
    await (await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

async function readConfig(file: string): Promise<HomeConfig | undefined> {
  try {
    return parseConfig(await readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

// Anything else already in the directory means it belongs to something else: never take it over.
async function refuseForeign(path: string): Promise<void> {
  const entries = (await readdir(path)).filter((name) => !name.startsWith('.config.json.'));
  // A concurrent first use may have created config.json (and more) since we looked for it.
  if (entries.includes('config.json')) return;
  if (entries.length > 0) {
    throw new HomeError(
      `${path} is not a fleetca data directory (it has no config.json but holds ${entries.slice(0, 3).join(', ')}); ` +
        'point FLEETCA_HOME at an empty or new directory',
    );
  }
}

// Written to a private temp file then hard-linked into place: link() never replaces an existing
// config, so two processes starting at once agree on the first one written.
async function createConfig(file: string): Promise<HomeConfig> {
  const temp = `${file.replace(/config\.json$/, '.config.json.')}${process.pid}.${Date.now()}`;
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ ...DEFAULT_CONFIG, format: CONFIG_FORMAT }, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(temp, { force: true });
  }
  const config = await readConfig(file);
  if (!config) throw new HomeError(`${file} vanished while the data directory was being created`);
  return config;
}
