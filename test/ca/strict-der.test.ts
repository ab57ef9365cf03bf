/**
 * Each class of defect the DER fuzzer found (issue 13), refused by the strict readers: the documents are real,
 * signed again after the defect was put in, so the signature is never what refuses them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ecKey, signDocument, tbsCertificate } from '../../bench/reliability/der-fuzz/seeds.js';
import { readCertificateSigningRequest } from '../../src/ca/csr.js';
import { DerError, decodeOid, MAX_OID_ARC_OCTETS } from '../../src/ca/der.js';
import { checkDer } from '../../src/ca/der-check.js';
import { encodeLength, explicit, octetString, oid, sequence, set, smallInteger, tlv } from '../../src/ca/der-writer.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { namesMatch } from '../../src/ca/name-match.js';
import { toPem } from '../../src/ca/pem.js';
import { readSubmittedCertificate } from '../../src/ca/submitted-certificate.js';

const key = ecKey();
const csrPem = (info: Buffer) => toPem('CERTIFICATE REQUEST', signDocument(info, key));
const certificatePem = (tbs: Buffer) => toPem('CERTIFICATE', signDocument(tbs, key));
const name = (...rdns: Buffer[]) => sequence(...rdns.map((value) => set(sequence(oid('2.5.4.3'), value))));
const info = (subject: Buffer, attributes: Buffer[] = []) =>
  sequence(smallInteger(0), subject, key.spki, tlv(0xa0, ...attributes));
const selfSigned = (issuer: Buffer, subject: Buffer = issuer) =>
  tbsCertificate({ issuer, subject, subjectKey: key, signer: key, ca: true });
const refusesCsr = (pem: string, reason: RegExp) =>
  assert.throws(
    () => readCertificateSigningRequest(pem),
    (e: Error) => /could not be parsed/.test(e.message) && reason.test(e.message),
  );
const refusesCertificate = (pem: string, reason: RegExp) =>
  assert.throws(
    () => readSubmittedCertificate(pem),
    (e: Error) => /not a valid DER X\.509/.test(e.message) && reason.test(e.message),
  );

/** `element` with its length written in long form with a leading zero octet: BER, never DER. */
function paddedLength(element: Buffer): Buffer {
  const contentLength = element.length - ((element[1] as number) < 0x80 ? 2 : 2 + ((element[1] as number) & 0x7f));
  const long = encodeLength(contentLength);
  const digits = long.length === 1 ? long : long.subarray(1);
  return Buffer.concat([
    element.subarray(0, 1),
    Buffer.from([0x80 | (digits.length + 1), 0]),
    digits,
    element.subarray(element.length - contentLength),
  ]);
}

describe('strict DER for untrusted CSRs and certificates', () => {
  it('the well-formed seeds are accepted, so every refusal below is the defect', () => {
    assert.ok(readCertificateSigningRequest(csrPem(info(encodeName('CN=ok')))).subject.length > 0);
    assert.equal(readSubmittedCertificate(certificatePem(selfSigned(encodeName('CN=ok')))).selfIssued, true);
  });

  it('refuses a non-minimal length (a CSR subject, a certificate issuer)', () => {
    refusesCsr(csrPem(info(paddedLength(encodeName('CN=x')))), /non-minimal DER length/);
    refusesCertificate(
      certificatePem(selfSigned(paddedLength(encodeName('CN=x')), encodeName('CN=x'))),
      /non-minimal DER length/,
    );
  });

  it('refuses an indefinite length', () => {
    const subject = encodeName('CN=x');
    const indefinite = Buffer.concat([Buffer.from([0x30, 0x80]), subject.subarray(2), Buffer.from([0, 0])]);
    refusesCsr(csrPem(info(indefinite)), /indefinite length/);
  });

  it('refuses trailing data after the document', () => {
    const der = Buffer.concat([signDocument(info(encodeName('CN=x')), key), Buffer.from([0, 0])]);
    refusesCsr(toPem('CERTIFICATE REQUEST', der), /2 trailing bytes/);
  });

  it('refuses Name values of a type a Name may not hold (tag 00, INTEGER, BIT STRING), and bad string content', () => {
    for (const value of [tlv(0x00, Buffer.from('x')), tlv(0x02, Buffer.from([1])), tlv(0x03, Buffer.from([0, 0x41]))]) {
      // Tag 00 is refused earlier still: it is the end-of-contents marker of BER's indefinite lengths.
      const reason = /not a string type a Name may hold|end-of-contents octets/;
      refusesCsr(csrPem(info(name(value))), reason);
      refusesCertificate(certificatePem(selfSigned(name(value))), reason);
    }
    refusesCsr(csrPem(info(name(tlv(0x0c, Buffer.from([0xc3, 0x28]))))), /not valid UTF-8/);
    refusesCsr(csrPem(info(name(tlv(0x1e, Buffer.from([0x00, 0x41, 0x00]))))), /BMPString of odd length/);
    // Every string type a Name may carry is accepted.
    for (const tag of [0x0c, 0x12, 0x13, 0x14, 0x16, 0x1c, 0x1e]) {
      const content =
        tag === 0x1e ? Buffer.from([0, 0x31]) : tag === 0x1c ? Buffer.from([0, 0, 0, 0x31]) : Buffer.from('1');
      assert.ok(readCertificateSigningRequest(csrPem(info(name(tlv(tag, content))))));
    }
  });

  it('parses CSR attributes: refuses an empty value set, a repeated attribute, two extension requests, a non-Attribute', () => {
    const extensionRequest = (...values: Buffer[]) => sequence(oid('1.2.840.113549.1.9.14'), set(...values));
    const extensions = sequence(sequence(oid('2.5.29.15'), octetString(Buffer.from([0x03, 0x02, 0x07, 0x80]))));
    assert.ok(readCertificateSigningRequest(csrPem(info(encodeName('CN=x'), [extensionRequest(extensions)]))));
    refusesCsr(csrPem(info(encodeName('CN=x'), [extensionRequest()])), /has no value/);
    const twice = extensionRequest(extensions);
    refusesCsr(csrPem(info(encodeName('CN=x'), [twice, twice])), /appears more than once/);
    refusesCsr(csrPem(info(encodeName('CN=x'), [extensionRequest(extensions, extensions)])), /exactly one value/);
    refusesCsr(csrPem(info(encodeName('CN=x'), [smallInteger(1)])), /CSR attribute: expected tag 0x30/);
    const password = sequence(oid('1.2.840.113549.1.9.7'), set(smallInteger(7)));
    refusesCsr(csrPem(info(encodeName('CN=x'), [password])), /must be a string/);
  });

  it('refuses a duplicated extension, in a certificate and in a CSR extension request', () => {
    const basic = sequence(oid('2.5.29.19'), octetString(sequence()));
    const tbs = (extensions: Buffer) =>
      sequence(
        explicit(0, smallInteger(2)),
        smallInteger(1),
        key.algorithm,
        encodeName('CN=d'),
        sequence(tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('300101000000Z'))),
        encodeName('CN=d'),
        key.spki,
        explicit(3, extensions),
      );
    assert.ok(readSubmittedCertificate(certificatePem(tbs(sequence(basic)))));
    refusesCertificate(certificatePem(tbs(sequence(basic, basic))), /extension 2\.5\.29\.19 appears more than once/);
    const request = sequence(oid('1.2.840.113549.1.9.14'), set(sequence(basic, basic)));
    refusesCsr(csrPem(info(encodeName('CN=x'), [request])), /appears more than once/);
  });

  it('refuses out-of-range times and a GeneralizedTime before 2050', () => {
    const tbs = (notBefore: Buffer) =>
      sequence(
        explicit(0, smallInteger(2)),
        smallInteger(1),
        key.algorithm,
        encodeName('CN=t'),
        sequence(notBefore, tlv(0x17, Buffer.from('300101000000Z'))),
        encodeName('CN=t'),
        key.spki,
      );
    assert.ok(readSubmittedCertificate(certificatePem(tbs(tlv(0x17, Buffer.from('250101000000Z'))))));
    refusesCertificate(certificatePem(tbs(tlv(0x17, Buffer.from('251301000000Z')))), /out of range/);
    refusesCertificate(certificatePem(tbs(tlv(0x17, Buffer.from('250230000000Z')))), /out of range/);
    refusesCertificate(certificatePem(tbs(tlv(0x17, Buffer.from('250101235960Z')))), /out of range/);
    refusesCertificate(certificatePem(tbs(tlv(0x18, Buffer.from('20250101000000Z')))), /must be a UTCTime/);
  });

  it('a self-issued CA whose names match as names but not as octets is self-issued, and its broken signature is seen', () => {
    const subject = name(tlv(0x0c, Buffer.from('Fuzz  CA')));
    const issuer = name(tlv(0x13, Buffer.from(' fuzz ca ')));
    assert.ok(namesMatch(issuer, subject));
    assert.ok(!namesMatch(name(tlv(0x0c, Buffer.from('fuzz cb'))), subject));
    const other = ecKey();
    // Signed by another key: its own key does not verify it.
    const der = signDocument(tbsCertificate({ issuer, subject, subjectKey: key, signer: other, ca: true }), other);
    const ca = readSubmittedCertificate(toPem('CERTIFICATE', der));
    assert.notEqual(ca.issuerHash, ca.subjectHash);
    assert.equal(ca.selfIssued, true);
    assert.equal(ca.isSignedBy(ca), false);
    const honest = readSubmittedCertificate(certificatePem(selfSigned(issuer, subject)));
    assert.equal(honest.isSignedBy(honest), true);
  });

  it('refuses a 45,000-octet OID arc after reading at most MAX_OID_ARC_OCTETS + 1 of its octets', () => {
    const arc = Buffer.alloc(45_000, 0xff);
    arc[arc.length - 1] = 0x7f;
    const content = Buffer.concat([Buffer.from([0x2b]), arc]);
    // The octet at which decoding stopped is the work done: 1 (the first arcs) + 20 + 1, not 45,001.
    assert.throws(
      () => decodeOid(content),
      (e: Error) => e instanceof DerError && e.message.includes(`refused at octet ${MAX_OID_ARC_OCTETS + 2} of 45001`),
    );
    // The longest arcs in use (128-bit UUIDs under 2.25) fit.
    assert.equal(
      decodeOid(Buffer.concat([Buffer.from([0x69]), Buffer.from('83ffffffffffffffffffffffffffffffffff7f', 'hex')])),
      `2.25.${(1n << 128n) - 1n}`,
    );
    const huge = tlv(0x06, content);
    refusesCertificate(
      certificatePem(selfSigned(sequence(set(sequence(huge, tlv(0x0c, Buffer.from('x'))))))),
      /arc longer than 20 octets/,
    );
  });

  it('refuses BER forms the length rules alone would not: BOOLEAN 01, INTEGER with a leading 00, constructed strings, unsorted SETs', () => {
    assert.throws(() => checkDer(sequence(tlv(0x01, Buffer.from([0x01])))), /BOOLEAN/);
    assert.throws(() => checkDer(sequence(tlv(0x02, Buffer.from([0x00, 0x01])))), /non-minimal INTEGER/);
    assert.throws(() => checkDer(sequence(tlv(0x24, tlv(0x04, Buffer.from('x'))))), /constructed encoding/);
    assert.throws(() => checkDer(set(smallInteger(2), smallInteger(1))), /not in DER order/);
    assert.throws(() => checkDer(tlv(0x03, Buffer.from([0x01, 0x01]))), /unused bits not zero/);
    checkDer(set(smallInteger(1), smallInteger(2)));
  });

  it('reads the values of the extensions that decide use, and an AuthorityKeyIdentifier naming another key is not the issuer', () => {
    const tbs = (extensions: Buffer[]) =>
      sequence(
        explicit(0, smallInteger(2)),
        smallInteger(1),
        key.algorithm,
        encodeName('CN=e'),
        sequence(tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('300101000000Z'))),
        encodeName('CN=e'),
        key.spki,
        explicit(3, sequence(...extensions)),
      );
    const empty = (id: string) => sequence(oid(id), octetString(Buffer.alloc(0)));
    for (const id of ['2.5.29.19', '2.5.29.15', '2.5.29.14', '2.5.29.35']) {
      refusesCertificate(certificatePem(tbs([empty(id)])), new RegExp(`extension ${id.replace(/\./g, '\\.')}:`));
    }
    const aki = (keyId: Buffer) => sequence(oid('2.5.29.35'), octetString(sequence(tlv(0x80, keyId))));
    const issuer = readSubmittedCertificate(certificatePem(selfSigned(encodeName('CN=e'))));
    assert.ok(issuer.subjectKeyIdentifier);
    const right = readSubmittedCertificate(certificatePem(tbs([aki(issuer.subjectKeyIdentifier)])));
    const wrong = readSubmittedCertificate(certificatePem(tbs([aki(Buffer.alloc(20, 1))])));
    assert.equal(right.isSignedBy(issuer), true);
    assert.equal(wrong.isSignedBy(issuer), false);
  });
});
