import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { cliEnv, runCli, runTool } from '../helpers/run-cli.js';
import { ACCOUNT_ID, send, startTestServer, type TestServer } from './http/http-support.js';

/** The certificate the server presents, as seen by a client that trusts `ca` (or nothing). */
function peerCertificate(port: number, servername: string, ca?: string, sigalgs?: string) {
  return new Promise<X509Certificate>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca, sigalgs }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert);
      else reject(new Error('no peer certificate'));
    });
    socket.on('error', reject);
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as { path: string }).path, e.name));
}

describe('fleetca serve --tls', () => {
  let server: TestServer;
  let chainPem: string;
  let chainFile: string;

  before(async () => {
    server = await startTestServer({ tlsNames: ['localhost', '127.0.0.1', '::1'] });
    const exported = await runCli(['ca', 'export'], cliEnv(server.home));
    assert.equal(exported.code, 0, exported.stderr);
    chainPem = exported.stdout;
    chainFile = join(server.home, 'chain.pem');
    await writeFile(chainFile, chainPem);
  });
  after(() => server.close());

  test('listens on https and answers a client that trusts the exported CA chain', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await send(server, { method: 'GET', path: '/_fleetca/health', sign: false, ca: chainPem });
    assert.equal(health.status, 200);
    const created = await send(server, { method: 'POST', path: '/keys-and-certificate', ca: chainPem });
    assert.equal(created.status, 200, created.body);
    assert.match((created.json as { certificateArn: string }).certificateArn, new RegExp(`:${ACCOUNT_ID}:cert/`));
  });

  test('a client without the chain refuses the certificate', async () => {
    await assert.rejects(
      send(server, { method: 'GET', path: '/_fleetca/health', sign: false }),
      (err: NodeJS.ErrnoException) =>
        /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE/.test(err.code ?? ''),
    );
  });

  test('the certificate names the DNS names and IP addresses asked for, and no other', async () => {
    const cert = await peerCertificate(server.port, 'localhost', chainPem);
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkIP('::1'), '::1');
    assert.equal(cert.checkHost('example.com'), undefined);
    await assert.rejects(peerCertificate(server.port, 'example.com', chainPem), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  for (const [keyType, sigalgs, keyUsage] of [
    ['ec', 'ECDSA+SHA256', 'Digital Signature'],
    ['rsa', 'rsa_pss_rsae_sha256:RSA+SHA256', 'Digital Signature, Key Encipherment'],
  ] as const) {
    test(`server profile (${keyType} key, for clients offering ${sigalgs}): issued by the issuing CA, EKU serverAuth, KeyUsage ${keyUsage}, CA:FALSE`, async () => {
      const cert = await peerCertificate(server.port, 'localhost', chainPem, sigalgs);
      assert.equal(cert.publicKey.asymmetricKeyType, keyType);
      const [issuing] = chainPem.split(/(?<=-----END CERTIFICATE-----\n)/);
      const issuer = new X509Certificate(issuing as string);
      assert.ok(cert.checkIssued(issuer));
      assert.ok(cert.verify(issuer.publicKey));
      assert.equal(cert.ca, false);
      assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
      assert.equal(cert.subject, 'CN=localhost');
      const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
      assert.ok(days > 396 && days <= 397, `${days} days`);

      const leafFile = join(server.home, `server-${keyType}.pem`);
      await writeFile(leafFile, cert.toString());
      const text = await runTool('openssl', ['x509', '-in', leafFile, '-noout', '-text']);
      assert.match(text.stdout, new RegExp(`X509v3 Key Usage: critical\\n\\s+${keyUsage}\\n`));
      assert.match(text.stdout, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
      assert.match(text.stdout, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
      const verified = await runTool('openssl', ['verify', '-CAfile', chainFile, '-purpose', 'sslserver', leafFile]);
      assert.equal(verified.stdout.trim(), `${leafFile}: OK`, verified.stderr);
    });
  }

  test('a client that offers both gets the ECDSA certificate, the cheaper handshake', async () => {
    const cert = await peerCertificate(server.port, 'localhost', chainPem);
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
  });

  test('the server key exists in memory only: the data directory holds no private key but the CA keys', async () => {
    const withKeys: string[] = [];
    for (const file of await filesUnder(join(server.home, 'fleetca'))) {
      if ((await readFile(file)).includes('PRIVATE KEY')) withKeys.push(file.slice(server.home.length));
    }
    assert.deepEqual(withKeys.sort(), ['/fleetca/ca/issuing-ca.key', '/fleetca/ca/root-ca.key']);
  });
});
