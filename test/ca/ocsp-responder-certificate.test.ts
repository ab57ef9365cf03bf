import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCertificate } from '../../src/ca/authority.js';
import { type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { readCertificateParts, subjectKeyIdentifierOf } from '../../src/ca/certificate-reader.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { fromPem } from '../../src/ca/pem.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('ocsp-responder');
after(() => tmp.remove());

const NOW = new Date('2026-05-06T07:08:09.750Z');
const DAY = 86_400_000;
const responderKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let ca: FileCertificateAuthority;
let responder: IssuedCertificate;

before(async () => {
  ca = await openFileAuthority(join(tmp.path, 'ca'));
  responder = await ca.issueOcspResponderCertificate({ publicKey: responderKey.publicKey, now: NOW, lifetimeMs: DAY });
});

describe('delegated OCSP responder certificate', () => {
  it('has the responder profile: CN, validity, AKI, SKI, CA:FALSE, digitalSignature, OCSPSigning, nocheck', () => {
    const text = openssl(['x509', '-noout', '-text'], responder.pem).toString();
    assert.match(text, /Subject: CN = fleetca OCSP responder\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    assert.match(text, /X509v3 Extended Key Usage: \n\s+OCSP Signing\n/);
    assert.match(text, /OCSP No Check: \n/);
    const parts = readCertificateParts(responder.der);
    assert.deepEqual(
      parts.extensions.map((e) => [e.oid, e.critical]),
      [
        ['2.5.29.35', false],
        ['2.5.29.14', false],
        ['2.5.29.19', true],
        ['2.5.29.15', true],
        ['2.5.29.37', false],
        ['1.3.6.1.5.5.7.48.1.5', false],
      ],
    );
    assert.equal(parts.extensions[5]?.value.toString('hex'), '0500');
    const issuing = readCertificateParts(fromPem(ca.issuingPem, ['CERTIFICATE']).der);
    assert.deepEqual(parts.issuer, issuing.subject);
    assert.deepEqual(parts.extensions[0]?.value.subarray(4), subjectKeyIdentifierOf(issuing));
    const cert = new X509Certificate(responder.der);
    assert.equal(new Date(cert.validFrom).toISOString(), '2026-05-06T07:06:09.000Z');
    assert.equal(new Date(cert.validTo).toISOString(), '2026-05-07T07:08:09.000Z');
    assert.equal(responder.notAfter.toISOString(), '2026-05-07T07:08:09.000Z');
    assert.ok(cert.publicKey.equals(responderKey.publicKey));
  });

  it('verifies under the chain for the OCSP helper purpose', async () => {
    const current = await ca.issueOcspResponderCertificate({
      publicKey: responderKey.publicKey,
      now: new Date(),
      lifetimeMs: DAY,
    });
    const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
    const result = opensslRun([
      'verify',
      '-purpose',
      'ocsphelper',
      '-CAfile',
      chain,
      writeTemp(tmp.path, 'r.pem', current.pem),
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /: OK/);
  });

  it('refuses a lifetime that is not a positive whole number of milliseconds', async () => {
    for (const lifetimeMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(
        ca.issueOcspResponderCertificate({ publicKey: responderKey.publicKey, now: NOW, lifetimeMs }),
        RangeError,
      );
    }
  });
});

describe('revocationIssuer()', () => {
  it('is the issuing CA: its subject, SKI, certificate and a signer its key verifies', async () => {
    const issuer = ca.revocationIssuer();
    const issuingDer = fromPem(ca.issuingPem, ['CERTIFICATE']).der;
    assert.deepEqual(issuer.certificateDer, issuingDer);
    const parts = readCertificateParts(issuingDer);
    assert.deepEqual(issuer.name, parts.subject);
    assert.deepEqual(issuer.keyIdentifier, subjectKeyIdentifierOf(parts));
    assert.equal(issuer.signer.algorithm, 'sha256WithRSAEncryption');
    const data = Buffer.from('a CRL to be');
    const signature = await issuer.signer.sign(data);
    assert.ok(verify('sha256', data, new X509Certificate(issuingDer).publicKey, signature));
    // The leaves it issues name the same key identifier.
    const leaf = await ca.issue({ subject: encodeName('CN=x'), publicKey: responderKey.publicKey, now: NOW });
    assert.equal(leaf.issuedBy.issuerKeyId, issuer.keyIdentifier.toString('hex'));
    // Copies: changing them changes nothing in the authority.
    issuer.name.fill(0);
    assert.deepEqual(ca.revocationIssuer().name, parts.subject);
  });
});
