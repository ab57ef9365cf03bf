import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The shared PostgreSQL server the tests use unless FLEETCA_TEST_POSTGRES names another. */
export const TEST_POSTGRES_URL = process.env.FLEETCA_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';

/** A URL whose connections work in `schema` (libpq's options parameter sets their search_path). */
export function urlWithSchema(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export interface TestSchema {
  readonly name: string;
  /** Connections made with this URL create and find fleetca's tables in the schema. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty schema on the test server, so that tests running at the same time never meet. */
export async function createTestSchema(base = TEST_POSTGRES_URL): Promise<TestSchema> {
  const name = `fleetca_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlWithSchema(base, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
