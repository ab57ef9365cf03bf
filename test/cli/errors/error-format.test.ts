import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempHome } from '../../helpers/run-cli.js';
import { parityEnv } from '../../parity/side-by-side.js';
import { StubEndpoint } from '../../parity/stub-endpoint.js';

/**
 * `--cli-error-format` (AWS CLI v2 ≥ 2.34; env AWS_CLI_ERROR_FORMAT, config cli_error_format),
 * compared with the spec's 2.36.7 captures (§13.2, §13.4): the oracle on this machine (2.9.19)
 * predates the option.
 */

const CKC = ['iot', 'create-keys-and-certificate'];
const INVALID_REQUEST = {
  status: 400,
  headers: { 'x-amzn-ErrorType': 'InvalidRequestException' },
  body: { message: 'The request is not valid.' },
};
const ENHANCED =
  '\nfleetca: [ERROR]: An error occurred (InvalidRequestException) when calling the CreateKeysAndCertificate operation: The request is not valid.\n';
// Captured (2.36.7, --cli-error-format json): Message, Code, then the shape's modeled members.
const JSON_ERROR =
  '{\n    "Message": "The request is not valid.",\n    "Code": "InvalidRequestException",\n    "message": "The request is not valid."\n}\n';
const YAML_ERROR =
  'Code: InvalidRequestException\nMessage: The request is not valid.\nmessage: The request is not valid.\n';

describe('--cli-error-format', () => {
  const stub = new StubEndpoint();
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    await stub.start();
    home = await tempHome('fleetca-error-format-');
    env = parityEnv(home);
  });
  after(() => stub.stop());

  const run = (args: readonly string[], extraEnv: Record<string, string> = {}) =>
    runCli([...CKC, '--endpoint-url', stub.url, ...args], { ...env, ...extraEnv });

  it('enhanced (the default) and legacy: the classic line with the prefix', async () => {
    stub.respond(INVALID_REQUEST);
    for (const args of [[], ['--cli-error-format', 'enhanced'], ['--cli-error-format', 'legacy']]) {
      const result = await run(args);
      assert.equal(result.stderr, ENHANCED);
      assert.equal(result.stdout, '');
      assert.equal(result.code, 254);
    }
  });

  it('json: the captured error document on stderr', async () => {
    stub.respond(INVALID_REQUEST);
    const result = await run(['--cli-error-format', 'json']);
    assert.equal(result.stderr, JSON_ERROR);
    assert.equal(result.stdout, '');
    assert.equal(result.code, 254);
  });

  it('yaml: the same data with sorted keys', async () => {
    stub.respond(INVALID_REQUEST);
    const result = await run(['--cli-error-format', 'yaml']);
    assert.equal(result.stderr, YAML_ERROR);
    assert.equal(result.code, 254);
  });

  it('text and table use their formatters (table title "error")', async () => {
    stub.respond(INVALID_REQUEST);
    const text = await run(['--cli-error-format', 'text']);
    assert.equal(text.stderr, 'InvalidRequestException\tThe request is not valid.\tThe request is not valid.\n');
    assert.equal(text.code, 254);
    const table = await run(['--cli-error-format', 'table']);
    assert.match(table.stderr, /\|\s+error\s+\|/);
    assert.equal(table.code, 254);
  });

  it('AWS_CLI_ERROR_FORMAT and cli_error_format choose it; the option wins; invalid values mean enhanced', async () => {
    stub.respond(INVALID_REQUEST);
    assert.equal((await run([], { AWS_CLI_ERROR_FORMAT: 'json' })).stderr, JSON_ERROR);
    assert.equal((await run(['--cli-error-format', 'yaml'], { AWS_CLI_ERROR_FORMAT: 'json' })).stderr, YAML_ERROR);
    assert.equal((await run([], { AWS_CLI_ERROR_FORMAT: 'xml' })).stderr, ENHANCED);
    const config = join(home, 'error-format-config');
    await writeFile(config, '[default]\ncli_error_format = yaml\n[profile bad]\ncli_error_format = xml\n');
    assert.equal((await run([], { AWS_CONFIG_FILE: config })).stderr, YAML_ERROR);
    assert.equal((await run([], { AWS_CONFIG_FILE: config, AWS_PROFILE: 'bad' })).stderr, ENHANCED);
    // The environment comes before the config file.
    assert.equal((await run([], { AWS_CONFIG_FILE: config, AWS_CLI_ERROR_FORMAT: 'json' })).stderr, JSON_ERROR);
  });

  it('a service error with extra modeled members lists them after message', async () => {
    stub.respond({
      status: 409,
      headers: { 'x-amzn-ErrorType': 'ResourceAlreadyExistsException' },
      body: { message: 'exists', resourceId: 'r1', resourceArn: 'arn:r1' },
    });
    const result = await run(['--cli-error-format', 'json']);
    assert.equal(
      result.stderr,
      '{\n    "Message": "exists",\n    "Code": "ResourceAlreadyExistsException",\n    "message": "exists",\n    "resourceId": "r1",\n    "resourceArn": "arn:r1"\n}\n',
    );
    assert.equal(result.code, 254);
  });

  it('parameter validation and configuration errors: Code then Message', async () => {
    const param = await runCli(
      [
        'iot',
        'describe-certificate',
        '--certificate-id',
        'abc',
        '--endpoint-url',
        stub.url,
        '--cli-error-format',
        'json',
      ],
      env,
    );
    assert.equal(
      param.stderr,
      '{\n    "Code": "ParamValidation",\n    "Message": "Parameter validation failed:\\nInvalid length for parameter certificateId, value: 3, valid min length: 64"\n}\n',
    );
    assert.equal(param.code, 252);
    const { AWS_DEFAULT_REGION: _region, ...noRegion } = env;
    const region = await runCli([...CKC, '--endpoint-url', stub.url, '--cli-error-format', 'json'], noRegion);
    assert.equal(
      region.stderr,
      '{\n    "Code": "NoRegion",\n    "Message": "You must specify a region. You can also configure your region by running \\"aws configure\\"."\n}\n',
    );
    assert.equal(region.code, 253);
  });

  it('unknown options and general errors are never structured', async () => {
    const unknown = await run(['--cli-error-format', 'json', '--foo']);
    assert.match(unknown.stderr, /\nfleetca: \[ERROR\]: Unknown options: --foo\n$/);
    assert.equal(unknown.code, 252);
    const refused = await runCli(
      [...CKC, '--endpoint-url', 'http://127.0.0.1:1', '--cli-error-format', 'json', '--cli-connect-timeout', '1'],
      env,
    );
    assert.match(refused.stderr, /^\nfleetca: \[ERROR\]: Could not connect to the endpoint URL: /);
    assert.equal(refused.code, 255);
  });

  it('an invalid --cli-error-format is an argparse error', async () => {
    const result = await run(['--cli-error-format', 'xml']);
    assert.match(result.stderr, /argument --cli-error-format: Found invalid choice 'xml'/);
    assert.equal(result.code, 252);
  });
});
