import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CreateKeysAndCertificateCommand, DescribeCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { eventually } from '../helpers/eventually.js';
import { createAccount, iotClientFor, startServer } from '../helpers/fleetca-server.js';
import { createPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { cliEnv, tempHome } from '../helpers/run-cli.js';
import { freshSchema } from '../registry/postgres/postgres-fixtures.js';

/** What a load of CreateKeysAndCertificate calls got back: the ids handed out, and every error by name. */
interface LoadOutcome {
  readonly received: Map<string, string>;
  readonly errors: Map<string, number>;
}

/**
 * `workers` loops calling CreateKeysAndCertificate on the clients in turn until `stop` is set; `outcome` fills as
 * they go (a test waits on it to know the load is running, or failing).
 */
async function createUnderLoad(
  clients: readonly IoTClient[],
  workers: number,
  stop: { done: boolean },
  outcome: LoadOutcome = { received: new Map(), errors: new Map() },
) {
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = worker; !stop.done; i++) {
        const client = clients[i % clients.length] as IoTClient;
        try {
          const created = await client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
          outcome.received.set(created.certificateId ?? '', created.certificatePem ?? '');
        } catch (error) {
          const name = (error as Error).name;
          outcome.errors.set(name, (outcome.errors.get(name) ?? 0) + 1);
          await delay(20);
        }
      }
    }),
  );
  return outcome;
}

/** Every certificate a client received is in the registry, exactly as it was handed out. */
async function assertAllKept(client: IoTClient, received: ReadonlyMap<string, string>): Promise<void> {
  for (const [certificateId, pem] of received) {
    const described = await client.send(new DescribeCertificateCommand({ certificateId }));
    assert.equal(described.certificateDescription?.certificatePem, pem, `certificate ${certificateId} was lost`);
  }
}

describe('PostgreSQL faults', () => {
  let postgres: PrivatePostgres;

  before(async () => {
    postgres = await createPrivatePostgres();
  });

  after(async () => {
    await postgres?.destroy();
  });

  test('unreachable at start: serve says why, retries with back-off, and comes up with PostgreSQL', async () => {
    const env = cliEnv(await tempHome('fleetca-pg-down-'), { FLEETCA_STORE: postgres.url });
    // startServer resolves once the server listens, which it may only do after reaching its registry.
    let attempts = 0;
    const starting = startServer(env, [], (chunk) => {
      attempts += chunk.split('cannot reach the registry').length - 1;
    });
    // A few attempts (about 0.1, 0.2, 0.4, 0.8 s apart) before PostgreSQL comes up.
    await eventually('three attempts to reach the registry', () => attempts >= 3);
    await postgres.start();
    const server = await starting;
    try {
      const retries = server
        .logs()
        .split('\n')
        .filter((line) => line.includes('cannot reach the registry'))
        .map((line) => JSON.parse(line) as { err: string; retryInMs: number; attempt: number });
      assert.ok(retries.length >= 3, `expected several retries, logged: ${server.logs()}`);
      assert.match(retries[0]?.err ?? '', /127\.0\.0\.1:\d+/);
      for (let i = 1; i < retries.length; i++) {
        assert.equal(retries[i]?.attempt, i + 1);
        // Back-off grows (with jitter of at most a fifth either way) until its cap.
        assert.ok((retries[i]?.retryInMs ?? 0) > (retries[i - 1]?.retryInMs ?? 0) * 1.2, JSON.stringify(retries));
      }
      const credentials = await createAccount(env, '222233334444');
      const iot = iotClientFor(server, credentials);
      try {
        const created = await iot.send(new CreateKeysAndCertificateCommand({}));
        assert.match(created.certificateId ?? '', /^[0-9a-f]{64}$/);
      } finally {
        iot.destroy();
      }
    } finally {
      const code = await server.stop();
      assert.equal(code, 0, `fleetca serve ended with ${code}; its log:\n${server.logs()}`);
    }
  });

  test('a restart under load: 503 while it is down, recovery by itself, nothing a client received lost', async (t) => {
    await postgres.start();
    const env = cliEnv(await tempHome('fleetca-pg-restart-'), { FLEETCA_STORE: postgres.url });
    const server = await startServer(env);
    const credentials = await createAccount(env, '333344445555');
    const iot = iotClientFor(server, credentials);
    try {
      const stop = { done: false };
      const progress: LoadOutcome = { received: new Map(), errors: new Map() };
      const load = createUnderLoad([iot], 4, stop, progress);
      await eventually('certificates created under load', () => progress.received.size >= 4);
      await postgres.stop('fast');
      await eventually('503 while PostgreSQL is down', () => progress.errors.has('ServiceUnavailableException'));
      await postgres.start();
      // Recovery: the same server answers again without being restarted.
      const recoveredIn = await eventually('the server recovered', async () => {
        try {
          await iot.send(new CreateKeysAndCertificateCommand({}));
          return true;
        } catch {
          return false;
        }
      });
      const receivedBeforeRecovery = progress.received.size;
      await eventually('the load going on after recovery', () => progress.received.size > receivedBeforeRecovery);
      stop.done = true;
      const { received, errors } = await load;
      t.diagnostic(
        `recovered ${Math.round(recoveredIn)} ms after the restart; ${received.size} created, errors ${[...errors]}`,
      );
      assert.ok((errors.get('ServiceUnavailableException') ?? 0) > 0, `no 503 while down: ${[...errors]}`);
      assert.deepEqual(
        [...errors.keys()].filter((name) => name !== 'ServiceUnavailableException'),
        [],
      );
      assert.ok(received.size > 0);
      await assertAllKept(iot, received);
    } finally {
      iot.destroy();
      const code = await server.stop();
      assert.equal(code, 0, `fleetca serve ended with ${code}; its log:\n${server.logs()}`);
    }
  });
});

describe('a replica killed with SIGKILL under load', () => {
  test('loses nothing that a client received', async (t) => {
    const schema = await freshSchema();
    const env = cliEnv(await tempHome('fleetca-sigkill-'), { FLEETCA_STORE: schema.url });
    const credentials = await createAccount(env, '444455556666');
    const [victim, survivor] = await Promise.all([startServer(env), startServer(env)]);
    const clients = [iotClientFor(victim, credentials), iotClientFor(survivor, credentials)];
    try {
      const stop = { done: false };
      const progress: LoadOutcome = { received: new Map(), errors: new Map() };
      const load = createUnderLoad(clients, 6, stop, progress);
      await eventually('certificates created under load', () => progress.received.size >= 6);
      victim.process.kill('SIGKILL');
      // Killed with requests in flight: they fail; the survivor goes on.
      const receivedAtKill = progress.received.size;
      await eventually('the dead replica failing', () => progress.errors.size > 0);
      await eventually('the survivor answering after the kill', () => progress.received.size >= receivedAtKill + 6);
      stop.done = true;
      const { received, errors } = await load;
      t.diagnostic(`${received.size} certificates received, errors ${[...errors]}`);
      assert.ok(received.size > 0);
      // Only the dead replica's connections failed, and only as network errors.
      assert.ok(![...errors.keys()].some((name) => name.endsWith('Exception')), `service errors: ${[...errors]}`);
      await assertAllKept(clients[1] as IoTClient, received);
    } finally {
      for (const client of clients) client.destroy();
      await survivor.stop();
      await schema.cleanup();
    }
  });
});
