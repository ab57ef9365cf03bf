import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EVENTUALLY_MS } from '../../helpers/eventually.js';
import { freePort } from '../../helpers/free-port.js';
import {
  AUTH_ENV,
  cliError,
  json,
  makeTestPki,
  runRemote,
  type Stub,
  startStub,
  type TestPki,
  tempDir,
  writeFiles,
} from './remote-harness.js';

const ID = 'e'.repeat(64);
const OK = json({ certificateDescription: { certificateId: ID } });

/** A TCP server that accepts connections and never says anything. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const describeAt = (url: string, extra: string[] = [], env: Record<string, string> = {}, cwd?: string) =>
  runRemote(['iot', 'describe-certificate', '--certificate-id', ID, '--endpoint-url', url, ...extra], {
    env: { ...AUTH_ENV, ...env },
    cwd,
  });

describe('connection failures', () => {
  it('connection refused: the full URL with its query, retried, exit 255', async () => {
    const port = await freePort();
    const run = await runRemote(
      ['iot', 'create-keys-and-certificate', '--set-as-active', '--endpoint-url', `http://127.0.0.1:${port}`],
      { env: AUTH_ENV },
    );
    assert.deepEqual(
      [run.code, run.stdout, run.stderr],
      [
        255,
        '',
        cliError(
          `Could not connect to the endpoint URL: "http://127.0.0.1:${port}/keys-and-certificate?setAsActive=true"`,
        ),
      ],
    );
    assert.equal(run.sleeps.length, 2);
  });

  it('connect timeout (a TLS handshake nobody answers), after --cli-connect-timeout seconds', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const run = await describeAt(`https://127.0.0.1:${silent.port}`, ['--cli-connect-timeout', '1'], {
        AWS_MAX_ATTEMPTS: '1',
      });
      const elapsed = Date.now() - started;
      assert.deepEqual(
        [run.code, run.stderr],
        [255, cliError(`Connect timeout on endpoint URL: "https://127.0.0.1:${silent.port}/certificates/${ID}"`)],
      );
      assert.equal(run.opened[0]?.connectTimeoutMs, 1000);
      // Not before the second asked for; the generous bound only tells it from the 60 s default.
      assert.ok(elapsed >= 900, `gave up after ${elapsed} ms`);
      assert.ok(elapsed < EVENTUALLY_MS, `took ${elapsed} ms: the default 60 s, not --cli-connect-timeout?`);
    } finally {
      await silent.close();
    }
  });

  it('read timeout (a server that never answers), retried, after --cli-read-timeout seconds', async () => {
    const stub = await startStub();
    try {
      stub.script(() => ({ hang: true }));
      const run = await describeAt(stub.url, ['--cli-read-timeout', '1'], { AWS_MAX_ATTEMPTS: '2' });
      assert.deepEqual(
        [run.code, run.stderr],
        [255, cliError(`Read timeout on endpoint URL: "${stub.url}/certificates/${ID}"`)],
      );
      assert.equal(stub.requests.length, 2);
    } finally {
      await stub.close();
    }
  });

  it('an unsupported scheme fails when sending, as urllib3 does', async () => {
    const run = await describeAt('ftp://127.0.0.1:1/', [], { AWS_MAX_ATTEMPTS: '1' });
    assert.deepEqual(
      [run.code, run.stderr],
      [255, cliError('An HTTP Client raised an unhandled exception: Not supported URL scheme ftp')],
    );
  });
});

describe('timeout options', () => {
  it('default to 60 s; 0 means no timeout', async () => {
    const run = await describeAt('http://127.0.0.1:9/', ['--cli-connect-timeout', '0', '--no-sign-request'], {
      AWS_MAX_ATTEMPTS: '1',
    });
    assert.deepEqual([run.opened[0]?.connectTimeoutMs, run.opened[0]?.readTimeoutMs], [undefined, 60000]);
  });

  it('must be integers: Python int() wording, exit 255, checked before any command (local mode too)', async () => {
    for (const argv of [
      ['--cli-read-timeout', 'abc', 'iot', 'list-certificates'],
      ['iot', '--cli-connect-timeout', 'abc'],
      ['iot', 'list-certificates', '--cli-read-timeout', 'abc', '--cli-connect-timeout', 'x'],
    ]) {
      const run = await runRemote(argv);
      assert.deepEqual([run.code, run.stderr], [255, cliError("invalid literal for int() with base 10: 'abc'")]);
    }
  });

  it('refuses a negative timeout when the HTTP client is built (urllib3 wording)', async () => {
    const run = await describeAt('http://127.0.0.1:9/', ['--cli-read-timeout', '-5']);
    assert.deepEqual(
      [run.code, run.stderr],
      [
        255,
        cliError(
          'Attempted to set read timeout to -5, but the timeout cannot be set to a value less than or equal to 0.',
        ),
      ],
    );
  });
});

describe('TLS', () => {
  const dir = tempDir();
  let pki: TestPki;
  let stub: Stub;
  let url: string;
  before(async () => {
    pki = makeTestPki(dir.path);
    stub = await startStub({ key: pki.key, cert: pki.cert });
    stub.script(() => OK);
    url = stub.url;
  });
  after(async () => {
    await stub.close();
    dir.remove();
  });
  const sslFailure = (detail: string) => cliError(`SSL validation failed for ${url}/certificates/${ID} ${detail}`);

  it('trusts a CA bundle from --ca-bundle, AWS_CA_BUNDLE or the profile', async () => {
    writeFiles(dir.path, { config: `[default]\nca_bundle = ${pki.caFile}\n` });
    const runs = [
      await describeAt(url, ['--ca-bundle', pki.caFile]),
      await describeAt(url, [], { AWS_CA_BUNDLE: pki.caFile }),
      await describeAt(url, [], { AWS_CONFIG_FILE: join(dir.path, 'config') }),
      // A relative path is relative to the working directory.
      await describeAt(url, ['--ca-bundle', 'ca.pem'], {}, dir.path),
      // --ca-bundle wins over AWS_CA_BUNDLE.
      await describeAt(url, ['--ca-bundle', pki.caFile], { AWS_CA_BUNDLE: '/nonexistent.pem' }),
    ];
    for (const run of runs) assert.deepEqual([run.code, run.stderr], [0, '']);
  });

  it('rejects a server the default trust store does not know (retried, exit 255)', async () => {
    const run = await describeAt(url);
    assert.equal(run.code, 255);
    assert.equal(
      run.stderr,
      sslFailure('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate'),
    );
    assert.equal(run.sleeps.length, 2);
  });

  it('reports a host name the certificate does not cover in urllib3 1.26 words', async () => {
    const other = await startStub({ key: pki.key, cert: pki.localhostOnlyCert });
    try {
      other.script(() => OK);
      const run = await describeAt(other.url, ['--ca-bundle', pki.caFile], { AWS_MAX_ATTEMPTS: '1' });
      assert.equal(
        run.stderr,
        cliError(
          `SSL validation failed for ${other.url}/certificates/${ID} hostname '127.0.0.1' doesn't match 'localhost'`,
        ),
      );
      const byName = await describeAt(`https://localhost:${other.port}`, ['--ca-bundle', pki.caFile]);
      assert.deepEqual([byName.code, byName.stderr], [0, '']);
    } finally {
      await other.close();
    }
  });

  it('a missing bundle file: [Errno 2] No such file or directory', async () => {
    const run = await describeAt(url, ['--ca-bundle', join(dir.path, 'missing.pem')], { AWS_MAX_ATTEMPTS: '1' });
    assert.deepEqual([run.code, run.stderr], [255, sslFailure('[Errno 2] No such file or directory')]);
  });

  it('a bundle without certificates', async () => {
    writeFiles(dir.path, { 'empty.pem': 'not a certificate\n' });
    const run = await describeAt(url, ['--ca-bundle', join(dir.path, 'empty.pem')], { AWS_MAX_ATTEMPTS: '1' });
    assert.deepEqual(
      [run.code, run.stderr],
      [255, sslFailure('[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found')],
    );
  });

  it('an https URL on a plain HTTP server', async () => {
    const plain = await startStub();
    try {
      const run = await describeAt(plain.url.replace('http:', 'https:'), [], { AWS_MAX_ATTEMPTS: '1' });
      assert.equal(
        run.stderr,
        cliError(
          `SSL validation failed for https://127.0.0.1:${plain.port}/certificates/${ID} [SSL: WRONG_VERSION_NUMBER] wrong version number`,
        ),
      );
    } finally {
      await plain.close();
    }
  });

  const WARNING =
    /^\/\S+\/http-tls\.js:\d+: InsecureRequestWarning: Unverified HTTPS request is being made to host '127\.0\.0\.1'\. Adding certificate verification is strongly advised\. See: https:\/\/urllib3\.readthedocs\.io\/en\/latest\/advanced-usage\.html#tls-warnings\n {2}warnings\.warn\(\n$/;

  it('--no-verify-ssl: succeeds and warns once per host, even over several pages', async () => {
    stub.script((request) =>
      json(request.query.includes('marker=2') ? { certificates: [] } : { certificates: [], nextMarker: '2' }),
    );
    try {
      const run = await runRemote(['iot', 'list-certificates', '--endpoint-url', url, '--no-verify-ssl'], {
        env: AUTH_ENV,
      });
      assert.equal(run.code, 0);
      assert.match(run.stderr, WARNING);
    } finally {
      stub.script(() => OK);
    }
  });

  it('an empty CA bundle setting turns verification off too (botocore `if verify`)', async () => {
    const run = await describeAt(url, [], { AWS_CA_BUNDLE: '' });
    assert.equal(run.code, 0);
    assert.match(run.stderr, WARNING);
  });

  it('--no-verify-ssl with an http endpoint: no warning', async () => {
    const plain = await startStub();
    try {
      plain.script(() => OK);
      const run = await describeAt(plain.url, ['--no-verify-ssl']);
      assert.deepEqual([run.code, run.stderr], [0, '']);
    } finally {
      await plain.close();
    }
  });
});
