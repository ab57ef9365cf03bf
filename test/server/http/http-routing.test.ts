import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import { type HttpMethod, type OperationModel, structure } from '../../../src/model/shapes.js';
import { IOT_MODELS } from '../../../src/operations/iot-models.js';
import { parseQuery, pathSegments, splitTarget } from '../../../src/server/http/request-target.js';
import { RouteTable } from '../../../src/server/http/route-table.js';
import { compileUriTemplate, matchUriTemplate } from '../../../src/server/http/uri-template.js';

function fakeOperation(name: string, method: HttpMethod, requestUri: string): OperationModel {
  return { name, http: { method, requestUri }, input: structure({}), errors: [], documentation: '' };
}

/** An example path for a template: each label filled with a value that cannot be mistaken for a literal. */
function examplePath(requestUri: string): string {
  return requestUri.split('?')[0]?.replace(/\{[^}]+\}/g, 'label-value') ?? '';
}

describe('URI templates', () => {
  test('compile literals, labels, greedy labels and fixed query parameters', () => {
    const template = compileUriTemplate('/things/{thingName}/files/{key+}?versioning&type=x');
    assert.deepEqual(template.segments, [
      { kind: 'literal', text: 'things' },
      { kind: 'label', name: 'thingName' },
      { kind: 'literal', text: 'files' },
      { kind: 'greedy', name: 'key' },
    ]);
    assert.deepEqual(
      [...template.fixedQuery],
      [
        ['versioning', ''],
        ['type', 'x'],
      ],
    );
    assert.deepEqual(compileUriTemplate('/').segments, []);
  });

  test('refuse templates the matcher could not honour', () => {
    assert.throws(() => compileUriTemplate('certificates'), /does not start/);
    assert.throws(() => compileUriTemplate('/a/{b+}/c'), /greedy label must come last/);
    assert.throws(() => compileUriTemplate('/a/x{b}'), /bad label/);
  });

  test('labels take one non-empty segment; greedy labels the rest', () => {
    const describeTemplate = compileUriTemplate('/certificates/{certificateId}');
    assert.deepEqual(matchUriTemplate(describeTemplate, ['certificates', 'abc']), { certificateId: 'abc' });
    assert.equal(matchUriTemplate(describeTemplate, ['certificates', '']), undefined);
    assert.equal(matchUriTemplate(describeTemplate, ['certificates']), undefined);
    assert.equal(matchUriTemplate(describeTemplate, ['certificates', 'a', 'b']), undefined);
    const greedy = compileUriTemplate('/files/{key+}');
    assert.deepEqual(matchUriTemplate(greedy, ['files', 'a', 'b']), { key: 'a/b' });
    assert.equal(matchUriTemplate(greedy, ['files']), undefined);
    assert.equal(matchUriTemplate(greedy, ['files', 'a', '']), undefined);
  });
});

describe('request targets', () => {
  test('split the path from the query, exactly as sent', () => {
    assert.deepEqual(splitTarget('/certificates?pageSize=1&marker=a%3D'), {
      rawPath: '/certificates',
      rawQuery: 'pageSize=1&marker=a%3D',
    });
    assert.deepEqual(splitTarget('/x'), { rawPath: '/x', rawQuery: '' });
    assert.equal(splitTarget('*'), undefined);
    assert.equal(splitTarget('http://example.com/certificates'), undefined);
  });

  test('percent-decode segments after splitting, so %2F stays inside its segment', () => {
    assert.deepEqual(pathSegments('/certificates/a%2Fb'), ['certificates', 'a/b']);
    assert.deepEqual(pathSegments('/policies/p%201'), ['policies', 'p 1']);
    assert.deepEqual(pathSegments('/'), []);
    assert.deepEqual(pathSegments('/a+b'), ['a+b'], "'+' is not a space in a path");
  });

  test('refuse malformed percent-encoding with SerializationException', () => {
    for (const bad of ['/certificates/%zz', '/certificates/%E0%A4', '/%']) {
      assert.throws(
        () => pathSegments(bad),
        (err: unknown) => err instanceof ServiceError && err.code === 'SerializationException',
        bad,
      );
    }
    assert.throws(() => parseQuery('marker=%G1'), ServiceError);
  });

  test('parse the query keeping repeats and decoding names and values', () => {
    const query = parseQuery('a=1&a=2&b&c=&d%20e=f%2Bg&&plus=a+b');
    assert.deepEqual(Object.fromEntries(query), {
      a: ['1', '2'],
      b: [''],
      c: [''],
      'd e': ['f+g'],
      plus: ['a+b'],
    });
  });
});

describe('route table derived from the model', () => {
  const table = new RouteTable(IOT_MODELS);

  test('every operation in IOT_MODELS is reachable by its own method and path', () => {
    for (const operation of IOT_MODELS) {
      const segments = pathSegments(examplePath(operation.http.requestUri));
      const fixed = new Set(compileUriTemplate(operation.http.requestUri).fixedQuery.keys());
      const match = table.match(operation.http.method, segments, fixed);
      assert.equal(match.kind, 'operation', operation.name);
      if (match.kind === 'operation') assert.equal(match.route.operation.name, operation.name);
    }
  });

  test('the certificate operations and their labels', () => {
    const id = 'ab'.repeat(32);
    const cases: [string, string, string][] = [
      ['POST', '/keys-and-certificate', 'CreateKeysAndCertificate'],
      ['POST', '/certificates', 'CreateCertificateFromCsr'],
      ['GET', '/certificates', 'ListCertificates'],
      ['GET', `/certificates/${id}`, 'DescribeCertificate'],
      ['PUT', `/certificates/${id}`, 'UpdateCertificate'],
      ['DELETE', `/certificates/${id}`, 'DeleteCertificate'],
    ];
    for (const [method, path, name] of cases) {
      const match = table.match(method, pathSegments(path));
      assert.equal(match.kind, 'operation', `${method} ${path}`);
      if (match.kind !== 'operation') continue;
      assert.equal(match.route.operation.name, name);
      if (path.endsWith(id)) assert.deepEqual(match.labels, { certificateId: id });
    }
  });

  test('a known path with another method is method-not-allowed, listing the methods it has', () => {
    assert.deepEqual(table.match('DELETE', ['certificates']), { kind: 'method-not-allowed', allowed: ['GET', 'POST'] });
    assert.deepEqual(table.match('GET', ['keys-and-certificate']), { kind: 'method-not-allowed', allowed: ['POST'] });
    assert.deepEqual(table.match('POST', ['certificates', 'x']), {
      kind: 'method-not-allowed',
      allowed: ['DELETE', 'GET', 'PUT'],
    });
  });

  test('anything else is not found', () => {
    for (const path of [
      '/',
      '/certificate',
      '/certificates/',
      '/certificates/a/b',
      '/CERTIFICATES',
      '//certificates',
    ]) {
      assert.deepEqual(table.match('GET', pathSegments(path)), { kind: 'not-found' }, path);
    }
  });

  test('a literal segment beats a label, and a label beats a greedy label, whatever the model order', () => {
    const routes = new RouteTable([
      fakeOperation('GreedyGet', 'GET', '/things/{rest+}'),
      fakeOperation('DescribeThing', 'GET', '/things/{thingName}'),
      fakeOperation('SearchThings', 'GET', '/things/search'),
      fakeOperation('Versioned', 'GET', '/things/{thingName}?versioning'),
    ]);
    const name = (path: string, query: string[] = []) => {
      const match = routes.match('GET', pathSegments(path), new Set(query));
      return match.kind === 'operation' ? match.route.operation.name : match.kind;
    };
    assert.equal(name('/things/search'), 'SearchThings');
    assert.equal(name('/things/lamp'), 'DescribeThing');
    assert.equal(name('/things/lamp', ['versioning']), 'Versioned');
    assert.equal(name('/things/a/b'), 'GreedyGet');
  });

  test('two operations on the same method and path are a model error', () => {
    assert.throws(
      () => new RouteTable([fakeOperation('A', 'GET', '/x/{a}'), fakeOperation('B', 'GET', '/x/{b}')]),
      /share the route/,
    );
  });
});
