import type { CertificateAuthority, RevocationSigner, ServerCertificateIssuer } from '../ca/authority.js';
import { type FileCertificateAuthority, loadFileAuthority, openFileAuthority } from '../ca/bootstrap.js';
import { encodeName } from '../ca/distinguished-name.js';
import type { KeyPairGenerator } from '../ca/key-generator.js';
import { type KeyEngine, keyEngineOnFirstUse } from '../ca/keygen/key-engine-on-first-use.js';
import type { KeyPool, KeyPoolObserver, KeyPoolStats } from '../ca/keygen/key-pool.js';
import type { KeyEngineStats } from '../ca/keygen/worker-key-generator.js';
import type { Scope } from '../domain/scope.js';
import type { OperationContext } from '../operations/context.js';
import { parseRegionList, RegionNameError, type RegionPolicy, regionPolicy } from '../regions/region-policy.js';
import { type OpenRegistryOptions, openRegistry } from '../registry/open-registry.js';
import type { Registry } from '../registry/registry.js';
import { parseStoreLocation, type StoreLocation, StoreLocationError } from '../registry/store-location.js';
import { revocationUrls } from '../revocation/revocation-settings.js';
import { type AskOption, caPassphraseSource, configuredPassphrase } from './ca-passphrase.js';
import { HomeError, type KeygenSettings, REGISTRY_FILE } from './config.js';
import { type DataDir, type DataDirPaths, dataDirPath, openDataDir, registryFileIn } from './data-dir.js';

/** A data directory opened for work: its CA, its registry, and contexts for operations. */
export interface Home {
  readonly dataDir: DataDir;
  readonly authority: CertificateAuthority & ServerCertificateIssuer & RevocationSigner;
  readonly registry: Registry;
  /** Decrypts the CA key now when it is encrypted (a server, so that a wrong passphrase stops it at start). */
  unlockCa(): Promise<void>;
  /** The region names this directory accepts: AWS's and its private ones. */
  readonly regions: RegionPolicy;
  /** The configured account, in the given region or the configured default one; an unknown region is refused. */
  defaultScope(region: string | undefined): Scope;
  context(scope: Scope): OperationContext;
  /** The key generator's counters, and the pool's when there is one. */
  keygenStats(): { readonly engine: KeyEngineStats; readonly pool?: KeyPoolStats };
  close(): Promise<void>;
}

export interface HomeOptions extends OpenRegistryOptions {
  /** `--store`: where the registry is; FLEETCA_STORE, then the data directory's registry.db, when absent. */
  readonly store?: string;
  /** Overrides config.json's revocation.publicBaseUrl (`fleetca serve --public-base-url`). */
  readonly publicBaseUrl?: string;
  /** Overrides config.json's keygen settings (command-line flags). */
  readonly keygen?: Partial<KeygenSettings>;
  /** Keep a key pool (a long-running server); a one-shot CLI run has no use for keys made ahead. */
  readonly usePool?: boolean;
  /**
   * Import now the code a one-shot command imports on first use — the registry's stores, the CA's signing, the key
   * generator — so that a long-running server's first requests do not pay for it.
   */
  readonly preload?: boolean;
  /** Hears the pool filling, full and drained (the server logs it). */
  readonly keyPoolObserver?: KeyPoolObserver;
  /** Hears what was made on the way (a new data directory, a new registry file): the CLI's stderr, the server's log. */
  readonly onNote?: (note: string) => void;
  /** Where to ask for the CA key's passphrase when no setting gives it: the terminal by default, `false` never. */
  readonly askPassphrase?: AskOption;
}

type HomeEnv = Readonly<Record<string, string | undefined>>;

export async function openHome(env: HomeEnv, options: HomeOptions = {}): Promise<Home> {
  // Checked first, so that a mistyped --store never creates a data directory.
  const location = storeLocation(options.store, env);
  const dataDir = await openInitialisedDataDir(env, location, options.onNote);
  let defaultSubject: Buffer;
  try {
    defaultSubject = encodeName(dataDir.config.certificateSubject);
  } catch (err) {
    throw new HomeError(`certificateSubject in ${dataDir.path}/config.json: ${(err as Error).message}`);
  }
  const regions = homeRegions(dataDir, env);
  const publicBaseUrl = options.publicBaseUrl ?? dataDir.config.revocation?.publicBaseUrl;
  const authority = await loadFileAuthority(dataDir.caDir, {
    passphrase: caPassphraseSource(env, options.askPassphrase),
    ...(publicBaseUrl === undefined ? {} : { revocationUrls: (keyId: string) => revocationUrls(publicBaseUrl, keyId) }),
  });
  const ownFile = isOwnRegistry(location, dataDir);
  const registry = await openRegistry(location, {
    ...options,
    preloadStores: options.preload === true,
    sqliteFile: {
      create: !(ownFile && dataDir.config.registry === REGISTRY_FILE),
      onCreated: (file) => options.onNote?.(`created a new, empty registry ${file}`),
    },
  });
  if (options.preload) await authority.loadSigningCode();
  const { engine, pool } = await keyGeneration(
    { ...dataDir.config.keygen, ...definedOnly(options.keygen ?? {}) },
    options,
  );
  const keys: KeyPairGenerator = pool ?? engine;
  return {
    dataDir,
    authority,
    registry,
    unlockCa: () => authority.unlock(),
    regions,
    defaultScope: (region) => {
      if (region !== undefined && !regions.accepts(region)) throw new HomeError(`region ${regions.refusal(region)}`);
      return { accountId: dataDir.config.accountId, region: region ?? dataDir.config.defaultRegion };
    },
    context: (scope) => ({ scope, registry, authority, keys, defaultSubject, now: () => new Date() }),
    keygenStats: () => ({ engine: engine.stats(), pool: pool?.stats() }),
    close: async () => {
      await registry.close();
      await keys.close();
    },
  };
}

/**
 * The CA alone (`fleetca ca ...`): it never needs the registry, which may be a database far away. An encrypted
 * key is decrypted only when something signs, so `fleetca ca export` never asks for the passphrase.
 */
export async function openHomeAuthority(
  env: HomeEnv,
  onNote?: (note: string) => void,
  askPassphrase?: AskOption,
): Promise<{ readonly dataDir: DataDir; readonly authority: FileCertificateAuthority }> {
  const dataDir = await openInitialisedDataDir(env, storeLocation(undefined, env), onNote);
  return {
    dataDir,
    authority: await loadFileAuthority(dataDir.caDir, { passphrase: caPassphraseSource(env, askPassphrase) }),
  };
}

/**
 * The key generator, and its pool when asked for one: started now for a server (`preload`, `usePool`), else on
 * the first key asked of it (most one-shot commands make none).
 */
async function keyGeneration(
  settings: Partial<KeygenSettings>,
  options: HomeOptions,
): Promise<{ readonly engine: KeyEngine; readonly pool?: KeyPool }> {
  const engineOptions = { engine: settings.engine, threads: settings.threads, maxQueued: settings.maxQueued };
  if (!options.preload && !options.usePool) return { engine: keyEngineOnFirstUse(engineOptions) };
  const [{ createWorkerKeyPairGenerator }, { createKeyPool, DEFAULT_KEY_POOL_SIZE }] = await Promise.all([
    import('../ca/keygen/worker-key-generator.js'),
    import('../ca/keygen/key-pool.js'),
  ]);
  const engine = createWorkerKeyPairGenerator(engineOptions);
  const poolSize = options.usePool ? (settings.poolSize ?? DEFAULT_KEY_POOL_SIZE) : 0;
  return { engine, pool: poolSize > 0 ? createKeyPool(engine, poolSize, options.keyPoolObserver) : undefined };
}

/** A new directory gets its CA and, when the registry is its own file, that file, before it counts as initialised. */
async function openInitialisedDataDir(
  env: HomeEnv,
  location: StoreLocation,
  onNote: ((note: string) => void) | undefined,
): Promise<DataDir> {
  const dataDir = await openDataDir(env, async (paths) => {
    // A passphrase set before the first use encrypts the new keys from the start; a terminal is never asked here.
    const passphrase = await configuredPassphrase(env);
    try {
      await openFileAuthority(paths.caDir, { encryptNewKeysWith: passphrase?.bytes });
    } finally {
      passphrase?.bytes.fill(0);
    }
    if (!isOwnRegistry(location, paths)) return {};
    await (await openRegistry(location)).close();
    return { registry: REGISTRY_FILE };
  });
  if (dataDir.created) {
    const what = dataDir.config.registry ? 'a new CA and registry' : 'a new CA';
    onNote?.(`created ${what} in ${dataDir.path} (first use); \`fleetca ca export\` prints its chain`);
  }
  return dataDir;
}

/** config.json's privateRegions plus FLEETCA_PRIVATE_REGIONS; the configured default region must be one of them or AWS's. */
function homeRegions(dataDir: DataDir, env: HomeEnv): RegionPolicy {
  let regions: RegionPolicy;
  try {
    regions = regionPolicy([...(dataDir.config.privateRegions ?? []), ...parseRegionList(env.FLEETCA_PRIVATE_REGIONS)]);
  } catch (err) {
    if (err instanceof RegionNameError) throw new HomeError(`FLEETCA_PRIVATE_REGIONS: ${err.message}`);
    throw err;
  }
  const { defaultRegion } = dataDir.config;
  if (!regions.accepts(defaultRegion)) {
    throw new HomeError(`${dataDir.path}/config.json: defaultRegion ${regions.refusal(defaultRegion)}`);
  }
  return regions;
}

function isOwnRegistry(location: StoreLocation, paths: DataDirPaths): boolean {
  return location.engine === 'sqlite' && location.file === paths.registryFile;
}

function storeLocation(flag: string | undefined, env: HomeEnv): StoreLocation {
  const [value, source] = flag !== undefined ? [flag, '--store'] : [env.FLEETCA_STORE, 'FLEETCA_STORE'];
  try {
    return parseStoreLocation(value, registryFileIn(dataDirPath(env)), source);
  } catch (error) {
    if (error instanceof StoreLocationError) throw new HomeError(error.message);
    throw error;
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
