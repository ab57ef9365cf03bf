import type { CertificateAuthority, ServerCertificateIssuer } from '../ca/authority.js';
import { openFileAuthority } from '../ca/bootstrap.js';
import { encodeName } from '../ca/distinguished-name.js';
import type { KeyPairGenerator } from '../ca/key-generator.js';
import {
  createKeyPool,
  DEFAULT_KEY_POOL_SIZE,
  type KeyPoolObserver,
  type KeyPoolStats,
} from '../ca/keygen/key-pool.js';
import { createWorkerKeyPairGenerator, type KeyEngineStats } from '../ca/keygen/worker-key-generator.js';
import type { OperationContext } from '../operations/context.js';
import type { Scope } from '../registry/certificate-record.js';
import { type OpenRegistryOptions, openRegistry } from '../registry/open-registry.js';
import type { Registry } from '../registry/registry.js';
import { parseStoreLocation, type StoreLocation, StoreLocationError } from '../registry/store-location.js';
import { HomeError, type KeygenSettings } from './config.js';
import { createPrivateFile, type DataDir, dataDirPath, openDataDir, registryFileIn } from './data-dir.js';

/** A data directory opened for work: its CA, its registry, and contexts for operations. */
export interface Home {
  readonly dataDir: DataDir;
  readonly authority: CertificateAuthority & ServerCertificateIssuer;
  readonly registry: Registry;
  /** The configured account, in the given region or the configured default one. */
  defaultScope(region: string | undefined): Scope;
  context(scope: Scope): OperationContext;
  /** The key generator's counters, and the pool's when there is one. */
  keygenStats(): { readonly engine: KeyEngineStats; readonly pool?: KeyPoolStats };
  close(): Promise<void>;
}

export interface HomeOptions extends OpenRegistryOptions {
  /** `--store`: where the registry is; FLEETCA_STORE, then the data directory's registry.db, when absent. */
  readonly store?: string;
  /** Overrides config.json's keygen settings (command-line flags). */
  readonly keygen?: Partial<KeygenSettings>;
  /** Keep a key pool (a long-running server); a one-shot CLI run has no use for keys made ahead. */
  readonly usePool?: boolean;
  /** Hears the pool filling, full and drained (the server logs it). */
  readonly keyPoolObserver?: KeyPoolObserver;
}

type HomeEnv = Readonly<Record<string, string | undefined>>;

export async function openHome(env: HomeEnv, options: HomeOptions = {}): Promise<Home> {
  // Checked first, so that a mistyped --store never creates a data directory.
  const location = storeLocation(options.store, env);
  const dataDir = await openDataDir(env);
  let defaultSubject: Buffer;
  try {
    defaultSubject = encodeName(dataDir.config.certificateSubject);
  } catch (err) {
    throw new HomeError(`certificateSubject in ${dataDir.path}/config.json: ${(err as Error).message}`);
  }
  const authority = await openFileAuthority(dataDir.caDir);
  if (location.engine === 'sqlite') await createPrivateFile(location.file);
  const registry = await openRegistry(location, options);
  const settings = { ...dataDir.config.keygen, ...definedOnly(options.keygen ?? {}) };
  const engine = createWorkerKeyPairGenerator({
    engine: settings.engine,
    threads: settings.threads,
    maxQueued: settings.maxQueued,
  });
  const poolSize = options.usePool ? (settings.poolSize ?? DEFAULT_KEY_POOL_SIZE) : 0;
  const pool = poolSize > 0 ? createKeyPool(engine, poolSize, options.keyPoolObserver) : undefined;
  const keys: KeyPairGenerator = pool ?? engine;
  return {
    dataDir,
    authority,
    registry,
    defaultScope: (region) => ({ accountId: dataDir.config.accountId, region: region ?? dataDir.config.defaultRegion }),
    context: (scope) => ({ scope, registry, authority, keys, defaultSubject, now: () => new Date() }),
    keygenStats: () => ({ engine: engine.stats(), pool: pool?.stats() }),
    close: async () => {
      await registry.close();
      await keys.close();
    },
  };
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
