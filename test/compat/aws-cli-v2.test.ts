import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
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
import { requireTool, TOOLS } from '../helpers/required-tool.js';
import { cliEnv, makeEcCsr, tempHome } from '../helpers/run-cli.js';

const ACCOUNT = '777788889999';

/**
 * Debian 12's AWS CLI v2 (/usr/bin/aws, 2.9.19) drives the real `fleetca serve`. It predates the IoT model's
 * switch to the signing name `iot` and signs as `execute-api`, which AWS IoT accepts, so fleetca must too.
 */
describe('AWS CLI v2 (signing as execute-api) against fleetca serve', () => {
  let home: string;
  let server: RunningServer;
  let credentials: AccountCredentials;

  const { aws, ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }), TOOLS.awsV2);

  before(async () => {
    requireTool(TOOLS.awsV2);
    home = await tempHome('fleetca-aws-v2-');
    const env = cliEnv(home);
    credentials = await createAccount(env, ACCOUNT);
    server = await startServer(env);
  });

  after(async () => {
    assert.equal(await server?.stop(), 0, 'the server shuts down cleanly');
  });

  test('this CLI signs IoT requests with the credential scope execute-api', async () => {
    const listed = await aws('list-certificates', '--debug');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stderr, /\n\d{8}\/us-east-1\/execute-api\/aws4_request\n/, 'the string to sign');
    assert.doesNotMatch(listed.stderr, /\/us-east-1\/iot\/aws4_request/);
  });

  test('create-keys-and-certificate, describe, list, update and delete a certificate', async () => {
    const created = await ok('create-keys-and-certificate', '--set-as-active');
    assert.deepEqual(Object.keys(created), ['certificateArn', 'certificateId', 'certificatePem', 'keyPair']);
    const id: string = created.certificateId;
    const cert = new X509Certificate(created.certificatePem);
    assert.equal(id, createHash('sha256').update(cert.raw).digest('hex'));
    assert.equal(created.certificateArn, `arn:aws:iot:us-east-1:${ACCOUNT}:cert/${id}`);
    assert.match(created.keyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);

    const described = (await ok('describe-certificate', '--certificate-id', id)).certificateDescription;
    assert.equal(described.certificateId, id);
    assert.equal(described.status, 'ACTIVE');
    assert.equal(described.ownedBy, ACCOUNT);
    assert.match(described.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/, 'v2 prints timestamps as ISO 8601');

    const listed = await ok('list-certificates');
    const summary = listed.certificates.find((c: { certificateId: string }) => c.certificateId === id);
    assert.equal(summary?.status, 'ACTIVE');

    const updated = await aws('update-certificate', '--certificate-id', id, '--new-status', 'INACTIVE');
    assert.deepEqual([updated.code, updated.stdout], [0, ''], updated.stderr);
    assert.equal((await ok('describe-certificate', '--certificate-id', id)).certificateDescription.status, 'INACTIVE');

    const deleted = await aws('delete-certificate', '--certificate-id', id);
    assert.deepEqual([deleted.code, deleted.stdout], [0, ''], deleted.stderr);
    const gone = await aws('describe-certificate', '--certificate-id', id);
    assert.equal(gone.code, 254);
    assert.match(gone.stderr, /\(ResourceNotFoundException\) when calling the DescribeCertificate operation/);
  });

  test('create-certificate-from-csr: a signed POST body', async () => {
    const csr = await makeEcCsr(home, 'aws-v2-device');
    const created = await ok('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`);
    assert.match(created.certificateId, /^[0-9a-f]{64}$/);
    const described = (await ok('describe-certificate', '--certificate-id', created.certificateId))
      .certificateDescription;
    assert.equal(described.status, 'INACTIVE');
  });

  test('an unknown certificate id: exit 254, ResourceNotFoundException', async () => {
    const unknown = await aws('describe-certificate', '--certificate-id', 'f'.repeat(64));
    assert.equal(unknown.code, 254);
    assert.equal(unknown.stdout, '');
    assert.equal(
      unknown.stderr.trim(),
      'An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: ' +
        'The specified resource does not exist',
    );
  });

  test('a wrong secret: exit 254, InvalidSignatureException', async () => {
    const wrong = withWrongSecret(credentials);
    const { aws: awsWithWrongSecret } = awsCliAgainst(
      () => ({ url: server.url, env: awsClientEnv(home, wrong) }),
      TOOLS.awsV2,
    );
    const refused = await awsWithWrongSecret('list-certificates');
    assert.equal(refused.code, 254);
    assert.equal(
      refused.stderr.trim(),
      'An error occurred (InvalidSignatureException) when calling the ListCertificates operation: ' +
        'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });
});
