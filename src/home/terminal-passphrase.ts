/** Asks a question and reads the answer without echoing it. */
export type PassphraseReader = (question: string) => Promise<string>;

/**
 * The controlling terminal as a PassphraseReader, or undefined when stdin or stderr is not a terminal (a pipe,
 * a service manager): then nobody could answer, and a command must say which setting to use instead.
 * The question goes to stderr, so stdout stays the command's output.
 */
export function terminalPassphraseReader(): PassphraseReader | undefined {
  const input = process.stdin;
  if (!input.isTTY || !process.stderr.isTTY) return undefined;
  return (question) =>
    new Promise((resolve, reject) => {
      process.stderr.write(question);
      let answer = '';
      const finish = (interrupted: boolean) => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        process.stderr.write('\n');
        if (!interrupted) return resolve(answer);
        // Ctrl-C: the process's own SIGINT handling decides (the CLI exits 130, a starting server stops). The timer
        // keeps the process alive until the signal is handled, and fails the question if nothing ends the process.
        process.kill(process.pid, 'SIGINT');
        setTimeout(() => reject(new Error('interrupted')), 1000);
      };
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') return finish(false);
          if (char === '\u0003') return finish(true);
          if (char === '\u0004') {
            if (answer === '') return finish(false);
          } else if (char === '\u007f' || char === '\b') {
            answer = Array.from(answer).slice(0, -1).join('');
          } else if (char === '\u0015') {
            answer = '';
          } else if (char >= ' ') {
            answer += char;
          }
        }
      };
      input.setEncoding('utf8');
      input.setRawMode(true);
      input.on('data', onData);
      input.resume();
    });
}
