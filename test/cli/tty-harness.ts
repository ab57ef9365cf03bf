/**
 * Runs fleetca in a real pseudo-terminal with tmux (pager, auto-prompt, Ctrl-C): a detached
 * session on a private tmux socket, keys sent with send-keys, the screen read with capture-pane.
 * Every session has a server of its own: a shared server exits when its last session is killed,
 * and a session started in that moment fails with "server exited unexpectedly".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { requireTool, TOOLS } from '../helpers/required-tool.js';
import { FLEETCA_BIN } from '../helpers/run-cli.js';

let sessions = 0;

/** A shell word. */
export function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One fleetca command on its own terminal. */
export class TtySession {
  readonly name = `s${++sessions}`;
  private readonly socket = `fleetca-test-${process.pid}-${this.name}`;

  /**
   * Starts `fleetca <args>` with exactly `env`; `shellSuffix` is appended to the command
   * (`| cat` to pipe stdout). After the command the shell prints `rc=<exit code>`.
   */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv, shellSuffix = '') {
    requireTool(TOOLS.tmux);
    // A terminal type, so that full-screen programs (less) can work.
    const assignments = Object.entries({ TERM: 'screen', ...env })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => sh(`${key}=${value}`));
    const command =
      `env -i ${assignments.join(' ')} ${sh(process.execPath)} ${sh(FLEETCA_BIN)} ${args.map(sh).join(' ')}` +
      `${shellSuffix}; echo "rc=$?"; sleep 600`;
    execFileSync('tmux', ['-L', this.socket, 'new-session', '-d', '-s', this.name, '-x', '200', '-y', '50', command]);
  }

  /** The visible screen, trailing blank lines removed. */
  screen(): string {
    const text = execFileSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
    return text.replace(/\n+$/, '\n');
  }

  /** Sends keys (tmux key names such as `Enter`, `Tab`, `C-c`, or literal text with `literal`). */
  keys(keys: readonly string[], literal = false): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, ...(literal ? ['-l', '--'] : []), ...keys]);
  }

  /** Waits until the screen matches; returns the screen. */
  async waitFor(pattern: RegExp, timeoutMs = 15000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await sleep(50);
    }
  }

  /** Waits for the command to end; returns its exit code and the screen. */
  async finished(timeoutMs = 15000): Promise<{ rc: number; screen: string }> {
    const screen = await this.waitFor(/^rc=\d+$/m, timeoutMs);
    const rc = Number(/^rc=(\d+)$/m.exec(screen)?.[1]);
    return { rc, screen: screen.replace(/^rc=\d+\n$/m, '') };
  }

  /** Ends the session and its server. */
  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
