import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import { CERT_ID, runFleetca } from '../cli-harness.js';

const prefix = '\nfleetca: [ERROR]: ';

describe('client-side parameter validation', () => {
  it('checks the minimum length before sending (exit 252, transport untouched)', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', '--certificate-id', 'abcd']);
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      `${prefix}An error occurred (ParamValidation): Parameter validation failed:\nInvalid length for parameter certificateId, value: 4, valid min length: 64\n`,
    );
    assert.equal(result.stdout, '');
    assert.deepEqual([result.opened.length, result.calls.length], [0, 0]);
  });

  it('counts code points and checks the minimum of integers', async () => {
    const empty = await runFleetca(['iot', 'create-certificate-from-csr', '--certificate-signing-request', '']);
    assert.match(
      empty.stderr,
      /Invalid length for parameter certificateSigningRequest, value: 0, valid min length: 1\n$/,
    );
    // 62 letters and one emoji: 64 UTF-16 units but 63 characters for Python's len().
    const emoji = await runFleetca(['iot', 'describe-certificate', '--certificate-id', `${'a'.repeat(62)}\u{1F600}`]);
    assert.match(emoji.stderr, /Invalid length for parameter certificateId, value: 63, valid min length: 64\n$/);
    const page = await runFleetca(['iot', 'list-certificates', '--page-size', '0']);
    assert.equal(
      page.stderr,
      `${prefix}An error occurred (ParamValidation): Parameter validation failed:\nInvalid value for parameter pageSize, value: 0, valid min value: 1\n`,
    );
  });

  it('leaves maximums, patterns and enums to the service', async () => {
    const result = await runFleetca([
      'iot',
      'update-certificate',
      '--certificate-id',
      'z'.repeat(64),
      '--new-status',
      'BOGUS',
    ]);
    assert.equal(result.code, 0);
    assert.deepEqual(result.calls, [
      { operation: 'UpdateCertificate', params: { certificateId: 'z'.repeat(64), newStatus: 'BOGUS' } },
    ]);
    const big = await runFleetca(['iot', 'list-certificates', '--page-size', '251']);
    assert.deepEqual(big.calls[0]?.params, { pageSize: 251 });
  });

  it('reports unknown parameters smuggled in through a starting token', async () => {
    const start = Buffer.from('{"marker": "x", "foo": "y"}').toString('base64');
    const result = await runFleetca(['iot', 'list-certificates', '--starting-token', start]);
    assert.equal(
      result.stderr,
      `${prefix}An error occurred (ParamValidation): Parameter validation failed:\nUnknown parameter in input: "foo", must be one of: pageSize, marker, ascendingOrder\n`,
    );
  });
});

describe('error reporting', () => {
  it('renders service errors as the v2.34+ ClientError line (exit 254)', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', '--certificate-id', CERT_ID], {
      respond: () => {
        throw new ServiceError('ResourceNotFoundException', 'The specified resource does not exist');
      },
    });
    assert.equal(result.code, 254);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `${prefix}An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: The specified resource does not exist\n`,
    );
    assert.equal(result.closed, 1);
  });

  it('appends modeled error details in the enhanced format', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      respond: () => {
        throw new ServiceError('ResourceAlreadyExistsException', 'exists', { resourceId: 'r1', resourceArn: 'arn:r1' });
      },
    });
    assert.equal(
      result.stderr,
      `${prefix}An error occurred (ResourceAlreadyExistsException) when calling the CreateKeysAndCertificate operation: exists\n` +
        '\nAdditional error details:\nresourceId: r1\nresourceArn: arn:r1\n',
    );
  });

  it('turns any unexpected exception into one line and exit 255, never a stack trace', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      respond: () => {
        throw new Error('disk on fire\n    at somewhere (file.js:1:1)');
      },
    });
    assert.deepEqual([result.code, result.stdout], [255, '']);
    assert.equal(result.stderr, `${prefix}disk on fire at somewhere (file.js:1:1)\n`);
    const open = await runFleetca(['iot', 'create-keys-and-certificate'], {
      openError: new Error('no data directory'),
    });
    assert.deepEqual([open.code, open.stderr], [255, `${prefix}no data directory\n`]);
  });

  it('fails an unknown output type from the environment after the call, like the AWS CLI', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      env: { AWS_DEFAULT_OUTPUT: 'xml' },
      respond: () => ({ certificateId: CERT_ID }),
    });
    assert.deepEqual([result.code, result.stdout, result.stderr], [255, '', `${prefix}Unknown output type: xml\n`]);
    assert.equal(result.calls.length, 1);
  });
});
