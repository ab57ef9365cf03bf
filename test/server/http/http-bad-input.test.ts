import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { settled } from '../../helpers/eventually.js';
import { makeEcCsr } from '../../helpers/run-cli.js';
import {
  logRecords,
  REQUEST_ID,
  rawExchange,
  type SendOptions,
  send,
  startTestServer,
  type TestServer,
  UNKNOWN_ID,
} from './http-support.js';

/**
 * Bad input of every kind, each answered with a 4xx in the AWS error shape (status, x-amzn-ErrorType,
 * {"message"}, x-amzn-RequestId) — never a 5xx, a crash or a hang. Paths may name `{active}` or `{revoked}`
 * (certificates made before the table runs); bodies may hold `{csr}`.
 */
interface Case {
  readonly name: string;
  /** A request signed like an SDK's, then possibly altered (see SendOptions). */
  readonly request?: SendOptions;
  /** Bytes written on a raw socket instead. */
  readonly raw?: string;
  readonly status: number;
  readonly code: string;
  readonly message?: RegExp;
}

const CSR_PATH = '/certificates';
const json = { 'content-type': 'application/json' };
const get = (path: string, extra: Partial<SendOptions> = {}): SendOptions => ({ method: 'GET', path, ...extra });
const list = (rawQuery: string): SendOptions => ({ method: 'GET', path: '/certificates', rawQuery });
const signedList = (query: Record<string, string | string[]>): SendOptions => ({
  method: 'GET',
  path: '/certificates',
  query,
});
const ckac = (query: Record<string, string | string[]>, extra: Partial<SendOptions> = {}): SendOptions => ({
  method: 'POST',
  path: '/keys-and-certificate',
  query,
  ...extra,
});
const fromCsr = (body: string | Buffer, extra: Partial<SendOptions> = {}): SendOptions => ({
  method: 'POST',
  path: CSR_PATH,
  body,
  headers: json,
  ...extra,
});
const update = (
  id: string,
  query: Record<string, string | string[]>,
  extra: Partial<SendOptions> = {},
): SendOptions => ({
  method: 'PUT',
  path: `/certificates/${id}`,
  query,
  ...extra,
});
const remove = (id: string, query: Record<string, string | string[]> = {}): SendOptions => ({
  method: 'DELETE',
  path: `/certificates/${id}`,
  query,
});

const SER = 'SerializationException';
const INV = 'InvalidRequestException';
const UNKNOWN = 'UnknownOperationException';
const METHOD = 'MethodNotAllowedException';
const hex = (n: number) => 'a'.repeat(n);

const CASES: Case[] = [
  // Unknown paths: 404.
  { name: 'the root', request: get('/'), status: 404, code: UNKNOWN },
  { name: 'singular /certificate', request: get('/certificate'), status: 404, code: UNKNOWN },
  { name: 'a trailing slash', request: get('/certificates/'), status: 404, code: UNKNOWN },
  { name: 'one segment too many', request: get(`/certificates/${UNKNOWN_ID}/x`), status: 404, code: UNKNOWN },
  { name: 'upper case', request: get('/CERTIFICATES'), status: 404, code: UNKNOWN },
  { name: 'a double slash', request: get('//certificates'), status: 404, code: UNKNOWN },
  { name: 'dot segments are not resolved', request: get('/x/../certificates'), status: 404, code: UNKNOWN },
  { name: 'a near miss of the health path', request: get('/_fleetca/healthz'), status: 404, code: UNKNOWN },
  { name: 'an AWS path fleetca lacks', request: get('/thing-groups'), status: 404, code: UNKNOWN },
  {
    name: 'an absolute-form target',
    raw: 'GET http://x/certificates HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 404,
    code: UNKNOWN,
  },
  { name: 'the asterisk target', raw: 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', status: 404, code: UNKNOWN },
  { name: 'a very long path', request: get(`/${'p'.repeat(8000)}`), status: 404, code: UNKNOWN },
  // Known paths, wrong methods: 405.
  { name: 'GET /keys-and-certificate', request: get('/keys-and-certificate'), status: 405, code: METHOD },
  {
    name: 'PUT /keys-and-certificate',
    request: { method: 'PUT', path: '/keys-and-certificate' },
    status: 405,
    code: METHOD,
  },
  { name: 'DELETE /certificates', request: { method: 'DELETE', path: '/certificates' }, status: 405, code: METHOD },
  {
    name: 'PATCH a certificate',
    request: { method: 'PATCH', path: `/certificates/${UNKNOWN_ID}` },
    status: 405,
    code: METHOD,
  },
  {
    name: 'POST a certificate',
    request: { method: 'POST', path: `/certificates/${UNKNOWN_ID}` },
    status: 405,
    code: METHOD,
  },
  { name: 'OPTIONS /certificates', request: { method: 'OPTIONS', path: '/certificates' }, status: 405, code: METHOD },
  {
    name: 'POST the health path',
    request: { method: 'POST', path: '/_fleetca/health', sign: false },
    status: 405,
    code: METHOD,
  },
  {
    name: 'DELETE the health path',
    request: { method: 'DELETE', path: '/_fleetca/health', sign: false },
    status: 405,
    code: METHOD,
  },
  // Malformed percent-encoding.
  {
    name: 'a bad escape in the path',
    request: get('/certificates/%zz'),
    status: 400,
    code: SER,
    message: /path is not validly percent-encoded/,
  },
  { name: 'a truncated UTF-8 escape', request: get('/certificates/%E0%A4'), status: 400, code: SER },
  { name: 'a lone % in the path', request: get('/certificates/abc%'), status: 400, code: SER },
  {
    name: 'a bad escape in a query value',
    request: list('marker=%zz'),
    status: 400,
    code: SER,
    message: /query string/,
  },
  { name: 'a bad escape in a query name', request: list('%zz=1'), status: 400, code: SER },
  { name: 'an overlong UTF-8 escape', request: list('marker=%C0%AF'), status: 400, code: SER },
  // Certificate ids.
  {
    name: 'a short id',
    request: get('/certificates/abc'),
    status: 400,
    code: INV,
    message: /length greater than or equal to 64/,
  },
  {
    name: 'a non-hex id',
    request: get(`/certificates/${'g'.repeat(64)}`),
    status: 400,
    code: INV,
    message: /regular expression pattern/,
  },
  {
    name: 'a 65-character id',
    request: get(`/certificates/${hex(65)}`),
    status: 400,
    code: INV,
    message: /less than or equal to 64/,
  },
  { name: 'a 63-character id', request: get(`/certificates/${hex(63)}`), status: 400, code: INV },
  { name: 'an encoded slash in the id', request: get('/certificates/x%2Fy'), status: 400, code: INV },
  { name: 'an encoded space in the id', request: get(`/certificates/${hex(63)}%20`), status: 400, code: INV },
  { name: 'an id of dots', request: get('/certificates/%2e%2e'), status: 400, code: INV },
  { name: 'a unicode id', request: get(`/certificates/${'%C3%A9'.repeat(64)}`), status: 400, code: INV },
  { name: 'a short id to update', request: update('abc', { newStatus: 'ACTIVE' }), status: 400, code: INV },
  { name: 'a short id to delete', request: remove('abc'), status: 400, code: INV },
  {
    name: 'an unknown id to describe',
    request: get(`/certificates/${UNKNOWN_ID}`),
    status: 404,
    code: 'ResourceNotFoundException',
  },
  {
    name: 'an unknown id to update',
    request: update(UNKNOWN_ID, { newStatus: 'INACTIVE' }),
    status: 404,
    code: 'ResourceNotFoundException',
  },
  { name: 'an unknown id to delete', request: remove(UNKNOWN_ID), status: 404, code: 'ResourceNotFoundException' },
  {
    name: 'an unknown upper-case id',
    request: get(`/certificates/${UNKNOWN_ID.toUpperCase()}`),
    status: 404,
    code: 'ResourceNotFoundException',
  },
  // setAsActive.
  {
    name: 'setAsActive=maybe',
    request: ckac({ setAsActive: 'maybe' }),
    status: 400,
    code: SER,
    message: /'maybe' at 'setAsActive' cannot be read as a boolean/,
  },
  { name: 'setAsActive=TRUE', request: ckac({ setAsActive: 'TRUE' }), status: 400, code: SER },
  { name: 'setAsActive=True', request: ckac({ setAsActive: 'True' }), status: 400, code: SER },
  { name: 'setAsActive=1', request: ckac({ setAsActive: '1' }), status: 400, code: SER },
  { name: 'setAsActive=0', request: ckac({ setAsActive: '0' }), status: 400, code: SER },
  { name: 'setAsActive=yes', request: ckac({ setAsActive: 'yes' }), status: 400, code: SER },
  { name: 'setAsActive empty', request: ckac({ setAsActive: '' }), status: 400, code: SER },
  {
    name: 'setAsActive without =',
    request: { method: 'POST', path: '/keys-and-certificate', rawQuery: 'setAsActive' },
    status: 400,
    code: SER,
  },
  { name: 'setAsActive with a space', request: ckac({ setAsActive: 'true ' }), status: 400, code: SER },
  {
    name: 'setAsActive twice',
    request: ckac({ setAsActive: ['true', 'false'] }),
    status: 400,
    code: SER,
    message: /given 2 times/,
  },
  {
    name: 'setAsActive=maybe on CreateCertificateFromCsr',
    request: fromCsr('{}', { query: { setAsActive: 'maybe' } }),
    status: 400,
    code: SER,
  },
  // pageSize.
  {
    name: 'pageSize=0',
    request: signedList({ pageSize: '0' }),
    status: 400,
    code: INV,
    message: /Value '0' at 'pageSize' failed to satisfy constraint: Member must have value greater than or equal to 1/,
  },
  { name: 'pageSize=-1', request: signedList({ pageSize: '-1' }), status: 400, code: INV },
  {
    name: 'pageSize=251',
    request: signedList({ pageSize: '251' }),
    status: 400,
    code: INV,
    message: /less than or equal to 250/,
  },
  { name: 'pageSize=1000 (encoded digits)', request: list('pageSize=%31%30%30%30'), status: 400, code: INV },
  {
    name: 'pageSize=abc',
    request: signedList({ pageSize: 'abc' }),
    status: 400,
    code: SER,
    message: /'abc' at 'pageSize' cannot be read as an integer/,
  },
  { name: 'pageSize=1.5', request: signedList({ pageSize: '1.5' }), status: 400, code: SER },
  { name: 'pageSize=1e2', request: signedList({ pageSize: '1e2' }), status: 400, code: SER },
  { name: 'pageSize=+5', request: signedList({ pageSize: '+5' }), status: 400, code: SER },
  { name: 'pageSize empty', request: signedList({ pageSize: '' }), status: 400, code: SER },
  { name: 'pageSize=0x10', request: signedList({ pageSize: '0x10' }), status: 400, code: SER },
  { name: 'pageSize beyond 32 bits', request: signedList({ pageSize: '99999999999' }), status: 400, code: SER },
  { name: 'pageSize=NaN', request: signedList({ pageSize: 'NaN' }), status: 400, code: SER },
  { name: 'pageSize=Infinity', request: signedList({ pageSize: 'Infinity' }), status: 400, code: SER },
  { name: 'pageSize with spaces', request: signedList({ pageSize: ' 5 ' }), status: 400, code: SER },
  { name: 'pageSize twice', request: signedList({ pageSize: ['10', '20'] }), status: 400, code: SER },
  // marker and isAscendingOrder.
  {
    name: 'a marker outside the base64 alphabet',
    request: signedList({ marker: '!!!' }),
    status: 400,
    code: INV,
    message: /regular expression pattern/,
  },
  { name: 'a marker with too much padding', request: signedList({ marker: 'abc===' }), status: 400, code: INV },
  {
    name: 'a marker of 1025 characters',
    request: signedList({ marker: 'A'.repeat(1025) }),
    status: 400,
    code: INV,
    message: /less than or equal to 1024/,
  },
  {
    name: 'a well-formed marker fleetca never made',
    request: signedList({ marker: 'AAAA' }),
    status: 400,
    code: INV,
    message: /marker is not valid/,
  },
  { name: 'a marker with a space', request: signedList({ marker: 'ab cd' }), status: 400, code: INV },
  { name: 'an empty marker', request: signedList({ marker: '' }), status: 400, code: INV },
  {
    name: 'a marker of another cursor format',
    request: signedList({ marker: Buffer.from('c2:1:x').toString('base64') }),
    status: 400,
    code: INV,
  },
  {
    name: 'isAscendingOrder=maybe',
    request: signedList({ isAscendingOrder: 'maybe' }),
    status: 400,
    code: SER,
    message: /at 'isAscendingOrder'/,
  },
  { name: 'isAscendingOrder=1', request: signedList({ isAscendingOrder: '1' }), status: 400, code: SER },
  // newStatus and forceDelete.
  {
    name: 'newStatus missing',
    request: update(UNKNOWN_ID, {}),
    status: 400,
    code: INV,
    message: /Value null at 'newStatus' failed to satisfy constraint: Member must not be null/,
  },
  {
    name: 'newStatus=BOGUS',
    request: update(UNKNOWN_ID, { newStatus: 'BOGUS' }),
    status: 400,
    code: INV,
    message: /enum value set/,
  },
  { name: 'newStatus in lower case', request: update(UNKNOWN_ID, { newStatus: 'active' }), status: 400, code: INV },
  { name: 'newStatus empty', request: update(UNKNOWN_ID, { newStatus: '' }), status: 400, code: INV },
  {
    name: 'newStatus twice',
    request: update(UNKNOWN_ID, { newStatus: ['ACTIVE', 'INACTIVE'] }),
    status: 400,
    code: SER,
  },
  {
    name: 'newStatus=PENDING_TRANSFER',
    request: update('{active}', { newStatus: 'PENDING_TRANSFER' }),
    status: 400,
    code: INV,
    message: /Cannot set the status/,
  },
  {
    name: 'newStatus=PENDING_ACTIVATION',
    request: update('{active}', { newStatus: 'PENDING_ACTIVATION' }),
    status: 400,
    code: INV,
  },
  {
    name: 'reactivating a revoked certificate',
    request: update('{revoked}', { newStatus: 'ACTIVE' }),
    status: 406,
    code: 'CertificateStateException',
    message: /revoked/,
  },
  {
    name: 'deleting an ACTIVE certificate',
    request: remove('{active}'),
    status: 406,
    code: 'CertificateStateException',
    message: /must be deactivated/,
  },
  { name: 'forceDelete=maybe', request: remove('{active}', { forceDelete: 'maybe' }), status: 400, code: SER },
  { name: 'forceDelete=TRUE', request: remove('{active}', { forceDelete: 'TRUE' }), status: 400, code: SER },
  { name: 'forceDelete twice', request: remove('{active}', { forceDelete: ['true', 'true'] }), status: 400, code: SER },
  // Bodies.
  {
    name: 'CreateCertificateFromCsr without a body',
    request: { method: 'POST', path: CSR_PATH },
    status: 400,
    code: INV,
    message: /'certificateSigningRequest' failed to satisfy constraint: Member must not be null/,
  },
  { name: 'CreateCertificateFromCsr with {}', request: fromCsr('{}'), status: 400, code: INV },
  { name: 'invalid JSON', request: fromCsr('not json'), status: 400, code: SER, message: /not valid JSON/ },
  { name: 'an unfinished object', request: fromCsr('{'), status: 400, code: SER },
  { name: 'single quotes', request: fromCsr("{'certificateSigningRequest':'x'}"), status: 400, code: SER },
  { name: 'a trailing comma', request: fromCsr('{"certificateSigningRequest":"x",}'), status: 400, code: SER },
  { name: 'trailing garbage', request: fromCsr('{}x'), status: 400, code: SER },
  { name: 'two objects', request: fromCsr('{}{}'), status: 400, code: SER },
  { name: 'a JSON list', request: fromCsr('[]'), status: 400, code: SER, message: /must be a JSON object/ },
  { name: 'JSON null', request: fromCsr('null'), status: 400, code: SER },
  { name: 'a JSON string', request: fromCsr('"{csr}"'), status: 400, code: SER },
  { name: 'a JSON number', request: fromCsr('42'), status: 400, code: SER },
  { name: 'JSON true', request: fromCsr('true'), status: 400, code: SER },
  {
    name: 'bytes that are not UTF-8',
    request: fromCsr(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    status: 400,
    code: SER,
    message: /UTF-8/,
  },
  {
    name: 'a number for the CSR',
    request: fromCsr('{"certificateSigningRequest":42}'),
    status: 400,
    code: SER,
    message: /must be a string, found a number/,
  },
  { name: 'true for the CSR', request: fromCsr('{"certificateSigningRequest":true}'), status: 400, code: SER },
  { name: 'a list for the CSR', request: fromCsr('{"certificateSigningRequest":["x"]}'), status: 400, code: SER },
  {
    name: 'an object for the CSR',
    request: fromCsr('{"certificateSigningRequest":{"pem":"x"}}'),
    status: 400,
    code: SER,
  },
  { name: 'null for the CSR', request: fromCsr('{"certificateSigningRequest":null}'), status: 400, code: INV },
  {
    name: 'an empty CSR',
    request: fromCsr('{"certificateSigningRequest":""}'),
    status: 400,
    code: INV,
    message: /length greater than or equal to 1/,
  },
  {
    name: 'text that is no CSR',
    request: fromCsr('{"certificateSigningRequest":"hello"}'),
    status: 400,
    code: INV,
    message: /not valid/,
  },
  {
    name: 'a CSR of 4097 characters',
    request: fromCsr(JSON.stringify({ certificateSigningRequest: 'x'.repeat(4097) })),
    status: 400,
    code: INV,
    message: /less than or equal to 4096/,
  },
  {
    name: 'an unknown member beside the CSR',
    request: fromCsr('{"certificateSigningRequest":"{csr}","extra":1}'),
    status: 400,
    code: SER,
    message: /Unknown member 'extra'/,
  },
  {
    name: 'a query member in the body',
    request: fromCsr('{"certificateSigningRequest":"{csr}","setAsActive":true}'),
    status: 400,
    code: SER,
  },
  {
    name: 'the member name in the wrong case',
    request: fromCsr('{"CertificateSigningRequest":"{csr}"}'),
    status: 400,
    code: SER,
  },
  { name: '__proto__ in the body', request: fromCsr('{"__proto__":{"isAdmin":true}}'), status: 400, code: SER },
  {
    name: 'a body on CreateKeysAndCertificate',
    request: ckac({}, { body: '{"setAsActive":true}', headers: json }),
    status: 400,
    code: SER,
  },
  {
    name: 'a list body on CreateKeysAndCertificate',
    request: ckac({}, { body: '[]', headers: json }),
    status: 400,
    code: SER,
  },
  { name: 'garbage on CreateKeysAndCertificate', request: ckac({}, { body: 'garbage' }), status: 400, code: SER },
  {
    name: 'a body on ListCertificates',
    request: get('/certificates', { body: '{"pageSize":5}', headers: json }),
    status: 400,
    code: SER,
  },
  {
    name: 'a body on UpdateCertificate',
    request: update(UNKNOWN_ID, { newStatus: 'ACTIVE' }, { body: '{"newStatus":"ACTIVE"}' }),
    status: 400,
    code: SER,
  },
  { name: 'a body on DeleteCertificate', request: { ...remove(UNKNOWN_ID), body: 'x' }, status: 400, code: SER },
  {
    name: 'a body above the limit',
    request: fromCsr(JSON.stringify({ certificateSigningRequest: 'x'.repeat(300 * 1024) })),
    status: 413,
    code: 'RequestEntityTooLargeException',
  },
  // Authentication.
  {
    name: 'no signature at all',
    request: get('/certificates', { sign: false }),
    status: 403,
    code: 'MissingAuthenticationTokenException',
  },
  {
    name: 'the Authorization header dropped',
    request: get('/certificates', { dropHeaders: ['authorization'] }),
    status: 403,
    code: 'MissingAuthenticationTokenException',
  },
  {
    name: 'a Bearer token',
    request: get('/certificates', { sign: false, headers: { authorization: 'Bearer abc' } }),
    status: 403,
    code: 'IncompleteSignatureException',
  },
  {
    name: 'no X-Amz-Date',
    request: get('/certificates', { dropHeaders: ['x-amz-date'] }),
    status: 403,
    code: 'IncompleteSignatureException',
  },
  {
    name: 'an unknown access key',
    request: get('/certificates', {
      credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) },
    }),
    status: 403,
    code: 'UnrecognizedClientException',
  },
  {
    name: 'the wrong secret',
    request: get('/certificates', { credentials: { accessKeyId: '{accessKeyId}', secretAccessKey: 'y'.repeat(40) } }),
    status: 403,
    code: 'InvalidSignatureException',
    message: /signature we calculated does not match/,
  },
  {
    name: 'a body changed after signing',
    request: fromCsr('{}', { sendBody: '{ }' }),
    status: 403,
    code: 'InvalidSignatureException',
  },
  {
    name: 'a region not served',
    request: get('/certificates', { region: 'ap-south-1' }),
    status: 403,
    code: 'InvalidSignatureException',
    message: /valid region/,
  },
  {
    name: 'another service',
    request: get('/certificates', { service: 'ec2' }),
    status: 403,
    code: 'InvalidSignatureException',
    message: /correct service/,
  },
  {
    name: 'a signature an hour old',
    request: get('/certificates', { signingDate: new Date(Date.now() - 3_600_000) }),
    status: 403,
    code: 'InvalidSignatureException',
    message: /Signature expired/,
  },
  {
    name: 'a session token',
    request: get('/certificates', { headers: { 'x-amz-security-token': 'token' } }),
    status: 403,
    code: 'UnrecognizedClientException',
  },
  {
    name: 'X-Amz-Date twice',
    request: get('/certificates', { unsignedHeaders: [['X-Amz-Date', '20200101T000000Z']] }),
    status: 403,
    code: 'IncompleteSignatureException',
  },
  // Malformed HTTP, answered before any request exists.
  {
    name: 'a request line that is not HTTP',
    raw: 'GARBAGE\r\n\r\n',
    status: 400,
    code: SER,
    message: /not valid HTTP/,
  },
  { name: 'an unknown method', raw: 'BREW /certificates HTTP/1.1\r\nHost: x\r\n\r\n', status: 400, code: SER },
  {
    name: 'a header without a colon',
    raw: 'GET /certificates HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n',
    status: 400,
    code: SER,
  },
  {
    name: 'a space in a header name',
    raw: 'GET /certificates HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n',
    status: 400,
    code: SER,
  },
  {
    name: 'two different Content-Lengths',
    raw: 'POST /certificates HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    status: 400,
    code: SER,
  },
  {
    name: 'Content-Length and chunked together',
    raw: 'POST /certificates HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: 400,
    code: SER,
  },
  {
    name: 'a negative Content-Length',
    raw: 'POST /certificates HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    status: 400,
    code: SER,
  },
  {
    name: 'a malformed chunk size',
    raw: 'POST /certificates HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    status: 400,
    code: SER,
  },
  {
    name: 'headers of 20 KB',
    raw: `GET /certificates HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    status: 431,
    code: 'RequestHeaderFieldsTooLargeException',
  },
  { name: 'a space in the target', raw: 'GET /certificates /x HTTP/1.1\r\nHost: x\r\n\r\n', status: 400, code: SER },
  { name: 'HTTP/2 preface on HTTP/1.1', raw: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', status: 400, code: SER },
  {
    name: 'an expectation other than 100-continue',
    raw: 'GET /certificates HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n',
    status: 417,
    code: 'ExpectationFailedException',
  },
  { name: 'HTTP/1.1 without Host', raw: 'GET /certificates HTTP/1.1\r\n\r\n', status: 400, code: SER, message: /Host/ },
];

describe('bad input, table-driven', () => {
  let server: TestServer;
  let csr: string;
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startTestServer({ regions: ['us-east-1', 'eu-west-1'] });
    csr = await readFile(await makeEcCsr(server.home, 'bad-input'), 'utf8');
    for (const [name, status] of [
      ['active', 'ACTIVE'],
      ['revoked', 'REVOKED'],
    ]) {
      const created = await send(server, {
        method: 'POST',
        path: '/certificates',
        body: JSON.stringify({ certificateSigningRequest: csr }),
        headers: json,
      });
      assert.equal(created.status, 200, created.body);
      const id = (created.json as { certificateId: string }).certificateId;
      const updated = await send(server, update(id, { newStatus: status as string }));
      assert.equal(updated.status, 200, updated.body);
      ids[name as string] = id;
    }
  });
  after(() => server.close());

  test('the table has at least 100 cases, each with a distinct name', () => {
    assert.ok(CASES.length >= 100, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  const fill = (text: string) =>
    text
      .replace('{active}', ids.active ?? '')
      .replace('{revoked}', ids.revoked ?? '')
      .replace('{csr}', JSON.stringify(csr).slice(1, -1))
      .replace('{accessKeyId}', server.credentials.accessKeyId);

  for (const c of CASES) {
    test(`${c.status} ${c.code}: ${c.name}`, async () => {
      let status: number;
      let errorType: string | undefined;
      let requestId: string | undefined;
      let body: string;
      if (c.raw !== undefined) {
        const reply = await rawExchange(server.port, [c.raw], 3_000);
        ({ status, body } = reply);
        errorType = reply.headers['x-amzn-errortype'];
        requestId = reply.headers['x-amzn-requestid'];
      } else {
        const request = c.request as SendOptions;
        const filled: SendOptions = {
          ...request,
          path: fill(request.path),
          body: typeof request.body === 'string' ? fill(request.body) : request.body,
          credentials: request.credentials && {
            accessKeyId: fill(request.credentials.accessKeyId),
            secretAccessKey: request.credentials.secretAccessKey,
          },
        };
        const reply = await send(server, filled);
        ({ status, body } = reply);
        errorType = reply.headers['x-amzn-errortype'] as string | undefined;
        requestId = reply.headers['x-amzn-requestid'] as string | undefined;
      }
      assert.ok(status >= 400 && status < 500, `a 4xx, got ${status}: ${body}`);
      assert.equal(status, c.status, body);
      assert.equal(errorType, c.code, body);
      assert.match(requestId ?? '', REQUEST_ID);
      const parsed = JSON.parse(body) as { message?: unknown };
      assert.equal(typeof parsed.message, 'string');
      assert.ok((parsed.message as string).length > 0);
      if (c.message) assert.match(parsed.message as string, c.message);
    });
  }

  test('400 SerializationException, not a wait for the request deadline, for a body cut short by the end of input', async () => {
    // Expect: 100-continue shows when the handler is reading the body; only then does the client end its side.
    const answer = await settled(
      'an answer to a half-closed request',
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: server.port });
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !socket.writableEnded) socket.end('{}');
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        socket.write('POST /certificates HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n');
      }),
    );
    const final = answer.replace('HTTP/1.1 100 Continue\r\n\r\n', '');
    assert.match(final, /^HTTP\/1\.1 400 /);
    assert.match(final, /x-amzn-ErrorType: SerializationException/i);
  });

  test('afterwards the server is healthy and logged no 5xx and no internal failure', async () => {
    const health = await send(server, { method: 'GET', path: '/_fleetca/health', sign: false });
    assert.equal(health.status, 200);
    const records = logRecords(server);
    assert.ok(records.every((r) => typeof r.status !== 'number' || r.status < 500));
    assert.ok(records.every((r) => r.level !== 'error'));
  });
});
