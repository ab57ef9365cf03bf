import type { Registry } from '../registry.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteCertificateStore } from './sqlite-store.js';

/** The whole registry on one SQLite file (WAL), every store sharing the one connection. */
export async function openSqliteRegistry(file: string): Promise<Registry> {
  const db = await openSqliteDatabase(file);
  return {
    certificates: new SqliteCertificateStore(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
