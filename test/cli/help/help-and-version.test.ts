import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { machine, release, type } from 'node:os';
import { describe, it } from 'node:test';
import { COMMAND_SUMMARIES, TOP_LEVEL_COMMANDS } from '../../../src/cli/argv/command-names.js';
import { OPERATION_COMMANDS } from '../../../src/cli/argv/command-table.js';
import { argparseError, runFleetca } from '../cli-harness.js';

/** An AVAILABLE COMMANDS entry: the name, then its line (wrapped, indented under it). */
function listed(page: string, name: string, summary: string): boolean {
  const start = page.indexOf(`       o ${name}\n`);
  if (start < 0) return false;
  const entry = page.slice(start).split('\n\n')[0] as string;
  const text = entry.split('\n').slice(1).join(' ').replace(/\s+/g, ' ').trim();
  return summary !== '' && text === summary;
}

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const VERSION_LINE = `fleetca/${packageVersion} Node/${process.versions.node} ${type()}/${release()} source/${machine()}\n`;

describe('--version', () => {
  it('prints the version line on stdout, exit 0, anywhere on the line', async () => {
    for (const argv of [
      ['--version'],
      ['iot', 'create-keys-and-certificate', '--version'],
      ['iot', 'update-certificate', '--vers'],
      ['--version', '--output', 'xml'],
    ]) {
      const result = await runFleetca(argv);
      assert.deepEqual([result.code, result.stdout, result.stderr, result.opened.length], [0, VERSION_LINE, '', 0]);
    }
  });

  it('adds exec-env like the AWS CLI', async () => {
    const result = await runFleetca(['--version'], { env: { AWS_EXECUTION_ENV: 'CI' } });
    assert.equal(result.stdout, VERSION_LINE.replace(' source/', ' exec-env/CI source/'));
  });

  it('loses to an argument error that comes before it', async () => {
    const result = await runFleetca(['--output', 'xml', '--version']);
    assert.deepEqual(
      [result.code, result.stderr],
      [252, argparseError("argument --output: Found invalid choice 'xml'\n")],
    );
  });
});

describe('help', () => {
  it('renders the top-level help for `help` and `--help`', async () => {
    for (const argv of [['help'], ['--help']]) {
      const result = await runFleetca(argv);
      assert.equal(result.code, 0);
      assert.equal(result.stderr, '');
      for (const text of [
        "NAME\n       fleetca - a self-hosted device certificate authority that speaks AWS\n       IoT's API\n",
        'GETTING STARTED\n',
        '          fleetca iot create-keys-and-certificate --set-as-active ',
        'SYNOPSIS',
        '--region (string)',
        '--no-paginate (boolean)',
        'o iot',
      ]) {
        assert.ok(result.stdout.includes(text), `${argv.join(' ')}: missing ${text}`);
      }
      for (const name of TOP_LEVEL_COMMANDS) {
        assert.ok(listed(result.stdout, name, COMMAND_SUMMARIES[name] ?? ''), `${name} listed with its line`);
      }
    }
  });

  it('lists the operations for `iot help` and `iot --help`', async () => {
    for (const argv of [
      ['iot', 'help'],
      ['iot', '--help'],
    ]) {
      const result = await runFleetca(argv);
      assert.equal(result.code, 0);
      for (const name of [
        'create-keys-and-certificate',
        'create-certificate-from-csr',
        'describe-certificate',
        'list-certificates',
        'update-certificate',
        'delete-certificate',
      ]) {
        assert.ok(result.stdout.includes(`o ${name}\n`), `missing ${name}`);
      }
      assert.match(result.stdout, /^NAME\n {7}iot - the AWS IoT operations/);
      // Every operation with the first sentence of its documentation in the model.
      for (const [name, operation] of OPERATION_COMMANDS) {
        const sentence = /^.*?\.(?=\s|$)/s.exec(operation.documentation)?.[0] ?? '';
        assert.ok(listed(result.stdout, name, sentence), `${name} listed with "${sentence}"`);
      }
    }
  });

  it('documents an operation from the model: options, types, choices, constraints, output', async () => {
    const help = await runFleetca(['iot', 'update-certificate', 'help']);
    assert.equal(help.code, 0);
    const text = help.stdout;
    for (const expected of [
      'NAME\n       update-certificate - Updates the status of the specified certificate.\n',
      'Updates the status of the specified certificate.',
      'SYNOPSIS\n            update-certificate\n          --certificate-id <value>\n          --new-status <value>\n',
      '--certificate-id (string)',
      'o min: 64',
      'o pattern: (0x)?[a-fA-F0-9]+',
      '--new-status (string)',
      'Possible values:',
      'o PENDING_ACTIVATION',
      'GLOBAL OPTIONS',
      'OUTPUT\n       None',
    ]) {
      assert.ok(text.includes(expected), `missing ${JSON.stringify(expected)}`);
    }
    const flagged = await runFleetca(['iot', 'update-certificate', '--help']);
    assert.equal(flagged.stdout, text);
  });

  it('shows boolean pairs, outfiles, paging options and nested output members', async () => {
    const keys = (await runFleetca(['iot', 'create-keys-and-certificate', 'help'])).stdout;
    for (const expected of [
      '[--set-as-active | --no-set-as-active]',
      '[--certificate-pem-outfile <value>]',
      '--private-key-outfile (string)\n          Saves the command output contents of keyPair.PrivateKey to the given\n          filename',
      'keyPair -> (structure)',
      '          PrivateKey -> (string)',
    ]) {
      assert.ok(keys.includes(expected), `missing ${JSON.stringify(expected)}`);
    }
    const list = (await runFleetca(['iot', 'list-certificates', 'help'])).stdout;
    assert.ok(list.includes('list-certificates is a paginated operation.'));
    assert.ok(list.includes('[--max-items <value>]'));
    assert.ok(!list.includes('--marker'), 'the service marker is undocumented, as in the AWS CLI');
  });

  it('shows help for `<op> help` even when required arguments are missing', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', 'help']);
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes('--certificate-id (string)'));
  });
});
