import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pagerCommand } from '../../../src/cli/output/pager.js';
import { shlexSplit } from '../../../src/cli/python/shlex.js';
import { cliEnv, initialisedHome } from '../../helpers/run-cli.js';
import { runFleetca } from '../cli-harness.js';
import { TtySession } from '../tty-harness.js';

describe('pager resolution', () => {
  const none = { all: {} };
  it('prefers --no-cli-pager, then AWS_PAGER, cli_pager, PAGER, less; empty means none', () => {
    assert.equal(pagerCommand({}, none, undefined), 'less');
    assert.equal(pagerCommand({ PAGER: 'more' }, none, undefined), 'more');
    assert.equal(pagerCommand({ PAGER: 'more' }, none, 'cat'), 'cat');
    assert.equal(pagerCommand({ PAGER: 'more', AWS_PAGER: 'pg' }, none, 'cat'), 'pg');
    assert.equal(pagerCommand({ AWS_PAGER: '' }, none, 'cat'), undefined);
    assert.equal(pagerCommand({}, none, ''), undefined);
    assert.equal(pagerCommand({ AWS_PAGER: 'pg' }, { all: { no_cli_pager: true } }, 'cat'), undefined);
  });

  it("splits the command like Python's shlex.split", () => {
    assert.deepEqual(shlexSplit('less -FRX'), ['less', '-FRX']);
    assert.deepEqual(shlexSplit(`sed 's/^/A B:/'`), ['sed', 's/^/A B:/']);
    assert.deepEqual(shlexSplit(`a "b \\"c\\" \\x" d\\ e`), ['a', 'b "c" \\x', 'd e']);
    assert.deepEqual(shlexSplit('  '), []);
    assert.throws(() => shlexSplit(`'open`), /No closing quotation/);
  });

  it('never pages when stdout is not a terminal', async () => {
    const plain = await runFleetca(['iot', 'list-certificates']);
    const result = await runFleetca(['iot', 'list-certificates'], { env: { AWS_PAGER: 'nosuchpager' } });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, plain.stdout);
  });
});

describe('pager on a terminal (tmux)', () => {
  let home: string;
  const sessions: TtySession[] = [];
  const env = (extra: Record<string, string> = {}) => cliEnv(home, { AWS_DEFAULT_REGION: 'us-east-1', ...extra });
  const start = (args: readonly string[], extra: Record<string, string> = {}, suffix = '') => {
    const session = new TtySession(['iot', ...args], env(extra), suffix);
    sessions.push(session);
    return session;
  };
  const CONFIG_WITH_PAGER = () => join(home, 'pager-config');

  before(async () => {
    home = await initialisedHome('fleetca-pager-');
    writeFileSync(CONFIG_WITH_PAGER(), '[default]\ncli_pager = sed s/^/CFG:/\n');
  });
  after(() => {
    for (const session of sessions) session.close();
  });

  const LISTED = (prefix: string) => `${prefix}{\n${prefix}    "certificates": []\n${prefix}}\n`;

  it('pipes the output through cli_pager; AWS_PAGER wins over it, PAGER does not (spec §8 captures)', async () => {
    const cfg = { AWS_CONFIG_FILE: CONFIG_WITH_PAGER() };
    const runs = [
      start(['list-certificates'], cfg),
      start(['list-certificates'], { ...cfg, AWS_PAGER: 'sed s/^/ENV:/' }),
      start(['list-certificates'], { ...cfg, PAGER: 'sed s/^/PG:/' }),
      start(['list-certificates'], { PAGER: 'sed s/^/PG:/' }),
    ];
    const expected = ['CFG:', 'ENV:', 'CFG:', 'PG:'];
    for (const [index, session] of runs.entries()) {
      const { rc, screen } = await session.finished();
      assert.equal(rc, 0);
      assert.equal(screen, LISTED(expected[index] as string));
    }
  });

  it('does not page with --no-cli-pager, an empty AWS_PAGER, or a piped stdout', async () => {
    const cfg = { AWS_CONFIG_FILE: CONFIG_WITH_PAGER() };
    const runs = [
      start(['list-certificates', '--no-cli-pager'], cfg),
      start(['list-certificates', '--no-cli-p'], { AWS_PAGER: 'sed s/^/ENV:/' }),
      start(['list-certificates'], { ...cfg, AWS_PAGER: '' }),
      start(['list-certificates'], { AWS_PAGER: 'sed s/^/ENV:/' }, ' | cat'),
    ];
    for (const session of runs) {
      const { rc, screen } = await session.finished();
      assert.equal(rc, 0);
      assert.equal(screen, LISTED(''));
    }
  });

  it('gives the pager LESS=FRX unless LESS is set', async () => {
    const pager = { AWS_PAGER: `sh -c 'echo "LESS=$LESS"; cat >/dev/null'` };
    const runs = [start(['list-certificates'], pager), start(['list-certificates'], { ...pager, LESS: '-X' })];
    assert.equal((await runs[0]?.finished())?.screen, 'LESS=FRX\n');
    assert.equal((await runs[1]?.finished())?.screen, 'LESS=-X\n');
  });

  it('uses less -FRX by default: short output is shown and the command ends', async () => {
    const { rc, screen } = await start(['list-certificates']).finished();
    assert.equal(rc, 0);
    assert.equal(screen, LISTED(''));
  });

  it('fails with the Pager configuration error (253) when the pager cannot start', async () => {
    const { rc, screen } = await start(['list-certificates'], { AWS_PAGER: 'nosuchpager -x' }).finished();
    assert.equal(rc, 253);
    assert.equal(
      screen,
      '\nfleetca: [ERROR]: An error occurred (Pager): Unable to redirect output to pager. Received the following error when opening pager:\n' +
        "[Errno 2] No such file or directory: 'nosuchpager'\n\n" +
        'Learn more about configuring the output pager by running "fleetca help config-vars".\n',
    );
  });

  it('does not page errors, and pages help', async () => {
    const pager = { AWS_PAGER: 'sed s/^/ENV:/' };
    const failed = await start(['describe-certificate', '--certificate-id', 'x'], pager).finished();
    assert.equal(failed.rc, 252);
    assert.ok(!failed.screen.includes('ENV:'));
    const help = await start(['list-certificates', 'help'], {
      AWS_PAGER: `sh -c 'sed s/^/ENV:/ | head -2'`,
    }).finished();
    assert.equal(help.rc, 0);
    assert.equal(
      help.screen,
      'ENV:NAME\nENV:       list-certificates - Lists the certificates registered in your account,\n',
    );
  });
});
