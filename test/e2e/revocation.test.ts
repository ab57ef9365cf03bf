import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { toPem } from '../../src/ca/pem.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { freePort } from '../helpers/free-port.js';
import { type IssuedDevice, issueDevice } from '../helpers/issued-device.js';
import { cliEnv, initialisedHome, runCli, runTool } from '../helpers/run-cli.js';
import { TestPki } from '../helpers/test-pki.js';

describe('CRLs and OCSP from the registry, checked by openssl', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let server: RunningServer;
  let base: string;
  let chainFile: string;
  let issuingFile: string;
  let chainPem: string;
  const devices: Record<'revoked' | 'good' | 'held' | 'deleted', IssuedDevice> = {} as never;

  const cli = async (...args: string[]) => {
    const run = await runCli(args, env);
    assert.equal(run.code, 0, `fleetca ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };

  const setStatus = (device: IssuedDevice, status: string) =>
    cli('iot', 'update-certificate', '--certificate-id', device.id, '--new-status', status);
  /** `openssl ocsp` against the server: stdout (the statuses) and stderr (the verification), and its exit code. */
  const ocsp = async (certFile: string, ...extra: string[]) => {
    const run = await runTool('openssl', [
      'ocsp',
      '-issuer',
      issuingFile,
      '-cert',
      certFile,
      '-url',
      `${base}/_fleetca/ocsp`,
      '-CAfile',
      chainFile,
      ...extra,
    ]);
    return { ...run, text: run.stdout + run.stderr };
  };
  const servedCrl = async (): Promise<{ pemFile: string; number: number; text: string }> => {
    const response = await fetch(`${base}/_fleetca/crl`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pkix-crl');
    const derFile = join(home, 'served.crl');
    await writeFile(derFile, Buffer.from(await response.arrayBuffer()));
    const pemFile = join(home, 'served-crl.pem');
    const converted = await runTool('openssl', ['crl', '-inform', 'DER', '-in', derFile, '-out', pemFile]);
    assert.equal(converted.code, 0, converted.stderr);
    const text = (await runTool('openssl', ['crl', '-in', pemFile, '-noout', '-text'])).stdout;
    const number = Number.parseInt(/X509v3 CRL Number:\s*\n\s*([0-9A-Fa-f]+)/.exec(text)?.[1] ?? 'NaN', 16);
    return { pemFile, number, text };
  };
  const verifyWithCrl = (crlFile: string, certFile: string) =>
    runTool('openssl', ['verify', '-crl_check', '-CAfile', chainFile, '-CRLfile', crlFile, certFile]);

  before(async () => {
    home = await initialisedHome('fleetca-revocation-');
    env = cliEnv(home);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The public base URL from config.json: the local CLI issues with it as fleetca serve does.
    const configFile = join(home, 'fleetca', 'config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, revocation: { publicBaseUrl: base } }));
    for (const name of ['revoked', 'good', 'held', 'deleted'] as const)
      devices[name] = await issueDevice(env, home, name);
    const chain = await cli('ca', 'export');
    chainFile = join(home, 'chain.pem');
    issuingFile = join(home, 'issuing.pem');
    await writeFile(chainFile, chain);
    chainPem = chain;
    await writeFile(issuingFile, `${chain.split('-----END CERTIFICATE-----')[0]}-----END CERTIFICATE-----\n`);
    server = await startServer(env, ['--port', String(port)]);
  });

  after(async () => {
    await server?.stop();
  });

  test('issued certificates name the CRL and the OCSP responder under the public base URL', async () => {
    const text = (await runTool('openssl', ['x509', '-in', devices.good.certFile, '-noout', '-text'])).stdout;
    assert.match(text, /X509v3 CRL Distribution Points:/);
    assert.ok(text.includes(`URI:${base}/_fleetca/crl/`), text);
    assert.ok(text.includes(`OCSP - URI:${base}/_fleetca/ocsp`), text);
    const uri = /URI:(http:\/\/\S+\.crl)/.exec(text)?.[1] as string;
    const byUri = await fetch(uri);
    assert.equal(byUri.status, 200, 'the distribution point the certificate names is served');
    const pem = await fetch(uri.replace(/\.crl$/, '.pem'));
    assert.match(await pem.text(), /^-----BEGIN X509 CRL-----\n/);
  });

  test('openssl ocsp: good, with and without a nonce, signed by the delegated responder', async () => {
    const withNonce = await ocsp(devices.good.certFile, '-resp_text');
    assert.equal(withNonce.code, 0, withNonce.text);
    assert.match(withNonce.stdout, /good\.pem: good/);
    assert.match(withNonce.text, /Response verify OK/);
    assert.match(withNonce.text, /OCSP Nonce:/, 'the nonce is echoed');
    assert.match(withNonce.text, /OCSP Signing/, 'the responder certificate has id-kp-OCSPSigning');
    assert.match(withNonce.text, /OCSP No Check/);
    const withoutNonce = await ocsp(devices.good.certFile, '-no_nonce', '-resp_text');
    assert.equal(withoutNonce.code, 0, withoutNonce.text);
    assert.match(withoutNonce.stdout, /good\.pem: good/);
    assert.doesNotMatch(withoutNonce.text, /OCSP Nonce:/);
    assert.match(withoutNonce.text, /Response verify OK/);
  });

  test('REVOKED is revoked at once; INACTIVE is on hold and good again when reactivated', async () => {
    const before = await servedCrl();
    await setStatus(devices.revoked, 'REVOKED');
    const changed = Date.now();
    // A new CRL within a second of the change (the server hears the local CLI's change through the registry).
    const listed = await eventuallyPasses('the served CRL lists the revoked certificate', async () => {
      const crl = await servedCrl();
      const result = await verifyWithCrl(crl.pemFile, devices.revoked.certFile);
      assert.match(result.stdout + result.stderr, /certificate revoked/);
      return crl;
    });
    const seconds = (Date.now() - changed) / 1000;
    console.log(`# revocation reached the served CRL in ${seconds.toFixed(3)} s`);
    assert.ok(listed.number > before.number, `CRL number grows: ${before.number} → ${listed.number}`);
    const revoked = await ocsp(devices.revoked.certFile);
    assert.match(revoked.stdout, /revoked\.pem: revoked/);
    assert.match(revoked.text, /Response verify OK/);
    assert.doesNotMatch(revoked.stdout, /Reason:/, 'no reason recorded: no reason given');

    await setStatus(devices.held, 'INACTIVE');
    await eventuallyPasses('OCSP says the INACTIVE certificate is on hold', async () => {
      const held = await ocsp(devices.held.certFile);
      assert.match(held.stdout, /held\.pem: revoked/);
      assert.match(held.stdout, /Reason: certificateHold/);
    });
    await setStatus(devices.held, 'ACTIVE');
    await eventuallyPasses('OCSP says the reactivated certificate is good again', async () => {
      const good = await ocsp(devices.held.certFile);
      assert.match(good.stdout, /held\.pem: good/);
      const crl = await servedCrl();
      assert.equal((await verifyWithCrl(crl.pemFile, devices.held.certFile)).code, 0, 'off the CRL again');
    });
    const good = await verifyWithCrl((await servedCrl()).pemFile, devices.good.certFile);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /good\.pem: OK/);
  });

  test('fleetca admin revoke-certificate records a reason; a deleted certificate stays revoked with it', async () => {
    const bad = await runCli(
      ['admin', 'revoke-certificate', '--certificate-id', devices.deleted.id, '--reason', 'certificateHold'],
      env,
    );
    assert.equal(bad.code, 252, bad.stderr);
    assert.match(bad.stderr, /Found invalid choice 'certificateHold'/);
    const revoked = JSON.parse(
      await cli('admin', 'revoke-certificate', '--certificate-id', devices.deleted.id, '--reason', 'keyCompromise'),
    );
    assert.deepEqual(revoked, { certificateId: devices.deleted.id, status: 'REVOKED', reason: 'keyCompromise' });
    await eventuallyPasses('OCSP gives the reason', async () => {
      assert.match((await ocsp(devices.deleted.certFile)).stdout, /Reason: keyCompromise/);
    });
    await cli('iot', 'delete-certificate', '--certificate-id', devices.deleted.id);
    await eventuallyPasses('OCSP and the CRL still revoke the deleted certificate', async () => {
      const answer = await ocsp(devices.deleted.certFile);
      assert.match(answer.stdout, /deleted\.pem: revoked/);
      assert.match(answer.stdout, /Reason: keyCompromise/);
      const result = await verifyWithCrl((await servedCrl()).pemFile, devices.deleted.certFile);
      assert.match(result.stdout + result.stderr, /certificate revoked/);
    });
  });

  test('fleetca ca crl writes the same CRL for a broker, with the next number', async () => {
    const out = join(home, 'broker-crl.pem');
    const run = await runCli(['ca', 'crl', '--pem', '--out', out], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /wrote CRL number \d+ \(\d+ entries/);
    assert.match(await readFile(out, 'utf8'), /^-----BEGIN X509 CRL-----\n/);
    const revoked = await verifyWithCrl(out, devices.revoked.certFile);
    assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
    assert.equal((await verifyWithCrl(out, devices.good.certFile)).code, 0);
    const text = (await runTool('openssl', ['crl', '-in', out, '-noout', '-text'])).stdout;
    assert.match(text, /X509v3 Issuing Distribution Point: critical/);
    assert.match(text, /Only User Certificates/);
    const written = Number.parseInt(/X509v3 CRL Number:\s*\n\s*([0-9A-Fa-f]+)/.exec(text)?.[1] ?? 'NaN', 16);
    await setStatus(devices.held, 'INACTIVE');
    const next = await eventuallyPasses('the server makes a new CRL after the change', async () => {
      const served = await servedCrl();
      const listed = await verifyWithCrl(served.pemFile, devices.held.certFile);
      assert.match(listed.stdout + listed.stderr, /certificate revoked/);
      return served;
    });
    assert.ok(next.number > written, `the server numbers its next CRL after the CLI's: ${written} → ${next.number}`);
    await setStatus(devices.held, 'ACTIVE');
    const der = await runCli(['ca', 'crl'], env);
    assert.equal(der.code, 0, der.stderr);
  });

  test('a serial fleetca never issued is unknown; a certificate of another CA is unauthorized', async () => {
    const neverIssued = await runTool('openssl', [
      'ocsp',
      '-issuer',
      issuingFile,
      '-serial',
      '0x0123456789abcdef',
      '-url',
      `${base}/_fleetca/ocsp`,
      '-CAfile',
      chainFile,
    ]);
    assert.match(neverIssued.stdout, /0x0123456789abcdef: unknown/, neverIssued.stdout + neverIssued.stderr);
    assert.match(neverIssued.stderr, /Response verify OK/);
    const pki = new TestPki(home);
    const foreignCa = pki.ca('foreign-ca');
    const foreign = pki.leaf('foreign-device', foreignCa);
    const mislabelled = await ocsp(foreign.certFile);
    assert.match(mislabelled.stdout, /Responder Error: unauthorized \(6\)/, 'its issuer name is not our issuer');
    const underTheirs = await runTool('openssl', [
      'ocsp',
      '-issuer',
      foreignCa.certFile,
      '-cert',
      foreign.certFile,
      '-url',
      `${base}/_fleetca/ocsp`,
    ]);
    assert.match(underTheirs.stdout + underTheirs.stderr, /Responder Error: unauthorized \(6\)/);
    const crl = await fetch(`${base}/_fleetca/crl/0123abcd.crl`);
    assert.equal(crl.status, 404, 'no CRL for an issuer fleetca does not hold');
  });

  test('GET requests (RFC 6960 A.1) are answered and cacheable without a nonce', async () => {
    const reqFile = join(home, 'get-request.der');
    const made = await runTool('openssl', [
      'ocsp',
      '-issuer',
      issuingFile,
      '-cert',
      devices.good.certFile,
      '-no_nonce',
      '-reqout',
      reqFile,
    ]);
    assert.equal(made.code, 0, made.stderr);
    const encoded = encodeURIComponent((await readFile(reqFile)).toString('base64'));
    const response = await fetch(`${base}/_fleetca/ocsp/${encoded}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/ocsp-response');
    assert.match(response.headers.get('cache-control') ?? '', /max-age=\d+, public, no-transform, must-revalidate/);
    const respFile = join(home, 'get-response.der');
    await writeFile(respFile, Buffer.from(await response.arrayBuffer()));
    const checked = await runTool('openssl', [
      'ocsp',
      '-respin',
      respFile,
      '-issuer',
      issuingFile,
      '-cert',
      devices.good.certFile,
      '-CAfile',
      chainFile,
    ]);
    assert.match(checked.stdout, /good\.pem: good/);
    assert.match(checked.stdout + checked.stderr, /Response verify OK/);
  });

  test('the device endpoint staples a good OCSP response for the certificate it presents, ECDSA or RSA', async () => {
    for (const [kind, sigalgs] of [
      ['ecdsa', 'ecdsa_secp256r1_sha256'],
      ['rsa', 'rsa_pss_rsae_sha256:rsa_pkcs1_sha256'],
    ] as const) {
      const { stapled, presented } = await new Promise<{ stapled?: Buffer; presented: Buffer }>((resolve, reject) => {
        let stapled: Buffer | undefined;
        // requestOCSP is a TLSSocket option tls.connect passes on; @types/node leaves it out of ConnectionOptions.
        const options: ConnectionOptions & { requestOCSP: boolean } = {
          host: '127.0.0.1',
          port: server.mqttPort as number,
          servername: 'localhost',
          ca: chainPem,
          cert: readFileSync(devices.good.certFile),
          key: readFileSync(devices.good.keyFile),
          requestOCSP: true,
          sigalgs,
        };
        const socket = tlsConnect(options);
        socket.on('OCSPResponse', (response) => {
          stapled = response;
        });
        socket.on('secureConnect', () => {
          resolve({ stapled, presented: socket.getPeerCertificate().raw });
          socket.destroy();
        });
        socket.on('error', reject);
      });
      assert.ok(stapled, `${kind}: a response is stapled`);
      const respFile = join(home, `stapled-${kind}.der`);
      const serverFile = join(home, `server-${kind}.pem`);
      await writeFile(respFile, stapled);
      await writeFile(serverFile, toPem('CERTIFICATE', presented));
      const checked = await runTool('openssl', [
        'ocsp',
        '-respin',
        respFile,
        '-issuer',
        issuingFile,
        '-cert',
        serverFile,
        '-CAfile',
        chainFile,
      ]);
      assert.match(checked.stdout, /: good/, `${kind}: ${checked.stdout}${checked.stderr}`);
      assert.match(checked.stderr, /Response verify OK/);
    }
  });

  test('hostile OCSP requests: malformedRequest or a 4xx, never a 5xx', async () => {
    const MALFORMED = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]);
    const reqFile = join(home, 'fuzz-request.der');
    await runTool('openssl', ['ocsp', '-issuer', issuingFile, '-cert', devices.good.certFile, '-reqout', reqFile]);
    const valid = await readFile(reqFile);
    const post = (body: Uint8Array) =>
      fetch(`${base}/_fleetca/ocsp`, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body,
      });
    for (let length = 0; length < valid.length; length += 7) {
      const response = await post(valid.subarray(0, length));
      assert.equal(response.status, 200, `truncated at ${length}`);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), MALFORMED, `truncated at ${length}`);
    }
    const md5 = Buffer.from(valid);
    const sha1Oid = md5.indexOf(Buffer.from([0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a]));
    assert.ok(sha1Oid > 0, 'the request names SHA-1');
    md5[sha1Oid + 6] = 0x1b; // 1.3.14.3.2.27: not a hash fleetca matches issuers with
    const unknownHash = await post(md5);
    assert.equal(unknownHash.status, 200);
    assert.equal(Buffer.from(await unknownHash.arrayBuffer()).readUInt8(4), 6, 'unauthorized');
    const huge = await post(Buffer.alloc(1024 * 1024, 0x30));
    assert.equal(huge.status, 413);
    const garbage = await fetch(`${base}/_fleetca/ocsp/not%20base64!`);
    assert.equal(garbage.status, 200);
    assert.deepEqual(Buffer.from(await garbage.arrayBuffer()), MALFORMED);
    const wrongMethod = await fetch(`${base}/_fleetca/ocsp`, { method: 'PUT', body: valid });
    assert.equal(wrongMethod.status, 405);
    const alive = await ocsp(devices.good.certFile);
    assert.match(alive.stdout, /good\.pem: good/, 'the responder still answers');
  });
});
