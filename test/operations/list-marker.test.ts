import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../src/errors.js';
import { ListCertificates } from '../../src/model/certificates.js';
import { decodeMarker, encodeMarker } from '../../src/operations/list-marker.js';
import { validateInput } from '../../src/operations/validate-input.js';

test('markers round-trip and satisfy the model pattern', () => {
  const cursor = { creationDate: 1_700_000_000_123, certificateId: 'f'.repeat(64) };
  const marker = encodeMarker(cursor);
  validateInput(ListCertificates.input, { marker });
  assert.deepEqual(decodeMarker(marker), cursor);
});

test('a marker that fleetca did not make is InvalidRequestException', () => {
  for (const bad of [
    'YWJj',
    Buffer.from(`c1:12:${'g'.repeat(64)}`).toString('base64'),
    Buffer.from('c1:-5:ab').toString('base64'),
  ]) {
    assert.throws(
      () => decodeMarker(bad),
      (err: unknown) => err instanceof ServiceError && err.code === 'InvalidRequestException',
    );
  }
});
