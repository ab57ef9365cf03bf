import type { CertificateAuthority, ServerCertificateIssuer } from '../ca/authority.js';
import { openFileAuthority } from '../ca/bootstrap.js';
import { encodeName } from '../ca/distinguished-name.js';
import type { KeyPairGenerator } from '../ca/key-generator.js';
import { createWorkerKeyPairGenerator } from '../ca/keygen/worker-key-generator.js';
import type { OperationContext } from '../operations/context.js';
import type { Scope } from '../registry/certificate-record.js';
import type { Registry } from '../registry/registry.js';
import { openSqliteRegistry } from '../registry/sqlite/sqlite-registry.js';
import { HomeError } from './config.js';
import { type DataDir, openDataDir } from './data-dir.js';

/** A data directory opened for work: its CA, its registry, and contexts for operations. */
export interface Home {
  readonly dataDir: DataDir;
  readonly authority: CertificateAuthority & ServerCertificateIssuer;
  readonly registry: Registry;
  /** The configured account, in the given region or the configured default one. */
  defaultScope(region: string | undefined): Scope;
  context(scope: Scope): OperationContext;
  close(): Promise<void>;
}

export async function openHome(env: Readonly<Record<string, string | undefined>>): Promise<Home> {
  const dataDir = await openDataDir(env);
  let defaultSubject: Buffer;
  try {
    defaultSubject = encodeName(dataDir.config.certificateSubject);
  } catch (err) {
    throw new HomeError(`certificateSubject in ${dataDir.path}/config.json: ${(err as Error).message}`);
  }
  const authority = await openFileAuthority(dataDir.caDir);
  const registry = await openSqliteRegistry(dataDir.registryFile);
  const keys: KeyPairGenerator = createWorkerKeyPairGenerator();
  return {
    dataDir,
    authority,
    registry,
    defaultScope: (region) => ({ accountId: dataDir.config.accountId, region: region ?? dataDir.config.defaultRegion }),
    context: (scope) => ({ scope, registry, authority, keys, defaultSubject, now: () => new Date() }),
    close: async () => {
      await registry.close();
      await keys.close();
    },
  };
}
