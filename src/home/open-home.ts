import type { CertificateAuthority } from '../ca/authority.js';
import { openFileAuthority } from '../ca/bootstrap.js';
import { encodeName } from '../ca/distinguished-name.js';
import { type KeyPairGenerator, opensslKeyPairGenerator } from '../ca/key-generator.js';
import type { OperationContext } from '../operations/context.js';
import { openSqliteStore } from '../registry/sqlite/sqlite-store.js';
import type { CertificateStore } from '../registry/store.js';
import { HomeError } from './config.js';
import { type DataDir, openDataDir } from './data-dir.js';

/** A data directory opened for work: its CA, its registry, and contexts for operations. */
export interface Home {
  readonly dataDir: DataDir;
  readonly authority: CertificateAuthority;
  context(region: string | undefined): OperationContext;
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
  const store: CertificateStore = await openSqliteStore(dataDir.registryFile);
  const keys: KeyPairGenerator = opensslKeyPairGenerator;
  return {
    dataDir,
    authority,
    context: (region) => ({
      scope: { accountId: dataDir.config.accountId, region: region ?? dataDir.config.defaultRegion },
      store,
      authority,
      keys,
      defaultSubject,
      now: () => new Date(),
    }),
    close: async () => {
      await store.close();
      await keys.close();
    },
  };
}
