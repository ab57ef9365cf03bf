import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { argparseError } from '../cli-harness.js';
import {
  AUTH_ENV,
  cliError,
  json,
  parseAuthorization,
  type RecordedRequest,
  runRemote,
  type Stub,
  startStub,
  tempDir,
  writeFiles,
} from './remote-harness.js';

const ID = 'f'.repeat(64);
const describeArgs = ['iot', 'describe-certificate', '--certificate-id', ID];

describe('endpoint resolution', () => {
  const dir = tempDir();
  const stubs: Record<string, Stub> = {};
  const names = ['flag', 'envService', 'envGlobal', 'services', 'profile'] as const;
  before(async () => {
    for (const name of names) {
      const stub = await startStub();
      stub.script(() => json({ certificateDescription: { certificateId: ID } }));
      stubs[name] = stub;
    }
    writeFiles(dir.path, {
      config: [
        '[default]',
        `endpoint_url = ${stubs.profile?.url}`,
        'services = local-fleetca',
        '',
        '[services local-fleetca]',
        'iot =',
        `  endpoint_url = ${stubs.services?.url}`,
        '',
        '[profile plain]',
        `endpoint_url = ${stubs.profile?.url}`,
        'aws_access_key_id = AKIDPLAIN',
        'aws_secret_access_key = s',
        '',
        '[profile ignoring]',
        `endpoint_url = ${stubs.profile?.url}`,
        'ignore_configured_endpoint_urls = true',
        'aws_access_key_id = AKIDIGNORING',
        'aws_secret_access_key = s',
        '',
        '[profile broken]',
        'services = nowhere',
      ].join('\n'),
    });
  });
  after(async () => {
    for (const stub of Object.values(stubs)) await stub.close();
    dir.remove();
  });

  /** Which stub got the request, 'local' when none was configured. */
  const target = async (args: string[], env: Record<string, string> = {}) => {
    for (const stub of Object.values(stubs)) stub.requests.length = 0;
    const run = await runRemote([...describeArgs, ...args], {
      env: { ...AUTH_ENV, AWS_CONFIG_FILE: join(dir.path, 'config'), ...env },
    });
    assert.equal(run.code, 0, run.stderr);
    const hit = names.filter((name) => (stubs[name]?.requests.length ?? 0) > 0);
    if (run.opened[0] === undefined) return 'local';
    assert.equal(hit.length, 1);
    return hit[0];
  };

  it('orders --endpoint-url > AWS_ENDPOINT_URL_IOT > AWS_ENDPOINT_URL > [services] iot > profile endpoint_url', async () => {
    const all = { AWS_ENDPOINT_URL_IOT: stubs.envService?.url ?? '', AWS_ENDPOINT_URL: stubs.envGlobal?.url ?? '' };
    assert.equal(await target(['--endpoint-url', stubs.flag?.url ?? ''], all), 'flag');
    assert.equal(await target([], all), 'envService');
    assert.equal(await target([], { AWS_ENDPOINT_URL: stubs.envGlobal?.url ?? '' }), 'envGlobal');
    assert.equal(await target([]), 'services');
    assert.equal(await target(['--profile', 'plain']), 'profile');
  });

  it('skips empty values', async () => {
    assert.equal(await target([], { AWS_ENDPOINT_URL_IOT: '', AWS_ENDPOINT_URL: '' }), 'services');
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls: local mode, but --endpoint-url still counts', async () => {
    const env = { AWS_ENDPOINT_URL: stubs.envGlobal?.url ?? '' };
    assert.equal(await target([], { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' }), 'local');
    assert.equal(await target(['--profile', 'ignoring']), 'local');
    assert.equal(await target(['--profile', 'ignoring'], { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }), 'profile');
    assert.equal(
      await target(['--endpoint-url', stubs.flag?.url ?? ''], { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }),
      'flag',
    );
  });

  it('without any endpoint: the local data directory, as before', async () => {
    assert.equal(await target([], { AWS_CONFIG_FILE: join(dir.path, 'none') }), 'local');
  });

  it('a profile naming a missing services section is an error (255)', async () => {
    const run = await runRemote([...describeArgs, '--profile', 'broken'], {
      env: { ...AUTH_ENV, AWS_CONFIG_FILE: join(dir.path, 'config') },
    });
    assert.deepEqual(
      [run.code, run.stderr],
      [
        255,
        cliError(
          'The profile is configured to use the services section but the "nowhere" services configuration does not exist.',
        ),
      ],
    );
  });

  it('--endpoint-url without a scheme: 252, before the command is even parsed', async () => {
    const message =
      'An error occurred (ParamValidation): Bad value for --endpoint-url "foo": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/';
    for (const argv of [
      [...describeArgs, '--endpoint-url', 'foo'],
      ['--endpoint-url', 'foo', 'iot'],
      ['--endpoint-url', 'foo', 'iot', 'describe-certificate'],
    ]) {
      const run = await runRemote(argv);
      assert.deepEqual([run.code, run.stderr], [252, cliError(message)]);
    }
    const empty = await runRemote([...describeArgs, '--endpoint-url', '']);
    assert.equal(empty.stderr, cliError(message.replace('"foo"', '""')));
  });

  it('a configured endpoint that is no URL: Invalid endpoint (255)', async () => {
    for (const url of ['foo', 'localhost:8080', 'http://under_score/']) {
      const run = await runRemote(describeArgs, { env: { ...AUTH_ENV, AWS_ENDPOINT_URL: url } });
      assert.deepEqual([run.code, run.stderr], [255, cliError(`Invalid endpoint: ${url}`)]);
    }
  });
});

describe('credentials, region and profile (Appendix B)', () => {
  const dir = tempDir();
  const home = join(dir.path, 'home');
  let stub: Stub;
  before(async () => {
    stub = await startStub();
    stub.script(() => json({ certificateDescription: { certificateId: ID } }));
    writeFiles(home, {
      '.aws/credentials':
        '[default]\naws_access_key_id = AKIDFILEDEFAULT\naws_secret_access_key = s1\n\n' +
        '[p2]\naws_access_key_id = AKIDFILEP2\naws_secret_access_key = s2\n\n' +
        '[half]\naws_access_key_id = AKIDHALF\n\n' +
        '[tokened]\naws_access_key_id = AKIDTOK\naws_secret_access_key = s4\naws_session_token = filetoken\n',
      '.aws/config':
        '[default]\nregion = eu-west-1\n\n[profile p2]\nregion = ap-south-1\n\n' +
        '[profile p3]\naws_access_key_id = AKIDCONFIGP3\naws_secret_access_key = s3\n\n' +
        '[profile p4]\nregion = us-east-2\naws_access_key_id = AKIDCONFIGP4\n\n' +
        '[profile half]\nregion = us-east-2\n\n[profile tokened]\nregion = us-east-2\n',
    });
    writeFiles(dir.path, {
      'alt/creds': '[default]\naws_access_key_id = AKIDALTCREDS\naws_secret_access_key = s5\n',
      'alt/config': '[default]\nregion = sa-east-1\n\n[profile p9]\nregion = us-west-2\n',
    });
  });
  after(async () => {
    await stub.close();
    dir.remove();
  });

  const ENV_CREDS = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'senv' };
  const ALT = {
    AWS_SHARED_CREDENTIALS_FILE: join(dir.path, 'alt/creds'),
    AWS_CONFIG_FILE: join(dir.path, 'alt/config'),
  };

  /** `Credential=<key>/<region>` of the request sent, or the error when none was. */
  const credentialOf = async (args: string[], env: Record<string, string> = {}) => {
    stub.requests.length = 0;
    const run = await runRemote([...describeArgs, '--endpoint-url', stub.url, ...args], {
      env: { HOME: home, ...env },
    });
    const request = stub.requests[0] as RecordedRequest | undefined;
    if (!request) return { code: run.code, stderr: run.stderr };
    const auth = parseAuthorization(request.headers.authorization);
    return {
      code: run.code,
      credential: auth ? `${auth.accessKeyId}/${auth.region}` : '<unsigned>',
      token: request.headers['x-amz-security-token'],
    };
  };

  const rows: [string, string[], Record<string, string>, string, string?][] = [
    ['file default', [], {}, 'AKIDFILEDEFAULT/eu-west-1'],
    ['env creds + file default', [], ENV_CREDS, 'AKIDENV/eu-west-1'],
    ['AWS_PROFILE=p2', [], { AWS_PROFILE: 'p2' }, 'AKIDFILEP2/ap-south-1'],
    ['AWS_PROFILE=p2 + env creds', [], { AWS_PROFILE: 'p2', ...ENV_CREDS }, 'AKIDENV/ap-south-1'],
    ['--profile p2 + env creds', ['--profile', 'p2'], ENV_CREDS, 'AKIDFILEP2/ap-south-1'],
    ['--profile default + env creds', ['--profile', 'default'], ENV_CREDS, 'AKIDFILEDEFAULT/eu-west-1'],
    ['--profile p2 + AWS_PROFILE=default', ['--profile', 'p2'], { AWS_PROFILE: 'default' }, 'AKIDFILEP2/ap-south-1'],
    [
      '--profile p3 --region us-east-2 (config-file keys)',
      ['--profile', 'p3', '--region', 'us-east-2'],
      {},
      'AKIDCONFIGP3/us-east-2',
    ],
    ['AWS_SHARED_CREDENTIALS_FILE + AWS_CONFIG_FILE', [], ALT, 'AKIDALTCREDS/sa-east-1'],
    ['AWS_REGION', [], { AWS_REGION: 'us-west-1' }, 'AKIDFILEDEFAULT/us-west-1'],
    ['AWS_DEFAULT_REGION', [], { AWS_DEFAULT_REGION: 'us-west-1' }, 'AKIDFILEDEFAULT/us-west-1'],
    [
      'AWS_REGION + AWS_DEFAULT_REGION',
      [],
      { AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'ca-central-1' },
      'AKIDFILEDEFAULT/us-west-1',
    ],
    ['--region + AWS_REGION', ['--region', 'me-south-1'], { AWS_REGION: 'us-west-1' }, 'AKIDFILEDEFAULT/me-south-1'],
    [
      'AWS_DEFAULT_PROFILE=p2 AWS_PROFILE=default',
      [],
      { AWS_DEFAULT_PROFILE: 'p2', AWS_PROFILE: 'default' },
      'AKIDFILEDEFAULT/eu-west-1',
    ],
    ['--no-sign-request', ['--no-sign-request'], {}, '<unsigned>'],
    ['session token env', [], { ...ENV_CREDS, AWS_SESSION_TOKEN: 'tok' }, 'AKIDENV/eu-west-1', 'tok'],
    [
      'AWS_SECURITY_TOKEN first',
      [],
      { ...ENV_CREDS, AWS_SECURITY_TOKEN: 'old', AWS_SESSION_TOKEN: 'tok' },
      'AKIDENV/eu-west-1',
      'old',
    ],
    ['session token in the credentials file', ['--profile', 'tokened'], {}, 'AKIDTOK/us-east-2', 'filetoken'],
    [
      'only AWS_SECRET_ACCESS_KEY: the env provider passes',
      [],
      { AWS_SECRET_ACCESS_KEY: 'x' },
      'AKIDFILEDEFAULT/eu-west-1',
    ],
  ];
  for (const [title, args, env, credential, token] of rows) {
    it(title, async () => {
      assert.deepEqual(await credentialOf(args, env), { code: 0, credential, token });
    });
  }

  const NO_REGION =
    'An error occurred (NoRegion): You must specify a region. You can also configure your region by running "aws configure".';
  const NO_CREDENTIALS =
    'An error occurred (NoCredentials): Unable to locate credentials. You can configure credentials by running "aws login".';
  const failures: [string, string[], Record<string, string>, number, string][] = [
    ['--profile p3 (no region in p3)', ['--profile', 'p3'], {}, 253, NO_REGION],
    ['alt files + --profile p9 (no credentials)', ['--profile', 'p9'], ALT, 253, NO_CREDENTIALS],
    ['no credentials at all', [], { HOME: dir.path, AWS_REGION: 'us-east-1' }, 253, NO_CREDENTIALS],
    ['no region before no credentials', [], { HOME: dir.path }, 253, NO_REGION],
    ['AWS_PROFILE= (empty)', [], { AWS_PROFILE: '' }, 255, 'The config profile () could not be found'],
    [
      'AWS_PROFILE=nope + env creds',
      [],
      { AWS_PROFILE: 'nope', ...ENV_CREDS },
      255,
      'The config profile (nope) could not be found',
    ],
    [
      'only AWS_ACCESS_KEY_ID',
      [],
      { AWS_ACCESS_KEY_ID: 'AKIDENV' },
      255,
      'Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY',
    ],
    [
      'a credentials-file profile without its secret',
      ['--profile', 'half'],
      {},
      255,
      'Partial credentials found in shared-credentials-file, missing: aws_secret_access_key',
    ],
    [
      'a config-file profile without its secret',
      ['--profile', 'p4'],
      {},
      255,
      'Partial credentials found in config-file, missing: aws_secret_access_key',
    ],
  ];
  for (const [title, args, env, code, message] of failures) {
    it(`${title}: exit ${code}, nothing sent`, async () => {
      assert.deepEqual(await credentialOf(args, env), { code, stderr: cliError(message) });
    });
  }

  it('parameter validation comes before NoRegion / NoCredentials; partial credentials before validation', async () => {
    const short = ['iot', 'describe-certificate', '--certificate-id', 'abc', '--endpoint-url', stub.url];
    const noCreds = await runRemote(short, { env: { HOME: dir.path } });
    assert.equal(noCreds.code, 252);
    const partial = await runRemote(short, { env: { HOME: dir.path, AWS_ACCESS_KEY_ID: 'x' } });
    assert.equal(partial.code, 255);
  });

  it('local mode needs neither credentials nor a region', async () => {
    const run = await runRemote(describeArgs, { env: { HOME: dir.path, AWS_ACCESS_KEY_ID: 'partial' } });
    assert.deepEqual([run.code, run.opened], [0, [undefined]]);
  });
});

describe('global option abbreviations with the new rows', () => {
  it('--no is ambiguous among the --no-* globals, listed in the AWS CLI order', async () => {
    const run = await runRemote(['iot', 'list-certificates', '--no']);
    assert.equal(
      run.stderr,
      argparseError(
        'ambiguous option: --no could match --no-verify-ssl, --no-paginate, --no-sign-request, --no-cli-pager, --no-cli-auto-prompt',
      ),
    );
  });

  it('prefixes of the new options resolve in the main parser', async () => {
    const stub = await startStub();
    try {
      stub.script(() => json({ certificates: [] }));
      const run = await runRemote(
        ['iot', 'list-certificates', '--endpoint', stub.url, '--no-s', '--cli-r', '5', '--cli-c', '7'],
        {
          env: { AWS_MAX_ATTEMPTS: '1' },
        },
      );
      assert.deepEqual([run.code, run.stderr], [0, '']);
      assert.equal(stub.requests[0]?.headers.authorization, undefined);
      assert.deepEqual([run.opened[0]?.readTimeoutMs, run.opened[0]?.connectTimeoutMs], [5000, 7000]);
    } finally {
      await stub.close();
    }
  });

  it('--cli- is ambiguous between the two timeouts', async () => {
    const run = await runRemote(['iot', 'list-certificates', '--cli-', '1']);
    assert.equal(run.code, 252);
    assert.match(run.stderr, /ambiguous option: --cli- could match --cli-read-timeout, --cli-connect-timeout/);
  });
});
