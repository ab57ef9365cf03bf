import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IniParseError, parseIni } from '../../../src/cli/config/ini.js';
import { CERT_ID, runFleetca, tempDir } from '../cli-harness.js';

// Appendix B of the spec, plus a profile that exists only in the credentials file.
const CONFIG = `[default]
region = eu-west-1
output = off

[profile p2]
region = ap-south-1

[profile p3]
aws_access_key_id = AKIDCONFIGP3

[profile "spaced name"]
Region: sa-east-1
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIDFILEDEFAULT

[p2]
aws_access_key_id = AKIDFILEP2

[credsonly]
aws_access_key_id = X
region = us-west-1
`;

describe('region and profile resolution', () => {
  const dir = tempDir();
  const home = join(dir.path, 'home');
  before(() => {
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'config'), CONFIG);
    writeFileSync(join(home, '.aws', 'credentials'), CREDENTIALS);
    mkdirSync(join(dir.path, 'alt'));
    writeFileSync(join(dir.path, 'alt', 'config'), '[default]\nregion = sa-east-1\n[profile p9]\nregion = us-west-2\n');
    writeFileSync(join(dir.path, 'alt', 'bad'), 'region = nosection\n');
  });
  after(() => dir.remove());

  const regionOf = async (args: string[], env: Record<string, string> = {}) => {
    const result = await runFleetca([...args, 'iot', 'create-keys-and-certificate'], {
      env: { HOME: home, ...env },
      respond: () => ({ certificateId: CERT_ID }),
    });
    return { region: result.opened[0]?.region, result };
  };

  it('takes the region of the default profile from ~/.aws/config (and its output format)', async () => {
    const { region, result } = await regionOf([]);
    assert.equal(region, 'eu-west-1');
    // `output = off` of [default] applies too.
    assert.equal(result.stdout, '');
  });

  it('orders --region > AWS_REGION > AWS_DEFAULT_REGION > profile', async () => {
    assert.equal((await regionOf([], { AWS_DEFAULT_REGION: 'us-west-1' })).region, 'us-west-1');
    assert.equal(
      (await regionOf([], { AWS_REGION: 'ca-central-1', AWS_DEFAULT_REGION: 'us-west-1' })).region,
      'ca-central-1',
    );
    assert.equal((await regionOf(['--region', 'me-south-1'], { AWS_REGION: 'ca-central-1' })).region, 'me-south-1');
  });

  it('uses the named profile, whose region does not fall back to [default]', async () => {
    assert.equal((await regionOf(['--profile', 'p2'])).region, 'ap-south-1');
    assert.equal((await regionOf(['--profile', 'p3'])).region, undefined);
    assert.equal((await regionOf(['--profile', 'spaced name'])).region, 'sa-east-1');
    assert.equal((await regionOf(['--profile', 'credsonly'])).region, 'us-west-1');
  });

  it('orders --profile > AWS_PROFILE > AWS_DEFAULT_PROFILE', async () => {
    assert.equal((await regionOf([], { AWS_DEFAULT_PROFILE: 'p2' })).region, 'ap-south-1');
    assert.equal((await regionOf([], { AWS_PROFILE: 'default', AWS_DEFAULT_PROFILE: 'p2' })).region, 'eu-west-1');
    assert.equal((await regionOf(['--profile', 'p2'], { AWS_PROFILE: 'default' })).region, 'ap-south-1');
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', async () => {
    const env = {
      AWS_CONFIG_FILE: join(dir.path, 'alt', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir.path, 'none'),
    };
    assert.equal((await regionOf([], env)).region, 'sa-east-1');
    assert.equal((await regionOf(['--profile', 'p9'], env)).region, 'us-west-2');
    const missing = await regionOf(['--profile', 'p2'], env);
    assert.equal(missing.result.stderr, '\nfleetca: [ERROR]: The config profile (p2) could not be found\n');
  });

  it('reports an unknown profile (even an empty AWS_PROFILE) with exit 255 before anything is sent', async () => {
    const nope = await regionOf(['--profile', 'nope'], { AWS_ACCESS_KEY_ID: 'AKID' });
    assert.deepEqual(
      [nope.result.code, nope.result.stderr, nope.result.opened.length],
      [255, '\nfleetca: [ERROR]: The config profile (nope) could not be found\n', 0],
    );
    const empty = await regionOf([], { AWS_PROFILE: '' });
    assert.equal(empty.result.stderr, '\nfleetca: [ERROR]: The config profile () could not be found\n');
  });

  it('reports a malformed region with exit 255', async () => {
    const { result } = await regionOf(['--region', 'us east 1']);
    assert.deepEqual(
      [result.code, result.stderr, result.opened.length],
      [255, "\nfleetca: [ERROR]: Provided region_name 'us east 1' doesn't match a supported format.\n", 0],
    );
    assert.equal((await regionOf(['--region=-bad'])).result.code, 255);
    assert.equal((await regionOf(['--region', '12345'])).result.code, 255);
  });

  it('passes no region when nothing sets one, letting the transport choose', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], { env: { FLEETCA_HOME: '/x' } });
    assert.deepEqual(result.regions, [undefined]);
    // The transport reads its own settings from the command's environment, not process.env.
    assert.equal(result.opened[0]?.env?.FLEETCA_HOME, '/x');
  });

  it('reports a config file that does not parse, before anything else', async () => {
    const path = join(dir.path, 'alt', 'bad');
    const { result } = await regionOf([], { AWS_CONFIG_FILE: path });
    assert.deepEqual([result.code, result.stderr], [255, `\nfleetca: [ERROR]: Unable to parse config file: ${path}\n`]);
    // v2 reads the files when it starts: even --version fails.
    const version = await runFleetca(['--version'], { env: { AWS_CONFIG_FILE: path } });
    assert.deepEqual([version.code, version.stdout], [255, '']);
  });

  it('checks the profile after the arguments (argument errors come first)', async () => {
    const result = await runFleetca(
      ['--profile', 'nope', 'iot', 'describe-certificate', '--certificate-id', CERT_ID, '--bogus'],
      {
        env: { HOME: home },
      },
    );
    assert.equal(result.code, 252);
    assert.match(result.stderr, /Unknown options: --bogus\n$/);
  });
});

describe('INI reader (configparser rules)', () => {
  it('reads sections, both delimiters, lower-cased keys, full-line comments only', () => {
    const ini = parseIni(
      '# comment\n[default]\nRegion = eu-west-1 ; kept\n  ; indented comment\noutput:json\n\n[profile x]\nregion=\n',
    );
    assert.deepEqual(Object.fromEntries(ini.get('default') ?? []), { region: 'eu-west-1 ; kept', output: 'json' });
    assert.deepEqual(Object.fromEntries(ini.get('profile x') ?? []), { region: '' });
  });

  it('joins indented continuation lines and applies DEFAULT to every section', () => {
    const ini = parseIni(
      '[DEFAULT]\nshared = 1\n[a]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\nshared = 2\n[b]\n',
    );
    assert.deepEqual(Object.fromEntries(ini.get('a') ?? []), {
      shared: '2',
      s3: '\nmax_concurrent_requests = 20\naddressing_style = path',
    });
    assert.deepEqual(Object.fromEntries(ini.get('b') ?? []), { shared: '1' });
    assert.equal(ini.has('DEFAULT'), false);
  });

  it('refuses what configparser refuses', () => {
    assert.throws(() => parseIni('key = value\n'), IniParseError);
    assert.throws(() => parseIni('[a]\n[a]\n'), IniParseError);
    assert.throws(() => parseIni('[a]\nk = 1\nK = 2\n'), IniParseError);
    assert.throws(() => parseIni('[a]\nno delimiter\n'), IniParseError);
  });
});
