import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCertificate } from '../../src/ca/authority.js';
import { type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { readCertificateParts, subjectKeyIdentifierOf } from '../../src/ca/certificate-reader.js';
import { readCertificateSigningRequest } from '../../src/ca/csr.js';
import { readTlv } from '../../src/ca/der.js';
import { oid, sequence, set, tlv } from '../../src/ca/der-writer.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { leafNotBefore } from '../../src/ca/leaf-certificate.js';
import { fromPem, toPem } from '../../src/ca/pem.js';
import { AWS_SAMPLE_CERTIFICATE_ID, AWS_SAMPLE_CERTIFICATE_PEM } from '../helpers/aws-sample-certificate.js';
import { buildCsr, makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('leaf');
after(() => tmp.remove());

let ca: FileCertificateAuthority;
let issuingDer: Buffer;
const deviceKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const AWS_SUBJECT = encodeName('CN=AWS IoT Certificate');
const NOW = new Date('2026-03-04T05:06:07.890Z');
let leaf: IssuedCertificate;

before(async () => {
  ca = await openFileAuthority(join(tmp.path, 'ca'));
  issuingDer = fromPem(ca.issuingPem, ['CERTIFICATE']).der;
  leaf = await ca.issue({ subject: AWS_SUBJECT, publicKey: deviceKey.publicKey, now: NOW });
});

const hex = (b: Buffer) => b.toString('hex');

/** `openssl verify` of a leaf against the authority's chain. */
function verifyWithChain(pem: string): { status: number | null; stdout: string; stderr: string } {
  const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
  const cert = writeTemp(tmp.path, 'leaf.pem', pem);
  return opensslRun(['verify', '-CAfile', chain, cert]);
}

describe('leaf certificate profile (reference §3.2)', () => {
  it('is X.509 v3 with sha256WithRSAEncryption (NULL parameters) inside and outside the TBS', () => {
    const parts = readCertificateParts(leaf.der);
    const tbs = readTlv(parts.tbs);
    // version [0] EXPLICIT INTEGER 2, then the serial, then the signature AlgorithmIdentifier.
    assert.equal(hex(parts.tbs.subarray(tbs.contentStart, tbs.contentStart + 5)), 'a003020102');
    const serialTlv = readTlv(parts.tbs, tbs.contentStart + 5);
    const algorithmTlv = readTlv(parts.tbs, serialTlv.contentEnd);
    const algorithm = '300d06092a864886f70d01010b0500';
    assert.equal(hex(parts.tbs.subarray(algorithmTlv.start, algorithmTlv.contentEnd)), algorithm);
    // Certificate = SEQUENCE { tbs, algorithm, BIT STRING }: the algorithm follows the TBS directly.
    const afterTbs = leaf.der.subarray(leaf.der.indexOf(parts.tbs) + parts.tbs.length);
    assert.equal(hex(afterTbs.subarray(0, 15)), algorithm);
    assert.equal(hex(afterTbs.subarray(15, 20)), '0382010100'); // 256-byte signature of the RSA-2048 issuing key
    const serial = parts.serial[0] === 0 ? parts.serial.subarray(1) : parts.serial;
    assert.equal(new X509Certificate(leaf.der).serialNumber, hex(serial).toUpperCase());
  });

  it('has a 20-byte random positive serial (21 with a leading 00 when the top bit is set)', async () => {
    const seen = new Set<string>();
    const lengths = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const cert = i === 0 ? leaf : await ca.issue({ subject: AWS_SUBJECT, publicKey: deviceKey.publicKey, now: NOW });
      const serial = readCertificateParts(cert.der).serial;
      lengths.add(serial.length);
      if (serial.length === 21) {
        assert.equal(serial[0], 0);
        assert.ok((serial[1] as number) >= 0x80);
      } else {
        assert.equal(serial.length, 20);
        assert.ok((serial[0] as number) >= 0x01 && (serial[0] as number) <= 0x7f);
      }
      seen.add(hex(serial));
      // Same inputs, different serial, so a different certificate and certificateId.
      assert.equal(cert.certificateId, createHash('sha256').update(cert.der).digest('hex'));
    }
    assert.equal(seen.size, 40);
    // With 40 serials, both top-bit cases appear except with probability 2^-39.
    assert.deepEqual([...lengths].sort(), [20, 21]);
  });

  it('copies the issuing CA subject byte for byte as the issuer', () => {
    const parts = readCertificateParts(leaf.der);
    assert.deepEqual(parts.issuer, readCertificateParts(issuingDer).subject);
    assert.equal(new X509Certificate(leaf.der).issuer, new X509Certificate(issuingDer).subject);
  });

  it('has notBefore = now − 120 s truncated to the second and notAfter 2049-12-31T23:59:59Z, both UTCTime', () => {
    const der = hex(leaf.der);
    // SEQUENCE { UTCTime "260304050407Z", UTCTime "491231235959Z" }
    const validity = `301e170d${hex(Buffer.from('260304050407Z'))}170d${hex(Buffer.from('491231235959Z'))}`;
    assert.ok(der.includes(validity));
    assert.equal(leaf.notBefore.toISOString(), '2026-03-04T05:04:07.000Z');
    assert.equal(leaf.notAfter.toISOString(), '2049-12-31T23:59:59.000Z');
    const x509 = new X509Certificate(leaf.der);
    assert.equal(new Date(x509.validFrom).toISOString(), '2026-03-04T05:04:07.000Z');
    assert.equal(new Date(x509.validTo).toISOString(), '2049-12-31T23:59:59.000Z');
    assert.equal(leafNotBefore(new Date('2026-01-01T00:02:00.999Z')).toISOString(), '2026-01-01T00:00:00.000Z');
  });

  it('has the subject given, CN=AWS IoT Certificate as UTF8String like AWS', () => {
    const parts = readCertificateParts(leaf.der);
    assert.deepEqual(parts.subject, AWS_SUBJECT);
    assert.deepEqual(parts.subject, readCertificateParts(new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM).raw).subject);
    const dump = openssl(['asn1parse', '-inform', 'DER'], leaf.der).toString();
    assert.match(dump, /UTF8STRING\s+:AWS IoT Certificate/);
    assert.equal(new X509Certificate(leaf.der).subject, 'CN=AWS IoT Certificate');
  });

  it('carries the device public key as SubjectPublicKeyInfo', () => {
    const parts = readCertificateParts(leaf.der);
    assert.deepEqual(parts.subjectPublicKeyInfo, deviceKey.publicKey.export({ type: 'spki', format: 'der' }));
    assert.ok(new X509Certificate(leaf.der).publicKey.equals(deviceKey.publicKey));
  });

  it('has exactly AKI, SKI, BasicConstraints, KeyUsage in this order with AWS criticality and values', () => {
    const parts = readCertificateParts(leaf.der);
    const caKeyId = subjectKeyIdentifierOf(readCertificateParts(issuingDer)) as Buffer;
    assert.equal(caKeyId.length, 20);
    const spkiBits = parts.subjectPublicKeyInfo.subarray(parts.subjectPublicKeyInfo.length - 270);
    const ski = createHash('sha1').update(spkiBits).digest();
    assert.deepEqual(
      parts.extensions.map((e) => [e.oid, e.critical, hex(e.value)]),
      [
        ['2.5.29.35', false, `30168014${hex(caKeyId)}`],
        ['2.5.29.14', false, `0414${hex(ski)}`],
        ['2.5.29.19', true, '3000'],
        ['2.5.29.15', true, '03020780'],
      ],
    );
    // The whole extensions block, byte for byte.
    const block =
      'a360305e' +
      `301f0603551d230418${'30168014'}${hex(caKeyId)}` +
      `301d0603551d0e0416${'0414'}${hex(ski)}` +
      '300c0603551d130101ff04023000' +
      '300e0603551d0f0101ff0404030207' +
      '80';
    assert.ok(hex(leaf.der).includes(block));
  });

  it('has the same extension structure as a real AWS certificate, key identifiers aside', () => {
    const shape = (der: Buffer) =>
      readCertificateParts(der).extensions.map((e) => [
        e.oid,
        e.critical,
        e.value.length,
        // Everything but a trailing 20-byte key identifier.
        hex(e.value.subarray(0, e.value.length >= 22 ? e.value.length - 20 : e.value.length)),
      ]);
    assert.deepEqual(shape(leaf.der), shape(new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM).raw));
  });

  it('reads as expected in openssl x509 -text', () => {
    const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], leaf.der).toString();
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /Not Before: Mar {2}4 05:04:07 2026 GMT/);
    assert.match(text, /Not After : Dec 31 23:59:59 2049 GMT/);
    assert.match(text, /Subject: CN = AWS IoT Certificate/);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    const start = text.indexOf('X509v3 extensions:') + 'X509v3 extensions:'.length;
    const extensions = text.slice(start, text.indexOf('Signature Algorithm', start));
    const headings = [...extensions.matchAll(/X509v3 ([A-Za-z ]+?):( critical)? *\n/g)].map(
      (m) => `${m[1]}${m[2] ?? ''}`,
    );
    assert.deepEqual(headings, [
      'Authority Key Identifier',
      'Subject Key Identifier',
      'Basic Constraints critical',
      'Key Usage critical',
    ]);
    assert.match(extensions, /Basic Constraints: critical\n\s+CA:FALSE\n/);
    assert.match(extensions, /Key Usage: critical\n\s+Digital Signature\n/);
  });

  it('lists the same elements as the real AWS certificate in openssl asn1parse (issuer and key sizes aside)', () => {
    const kinds = (der: Buffer) =>
      openssl(['asn1parse', '-inform', 'DER'], der)
        .toString()
        .trim()
        .split('\n')
        .map((line) => {
          // depth and element kind; object identifiers keep their names (":sha256WithRSAEncryption", ...)
          const m = /^\s*\d+:d=(\d+)\s+hl=\d+\s+l=\s*\d+\s+(?:cons|prim):\s*(\S+(?: \[ \d \])?)\s*(.*)$/.exec(line);
          assert.ok(m, line);
          return m[2] === 'OBJECT' ? `${m[1]} OBJECT ${m[3]}` : `${m[1]} ${m[2]}`;
        });
    const ours = kinds(leaf.der);
    const aws = kinds(new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM).raw);
    // AWS's issuer is one RDN; ours has two (CN, O): drop the issuer's elements on both sides.
    const withoutIssuer = (list: string[]) => {
      const start = 8; // after version [0], INTEGER, serial, AlgorithmIdentifier (SEQUENCE, OID, NULL)
      const end = list.indexOf('2 SEQUENCE', start + 1); // validity
      return [...list.slice(0, start), ...list.slice(end)];
    };
    assert.deepEqual(withoutIssuer(ours), withoutIssuer(aws));
  });
});

describe('issued certificate output', () => {
  it('verifies with openssl verify against chainPem()', () => {
    const result = verifyWithChain(leaf.pem);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /: OK\n$/);
  });

  it('chainPem() is the issuing CA then the root', () => {
    const certs = ca.chainPem().match(/-----BEGIN CERTIFICATE-----\n[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    assert.equal(certs.length, 2);
    assert.equal(certs[0], ca.issuingPem);
    assert.equal(certs[1], ca.rootPem);
    assert.equal(ca.chainPem(), ca.issuingPem + ca.rootPem);
    assert.ok(new X509Certificate(leaf.der).checkIssued(new X509Certificate(certs[0] as string)));
  });

  it('certificateId is the lowercase hex SHA-256 of the DER', () => {
    assert.equal(leaf.certificateId, createHash('sha256').update(leaf.der).digest('hex'));
    assert.match(leaf.certificateId, /^[0-9a-f]{64}$/);
    const fingerprint = openssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], leaf.der).toString();
    assert.equal(fingerprint.trim().split('=')[1]?.replace(/:/g, '').toLowerCase(), leaf.certificateId);
    // The same derivation gives AWS's id for its certificate.
    const awsDer = new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM).raw;
    assert.equal(createHash('sha256').update(awsDer).digest('hex'), AWS_SAMPLE_CERTIFICATE_ID);
  });

  it('pem is the DER in 64-character lines, LF, trailing newline — what openssl writes', () => {
    assert.match(
      leaf.pem,
      /^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/]{64}\n)+[A-Za-z0-9+/]{1,63}={0,2}\n-----END CERTIFICATE-----\n$/,
    );
    assert.equal(leaf.pem, toPem('CERTIFICATE', leaf.der));
    assert.equal(openssl(['x509', '-inform', 'DER', '-outform', 'PEM'], leaf.der).toString(), leaf.pem);
    assert.deepEqual(fromPem(leaf.pem, ['CERTIFICATE']).der, leaf.der);
  });

  it('certifies EC keys too, still signed with sha256WithRSAEncryption', async () => {
    for (const namedCurve of ['P-256', 'P-384', 'P-521']) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve });
      const cert = await ca.issue({ subject: encodeName('CN=ec-device'), publicKey, now: new Date() });
      const x509 = new X509Certificate(cert.der);
      assert.ok(x509.publicKey.equals(publicKey));
      assert.ok(x509.verify(new X509Certificate(issuingDer).publicKey));
      assert.match(
        openssl(['x509', '-inform', 'DER', '-noout', '-text'], cert.der).toString(),
        /Signature Algorithm: sha256WithRSAEncryption/,
      );
      const result = verifyWithChain(cert.pem);
      assert.equal(result.status, 0, result.stderr);
    }
  });

  it('issues at the current time with notBefore 120 s in the past', async () => {
    const before = Date.now();
    const cert = await ca.issue({ subject: AWS_SUBJECT, publicKey: deviceKey.publicKey, now: new Date() });
    const notBefore = new Date(new X509Certificate(cert.der).validFrom).getTime();
    assert.ok(
      notBefore <= before - 119_000 && notBefore >= before - 122_000,
      `notBefore ${notBefore} vs now ${before}`,
    );
    assert.equal(verifyWithChain(cert.pem).status, 0);
  });

  it('refuses what it cannot certify', async () => {
    await assert.rejects(
      ca.issue({ subject: AWS_SUBJECT, publicKey: deviceKey.privateKey, now: NOW }),
      /expected a public key/,
    );
    const ed = generateKeyPairSync('ed25519');
    await assert.rejects(ca.issue({ subject: AWS_SUBJECT, publicKey: ed.publicKey, now: NOW }), /only RSA and EC keys/);
    await assert.rejects(
      ca.issue({ subject: Buffer.concat([AWS_SUBJECT, Buffer.from([0])]), publicKey: deviceKey.publicKey, now: NOW }),
      /trailing bytes/,
    );
    await assert.rejects(
      ca.issue({ subject: AWS_SUBJECT, publicKey: deviceKey.publicKey, now: new Date(Number.NaN) }),
      RangeError,
    );
  });
});

describe('certificates from CSRs', () => {
  it('copy the CSR subject verbatim, however it is encoded, and certify the CSR key', async () => {
    // PrintableString CN, a multi-valued RDN (SET with two attributes), a T61String: nothing encodeName writes.
    const subject = sequence(
      set(sequence(oid('2.5.4.6'), tlv(0x13, Buffer.from('US')))),
      set(
        sequence(oid('2.5.4.10'), tlv(0x14, Buffer.from('Acme'))),
        sequence(oid('2.5.4.11'), tlv(0x0c, Buffer.from('Fleet'))),
      ),
      set(sequence(oid('2.5.4.3'), tlv(0x13, Buffer.from('stm32u5-002C003F4841500520363230')))),
    );
    const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const csr = readCertificateSigningRequest(
      buildCsr({ subject, publicKey: device.publicKey, privateKey: device.privateKey }),
    );
    assert.deepEqual(csr.subject, subject);
    const cert = await ca.issue({ subject: csr.subject, publicKey: csr.publicKey, now: new Date() });
    const parts = readCertificateParts(cert.der);
    assert.deepEqual(parts.subject, subject);
    assert.ok(new X509Certificate(cert.der).publicKey.equals(device.publicKey));
    assert.equal(verifyWithChain(cert.pem).status, 0);
  });

  it('copy an openssl-made CSR subject verbatim', async () => {
    const keyPath = join(tmp.path, 'device.key');
    const csrPem = openssl([
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-subj',
      '/C=AU/ST=Some-State/O=TADevelopment/CN=thing+serialNumber=42',
      '-multivalue-rdn',
    ]).toString();
    const csr = readCertificateSigningRequest(csrPem);
    const cert = await ca.issue({ subject: csr.subject, publicKey: csr.publicKey, now: new Date() });
    const csrDer = fromPem(csrPem, ['CERTIFICATE REQUEST']).der;
    assert.ok(csrDer.includes(readCertificateParts(cert.der).subject));
    const nameOf = (args: string[], input: string) =>
      openssl([...args, '-noout', '-subject', '-nameopt', 'RFC2253'], input)
        .toString()
        .trim();
    assert.equal(nameOf(['x509'], cert.pem), nameOf(['req'], csrPem));
    assert.equal(verifyWithChain(cert.pem).status, 0);
  });
});
