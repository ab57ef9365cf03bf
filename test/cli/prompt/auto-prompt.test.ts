import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { completeLine } from '../../../src/cli/prompt/completion.js';
import { renderParameterPanel } from '../../../src/cli/prompt/parameter-panel.js';
import { resolveAutoPromptMode } from '../../../src/cli/prompt/prompt-mode.js';
import { cliEnv, initialisedHome, runCli } from '../../helpers/run-cli.js';
import { CERT_ID } from '../cli-harness.js';
import { TtySession } from '../tty-harness.js';

describe('auto-prompt mode', () => {
  it('resolves flags, then AWS_CLI_AUTO_PROMPT, then cli_auto_prompt; help and --version switch it off', () => {
    assert.equal(resolveAutoPromptMode(['iot', 'list-certificates'], {}, undefined), 'off');
    assert.equal(resolveAutoPromptMode(['--cli-auto-prompt'], {}, undefined), 'on');
    assert.equal(resolveAutoPromptMode(['x'], { AWS_CLI_AUTO_PROMPT: 'on-partial' }, 'on'), 'on-partial');
    assert.equal(resolveAutoPromptMode(['x'], {}, 'on'), 'on');
    assert.equal(resolveAutoPromptMode(['x'], {}, 'on-partial'), 'on-partial');
    assert.equal(resolveAutoPromptMode(['x', '--no-cli-auto-prompt'], { AWS_CLI_AUTO_PROMPT: 'on' }, 'on'), 'off');
    assert.equal(resolveAutoPromptMode(['x', 'help', '--cli-auto-prompt'], {}, undefined), 'off');
    assert.equal(resolveAutoPromptMode(['--version', '--cli-auto-prompt'], {}, undefined), 'off');
    assert.equal(resolveAutoPromptMode(['x'], { AWS_CLI_AUTO_PROMPT: 'bogus' }, 'on'), 'off');
    assert.throws(
      () => resolveAutoPromptMode(['--cli-auto-prompt', '--no-cli-auto-prompt'], {}, undefined),
      /^ParamValidationError: Both --cli-auto-prompt and --no-cli-auto-prompt cannot be specified at the same time\.$/,
    );
  });
});

describe('auto-prompt completion and documentation', () => {
  it('completes the service, operation names, option names and enum values', () => {
    assert.deepEqual(completeLine('fleetca i'), [['iot'], 'i']);
    assert.deepEqual(completeLine('fleetca iot list-certificates-'), [
      ['list-certificates-by-ca'],
      'list-certificates-',
    ]);
    assert.deepEqual(completeLine('fleetca iot update-certificate --new-s'), [['--new-status '], '--new-s']);
    assert.deepEqual(completeLine('fleetca iot update-certificate --new-status RE'), [
      ['REVOKED', 'REGISTER_INACTIVE'],
      'RE',
    ]);
    assert.deepEqual(completeLine('fleetca iot list-certificates --output y'), [['yaml', 'yaml-stream'], 'y']);
    // Both halves of a boolean are offered; options already on the line are not.
    const [names] = completeLine('fleetca iot list-certificates --page-size 3 --');
    assert.ok(names.includes('--ascending-order ') && names.includes('--no-ascending-order '));
    assert.ok(!names.includes('--page-size '));
  });

  it('documents each parameter with its type, required flag and choices', () => {
    const panel = renderParameterPanel('update-certificate');
    assert.ok(panel.startsWith('Parameters of fleetca iot update-certificate'));
    assert.ok(panel.includes('  --certificate-id (string, required)\n'));
    assert.ok(
      panel.includes(
        '  --new-status (string, required)\n      choices: ACTIVE | INACTIVE | REVOKED | PENDING_TRANSFER | REGISTER_INACTIVE | PENDING_ACTIVATION\n',
      ),
    );
    assert.ok(renderParameterPanel('delete-certificate').includes('  --force-delete | --no-force-delete (boolean)\n'));
  });
});

describe('auto-prompt without a terminal', () => {
  let home: string;
  before(async () => {
    home = await initialisedHome('fleetca-prompt-');
  });
  const env = (extra: Record<string, string> = {}) => cliEnv(home, { AWS_DEFAULT_REGION: 'us-east-1', ...extra });

  it('warns that input is not a terminal and fails as the AWS CLI does (255)', async () => {
    for (const [args, extra] of [
      [['iot', 'list-certificates', '--cli-auto-prompt'], {}],
      [['iot', 'list-certificates'], { AWS_CLI_AUTO_PROMPT: 'on' }],
    ] as const) {
      const result = await runCli(args, env(extra));
      assert.deepEqual(
        [result.code, result.stdout, result.stderr],
        [255, '', 'Warning: Input is not a terminal (fd=0).\n\nfleetca: [ERROR]:\n'],
      );
    }
  });

  it('refuses both flags (252)', async () => {
    const result = await runCli(['iot', 'list-certificates', '--cli-auto-prompt', '--no-cli-auto-prompt'], env());
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      '\nfleetca: [ERROR]: An error occurred (ParamValidation): Both --cli-auto-prompt and --no-cli-auto-prompt cannot be specified at the same time.\n',
    );
  });

  it('on-partial runs the command and prompts only after a parameter error', async () => {
    const partial = env({ AWS_CLI_AUTO_PROMPT: 'on-partial' });
    const ok = await runCli(['iot', 'get-registration-code'], partial);
    assert.equal(ok.code, 0);
    assert.equal(ok.stderr, '');
    const failed = await runCli(['iot', 'describe-certificate'], partial);
    // The parameter error is not shown; the prompt is (and needs a terminal).
    assert.deepEqual(
      [failed.code, failed.stderr],
      [255, 'Warning: Input is not a terminal (fd=0).\n\nfleetca: [ERROR]:\n'],
    );
  });

  it('stays off for --version and help', async () => {
    const version = await runCli(['--version', '--cli-auto-prompt'], env());
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^fleetca\//);
    const help = await runCli(['iot', 'get-registration-code', 'help', '--cli-auto-prompt'], env());
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^NAME\n/);
  });
});

describe('auto-prompt on a terminal (tmux)', () => {
  let home: string;
  const sessions: TtySession[] = [];
  const start = (args: readonly string[], extra: Record<string, string> = {}) => {
    const session = new TtySession(['iot', ...args], cliEnv(home, { AWS_DEFAULT_REGION: 'us-east-1', ...extra }));
    sessions.push(session);
    return session;
  };
  before(async () => {
    home = await initialisedHome('fleetca-prompt-tty-');
  });
  after(() => {
    for (const session of sessions) session.close();
  });

  it('shows the parameters, completes names and values, shows the command line and runs it', async () => {
    const session = start(['update-certificate', '--cli-auto-prompt']);
    const panel = await session.waitFor(/^> fleetca iot update-certificate *$/m);
    assert.ok(panel.includes('  --new-status (string, required)\n      choices: ACTIVE | INACTIVE | REVOKED'));
    session.keys([`--certificate-id ${CERT_ID} --new-s`], true);
    await session.waitFor(/--new-s$/m);
    // One key at a time, each after the screen shows the last: a loaded machine must not reorder completion.
    session.keys(['Tab']);
    await session.waitFor(/--new-status *$/m);
    session.keys(['REV'], true);
    await session.waitFor(/--new-status REV$/m);
    session.keys(['Tab']);
    await session.waitFor(/--new-status REVOKED$/m);
    session.keys(['Enter']);
    const { rc, screen } = await session.finished(30000);
    assert.ok(screen.includes(`\nfleetca iot update-certificate --certificate-id ${CERT_ID} --new-status REVOKED\n`));
    // The command really ran: the local registry has no such certificate.
    assert.equal(rc, 254);
    assert.match(
      screen,
      /An error occurred \(ResourceNotFoundException\) when calling the UpdateCertificate operation/,
    );
  });

  it('lets the user pick the operation first', async () => {
    const session = start(['--cli-auto-prompt']);
    await session.waitFor(/^> fleetca iot *$/m);
    session.keys(['get-registration-'], true);
    session.keys(['Tab']);
    await session.waitFor(/^> fleetca iot get-registration-code *$/m);
    session.keys(['Enter']);
    await session.waitFor(/Parameters of fleetca iot get-registration-code/);
    session.keys(['Enter']);
    const { rc, screen } = await session.finished(30000);
    assert.equal(rc, 0);
    assert.match(screen, /"registrationCode": "[0-9a-f]{64}"/);
  });

  it('prompts after a parameter error in on-partial mode, hiding the error', async () => {
    const config = join(home, 'partial-config');
    writeFileSync(config, '[default]\ncli_auto_prompt = on-partial\n');
    const session = start(['describe-certificate'], { AWS_CONFIG_FILE: config });
    const screen = await session.waitFor(/^> fleetca iot describe-certificate *$/m);
    assert.ok(!screen.includes('ERROR'));
    session.keys(['C-c']);
    assert.equal((await session.finished()).rc, 130);
  });

  it('exits 130 on Ctrl-C', async () => {
    const session = start(['list-certificates', '--cli-auto-prompt']);
    await session.waitFor(/^> fleetca iot list-certificates *$/m);
    session.keys(['C-c']);
    const { rc } = await session.finished();
    assert.equal(rc, 130);
  });
});
