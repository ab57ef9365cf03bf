import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildArgumentTable, cliAdditionsOf, OPERATION_COMMANDS } from '../../../src/cli/argv/command-table.js';
import { GLOBAL_OPTIONS } from '../../../src/cli/argv/global-options.js';
import { shlexSplit } from '../../../src/cli/python/shlex.js';
import type { OperationModel } from '../../../src/model/shapes.js';
import { runFleetca } from '../cli-harness.js';

/** The examples an operation declares for its help page. */
const examplesOf = async (operation: OperationModel) => (await cliAdditionsOf(operation))?.examples ?? [];

describe('operation help: examples and required options', () => {
  it('has at least one example per operation, each using only options the operation has', async () => {
    const globals = new Set(GLOBAL_OPTIONS.map((row) => row.option));
    for (const [name, operation] of OPERATION_COMMANDS) {
      const cli = await cliAdditionsOf(operation);
      const examples = cli?.examples ?? [];
      assert.ok(examples.length > 0, `${name} has no example`);
      const options = new Set([...buildArgumentTable(operation, cli).args.keys()].map((arg) => `--${arg}`));
      for (const example of examples) {
        const words = shlexSplit(example.command);
        assert.deepEqual(words.slice(0, 3), ['fleetca', 'iot', name]);
        for (const word of words.filter((w) => w.startsWith('--'))) {
          assert.ok(options.has(word) || globals.has(word), `${name}: example uses unknown ${word}`);
        }
      }
    }
  });

  it('renders EXAMPLES between GLOBAL OPTIONS and OUTPUT, and marks required options', async () => {
    for (const [name, operation] of OPERATION_COMMANDS) {
      const { code, stdout } = await runFleetca(['iot', name, 'help']);
      assert.equal(code, 0);
      const sections = stdout.split('\n').filter((line) => /^[A-Z][A-Z ]+$/.test(line));
      assert.deepEqual(sections, [
        'NAME',
        'DESCRIPTION',
        'SYNOPSIS',
        'OPTIONS',
        'GLOBAL OPTIONS',
        'EXAMPLES',
        'OUTPUT',
      ]);
      const example = (await examplesOf(operation))[0];
      assert.ok(stdout.includes(`\n          ${example?.command}\n`), `${name}: example command shown on one line`);
    }
    const update = await runFleetca(['iot', 'update-certificate', '--help']);
    assert.ok(update.stdout.includes('\n       --certificate-id (string) [required]\n'));
    assert.ok(update.stdout.includes('\n       --new-status (string) [required]\n'));
    const list = await runFleetca(['iot', 'list-certificates', 'help']);
    assert.ok(list.stdout.includes('\n       --page-size (integer)\n'));
  });

  it('lists the new global options in help, in the AWS CLI order', async () => {
    const { stdout } = await runFleetca(['help']);
    const shown = [...stdout.matchAll(/^ {7}(--[a-z-]+) \(/gm)].map((match) => match[1]);
    for (const option of ['--debug', '--no-cli-pager', '--cli-auto-prompt', '--no-cli-auto-prompt']) {
      assert.ok(shown.includes(option), `${option} missing from help`);
    }
    assert.equal(shown[0], '--debug');
  });
});
