import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openFileAuthority } from '../../../src/ca/bootstrap.js';
import { readCertificateParts, subjectKeyIdentifierOf } from '../../../src/ca/certificate-reader.js';
import { encodeName } from '../../../src/ca/distinguished-name.js';
import { LISTED_STATUSES } from '../../../src/domain/certificates/revocation.js';
import {
  CreateCertificateFromCsr,
  RegisterCertificateWithoutCA,
  UpdateCertificate,
} from '../../../src/model/certificates.js';
import { buildCsr } from '../../helpers/ca-test-support.js';
import { OTHER_ACCOUNT, openTestService, SCOPE, type TestService } from '../operation-context.js';

describe('issuer and serial of the certificates fleetca issues', () => {
  let service: TestService;
  let issuingKeyId: string;

  before(async () => {
    service = await openTestService();
    // The issuing CA is the chain's first certificate; its subject key identifier names it on CRLs and in OCSP.
    const chain = (await openFileAuthority(join(service.dir, 'ca'))).chainPem();
    const parts = readCertificateParts(new X509Certificate(chain).raw);
    issuingKeyId = subjectKeyIdentifierOf(parts)?.toString('hex') ?? 'none';
  });
  after(() => service.close());

  test('an issued certificate is recorded with the issuing CA key id and its serial, and listed once revoked', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const csr = buildCsr({ subject: encodeName('CN=issued-by'), publicKey, privateKey });
    const out = await service.call(CreateCertificateFromCsr, { certificateSigningRequest: csr, setAsActive: true });
    const certificateId = String(out.certificateId);
    const record = await service.registry.certificates.getCertificate(SCOPE, certificateId);
    const x509 = new X509Certificate(String(out.certificatePem));
    assert.deepEqual(record?.issuedBy, { issuerKeyId: issuingKeyId, serialNumber: x509.serialNumber.toLowerCase() });

    await service.call(UpdateCertificate, { certificateId, newStatus: 'REVOKED' });
    const listed = (await service.registry.revocation.numberedRevocations(issuingKeyId, LISTED_STATUSES, Date.now()))
      .entries;
    assert.deepEqual(
      listed.map((entry) => [entry.serialNumber, entry.status]),
      [[x509.serialNumber.toLowerCase(), 'REVOKED']],
    );

    // The same certificate registered by another account is a registered one there: not on fleetca's CRLs.
    const registered = await service.call(
      RegisterCertificateWithoutCA,
      { certificatePem: out.certificatePem, status: 'INACTIVE' },
      OTHER_ACCOUNT,
    );
    const there = await service.registry.certificates.getCertificate(OTHER_ACCOUNT, String(registered.certificateId));
    assert.ok(there !== undefined && !('issuedBy' in there));
  });
});
