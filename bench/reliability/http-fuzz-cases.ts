/**
 * The HTTP fuzzer's inputs. Case `i` of a seed is always the same bytes: a route of the model (or none), its
 * labels, query and body filled from the members' shapes, then one family of mutation applied hard — path,
 * query, body, headers, signature or the framing itself — and, often, a real SigV4 signature over the result so
 * that the mutation reaches the decoder and the operations rather than stopping at authentication.
 */

import type { Member, OperationModel, Shape } from '../../src/model/shapes.js';
import { restRoute, wireName } from '../../src/model/shapes.js';
import { IOT_MODELS } from '../../src/operations/iot-models.js';
import type { Credentials } from '../sigv4-client.js';
import type { Prng } from './prng.js';
import { baseDraft, type Draft, encodeRfc3986, serialize, setHeader, sign } from './signed-request.js';

export const FAMILIES = ['path', 'query', 'body', 'headers', 'signature', 'framing'] as const;
export type Family = (typeof FAMILIES)[number];

/** What the fuzzer knows of the server under test: values that reach real records. */
export interface FuzzContext {
  /** `127.0.0.1:port` */
  readonly host: string;
  readonly credentials: Credentials;
  readonly certificateIds: readonly string[];
  readonly thingNames: readonly string[];
  readonly certificatePem: string;
  readonly csrPem: string;
}

export interface FuzzCase {
  readonly index: number;
  readonly family: Family;
  readonly summary: string;
  readonly bytes: Buffer;
  readonly head: boolean;
  /** Send on a connection of its own (the bytes may leave a shared connection in an unknown state). */
  readonly fresh: boolean;
  readonly halfClose: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get'];
const STRANGE_TEXT = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '%',
  '%zz',
  '%00',
  '\u0000',
  '\u0007\u001b',
  '☃😀',
  '\ud800',
  'a/b',
  'a?b#c',
  'NaN',
  'null',
  'true',
  '-1',
  '1e400',
  '{}',
  '[]',
  "' OR 1=1 --",
  '$(id)',
  '\r\nX-Injected: 1',
];

function randomText(prng: Prng, max = 40): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.';
  let text = '';
  for (let i = prng.int(0, max); i > 0; i--) text += alphabet[prng.int(0, alphabet.length - 1)];
  return text;
}

function hex(prng: Prng, length: number): string {
  return prng
    .bytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

/** A string for a member: often one that reaches a real record, sometimes anything at all. */
function stringFor(name: string, shape: Shape & { type: 'string' }, prng: Prng, ctx: FuzzContext): string {
  const roll = prng.next();
  if (roll < 0.15) return prng.pick(STRANGE_TEXT);
  if (roll < 0.2) return 'x'.repeat(prng.pick([64, 65, 129, 2049, 10_000, 70_000]));
  if (shape.enum && roll < 0.7) return prng.pick(shape.enum);
  const lower = name.toLowerCase();
  if (lower.includes('certificateid') || lower === 'principal' || lower.includes('marker')) {
    if (prng.chance(0.6)) return prng.pick(ctx.certificateIds);
    return prng.chance(0.5) ? hex(prng, 64) : hex(prng, prng.int(0, 80));
  }
  if (lower.includes('thingname')) return prng.chance(0.6) ? prng.pick(ctx.thingNames) : randomText(prng, 140);
  if (lower.includes('pem') || lower.includes('certificate')) {
    const pem = prng.chance(0.5) ? ctx.certificatePem : ctx.csrPem;
    if (prng.chance(0.5)) return pem;
    const cut = prng.int(0, pem.length);
    return `${pem.slice(0, cut)}${prng.bytes(prng.int(0, 8)).toString('latin1')}${pem.slice(cut + prng.int(0, 8))}`;
  }
  if (lower.includes('csr') || lower.includes('signingrequest'))
    return prng.chance(0.6) ? ctx.csrPem : randomText(prng);
  return randomText(prng);
}

/** Any JSON value at all, nested up to `depth`. */
function anyJson(prng: Prng, depth: number): unknown {
  switch (prng.int(0, depth > 0 ? 7 : 5)) {
    case 0:
      return null;
    case 1:
      return prng.chance(0.5);
    case 2:
      return prng.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -0, 1e300]);
    case 3:
      return prng.pick(STRANGE_TEXT);
    case 4:
      return randomText(prng);
    case 5:
      return '';
    case 6:
      return Array.from({ length: prng.int(0, 4) }, () => anyJson(prng, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: prng.int(0, 4) }, () => [randomText(prng, 8), anyJson(prng, depth - 1)]),
      );
  }
}

/** A value for a member's shape: mostly of the right type, sometimes of any other. */
function valueFor(name: string, shape: Shape, prng: Prng, ctx: FuzzContext, depth = 3): unknown {
  if (prng.chance(0.12)) return anyJson(prng, 2);
  switch (shape.type) {
    case 'string':
      return stringFor(name, shape, prng, ctx);
    case 'integer':
      return prng.chance(0.7)
        ? prng.int(shape.min ?? 0, Math.min(shape.max ?? 1000, 1000))
        : prng.pick([-1, 0, 251, 2 ** 31, 1.5]);
    case 'boolean':
      return prng.chance(0.5);
    case 'timestamp':
      return prng.chance(0.5) ? Math.floor(Date.now() / 1000) : prng.pick(['2024-01-01T00:00:00Z', -1, 1e20, 'soon']);
    case 'list':
      return depth <= 0
        ? []
        : Array.from({ length: prng.int(0, 4) }, () => valueFor(name, shape.member, prng, ctx, depth - 1));
    case 'map':
      return Object.fromEntries(
        Array.from({ length: prng.int(0, 4) }, () => [
          prng.chance(0.8) ? randomText(prng, 12) : prng.pick(STRANGE_TEXT),
          valueFor(name, shape.value, prng, ctx, depth - 1),
        ]),
      );
    case 'structure':
      return depth <= 0 ? {} : bodyObject(shape.members, prng, ctx, depth - 1);
  }
}

/** Text form of a value, for a URI label, a query string or a header. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function bodyObject(members: Readonly<Record<string, Member>>, prng: Prng, ctx: FuzzContext, depth: number) {
  const body: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(members)) {
    if (m.location || !prng.chance(0.7)) continue;
    body[wireName(name, m)] = valueFor(name, m.shape, prng, ctx, depth);
  }
  if (prng.chance(0.1)) body[randomText(prng, 10)] = anyJson(prng, 2);
  return body;
}

/** Label values, query pairs and header members from the operation's input shape. */
function fromRoute(op: OperationModel, prng: Prng, ctx: FuzzContext): Draft {
  const [template = '', fixedQuery = ''] = restRoute(op).requestUri.split('?');
  const members = op.input.members;
  const path = template.replace(/\{([^}+]+)\+?\}/g, (_, label: string) => {
    const entry = Object.entries(members).find(([name, m]) => m.location === 'uri' && wireName(name, m) === label);
    const value = entry ? textOf(valueFor(entry[0], entry[1].shape, prng, ctx)) : randomText(prng);
    return encodeRfc3986(value);
  });
  const bodyMembers = Object.values(members).some((m) => !m.location);
  const draft = baseDraft(
    restRoute(op).method,
    path,
    ctx.host,
    bodyMembers ? bodyObject(members, prng, ctx, 3) : undefined,
  );
  for (const pair of fixedQuery.split('&').filter(Boolean)) {
    const [name = '', value = ''] = pair.split('=');
    draft.query.push([name, value]);
  }
  for (const [name, m] of Object.entries(members)) {
    if (!prng.chance(0.5)) continue;
    const value = textOf(valueFor(name, m.shape, prng, ctx));
    if (m.location === 'querystring') draft.query.push([wireName(name, m), value]);
    if (m.location === 'header') draft.headers.push([wireName(name, m), Buffer.from(value).toString('latin1')]);
  }
  return draft;
}

function setBody(draft: Draft, body: Buffer): void {
  draft.body = body;
  setHeader(draft, 'Content-Length', String(body.length));
}

function mutatePath(draft: Draft, prng: Prng): string {
  const segments = draft.path.split('/');
  switch (prng.int(0, 11)) {
    case 0:
      draft.path = segments.slice(0, -1).join('/') || '/';
      return 'segment dropped';
    case 1:
      draft.path = `${draft.path}/${encodeRfc3986(randomText(prng, 20))}`;
      return 'segment added';
    case 2:
      draft.path = `${draft.path}/`;
      return 'trailing slash';
    case 3:
      draft.path = draft.path.replaceAll('/', '//');
      return 'double slashes';
    case 4:
      draft.path = draft.path.toUpperCase();
      return 'upper case';
    case 5:
      draft.path = `${draft.path}/..%2F..%2F${prng.pick(['%2e%2e', '..', '%00', '%2F'])}`;
      return 'dot segments';
    case 6:
      draft.path = `/${'a'.repeat(prng.pick([1000, 8000, 20_000]))}`;
      return 'long path';
    case 7:
      draft.path = `${draft.path}${prng.pick(['%', '%G1', '%c3%28', '%ff%fe', '%e2%82', '%ED%A0%80'])}`;
      return 'bad percent-encoding';
    case 8:
      draft.path = Buffer.from(`${draft.path}/☃é`).toString('latin1');
      return 'raw UTF-8 in path';
    case 9:
      draft.path = prng.pick(['*', `http://${draft.headers[0]?.[1]}${draft.path}`, '', 'certificates', '/%2F%2F']);
      return 'odd request target';
    case 10:
      draft.path = prng.pick([
        '/',
        '/_fleetca',
        '/_fleetca/metrics',
        '/health/live',
        '/health/ready',
        '/_fleetca/health',
      ]);
      return 'other endpoints';
    default:
      draft.path = `/${randomText(prng, 30)}/${encodeRfc3986(prng.pick(STRANGE_TEXT))}`;
      return 'unknown path';
  }
}

function mutateQuery(draft: Draft, prng: Prng): string {
  switch (prng.int(0, 7)) {
    case 0:
      draft.query.push([randomText(prng, 10), randomText(prng)]);
      return 'unknown parameter';
    case 1: {
      const first = draft.query[0];
      draft.query.push(first ? [first[0], prng.pick(STRANGE_TEXT)] : ['pageSize', '5']);
      return 'repeated parameter';
    }
    case 2:
      draft.query = draft.query.map(([name]) => [name, prng.pick(STRANGE_TEXT)]);
      return 'strange values';
    case 3:
      draft.rawQuery = prng.pick(['=', '&&&', 'a', 'a=%zz', '%=%', 'pageSize=%00', 'x=%ff%fe', '?=?', 'a=b=c', ';a=1']);
      return 'malformed query';
    case 4:
      draft.query.push(['marker', 'x'.repeat(prng.pick([100, 5000, 12_000]))]);
      return 'huge value';
    case 5:
      draft.query.push(['pageSize', prng.pick(['0', '-1', '251', '1.5', '1e3', '0x10', ' 5', '99999999999999999999'])]);
      return 'bad page size';
    case 6:
      draft.query.push(['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Signature', hex(prng, 64)]);
      return 'presigned parameters';
    default:
      draft.rawQuery = Array.from({ length: prng.int(100, 3000) }, (_, i) => `p${i}=${i}`).join('&');
      return 'many parameters';
  }
}

function nested(depth: number, open: string, close: string, inner = ''): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

function mutateBody(draft: Draft, prng: Prng, ctx: FuzzContext): string {
  const text = draft.body.toString('utf8') || '{}';
  switch (prng.int(0, 11)) {
    case 0:
      setBody(draft, Buffer.from(text.slice(0, prng.int(0, text.length - 1))));
      return 'truncated JSON';
    case 1:
      setBody(draft, Buffer.from(JSON.stringify(anyJson(prng, 4))));
      return 'any JSON value';
    case 2: {
      const depth = prng.pick([100, 1000, 10_000, 100_000]);
      setBody(
        draft,
        Buffer.from(prng.chance(0.5) ? nested(depth, '[', ']') : `{"a":${nested(depth, '{"a":', '}', '1')}}`),
      );
      return `nesting ${depth}`;
    }
    case 3:
      setBody(
        draft,
        Buffer.from(
          JSON.stringify({ certificateSigningRequest: 'x'.repeat(prng.pick([200_000, 262_144, 300_000, 1_100_000])) }),
        ),
      );
      return 'huge body';
    case 4:
      setBody(draft, prng.bytes(prng.int(1, 2000)));
      return 'random bytes';
    case 5:
      setBody(draft, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
      return 'byte order mark';
    case 6:
      setBody(draft, Buffer.from(text.replace(/"([^"]*)"/, '"\\ud800\\u0000$1"')));
      return 'escapes in strings';
    case 7:
      setBody(draft, Buffer.from(`{"a":1,"a":2,${text.slice(1)}`));
      return 'duplicate keys';
    case 8:
      setBody(
        draft,
        Buffer.concat([Buffer.from('{"certificatePem":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
      );
      return 'invalid UTF-8';
    case 9:
      setBody(
        draft,
        Buffer.from(
          JSON.stringify({ certificateSigningRequest: ctx.csrPem, setAsActive: prng.pick([1, 'true', null]) }),
        ),
      );
      return 'wrong types';
    case 10:
      setBody(draft, Buffer.from(prng.pick(['', 'null', '[]', '"text"', '1e400', 'NaN', '{', '}'])));
      return 'degenerate JSON';
    default:
      setHeader(
        draft,
        'Content-Type',
        prng.pick([
          'text/plain',
          'application/x-amz-json-1.1',
          '',
          'application/json; charset=latin1',
          'multipart/form-data; boundary=x',
        ]),
      );
      return 'content type';
  }
}

/** Mutations after signing: headers and framing that a well-behaved client never produces. */
function mutateHeaders(draft: Draft, prng: Prng): { summary: string; halfClose?: boolean } {
  switch (prng.int(0, 13)) {
    case 0:
      draft.headers.push(['X-Huge', 'h'.repeat(prng.pick([8000, 17_000, 40_000]))]);
      return { summary: 'huge header' };
    case 1:
      for (let i = prng.int(100, 3000); i > 0; i--) draft.headers.push([`X-Many-${i}`, String(i)]);
      return { summary: 'many headers' };
    case 2: {
      const name = prng.pick(['Host', 'Content-Type', 'Authorization', 'X-Amz-Date', 'Content-Length']);
      const existing = draft.headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
      draft.headers.push([name, existing && prng.chance(0.5) ? existing[1] : randomText(prng)]);
      return { summary: `duplicate ${name}` };
    }
    case 3:
      draft.headers.push([
        'X-Bytes',
        prng
          .bytes(prng.int(1, 60))
          .toString('latin1')
          .replace(/[\r\n]/g, ''),
      ]);
      return { summary: 'bad bytes in a header value' };
    case 4:
      draft.headers.push([prng.pick(['Bad Name', 'Bad:Name', '', 'Ümlaut', 'X\u0000']), 'v']);
      return { summary: 'bad header name' };
    case 5:
      draft.headers.push(['X-Folded', 'first']);
      draft.headers.push([' continued', 'line']);
      return { summary: 'obsolete line folding' };
    case 6: {
      const declared = draft.body.length + prng.pick([1, 10, 1000]);
      setHeader(draft, 'Content-Length', String(declared));
      return { summary: 'Content-Length longer than the body', halfClose: true };
    }
    case 7:
      setHeader(draft, 'Content-Length', String(Math.max(0, draft.body.length - prng.int(1, 20))));
      return { summary: 'Content-Length shorter than the body' };
    case 8:
      setHeader(
        draft,
        'Content-Length',
        prng.pick(['abc', '-1', '1e3', ' 5 ', '0x10', '99999999999999999999', '5, 6']),
      );
      // Some of these parse as a length the body does not reach: the end of input settles them.
      return { summary: 'Content-Length not a number', halfClose: true };
    case 9: {
      const chunked = chunkedBody(draft.body, prng);
      draft.headers = draft.headers.filter(([n]) => n.toLowerCase() !== 'content-length' || prng.chance(0.2));
      draft.headers.push([
        'Transfer-Encoding',
        prng.pick(['chunked', 'chunked', 'gzip, chunked', 'chunked, identity', 'Chunked']),
      ]);
      draft.body = chunked.bytes;
      return { summary: `chunked: ${chunked.oddity}`, halfClose: chunked.halfClose };
    }
    case 10:
      draft.headers.push(['Expect', prng.pick(['100-continue', '100-continue', '200-ok', 'x', ''])]);
      return { summary: 'Expect' };
    case 11:
      draft.headers = draft.headers.filter(([n]) => n.toLowerCase() !== 'host');
      return { summary: 'no Host' };
    case 12:
      draft.headers.push(
        ['Connection', prng.pick(['close', 'upgrade', 'keep-alive, Upgrade'])],
        ['Upgrade', 'websocket'],
      );
      return { summary: 'Connection / Upgrade' };
    default:
      draft.headers.push(['Content-Encoding', prng.pick(['gzip', 'br', 'deflate', 'identity', 'x'])]);
      return { summary: 'Content-Encoding' };
  }
}

function chunkedBody(body: Buffer, prng: Prng): { bytes: Buffer; oddity: string; halfClose: boolean } {
  const hexSize = (n: number) => n.toString(16);
  switch (prng.int(0, 6)) {
    case 0:
      return {
        bytes: Buffer.concat([Buffer.from(`${hexSize(body.length)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]),
        oddity: 'well-formed',
        halfClose: false,
      };
    case 1:
      return { bytes: Buffer.from('zz\r\nabc\r\n0\r\n\r\n'), oddity: 'bad size', halfClose: false };
    case 2:
      return {
        bytes: Buffer.concat([Buffer.from(`${hexSize(body.length + 5)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]),
        oddity: 'size larger than chunk',
        halfClose: true,
      };
    case 3:
      return {
        bytes: Buffer.concat([Buffer.from(`${hexSize(body.length)}\r\n`), body, Buffer.from('\r\n')]),
        oddity: 'no last chunk',
        halfClose: true,
      };
    case 4:
      return {
        bytes: Buffer.concat([
          Buffer.from(`${hexSize(body.length)};ext=1;x="y"\r\n`),
          body,
          Buffer.from('\r\n0\r\nX-Trailer: t\r\n\r\n'),
        ]),
        oddity: 'extensions and trailer',
        halfClose: false,
      };
    case 5:
      return { bytes: Buffer.from('fffffffffffffffff\r\nabc\r\n'), oddity: 'size overflow', halfClose: true };
    default:
      return {
        bytes: Buffer.concat([
          ...Array.from({ length: body.length }, (_, i) =>
            Buffer.from(`1\r\n${String.fromCharCode(body[i] ?? 32)}\r\n`),
          ),
          Buffer.from('0\r\n\r\n'),
        ]),
        oddity: 'one-byte chunks',
        halfClose: false,
      };
  }
}

function mutateAuthorization(draft: Draft, prng: Prng): string {
  const auth = draft.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1] ?? '';
  switch (prng.int(0, 9)) {
    case 0:
      setHeader(draft, 'Authorization', auth.slice(0, prng.int(0, auth.length)));
      return 'truncated Authorization';
    case 1:
      setHeader(
        draft,
        'Authorization',
        auth.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`),
      );
      return 'one signature digit changed';
    case 2:
      setHeader(draft, 'Authorization', auth.replace(/SignedHeaders=[^,]*,?/, ''));
      return 'no SignedHeaders';
    case 3:
      setHeader(draft, 'Authorization', auth.replace('/iot/', `/${prng.pick(['s3', 'execute-api', '', 'IOT'])}/`));
      return 'other service in scope';
    case 4:
      setHeader(
        draft,
        'Authorization',
        auth.replace(/\/\d{8}\//, `/${prng.pick(['20000101', '99999999', 'yyyymmdd', ''])}/`),
      );
      return 'other date in scope';
    case 5:
      setHeader(draft, 'Authorization', auth.replaceAll(', ', prng.pick([',', ',,', ' , ', ';'])));
      return 'separators changed';
    case 6:
      setHeader(
        draft,
        'Authorization',
        prng.pick(['AWS4-HMAC-SHA512 x', 'Basic dXNlcjpwYXNz', 'Bearer x', 'AWS4-HMAC-SHA256', '', auth.toLowerCase()]),
      );
      return 'other scheme';
    case 7:
      setHeader(
        draft,
        'X-Amz-Date',
        prng.pick(['', 'yesterday', '20240101T000000Z', '99991231T235959Z', '2024-01-01T00:00:00Z']),
      );
      return 'X-Amz-Date changed';
    case 8:
      draft.headers = draft.headers.filter(([n]) => n.toLowerCase() !== 'x-amz-date');
      return 'no X-Amz-Date';
    default:
      setHeader(draft, 'Authorization', `${auth}, Credential=${randomText(prng)}`);
      return 'repeated Credential';
  }
}

/** Request-line and framing damage: these often end the connection. */
function mutateFraming(draft: Draft, prng: Prng): Buffer | string {
  switch (prng.int(0, 8)) {
    case 0:
      draft.method = prng.pick([...METHODS, 'G E T', 'GET\u0000', '', 'X'.repeat(100)]);
      return 'method';
    case 1:
      draft.version = prng.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 extra', 'HTTPS/1.1', '', 'HTTP/1.10']);
      return 'version';
    case 2:
      draft.eol = '\n';
      return 'bare LF';
    case 3:
      draft.path = `${draft.path}${' '.repeat(prng.int(1, 3))}`;
      return 'extra spaces in the request line';
    case 4:
      draft.path = `/${'p'.repeat(prng.pick([17_000, 70_000]))}`;
      return 'huge request line';
    case 5:
      return prng.bytes(prng.int(1, 4000));
    case 6:
      return Buffer.concat([
        serialize(draft),
        serialize(draft),
        Buffer.from(prng.chance(0.5) ? 'GET / HTTP/1.1\r\n' : ''),
      ]);
    case 7:
      return Buffer.from(
        `GET /certificates HTTP/1.1\r\nHost: ${draft.headers[0]?.[1] ?? ''}\r\n${'X: y\r\n'.repeat(prng.int(0, 3))}`,
      );
    default:
      return Buffer.from(
        prng.pick(['\r\n\r\n', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', '\u0016\u0003\u0001\u0000\u00a5\u0001', ' ']),
      );
  }
}

/** Signs as case `signing` says (0 valid, 1 skewed, 2 wrong secret, 3 other region, 4 then damaged, 5 not at all). */
async function signAsChosen(draft: Draft, signing: number, prng: Prng, ctx: FuzzContext): Promise<string> {
  if (signing === 0) {
    await sign(draft, ctx.host, { credentials: ctx.credentials });
    return '';
  }
  if (signing === 1) {
    const skewMinutes = prng.pick([-60 * 24, -16, -14, 14, 16, 60 * 24 * 365]);
    await sign(draft, ctx.host, { credentials: ctx.credentials, date: new Date(Date.now() + skewMinutes * 60_000) });
    return `: signed ${skewMinutes} min off`;
  }
  if (signing === 2) {
    await sign(draft, ctx.host, {
      credentials: {
        accessKeyId: prng.chance(0.5) ? ctx.credentials.accessKeyId : `AKIA${hex(prng, 16).toUpperCase()}`,
        secretAccessKey: randomText(prng),
      },
    });
    return ': signed with another secret or key';
  }
  if (signing === 3) {
    await sign(draft, ctx.host, {
      credentials: ctx.credentials,
      region: prng.pick(['eu-west-1', '', 'us-east-1\u0000', 'x'.repeat(200)]),
    });
    return ': signed for another region';
  }
  if (signing === 4) {
    await sign(draft, ctx.host, { credentials: ctx.credentials });
    if (prng.chance(0.5)) return `: ${mutateAuthorization(draft, prng)}`;
    else {
      // Valid signature, then the request changed under it.
      const change = prng.int(0, 3);
      if (change === 0) draft.path = `${draft.path}x`;
      if (change === 1) draft.query.push(['extra', '1']);
      if (change === 2) setBody(draft, Buffer.concat([draft.body, Buffer.from(' ')]));
      if (change === 3) setHeader(draft, 'Host', `${ctx.host}0`);
      return ': changed after signing';
    }
  }
  if (signing === 5) return ': unsigned';
  return '';
}

/** Case `index`: a reproducible request, and how to send it. */
export async function makeCase(index: number, prng: Prng, ctx: FuzzContext): Promise<FuzzCase> {
  const family = prng.pick(FAMILIES);
  const op = prng.chance(0.95) ? prng.pick(IOT_MODELS) : undefined;
  const draft = op ? fromRoute(op, prng, ctx) : baseDraft(prng.pick(METHODS), `/${randomText(prng, 20)}`, ctx.host);
  if (prng.chance(0.05)) draft.method = prng.pick(METHODS);
  let summary = `${op?.name ?? 'no route'}`;
  let fresh = prng.chance(0.05);
  let halfClose = false;
  let raw: Buffer | undefined;

  // Mutations the signature covers (the server must decode them after authenticating).
  if (family === 'path') summary += `: ${mutatePath(draft, prng)}`;
  if (family === 'query') summary += `: ${mutateQuery(draft, prng)}`;
  if (family === 'body') summary += `: ${mutateBody(draft, prng, ctx)}`;
  if (family === 'path' && /[^\x21-\x7e]/.test(draft.path)) fresh = true;

  const signing = family === 'signature' ? prng.int(0, 4) : prng.chance(0.85) ? 0 : 5;
  try {
    summary += await signAsChosen(draft, signing, prng, ctx);
  } catch {
    // The signer refused this draft (a path it cannot canonicalise): it goes out unsigned.
    summary += ': unsignable';
  }

  if (family === 'headers') {
    const changed = mutateHeaders(draft, prng);
    summary += `: ${changed.summary}`;
    halfClose = changed.halfClose ?? false;
    fresh = true;
  }
  if (family === 'framing') {
    const changed = mutateFraming(draft, prng);
    if (typeof changed === 'string') summary += `: ${changed}`;
    else {
      raw = changed;
      summary += ': raw bytes';
    }
    fresh = true;
    // Damaged framing often leaves the request unfinished: the end of input makes the server decide now, rather
    // than at its header or request deadline (10 s, 30 s: slow clients are a test of their own).
    halfClose = true;
  }
  return {
    index,
    family,
    summary,
    bytes: raw ?? serialize(draft),
    head: draft.method === 'HEAD',
    fresh,
    halfClose,
  };
}
