import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import { CERT_ID, runFleetca, tempDir } from '../cli-harness.js';

const RESPONSE = {
  certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${CERT_ID}`,
  certificateId: CERT_ID,
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n',
  keyPair: { PublicKey: 'PUB\n', PrivateKey: 'PRIV\n' },
};

const mode = (path: string) => statSync(path).mode & 0o777;

describe('outfile options', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  const run = (args: string[], respond: () => Record<string, unknown> = () => RESPONSE) =>
    runFleetca(['iot', 'create-keys-and-certificate', ...args], {
      cwd: dir.path,
      env: { HOME: dir.path, OUTDIR: join(dir.path, 'out') },
      respond,
    });

  it('writes each value raw with mode 0600 and leaves stdout unchanged', async () => {
    const plain = await run([]);
    const result = await run([
      '--private-key-outfile',
      'priv.key',
      '--certificate-pem-outfile',
      'cert.pem',
      '--public-key-outfile',
      'pub.key',
    ]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, plain.stdout);
    assert.equal(readFileSync(join(dir.path, 'cert.pem'), 'utf8'), RESPONSE.certificatePem);
    assert.equal(readFileSync(join(dir.path, 'pub.key'), 'utf8'), 'PUB\n');
    assert.equal(readFileSync(join(dir.path, 'priv.key'), 'utf8'), 'PRIV\n');
    for (const name of ['cert.pem', 'pub.key', 'priv.key']) assert.equal(mode(join(dir.path, name)), 0o600);
  });

  it('writes in argument-table order whatever the command-line order (same path: private key wins)', async () => {
    const result = await run([
      '--private-key-outfile',
      'same',
      '--public-key-outfile',
      'same',
      '--certificate-pem-outfile',
      'same',
    ]);
    assert.equal(result.code, 0);
    assert.equal(readFileSync(join(dir.path, 'same'), 'utf8'), 'PRIV\n');
  });

  it('makes a pre-existing 0644 file 0600 and truncates it', async () => {
    const path = join(dir.path, 'cert.pem');
    writeFileSync(path, 'old content that is longer than the new one '.repeat(10), { mode: 0o644 });
    assert.equal(mode(path), 0o644);
    await run(['--certificate-pem-outfile', 'cert.pem']);
    assert.equal(mode(path), 0o600);
    assert.equal(readFileSync(path, 'utf8'), RESPONSE.certificatePem);
  });

  it('expands $VAR then ~ in the path', async () => {
    mkdirSync(join(dir.path, 'out'));
    await run(['--certificate-pem-outfile', '$OUTDIR/a.pem', '--public-key-outfile', '~/b.key']);
    assert.equal(readFileSync(join(dir.path, 'out', 'a.pem'), 'utf8'), RESPONSE.certificatePem);
    assert.equal(readFileSync(join(dir.path, 'b.key'), 'utf8'), 'PUB\n');
  });

  it('checks the directory before the call: 252 and the transport never opened', async () => {
    const result = await run(['--certificate-pem-outfile', 'cert.pem', '--private-key-outfile', 'nodir/priv.key']);
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Unable to write to file: nodir/priv.key\n',
    );
    assert.equal(result.stdout, '');
    assert.deepEqual([result.opened.length, result.calls.length], [0, 0]);
    assert.equal(existsSync(join(dir.path, 'cert.pem')), false);
  });

  it('leaves files untouched when the service answers with an error', async () => {
    const existing = join(dir.path, 'cert.pem');
    writeFileSync(existing, 'keep me', { mode: 0o644 });
    const result = await run(['--certificate-pem-outfile', 'cert.pem', '--private-key-outfile', 'priv.key'], () => {
      throw new ServiceError('ThrottlingException', 'Rate exceeded');
    });
    assert.equal(result.code, 254);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me');
    assert.equal(mode(existing), 0o644);
    assert.equal(existsSync(join(dir.path, 'priv.key')), false);
  });

  it('fails with Python errno text after the call when the path is a directory (255, nothing printed)', async () => {
    mkdirSync(join(dir.path, 'adir'));
    const result = await run(['--private-key-outfile', 'adir']);
    assert.equal(result.code, 255);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, "\nfleetca: [ERROR]: [Errno 21] Is a directory: 'adir'\n");
    assert.equal(result.calls.length, 1);
  });

  it('writes an empty file when the member is absent, also with --output off', async () => {
    const result = await run(['--public-key-outfile', 'pub.key', '--output', 'off'], () => ({
      certificateId: CERT_ID,
    }));
    assert.deepEqual([result.code, result.stdout], [0, '']);
    assert.equal(readFileSync(join(dir.path, 'pub.key'), 'utf8'), '');
  });

  it('gives create-certificate-from-csr only --certificate-pem-outfile', async () => {
    const ok = await runFleetca(
      [
        'iot',
        'create-certificate-from-csr',
        '--certificate-signing-request',
        'x',
        '--certificate-pem-outfile',
        'c.pem',
      ],
      { cwd: dir.path, respond: () => RESPONSE },
    );
    assert.equal(ok.code, 0);
    assert.equal(readFileSync(join(dir.path, 'c.pem'), 'utf8'), RESPONSE.certificatePem);
    const refused = await runFleetca(
      ['iot', 'create-certificate-from-csr', '--certificate-signing-request', 'x', '--private-key-outfile', 'k'],
      { cwd: dir.path },
    );
    assert.equal(refused.code, 252);
    assert.match(refused.stderr, /Unknown options: --private-key-outfile, k\n$/);
  });
});
