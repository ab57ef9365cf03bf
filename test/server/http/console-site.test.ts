import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ServiceError } from '../../../src/errors.js';
import { IOT_MODELS } from '../../../src/operations/iot-models.js';
import { readConsoleBuild } from '../../../src/server/http/console/console-build.js';
import {
  CONSOLE_CSP,
  CONSOLE_SECURITY_HEADERS,
  ConsoleSite,
  consoleConfig,
} from '../../../src/server/http/console/console-site.js';
import { listen, type RunningHttpServer } from '../../../src/server/http/http-server.js';
import { createRestHandler, type RequestObservation } from '../../../src/server/http/request-handler.js';
import { createLogger } from '../../../src/server/logging/logger.js';
import { APP_CSS, APP_JS, type BytesReply, fetchBytes, INDEX_HTML, makeFakeConsole } from './console-support.js';
import { rawExchange } from './http-support.js';

const EXACT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Door {
  readonly url: string;
  readonly port: number;
  readonly logs: Record<string, unknown>[];
  readonly observed: RequestObservation[];
  close(): Promise<void>;
}

/** The real REST handler and server on port 0, with `site` as its console (none: --no-console). */
async function startDoor(site: ConsoleSite | undefined): Promise<Door> {
  const logs: Record<string, unknown>[] = [];
  const observed: RequestObservation[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const handler = createRestHandler({
    operations: IOT_MODELS,
    authenticator: {
      authenticate: async () => {
        throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      },
    },
    logger,
    context: () => {
      throw new Error('no operation runs in these tests');
    },
    observe: (request) => observed.push(request),
    console: site,
  });
  const running: RunningHttpServer = await listen({ handler, logger }, '127.0.0.1', 0);
  return { url: running.url, port: running.address.port, logs, observed, close: () => running.close(1_000) };
}

function assertSecurityHeaders(reply: BytesReply): void {
  for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) {
    assert.equal(reply.headers[name.toLowerCase()], value, name);
  }
  assert.equal(reply.headers['content-security-policy'], EXACT_CSP);
  assert.equal(reply.headers['x-content-type-options'], 'nosniff');
}

function assertPlain(reply: BytesReply, status: number): void {
  assert.equal(reply.status, status, reply.body.toString());
  assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
  assertSecurityHeaders(reply);
}

describe('the web console under /console on the REST door', () => {
  let door: Door;

  before(async () => {
    const build = await readConsoleBuild(await makeFakeConsole());
    door = await startDoor(new ConsoleSite(build, consoleConfig(['eu-west-1', 'us-east-1'], 'us-east-1')));
  });
  after(() => door.close());

  test('the contract states the CSP exactly as the console expects it', () => {
    assert.equal(CONSOLE_CSP, EXACT_CSP);
  });

  test('GET /console redirects to /console/ (permanently), query or not', async () => {
    for (const path of ['/console', '/console?x=1']) {
      const reply = await fetchBytes(door.url, path);
      assertPlain(reply, 301);
      assert.equal(reply.headers.location, '/console/');
    }
  });

  test('/console/ and /console/index.html: index.html, revalidated on every use', async () => {
    for (const path of ['/console/', '/console/index.html', '/console/?v=2']) {
      const reply = await fetchBytes(door.url, path);
      assert.equal(reply.status, 200, path);
      assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(reply.headers['cache-control'], 'no-cache');
      assert.equal(reply.headers['content-length'], String(Buffer.byteLength(INDEX_HTML)));
      assert.match(String(reply.headers.etag), /^"[A-Za-z0-9_-]{32}"$/, 'a strong ETag');
      assert.equal(reply.headers['content-encoding'], undefined);
      assert.equal(reply.body.toString(), INDEX_HTML);
      assertSecurityHeaders(reply);
    }
  });

  test('hashed assets are immutable for a year, each with its type', async () => {
    const js = await fetchBytes(door.url, '/console/assets/app-abc123.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.body.toString(), APP_JS);
    assertSecurityHeaders(js);
    const css = await fetchBytes(door.url, '/console/assets/app.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(css.body.toString(), APP_CSS);
    // Too small to compress: one representation, nothing varies.
    assert.equal(css.headers.vary, undefined);
  });

  test("config.json is the server's (served regions, default region), not the build's", async () => {
    const reply = await fetchBytes(door.url, '/console/config.json');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(reply.headers['cache-control'], 'no-cache');
    assert.deepEqual(JSON.parse(reply.body.toString()), {
      regions: ['eu-west-1', 'us-east-1'],
      defaultRegion: 'us-east-1',
    });
    assertSecurityHeaders(reply);
  });

  test('Accept-Encoding picks brotli or gzip by q, with Vary and an ETag per coding', async () => {
    const path = '/console/assets/app-abc123.js';
    const plain = await fetchBytes(door.url, path);
    const gz = await fetchBytes(door.url, path, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.equal(gz.headers['content-length'], String(gz.body.length));
    assert.ok(gz.body.length < Buffer.byteLength(APP_JS) / 5, 'compressed');
    assert.equal(gunzipSync(gz.body).toString(), APP_JS);
    assert.notEqual(gz.headers.etag, plain.headers.etag);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const br = await fetchBytes(door.url, path, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(br.body).toString(), APP_JS);
    assert.notEqual(br.headers.etag, gz.headers.etag);
    const expected: [string, string | undefined][] = [
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0.4, br;q=0.3', 'gzip'],
      ['GZIP', 'gzip'],
      ['*', 'br'],
      ['*;q=0, gzip', 'gzip'],
      ['gzip;q=0', undefined],
      ['identity', undefined],
      ['deflate', undefined],
      ['gzip;q=nonsense', undefined],
      [',;,;q=', undefined],
      ['', undefined],
    ];
    for (const [accept, coding] of expected) {
      const reply = await fetchBytes(door.url, path, { headers: { 'accept-encoding': accept } });
      assert.equal(reply.status, 200, accept);
      assert.equal(reply.headers['content-encoding'], coding, accept);
    }
    const html = await fetchBytes(door.url, '/console/', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gunzipSync(html.body).toString(), INDEX_HTML);
  });

  test('If-None-Match with the ETag of what would be sent: 304 without a body, headers kept', async () => {
    const path = '/console/assets/app-abc123.js';
    const plain = await fetchBytes(door.url, path);
    const etag = String(plain.headers.etag);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const reply = await fetchBytes(door.url, path, { headers: { 'if-none-match': header } });
      assert.equal(reply.status, 304, header);
      assert.equal(reply.body.length, 0);
      assert.equal(reply.headers.etag, etag);
      assert.equal(reply.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(reply.headers.vary, 'Accept-Encoding');
      assertSecurityHeaders(reply);
    }
    const other = await fetchBytes(door.url, path, { headers: { 'if-none-match': '"not-it"' } });
    assert.equal(other.status, 200);
    // The identity ETag does not vouch for the gzip bytes, and the gzip one does.
    const gzipAsked = { 'accept-encoding': 'gzip' };
    const gz = await fetchBytes(door.url, path, { headers: { ...gzipAsked, 'if-none-match': etag } });
    assert.equal(gz.status, 200);
    const again = await fetchBytes(door.url, path, {
      headers: { ...gzipAsked, 'if-none-match': String(gz.headers.etag) },
    });
    assert.equal(again.status, 304);
    const index = await fetchBytes(door.url, '/console/');
    const revalidated = await fetchBytes(door.url, '/console/', {
      headers: { 'if-none-match': String(index.headers.etag) },
    });
    assert.equal(revalidated.status, 304);
  });

  test('HEAD: the headers of GET, no body', async () => {
    for (const path of ['/console/', '/console/assets/app-abc123.js', '/console/config.json']) {
      const get = await fetchBytes(door.url, path);
      const head = await fetchBytes(door.url, path, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      for (const name of ['content-type', 'content-length', 'etag', 'cache-control', 'content-security-policy']) {
        assert.equal(head.headers[name], get.headers[name], `${path} ${name}`);
      }
    }
    const redirect = await fetchBytes(door.url, '/console', { method: 'HEAD' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.body.length, 0);
    assert.equal((await fetchBytes(door.url, '/console/nope', { method: 'HEAD' })).status, 404);
  });

  test('other methods: 405 with Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/console', '/console/', '/console/assets/app.css', '/console/nope']) {
        const reply = await fetchBytes(door.url, path, { method });
        assertPlain(reply, 405);
        assert.equal(reply.headers.allow, 'GET, HEAD');
      }
    }
  });

  test('anything else under /console/: a plain 404, dot files and links out of the directory included', async () => {
    const paths = [
      '/console/nope.html',
      '/console/assets/',
      '/console/assets',
      '/console/assets/app-abc123.js/',
      '/console/index.html/',
      '/console//index.html',
      '/console/.env',
      '/console/linked.txt',
      '/console/INDEX.HTML',
    ];
    for (const path of paths) {
      const reply = await fetchBytes(door.url, path);
      assertPlain(reply, 404);
      assert.equal(reply.body.toString(), 'No such file in the web console.\n', path);
      assert.equal(reply.headers['cache-control'], 'no-store');
    }
  });

  test('no path leaves the directory: dot segments, encoded dots and separators, NUL, bad escapes', async () => {
    const paths = [
      '/console/../package.json',
      '/console/assets/../../secret.txt',
      '/console/./index.html',
      '/console/%2e%2e/secret.txt',
      '/console/%2E%2E/%2E%2E/package.json',
      '/console/..%2fsecret.txt',
      '/console/%2e%2e%2fsecret.txt',
      '/console/assets%2fapp.css',
      '/console/assets%2Fapp.css',
      '/console/assets%5capp.css',
      '/console/..%5csecret.txt',
      '/console/index.html%00',
      '/console/%00',
      '/console/%00/../index.html',
      '/console/%zz',
      '/console/%',
      '/console/%C0%AE%C0%AE/secret.txt',
      '/console/%ff',
      `/console/${'a/'.repeat(2_000)}x`,
    ];
    for (const path of paths) {
      const reply = await fetchBytes(door.url, path);
      assertPlain(reply, 404);
      assert.ok(!reply.body.toString().includes('not part of the console'), path);
    }
    // An escaped unreserved character names the same file (RFC 3986 §6.2.2.2).
    assert.equal((await fetchBytes(door.url, '/console/assets/app%2Dabc123.js')).status, 200);
  });

  test('bytes no HTTP client sends are refused before the console, never with a 5xx', async () => {
    for (const target of ['/console/\0', '/console/a b', '/console/..\\secret.txt', '/console/\u00ff']) {
      const reply = await rawExchange(door.port, [
        Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1'),
      ]);
      assert.ok(reply.status >= 200 && reply.status < 500, `${JSON.stringify(target)}: ${reply.status}`);
      assert.ok(!reply.text.includes('not part of the console'));
    }
  });

  test('console requests are logged one line each but not counted as API requests', async () => {
    const before = door.observed.length;
    await fetchBytes(door.url, '/console/');
    await fetchBytes(door.url, '/console/logged-once');
    await fetchBytes(door.url, '/console/', { method: 'POST' });
    assert.equal(door.observed.length, before);
    const lines = door.logs.filter((line) => line.path === '/console/logged-once');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.status, 404);
    // Outside /console the REST door is unchanged: the AWS error shape, counted.
    for (const path of ['/consoles', '/Console/', '/x/console/']) {
      const reply = await fetchBytes(door.url, path);
      assert.equal(reply.status, 404);
      assert.equal(reply.headers['x-amzn-errortype'], 'UnknownOperationException');
      assert.equal(reply.headers['content-security-policy'], undefined);
    }
    assert.equal(door.observed.length, before + 3);
  });
});

describe('the web console switched off or not built', () => {
  test('--no-console: /console is the same JSON 404 as any unknown path, and counted like one', async () => {
    const door = await startDoor(undefined);
    try {
      for (const path of ['/console', '/console/', '/console/config.json']) {
        const reply = await fetchBytes(door.url, path);
        assert.equal(reply.status, 404);
        assert.equal(reply.headers['content-type'], 'application/json');
        assert.equal(reply.headers['x-amzn-errortype'], 'UnknownOperationException');
        assert.deepEqual(JSON.parse(reply.body.toString()), { message: `No operation matches GET ${path}` });
      }
      assert.equal(door.observed.length, 3);
    } finally {
      await door.close();
    }
  });

  test('no build: every /console path is a plain 404 that says the console was not built', async () => {
    const build = await readConsoleBuild('/nonexistent/fleetca-console');
    assert.equal(build.built, false);
    const door = await startDoor(new ConsoleSite(build, consoleConfig(undefined, 'us-east-1')));
    try {
      for (const [method, path] of [
        ['GET', '/console'],
        ['GET', '/console/'],
        ['GET', '/console/config.json'],
        ['HEAD', '/console/'],
        ['POST', '/console/'],
      ] as const) {
        const reply = await fetchBytes(door.url, path, { method });
        assertPlain(reply, 404);
        if (method !== 'HEAD') {
          assert.equal(
            reply.body.toString(),
            'The web console was not built into this fleetca (/nonexistent/fleetca-console does not exist).\n',
          );
        }
      }
      assert.equal(door.observed.length, 0);
    } finally {
      await door.close();
    }
  });
});
