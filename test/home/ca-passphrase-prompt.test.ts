import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CA_FILES } from '../../src/ca/bootstrap.js';
import { decryptPrivateKey } from '../../src/ca/encrypted-key.js';
import { TtySession } from '../cli/tty-harness.js';
import { cliEnv, initialisedHome, runCli } from '../helpers/run-cli.js';

const PASSPHRASE = 'typed at the terminal';

/** A data directory whose keys are encrypted with PASSPHRASE. */
async function protectedEnv(): Promise<NodeJS.ProcessEnv> {
  const env = cliEnv(await initialisedHome('fleetca-prompt-'));
  const protect = await runCli(['ca', 'protect'], { ...env, FLEETCA_CA_PASSPHRASE: PASSPHRASE });
  assert.equal(protect.code, 0, protect.stderr);
  return env;
}

describe('the CA passphrase asked on a terminal', () => {
  test('asked once, without echo, when a command signs; then it issues', async () => {
    const env = await protectedEnv();
    const outfile = join(env.HOME as string, 'cert.json');
    const session = new TtySession(
      ['iot', 'create-keys-and-certificate', '--query', 'certificateId', '--output', 'text'],
      env,
      ` > ${outfile}`,
    );
    try {
      await session.waitFor(/Passphrase of the CA key:\s*$/m);
      session.keys([PASSPHRASE], true);
      session.keys(['Enter']);
      const { rc, screen } = await session.finished(60_000);
      assert.equal(rc, 0, screen);
      assert.ok(!screen.includes(PASSPHRASE), `the passphrase is not echoed:\n${screen}`);
      assert.equal(screen.match(/Passphrase of the CA key:/g)?.length, 1, 'asked once');
      assert.match(await readFile(outfile, 'utf8'), /^[0-9a-f]{64}\n$/);
    } finally {
      session.close();
    }
  });

  test('a wrong answer: exit 255 with the reason, never the answer', async () => {
    const env = await protectedEnv();
    const session = new TtySession(['iot', 'create-keys-and-certificate'], env);
    try {
      await session.waitFor(/Passphrase of the CA key:\s*$/m);
      session.keys(['not it at all'], true);
      session.keys(['Enter']);
      const { rc, screen } = await session.finished(60_000);
      assert.equal(rc, 255, screen);
      assert.match(screen, /cannot be decrypted with the passphrase from the terminal: wrong passphrase/);
      assert.ok(!screen.includes('not it at all'));
    } finally {
      session.close();
    }
  });

  test('Ctrl-C at the question: exit 130, as any interrupted command', async () => {
    const env = await protectedEnv();
    const session = new TtySession(['iot', 'create-keys-and-certificate'], env);
    try {
      await session.waitFor(/Passphrase of the CA key:\s*$/m);
      session.keys(['C-c']);
      const { rc } = await session.finished();
      assert.equal(rc, 130);
    } finally {
      session.close();
    }
  });

  test('fleetca ca protect asks for the new passphrase twice; a mismatch changes nothing', async () => {
    const env = cliEnv(await initialisedHome('fleetca-prompt-protect-'));
    const keyFile = join(env.FLEETCA_HOME as string, 'ca', CA_FILES.issuingKey);
    const plain = await readFile(keyFile, 'utf8');
    const mismatch = new TtySession(['ca', 'protect'], env);
    try {
      await mismatch.waitFor(/New passphrase of the CA key:\s*$/m);
      mismatch.keys([PASSPHRASE], true);
      mismatch.keys(['Enter']);
      await mismatch.waitFor(/Repeat the new passphrase:\s*$/m);
      mismatch.keys(['something else'], true);
      mismatch.keys(['Enter']);
      const { rc, screen } = await mismatch.finished();
      assert.equal(rc, 255, screen);
      assert.match(screen, /the two passphrases differ; nothing was changed/);
      assert.equal(await readFile(keyFile, 'utf8'), plain);
    } finally {
      mismatch.close();
    }
    const session = new TtySession(['ca', 'protect'], env);
    try {
      for (const question of [/New passphrase of the CA key:\s*$/m, /Repeat the new passphrase:\s*$/m]) {
        await session.waitFor(question);
        session.keys([PASSPHRASE], true);
        session.keys(['Enter']);
      }
      const { rc, screen } = await session.finished(60_000);
      assert.equal(rc, 0, screen);
      assert.ok(!screen.includes(PASSPHRASE));
    } finally {
      session.close();
    }
    assert.equal(decryptPrivateKey(await readFile(keyFile, 'utf8'), Buffer.from(PASSPHRASE)).asymmetricKeyType, 'rsa');
  });
});
