import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, errorText, plainError } from '../../src/api/errors.js';

/** The shape of the AWS SDK's service exceptions: name = code, $metadata.httpStatusCode. */
function sdkError(name: string, message: string, httpStatusCode: number) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

test('a wrong secret, an unknown key and a skewed clock are said plainly', () => {
  const wrongSecret = sdkError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    403,
  );
  assert.deepEqual(plainError(wrongSecret), {
    message: 'The secret access key is wrong for this access key id.',
    code: 'InvalidSignatureException',
  });
  assert.equal(
    plainError(
      new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
    ).message,
    'This access key id is unknown to fleetca (it may have been deleted).',
  );
  assert.match(
    plainError(sdkError('InvalidSignatureException', 'Signature expired: 20261208T000000Z is now earlier than …', 403))
      .message,
    /clock is more than 15 minutes off/,
  );
  assert.equal(
    plainError(sdkError('InvalidSignatureException', 'Credential should be scoped to a valid region. ', 403)).message,
    'This fleetca server does not serve the region you chose.',
  );
});

test('the network, 5xx and unknown operations', () => {
  assert.equal(
    plainError(new TypeError('Failed to fetch')).message,
    'fleetca could not be reached: the network request failed. Check that the server is running.',
  );
  assert.equal(plainError(new TypeError('Failed to fetch')).code, undefined);
  const internal = plainError(new ApiError('InternalFailureException', '', 500));
  assert.match(internal.message, /internal error \(HTTP 500\)/);
  assert.equal(internal.code, 'InternalFailureException');
  assert.match(plainError(new ApiError('HTTP502', '', 502)).message, /HTTP 502/);
  assert.match(
    plainError(new ApiError('UnknownOperationException', 'x', 404)).message,
    /does not offer that operation/,
  );
});

test('other service errors keep their message, with the code for reports', () => {
  const conflict = new ApiError('DeleteConflictException', 'Things must be detached before deletion (arn: x)', 409);
  assert.deepEqual(plainError(conflict), {
    message: 'Things must be detached before deletion (arn: x).',
    code: 'DeleteConflictException',
  });
  assert.equal(errorText(conflict), 'Things must be detached before deletion (arn: x). (DeleteConflictException)');
  assert.equal(plainError(new Error('Enter the region.')).message, 'Enter the region.');
  assert.equal(plainError(new Error('Enter the region.')).code, undefined);
  assert.equal(plainError('odd').message, 'odd.');
  assert.match(plainError(sdkError('ThrottlingException', 'Rate exceeded', 429)).message, /slow down/);
});
