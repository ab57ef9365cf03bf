import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pyOsErrorMessage } from '../../../src/cli/python/errno.js';
import { runFleetca, tempDir } from '../cli-harness.js';

const CSR_OPTION = '--certificate-signing-request';
const validationPrefix = '\nfleetca: [ERROR]: An error occurred (ParamValidation): ';

describe('file:// and fileb:// parameter values', () => {
  const dir = tempDir();
  const home = join(dir.path, 'home');
  before(() => {
    mkdirSync(home);
    mkdirSync(join(dir.path, 'adir'));
    writeFileSync(
      join(dir.path, 'csr.pem'),
      '-----BEGIN CERTIFICATE REQUEST-----\r\nMII\r\n-----END CERTIFICATE REQUEST-----\r\n',
    );
    writeFileSync(join(home, 'home.pem'), 'from home\n');
    writeFileSync(join(dir.path, 'bin.dat'), Buffer.from([0xff, 0xfe, 0x00, 0x27]));
    writeFileSync(join(dir.path, 'utf8.pem'), 'caf\u00e9\n');
  });
  after(() => dir.remove());

  const run = (args: string[], env: Record<string, string> = {}) =>
    runFleetca(['iot', 'create-certificate-from-csr', ...args], { cwd: dir.path, env: { HOME: home, ...env } });

  it('loads file:// as UTF-8 text with universal newlines, relative to the working directory', async () => {
    const result = await run([CSR_OPTION, 'file://csr.pem']);
    assert.equal(result.code, 0);
    assert.deepEqual(result.calls[0]?.params, {
      certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nMII\n-----END CERTIFICATE REQUEST-----\n',
    });
    const utf8 = await run([CSR_OPTION, 'file://utf8.pem']);
    assert.deepEqual(utf8.calls[0]?.params, { certificateSigningRequest: 'caf\u00e9\n' });
  });

  it('expands ~ and $VARS in the path', async () => {
    const tilde = await run([CSR_OPTION, 'file://~/home.pem']);
    assert.deepEqual(tilde.calls[0]?.params, { certificateSigningRequest: 'from home\n' });
    const variable = await run([CSR_OPTION, 'file://$CSR_DIR/csr.pem'], { CSR_DIR: dir.path });
    assert.equal(variable.code, 0);
  });

  it('reports a missing file with the Python errno text (exit 252, nothing sent)', async () => {
    const result = await run([CSR_OPTION, 'file://missing.pem']);
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      `${validationPrefix}Error parsing parameter '--certificate-signing-request': Unable to load paramfile file://missing.pem: [Errno 2] No such file or directory: 'missing.pem'\n`,
    );
    assert.equal(result.opened.length, 0);
    const expanded = await run([CSR_OPTION, 'file://~/nope.pem']);
    assert.equal(
      expanded.stderr,
      `${validationPrefix}Error parsing parameter '--certificate-signing-request': Unable to load paramfile file://~/nope.pem: [Errno 2] No such file or directory: '${home}/nope.pem'\n`,
    );
  });

  it('reports a directory as EISDIR', async () => {
    const result = await run([CSR_OPTION, 'file://adir']);
    assert.equal(
      result.stderr,
      `${validationPrefix}Error parsing parameter '--certificate-signing-request': Unable to load paramfile file://adir: [Errno 21] Is a directory: 'adir'\n`,
    );
  });

  it('words EACCES as Python does (root reads anything, so the errno is given directly)', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    assert.equal(pyOsErrorMessage(denied, 'secret.pem'), "[Errno 13] Permission denied: 'secret.pem'");
  });

  it('refuses text that is not UTF-8', async () => {
    const result = await run([CSR_OPTION, 'file://bin.dat']);
    assert.equal(
      result.stderr,
      `${validationPrefix}Error parsing parameter '--certificate-signing-request': Unable to load paramfile (bin.dat), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix.\n`,
    );
  });

  it('loads fileb:// as bytes, which botocore refuses for a string parameter', async () => {
    const result = await run([CSR_OPTION, 'fileb://bin.dat']);
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      `${validationPrefix}Parameter validation failed:\nInvalid type for parameter certificateSigningRequest, value: b"\\xff\\xfe\\x00'", type: <class 'bytes'>, valid types: <class 'str'>\n`,
    );
    assert.equal(result.calls.length, 0);
  });

  it('applies to every string argument, the paging token included', async () => {
    writeFileSync(join(dir.path, 'token.txt'), '4');
    const result = await runFleetca(['iot', 'list-certificates', '--starting-token', 'file://token.txt'], {
      cwd: dir.path,
      env: { HOME: home },
    });
    assert.deepEqual(result.calls[0]?.params, { marker: '4' });
  });
});
