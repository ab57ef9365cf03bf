import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCertificate } from '../../src/ca/authority.js';
import { type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { readCertificateParts } from '../../src/ca/certificate-reader.js';
import { CLAIM_LIFETIME_MS, claimValidity } from '../../src/ca/claim-certificate.js';
import { fromPem } from '../../src/ca/pem.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('claim');
after(() => tmp.remove());

const NOW = new Date('2026-03-04T05:06:07.890Z');
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
let ca: FileCertificateAuthority;
let claim: IssuedCertificate;

before(async () => {
  ca = await openFileAuthority(join(tmp.path, 'ca'));
  claim = await ca.issueClaim({ publicKey: key.publicKey, now: NOW });
});

describe('provisioning claim certificate profile (reference §2.11)', () => {
  it('has a random CN of 64 lowercase hex characters, different on every claim', async () => {
    const subject = new X509Certificate(claim.der).subject;
    assert.match(subject, /^CN=[0-9a-f]{64}$/);
    const again = await ca.issueClaim({ publicKey: key.publicKey, now: NOW });
    assert.notEqual(new X509Certificate(again.der).subject, subject);
    assert.notEqual(again.certificateId, claim.certificateId);
  });

  it('is valid from now − 2 min to now + 5 min, whole seconds', () => {
    const cert = new X509Certificate(claim.der);
    assert.equal(new Date(cert.validFrom).toISOString(), '2026-03-04T05:04:07.000Z');
    assert.equal(new Date(cert.validTo).toISOString(), '2026-03-04T05:11:07.000Z');
    assert.equal(claim.notBefore.toISOString(), '2026-03-04T05:04:07.000Z');
    assert.equal(claim.notAfter.toISOString(), '2026-03-04T05:11:07.000Z');
    assert.equal(claim.notAfter.getTime() - claim.notBefore.getTime(), CLAIM_LIFETIME_MS + 120_000);
    assert.deepEqual(claimValidity(NOW), { notBefore: claim.notBefore, notAfter: claim.notAfter });
  });

  it('has exactly two extensions: BasicConstraints CA:FALSE and KeyUsage digitalSignature, both critical', () => {
    const parts = readCertificateParts(claim.der);
    assert.deepEqual(
      parts.extensions.map((e) => [e.oid, e.critical, e.value.toString('hex')]),
      [
        ['2.5.29.19', true, '3000'],
        ['2.5.29.15', true, '03020780'],
      ],
    );
    const text = openssl(['x509', '-noout', '-text'], claim.pem).toString();
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
  });

  it('certifies the given key, is signed by the issuing CA and chains to the root', async () => {
    const cert = new X509Certificate(claim.der);
    assert.equal(
      cert.publicKey.export({ type: 'spki', format: 'pem' }),
      key.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const issuing = new X509Certificate(fromPem(ca.issuingPem, ['CERTIFICATE']).der);
    assert.ok(cert.verify(issuing.publicKey));
    assert.equal(cert.issuer, issuing.subject);
    assert.equal(claim.certificateId, createHash('sha256').update(claim.der).digest('hex'));
    // Issued now (the CA is no older than this test), checked at fixed times within and after its validity.
    const issuedAt = new Date();
    const current = await ca.issueClaim({ publicKey: key.publicKey, now: issuedAt });
    const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
    const file = writeTemp(tmp.path, 'claim.pem', current.pem);
    const attime = String(Math.floor(issuedAt.getTime() / 1000));
    const verified = opensslRun(['verify', '-attime', attime, '-CAfile', chain, file]);
    assert.equal(verified.status, 0, verified.stderr);
    const late = opensslRun(['verify', '-attime', String(Number(attime) + 301), '-CAfile', chain, file]);
    assert.notEqual(late.status, 0, 'expired five minutes after issuance');
  });
});
