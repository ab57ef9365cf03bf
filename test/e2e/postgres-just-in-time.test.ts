import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeCertificateCommand,
  type IoTClient,
  ListCertificatesByCACommand,
  ListThingPrincipalsCommand,
} from '@aws-sdk/client-iot';
import {
  type AccountCredentials,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { certificateIdOf, confiningTemplate, identityOf, registerOwnCa } from '../helpers/just-in-time.js';
import { deviceOptions, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { type Issued, TestPki } from '../helpers/test-pki.js';
import { freshSchema, type PgTestSchema } from '../registry/postgres/postgres-fixtures.js';

const ACCOUNT = '444455556666';

/** How many of the replicas' log lines say `msg` about this certificate. */
function logged(replicas: readonly RunningServer[], msg: string, certificateId: string): number {
  return replicas
    .flatMap((replica) => replica.logs().split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; certificateId?: string })
    .filter((entry) => entry.msg === msg && entry.certificateId === certificateId).length;
}

describe('just-in-time registration on two replicas of one PostgreSQL', () => {
  let schema: PgTestSchema;
  let home: string;
  let credentials: AccountCredentials;
  let a: RunningServer;
  let b: RunningServer;
  let iot: IoTClient;
  let pki: TestPki;
  let chain: string;
  const cli = awsCliAgainst(() => ({ url: a.url, env: awsClientEnv(home, credentials) }));

  before(async () => {
    schema = await freshSchema();
    home = await tempHome('fleetca-jit-replicas-');
    const env = cliEnv(home, { FLEETCA_STORE: schema.url });
    credentials = await createAccount(env, ACCOUNT);
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    iot = iotClientFor(b, credentials);
    chain = (await runCli(['ca', 'export'], env)).stdout;
    pki = new TestPki(home);
  });

  after(async () => {
    iot?.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await schema?.cleanup();
  });

  /** Every device on both replicas at the same instant. */
  async function connectEverywhere(devices: readonly Issued[], clientId?: (device: Issued) => string) {
    const outcomes = await Promise.all(
      devices.flatMap((device) =>
        [a, b].map((replica) =>
          tryConnect(
            deviceOptions(replica.mqttPort as number, chain, identityOf(device), {
              ...(clientId && { clientId: `${clientId(device)}-${replica === a ? 'a' : 'b'}` }),
            }),
          ),
        ),
      ),
    );
    assert.ok(
      outcomes.every((outcome) => outcome.closedWithoutConnack),
      'every first connection refused',
    );
  }

  test('JITR: twenty devices on both replicas at once, each certificate registered exactly once', async () => {
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'pg-jitr-ca');
    const devices = Array.from({ length: 20 }, (_, i) => pki.leaf(`pg-batch-${i}`, ca, `/CN=pg-batch-${i}`));
    await connectEverywhere(devices);
    const listed = await iot.send(new ListCertificatesByCACommand({ caCertificateId, pageSize: 100 }));
    assert.deepEqual(
      (listed.certificates ?? []).map((c) => c.certificateId).sort(),
      devices.map((d) => certificateIdOf(d.pem)).sort(),
    );
    for (const device of devices) {
      const id = certificateIdOf(device.pem);
      assert.equal(logged([a, b], 'certificate registered just in time', id), 1, device.name);
      const { certificateDescription } = await iot.send(new DescribeCertificateCommand({ certificateId: id }));
      assert.equal(certificateDescription?.status, 'PENDING_ACTIVATION');
    }
  });

  test('JITP: twenty devices on both replicas at once, each provisioned exactly once in one transaction', async () => {
    const { ca, caCertificateId } = await registerOwnCa(cli, pki, 'pg-jitp-ca', {
      registrationConfig: { templateBody: confiningTemplate(ACCOUNT) },
    });
    const devices = Array.from({ length: 20 }, (_, i) => pki.leaf(`pg-jitp-${i}`, ca, `/O=Acme/CN=pg-sensor-${i}`));
    await connectEverywhere(devices);
    const listed = await iot.send(new ListCertificatesByCACommand({ caCertificateId, pageSize: 100 }));
    assert.equal(listed.certificates?.length, 20);
    assert.ok(listed.certificates?.every((c) => c.status === 'ACTIVE'));
    for (const [i, device] of devices.entries()) {
      const id = certificateIdOf(device.pem);
      assert.equal(logged([a, b], 'certificate provisioned just in time', id), 1, device.name);
      const principals = await iot.send(new ListThingPrincipalsCommand({ thingName: `pg-sensor-${i}` }));
      assert.deepEqual(principals.principals, [`arn:aws:iot:us-east-1:${ACCOUNT}:cert/${id}`]);
    }
    const { client } = await tryConnect(
      deviceOptions(b.mqttPort as number, chain, identityOf(devices[0] as Issued), { clientId: 'pg-sensor-0' }),
    );
    assert.ok(client, 'admitted on its next connection, on the other replica');
    client.end(true);
  });
});
