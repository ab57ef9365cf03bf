import { type ChildProcess, spawn } from 'node:child_process';
import { ConfigurationError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { PROG } from '../prog.js';
import { pyOsErrorMessage } from '../python/errno.js';
import { shlexSplit } from '../python/shlex.js';
import { holdInterrupts } from '../signals/interrupt.js';
import type { PagedOutput } from './pager.js';

// The pager as a child process (pager.ts decides whether there is one): imported only when stdout is a terminal.

function pagerError(error: unknown, program: string): ConfigurationError {
  return new ConfigurationError(
    'Pager',
    'Unable to redirect output to pager. Received the following error when opening pager:\n' +
      `${pyOsErrorMessage(error, program)}\n\n` +
      `Learn more about configuring the output pager by running "${PROG} help config-vars".`,
  );
}

/** The pager `command` (from pagerCommand()) as the output of a terminal: started on the first write. */
export function openPagerProcess(io: CliIO, command: string): PagedOutput {
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
