import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type CliResult, cliEnv, initialisedHome, runCli, tempHome } from '../helpers/run-cli.js';

const USAGE =
  'usage: fleetca [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
  'To see help text, you can run:\n\n  fleetca help\n  fleetca <command> help\n  fleetca <command> <subcommand> help\n';

/** Bad input ends with a clear message and the AWS CLI's exit code, never a stack trace. */
function assertCleanFailure(run: CliResult, code: number, message: RegExp | string): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  if (typeof message === 'string') assert.equal(run.stderr, message);
  else assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

describe('bad input', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const iot = (...args: string[]) => runCli(['iot', ...args], env);
  const listIds = async () => {
    const run = await iot('list-certificates');
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout).certificates.map((c: { certificateId: string }) => c.certificateId);
  };

  before(async () => {
    home = await initialisedHome();
    env = cliEnv(home);
  });

  test('an unknown option', async () => {
    assertCleanFailure(
      await iot('create-keys-and-certificate', '--foo', 'bar'),
      252,
      `\n${USAGE}\n\nfleetca: [ERROR]: Unknown options: --foo, bar\n`,
    );
  });

  test('a missing required option', async () => {
    assertCleanFailure(
      await iot('update-certificate', '--new-status', 'ACTIVE'),
      252,
      `\nfleetca: [ERROR]: An error occurred (ParamValidation): the following arguments are required: --certificate-id\n\n${USAGE}`,
    );
  });

  test('a malformed certificate id: too short (client-side) and not hex (service-side)', async () => {
    assertCleanFailure(
      await iot('describe-certificate', '--certificate-id', 'abcd'),
      252,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid length for parameter certificateId, value: 4, valid min length: 64\n',
    );
    const notHex = 'z'.repeat(64);
    assertCleanFailure(
      await iot('describe-certificate', '--certificate-id', notHex),
      254,
      `\nfleetca: [ERROR]: An error occurred (InvalidRequestException) when calling the DescribeCertificate operation: 1 validation error detected: Value '${notHex}' at 'certificateId' failed to satisfy constraint: Member must satisfy regular expression pattern: (0x)?[a-fA-F0-9]+\n`,
    );
  });

  test('a status that does not exist', async () => {
    assertCleanFailure(
      await iot('update-certificate', '--certificate-id', 'a'.repeat(64), '--new-status', 'ENABLED'),
      254,
      /Value 'ENABLED' at 'newStatus' failed to satisfy constraint: Member must satisfy enum value set/,
    );
  });

  test('a missing or unreadable file:// path', async () => {
    assertCleanFailure(
      await iot('create-certificate-from-csr', '--certificate-signing-request', 'file://missing.pem'),
      252,
      "\nfleetca: [ERROR]: An error occurred (ParamValidation): Error parsing parameter '--certificate-signing-request': Unable to load paramfile file://missing.pem: [Errno 2] No such file or directory: 'missing.pem'\n",
    );
    const dir = join(home, 'a-directory');
    await mkdir(dir, { recursive: true });
    assertCleanFailure(
      await iot('create-certificate-from-csr', '--certificate-signing-request', `file://${dir}`),
      252,
      /Unable to load paramfile file:\/\/.*a-directory: \[Errno 21\] Is a directory/,
    );
  });

  test('an invalid CSR is InvalidRequestException and issues nothing', async () => {
    const before = await listIds();
    const garbage = join(home, 'garbage.csr');
    await writeFile(garbage, '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n');
    assertCleanFailure(
      await iot('create-certificate-from-csr', '--certificate-signing-request', `file://${garbage}`),
      254,
      /An error occurred \(InvalidRequestException\) when calling the CreateCertificateFromCsr operation: The certificate signing request is not valid: /,
    );
    assertCleanFailure(
      await iot('create-certificate-from-csr', '--certificate-signing-request', 'hello'),
      254,
      /InvalidRequestException/,
    );
    assert.deepEqual(await listIds(), before);
  });

  test('an outfile in a missing directory: refused before anything is issued', async () => {
    const before = await listIds();
    assertCleanFailure(
      await iot('create-keys-and-certificate', '--private-key-outfile', 'no/such/dir/key.pem'),
      252,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Unable to write to file: no/such/dir/key.pem\n',
    );
    assert.deepEqual(await listIds(), before, 'no certificate may be issued');
  });

  test('a corrupted registry database', async () => {
    const corrupt = await tempHome();
    const corruptEnv = cliEnv(corrupt);
    const ok = await runCli(['iot', 'list-certificates'], corruptEnv);
    assert.equal(ok.code, 0, ok.stderr);
    await writeFile(join(corrupt, 'fleetca', 'registry.db'), 'this is not a database, it is a text file'.repeat(200));
    for (const name of await readdir(join(corrupt, 'fleetca'))) {
      if (name.startsWith('registry.db-')) await writeFile(join(corrupt, 'fleetca', name), '');
    }
    assertCleanFailure(await runCli(['iot', 'list-certificates'], corruptEnv), 255, /registry\.db/);
  });

  test('a corrupted config and a foreign data directory', async () => {
    const foreign = await tempHome();
    await mkdir(join(foreign, 'fleetca'));
    await writeFile(join(foreign, 'fleetca', 'notes.txt'), 'somebody else lives here');
    assertCleanFailure(
      await runCli(['iot', 'list-certificates'], cliEnv(foreign)),
      255,
      /is not a fleetca data directory/,
    );

    const broken = await tempHome();
    await mkdir(join(broken, 'fleetca'));
    await writeFile(join(broken, 'fleetca', 'config.json'), '{"format": "something-else"}');
    assertCleanFailure(
      await runCli(['iot', 'list-certificates'], cliEnv(broken)),
      255,
      /is not a fleetca configuration/,
    );
  });

  test('CA key files readable by others are refused', async () => {
    const loose = await tempHome();
    const looseEnv = cliEnv(loose);
    assert.equal((await runCli(['ca', 'export'], looseEnv)).code, 0);
    await chmod(join(loose, 'fleetca', 'ca', 'issuing-ca.key'), 0o644);
    assertCleanFailure(await runCli(['iot', 'list-certificates'], looseEnv), 255, /issuing-ca\.key.*chmod 600/s);
  });
});
