import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEnv, runCli, runTool, tempHome } from '../helpers/run-cli.js';

test('quick start: one command issues a verifiable certificate and writes the three files', async () => {
  const home = await tempHome();
  const env = cliEnv(home);
  const out = join(home, 'out');
  await mkdir(out);
  const files = { cert: join(out, 'cert.pem'), pub: join(out, 'public.key'), priv: join(out, 'private.key') };

  const run = await runCli(
    [
      'iot',
      'create-keys-and-certificate',
      '--set-as-active',
      '--certificate-pem-outfile',
      files.cert,
      '--public-key-outfile',
      files.pub,
      '--private-key-outfile',
      files.priv,
    ],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  // The first command made the data directory and says so, on stderr only: stdout is the AWS CLI's.
  assert.equal(
    run.stderr,
    `fleetca: created a new CA and registry in ${env.FLEETCA_HOME} (first use); \`fleetca ca export\` prints its chain\n`,
  );

  const response = JSON.parse(run.stdout);
  // The AWS CLI prints members in service-model order with a 4-space indent.
  assert.deepEqual(Object.keys(response), ['certificateArn', 'certificateId', 'certificatePem', 'keyPair']);
  assert.deepEqual(Object.keys(response.keyPair), ['PublicKey', 'PrivateKey']);
  assert.equal(run.stdout, `${JSON.stringify(response, null, 4)}\n`);

  // The files hold exactly what stdout carries, readable by the owner only.
  assert.equal(await readFile(files.cert, 'utf8'), response.certificatePem);
  assert.equal(await readFile(files.pub, 'utf8'), response.keyPair.PublicKey);
  assert.equal(await readFile(files.priv, 'utf8'), response.keyPair.PrivateKey);
  for (const file of Object.values(files)) assert.equal((await stat(file)).mode & 0o777, 0o600, file);

  // Identity: id = SHA-256 of the DER, ARN from the default account and region.
  const cert = new X509Certificate(response.certificatePem);
  assert.equal(response.certificateId, createHash('sha256').update(cert.raw).digest('hex'));
  assert.equal(response.certificateArn, `arn:aws:iot:us-east-1:000000000000:cert/${response.certificateId}`);
  assert.equal(cert.subject, 'CN=AWS IoT Certificate');

  // Key formats: PKCS#1 private key, SPKI public key, LF endings and a trailing newline.
  assert.match(
    response.keyPair.PrivateKey,
    /^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END RSA PRIVATE KEY-----\n$/,
  );
  assert.match(response.keyPair.PublicKey, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
  assert.match(response.certificatePem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);

  // The certificate's key, the returned public key and the private key are one key pair.
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  const returned = createPublicKey(response.keyPair.PublicKey).export({ type: 'spki', format: 'der' });
  const derived = createPublicKey(createPrivateKey(response.keyPair.PrivateKey)).export({
    type: 'spki',
    format: 'der',
  });
  assert.deepEqual(returned, fromCert);
  assert.deepEqual(derived, fromCert);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.publicExponent, 65537n);
  const rsaCheck = await runTool('openssl', ['rsa', '-check', '-noout', '-in', files.priv]);
  assert.match(rsaCheck.stdout, /RSA key ok/);

  // openssl verifies the certificate against the exported chain.
  const chain = await runCli(['ca', 'export'], env);
  assert.equal(chain.code, 0, chain.stderr);
  const chainFile = join(home, 'chain.pem');
  await writeFile(chainFile, chain.stdout);
  const verify = await runTool('openssl', ['verify', '-CAfile', chainFile, files.cert]);
  assert.equal(verify.stdout.trim(), `${files.cert}: OK`, verify.stderr);

  // The registry (which also keeps access-key secrets) and its WAL are owner-only, like the directory.
  const dataDir = String(env.FLEETCA_HOME);
  assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
  assert.equal((await stat(join(dataDir, 'registry.db'))).mode & 0o777, 0o600);

  // The registry knows it, ACTIVE as asked.
  const described = await runCli(['iot', 'describe-certificate', '--certificate-id', response.certificateId], env);
  assert.equal(described.code, 0, described.stderr);
  const description = JSON.parse(described.stdout).certificateDescription;
  assert.equal(description.status, 'ACTIVE');
  assert.equal(description.certificatePem, response.certificatePem);
});
