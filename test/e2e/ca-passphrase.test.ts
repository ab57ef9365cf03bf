import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CA_FILES } from '../../src/ca/bootstrap.js';
import { decryptPrivateKey, encryptPrivateKey } from '../../src/ca/encrypted-key.js';
import { openssl, opensslRun } from '../helpers/ca-test-support.js';
import { startServer } from '../helpers/fleetca-server.js';
import { type CliResult, cliEnv, initialisedHome, makeEcCsr, runCli, tempHome } from '../helpers/run-cli.js';

const PASSPHRASE = 'the operator knows this one';
const OTHER = 'and this is the next one';

/** An initialised data directory whose CA keys `fleetca ca protect` encrypted; returns its env and passphrase file. */
async function protectedHome(): Promise<{ env: NodeJS.ProcessEnv; caDir: string; passFile: string; home: string }> {
  const home = await initialisedHome('fleetca-passphrase-');
  const passFile = join(home, 'ca-passphrase');
  await writeFile(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  const env = cliEnv(home);
  const protect = await runCli(['ca', 'protect'], { ...env, FLEETCA_CA_PASSPHRASE_FILE: passFile });
  assert.equal(protect.code, 0, protect.stderr);
  assert.equal(protect.stdout, '');
  assert.match(protect.stderr, /issuing-ca\.key: encrypted \(passphrase from FLEETCA_CA_PASSPHRASE_FILE/);
  assert.match(protect.stderr, /root-ca\.key: encrypted/);
  return { env, caDir: join(env.FLEETCA_HOME as string, 'ca'), passFile, home };
}

/** Exit 255 with `pattern` on stderr, no stack trace, nothing on stdout, and never the passphrases. */
function assertRefused(run: CliResult, pattern: RegExp): void {
  assert.equal(run.code, 255, run.stderr);
  assert.match(run.stderr, pattern);
  assert.equal(run.stdout, '');
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  for (const secret of [PASSPHRASE, OTHER, 'wrong passphrase!']) assert.ok(!run.stderr.includes(secret));
}

async function assertEncryptedWith(caDir: string, passphrase: string): Promise<void> {
  for (const name of [CA_FILES.rootKey, CA_FILES.issuingKey]) {
    const file = join(caDir, name);
    const text = await readFile(file, 'utf8');
    assert.match(text, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/, `${name} is encrypted`);
    assert.equal((await stat(file)).mode & 0o777, 0o600, `${name} keeps mode 0600`);
    const decrypted = opensslRun(['pkey', '-in', file, '-passin', `pass:${passphrase}`, '-noout']);
    assert.equal(decrypted.status, 0, `openssl pkey decrypts ${name}: ${decrypted.stderr}`);
    const wrong = opensslRun(['pkey', '-in', file, '-passin', 'pass:wrong passphrase!', '-noout']);
    assert.notEqual(wrong.status, 0, `${name} does not decrypt with another passphrase`);
  }
  // No plain key left anywhere in the CA directory (no draft, no copy).
  for (const name of await readdir(caDir)) {
    assert.doesNotMatch(await readFile(join(caDir, name), 'utf8'), /BEGIN PRIVATE KEY|BEGIN RSA PRIVATE KEY/, name);
  }
  assert.deepEqual((await readdir(caDir)).sort(), Object.values(CA_FILES).sort(), 'no temporary file left behind');
}

describe('fleetca ca protect: encrypted CA keys', () => {
  test('the keys are encrypted in place, openssl decrypts them with the passphrase, and the CA still issues', async () => {
    const { env, caDir, passFile, home } = await protectedHome();
    await assertEncryptedWith(caDir, PASSPHRASE);

    const issued = await runCli(['iot', 'create-keys-and-certificate', '--set-as-active'], {
      ...env,
      FLEETCA_CA_PASSPHRASE_FILE: passFile,
    });
    assert.equal(issued.code, 0, issued.stderr);
    const chain = await runCli(['ca', 'export'], env);
    assert.equal(chain.code, 0, 'ca export needs no passphrase');
    const chainFile = join(home, 'chain.pem');
    await writeFile(chainFile, chain.stdout);
    const certFile = join(home, 'device.pem');
    await writeFile(certFile, JSON.parse(issued.stdout).certificatePem);
    assert.match(openssl(['verify', '-CAfile', chainFile, certFile]).toString(), /: OK\n$/);

    // The variable works as the file does.
    const byVariable = await runCli(['iot', 'create-keys-and-certificate'], {
      ...env,
      FLEETCA_CA_PASSPHRASE: PASSPHRASE,
    });
    assert.equal(byVariable.code, 0, byVariable.stderr);
  });

  test('commands that do not sign never ask: listing, describing, ca export, admin', async () => {
    const { env } = await protectedHome();
    for (const args of [
      ['iot', 'list-certificates'],
      ['iot', 'get-registration-code'],
      ['ca', 'export'],
      ['admin', 'create-account', '--account-id', '123456789012'],
      ['admin', 'list-accounts'],
    ]) {
      const run = await runCli(args, env);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr, '');
    }
  });

  test('a missing, wrong or unreadable passphrase: exit 255 with what to do, and nothing issued', async () => {
    const { env, passFile, home } = await protectedHome();
    const issue = ['iot', 'create-keys-and-certificate'];
    assertRefused(
      await runCli(issue, env),
      /^\nfleetca: \[ERROR\]: the CA key is encrypted and no passphrase was given: put it in a file named by FLEETCA_CA_PASSPHRASE_FILE \(or in FLEETCA_CA_PASSPHRASE\), or run on a terminal to be asked for it\n$/,
    );
    assertRefused(
      await runCli(issue, { ...env, FLEETCA_CA_PASSPHRASE: 'wrong passphrase!' }),
      /issuing-ca\.key cannot be decrypted with the passphrase from FLEETCA_CA_PASSPHRASE: wrong passphrase, or the file is damaged/,
    );
    assertRefused(
      await runCli(issue, { ...env, FLEETCA_CA_PASSPHRASE_FILE: `${passFile}.gone` }),
      /the CA passphrase file named by FLEETCA_CA_PASSPHRASE_FILE \(.*ca-passphrase\.gone\) cannot be read: no such file/,
    );
    assertRefused(
      await runCli(issue, { ...env, FLEETCA_CA_PASSPHRASE_FILE: passFile, FLEETCA_CA_PASSPHRASE: PASSPHRASE }),
      /both FLEETCA_CA_PASSPHRASE_FILE and FLEETCA_CA_PASSPHRASE are set; set only one/,
    );
    const csr = await makeEcCsr(home, 'device');
    assertRefused(
      await runCli(['iot', 'create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`], env),
      /the CA key is encrypted and no passphrase was given/,
    );
    const listed = await runCli(['iot', 'list-certificates'], env);
    assert.deepEqual(JSON.parse(listed.stdout).certificates, [], 'nothing was issued');
  });

  test('protect is refused for keys encrypted with another passphrase, and repeats harmlessly with the same one', async () => {
    const { env, caDir, passFile } = await protectedHome();
    assertRefused(
      await runCli(['ca', 'protect'], { ...env, FLEETCA_CA_PASSPHRASE: OTHER }),
      /issuing-ca\.key is already encrypted with another passphrase; change it with `fleetca ca passphrase`/,
    );
    const again = await runCli(['ca', 'protect'], { ...env, FLEETCA_CA_PASSPHRASE_FILE: passFile });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /issuing-ca\.key: already encrypted with the new passphrase/);
    await assertEncryptedWith(caDir, PASSPHRASE);
    assertRefused(
      await runCli(['ca', 'protect'], env),
      /no new CA passphrase given: put it in a file named by FLEETCA_CA_PASSPHRASE_FILE/,
    );
  });

  test('fleetca ca passphrase changes it: the old one stops working, the new one works', async () => {
    const { env, caDir, passFile } = await protectedHome();
    assertRefused(
      await runCli(['ca', 'passphrase'], {
        ...env,
        FLEETCA_CA_PASSPHRASE: 'wrong passphrase!',
        FLEETCA_CA_NEW_PASSPHRASE: OTHER,
      }),
      /issuing-ca\.key cannot be decrypted with the passphrase from FLEETCA_CA_PASSPHRASE: wrong passphrase/,
    );
    await assertEncryptedWith(caDir, PASSPHRASE);
    const changed = await runCli(['ca', 'passphrase'], {
      ...env,
      FLEETCA_CA_PASSPHRASE_FILE: passFile,
      FLEETCA_CA_NEW_PASSPHRASE: OTHER,
    });
    assert.equal(changed.code, 0, changed.stderr);
    await assertEncryptedWith(caDir, OTHER);
    const issue = ['iot', 'create-keys-and-certificate'];
    assertRefused(await runCli(issue, { ...env, FLEETCA_CA_PASSPHRASE_FILE: passFile }), /cannot be decrypted/);
    assert.equal((await runCli(issue, { ...env, FLEETCA_CA_PASSPHRASE: OTHER })).code, 0);
  });

  test('a change interrupted between the two keys is finished by running it again', async () => {
    const { env, caDir } = await protectedHome();
    // What a crash after the first rename leaves: the issuing key under the new passphrase, the root under the old.
    const issuingFile = join(caDir, CA_FILES.issuingKey);
    const issuing = decryptPrivateKey(await readFile(issuingFile, 'utf8'), Buffer.from(PASSPHRASE));
    await writeFile(issuingFile, await encryptPrivateKey(issuing, Buffer.from(OTHER)), { mode: 0o600 });
    const rerun = await runCli(['ca', 'passphrase'], {
      ...env,
      FLEETCA_CA_PASSPHRASE: PASSPHRASE,
      FLEETCA_CA_NEW_PASSPHRASE: OTHER,
    });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /issuing-ca\.key: already encrypted with the new passphrase/);
    assert.match(rerun.stderr, /root-ca\.key: encrypted/);
    await assertEncryptedWith(caDir, OTHER);
  });

  test('a passphrase set at first use encrypts the new CA from the start', async () => {
    const home = await tempHome('fleetca-passphrase-first-');
    const env = cliEnv(home, { FLEETCA_CA_PASSPHRASE: PASSPHRASE });
    const first = await runCli(['iot', 'create-keys-and-certificate'], env);
    assert.equal(first.code, 0, first.stderr);
    await assertEncryptedWith(join(env.FLEETCA_HOME as string, 'ca'), PASSPHRASE);
    const issuer = new X509Certificate(JSON.parse(first.stdout).certificatePem).issuer;
    assert.match(issuer, /fleetca Issuing CA/);
  });

  test('fleetca serve refuses to start without the right passphrase, and starts with it', async () => {
    const { env, passFile } = await protectedHome();
    const serve = ['serve', '--port', '0', '--no-mqtt', '--key-pool-size', '0'];
    assertRefused(await runCli(serve, env), /the CA key is encrypted and no passphrase was given/);
    assertRefused(
      await runCli(serve, { ...env, FLEETCA_CA_PASSPHRASE: 'wrong passphrase!' }),
      /issuing-ca\.key cannot be decrypted with the passphrase from FLEETCA_CA_PASSPHRASE/,
    );
    const server = await startServer({ ...env, FLEETCA_CA_PASSPHRASE_FILE: passFile }, ['--no-mqtt', '--tls']);
    try {
      assert.match(server.url, /^https:/, 'the TLS certificate was issued with the decrypted key');
      assert.ok(!server.logs().includes(PASSPHRASE), 'the passphrase is never logged');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
