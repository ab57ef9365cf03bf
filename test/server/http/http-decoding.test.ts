import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import {
  CreateCertificateFromCsr,
  CreateKeysAndCertificate,
  DeleteCertificate,
  ListCertificates,
  UpdateCertificate,
} from '../../../src/model/certificates.js';
import { member, type OperationModel, structure } from '../../../src/model/shapes.js';
import { readJsonBody } from '../../../src/server/http/json-body.js';
import { decodeInput, headerValues, type RequestParts } from '../../../src/server/http/request-decoder.js';
import { parseQuery } from '../../../src/server/http/request-target.js';
import { valueFromText } from '../../../src/server/http/text-values.js';

const ID = 'ab'.repeat(32);

function parts(overrides: Partial<RequestParts> & { rawQuery?: string; bodyText?: string } = {}): RequestParts {
  return {
    labels: overrides.labels ?? {},
    query: overrides.query ?? parseQuery(overrides.rawQuery ?? ''),
    rawHeaders: overrides.rawHeaders ?? [],
    body: overrides.body ?? Buffer.from(overrides.bodyText ?? ''),
  };
}

function serialization(pattern: RegExp) {
  return (err: unknown) =>
    err instanceof ServiceError && err.code === 'SerializationException' && pattern.test(err.message);
}

/** An operation with every kind of member and location, as future model entries may have. */
const Kitchen: OperationModel = {
  name: 'KitchenSink',
  http: { method: 'POST', requestUri: '/sinks/{sinkName}' },
  input: structure({
    sinkName: member({ type: 'string' }, '', { location: 'uri', locationName: 'sinkName' }),
    since: member({ type: 'timestamp' }, '', { location: 'querystring', locationName: 'since' }),
    tags: member({ type: 'list', member: { type: 'string' } }, '', { location: 'querystring', locationName: 'tag' }),
    principal: member({ type: 'string' }, '', { location: 'header', locationName: 'x-amzn-principal' }),
    modified: member({ type: 'timestamp' }, '', { location: 'header', locationName: 'x-modified' }),
    count: member({ type: 'integer' }, ''),
    when: member({ type: 'timestamp' }, ''),
    names: member({ type: 'list', member: { type: 'string' } }, ''),
    config: member(
      structure({
        enabled: member({ type: 'boolean' }, ''),
        roleArn: member({ type: 'string' }, '', { locationName: 'role' }),
      }),
      '',
    ),
  }),
  errors: [],
  documentation: '',
};

describe('input from URI labels, query parameters and headers', () => {
  test('CreateKeysAndCertificate: setAsActive from the query as a boolean', () => {
    assert.deepEqual(decodeInput(CreateKeysAndCertificate, parts({ rawQuery: 'setAsActive=true' })), {
      setAsActive: true,
    });
    assert.deepEqual(decodeInput(CreateKeysAndCertificate, parts({ rawQuery: 'setAsActive=false' })), {
      setAsActive: false,
    });
    assert.deepEqual(decodeInput(CreateKeysAndCertificate, parts()), {});
  });

  test('ListCertificates: isAscendingOrder on the wire is ascendingOrder in the input', () => {
    const input = decodeInput(ListCertificates, parts({ rawQuery: 'pageSize=10&marker=abc%3D&isAscendingOrder=true' }));
    assert.deepEqual(input, { pageSize: 10, marker: 'abc=', ascendingOrder: true });
    // The member name is not the wire name: sent as ascendingOrder it is an unknown parameter, ignored.
    assert.deepEqual(decodeInput(ListCertificates, parts({ rawQuery: 'ascendingOrder=true' })), {});
  });

  test('UpdateCertificate and DeleteCertificate: the id from the label, the rest from the query', () => {
    assert.deepEqual(
      decodeInput(UpdateCertificate, parts({ labels: { certificateId: ID }, rawQuery: 'newStatus=REVOKED' })),
      { certificateId: ID, newStatus: 'REVOKED' },
    );
    assert.deepEqual(
      decodeInput(DeleteCertificate, parts({ labels: { certificateId: ID }, rawQuery: 'forceDelete=true' })),
      { certificateId: ID, forceDelete: true },
    );
  });

  test('strings travel as they are; constraints are left to the operation (InvalidRequestException)', () => {
    assert.deepEqual(decodeInput(ListCertificates, parts({ rawQuery: 'pageSize=0&marker=!!!' })), {
      pageSize: 0,
      marker: '!!!',
    });
    assert.deepEqual(decodeInput(ListCertificates, parts({ rawQuery: 'pageSize=-1' })), { pageSize: -1 });
  });

  test('booleans only true/false, integers only decimal, both within range', () => {
    for (const text of ['maybe', 'TRUE', 'True', '1', '0', '', 'yes', ' true']) {
      assert.throws(
        () => decodeInput(CreateKeysAndCertificate, parts({ query: new Map([['setAsActive', [text]]]) })),
        serialization(/at 'setAsActive' cannot be read as a boolean/),
        JSON.stringify(text),
      );
    }
    for (const text of ['abc', '1.5', '1e2', '+5', '', '0x10', ' 5', '99999999999', '2147483648', '-2147483649']) {
      assert.throws(
        () => decodeInput(ListCertificates, parts({ query: new Map([['pageSize', [text]]]) })),
        serialization(/at 'pageSize' cannot be read as an integer/),
        JSON.stringify(text),
      );
    }
    assert.equal(valueFromText({ type: 'integer' }, '2147483647', 'n', 'iso8601'), 2147483647);
    assert.equal(valueFromText({ type: 'integer' }, '-2147483648', 'n', 'iso8601'), -2147483648);
    assert.equal(valueFromText({ type: 'integer' }, '007', 'n', 'iso8601'), 7);
  });

  test('a scalar given twice is refused, not guessed', () => {
    assert.throws(
      () => decodeInput(CreateKeysAndCertificate, parts({ rawQuery: 'setAsActive=true&setAsActive=false' })),
      serialization(/The query parameter 'setAsActive' is given 2 times/),
    );
  });

  test('timestamps: ISO 8601 in the query, HTTP dates in headers, epoch seconds in the body; lists and headers', () => {
    const input = decodeInput(
      Kitchen,
      parts({
        labels: { sinkName: 'a/b c' },
        rawQuery: 'since=2024-05-01T10:00:00.5Z&tag=x&tag=y&unrelated=1',
        rawHeaders: ['X-Amzn-Principal', 'arn:aws:iot:x', 'x-modified', 'Wed, 01 May 2024 10:00:00 GMT'],
        bodyText: '{"count":3,"when":1714557600.123,"names":["n"],"config":{"enabled":true,"role":"r"}}',
      }),
    );
    assert.deepEqual(input, {
      sinkName: 'a/b c',
      since: Date.parse('2024-05-01T10:00:00.500Z'),
      tags: ['x', 'y'],
      principal: 'arn:aws:iot:x',
      modified: Date.parse('2024-05-01T10:00:00Z'),
      count: 3,
      when: 1714557600123,
      names: ['n'],
      config: { enabled: true, roleArn: 'r' },
    });
    assert.throws(() => decodeInput(Kitchen, parts({ rawQuery: 'since=yesterday' })), serialization(/ISO 8601/));
    assert.throws(
      () => decodeInput(Kitchen, parts({ rawHeaders: ['x-modified', '2024-05-01'] })),
      serialization(/HTTP date/),
    );
    assert.throws(
      () => decodeInput(Kitchen, parts({ rawHeaders: ['x-amzn-principal', 'a', 'X-AMZN-PRINCIPAL', 'b'] })),
      serialization(/The header 'x-amzn-principal' is given 2 times/),
    );
  });

  test('headerValues reads rawHeaders case-insensitively, keeping repeats', () => {
    assert.deepEqual(headerValues(['A', '1', 'b', '2', 'a', '3'], 'a'), ['1', '3']);
    assert.deepEqual(headerValues([], 'a'), []);
  });
});

describe('input from the JSON body', () => {
  const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n';

  test('an empty body, whitespace and {} all mean no body members', () => {
    for (const text of ['', '  \n', '{}', ' { } ']) {
      assert.deepEqual(decodeInput(CreateKeysAndCertificate, parts({ bodyText: text })), {}, JSON.stringify(text));
    }
  });

  test('body members by name, with the query members beside them', () => {
    const body = JSON.stringify({ certificateSigningRequest: csr });
    assert.deepEqual(decodeInput(CreateCertificateFromCsr, parts({ bodyText: body, rawQuery: 'setAsActive=true' })), {
      certificateSigningRequest: csr,
      setAsActive: true,
    });
  });

  test('null is an absent member', () => {
    assert.deepEqual(
      readJsonBody(Buffer.from('{"certificateSigningRequest":null}'), CreateCertificateFromCsr.input),
      {},
    );
  });

  const refused: [string, string | Buffer, RegExp][] = [
    ['invalid JSON', 'not json', /not valid JSON/],
    ['truncated JSON', '{"certificateSigningRequest":', /not valid JSON/],
    ['trailing garbage', '{}x', /not valid JSON/],
    ['a list', '[]', /must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
    ['a string', '"x"', /must be a JSON object/],
    ['a number', '42', /must be a JSON object/],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /not valid UTF-8/],
    [
      'a number for a string',
      '{"certificateSigningRequest":42}',
      /'certificateSigningRequest' must be a string, found a number/,
    ],
    ['a list for a string', '{"certificateSigningRequest":["x"]}', /must be a string, found a list/],
    ['an object for a string', '{"certificateSigningRequest":{}}', /must be a string, found an object/],
    ['a boolean for a string', '{"certificateSigningRequest":true}', /must be a string, found a boolean/],
    ['an unknown member', '{"certificateSigningRequest":"x","extra":1}', /Unknown member 'extra'/],
    ['a query member in the body', '{"setAsActive":true}', /Unknown member 'setAsActive'/],
    ['the wrong case', '{"CertificateSigningRequest":"x"}', /Unknown member 'CertificateSigningRequest'/],
    ['__proto__', '{"__proto__":{"polluted":1}}', /Unknown member '__proto__'/],
  ];
  for (const [name, body, message] of refused) {
    test(`refuses ${name} with SerializationException`, () => {
      assert.throws(
        () => decodeInput(CreateCertificateFromCsr, parts({ body: Buffer.isBuffer(body) ? body : Buffer.from(body) })),
        serialization(message),
      );
    });
  }

  test('nested values are checked against their shapes, with the path in the message', () => {
    const cases: [string, RegExp][] = [
      ['{"count":1.5}', /'count' must be an integer, found a number/],
      ['{"count":"1"}', /'count' must be an integer, found a string/],
      ['{"count":4294967296}', /'count' must be an integer/],
      ['{"when":"2024-01-01"}', /'when' must be a timestamp in epoch seconds/],
      ['{"names":"n"}', /'names' must be a list, found a string/],
      ['{"names":[1]}', /'names\[0\]' must be a string/],
      ['{"names":["a",null]}', /'names\[1\]' must be a list member, found null/],
      ['{"config":[]}', /'config' must be a structure, found a list/],
      ['{"config":{"enabled":"yes"}}', /'config.enabled' must be a boolean/],
      ['{"config":{"roleArn":"r"}}', /Unknown member 'config.roleArn'/],
      ['{"sinkName":"x"}', /Unknown member 'sinkName'/],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => decodeInput(Kitchen, parts({ bodyText: body })), serialization(message), body);
    }
  });
});
