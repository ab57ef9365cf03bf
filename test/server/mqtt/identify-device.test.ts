import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
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
