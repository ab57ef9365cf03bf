import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { openPgDatabase, type PgDatabase, type PgOpenOptions } from '../../../src/registry/postgres/pg-database.js';
import { openPostgresRegistry, type PostgresRegistryOptions } from '../../../src/registry/postgres/pg-registry.js';
import type { Registry } from '../../../src/registry/registry.js';

/** The server the PostgreSQL tests run against: FLEETCA_TEST_POSTGRES, or the local test database. */
export const POSTGRES_URL = process.env.FLEETCA_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `base` whose sessions use `schema` (libpq's `options`, with %20 rather than '+', which libpq reads literally). */
export function urlWithSchema(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.delete('options');
  const others = url.searchParams.toString();
  url.search = `${others === '' ? '' : `${others}&`}options=-c%20search_path%3D${schema}`;
  return url.toString();
}

/** The tests' own connections (schema setup and inspection), separate from any registry's pool. */
let adminPool: pg.Pool | undefined;

/** Runs one statement as the tests' administrator, on the database's default search_path. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values?: unknown[],
): Promise<R[]> {
  // allowExitOnIdle: the test process ends without anyone closing this pool.
  adminPool ??= new pg.Pool({ connectionString: POSTGRES_URL, max: 2, allowExitOnIdle: true });
  return (await adminPool.query<R>(text, values)).rows;
}

/** A fresh, empty schema of its own for one test, and whatever the test opened on it. */
export interface PgTestSchema {
  readonly name: string;
  /** POSTGRES_URL with the schema as its search_path. */
  readonly url: string;
  /** A registry on the schema, with its own pool; closed by cleanup. */
  open(options?: PostgresRegistryOptions): Promise<Registry>;
  /** The migrated database under the registry (for stores built by hand); closed by cleanup. */
  openDatabase(options?: PgOpenOptions): Promise<PgDatabase>;
  /** One statement as administrator, with unqualified names resolved in the schema. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Closes everything opened and drops the schema with its contents. */
  cleanup(): Promise<void>;
}

/** Creates `fleetca_t_<random hex>`; nothing in it until a registry is opened there. */
export async function freshSchema(): Promise<PgTestSchema> {
  const name = `fleetca_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  const url = urlWithSchema(POSTGRES_URL, name);
  const closers: (() => Promise<void>)[] = [];
  return {
    name,
    url,
    open: async (options = {}) => {
      const registry = await openPostgresRegistry(url, options);
      closers.push(() => registry.close());
      return registry;
    },
    openDatabase: async (options = {}) => {
      const db = await openPgDatabase(url, options);
      closers.push(() => db.close());
      return db;
    },
    query: async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<R>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    cleanup: async () => {
      for (const close of closers.splice(0)) await close();
      await adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    },
  };
}

/** A TCP relay to the test server that can be cut and restored: the server "going away" without stopping it. */
export interface PgRelay {
  readonly port: number;
  /** `url` with its host and port replaced by the relay's. */
  via(url: string): string;
  /** Refuses new connections and drops every open one. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startPgRelay(): Promise<PgRelay> {
  const target = new URL(POSTGRES_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = async () => {
    const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined;
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    via: (url) => {
      const relayed = new URL(url);
      relayed.hostname = '127.0.0.1';
      relayed.port = String(port);
      return relayed.toString();
    },
    cut: stop,
    restore: () => listen(port),
    close: stop,
  };
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
