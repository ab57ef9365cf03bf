import { type ChildProcess, spawn } from 'node:child_process';
import type { ParsedGlobals } from '../argv/global-options.js';
import { ConfigurationError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { PROG } from '../prog.js';
import { pyOsErrorMessage } from '../python/errno.js';
import { shlexSplit } from '../python/shlex.js';
import { holdInterrupts } from '../signals/interrupt.js';
import type { OutputStream } from './formatter.js';

/**
 * AWS CLI v2's output pager (spec §8): used only when stdout is a terminal; the command is
 * `--no-cli-pager` (none) > AWS_PAGER > `cli_pager` of the profile > PAGER > `less`, an empty
 * value meaning none. It is started on the first write, gets `LESS=FRX` unless LESS is set, and
 * a pager that cannot be started is a Pager configuration error (exit 253).
 */
export function pagerCommand(
  env: Readonly<Record<string, string | undefined>>,
  globals: Pick<ParsedGlobals, 'all'>,
  profileSetting: string | undefined,
): string | undefined {
  if (globals.all.no_cli_pager === true) return undefined;
  const command = env.AWS_PAGER ?? profileSetting ?? env.PAGER ?? 'less';
  return command === '' ? undefined : command;
}

/** An output stream that is stdout itself, or a pager fed through a pipe; `close()` waits for it. */
export interface PagedOutput extends OutputStream {
  close(): Promise<void>;
}

function pagerError(error: unknown, program: string): ConfigurationError {
  return new ConfigurationError(
    'Pager',
    'Unable to redirect output to pager. Received the following error when opening pager:\n' +
      `${pyOsErrorMessage(error, program)}\n\n` +
      `Learn more about configuring the output pager by running "${PROG} help config-vars".`,
  );
}

/**
 * Opens the output for a formatter: `io.stdout` unless it is a TTY with a pager configured.
 * `command` comes from pagerCommand().
 */
export function openPagedOutput(io: CliIO, command: string | undefined): PagedOutput {
  if (command === undefined || io.stdout.isTTY !== true) {
    return { write: (chunk) => io.stdout.write(chunk), close: async () => {} };
  }
  const argv = shlexSplit(command);
  const program = argv[0] ?? '';
  let child: ChildProcess | undefined;
  let failure: unknown;
  let closed = false;
  let exited: Promise<void> = Promise.resolve();
  const start = (): ChildProcess => {
    const env = { ...io.env };
    env.LESS ??= 'FRX';
    const started = spawn(program, argv.slice(1), { stdio: ['pipe', 'inherit', 'inherit'], env, cwd: io.cwd });
    const release = holdInterrupts();
    exited = new Promise<void>((resolve) => {
      started.on('error', (error) => {
        failure = error;
        release();
        resolve();
      });
      started.on('close', () => {
        release();
        resolve();
      });
    });
    // The user quitting the pager early closes the pipe; that is not an error.
    started.stdin?.on('error', () => {});
    return started;
  };
  return {
    write(chunk: string) {
      child ??= start();
      child.stdin?.write(chunk);
    },
    async close() {
      if (child === undefined || closed) return;
      closed = true;
      child.stdin?.end();
      await exited;
      if (failure !== undefined) throw pagerError(failure, program);
    },
  };
}

/** Writes a whole text (a help page) through the pager when stdout is a terminal. */
export async function writePaged(io: CliIO, command: string | undefined, text: string): Promise<void> {
  const output = openPagedOutput(io, command);
  output.write(text);
  await output.close();
}
