import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldClaim, type LiveClaim } from '../../../src/domain/provisioning/held-claim.js';

const ID = 'ab'.repeat(32);
const HERE = { accountId: '123456789012', region: 'eu-west-1' };
const THERE = { accountId: '210987654321', region: 'eu-west-1' };

const granted = (templateName: string, scope = HERE): LiveClaim => ({ ...scope, templateName, kind: 'registered' });
const temporary = (templateName: string, expiresAt: number, certificatePem?: string): LiveClaim => ({
  ...HERE,
  templateName,
  kind: 'temporary',
  expiresAt,
  ...(certificatePem !== undefined && { certificatePem }),
});

test('no claims, no claim', () => {
  assert.equal(heldClaim(ID, []), undefined);
});

test('grants in one scope make one registered claim, its templates distinct and in byte order', () => {
  assert.deepEqual(heldClaim(ID, [granted('b'), granted('B'), granted('b'), granted('a')]), {
    ...HERE,
    certificateId: ID,
    kind: 'registered',
    templateNames: ['B', 'a', 'b'],
  });
});

test('a temporary claim brings its PEM and the earliest expiry; without a PEM it is no claim', () => {
  assert.deepEqual(heldClaim(ID, [temporary('t', 20, 'PEM'), temporary('u', 10, 'PEM')]), {
    ...HERE,
    certificateId: ID,
    kind: 'temporary',
    templateNames: ['t', 'u'],
    expiresAt: 10,
    certificatePem: 'PEM',
  });
  assert.equal(heldClaim(ID, [temporary('t', 20)]), undefined);
});

test('claims spanning accounts, regions or kinds fail closed', () => {
  assert.equal(heldClaim(ID, [granted('a'), granted('a', THERE)]), undefined);
  assert.equal(heldClaim(ID, [granted('a'), granted('a', { ...HERE, region: 'us-east-1' })]), undefined);
  assert.equal(heldClaim(ID, [granted('a'), temporary('a', 10, 'PEM')]), undefined);
});
