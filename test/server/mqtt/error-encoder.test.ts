import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError, serviceErrors } from '../../../src/errors.js';
import { encodeRejection } from '../../../src/server/mqtt/error-encoder.js';

test('a service error as the device reads it on /rejected: status from the one registry, code, message', () => {
  assert.deepEqual(
    encodeRejection(new ServiceError('PayloadTooLarge', 'The request payload is larger than 16384 bytes.')),
    {
      statusCode: 413,
      errorCode: 'PayloadTooLarge',
      errorMessage: 'The request payload is larger than 16384 bytes.',
    },
  );
  // A registry rule's refusal is answered with its own code and status.
  assert.deepEqual(encodeRejection(serviceErrors.certificateState('The certificate is revoked.')), {
    statusCode: 406,
    errorCode: 'CertificateStateException',
    errorMessage: 'The certificate is revoked.',
  });
});
