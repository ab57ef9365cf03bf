import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaCertificateRecord } from '../../../src/domain/ca-certificates/ca-certificate-record.js';
import { awaitsActivation, decideAutoRegistration } from '../../../src/domain/devices/auto-registration.js';
import {
  jitpParameters,
  jitpTemplateRefusal,
  missingSubjectParameters,
} from '../../../src/domain/provisioning/jitp-parameters.js';

const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const valid = { notBefore: NOW - DAY, notAfter: NOW + DAY };

function ca(id: string, changes: Partial<CaCertificateRecord> = {}): CaCertificateRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    certificateId: id,
    status: 'ACTIVE',
    certificatePem: '',
    subjectHash: 'h',
    ownedBy: '123456789012',
    creationDate: NOW - DAY,
    lastModifiedDate: NOW - DAY,
    customerVersion: 1,
    generationId: 'g',
    autoRegistrationStatus: 'ENABLE',
    notBefore: NOW - 10 * DAY,
    notAfter: NOW + 10 * DAY,
    certificateMode: 'DEFAULT',
    tags: [],
    ...changes,
  };
}

test('one ACTIVE CA with auto-registration: JITR, or JITP with a registration config', () => {
  assert.deepEqual(decideAutoRegistration({ validity: valid, signers: [ca('a')], now: NOW }), {
    register: true,
    ca: ca('a'),
    flow: 'jitr',
  });
  const withTemplate = ca('a', { registrationConfig: { templateName: 't' } });
  const decided = decideAutoRegistration({ validity: valid, signers: [withTemplate], now: NOW });
  assert.equal(decided.register && decided.flow, 'jitp');
  const roleOnly = ca('a', { registrationConfig: { roleArn: 'arn:aws:iam::123456789012:role/r' } });
  const jitr = decideAutoRegistration({ validity: valid, signers: [roleOnly], now: NOW });
  assert.equal(jitr.register && jitr.flow, 'jitr', 'a role without a template runs nothing');
});

test('refusals name what failed, about the oldest signer', () => {
  const refusal = (facts: Parameters<typeof decideAutoRegistration>[0]) => {
    const decided = decideAutoRegistration(facts);
    assert.equal(decided.register, false);
    return decided.register ? undefined : [decided.code, decided.caCertificateId];
  };
  assert.deepEqual(
    refusal({ validity: { notBefore: NOW - 2 * DAY, notAfter: NOW - DAY }, signers: [ca('a')], now: NOW }),
    ['outside_validity', undefined],
  );
  assert.deepEqual(refusal({ validity: null, signers: [ca('a')], now: NOW }), ['outside_validity', undefined]);
  assert.deepEqual(refusal({ validity: valid, signers: [], now: NOW }), ['no_registered_ca', undefined]);
  assert.deepEqual(refusal({ validity: valid, signers: [ca('a', { status: 'INACTIVE' })], now: NOW }), [
    'ca_inactive',
    'a',
  ]);
  assert.deepEqual(refusal({ validity: valid, signers: [ca('a', { autoRegistrationStatus: 'DISABLE' })], now: NOW }), [
    'auto_registration_disabled',
    'a',
  ]);
  assert.deepEqual(refusal({ validity: valid, signers: [ca('a', { notAfter: NOW - 1 })], now: NOW }), [
    'ca_outside_validity',
    'a',
  ]);
  assert.deepEqual(refusal({ validity: valid, signers: [ca('a'), ca('b', { accountId: '210987654321' })], now: NOW }), [
    'ambiguous_ca',
    undefined,
  ]);
});

test('a usable CA beside unusable ones registers', () => {
  const decided = decideAutoRegistration({
    validity: valid,
    signers: [ca('old', { status: 'INACTIVE' }), ca('new')],
    now: NOW,
  });
  assert.equal(decided.register && decided.ca.certificateId, 'new');
});

test('only an auto-registered certificate awaiting activation is announced again', () => {
  assert.equal(awaitsActivation({ status: 'PENDING_ACTIVATION', caCertificateId: 'a' }), true);
  assert.equal(awaitsActivation({ status: 'PENDING_ACTIVATION' }), false, 'fleet provisioning');
  assert.equal(awaitsActivation({ status: 'INACTIVE', caCertificateId: 'a' }), false);
});

test('JITP parameters from the subject, and the declared ones it lacks', () => {
  const subject = { C: 'DE', O: 'Acme', CN: 'sensor-1' };
  assert.deepEqual(
    { ...jitpParameters(subject, 'f'.repeat(64)) },
    {
      'AWS::IoT::Certificate::Country': 'DE',
      'AWS::IoT::Certificate::Organization': 'Acme',
      'AWS::IoT::Certificate::CommonName': 'sensor-1',
      'AWS::IoT::Certificate::Id': 'f'.repeat(64),
    },
  );
  const declared = [
    'AWS::IoT::Certificate::CommonName',
    'AWS::IoT::Certificate::StateName',
    'AWS::IoT::Certificate::Id',
    'SerialNumber',
    'AWS::IoT::Certificate::SerialNumber',
  ];
  assert.deepEqual(missingSubjectParameters(declared, subject), [
    'AWS::IoT::Certificate::StateName',
    'AWS::IoT::Certificate::SerialNumber',
  ]);
});

test('a named template must exist, be a JITP template and be enabled', () => {
  assert.match(jitpTemplateRefusal(undefined, 't') ?? '', /does not exist/);
  const template = { templateName: 't', enabled: true, templateType: 'JITP' };
  assert.equal(jitpTemplateRefusal(template, 't'), undefined);
  assert.match(jitpTemplateRefusal({ ...template, templateType: 'FLEET_PROVISIONING' }, 't') ?? '', /not a JITP/);
  assert.match(jitpTemplateRefusal({ ...template, enabled: false }, 't') ?? '', /disabled/);
});
