import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { ConnectionGuard, type Door, type GuardReason } from '../../../src/server/guard/connection-guard.js';
import { type ConnectionGuardSettings, guardSettings } from '../../../src/server/guard/guard-settings.js';
import { openFileLimit } from '../../../src/server/guard/open-file-limit.js';
import { listen, type RunningHttpServer } from '../../../src/server/http/http-server.js';
import { createLogger } from '../../../src/server/logging/logger.js';
import { eventually, settled } from '../../helpers/eventually.js';
import { TestPki } from '../../helpers/test-pki.js';
import { idleClient } from './connection-guard-support.js';

/** Long enough never to fire during a test that is about limits, not deadlines. */
const NEVER_MS = 600_000;

interface Guarded {
  readonly server: RunningHttpServer;
  readonly port: number;
  readonly closings: Array<[Door, GuardReason]>;
  readonly warnings: string[];
  readonly guard: ConnectionGuard;
  count(reason: GuardReason): number;
  close(): Promise<void>;
}

/** The real REST listener (node:http / node:https) with a real guard and a handler that answers 200. */
async function guardedServer(
  settings: Partial<ConnectionGuardSettings>,
  options: { tls?: { key: string; cert: string }; keepAliveMs?: number; floodQuietMs?: number } = {},
): Promise<Guarded> {
  const closings: Array<[Door, GuardReason]> = [];
  const warnings: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void warnings.push(line) },
  });
  const guard = new ConnectionGuard(
    guardSettings({ handshakeTimeoutMs: NEVER_MS, firstRequestTimeoutMs: NEVER_MS, ...settings }),
    {
      logger,
      observer: (door, reason) => closings.push([door, reason]),
      floodQuietMs: options.floodQuietMs,
      floodSecondCollectionMs: 100,
    },
  );
  const server = await listen(
    {
      handler: (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      },
      logger,
      tls: options.tls,
      timeouts: options.keepAliveMs ? { keepAliveMs: options.keepAliveMs } : undefined,
      guard,
    },
    '127.0.0.1',
    0,
  );
  return {
    server,
    port: server.address.port,
    closings,
    warnings,
    guard,
    count: (reason) => closings.filter(([, r]) => r === reason).length,
    close: async () => {
      guard.stop();
      await server.close(0);
    },
  };
}

/** One GET on its own connection (an agent per call), from `localAddress`; resolves with the status. */
function get(port: number, options: { localAddress?: string; agent?: Agent; tls?: boolean } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', localAddress: options.localAddress, agent: options.agent ?? false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let pkiDir: string;
let tls: { key: string; cert: string };

before(async () => {
  pkiDir = await mkdtemp(join(tmpdir(), 'fleetca-guard-'));
  const issued = new TestPki(pkiDir).ca('localhost', { ca: false });
  tls = { key: await readFile(issued.keyFile, 'utf8'), cert: issued.pem };
});
after(() => rm(pkiDir, { recursive: true, force: true }));

describe('connection guard settings', () => {
  test('the open-file limit is read from /proc/self/limits; unreadable text is a conservative guess', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            20000                20000                files\n';
    assert.deepEqual(openFileLimit(text), { files: 20000, known: true });
    assert.deepEqual(openFileLimit('Max open files            unlimited            unlimited            files'), {
      files: 1_048_576,
      known: true,
    });
    assert.deepEqual(openFileLimit('nothing here'), { files: 1024, known: false });
  });

  test('defaults keep a descriptor reserve and give pending connections a quarter, one address an eighth of that', () => {
    const settings = guardSettings({}, { files: 20_000, known: true });
    assert.deepEqual(settings, {
      handshakeTimeoutMs: 10_000,
      firstRequestTimeoutMs: 10_000,
      maxConnections: 19_000,
      maxPending: 4_750,
      maxPendingPerAddress: 593,
    });
    assert.equal(guardSettings({}, { files: 1024, known: false }).maxConnections, 768);
    // Given values win; derived ones never exceed what they derive from.
    assert.deepEqual(guardSettings({ maxConnections: 10, maxPending: 50 }, { files: 20_000, known: true }), {
      handshakeTimeoutMs: 10_000,
      firstRequestTimeoutMs: 10_000,
      maxConnections: 10,
      maxPending: 10,
      maxPendingPerAddress: 8,
    });
  });
});

describe('connection guard deadlines', () => {
  test('plain REST: a connection that sends no request is destroyed at the first-request deadline', async () => {
    const g = await guardedServer({ firstRequestTimeoutMs: 150 });
    try {
      const idle = idleClient(g.port);
      await settled('the idle connection closed', idle.closed);
      assert.deepEqual(g.closings, [['rest', 'first_request_timeout']]);
      assert.equal(g.guard.stats().open.rest, 0);
      // The warning names what was closed; a client that asks in time is served.
      assert.match(g.warnings.join(''), /"rest:first_request_timeout":1/);
      assert.equal(await get(g.port), 200);
    } finally {
      await g.close();
    }
  });

  test('REST over TLS: no handshake → handshake deadline; handshake but no request → first-request deadline', async () => {
    const g = await guardedServer({ handshakeTimeoutMs: 150, firstRequestTimeoutMs: 300 }, { tls });
    try {
      const noHandshake = idleClient(g.port);
      const noRequest = idleClient(g.port, { tls: {} });
      await noRequest.ready;
      await settled('both closed', Promise.all([noHandshake.closed, noRequest.closed]));
      assert.equal(g.count('handshake_timeout'), 1);
      assert.equal(g.count('first_request_timeout'), 1);
      assert.deepEqual(g.guard.stats().pending, { rest: 0, mqtt: 0 });
    } finally {
      await g.close();
    }
  });

  test('a failed TLS handshake closes the socket at once (not at any deadline)', async () => {
    const g = await guardedServer({}, { tls });
    try {
      const garbage = idleClient(g.port);
      await garbage.ready;
      garbage.socket.write(Buffer.alloc(64, 0x16));
      await settled('the socket closed after its failed handshake', garbage.closed);
      assert.deepEqual(g.closings, [], 'not the guard: the tlsClientError handler');
      await eventually('its count released', () => g.guard.stats().open.rest === 0);
    } finally {
      await g.close();
    }
  });

  test('an idle keep-alive connection is closed by the server after the keep-alive timeout', async () => {
    const g = await guardedServer({ firstRequestTimeoutMs: NEVER_MS }, { keepAliveMs: 200 });
    const client = idleClient(g.port);
    try {
      await client.ready;
      // A raw client that never closes by itself: whatever closes the connection is the server.
      let answer = '';
      client.socket.setEncoding('utf8').on('data', (chunk: string) => {
        answer += chunk;
      });
      client.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      await eventually('answered', () => answer.includes('{"ok":true}'));
      assert.match(answer, /^HTTP\/1\.1 200 /);
      assert.deepEqual(g.guard.stats().pending, { rest: 0, mqtt: 0 }, 'not pending after its request');
      assert.equal(g.guard.stats().open.rest, 1);
      await settled('the server closed the idle keep-alive connection', client.closed);
      await eventually('no connection open', () => g.guard.stats().open.rest === 0);
      assert.deepEqual(g.closings, [], 'Node’s keep-alive timeout, not a guard deadline');
    } finally {
      client.socket.destroy();
      await g.close();
    }
  });

  test('closing the listener destroys its pending connections at once', async () => {
    const g = await guardedServer({}, { tls });
    const idle = idleClient(g.port);
    await idle.ready;
    await eventually('one pending', () => g.guard.stats().pending.rest === 1);
    // Without this the close would wait for the handshake deadline (here ten minutes).
    await settled('the server closed', g.close());
    await settled('the pending connection closed', idle.closed);
  });
});

describe('after a flood', () => {
  test('once the guard has been quiet, full garbage collections run and are logged once', async () => {
    const g = await guardedServer({ firstRequestTimeoutMs: 50 }, { floodQuietMs: 200 });
    try {
      const idle = [0, 1, 2].map(() => idleClient(g.port));
      await settled('the flood closed', Promise.all(idle.map((c) => c.closed)));
      await eventually('the collection logged', () =>
        g.warnings.some((line) => line.includes('connection flood over')),
      );
      const line = JSON.parse(g.warnings.find((l) => l.includes('connection flood over')) as string);
      assert.equal(line.closedDuringFlood, 3);
      assert.equal(line.heapUsedMb.length, 2);
      assert.equal(
        g.warnings.filter((l) => l.includes('connection flood over')).length,
        1,
        'once per flood, not per connection',
      );
      assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'no global gc() appears');
    } finally {
      await g.close();
    }
  });
});

describe('connection guard limits', () => {
  test('a full pending pool evicts its oldest connection; a client that asks promptly is served', async () => {
    const g = await guardedServer({ maxPending: 3 });
    try {
      // From three addresses, so that only the pool's own limit is reached.
      const idle = [2, 3, 4].map((host) => idleClient(g.port, { localAddress: `127.0.0.${host}` }));
      await Promise.all(idle.map((c) => c.ready));
      await eventually('three pending', () => g.guard.stats().pending.rest === 3);
      // The pool is full: the legitimate request's connection pushes out the oldest idle one.
      assert.equal(await get(g.port), 200);
      await settled('the oldest was evicted', idle[0]?.closed as Promise<void>);
      assert.equal(g.count('pending_evicted'), 1);
      assert.ok(!idle[1]?.isClosed() && !idle[2]?.isClosed(), 'the younger idle connections stay');
      for (const c of idle) c.socket.destroy();
    } finally {
      await g.close();
    }
  });

  test('one address over its pending limit evicts its own oldest, not other addresses’ connections', async () => {
    const g = await guardedServer({ maxPendingPerAddress: 2 });
    try {
      const other = idleClient(g.port, { localAddress: '127.0.0.1' });
      const flood = [0, 1, 2].map(() => idleClient(g.port, { localAddress: '127.0.0.2' }));
      await Promise.all([other.ready, ...flood.map((c) => c.ready)]);
      await settled('127.0.0.2’s oldest evicted', flood[0]?.closed as Promise<void>);
      assert.equal(g.count('address_pending_evicted'), 1);
      assert.ok(!other.isClosed(), '127.0.0.1 untouched');
      for (const c of [other, ...flood]) c.socket.destroy();
    } finally {
      await g.close();
    }
  });

  test('established connections have no per-address limit (many devices behind one NAT address)', async () => {
    const g = await guardedServer({ maxPendingPerAddress: 2 }, { keepAliveMs: NEVER_MS });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () => get(g.port, { agent, localAddress: '127.0.0.3' })),
      );
      assert.deepEqual(statuses, Array(8).fill(200));
      assert.equal(g.guard.stats().open.rest, 8);
      assert.deepEqual(g.closings, []);
    } finally {
      agent.destroy();
      await g.close();
    }
  });

  test('at max connections a newcomer evicts a pending one; with none pending it is refused', async () => {
    const g = await guardedServer({ maxConnections: 2, maxPending: 2 }, { keepAliveMs: NEVER_MS });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal(await get(g.port, { agent }), 200); // one established, kept alive
      const idle = idleClient(g.port);
      await idle.ready;
      await eventually('one pending', () => g.guard.stats().pending.rest === 1);
      assert.equal(await get(g.port), 200, 'the newcomer took the idle connection’s place');
      await settled('the pending one was evicted', idle.closed);
      assert.equal(g.count('capacity_evicted'), 1);
      // Now fill both places with established connections: the next connection has nothing to evict.
      const second = new Agent({ keepAlive: true, maxSockets: 1 });
      assert.equal(await get(g.port, { agent: second }), 200);
      const refused = idleClient(g.port);
      await settled('the newcomer refused', refused.closed);
      assert.equal(g.count('capacity_refused'), 1);
      second.destroy();
    } finally {
      agent.destroy();
      await g.close();
    }
  });

  test('the oldest pending connection gives way even mid-handshake, but an established TLS client never does', async () => {
    const g = await guardedServer({ maxPending: 2 }, { tls });
    try {
      const established = tlsConnect({ host: '127.0.0.1', port: g.port, rejectUnauthorized: false });
      established.on('error', () => {});
      await new Promise((resolve) => established.once('secureConnect', resolve));
      established.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((resolve) => established.once('data', resolve));
      const idle = [2, 3, 4, 5].map((host) => idleClient(g.port, { localAddress: `127.0.0.${host}` }));
      await settled('two evicted', Promise.all([idle[0]?.closed, idle[1]?.closed]));
      assert.equal(g.count('pending_evicted'), 2);
      assert.ok(!established.closed && !established.destroyed, 'the established client stays');
      established.destroy();
      for (const c of idle) c.socket.destroy();
    } finally {
      await g.close();
    }
  });
});
