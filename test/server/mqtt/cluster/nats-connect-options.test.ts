import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterSetupError, natsConnectOptions } from '../../../../src/server/mqtt/cluster/nats-connect-options.js';

const files: Record<string, string> = { '/ca.pem': 'CA PEM', '/me.pem': 'CERT PEM', '/me.key': 'KEY PEM' };
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};
const options = (servers: string[], tls?: { ca?: string; cert?: string; key?: string }) =>
  natsConnectOptions({ servers, name: 'fleetca', ...(tls ? { tls } : {}) }, read);

test('plain URLs pass as they are, without TLS or credentials', () => {
  assert.deepEqual(options(['nats://a:4222', 'nats://b:4222']), { servers: ['nats://a:4222', 'nats://b:4222'] });
});

test('a user and password (URL-encoded) or a token leave the URLs for the client options', () => {
  assert.deepEqual(options(['nats://fleet:p%40ss%2Fword@a:4222', 'nats://b:4222']), {
    servers: ['nats://a:4222', 'nats://b:4222'],
    user: 'fleet',
    pass: 'p@ss/word',
  });
  assert.deepEqual(options(['nats://s3cr3t-token@a:4222']), { servers: ['nats://a:4222'], token: 's3cr3t-token' });
});

test('servers naming different credentials are refused: the client has one set', () => {
  assert.throws(
    () => options(['nats://fleet:one@a:4222', 'nats://fleet:two@b:4222']),
    (err: unknown) => err instanceof ClusterSetupError && /different credentials/.test(err.message),
  );
});

test('a tls:// URL or TLS files require TLS; the files are read at once', () => {
  assert.deepEqual(options(['tls://a:4222']), { servers: ['tls://a:4222'], tls: {} });
  assert.deepEqual(options(['nats://a:4222'], { ca: '/ca.pem', cert: '/me.pem', key: '/me.key' }), {
    servers: ['nats://a:4222'],
    tls: { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' },
  });
});

test('an unreadable TLS file is named with the setting it comes from', () => {
  assert.throws(
    () => options(['tls://a:4222'], { ca: '/missing.pem' }),
    (err: unknown) =>
      err instanceof ClusterSetupError && /cannot read cluster\.tls\.ca \/missing\.pem: ENOENT/.test(err.message),
  );
});
