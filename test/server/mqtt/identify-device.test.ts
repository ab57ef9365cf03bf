import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { readValidity } from '../../../src/ca/certificate-validity.js';
import { readChildren, readWhole } from '../../../src/ca/der.js';
import { generalizedTime, sequence } from '../../../src/ca/der-writer.js';
import type { CertificateSummary } from '../../../src/domain/certificates/certificate-record.js';
import type { CertificateStore } from '../../../src/registry/store.js';
import { type ClaimLookup, identifyDevice } from '../../../src/server/mqtt/identify-device.js';
import { AWS_SAMPLE_CERTIFICATE_ID, AWS_SAMPLE_CERTIFICATE_PEM } from '../../helpers/aws-sample-certificate.js';

const certificate = new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM);
const DER = certificate.raw;
const WITHIN = Date.parse(certificate.validFrom) + 1000;
const AFTER = Date.parse(certificate.validTo) + 1000;
const HERE = { accountId: '123456789012', region: 'eu-west-1' };
const THERE = { accountId: '210987654321', region: 'eu-west-1' };

/** A registry whose lookups are counted, answering with `registrations` (or failing, like one that is down). */
function registry(registrations: readonly CertificateSummary[] | 'down') {
  const calls = { registrations: 0, claims: 0 };
  const certificates = {
    async findRegistrations(): Promise<readonly CertificateSummary[]> {
      calls.registrations += 1;
      if (registrations === 'down') throw new Error('registry unavailable');
      return registrations;
    },
  } as unknown as CertificateStore;
  const findClaim: ClaimLookup = async () => {
    calls.claims += 1;
    if (registrations === 'down') throw new Error('registry unavailable');
    return undefined;
  };
  return { calls, lookups: { certificates, findClaim } };
}

function active(scope: typeof HERE): CertificateSummary {
  return {
    ...scope,
    certificateId: AWS_SAMPLE_CERTIFICATE_ID,
    status: 'ACTIVE',
    certificateMode: 'DEFAULT',
    creationDate: WITHIN,
  };
}

test('a certificate outside its validity is refused without any registry lookup, even with the registry down', async () => {
  const { calls, lookups } = registry('down');
  const admission = await identifyDevice(DER, lookups, AFTER);
  assert.equal(admission.admitted, false);
  assert.equal(admission.admitted === false && admission.code, 'outside_validity');
  assert.deepEqual(calls, { registrations: 0, claims: 0 });
});

test('an ambiguous registration is refused without looking the claim up', async () => {
  const { calls, lookups } = registry([active(HERE), active(THERE)]);
  const admission = await identifyDevice(DER, lookups, WITHIN);
  assert.equal(admission.admitted === false && admission.code, 'ambiguous_registration');
  assert.deepEqual(calls, { registrations: 1, claims: 0 });
});

test('a certificate within its validity is looked up, and admitted when ACTIVE in one scope', async () => {
  const { calls, lookups } = registry([active(HERE)]);
  const admission = await identifyDevice(DER, lookups, WITHIN);
  assert.equal(admission.admitted, true);
  assert.deepEqual(admission.admitted && admission.principal.scope, HERE);
  assert.equal(admission.admitted && admission.principal.certificateId, AWS_SAMPLE_CERTIFICATE_ID);
  assert.deepEqual(calls, { registrations: 1, claims: 1 });
});

test('with the registry down, a certificate within its validity fails with the lookup', async () => {
  const { lookups } = registry('down');
  await assert.rejects(identifyDevice(DER, lookups, WITHIN), /registry unavailable/);
});

/** The sample certificate with its validity re-encoded as GeneralizedTime (before 2050: RFC 5280 says UTCTime). */
function withGeneralizedTimes(der: Buffer, notBefore: Date, notAfter: Date): Buffer {
  const [tbs, signatureAlgorithm, signature] = readChildren(der, readWhole(der));
  assert.ok(tbs && signatureAlgorithm && signature);
  const fields = readChildren(der, tbs).map((field) => der.subarray(field.start, field.contentEnd));
  // version [0], serialNumber, signature, issuer, validity
  assert.equal(fields[0]?.[0], 0xa0);
  fields[4] = sequence(generalizedTime(notBefore), generalizedTime(notAfter));
  const bytes = (element: { start: number; contentEnd: number }) => der.subarray(element.start, element.contentEnd);
  return sequence(sequence(...fields), bytes(signatureAlgorithm), bytes(signature));
}

test('a validity the strict DER reader refuses but OpenSSL reads (GeneralizedTime before 2050) is still read', async () => {
  const notBefore = new Date(WITHIN - 86_400_000);
  const notAfter = new Date(WITHIN + 86_400_000);
  const lenient = withGeneralizedTimes(DER, notBefore, notAfter);
  assert.throws(() => readValidity(lenient), /GeneralizedTime/);
  assert.equal(Date.parse(new X509Certificate(lenient).validTo), Math.floor(notAfter.getTime() / 1000) * 1000);

  const within = registry([]);
  const admitted = await identifyDevice(lenient, within.lookups, WITHIN);
  assert.equal(admitted.admitted === false && admitted.code, 'unknown_certificate');
  assert.deepEqual(within.calls, { registrations: 1, claims: 1 }, 'within its validity: looked up');

  const afterwards = registry('down');
  const expired = await identifyDevice(lenient, afterwards.lookups, notAfter.getTime() + 2000);
  assert.equal(expired.admitted === false && expired.code, 'outside_validity');
  assert.deepEqual(afterwards.calls, { registrations: 0, claims: 0 });
});

test('bytes that are no certificate are refused as outside their validity, without any lookup', async () => {
  const { calls, lookups } = registry('down');
  const admission = await identifyDevice(Buffer.from('not a certificate'), lookups, WITHIN);
  assert.equal(admission.admitted === false && admission.code, 'outside_validity');
  assert.deepEqual(calls, { registrations: 0, claims: 0 });
});
