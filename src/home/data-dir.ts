import { constants } from 'node:fs';
import { chmod, link, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fsyncPath } from '../fsync.js';
import {
  CONFIG_FORMAT,
  checkAccountId,
  DEFAULT_CONFIG,
  type HomeConfig,
  HomeError,
  parseConfig,
  REGISTRY_FILE,
} from './config.js';

/**
 * The data directory: config.json (its identity), ca/ (CA material, keys 0600) and, unless the registry
 * is elsewhere (PostgreSQL), registry.db (SQLite, WAL). Made on first use, config.json last: once it exists the
 * directory is initialised, and nothing in it is ever made anew. Concurrent first uses end with one of each.
 * Replicas may share one, mounted read-only: an existing directory is only read.
 */
export interface DataDir extends DataDirPaths {
  readonly config: HomeConfig;
  /** True only in the process whose first use initialised the directory. */
  readonly created: boolean;
}

export interface DataDirPaths {
  readonly path: string;
  readonly caDir: string;
  /** The default SQLite registry. */
  readonly registryFile: string;
}

/**
 * Makes a new directory's material before config.json marks it initialised: the CA, and the registry when it is
 * the directory's own file (then recorded in config.json). Must converge when several processes run it at once.
 */
export type InitialiseDataDir = (paths: DataDirPaths) => Promise<Pick<HomeConfig, 'registry'>>;

type Env = Readonly<Record<string, string | undefined>>;

export function dataDirPath(env: Env): string {
  const configured = env.FLEETCA_HOME;
  if (configured !== undefined && configured !== '') return resolve(configured);
  return join(env.HOME || homedir(), '.fleetca');
}

export async function openDataDir(env: Env, initialise: InitialiseDataDir): Promise<DataDir> {
  const path = dataDirPath(env);
  await mkdir(path, { recursive: true, mode: 0o700 });
  const info = await stat(path);
  if (!info.isDirectory()) throw new HomeError(`${path} is not a directory`);

  const paths = { path, caDir: join(path, 'ca'), registryFile: registryFileIn(path) };
  const configFile = join(path, 'config.json');
  let config = await readConfig(configFile);
  const loose = (info.mode & 0o077) !== 0;
  if (loose && config)
    throw looseDirectory(path, info.mode, ' (fleetca does not change it: check first that nothing was copied)');
  let created = false;
  if (!config) {
    await refuseForeign(path);
    // Only a directory fleetca is about to make its own is tightened: never a foreign one.
    if (loose) await tighten(path, info.mode);
    ({ config, created } = await initialiseDataDir(configFile, paths, initialise));
  }
  if (env.FLEETCA_ACCOUNT_ID) {
    checkAccountId(env.FLEETCA_ACCOUNT_ID, 'FLEETCA_ACCOUNT_ID');
    config = { ...config, accountId: env.FLEETCA_ACCOUNT_ID };
  }
  return { ...paths, config, created };
}

/**
 * A data directory others can enter. An initialised one is refused, as ssh's StrictModes refuses a loose ~/.ssh:
 * its registry (access-key secrets) and CA may already have been read, which only the operator can judge, and
 * a silent chmod would hide that (and fails anyway on a read-only replica mount or another user's directory).
 * One not initialised yet holds nothing secret (an interrupted first use's CA is in a 0700 ca/ with 0600 keys),
 * so it is tightened to 0700: `mkdir /srv/fleetca` with the usual umask then just works.
 */
function looseDirectory(path: string, mode: number, why: string): HomeError {
  const shown = (mode & 0o777).toString(8).padStart(4, '0');
  return new HomeError(
    `data directory ${path} has mode ${shown}, which gives other users access to its CA and registry${why}; ` +
      `restrict it with: chmod 700 ${path}`,
  );
}

async function tighten(path: string, mode: number): Promise<void> {
  try {
    await chmod(path, 0o700);
  } catch (err) {
    throw looseDirectory(path, mode, ` and it cannot be changed (${(err as NodeJS.ErrnoException).code})`);
  }
}

export function registryFileIn(dataDirPath: string): string {
  return join(dataDirPath, REGISTRY_FILE);
}

async function readConfig(file: string): Promise<HomeConfig | undefined> {
  try {
    return parseConfig(await readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const CONFIG_DRAFT_PREFIX = '.config.json.';
/** What an unfinished first use leaves besides its config draft: CA and registry, or their temporary forms. */
const FIRST_USE_MATERIAL = /^(ca|\.ca\.tmp-.*|registry\.db(-wal|-shm)?|\.registry\.db\.new-.*)$/;

// Anything else already in the directory means it belongs to something else: never take it over. A config draft
// marks a first use under way (or interrupted, to be finished): its material may be there before config.json.
async function refuseForeign(path: string): Promise<void> {
  const entries = await readdir(path);
  // A concurrent first use may have created config.json (and more) since we looked for it.
  if (entries.includes('config.json')) return;
  const underWay = entries.some((name) => name.startsWith(CONFIG_DRAFT_PREFIX));
  const others = entries.filter(
    (name) => !name.startsWith(CONFIG_DRAFT_PREFIX) && !(underWay && FIRST_USE_MATERIAL.test(name)),
  );
  if (others.length > 0) {
    throw new HomeError(
      `${path} is not a fleetca data directory (it has no config.json but holds ${others.slice(0, 3).join(', ')}); ` +
        'if it is one whose config.json was lost, restore config.json from a backup; otherwise point FLEETCA_HOME at an empty or new directory',
    );
  }
}

/**
 * The draft config is created first (marking the first use), the material next, and the draft is hard-linked
 * into place last: link() never replaces an existing config, so concurrent first uses agree on the first one
 * written, and only the process whose link succeeded made the directory.
 */
/** What a new data directory gets that one made by an older fleetca lacks (and keeps lacking until its operator chooses). */
const NEW_DIRECTORY_SETTINGS = { deviceAuthorization: 'policies' } as const;

async function initialiseDataDir(
  file: string,
  paths: DataDirPaths,
  initialise: InitialiseDataDir,
): Promise<{ config: HomeConfig; created: boolean }> {
  const draft = join(paths.path, `${CONFIG_DRAFT_PREFIX}${process.pid}.${Date.now()}`);
  const handle = await open(draft, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    const material = await initialise(paths);
    await handle.writeFile(
      `${JSON.stringify({ ...DEFAULT_CONFIG, format: CONFIG_FORMAT, ...NEW_DIRECTORY_SETTINGS, ...material }, null, 2)}\n`,
    );
    await handle.sync();
  } finally {
    // On failure the draft stays: it marks the first use as interrupted, so the next one finishes it.
    await handle.close();
  }
  let created = false;
  try {
    await link(draft, file);
    created = true;
    await fsyncPath(paths.path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(draft, { force: true });
  }
  const config = await readConfig(file);
  if (!config) throw new HomeError(`${file} vanished while the data directory was being created`);
  return { config, created };
}
