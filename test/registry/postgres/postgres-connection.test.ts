import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import pg from 'pg';
import { ServiceError } from '../../../src/errors.js';
import { describePgUrl, pgPoolConfig } from '../../../src/registry/postgres/pg-connection.js';
import { translatePgError } from '../../../src/registry/postgres/pg-errors.js';
import { openPostgresRegistry } from '../../../src/registry/postgres/pg-registry.js';
import { StoreError } from '../../../src/registry/store-error.js';
import { makeCaRecord } from '../ca-certificate-fixtures.js';
import { makeRecord, SCOPE } from '../certificate-fixtures.js';
import { closedPort, freshSchema, POSTGRES_URL, startPgRelay } from './postgres-fixtures.js';

const SECRET = 'n0t-for-logs';

/** POSTGRES_URL with another database name, port or password. */
function variant(change: { database?: string; port?: number; password?: string }): string {
  const url = new URL(POSTGRES_URL);
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  if (change.port !== undefined) url.port = String(change.port);
  if (change.password !== undefined) url.password = change.password;
  return url.toString();
}

/** The error `promise` rejects with, which must be a StoreError that nowhere mentions the password. */
async function storeErrorOf(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof StoreError, `expected a StoreError, got ${inspect(error)}`);
  assert.ok(!inspect(error, { depth: 10 }).includes(SECRET), 'the password leaked');
  return error;
}

describe('postgres connection', () => {
  test('describePgUrl hides passwords and keeps everything else', () => {
    assert.equal(
      describePgUrl(`postgres://fleet:${SECRET}@db.example:5432/registry?sslmode=require`),
      'postgres://fleet:***@db.example:5432/registry?sslmode=require',
    );
    assert.equal(describePgUrl('postgresql://fleet@db.example/registry'), 'postgresql://fleet@db.example/registry');
    assert.ok(!describePgUrl(`postgres://fleet@db.example/registry?password=${SECRET}`).includes(SECRET));
    // Not a URL the parser accepts: everything before the host still goes.
    const odd = describePgUrl(`postgres://fleet:${SECRET}@/registry?password=${SECRET}`);
    assert.ok(!odd.includes(SECRET), odd);
  });

  test('pool settings: application name, pool size, timeouts; other URLs are refused', () => {
    const config = pgPoolConfig(POSTGRES_URL);
    assert.equal(config.application_name, 'fleetca');
    assert.equal(config.max, 10);
    assert.equal(config.keepAlive, true);
    assert.ok((config.connectionTimeoutMillis ?? 0) > 0 && (config.idleTimeoutMillis ?? 0) > 0);
    assert.equal(pgPoolConfig(POSTGRES_URL, { poolSize: 3 }).max, 3);
    assert.throws(() => pgPoolConfig(POSTGRES_URL, { poolSize: 0 }), RangeError);
    assert.throws(
      () => pgPoolConfig(`mysql://root:${SECRET}@localhost/x`),
      (error: unknown) =>
        error instanceof StoreError && error.code === 'OPEN_FAILED' && !error.message.includes(SECRET),
    );
  });

  test("sessions carry fleetca's application name and the URL's search_path", async () => {
    const schema = await freshSchema();
    try {
      const db = await schema.openDatabase();
      const { rows } = await db.query<{ application: string; schema: string }>(
        "SELECT current_setting('application_name') AS application, current_schema() AS schema",
      );
      assert.deepEqual(rows, [{ application: 'fleetca', schema: schema.name }]);
    } finally {
      await schema.cleanup();
    }
  });

  test('driver errors: connection failures become UNAVAILABLE, anything else is left as it is', () => {
    const where = 'postgres://x@h/db';
    const shutdown = new pg.DatabaseError('terminating connection due to administrator command', 0, 'error');
    shutdown.code = '57P01';
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    for (const error of [shutdown, reset, new Error('Connection terminated unexpectedly')]) {
      const translated = translatePgError(error, where);
      assert.ok(translated instanceof StoreError && translated.code === 'UNAVAILABLE', inspect(error));
      assert.match(translated.message, /postgres:\/\/x@h\/db/);
    }
    const badPassword = new pg.DatabaseError('password authentication failed for user "x"', 0, 'error');
    badPassword.code = '28P01';
    assert.equal((translatePgError(badPassword, where) as StoreError).code, 'OPEN_FAILED');
    const unique = new pg.DatabaseError('duplicate key value', 0, 'error');
    unique.code = '23505';
    // A rule's refusal, even one that looks like a socket error, reaches the caller as it was thrown.
    const refusal = new ServiceError('ResourceNotFoundException', 'Connection terminated');
    const lookalike = Object.assign(new Error('nope'), { code: 'ECONNREFUSED' });
    for (const error of [unique, refusal, lookalike]) assert.equal(translatePgError(error, where), error);
  });

  test('a port nothing listens on: UNAVAILABLE at once, the password nowhere', async () => {
    const url = variant({ port: await closedPort(), password: SECRET });
    let retried = false;
    const error = await storeErrorOf(openPostgresRegistry(url, { connect: { onRetry: () => (retried = true) } }));
    assert.equal(error.code, 'UNAVAILABLE');
    assert.ok(error.message.includes(describePgUrl(url)), error.message);
    assert.equal(retried, false, 'without a deadline, one attempt and no pause');
  });

  test('with a deadline, opening retries with growing pauses and gives up once it has passed', async () => {
    const url = variant({ port: await closedPort(), password: SECRET });
    const started = Date.now();
    const deadline = started + 1500;
    const retries: { delayMs: number; attempt: number }[] = [];
    const error = await storeErrorOf(
      openPostgresRegistry(url, {
        connect: {
          deadline,
          onRetry: (retryError, delayMs, attempt) => {
            assert.equal(retryError.code, 'UNAVAILABLE');
            assert.ok(!retryError.message.includes(SECRET));
            retries.push({ delayMs, attempt });
          },
        },
      }),
    );
    const elapsed = Date.now() - started;
    assert.equal(error.code, 'UNAVAILABLE');
    // Not before the deadline; that it stops once past it is the pauses' sum, checked below.
    assert.ok(elapsed >= 1400, `gave up after ${elapsed} ms`);
    assert.ok(retries.length >= 3, `${retries.length} retries`);
    assert.deepEqual(
      retries.map((r) => r.attempt),
      retries.map((_, i) => i + 1),
    );
    // 100 ms ± 20 % first, then doubling; only the last may be cut short by the deadline.
    const [first] = retries;
    assert.ok(first && first.delayMs >= 80 && first.delayMs <= 120, `first pause ${first?.delayMs}`);
    for (let i = 1; i < retries.length - 1; i++) {
      assert.ok((retries[i]?.delayMs ?? 0) > (retries[i - 1]?.delayMs ?? 0), `pauses grow: ${inspect(retries)}`);
    }
    assert.ok(retries.reduce((sum, r) => sum + r.delayMs, 0) <= deadline - started);
  });

  test('an unknown database is OPEN_FAILED at once, even with a deadline', async () => {
    const url = variant({ database: 'fleetca_no_such_database', password: SECRET });
    let retried = false;
    const error = await storeErrorOf(
      openPostgresRegistry(url, { connect: { deadline: Date.now() + 10_000, onRetry: () => (retried = true) } }),
    );
    assert.equal(error.code, 'OPEN_FAILED');
    assert.match(error.message, /fleetca_no_such_database/);
    assert.ok(error.message.includes(describePgUrl(url)), error.message);
    assert.equal(retried, false);
  });

  test('a server gone away: every store method fails with UNAVAILABLE, and all is well once it is back', async () => {
    const schema = await freshSchema();
    const relay = await startPgRelay();
    try {
      const registry = await schema.open({ changeFeed: false });
      const record = makeRecord('through-the-relay');
      await registry.certificates.insertCertificate(record);
      const relayed = await openPostgresRegistry(relay.via(schema.url));
      try {
        await relayed.certificates.getCertificate(SCOPE, record.certificateId);
        await relay.cut();
        const calls: (() => Promise<unknown>)[] = [
          () => relayed.certificates.getCertificate(SCOPE, record.certificateId),
          () => relayed.certificates.insertCertificate(makeRecord('while-down')),
          () => relayed.certificates.listCertificates(SCOPE, { limit: 5, ascending: false }),
          () => relayed.certificates.updateStatus(SCOPE, record.certificateId, () => undefined),
          () => relayed.certificates.deleteCertificate(SCOPE, record.certificateId, () => ({ detachPolicies: false })),
          () => relayed.certificates.attach(SCOPE, record.certificateId, { kind: 'thing', name: 't' }),
          () => relayed.caCertificates.registerCaCertificate(makeCaRecord('while-down'), () => {}),
          () => relayed.caCertificates.listCaCertificates(SCOPE, { limit: 5, ascending: false }),
          () => relayed.accounts.createAccount('123456789012'),
          () => relayed.accounts.findAccessKey('AKIAAAAAAAAAAAAAAAAA'),
          () => relayed.scopeIdentifiers.getOrCreate(SCOPE, 'endpoint-prefix', () => 'prefix'),
        ];
        for (const call of calls) {
          const error = await storeErrorOf(call());
          assert.equal(error.code, 'UNAVAILABLE', error.message);
        }
        await relay.restore();
        assert.deepEqual(await relayed.certificates.getCertificate(SCOPE, record.certificateId), record);
        assert.equal(
          await relayed.certificates.getCertificate(SCOPE, makeRecord('while-down').certificateId),
          undefined,
        );
      } finally {
        await relayed.close();
      }
    } finally {
      await relay.close();
      await schema.cleanup();
    }
  });
});
