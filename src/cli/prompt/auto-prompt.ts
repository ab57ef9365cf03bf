import { createInterface } from 'node:readline';
import { SERVICE_COMMAND } from '../argv/command-names.js';
import { OPERATION_COMMANDS } from '../argv/command-table.js';
import { GeneralError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { PROG } from '../prog.js';
import { shlexSplit } from '../python/shlex.js';
import { Interrupted } from '../signals/interrupt.js';
import { completeLine, prepareCompletion } from './completion.js';
import { renderParameterPanel } from './parameter-panel.js';

/** The terminal the prompt talks to (process.stdin / process.stderr, injectable for tests). */
export interface PromptTerminal {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/** A word as a shell would need it written (for the command line shown and prefilled). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** The command line for `args` (the arguments after the program name). */
export function commandLine(args: readonly string[]): string {
  return [PROG, ...args.map(shellWord)].join(' ');
}

/**
 * `--cli-auto-prompt`: shows the chosen operation's parameters (documentation, types, choices),
 * lets the user edit the command line with Tab completion of operation names, option names and
 * enum values, then returns the arguments to run (without the program name). The UI is written
 * to stderr so that stdout carries only the command's output. Input that is not a terminal gets
 * the AWS CLI's warning and fails; Ctrl-C throws Interrupted (exit 130).
 */
export async function autoPrompt(args: readonly string[], io: CliIO, terminal: PromptTerminal): Promise<string[]> {
  if (terminal.input.isTTY !== true) {
    io.stderr.write('Warning: Input is not a terminal (fd=0).\n');
    // prompt_toolkit then fails with a bare EOFError: a general error without a message.
    throw new GeneralError('');
  }
  const initial = args.filter((arg) => arg !== '--cli-auto-prompt');
  await prepareCompletion();
  const rl = createInterface({
    input: terminal.input,
    output: terminal.output,
    terminal: true,
    completer: (line: string) => completeLine(line),
  });
  let shownFor: string | undefined;
  const ask = (line: string) =>
    new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new Interrupted('prompt interrupted')));
      rl.once('close', () => reject(new Interrupted('prompt closed')));
      rl.question('> ', (answer) => {
        rl.removeAllListeners('SIGINT');
        rl.removeAllListeners('close');
        resolve(answer);
      });
      rl.write(line);
    });
  try {
    let line = `${commandLine(initial)}${initial.length > 0 ? ' ' : ''}`;
    for (;;) {
      const operation = lineOperation(line);
      if (operation && operation !== shownFor) {
        terminal.output.write(renderParameterPanel(operation));
        shownFor = operation;
      } else if (!operation) {
        terminal.output.write(`Choose an operation: ${PROG} ${SERVICE_COMMAND} <operation> (Tab completes)\n`);
      }
      const answer = await ask(line);
      let words: string[];
      try {
        words = shlexSplit(answer);
      } catch (error) {
        terminal.output.write(`${(error as Error).message}\n`);
        line = answer;
        continue;
      }
      if (words[0] === PROG) words.shift();
      const chosen = words[0] === SERVICE_COMMAND ? words[1] : undefined;
      // A new operation was just picked: show its parameters and let the user fill them in.
      if (chosen === undefined || !OPERATION_COMMANDS.has(chosen) || (chosen !== shownFor && words.length === 2)) {
        line = `${answer.trimEnd()} `;
        if (chosen !== undefined && !OPERATION_COMMANDS.has(chosen))
          terminal.output.write(`Unknown operation: ${chosen}\n`);
        continue;
      }
      terminal.output.write(`${commandLine(words)}\n`);
      return words;
    }
  } finally {
    rl.removeAllListeners('close');
    rl.close();
  }
}

/** The operation named on a prompt line, if it is one. */
function lineOperation(line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  const operation = words[0] === PROG ? words[2] : words[1];
  return operation !== undefined && OPERATION_COMMANDS.has(operation) ? operation : undefined;
}
