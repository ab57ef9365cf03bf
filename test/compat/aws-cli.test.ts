import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type AccountCredentials,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  type RunningServer,
  startServer,
  withWrongSecret,
} from '../helpers/fleetca-server.js';
import { cliEnv, makeEcCsr, run, runCli, runTool, tempHome } from '../helpers/run-cli.js';

/** The real AWS CLI (v1, from pip) drives every certificate operation of a running `fleetca serve`. */
describe('aws CLI against fleetca serve', () => {
  let home: string;
  let server: RunningServer;
  let credentials: AccountCredentials;
  let chainFile: string;

  const { aws, ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }));

  before(async () => {
    home = await tempHome('fleetca-aws-');
    const env = cliEnv(home);
    credentials = await createAccount(env, '111122223333');
    server = await startServer(env);
    chainFile = join(home, 'chain.pem');
    await writeFile(chainFile, (await runCli(['ca', 'export'], env)).stdout);
  });

  after(async () => {
    assert.equal(await server.stop(), 0, 'the server shuts down cleanly');
  });

  test('create-keys-and-certificate: AWS-shaped, verifiable, ACTIVE, private key once', async () => {
    const created = await ok('create-keys-and-certificate', '--set-as-active');
    assert.deepEqual(Object.keys(created), ['certificateArn', 'certificateId', 'certificatePem', 'keyPair']);
    const cert = new X509Certificate(created.certificatePem);
    assert.equal(created.certificateId, createHash('sha256').update(cert.raw).digest('hex'));
    assert.equal(created.certificateArn, `arn:aws:iot:us-east-1:111122223333:cert/${created.certificateId}`);
    assert.match(created.keyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const certFile = join(home, 'ckac.pem');
    await writeFile(certFile, created.certificatePem);
    assert.equal(
      (await runTool('openssl', ['verify', '-CAfile', chainFile, certFile])).stdout.trim(),
      `${certFile}: OK`,
    );

    const described = (await ok('describe-certificate', '--certificate-id', created.certificateId))
      .certificateDescription;
    assert.equal(described.status, 'ACTIVE');
    assert.equal(described.ownedBy, '111122223333');
    assert.equal(typeof described.creationDate, 'number', 'v1 prints the wire value: epoch seconds');
    assert.equal(described.validity.notAfter, 2524607999);
    assert.equal(described.keyPair, undefined);
  });

  test('create-certificate-from-csr, then the status machine and deletion rules', async () => {
    const csr = await makeEcCsr(home, 'aws-cli-device');
    const created = await ok('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`);
    const id = created.certificateId;
    assert.equal((await ok('describe-certificate', '--certificate-id', id)).certificateDescription.status, 'INACTIVE');

    assert.deepEqual(await ok('update-certificate', '--certificate-id', id, '--new-status', 'ACTIVE'), {});
    const active = (await ok('describe-certificate', '--certificate-id', id)).certificateDescription;
    assert.equal(active.status, 'ACTIVE');
    assert.equal(active.customerVersion, 2);

    const refused = await aws('delete-certificate', '--certificate-id', id);
    assert.equal(refused.code, 255);
    assert.equal(
      refused.stderr.trim(),
      `An error occurred (CertificateStateException) when calling the DeleteCertificate operation: Certificate must be deactivated (not ACTIVE) before deletion. Id: ${id}`,
    );

    await ok('update-certificate', '--certificate-id', id, '--new-status', 'REVOKED');
    const terminal = await aws('update-certificate', '--certificate-id', id, '--new-status', 'ACTIVE');
    assert.match(terminal.stderr, /\(CertificateStateException\) when calling the UpdateCertificate operation/);

    await ok('delete-certificate', '--certificate-id', id);
    const gone = await aws('describe-certificate', '--certificate-id', id);
    assert.equal(
      gone.stderr.trim(),
      'An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: The specified resource does not exist',
    );

    const badStatus = await aws('update-certificate', '--certificate-id', id, '--new-status', 'BOGUS');
    assert.match(badStatus.stderr, /\(InvalidRequestException\).*Member must satisfy enum value set/);
  });

  test('list-certificates: complete and newest first across pages; ascending on request', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const csr = await makeEcCsr(home, `aws-list-${i}`);
      ids.push(
        (await ok('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`)).certificateId,
      );
    }
    // The model's own pageSize is --page-size, which makes the AWS CLI page by hand: follow nextMarker.
    const order: string[] = [];
    const dates: number[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await ok('list-certificates', '--page-size', '3', ...(marker ? ['--marker', marker] : []));
      assert.ok(page.certificates.length <= 3);
      for (const c of page.certificates) {
        order.push(c.certificateId);
        dates.push(c.creationDate);
      }
      marker = page.nextMarker;
      pages++;
    } while (marker);
    assert.ok(pages >= 3, `several pages (${pages})`);
    assert.deepEqual(
      order.filter((id) => ids.includes(id)),
      [...ids].reverse(),
    );
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
    );
    assert.equal(new Set(order).size, order.length, 'no certificate twice');

    const ascending = await ok('list-certificates', '--ascending-order');
    const ascendingIds = ascending.certificates.map((c: { certificateId: string }) => c.certificateId);
    assert.deepEqual(
      ascendingIds.filter((id: string) => ids.includes(id)),
      ids,
    );
    assert.deepEqual(ascendingIds, [...order].reverse(), 'ascending is the exact reverse');
  });

  test('another account sees none of these certificates', async () => {
    const other = await createAccount(cliEnv(home), '444455556666');
    const mine = await ok('list-certificates');
    const someId = mine.certificates[0].certificateId;
    const theirs = await run('aws', ['iot', 'list-certificates', '--endpoint-url', server.url], {
      env: awsClientEnv(home, other),
    });
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.deepEqual(JSON.parse(theirs.stdout).certificates, []);
    const peek = await run(
      'aws',
      ['iot', 'describe-certificate', '--certificate-id', someId, '--endpoint-url', server.url],
      {
        env: awsClientEnv(home, other),
      },
    );
    assert.match(peek.stderr, /ResourceNotFoundException/);
  });

  test('wrong credentials are refused with AWS auth errors', async () => {
    const bad = withWrongSecret(credentials);
    const badSecret = await run('aws', ['iot', 'list-certificates', '--endpoint-url', server.url], {
      env: awsClientEnv(home, bad),
    });
    assert.equal(badSecret.code, 255);
    assert.match(
      badSecret.stderr,
      /An error occurred \(InvalidSignatureException\) when calling the ListCertificates operation/,
    );

    const unknown = { ...credentials, accessKeyId: 'AKIAUNKNOWNUNKNOWN00' };
    const unknownKey = await run('aws', ['iot', 'list-certificates', '--endpoint-url', server.url], {
      env: awsClientEnv(home, unknown),
    });
    assert.match(
      unknownKey.stderr,
      /An error occurred \(UnrecognizedClientException\) when calling the ListCertificates operation: The security token included in the request is invalid/,
    );
  });
});
