import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fromPem } from '../../../src/ca/pem.js';
import { RegisterCACertificate, UpdateCACertificate } from '../../../src/model/ca-certificates.js';
import {
  DescribeCertificate,
  ListCertificatesByCA,
  RegisterCertificate,
  RegisterCertificateWithoutCA,
} from '../../../src/model/certificates.js';
import { GetRegistrationCode } from '../../../src/model/endpoint.js';
import { type Issued, TestPki } from '../../helpers/test-pki.js';
import { OTHER_ACCOUNT, openTestService, SCOPE, type TestService } from '../operation-context.js';

const idOf = (pem: string) =>
  createHash('sha256')
    .update(fromPem(pem, ['CERTIFICATE']).der)
    .digest('hex');

describe('RegisterCertificate and RegisterCertificateWithoutCA', () => {
  let service: TestService;
  let pki: TestPki;
  let root: Issued;
  let rootId: string;

  /** Registers a CA in DEFAULT mode (or SNI_ONLY) in `scope`, ACTIVE unless told otherwise. */
  const registerCa = async (ca: Issued, options: { active?: boolean; sni?: boolean; scope?: typeof SCOPE } = {}) => {
    const scope = options.scope ?? SCOPE;
    const input: Record<string, unknown> = { caCertificate: ca.pem, setAsActive: options.active ?? true };
    if (options.sni) input.certificateMode = 'SNI_ONLY';
    else {
      const code = String((await service.call(GetRegistrationCode, {}, scope)).registrationCode);
      input.verificationCertificate = pki.verification(`${ca.name}-v-${scope.accountId}`, ca, code).pem;
    }
    return String((await service.call(RegisterCACertificate, input, scope)).certificateId);
  };
  const describeCert = async (certificateId: unknown, scope = SCOPE) =>
    (await service.call(DescribeCertificate, { certificateId }, scope)).certificateDescription as Record<
      string,
      unknown
    >;

  before(async () => {
    service = await openTestService();
    pki = new TestPki(service.dir);
    root = pki.ca('fleet-root', { subject: '/O=Acme/CN=Fleet Root' });
    rootId = await registerCa(root);
  });
  after(() => service.close());

  test('a device certificate signed by a registered CA: id, ARN and the described record', async () => {
    const device = pki.leaf('device-1', root);
    const before = Date.now();
    const out = await service.call(RegisterCertificate, { certificatePem: device.pem, caCertificatePem: root.pem });
    const id = idOf(device.pem);
    assert.deepEqual(out, { certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${id}`, certificateId: id });
    const d = await describeCert(id);
    const x509 = new X509Certificate(device.pem);
    assert.equal(d.caCertificateId, rootId);
    assert.equal(d.status, 'INACTIVE', 'neither status nor setAsActive: INACTIVE');
    assert.equal(d.certificatePem, device.pem);
    assert.equal(d.certificateMode, 'DEFAULT', 'the mode of its CA');
    assert.equal(d.ownedBy, '123456789012');
    assert.equal(d.customerVersion, 1);
    assert.ok(Number(d.creationDate) >= before);
    assert.deepEqual(d.validity, {
      notBefore: new Date(x509.validFrom).getTime(),
      notAfter: new Date(x509.validTo).getTime(),
    });
  });

  test('without caCertificatePem the CA is found by the issuer name and the signature', async () => {
    const device = pki.leaf('device-found', root);
    await service.call(RegisterCertificate, { certificatePem: device.pem });
    assert.equal((await describeCert(idOf(device.pem))).caCertificateId, rootId);
  });

  test('CRLF line endings and surrounding whitespace are accepted; the stored PEM is canonical', async () => {
    const device = pki.leaf('device-crlf', root);
    await service.call(RegisterCertificate, { certificatePem: `\n  ${device.pem.replace(/\n/g, '\r\n')}  \n` });
    assert.equal((await describeCert(idOf(device.pem))).certificatePem, device.pem);
  });

  test('status decides; the deprecated setAsActive only when status is absent', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'ACTIVE' }, 'ACTIVE'],
      [{ status: 'REVOKED' }, 'REVOKED'],
      [{ status: 'INACTIVE' }, 'INACTIVE'],
      [{ setAsActive: true }, 'ACTIVE'],
      [{ setAsActive: false }, 'INACTIVE'],
      [{ setAsActive: true, status: 'INACTIVE' }, 'INACTIVE'],
    ];
    for (const [i, [flags, expected]] of cases.entries()) {
      const device = pki.leaf(`device-status-${i}`, root);
      await service.call(RegisterCertificate, { certificatePem: device.pem, ...flags });
      assert.equal((await describeCert(idOf(device.pem))).status, expected, JSON.stringify(flags));
    }
  });

  test('PENDING_ACTIVATION (and PENDING_TRANSFER) cannot be registered: CertificateStateException 406', async () => {
    const device = pki.leaf('device-pending', root);
    for (const model of [RegisterCertificate, RegisterCertificateWithoutCA]) {
      const error = await service.failure(model, { certificatePem: device.pem, status: 'PENDING_ACTIVATION' });
      assert.equal(error.code, 'CertificateStateException');
      assert.equal(error.status, 406);
      assert.equal(error.message, 'Not allowed to register certificate with PENDING_ACTIVATION status');
      const transfer = await service.failure(model, { certificatePem: device.pem, status: 'PENDING_TRANSFER' });
      assert.equal(transfer.code, 'CertificateStateException');
    }
    await assert.rejects(service.call(DescribeCertificate, { certificateId: idOf(device.pem) }));
  });

  test('registering a certificate twice is 409 ResourceAlreadyExistsException, with or without a CA', async () => {
    const device = pki.leaf('device-twice', root);
    const first = await service.call(RegisterCertificate, { certificatePem: device.pem });
    for (const model of [RegisterCertificate, RegisterCertificateWithoutCA]) {
      const error = await service.failure(model, { certificatePem: device.pem });
      assert.equal(error.code, 'ResourceAlreadyExistsException');
      assert.equal(error.status, 409);
      assert.equal(error.message, 'The certificate is already provisioned or registered');
      assert.deepEqual(error.details, { resourceId: first.certificateId, resourceArn: first.certificateArn });
    }
  });

  test('a certificate fleetca itself issued counts as registered too', async () => {
    const fromCsr = pki.leaf('device-elsewhere', root);
    await service.call(RegisterCertificateWithoutCA, { certificatePem: fromCsr.pem });
    const error = await service.failure(RegisterCertificate, { certificatePem: fromCsr.pem });
    assert.equal(error.code, 'ResourceAlreadyExistsException');
  });

  test('the CA must be registered in this account and region', async () => {
    const stranger = pki.ca('stranger-root');
    const device = pki.leaf('device-of-stranger', stranger);
    const named = await service.failure(RegisterCertificate, {
      certificatePem: device.pem,
      caCertificatePem: stranger.pem,
    });
    assert.equal(named.code, 'CertificateValidationException');
    assert.match(named.message, /CA certificate is not registered/);
    const searched = await service.failure(RegisterCertificate, { certificatePem: device.pem });
    assert.equal(searched.code, 'CertificateValidationException');
    assert.match(searched.message, /not signed by any registered CA certificate/);

    // Registered by another account only: still unknown here.
    await registerCa(stranger, { scope: OTHER_ACCOUNT });
    assert.equal(
      (await service.failure(RegisterCertificate, { certificatePem: device.pem })).code,
      'CertificateValidationException',
    );
    const theirs = await service.call(RegisterCertificate, { certificatePem: device.pem }, OTHER_ACCOUNT);
    assert.equal(theirs.certificateArn, `arn:aws:iot:us-east-1:${OTHER_ACCOUNT.accountId}:cert/${idOf(device.pem)}`);
  });

  test('the named CA must have signed the certificate', async () => {
    const other = pki.ca('other-root');
    await registerCa(other);
    const device = pki.leaf('device-of-root', root);
    const error = await service.failure(RegisterCertificate, {
      certificatePem: device.pem,
      caCertificatePem: other.pem,
    });
    assert.equal(error.code, 'CertificateValidationException');
    assert.match(error.message, /not signed by the given CA certificate/);
  });

  test('an issuer-name match whose key did not sign is no match', async () => {
    // Same subject as the registered root, different key: the device it signs chains to nothing registered.
    const lookalike = pki.ca('lookalike-root', { subject: '/O=Acme/CN=Fleet Root' });
    const device = pki.leaf('device-of-lookalike', lookalike);
    const error = await service.failure(RegisterCertificate, { certificatePem: device.pem });
    assert.equal(error.code, 'CertificateValidationException');
  });

  test('same subject, different keys: the CA whose key verifies is chosen', async () => {
    const first = pki.ca('twin-a', { subject: '/CN=Twin CA' });
    const second = pki.ca('twin-b', { subject: '/CN=Twin CA' });
    const firstId = await registerCa(first);
    const secondId = await registerCa(second);
    const ofSecond = pki.leaf('device-of-twin-b', second);
    await service.call(RegisterCertificate, { certificatePem: ofSecond.pem });
    assert.equal((await describeCert(idOf(ofSecond.pem))).caCertificateId, secondId);
    const ofFirst = pki.leaf('device-of-twin-a', first);
    await service.call(RegisterCertificate, { certificatePem: ofFirst.pem });
    assert.equal((await describeCert(idOf(ofFirst.pem))).caCertificateId, firstId);
  });

  test('same subject and same key: CertificateConflictException unless caCertificatePem says which', async () => {
    const original = pki.ca('renewed-1', { subject: '/CN=Renewed CA' });
    const renewed = pki.ca('renewed-2', { subject: '/CN=Renewed CA', keyOf: original });
    await registerCa(original);
    const renewedId = await registerCa(renewed);
    const device = pki.leaf('device-of-renewed', renewed);
    const error = await service.failure(RegisterCertificate, { certificatePem: device.pem });
    assert.equal(error.code, 'CertificateConflictException');
    assert.equal(error.status, 409);
    await service.call(RegisterCertificate, { certificatePem: device.pem, caCertificatePem: renewed.pem });
    assert.equal((await describeCert(idOf(device.pem))).caCertificateId, renewedId);
  });

  test('an INACTIVE CA registers nothing until it is activated again', async () => {
    const dormant = pki.ca('dormant-root');
    const dormantId = await registerCa(dormant, { active: false });
    const device = pki.leaf('device-of-dormant', dormant);
    for (const input of [
      { certificatePem: device.pem },
      { certificatePem: device.pem, caCertificatePem: dormant.pem },
    ]) {
      const error = await service.failure(RegisterCertificate, input);
      assert.equal(error.code, 'CertificateStateException');
      assert.match(error.message, /not ACTIVE/);
    }
    await service.call(UpdateCACertificate, { certificateId: dormantId, newStatus: 'ACTIVE' });
    await service.call(RegisterCertificate, { certificatePem: device.pem });
  });

  test('certificates take the mode of their CA: SNI_ONLY CAs register SNI_ONLY certificates', async () => {
    const sni = pki.ca('sni-only-root');
    const sniId = await registerCa(sni, { sni: true });
    const device = pki.leaf('device-of-sni', sni);
    await service.call(RegisterCertificate, { certificatePem: device.pem });
    const d = await describeCert(idOf(device.pem));
    assert.equal(d.certificateMode, 'SNI_ONLY');
    assert.equal(d.caCertificateId, sniId);
  });

  test('a device certificate signed by a registered intermediate CA', async () => {
    const intermediate = pki.ca('fleet-intermediate', { issuer: root });
    const intermediateId = await registerCa(intermediate);
    const device = pki.leaf('device-of-intermediate', intermediate);
    await service.call(RegisterCertificate, { certificatePem: device.pem });
    assert.equal((await describeCert(idOf(device.pem))).caCertificateId, intermediateId);
  });

  test('anything but one PEM certificate is CertificateValidationException', async () => {
    const csrLike = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n';
    for (const model of [RegisterCertificate, RegisterCertificateWithoutCA]) {
      for (const certificatePem of [
        'hello',
        csrLike,
        '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      ]) {
        const error = await service.failure(model, { certificatePem });
        assert.equal(error.code, 'CertificateValidationException', `${model.name}: ${certificatePem}`);
        assert.equal(error.status, 400);
      }
    }
    const bad = await service.failure(RegisterCertificate, {
      certificatePem: pki.leaf('device-bad-ca-pem', root).pem,
      caCertificatePem: 'not pem',
    });
    assert.equal(bad.code, 'CertificateValidationException');
    const empty = await service.failure(RegisterCertificate, { certificatePem: '' });
    assert.equal(empty.code, 'InvalidRequestException', 'the model says min length 1');
  });

  test('RegisterCertificateWithoutCA: any issuer, SNI_ONLY, no CA id, status as given', async () => {
    const unknownRoot = pki.ca('unregistered-root');
    const device = pki.leaf('device-no-ca', unknownRoot);
    const out = await service.call(RegisterCertificateWithoutCA, { certificatePem: device.pem, status: 'ACTIVE' });
    assert.equal(out.certificateId, idOf(device.pem));
    const d = await describeCert(out.certificateId);
    assert.equal(d.certificateMode, 'SNI_ONLY');
    assert.equal(d.status, 'ACTIVE');
    assert.ok(!('caCertificateId' in d) || d.caCertificateId === undefined);
    // A self-signed device certificate is fine too.
    const selfSigned = pki.ca('self-signed-device', { ca: false });
    const own = await service.call(RegisterCertificateWithoutCA, { certificatePem: selfSigned.pem });
    assert.equal((await describeCert(own.certificateId)).status, 'INACTIVE');
  });

  test("ListCertificatesByCA pages through one CA's certificates only, with opaque markers", async () => {
    const listRoot = pki.ca('list-root');
    const listRootId = await registerCa(listRoot);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const device = pki.leaf(`list-device-${i}`, listRoot);
      ids.push(String((await service.call(RegisterCertificate, { certificatePem: device.pem })).certificateId));
    }
    // Noise: a certificate of another CA, and the same CA registered in another account.
    await service.call(RegisterCertificate, { certificatePem: pki.leaf('list-noise', root).pem });
    await registerCa(listRoot, { scope: OTHER_ACCOUNT, sni: true });
    await service.call(
      RegisterCertificate,
      { certificatePem: pki.leaf('list-other-account', listRoot).pem },
      OTHER_ACCOUNT,
    );

    for (const ascendingOrder of [false, true]) {
      const seen: Record<string, unknown>[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await service.call(ListCertificatesByCA, {
          caCertificateId: listRootId,
          pageSize: 2,
          ascendingOrder,
          ...(marker && { marker }),
        });
        pages += 1;
        seen.push(...(page.certificates as Record<string, unknown>[]));
        marker = page.nextMarker as string | undefined;
        if (marker) assert.match(marker, /^[A-Za-z0-9+/]+={0,2}$/);
      } while (marker);
      assert.equal(pages, 3);
      const listed = seen.map((c) => c.certificateId);
      assert.deepEqual([...listed].sort(), [...ids].sort());
      const dates = seen.map((c) => Number(c.creationDate));
      assert.deepEqual(
        dates,
        [...dates].sort((a, b) => (ascendingOrder ? a - b : b - a)),
      );
      for (const c of seen) {
        assert.deepEqual(Object.keys(c), [
          'certificateArn',
          'certificateId',
          'status',
          'certificateMode',
          'creationDate',
        ]);
      }
    }
    const defaultPage = await service.call(ListCertificatesByCA, { caCertificateId: listRootId });
    assert.equal((defaultPage.certificates as unknown[]).length, 5);
    assert.equal(defaultPage.nextMarker, undefined);
    const unknown = await service.call(ListCertificatesByCA, { caCertificateId: 'e'.repeat(64) });
    assert.deepEqual(unknown.certificates, []);
    const badMarker = await service.failure(ListCertificatesByCA, { caCertificateId: listRootId, marker: 'Zm9v' });
    assert.equal(badMarker.code, 'InvalidRequestException');
    const badId = await service.failure(ListCertificatesByCA, { caCertificateId: 'xyz' });
    assert.match(badId.message, /at 'caCertificateId' failed to satisfy constraint/);
  });
});
