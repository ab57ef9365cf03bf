import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ListCertificatesCommand } from '@aws-sdk/client-iot';
import { openRegistry } from '../../src/registry/open-registry.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { eventually } from '../helpers/eventually.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { cliEnv, makeEcCsr, runCli, tempHome } from '../helpers/run-cli.js';

describe('SQLite: what a CLI process changes reaches a watching process', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    home = await tempHome('fleetca-sqlite-feed-');
    env = cliEnv(home);
  });

  test('update-certificate and delete-certificate run as separate processes are heard', async (t) => {
    const csr = await makeEcCsr(home, 'watched');
    const created = await runCli(
      ['iot', 'create-certificate-from-csr', '--set-as-active', '--certificate-signing-request', `file://${csr}`],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const { certificateId } = JSON.parse(created.stdout) as { certificateId: string };

    // The registry the data directory's CLI runs just wrote, opened as `fleetca serve` opens it.
    const registry: Registry = await openRegistry(
      { engine: 'sqlite', file: join(env.FLEETCA_HOME as string, 'registry.db') },
      { watchChanges: true },
    );
    try {
      const heard: RegistryChange[] = [];
      registry.changes.subscribe((change) => heard.push(change));
      const statusOf = (i: number) => {
        const change = heard[i];
        return change?.kind === 'certificate' && change.certificateId === certificateId ? change.status : undefined;
      };

      const updated = await runCli(
        ['iot', 'update-certificate', '--certificate-id', certificateId, '--new-status', 'INACTIVE'],
        env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      const updateMs = await eventually('the update heard', () => statusOf(0) === 'INACTIVE');

      const deleted = await runCli(['iot', 'delete-certificate', '--certificate-id', certificateId], env);
      assert.equal(deleted.code, 0, deleted.stderr);
      const deleteMs = await eventually('the deletion heard', () => statusOf(1) === 'DELETED');

      t.diagnostic(`heard ${updateMs.toFixed(0)} / ${deleteMs.toFixed(0)} ms after the CLI exited`);
      assert.equal(heard.length, 2, 'the creation was committed before it started watching');
    } finally {
      await registry.close();
    }
  });

  describe('fleetca serve', () => {
    let server: RunningServer;

    before(async () => {
      server = await startServer(env);
    });

    after(async () => {
      assert.equal(await server.stop(), 0);
    });

    test('refuses an access key deleted with fleetca admin, though it caches keys', async (t) => {
      const credentials = await createAccount(env, '444455556666');
      const client = iotClientFor(server, credentials);
      try {
        // The server has now looked the key up, and keeps it.
        await client.send(new ListCertificatesCommand({ pageSize: 1 }));
        const deleted = await runCli(['admin', 'delete-access-key', '--access-key-id', credentials.accessKeyId], env);
        assert.equal(deleted.code, 0, deleted.stderr);
        const tookMs = await eventually('the deleted key refused', () =>
          client.send(new ListCertificatesCommand({ pageSize: 1 })).then(
            () => false,
            (error: { name?: string }) => error.name === 'UnrecognizedClientException',
          ),
        );
        t.diagnostic(`refused ${tookMs.toFixed(0)} ms after fleetca admin delete-access-key returned`);
      } finally {
        client.destroy();
      }
    });
  });
});
