import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fromPem } from '../../src/ca/pem.js';
import {
  type AccountCredentials,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { cliEnv, tempHome } from '../helpers/run-cli.js';
import { type Issued, TestPki } from '../helpers/test-pki.js';

const idOf = (pem: string) =>
  createHash('sha256')
    .update(fromPem(pem, ['CERTIFICATE']).der)
    .digest('hex');

/** The real aws CLI registers a customer's own CA and its device certificates on fleetca serve. */
describe('aws CLI: bring-your-own-CA operations against fleetca serve', () => {
  let home: string;
  let server: RunningServer;
  let credentials: AccountCredentials;
  let pki: TestPki;
  let ca: Issued;

  const { aws, ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials, 'eu-central-1') }));
  const fails = async (code: string, ...args: string[]) => {
    const result = await aws(...args);
    assert.equal(result.code, 255, `expected ${code}: ${result.stdout}`);
    assert.match(result.stderr, new RegExp(`An error occurred \\(${code}\\) when calling the \\w+ operation: `));
    return result.stderr;
  };

  before(async () => {
    home = await tempHome('fleetca-aws-ca-');
    const env = cliEnv(home);
    credentials = await createAccount(env, '123412341234');
    server = await startServer(env);
    pki = new TestPki(home);
    ca = pki.ca('byo-root', { subject: '/O=Acme/CN=Acme Device Root' });
  });

  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('registration code, CA registration with proof of possession, describe and list', async () => {
    const { registrationCode } = await ok('get-registration-code');
    assert.match(registrationCode, /^[0-9a-f]{64}$/);
    assert.deepEqual(await ok('get-registration-code'), { registrationCode });

    const wrongProof = pki.verification('wrong-proof', ca, 'f'.repeat(64));
    await fails(
      'RegistrationCodeValidationException',
      'register-ca-certificate',
      '--ca-certificate',
      `file://${ca.certFile}`,
      '--verification-certificate',
      `file://${wrongProof.certFile}`,
    );

    const proof = pki.verification('proof', ca, registrationCode);
    const registered = await ok(
      'register-ca-certificate',
      '--ca-certificate',
      `file://${ca.certFile}`,
      '--verification-certificate',
      `file://${proof.certFile}`,
      '--set-as-active',
    );
    assert.equal(registered.certificateId, idOf(ca.pem));
    assert.equal(registered.certificateArn, `arn:aws:iot:eu-central-1:123412341234:cacert/${idOf(ca.pem)}`);

    const again = await fails(
      'ResourceAlreadyExistsException',
      'register-ca-certificate',
      '--ca-certificate',
      `file://${ca.certFile}`,
      '--verification-certificate',
      `file://${proof.certFile}`,
    );
    assert.ok(again.length > 0);

    const described = await ok('describe-ca-certificate', '--certificate-id', registered.certificateId);
    assert.equal(described.certificateDescription.status, 'ACTIVE');
    assert.equal(described.certificateDescription.certificatePem, ca.pem);
    const listed = await ok('list-ca-certificates');
    assert.deepEqual(
      listed.certificates.map((c: { certificateId: string }) => c.certificateId),
      [registered.certificateId],
    );
  });

  test('device certificates: with the CA, without a CA, listed by CA; CA deletion rules', async () => {
    const caId = idOf(ca.pem);
    const device = pki.leaf('byo-device-1', ca);
    const registered = await ok(
      'register-certificate',
      '--certificate-pem',
      `file://${device.certFile}`,
      '--ca-certificate-pem',
      `file://${ca.certFile}`,
      '--status',
      'ACTIVE',
    );
    assert.equal(registered.certificateId, idOf(device.pem));
    const described = (await ok('describe-certificate', '--certificate-id', registered.certificateId))
      .certificateDescription;
    assert.equal(described.caCertificateId, caId);
    assert.equal(described.status, 'ACTIVE');

    await fails(
      'ResourceAlreadyExistsException',
      'register-certificate',
      '--certificate-pem',
      `file://${device.certFile}`,
    );
    const stranger = pki.ca('stranger-root');
    const strangerDevice = pki.leaf('stranger-device', stranger);
    await fails(
      'CertificateValidationException',
      'register-certificate',
      '--certificate-pem',
      `file://${strangerDevice.certFile}`,
    );

    const sni = await ok('register-certificate-without-ca', '--certificate-pem', `file://${strangerDevice.certFile}`);
    const sniDescribed = (await ok('describe-certificate', '--certificate-id', sni.certificateId))
      .certificateDescription;
    assert.equal(sniDescribed.certificateMode, 'SNI_ONLY');

    const byCa = await ok('list-certificates-by-ca', '--ca-certificate-id', caId);
    assert.deepEqual(
      byCa.certificates.map((c: { certificateId: string }) => c.certificateId),
      [registered.certificateId],
    );

    await fails('CertificateStateException', 'delete-ca-certificate', '--certificate-id', caId);
    await ok('update-ca-certificate', '--certificate-id', caId, '--new-status', 'INACTIVE');
    assert.equal(
      (await ok('describe-ca-certificate', '--certificate-id', caId)).certificateDescription.status,
      'INACTIVE',
    );
    await ok('delete-ca-certificate', '--certificate-id', caId);
    await fails('ResourceNotFoundException', 'describe-ca-certificate', '--certificate-id', caId);
  });

  test('describe-endpoint: stable per account, ATS and legacy forms', async () => {
    const ats = (await ok('describe-endpoint', '--endpoint-type', 'iot:Data-ATS')).endpointAddress;
    assert.match(ats, /^a[a-z0-9]{13}-ats\.iot\.eu-central-1\.amazonaws\.com$/);
    assert.equal((await ok('describe-endpoint', '--endpoint-type', 'iot:Data-ATS')).endpointAddress, ats);
    const legacy = (await ok('describe-endpoint')).endpointAddress;
    assert.equal(legacy, ats.replace('-ats.', '.'));
    await fails('InvalidRequestException', 'describe-endpoint', '--endpoint-type', 'iot:Nonsense');
  });
});
