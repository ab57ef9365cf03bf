import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, tempHome } from '../helpers/run-cli.js';
import { parityEnv, runOracle, sideBySide } from './side-by-side.js';
import { StubEndpoint } from './stub-endpoint.js';

/**
 * The global option table side by side with the real AWS CLI v2 (/usr/bin/aws, 2.9.19):
 * abbreviations and ambiguity errors (the option order matters), the auto-prompt flags, the
 * --debug log structure and the --version shape. 2.9.19 has no --cli-error-format (2.34+), and
 * it prints argparse errors in its pre-2.34 layout, so the parts compared are the messages.
 */

const ID = 'a'.repeat(64);
const LIST = {
  certificates: [
    {
      certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${ID}`,
      certificateId: ID,
      status: 'ACTIVE',
      creationDate: 1700000000,
    },
  ],
};

/** The option list of an `ambiguous option: X could match A, B` message. */
function ambiguity(stderr: string): string | undefined {
  return /ambiguous option: (\S+ could match [^\n]+)/.exec(stderr)?.[1];
}

describe('global options side by side with aws v2', () => {
  const stub = new StubEndpoint();
  let home: string;
  before(async () => {
    home = await tempHome('fleetca-globals-');
    await stub.start();
    stub.respond({ body: LIST });
  });
  after(() => stub.stop());

  it('reports the same ambiguous abbreviations, with the matches in the same order', async () => {
    for (const prefix of ['--no', '--no-cli', '--cli', '--c', '--cli-']) {
      const { aws, fleetca } = await sideBySide(['list-certificates', prefix], stub.url, parityEnv(home), 252);
      assert.equal(fleetca.code, aws.code, prefix);
      // --cli-error-format (2.34+) is the one global 2.9.19 does not know.
      const expected = ambiguity(aws.stderr);
      assert.ok(expected, `aws reports ${prefix} as ambiguous: ${aws.stderr}`);
      const actual = ambiguity(fleetca.stderr)?.replace(', --cli-error-format', '');
      assert.equal(actual, expected, prefix);
      if (prefix === '--no') {
        assert.equal(
          ambiguity(fleetca.stderr),
          '--no could match --no-verify-ssl, --no-paginate, --no-sign-request, --no-cli-pager, --no-cli-auto-prompt',
        );
      }
    }
  });

  it('accepts the same unambiguous abbreviations of the new options', async () => {
    for (const args of [['--no-cli-p'], ['--no-cli-a'], ['--no-s'], ['--no-cli-pager', '--no-paginate']]) {
      const { aws, fleetca } = await sideBySide(['list-certificates', ...args], stub.url, parityEnv(home), 0);
      assert.deepEqual([fleetca.code, fleetca.stdout], [aws.code, aws.stdout], args.join(' '));
      assert.equal(fleetca.code, 0);
    }
  });

  it('does not prompt on the abbreviation --cli-a: the mode is decided on the full option name', async () => {
    const { aws, fleetca } = await sideBySide(['list-certificates', '--cli-a'], stub.url, parityEnv(home), 0);
    assert.deepEqual([fleetca.code, fleetca.stdout, fleetca.stderr], [aws.code, aws.stdout, aws.stderr]);
    assert.equal(fleetca.code, 0);
  });

  it('refuses --cli-auto-prompt with --no-cli-auto-prompt with the same message and code', async () => {
    const { aws, fleetca } = await sideBySide(
      ['list-certificates', '--cli-auto-prompt', '--no-cli-auto-prompt'],
      stub.url,
      parityEnv(home),
      252,
    );
    assert.equal(fleetca.code, aws.code);
    const message = 'Both --cli-auto-prompt and --no-cli-auto-prompt cannot be specified at the same time.';
    assert.ok(aws.stderr.includes(message));
    assert.ok(fleetca.stderr.includes(message));
  });

  it('logs --debug in the same record layout, starting with the version and the arguments', async () => {
    const { aws, fleetca } = await sideBySide(['list-certificates', '--debug'], stub.url, parityEnv(home), 0);
    assert.deepEqual([fleetca.code, fleetca.stdout], [aws.code, aws.stdout]);
    const layout = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - MainThread - [\w.]+ - (DEBUG|INFO) - (.*)$/;
    const first = (stderr: string) =>
      stderr
        .split('\n')
        .map((line) => layout.exec(line))
        .filter((match) => match !== null)
        .slice(0, 2)
        .map((match) => match[2]);
    const [awsVersion, awsArgs] = first(aws.stderr);
    const [ourVersion, ourArgs] = first(fleetca.stderr);
    assert.match(awsVersion ?? '', /^CLI version: aws-cli\//);
    assert.match(ourVersion ?? '', /^CLI version: fleetca\//);
    assert.equal(ourArgs, awsArgs);
    // Both log the raw response body (spec §9).
    for (const stderr of [aws.stderr, fleetca.stderr]) {
      assert.match(stderr, / - DEBUG - Response body:\nb'\{"certificates"/);
    }
    assert.match(
      fleetca.stderr,
      /Sending http request: <HTTPRequest method=GET, url=http:\/\/127\.0\.0\.1:\d+\/certificates/,
    );
  });

  it('prints --version in the same shape', async () => {
    const env = parityEnv(home, { AWS_EXECUTION_ENV: 'CI' });
    const aws = await runOracle(['--version'], env, 0);
    const fleetca = await runCli(['--version'], env);
    // aws-cli/2.9.19 Python/3.11.2 Linux/6.1 exec-env/CI source/x86_64.debian.12 prompt/off
    assert.match(aws.stdout, /^aws-cli\/[\d.]+ Python\/[\d.]+ Linux\/\S+ exec-env\/CI source\/\S+( prompt\/off)?\n$/);
    assert.match(fleetca.stdout, /^fleetca\/[\d.]+ Node\/[\d.]+ Linux\/\S+ exec-env\/CI source\/\S+\n$/);
    assert.deepEqual([fleetca.code, fleetca.stderr], [aws.code, aws.stderr]);
  });
});
