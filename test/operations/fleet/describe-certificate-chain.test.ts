import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fromPem } from '../../../src/ca/pem.js';
import { DeleteCACertificate, RegisterCACertificate, UpdateCACertificate } from '../../../src/model/ca-certificates.js';
import {
  CreateCertificateFromCsr,
  RegisterCertificate,
  RegisterCertificateWithoutCA,
  UpdateCertificate,
} from '../../../src/model/certificates.js';
import { DescribeCertificateChain } from '../../../src/model/fleet-devices.js';
import { makeEcCsr } from '../../helpers/run-cli.js';
import { type Issued, TestPki } from '../../helpers/test-pki.js';
import { OTHER_ACCOUNT, openTestService, type TestService } from '../operation-context.js';

const idOf = (pem: string) =>
  createHash('sha256')
    .update(fromPem(pem, ['CERTIFICATE']).der)
    .digest('hex');

interface ChainEntry {
  certificatePem: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  role: string;
}
interface Described {
  chain: ChainEntry[];
  verification: { valid: boolean; problems: string[] };
}

describe('DescribeCertificateChain', () => {
  let service: TestService;
  let pki: TestPki;
  /** The time the operations see: the real one unless a test sets another. */
  let clock: Date | undefined;
  let csrCount = 0;

  const describeChain = async (certificateId: string) =>
    (await service.call(DescribeCertificateChain, { certificateId })) as unknown as Described;
  /** A certificate fleetca issues (from an EC CSR), ACTIVE. */
  const issue = async () => {
    const csr = await readFile(await makeEcCsr(service.dir, `device-${csrCount++}`), 'utf8');
    const out = await service.call(CreateCertificateFromCsr, { certificateSigningRequest: csr, setAsActive: true });
    return { id: String(out.certificateId), pem: String(out.certificatePem) };
  };
  /** An outside CA registered (SNI_ONLY, ACTIVE) and a device certificate of it registered ACTIVE. */
  const registeredWithCa = async (name: string) => {
    const ca = pki.ca(`${name}-ca`, { subject: `/O=Acme/CN=${name} CA` });
    const caId = String(
      (
        await service.call(RegisterCACertificate, {
          caCertificate: ca.pem,
          certificateMode: 'SNI_ONLY',
          setAsActive: true,
        })
      ).certificateId,
    );
    const device = pki.leaf(`${name}-device`, ca);
    await service.call(RegisterCertificate, { certificatePem: device.pem, status: 'ACTIVE' });
    return { ca, caId, device, id: idOf(device.pem) };
  };

  before(async () => {
    service = await openTestService('fleetca-chain-', { now: () => clock ?? new Date() });
    pki = new TestPki(service.dir);
  });
  after(() => service.close());

  test("a certificate fleetca issued: itself, fleetca's issuing CA and root, valid", async () => {
    const { id, pem } = await issue();
    const { chain, verification } = await describeChain(id);
    assert.deepEqual(verification, { valid: true, problems: [] });
    assert.deepEqual(
      chain.map((entry) => entry.role),
      ['certificate', 'issuing-ca', 'root-ca'],
    );
    const [leaf, issuing, root] = chain as [ChainEntry, ChainEntry, ChainEntry];
    assert.equal(leaf.certificatePem, pem);
    // The CA directory's own certificates, the chain `fleetca ca export` prints.
    assert.equal(issuing.certificatePem, await readFile(`${service.dir}/ca/issuing-ca.crt`, 'utf8'));
    assert.equal(root.certificatePem, await readFile(`${service.dir}/ca/root-ca.crt`, 'utf8'));
    assert.equal(leaf.issuer, issuing.subject);
    assert.equal(issuing.issuer, root.subject);
    assert.equal(root.issuer, root.subject);
    assert.match(issuing.subject, /^CN=fleetca Issuing CA [0-9a-f]+, O=fleetca$/);
    const x509 = new X509Certificate(pem);
    assert.deepEqual([leaf.notBefore, leaf.notAfter], [Date.parse(x509.validFrom), Date.parse(x509.validTo)]);
    assert.equal(leaf.notAfter, Date.parse('2049-12-31T23:59:59Z'));
  });

  test('an INACTIVE or REVOKED certificate: the chain holds, the status is the problem', async () => {
    const { id } = await issue();
    for (const status of ['INACTIVE', 'REVOKED']) {
      await service.call(UpdateCertificate, { certificateId: id, newStatus: status });
      assert.deepEqual((await describeChain(id)).verification, {
        valid: false,
        problems: [`The certificate is ${status}: only an ACTIVE certificate may be used.`],
      });
    }
  });

  test('after its notAfter the certificate has expired', async () => {
    const { id } = await issue();
    clock = new Date('2050-01-01T00:00:00Z');
    try {
      const { verification } = await describeChain(id);
      assert.equal(verification.valid, false);
      assert.ok(verification.problems.includes('The certificate expired on 2049-12-31T23:59:59.000Z.'));
    } finally {
      clock = undefined;
    }
  });

  test('registered with a CA certificate: itself and that CA, valid while both are ACTIVE', async () => {
    const { ca, id } = await registeredWithCa('good');
    const { chain, verification } = await describeChain(id);
    assert.deepEqual(verification, { valid: true, problems: [] });
    assert.deepEqual(
      chain.map((entry) => [entry.role, entry.subject]),
      [
        ['certificate', 'CN=good-device'],
        ['registered-ca', 'O=Acme, CN=good CA'],
      ],
    );
    assert.equal(chain[1]?.certificatePem, ca.pem);
    assert.equal(chain[0]?.issuer, 'O=Acme, CN=good CA');
  });

  test('its registered CA INACTIVE, then deleted: said in a sentence each time', async () => {
    const { caId, id } = await registeredWithCa('paused');
    await service.call(UpdateCACertificate, { certificateId: caId, newStatus: 'INACTIVE' });
    assert.deepEqual((await describeChain(id)).verification, {
      valid: false,
      problems: [
        `The registered CA certificate ${caId} is INACTIVE: certificates it signed may not be used until it is ACTIVE again.`,
      ],
    });
    await service.call(DeleteCACertificate, { certificateId: caId });
    const gone = await describeChain(id);
    assert.deepEqual(
      gone.chain.map((entry) => entry.role),
      ['certificate'],
    );
    assert.deepEqual(gone.verification.problems, [
      `The CA certificate ${caId} it was registered with is no longer registered.`,
    ]);
  });

  test('registered without a CA: an unknown issuer cannot be verified; a self-signed certificate is its own chain', async () => {
    const stranger: Issued = pki.ca('stranger-ca');
    const device = pki.leaf('stranger-device', stranger);
    await service.call(RegisterCertificateWithoutCA, { certificatePem: device.pem, status: 'ACTIVE' });
    const unknown = await describeChain(idOf(device.pem));
    assert.deepEqual(
      unknown.chain.map((entry) => entry.role),
      ['certificate'],
    );
    assert.equal(unknown.verification.valid, false);
    assert.match(unknown.verification.problems[0] ?? '', /registered without a CA certificate: fleetca does not know/);

    const selfSigned = pki.ca('self-signed-device', { ca: false });
    await service.call(RegisterCertificateWithoutCA, { certificatePem: selfSigned.pem, status: 'ACTIVE' });
    assert.deepEqual((await describeChain(idOf(selfSigned.pem))).verification, { valid: true, problems: [] });
  });

  test("an unknown id, or another account's certificate, is ResourceNotFoundException; a malformed id InvalidRequestException", async () => {
    const { id } = await issue();
    for (const [certificateId, scope] of [
      ['f'.repeat(64), undefined],
      [id, OTHER_ACCOUNT],
    ] as const) {
      const failure = await service.failure(DescribeCertificateChain, { certificateId }, scope);
      assert.deepEqual([failure.code, failure.status], ['ResourceNotFoundException', 404]);
    }
    const malformed = await service.failure(DescribeCertificateChain, { certificateId: 'xyz' });
    assert.equal(malformed.code, 'InvalidRequestException');
    assert.match(malformed.message, /Value 'xyz' at 'certificateId'/);
  });
});
