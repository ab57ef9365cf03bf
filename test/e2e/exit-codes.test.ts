import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EXIT } from '../../src/cli/errors/exit-codes.js';
import { cliEnv, initialisedHome, runCli, tempHome } from '../helpers/run-cli.js';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) };
// Port 9 (discard) has no listener on the test machines: the connection is refused at once.
const NOWHERE = 'http://127.0.0.1:9';

interface Case {
  readonly title: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Prepares the data directory (FLEETCA_HOME) before the run. */
  readonly prepare?: (dataDir: string) => Promise<void>;
  readonly code: number;
  readonly stderr: RegExp;
}

/** One run per row of the README's exit-code table (130, Ctrl-C, is tested in test/cli/signals/interrupt.test.ts). */
const CASES: readonly Case[] = [
  { title: 'success', args: ['iot', 'list-certificates'], code: EXIT.ok, stderr: /^$/ },
  {
    title: 'an unknown option',
    args: ['iot', 'list-certificates', '--foo', 'bar'],
    code: EXIT.paramValidation,
    stderr: /Unknown options: --foo, bar\n$/,
  },
  {
    title: 'remote mode without a region',
    args: ['iot', 'list-certificates', '--endpoint-url', NOWHERE],
    env: CREDENTIALS,
    code: EXIT.configuration,
    stderr: /An error occurred \(NoRegion\): You must specify a region/,
  },
  {
    title: 'remote mode without credentials',
    args: ['iot', 'list-certificates', '--endpoint-url', NOWHERE, '--region', 'us-east-1'],
    code: EXIT.configuration,
    stderr: /An error occurred \(NoCredentials\): Unable to locate credentials/,
  },
  {
    title: '--store together with an endpoint',
    args: ['iot', 'list-certificates', '--store', 'sqlite:registry.db', '--endpoint-url', NOWHERE],
    code: EXIT.configuration,
    stderr:
      /An error occurred \(Configuration\): --store names a local registry; it cannot be used together with an endpoint/,
  },
  {
    title: 'a service error',
    args: ['iot', 'describe-certificate', '--certificate-id', 'a'.repeat(64)],
    code: EXIT.clientError,
    stderr: /An error occurred \(ResourceNotFoundException\) when calling the DescribeCertificate operation/,
  },
  {
    title: 'an endpoint that cannot be reached',
    args: ['iot', 'list-certificates', '--endpoint-url', NOWHERE, '--region', 'us-east-1'],
    env: { ...CREDENTIALS, AWS_MAX_ATTEMPTS: '1' },
    code: EXIT.general,
    stderr: /fleetca: \[ERROR\]: Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/certificates"/,
  },
  {
    title: 'a foreign data directory',
    args: ['iot', 'list-certificates'],
    prepare: async (dataDir) => {
      await mkdir(dataDir, { recursive: true });
      await writeFile(join(dataDir, 'notes.txt'), 'not fleetca');
    },
    code: EXIT.general,
    stderr: /is not a fleetca data directory/,
  },
  {
    title: "the registry's refusal in fleetca admin",
    args: ['admin', 'delete-account', '--account-id', '999999999999'],
    code: EXIT.general,
    stderr: /^\nfleetca: \[ERROR\]: account 999999999999 does not exist\n$/,
  },
];

describe('exit codes', () => {
  for (const { title, args, env: extra, prepare, code, stderr } of CASES) {
    test(`${code}: ${title}`, async () => {
      // An initialised data directory, so that stderr holds only the case's own message (a first use adds a note),
      // unless the case prepares the directory itself.
      const home = prepare ? await tempHome('fleetca-exit-') : await initialisedHome('fleetca-exit-');
      const env = cliEnv(home, extra);
      await prepare?.(env.FLEETCA_HOME as string);
      const run = await runCli(args, env, home);
      assert.equal(run.code, code, `stderr: ${run.stderr}`);
      assert.match(run.stderr, stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    });
  }
});
