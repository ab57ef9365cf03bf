/**
 * CRLs and OCSP across `fleetca serve` replicas on one private PostgreSQL: what one replica changes, the other's
 * responder and CRL say (through the change feed), and CRL numbers keep growing whoever makes the CRL.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CreateKeysAndCertificateCommand, type IoTClient, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { EVENTUALLY_MS, eventuallyPasses } from '../helpers/eventually.js';
import {
  type AccountCredentials,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { createPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { cliEnv, runCli, runTool, tempHome } from '../helpers/run-cli.js';
import { type CrlText, readCrl, serialKey } from '../revocation/revocation-fixture.js';

/** A certificate created through the REST API, with its PEM file for openssl. */
interface Created {
  readonly certificateId: string;
  readonly serial: string;
  readonly certFile: string;
}

describe('CRLs and OCSP across fleetca serve replicas on one PostgreSQL', () => {
  let postgres: PrivatePostgres;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let credentials: AccountCredentials;
  let a: RunningServer;
  let b: RunningServer;
  let iotA: IoTClient;
  let iotB: IoTClient;
  const files = { chain: '', issuing: '' };

  before(async () => {
    postgres = await createPrivatePostgres();
    await postgres.start();
    home = await tempHome('fleetca-pg-revocation-');
    // One data directory (config and CA) for both replicas, as a mounted secret would be.
    env = cliEnv(home, { FLEETCA_STORE: postgres.url });
    credentials = await createAccount(env, '111122223333');
    [a, b] = await Promise.all([startServer(env, ['--no-mqtt']), startServer(env, ['--no-mqtt'])]);
    iotA = iotClientFor(a, credentials);
    iotB = iotClientFor(b, credentials);
    const chain = await runCli(['ca', 'export'], env);
    assert.equal(chain.code, 0, chain.stderr);
    files.chain = join(home, 'chain.pem');
    files.issuing = join(home, 'issuing.pem');
    await writeFile(files.chain, chain.stdout);
    await writeFile(files.issuing, `${chain.stdout.split('-----END CERTIFICATE-----')[0]}-----END CERTIFICATE-----\n`);
  });

  after(async () => {
    iotA?.destroy();
    iotB?.destroy();
    await Promise.all([a?.stop(), b?.stop()]);
    await postgres?.destroy();
  });

  const create = async (iot: IoTClient, name: string): Promise<Created> => {
    const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const pem = created.certificatePem as string;
    const certFile = join(home, `${name}.pem`);
    await writeFile(certFile, pem);
    return { certificateId: created.certificateId as string, serial: new X509Certificate(pem).serialNumber, certFile };
  };
  const setStatus = (iot: IoTClient, certificate: Created, newStatus: 'ACTIVE' | 'INACTIVE' | 'REVOKED') =>
    iot.send(new UpdateCertificateCommand({ certificateId: certificate.certificateId, newStatus }));
  /** `openssl ocsp` against a replica, verifying the response under the chain. */
  const ocsp = async (server: RunningServer, certificate: Created) => {
    const run = await runTool('openssl', [
      'ocsp',
      '-issuer',
      files.issuing,
      '-cert',
      certificate.certFile,
      '-url',
      `${server.url}/_fleetca/ocsp`,
      '-CAfile',
      files.chain,
    ]);
    return { ...run, text: run.stdout + run.stderr };
  };
  const servedCrl = async (server: RunningServer): Promise<CrlText> => {
    const response = await fetch(`${server.url}/_fleetca/crl`);
    assert.equal(response.status, 200);
    return readCrl(Buffer.from(await response.arrayBuffer()));
  };
  const lists = (crl: CrlText, certificate: Created) => crl.entries.has(serialKey(certificate.serial));

  test("created through A: good on B; revoked through A: revoked by B and on B's CRL", async (t) => {
    const device = await create(iotA, 'device');
    const good = await ocsp(b, device);
    assert.equal(good.code, 0, good.text);
    assert.match(good.stdout, /device\.pem: good\n/, good.text);
    assert.match(good.text, /Response verify OK/);
    const before = await servedCrl(b);
    assert.equal(lists(before, device), false);

    await setStatus(iotA, device, 'REVOKED');
    const answeredAt = performance.now();
    let ocspAfterMs: number | undefined;
    let crlAfterMs: number | undefined;
    let listedBy: CrlText | undefined;
    while (ocspAfterMs === undefined || crlAfterMs === undefined) {
      assert.ok(performance.now() - answeredAt < EVENTUALLY_MS, 'replica B never said revoked');
      if (ocspAfterMs === undefined) {
        const answer = await ocsp(b, device);
        if (/device\.pem: revoked\n/.test(answer.stdout)) {
          ocspAfterMs = performance.now() - answeredAt;
          assert.match(answer.text, /Response verify OK/);
          assert.doesNotMatch(answer.stdout, /Reason:/, 'REVOKED through the API: no reason');
        }
      }
      if (crlAfterMs === undefined) {
        const crl = await servedCrl(b);
        if (lists(crl, device)) {
          crlAfterMs = performance.now() - answeredAt;
          listedBy = crl;
        }
      }
      await delay(20);
    }
    t.diagnostic(`replica B's OCSP said revoked ${ocspAfterMs.toFixed(0)} ms after A answered UpdateCertificate`);
    t.diagnostic(`replica B's CRL listed it ${crlAfterMs.toFixed(0)} ms after A answered UpdateCertificate`);
    assert.ok(listedBy && listedBy.crlNumber > before.crlNumber, 'a newer CRL');
    assert.equal(listedBy?.entries.get(serialKey(device.serial))?.reason, undefined);
  });

  test('CRL numbers served alternately by A and B grow with each change; fleetca ca crl --store takes a greater one', async () => {
    const devices = await Promise.all([0, 1, 2, 3].map((i) => create(i % 2 === 0 ? iotB : iotA, `numbered-${i}`)));
    const numbers: bigint[] = [(await servedCrl(a)).crlNumber];
    for (const [i, device] of devices.entries()) {
      // Changed through one replica, read from the other and then the same, in turn.
      const [through, from] = i % 2 === 0 ? [iotA, b] : [iotB, a];
      await setStatus(through, device, 'INACTIVE');
      const crl = await eventuallyPasses(`the CRL of ${from === a ? 'A' : 'B'} lists change ${i}`, async () => {
        const served = await servedCrl(from);
        assert.ok(lists(served, device));
        return served;
      });
      assert.equal(crl.entries.get(serialKey(device.serial))?.reason, 'Certificate Hold');
      const previous = numbers.at(-1) as bigint;
      assert.ok(crl.crlNumber > previous, `CRL numbers ${[...numbers, crl.crlNumber].join(' → ')}`);
      numbers.push(crl.crlNumber);
    }
    const served = [(await servedCrl(a)).crlNumber, (await servedCrl(b)).crlNumber];

    const out = join(home, 'cli.crl');
    const withoutStoreEnv = cliEnv(home);
    const cli = await runCli(['ca', 'crl', '--store', postgres.url, '--out', out], withoutStoreEnv);
    assert.equal(cli.code, 0, cli.stderr);
    const written = readCrl(await readFile(out));
    assert.match(cli.stderr, new RegExp(`wrote CRL number ${written.crlNumber} \\(`));
    for (const number of served) assert.ok(written.crlNumber > number, `${written.crlNumber} > ${served.join(', ')}`);
    for (const device of devices) assert.ok(lists(written, device), 'the CLI lists what the replicas list');
  });
});
