import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { fromPem } from '../../src/ca/pem.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';
import { type Issued, TestPki } from '../helpers/test-pki.js';

const idOf = (pem: string) =>
  createHash('sha256')
    .update(fromPem(pem, ['CERTIFICATE']).der)
    .digest('hex');

describe('bring your own CA through the CLI', () => {
  let env: NodeJS.ProcessEnv;
  let pki: TestPki;
  let root: Issued;
  let rootId: string;
  const iot = (...args: string[]) => runCli(['iot', ...args], env);
  const json = async (...args: string[]) => {
    const run = await iot(...args);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };

  before(async () => {
    const home = await tempHome();
    env = cliEnv(home);
    pki = new TestPki(home);
    root = pki.ca('cli-root', { subject: '/O=Acme/CN=CLI Root' });
  });

  test('get-registration-code, then register-ca-certificate with a verification certificate', async () => {
    const { registrationCode } = await json('get-registration-code');
    assert.match(registrationCode, /^[0-9a-f]{64}$/);
    assert.deepEqual(await json('get-registration-code'), { registrationCode }, 'stable across processes');
    const verification = pki.verification('cli-root-verification', root, registrationCode);

    const out = await json(
      'register-ca-certificate',
      '--ca-certificate',
      `file://${root.certFile}`,
      '--verification-certificate',
      `file://${verification.certFile}`,
      '--set-as-active',
      '--allow-auto-registration',
      '--registration-config',
      '{"templateName": "fleet-jitp"}',
      '--tags',
      '[{"Key": "team", "Value": "fleet"}]',
    );
    rootId = idOf(root.pem);
    assert.deepEqual(Object.keys(out), ['certificateArn', 'certificateId']);
    assert.equal(out.certificateArn, `arn:aws:iot:us-east-1:000000000000:cacert/${rootId}`);
    assert.equal(out.certificateId, rootId);

    const described = await json('describe-ca-certificate', '--certificate-id', rootId);
    assert.deepEqual(Object.keys(described), ['certificateDescription', 'registrationConfig']);
    assert.equal(described.certificateDescription.status, 'ACTIVE');
    assert.equal(described.certificateDescription.autoRegistrationStatus, 'ENABLE');
    assert.match(described.certificateDescription.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    assert.deepEqual(described.registrationConfig, { templateName: 'fleet-jitp' });

    const again = await iot(
      'register-ca-certificate',
      '--ca-certificate',
      `file://${root.certFile}`,
      '--verification-certificate',
      `file://${verification.certFile}`,
    );
    assert.equal(again.code, 254);
    assert.match(
      again.stderr,
      /An error occurred \(ResourceAlreadyExistsException\) when calling the RegisterCACertificate operation/,
    );

    const wrong = pki.verification('cli-wrong-verification', root, 'f'.repeat(64));
    const rejected = await iot(
      'register-ca-certificate',
      '--ca-certificate',
      `file://${pki.ca('cli-other-root').certFile}`,
      '--verification-certificate',
      `file://${wrong.certFile}`,
    );
    assert.equal(rejected.code, 254);
    assert.match(rejected.stderr, /\(RegistrationCodeValidationException\)/);
  });

  test('register-certificate and register-certificate-without-ca; list-certificates-by-ca', async () => {
    const first = pki.leaf('cli-device-1', root);
    const second = pki.leaf('cli-device-2', root);
    const one = await json('register-certificate', '--certificate-pem', `file://${first.certFile}`, '--set-as-active');
    assert.deepEqual(one, {
      certificateArn: `arn:aws:iot:us-east-1:000000000000:cert/${idOf(first.pem)}`,
      certificateId: idOf(first.pem),
    });
    await json(
      'register-certificate',
      '--certificate-pem',
      `file://${second.certFile}`,
      '--ca-certificate-pem',
      `file://${root.certFile}`,
      '--status',
      'REVOKED',
    );
    const d1 = (await json('describe-certificate', '--certificate-id', idOf(first.pem))).certificateDescription;
    assert.equal(d1.status, 'ACTIVE');
    assert.equal(d1.caCertificateId, rootId);
    assert.equal(d1.certificateMode, 'DEFAULT');
    assert.deepEqual(Object.keys(d1).slice(0, 3), ['certificateArn', 'certificateId', 'caCertificateId']);

    const ids = (page: { certificates: { certificateId: string }[] }) => page.certificates.map((c) => c.certificateId);
    const listed = await json('list-certificates-by-ca', '--ca-certificate-id', rootId);
    assert.deepEqual(ids(listed).sort(), [idOf(first.pem), idOf(second.pem)].sort());
    // As in the AWS CLI, --page-size (the model's own pageSize) turns automatic paging off: one page and its marker.
    const page1 = await json('list-certificates-by-ca', '--ca-certificate-id', rootId, '--page-size', '1');
    assert.equal(page1.certificates.length, 1);
    const page2 = await json(
      'list-certificates-by-ca',
      '--ca-certificate-id',
      rootId,
      '--page-size',
      '1',
      '--marker',
      page1.nextMarker,
    );
    assert.deepEqual([...ids(page1), ...ids(page2)], ids(listed));
    assert.equal(page2.nextMarker, undefined);

    const duplicate = await iot('register-certificate', '--certificate-pem', `file://${first.certFile}`);
    assert.equal(duplicate.code, 254);
    assert.match(
      duplicate.stderr,
      /An error occurred \(ResourceAlreadyExistsException\) when calling the RegisterCertificate operation: The certificate is already provisioned or registered/,
    );
    const pending = await iot(
      'register-certificate',
      '--certificate-pem',
      `file://${pki.leaf('cli-device-3', root).certFile}`,
      '--status',
      'PENDING_ACTIVATION',
    );
    assert.equal(pending.code, 254);
    assert.match(
      pending.stderr,
      /\(CertificateStateException\).*Not allowed to register certificate with PENDING_ACTIVATION status/,
    );

    const stray = pki.leaf('cli-stray', pki.ca('cli-unregistered-root'));
    const noCa = await iot('register-certificate', '--certificate-pem', `file://${stray.certFile}`);
    assert.equal(noCa.code, 254);
    assert.match(noCa.stderr, /\(CertificateValidationException\)/);
    await json('register-certificate-without-ca', '--certificate-pem', `file://${stray.certFile}`);
    const sni = (await json('describe-certificate', '--certificate-id', idOf(stray.pem))).certificateDescription;
    assert.equal(sni.certificateMode, 'SNI_ONLY');
    assert.equal(sni.caCertificateId, undefined);
  });

  test('describe-endpoint: one prefix per account and region, legacy form without a type', async () => {
    const legacy = (await json('describe-endpoint')).endpointAddress;
    const match = /^(a[a-z0-9]{13})\.iot\.us-east-1\.amazonaws\.com$/.exec(legacy);
    assert.ok(match, legacy);
    assert.deepEqual(await json('describe-endpoint', '--endpoint-type', 'iot:Data-ATS'), {
      endpointAddress: `${match[1]}-ats.iot.us-east-1.amazonaws.com`,
    });
    const elsewhere = (await json('describe-endpoint', '--endpoint-type', 'iot:Data-ATS', '--region', 'eu-west-1'))
      .endpointAddress;
    assert.match(elsewhere, /^a[a-z0-9]{13}-ats\.iot\.eu-west-1\.amazonaws\.com$/);
    assert.notEqual(elsewhere.split('-')[0], match[1]);
    const unknown = await iot('describe-endpoint', '--endpoint-type', 'iot:Nope');
    assert.equal(unknown.code, 254);
    assert.match(
      unknown.stderr,
      /\(InvalidRequestException\) when calling the DescribeEndpoint operation: Endpoint type iot:Nope not recognized\./,
    );
  });

  test('list, deactivate and delete the CA', async () => {
    const listed = await json('list-ca-certificates', '--template-name', 'fleet-jitp');
    assert.deepEqual(
      listed.certificates.map((c: { certificateId: string }) => c.certificateId),
      [rootId],
    );
    const refused = await iot('delete-ca-certificate', '--certificate-id', rootId);
    assert.equal(refused.code, 254);
    assert.match(refused.stderr, /\(CertificateStateException\)/);
    const updated = await iot('update-ca-certificate', '--certificate-id', rootId, '--new-status', 'INACTIVE');
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(updated.stdout, '');
    const deleted = await iot('delete-ca-certificate', '--certificate-id', rootId);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await iot('describe-ca-certificate', '--certificate-id', rootId);
    assert.equal(gone.code, 254);
    assert.match(gone.stderr, /\(ResourceNotFoundException\)/);
  });
});
