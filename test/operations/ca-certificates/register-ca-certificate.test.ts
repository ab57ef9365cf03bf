import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fromPem } from '../../../src/ca/pem.js';
import {
  DescribeCACertificate,
  ListCACertificates,
  RegisterCACertificate,
} from '../../../src/model/ca-certificates.js';
import { GetRegistrationCode } from '../../../src/model/endpoint.js';
import { type Issued, TestPki } from '../../helpers/test-pki.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, SCOPE, type TestService } from '../operation-context.js';

const idOf = (pem: string) =>
  createHash('sha256')
    .update(fromPem(pem, ['CERTIFICATE']).der)
    .digest('hex');

describe('GetRegistrationCode', () => {
  let service: TestService;
  before(async () => {
    service = await openTestService();
  });
  after(() => service.close());

  test('is 64 lowercase hex digits, created once and stable afterwards', async () => {
    const { registrationCode } = await service.call(GetRegistrationCode, {});
    assert.match(String(registrationCode), /^[0-9a-f]{64}$/);
    assert.deepEqual(await service.call(GetRegistrationCode, {}), { registrationCode });
  });

  test('differs between accounts and between regions of one account', async () => {
    const codes = new Set<unknown>();
    for (const scope of [SCOPE, OTHER_ACCOUNT, OTHER_REGION]) {
      codes.add((await service.call(GetRegistrationCode, {}, scope)).registrationCode);
    }
    assert.equal(codes.size, 3);
  });
});

describe('RegisterCACertificate', () => {
  let service: TestService;
  let pki: TestPki;
  let code: string;

  /** A fresh self-signed CA and its verification certificate for `registrationCode`. */
  const caWithProof = (name: string, registrationCode = code, options = {}) => {
    const ca = pki.ca(name, options);
    return { ca, verification: pki.verification(`${name}-verification`, ca, registrationCode) };
  };
  const registerDefault = (ca: Issued, verification: Issued, extra: Record<string, unknown> = {}) =>
    service.call(RegisterCACertificate, {
      caCertificate: ca.pem,
      verificationCertificate: verification.pem,
      ...extra,
    });

  before(async () => {
    service = await openTestService();
    pki = new TestPki(service.dir);
    code = String((await service.call(GetRegistrationCode, {})).registrationCode);
  });
  after(() => service.close());

  test('DEFAULT mode with a verification certificate: ARN and id, then every described field', async () => {
    const { ca, verification } = caWithProof('root-a');
    const before = Date.now();
    const out = await registerDefault(ca, verification);
    const id = idOf(ca.pem);
    assert.deepEqual(out, {
      certificateArn: `arn:aws:iot:us-east-1:123456789012:cacert/${id}`,
      certificateId: id,
    });
    const described = await service.call(DescribeCACertificate, { certificateId: id });
    assert.deepEqual(Object.keys(described), ['certificateDescription']);
    const d = described.certificateDescription as Record<string, unknown>;
    assert.deepEqual(Object.keys(d), [
      'certificateArn',
      'certificateId',
      'status',
      'certificatePem',
      'ownedBy',
      'creationDate',
      'autoRegistrationStatus',
      'lastModifiedDate',
      'customerVersion',
      'generationId',
      'validity',
      'certificateMode',
    ]);
    const x509 = new X509Certificate(ca.pem);
    assert.equal(d.certificateArn, out.certificateArn);
    assert.equal(d.status, 'INACTIVE');
    assert.equal(d.certificatePem, ca.pem);
    assert.equal(d.ownedBy, '123456789012');
    assert.ok(Number(d.creationDate) >= before && Number(d.creationDate) <= Date.now());
    assert.equal(d.lastModifiedDate, d.creationDate);
    assert.equal(d.autoRegistrationStatus, 'DISABLE');
    assert.equal(d.customerVersion, 1);
    assert.match(String(d.generationId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(d.validity, {
      notBefore: new Date(x509.validFrom).getTime(),
      notAfter: new Date(x509.validTo).getTime(),
    });
    assert.equal(d.certificateMode, 'DEFAULT');
  });

  test('setAsActive, allowAutoRegistration, registrationConfig and tags are kept', async () => {
    const { ca, verification } = caWithProof('root-b');
    const registrationConfig = {
      templateBody: '{"Resources":{}}',
      roleArn: 'arn:aws:iam::123456789012:role/JITPRole',
    };
    const { certificateId } = await registerDefault(ca, verification, {
      setAsActive: true,
      allowAutoRegistration: true,
      registrationConfig,
      tags: [{ Key: 'team', Value: 'fleet' }, { Key: 'env' }],
    });
    const described = await service.call(DescribeCACertificate, { certificateId });
    const d = described.certificateDescription as Record<string, unknown>;
    assert.equal(d.status, 'ACTIVE');
    assert.equal(d.autoRegistrationStatus, 'ENABLE');
    assert.deepEqual(described.registrationConfig, registrationConfig);
    const record = await service.registry.caCertificates.getCaCertificate(SCOPE, String(certificateId));
    assert.deepEqual(record?.tags, [{ Key: 'env' }, { Key: 'team', Value: 'fleet' }]);
  });

  test('SNI_ONLY needs no verification certificate and refuses one; DEFAULT requires it', async () => {
    const sni = pki.ca('sni-root');
    const { certificateId } = await service.call(RegisterCACertificate, {
      caCertificate: sni.pem,
      certificateMode: 'SNI_ONLY',
    });
    const d = (await service.call(DescribeCACertificate, { certificateId })).certificateDescription as Record<
      string,
      unknown
    >;
    assert.equal(d.certificateMode, 'SNI_ONLY');

    const { ca, verification } = caWithProof('mode-mismatch');
    const withProof = await service.failure(RegisterCACertificate, {
      caCertificate: ca.pem,
      verificationCertificate: verification.pem,
      certificateMode: 'SNI_ONLY',
    });
    assert.equal(withProof.code, 'InvalidRequestException');
    assert.match(withProof.message, /verificationCertificate must be empty/);
    for (const mode of [undefined, 'DEFAULT']) {
      const missing = await service.failure(RegisterCACertificate, {
        caCertificate: ca.pem,
        ...(mode && { certificateMode: mode }),
      });
      assert.equal(missing.code, 'InvalidRequestException');
      assert.match(missing.message, /verificationCertificate is required/);
    }
  });

  test("the verification certificate must carry this account's registration code as its common name", async () => {
    const otherCode = String((await service.call(GetRegistrationCode, {}, OTHER_ACCOUNT)).registrationCode);
    for (const wrong of [otherCode, 'f'.repeat(64), code.toUpperCase()]) {
      const { ca, verification } = caWithProof(`wrong-code-${wrong.slice(0, 6)}`, wrong);
      const error = await service.failure(RegisterCACertificate, {
        caCertificate: ca.pem,
        verificationCertificate: verification.pem,
      });
      assert.equal(error.code, 'RegistrationCodeValidationException');
      assert.equal(error.status, 400);
    }
  });

  test('without a registration code yet, no verification certificate can match', async () => {
    const fresh = await openTestService();
    try {
      const freshPki = new TestPki(fresh.dir);
      const ca = freshPki.ca('early');
      const verification = freshPki.verification('early-verification', ca, 'a'.repeat(64));
      const error = await fresh.failure(RegisterCACertificate, {
        caCertificate: ca.pem,
        verificationCertificate: verification.pem,
      });
      assert.equal(error.code, 'RegistrationCodeValidationException');
      // Registering did not create the code as a side effect.
      assert.equal(await fresh.registry.scopeIdentifiers.get(SCOPE, 'registration-code'), undefined);
    } finally {
      await fresh.close();
    }
  });

  test("the verification certificate must be signed by the CA's key", async () => {
    const ca = pki.ca('proved-by-other');
    const impostor = pki.ca('impostor', { subject: '/CN=proved-by-other' });
    const verification = pki.verification('impostor-verification', impostor, code);
    const error = await service.failure(RegisterCACertificate, {
      caCertificate: ca.pem,
      verificationCertificate: verification.pem,
    });
    assert.equal(error.code, 'CertificateValidationException');
    assert.match(error.message, /not signed by the CA certificate/);
  });

  test('a certificate without BasicConstraints CA:TRUE is not a CA', async () => {
    const notCa = pki.ca('not-a-ca', { ca: false });
    const error = await service.failure(RegisterCACertificate, {
      caCertificate: notCa.pem,
      certificateMode: 'SNI_ONLY',
    });
    assert.equal(error.code, 'CertificateValidationException');
    assert.match(error.message, /basicConstraints/);
  });

  test('a self-signed CA must verify with its own key', async () => {
    const signer = pki.ca('twisted-signer', { subject: '/CN=twisted' });
    // Subject and issuer are both CN=twisted, but the signature is the other key's.
    const twisted = pki.ca('twisted', { subject: '/CN=twisted', issuer: signer });
    const error = await service.failure(RegisterCACertificate, {
      caCertificate: twisted.pem,
      certificateMode: 'SNI_ONLY',
    });
    assert.equal(error.code, 'CertificateValidationException');
    assert.match(error.message, /not signed by its own key/);
  });

  test('an intermediate CA (issued by another CA) registers', async () => {
    const root = pki.ca('chain-root');
    const intermediate = pki.ca('chain-intermediate', { issuer: root });
    const verification = pki.verification('chain-intermediate-verification', intermediate, code);
    const out = await registerDefault(intermediate, verification);
    assert.equal(out.certificateId, idOf(intermediate.pem));
  });

  test('text that is not one PEM certificate is a CertificateValidationException', async () => {
    const { ca, verification } = caWithProof('garbage-test');
    for (const caCertificate of ['not a certificate', ca.pem.replace(/[A-Z]{8}/, 'AAAAAAAA'), `${ca.pem}${ca.pem}`]) {
      const error = await service.failure(RegisterCACertificate, {
        caCertificate,
        verificationCertificate: verification.pem,
      });
      assert.equal(error.code, 'CertificateValidationException', caCertificate.slice(0, 40));
    }
    const badProof = await service.failure(RegisterCACertificate, {
      caCertificate: ca.pem,
      verificationCertificate: 'garbage',
    });
    assert.equal(badProof.code, 'CertificateValidationException');
  });

  test('registering the same CA twice is ResourceAlreadyExistsException with its id and ARN', async () => {
    const { ca, verification } = caWithProof('twice');
    const first = await registerDefault(ca, verification);
    const error = await service.failure(RegisterCACertificate, {
      caCertificate: ca.pem,
      verificationCertificate: verification.pem,
    });
    assert.equal(error.code, 'ResourceAlreadyExistsException');
    assert.equal(error.status, 409);
    assert.deepEqual(error.details, { resourceId: first.certificateId, resourceArn: first.certificateArn });
  });

  test('a CA in DEFAULT mode belongs to one account per region; SNI_ONLY and other regions are free', async () => {
    const { ca, verification } = caWithProof('shared-root');
    await registerDefault(ca, verification);
    const otherCode = String((await service.call(GetRegistrationCode, {}, OTHER_ACCOUNT)).registrationCode);
    const theirProof = pki.verification('shared-root-theirs', ca, otherCode);
    const taken = await service.failure(
      RegisterCACertificate,
      { caCertificate: ca.pem, verificationCertificate: theirProof.pem },
      OTHER_ACCOUNT,
    );
    assert.equal(taken.code, 'ResourceAlreadyExistsException');
    assert.match(taken.message, /DEFAULT mode by another account/);
    assert.equal(taken.details.resourceArn, `arn:aws:iot:us-east-1:${OTHER_ACCOUNT.accountId}:cacert/${idOf(ca.pem)}`);

    await service.call(RegisterCACertificate, { caCertificate: ca.pem, certificateMode: 'SNI_ONLY' }, OTHER_ACCOUNT);
    const regionCode = String((await service.call(GetRegistrationCode, {}, OTHER_REGION)).registrationCode);
    const regionProof = pki.verification('shared-root-region', ca, regionCode);
    const inRegion = await service.call(
      RegisterCACertificate,
      { caCertificate: ca.pem, verificationCertificate: regionProof.pem },
      OTHER_REGION,
    );
    assert.equal(inRegion.certificateArn, `arn:aws:iot:eu-west-1:123456789012:cacert/${idOf(ca.pem)}`);
  });

  test('at most 10 CA certificates with one subject: the 11th is LimitExceededException', async () => {
    const first = pki.ca('same-subject-0', { subject: '/CN=Popular CA' });
    const register = (ca: Issued) =>
      service.call(RegisterCACertificate, { caCertificate: ca.pem, certificateMode: 'SNI_ONLY' });
    await register(first);
    for (let i = 1; i < 10; i++)
      await register(pki.ca(`same-subject-${i}`, { subject: '/CN=Popular CA', keyOf: first }));
    const eleventh = pki.ca('same-subject-10', { subject: '/CN=Popular CA', keyOf: first });
    const error = await service.failure(RegisterCACertificate, {
      caCertificate: eleventh.pem,
      certificateMode: 'SNI_ONLY',
    });
    assert.equal(error.code, 'LimitExceededException');
    assert.equal(error.status, 410);
    // The limit is per account.
    await service.call(
      RegisterCACertificate,
      { caCertificate: eleventh.pem, certificateMode: 'SNI_ONLY' },
      OTHER_ACCOUNT,
    );
  });

  test('model constraints are checked first: tag keys, template names, duplicate tag keys', async () => {
    const ca = pki.ca('constrained');
    const badTag = await service.failure(RegisterCACertificate, {
      caCertificate: ca.pem,
      certificateMode: 'SNI_ONLY',
      tags: [{ Key: 'ok' }, { Key: 'bad!key', Value: 'x' }, { Value: 'no key' }],
    });
    assert.equal(badTag.code, 'InvalidRequestException');
    assert.match(badTag.message, /^2 validation errors detected: /);
    assert.match(
      badTag.message,
      /Value 'bad!key' at 'tags\.2\.member\.Key' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    assert.match(
      badTag.message,
      /Value null at 'tags\.3\.member\.Key' failed to satisfy constraint: Member must not be null/,
    );
    const unicodeKey = await service.call(RegisterCACertificate, {
      caCertificate: ca.pem,
      certificateMode: 'SNI_ONLY',
      tags: [{ Key: 'Größe @ 2:3' }],
    });
    assert.equal(unicodeKey.certificateId, idOf(ca.pem));

    const other = pki.ca('constrained-2');
    const badTemplate = await service.failure(RegisterCACertificate, {
      caCertificate: other.pem,
      certificateMode: 'SNI_ONLY',
      registrationConfig: { templateName: 'has space', roleArn: 'short' },
    });
    assert.match(
      badTemplate.message,
      /at 'registrationConfig\.roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20/,
    );
    assert.match(
      badTemplate.message,
      /at 'registrationConfig\.templateName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const duplicate = await service.failure(RegisterCACertificate, {
      caCertificate: other.pem,
      certificateMode: 'SNI_ONLY',
      tags: [{ Key: 'a' }, { Key: 'a', Value: 'again' }],
    });
    assert.equal(duplicate.code, 'InvalidRequestException');
    assert.match(duplicate.message, /Duplicate tag key: a/);
  });

  test('a CA registered here is invisible from another account or region', async () => {
    const { ca, verification } = caWithProof('private-root');
    const { certificateId } = await registerDefault(ca, verification);
    for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
      const missing = await service.failure(DescribeCACertificate, { certificateId }, scope);
      assert.equal(missing.code, 'ResourceNotFoundException');
      assert.equal(missing.message, 'The specified resource does not exist');
      const listed = (await service.call(ListCACertificates, { pageSize: 250 }, scope)).certificates as {
        certificateId: string;
      }[];
      assert.ok(!listed.some((c) => c.certificateId === certificateId));
    }
  });
});
