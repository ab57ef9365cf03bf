import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { KEYGEN_ENGINES } from '../../src/ca/keygen/engines.js';
import { ADMIN_COMMAND, CA_COMMAND, COMMAND_SUMMARIES, SERVE_COMMAND } from '../../src/cli/argv/command-names.js';
import { OUTPUT_CHOICES } from '../../src/cli/argv/global-options.js';
import { MAX_KEYGEN_SETTING } from '../../src/home/config.js';
import { LOG_LEVELS } from '../../src/server/logging/logger.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

/** Regex-escapes a literal piece of an expected message. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const unknown = (list: string) => new RegExp(`\\nfleetca: \\[ERROR\\]: Unknown options: ${literal(list)}\\n$`);
/** A parameter error whose message is `message`, or starts with it when `whole` is false. */
const argument = (message: string, whole = true) =>
  new RegExp(
    `^\\nfleetca: \\[ERROR\\]: An error occurred \\(ParamValidation\\): ${literal(message)}${whole ? '\\n' : ''}`,
  );
const badChoice = (option: string, value: string, choices: readonly string[]) =>
  argument(`argument ${option}: Found invalid choice '${value}'\n\nValid choices: ${choices.join(', ')}\n`);
const badNumber = (option: string, value: string, maximum: number, minimum = 0) =>
  argument(`argument ${option}: invalid int value: '${value}' (expected a whole number from ${minimum} to ${maximum})`);

/**
 * Every mistake on the line of fleetca's own commands (serve, ca, admin) and of the top level: exit
 * 252, nothing on stdout, and a message that names the mistake — the option, value or word given.
 */
const CASES: readonly { readonly args: readonly string[]; readonly stderr: RegExp }[] = [
  // Unknown options, reported as `fleetca iot` reports them.
  { args: ['serve', '--prot', '28419'], stderr: unknown('--prot, 28419') },
  { args: ['serve', 'frobnicate'], stderr: unknown('frobnicate') },
  { args: ['serve', '--port', '8080', '--tsl'], stderr: unknown('--tsl') },
  { args: ['ca', 'export', '--pem'], stderr: unknown('--pem') },
  { args: ['admin', 'list-accounts', '--bogus', '1'], stderr: unknown('--bogus, 1') },
  { args: ['iot', 'list-certificates', '--prot', '28419'], stderr: unknown('--prot, 28419') },
  // A missing value.
  { args: ['serve', '--port'], stderr: argument('argument --port: expected one argument') },
  { args: ['serve', '--log-level'], stderr: argument('argument --log-level: expected one argument') },
  {
    args: ['admin', 'create-access-key', '--account-id'],
    stderr: argument('argument --account-id: expected one argument'),
  },
  // An invalid value: what is valid is said.
  { args: ['serve', '--port', 'abc'], stderr: badNumber('--port', 'abc', 65535) },
  { args: ['serve', '--port', '70000'], stderr: badNumber('--port', '70000', 65535) },
  { args: ['serve', '--mqtt-port', '-1'], stderr: badNumber('--mqtt-port', '-1', 65535) },
  { args: ['serve', '--key-pool-size', '-1'], stderr: badNumber('--key-pool-size', '-1', MAX_KEYGEN_SETTING) },
  { args: ['serve', '--keygen-threads', '0'], stderr: badNumber('--keygen-threads', '0', MAX_KEYGEN_SETTING, 1) },
  { args: ['serve', '--log-level', 'loud'], stderr: badChoice('--log-level', 'loud', LOG_LEVELS) },
  { args: ['serve', '--mqtt-refusal', 'x'], stderr: badChoice('--mqtt-refusal', 'x', ['close', 'connack']) },
  { args: ['serve', '--keygen-engine', 'forge'], stderr: badChoice('--keygen-engine', 'forge', KEYGEN_ENGINES) },
  { args: ['admin', 'list-accounts', '--output', 'xml'], stderr: badChoice('--output', 'xml', OUTPUT_CHOICES) },
  {
    args: ['admin', 'list-accounts', '--query', '['],
    stderr: argument('Bad value for --query [: Invalid jmespath expression', false),
  },
  {
    args: ['admin', 'create-account', '--account-id', '42'],
    stderr: argument('Invalid value for --account-id: "42" is not 12 digits'),
  },
  // A missing required option or subcommand.
  {
    args: ['admin', 'create-access-key'],
    stderr: argument('the following arguments are required: --account-id'),
  },
  {
    args: ['admin', 'grant-claim', '--template-name', 't'],
    stderr: argument('the following arguments are required: --certificate-id'),
  },
  { args: ['admin'], stderr: argument('the following arguments are required: subcommand') },
  { args: ['ca'], stderr: argument('the following arguments are required: subcommand') },
  // An unknown subcommand or command.
  {
    args: ['admin', 'frobnicate'],
    stderr: argument(
      "argument subcommand: Found invalid choice 'frobnicate'\n\nValid choices: create-account, ",
      false,
    ),
  },
  {
    args: ['ca', 'frobnicate'],
    stderr: badChoice('subcommand', 'frobnicate', ['export', 'crl', 'protect', 'passphrase', 'help']),
  },
  { args: ['frobnicate'], stderr: argument("argument command: Found invalid choice 'frobnicate'") },
  { args: ['iot', 'frobnicate'], stderr: argument("argument operation: Found invalid choice 'frobnicate'") },
];

describe('usage mistakes of every command are named (exit 252)', () => {
  for (const { args, stderr } of CASES) {
    test(`fleetca ${args.join(' ')}`, async () => {
      const env = cliEnv(await tempHome('fleetca-messages-'));
      const run = await runCli(args, env);
      assert.equal(run.code, 252, `exit code; stderr: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
      // A mistake on the line never creates a data directory.
      await assert.rejects(access(env.FLEETCA_HOME as string), { code: 'ENOENT' });
    });
  }
});

describe('help pages of fleetca’s own commands', () => {
  /** The subcommands a command accepts, read from the message for an unknown one. */
  async function subcommandsOf(command: string, env: NodeJS.ProcessEnv): Promise<string[]> {
    const run = await runCli([command, 'frobnicate'], env);
    const list = /Valid choices: (.*)\n/.exec(run.stderr)?.[1];
    assert.ok(list, `no list of subcommands in: ${run.stderr}`);
    return list.split(', ').filter((name) => name !== 'help');
  }

  for (const command of [ADMIN_COMMAND, CA_COMMAND, SERVE_COMMAND]) {
    test(`fleetca ${command} help: its one line, then what it takes`, async () => {
      const env = cliEnv(await tempHome('fleetca-help-'));
      const lines = [
        [command, 'help'],
        [command, '--help'],
        ['--help', command],
      ];
      const pages = await Promise.all(lines.map((args) => runCli(args, env)));
      for (const page of pages) {
        assert.equal(page.code, 0, page.stderr);
        assert.ok(page.stdout.startsWith(`NAME\n       ${command} - ${COMMAND_SUMMARIES[command]}\n`), page.stdout);
      }
      const page = (pages[0] as { stdout: string }).stdout;
      const expected =
        command === SERVE_COMMAND
          ? ['--host', '--port', '--tls', '--store', '--log-level', '--mqtt-port', '--mqtt-refusal', '--no-mqtt']
          : (await subcommandsOf(command, env)).map((name) => `o ${name}`);
      for (const entry of expected) assert.ok(page.includes(`       ${entry}`), `${command} help lists ${entry}`);
    });
  }

  test('fleetca serve: `help` after options is still the help page', async () => {
    const env = cliEnv(await tempHome('fleetca-help-'));
    const run = await runCli(['serve', '--port', '1', 'help'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^NAME\n {7}serve - /);
  });
});
