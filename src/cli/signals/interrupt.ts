/**
 * Ctrl-C. Python turns SIGINT into KeyboardInterrupt, and the AWS CLI answers it by writing a
 * newline to stdout and exiting 130 (128 + SIGINT), with nothing on stderr (spec §13.1).
 */

/** The exit code of an interrupted command. */
export const INTERRUPTED_EXIT_CODE = 130;

/** Thrown where an interactive step (the auto-prompt) sees Ctrl-C; main() reports it. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

let installed = false;
let held = 0;

/**
 * While a pager runs it owns Ctrl-C (less uses it to stop a search); the command must not exit
 * under it and leave it on the terminal. Returns the function that ends the hold.
 */
export function holdInterrupts(): () => void {
  held++;
  let released = false;
  return () => {
    if (!released) held--;
    released = true;
  };
}

/**
 * Installs the process-wide SIGINT answer for a command run from the real process: `\n` on
 * stdout, exit 130. Idempotent; in-process test runs do not install it.
 */
export function installInterruptHandler(stdout: NodeJS.WritableStream): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', () => {
    if (held > 0) return;
    stdout.write('\n', () => process.exit(INTERRUPTED_EXIT_CODE));
    // A stdout that never drains (a closed pipe) must not keep us alive.
    setTimeout(() => process.exit(INTERRUPTED_EXIT_CODE), 200).unref();
  });
}
