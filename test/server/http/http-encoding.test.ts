import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { ServiceError, serviceErrors } from '../../../src/errors.js';
import {
  CreateKeysAndCertificate,
  DeleteCertificate,
  DescribeCertificate,
  ListCertificates,
  UpdateCertificate,
} from '../../../src/model/certificates.js';
import { member, type OperationModel, structure } from '../../../src/model/shapes.js';
import { encodeError, rawErrorResponse } from '../../../src/server/http/error-encoder.js';
import { encodeOutput } from '../../../src/server/http/response-encoder.js';
import { createLogger } from '../../../src/server/logging/logger.js';
import { filterSensitive, SENSITIVE_PLACEHOLDER } from '../../../src/server/logging/sensitive-filter.js';

const ID = 'ab'.repeat(32);

describe('successful responses', () => {
  test('timestamps are epoch seconds with the millisecond fraction; absent members are left out', () => {
    const encoded = encodeOutput(DescribeCertificate, {
      certificateDescription: {
        certificateId: ID,
        status: 'ACTIVE',
        caCertificateId: undefined,
        previousOwnedBy: null,
        creationDate: 1541022751983,
        lastModifiedDate: 1541022751000,
        customerVersion: 1,
        transferData: {},
        validity: { notBefore: 1541022631000, notAfter: 2524607999000 },
        internalOnly: 'never sent',
      },
    });
    assert.equal(
      encoded.body,
      `{"certificateDescription":{"certificateId":"${ID}","status":"ACTIVE","creationDate":1541022751.983,` +
        '"lastModifiedDate":1541022751,"customerVersion":1,"transferData":{},' +
        '"validity":{"notBefore":1541022631,"notAfter":2524607999}}}',
    );
    assert.deepEqual(encoded.headers, {});
  });

  test('members come out in service-model order, whatever order the handler built them in', () => {
    const encoded = encodeOutput(CreateKeysAndCertificate, {
      keyPair: { PrivateKey: 'k', PublicKey: 'p' },
      certificatePem: 'pem',
      certificateId: ID,
      certificateArn: 'arn',
    });
    assert.deepEqual(Object.keys(JSON.parse(encoded.body)), [
      'certificateArn',
      'certificateId',
      'certificatePem',
      'keyPair',
    ]);
    assert.deepEqual(Object.keys(JSON.parse(encoded.body).keyPair), ['PublicKey', 'PrivateKey']);
  });

  test('lists of structures, and an absent nextMarker', () => {
    const encoded = encodeOutput(ListCertificates, {
      certificates: [{ certificateId: ID, status: 'INACTIVE', creationDate: 1700000000001 }],
      nextMarker: undefined,
    });
    assert.equal(
      encoded.body,
      `{"certificates":[{"certificateId":"${ID}","status":"INACTIVE","creationDate":1700000000.001}]}`,
    );
  });

  test('operations without an output shape answer an empty body', () => {
    assert.deepEqual(encodeOutput(UpdateCertificate, {}), { headers: {}, body: '' });
    assert.deepEqual(encodeOutput(DeleteCertificate, { ignored: true }), { headers: {}, body: '' });
  });

  test('an output shape with nothing in it answers {}', () => {
    assert.equal(encodeOutput(ListCertificates, {}).body, '{}');
  });

  test('output members bound to headers become headers (HTTP dates for timestamps)', () => {
    const withHeaders: OperationModel = {
      name: 'WithHeaders',
      http: { method: 'GET', requestUri: '/h' },
      input: structure({}),
      output: structure({
        etag: member({ type: 'string' }, '', { location: 'header', locationName: 'ETag' }),
        modified: member({ type: 'timestamp' }, '', { location: 'header', locationName: 'Last-Modified' }),
        name: member({ type: 'string' }, '', { locationName: 'Name' }),
      }),
      errors: [],
      documentation: '',
    };
    const encoded = encodeOutput(withHeaders, { etag: '"x"', modified: 1714557600000, name: 'n' });
    assert.deepEqual(encoded.headers, { ETag: '"x"', 'Last-Modified': 'Wed, 01 May 2024 10:00:00 GMT' });
    assert.equal(encoded.body, '{"Name":"n"}');
  });
});

describe('error responses', () => {
  test('status from the registry, x-amzn-ErrorType, {"message"}', () => {
    assert.deepEqual(encodeError(serviceErrors.notFound()), {
      status: 404,
      headers: { 'x-amzn-ErrorType': 'ResourceNotFoundException' },
      body: '{"message":"The specified resource does not exist"}',
    });
    assert.equal(encodeError(serviceErrors.certificateState('no')).status, 406);
    assert.equal(encodeError(new ServiceError('SerializationException', 'x')).status, 400);
    assert.equal(encodeError(new ServiceError('UnknownOperationException', 'x')).status, 404);
    assert.equal(encodeError(new ServiceError('MethodNotAllowedException', 'x')).status, 405);
    assert.equal(encodeError(new ServiceError('RequestEntityTooLargeException', 'x')).status, 413);
    assert.equal(encodeError(serviceErrors.internal()).status, 500);
  });

  test('modeled members of the error shape follow the message', () => {
    const encoded = encodeError(serviceErrors.alreadyExists('exists', ID, `arn:aws:iot:us-east-1:1:cert/${ID}`));
    assert.deepEqual(JSON.parse(encoded.body), {
      message: 'exists',
      resourceId: ID,
      resourceArn: `arn:aws:iot:us-east-1:1:cert/${ID}`,
    });
  });

  test('a raw socket answer carries the same shape and closes the connection', () => {
    const text = rawErrorResponse(new ServiceError('RequestTimeoutException', 'slow'), 'req-1', 'Request Timeout');
    assert.equal(
      text,
      'HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: 18\r\n' +
        'x-amzn-RequestId: req-1\r\nx-amzn-ErrorType: RequestTimeoutException\r\nConnection: close\r\n\r\n' +
        '{"message":"slow"}',
    );
  });
});

describe('what reaches a log', () => {
  test('sensitive members of the model are replaced; unknown members are dropped', () => {
    const output = {
      certificateId: ID,
      keyPair: { PublicKey: 'public', PrivateKey: '-----BEGIN RSA PRIVATE KEY-----' },
      stray: 'not modeled',
    };
    assert.deepEqual(filterSensitive(CreateKeysAndCertificate.output as never, output), {
      certificateId: ID,
      keyPair: { PublicKey: 'public', PrivateKey: SENSITIVE_PLACEHOLDER },
    });
  });

  test('pino redaction censors private keys and credentials wherever the paths put them', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    logger.info({
      keyPair: { PrivateKey: 'SECRET-1' },
      output: { keyPair: { PrivateKey: 'SECRET-2' }, privateKey: 'SECRET-3' },
      privateKey: 'SECRET-4',
      headers: { authorization: 'SECRET-5', 'x-amz-security-token': 'SECRET-6' },
      authorization: 'SECRET-7',
      secretAccessKey: 'SECRET-8',
      account: { secretAccessKey: 'SECRET-9' },
      'x-amz-security-token': 'SECRET-10',
      req: { headers: { authorization: 'SECRET-11' } },
    });
    const text = lines.join('');
    assert.doesNotMatch(text, /SECRET-/);
    assert.match(text, /\[Redacted\]/);
    assert.equal(JSON.parse(text).level, 'info');
  });
});
