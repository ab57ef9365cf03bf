/**
 * Progress on stderr: on a terminal, one line redrawn in place (`\r`) a few times a second; otherwise (a log, CI)
 * a plain line when each step starts, so the output stays readable.
 */

const BAR_WIDTH = 24;
const REDRAW_MS = 250;

interface Step {
  readonly label: string;
  readonly startedAt: number;
  /** Expected length, for the in-step fraction; undefined when unknown (waiting on a server). */
  readonly expectedMs?: number;
}

export class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #totalSteps: number;
  #doneSteps = 0;
  #step: Step | undefined;
  #replies = 0;
  #problems = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastWidth = 0;
  /** What is happening between steps (waiting for a pool to fill), shown in place of a step's detail. */
  #status: string | undefined;

  constructor(totalSteps: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
    this.#totalSteps = Math.max(1, totalSteps);
    if (this.#tty) {
      this.#timer = setInterval(() => this.#redraw(), REDRAW_MS);
      this.#timer.unref();
    }
  }

  /** A new step of the plan begins (counts toward the bar). */
  beginStep(label: string, expectedMs?: number): void {
    this.#step = { label, startedAt: performance.now(), expectedMs };
    this.#replies = 0;
    this.#problems = 0;
    if (this.#tty) this.#redraw();
    else this.#stream.write(`[${this.#doneSteps + 1}/${this.#totalSteps}] ${label}\n`);
  }

  endStep(): void {
    this.#doneSteps = Math.min(this.#totalSteps, this.#doneSteps + 1);
    this.#step = undefined;
    if (this.#tty) this.#redraw();
  }

  /** Something outside the plan's steps (starting servers, waiting for a pool). */
  note(text: string): void {
    if (this.#tty) {
      this.#clearLine();
      this.#stream.write(`${text}\n`);
      this.#redraw();
    } else {
      this.#stream.write(`${text}\n`);
    }
  }

  /**
   * Between steps: what the run is waiting for, redrawn as it changes on a terminal; elsewhere only its first
   * text is printed (a new status line each poll would flood a log). `undefined` clears it.
   */
  status(text: string | undefined): void {
    if (!this.#tty && text !== undefined && this.#status === undefined) this.#stream.write(`${text}\n`);
    this.#status = text;
  }

  /** One more reply in the current step; `problem` for throttled or failed ones. */
  reply(problem = false): void {
    this.#replies++;
    if (problem) this.#problems++;
  }

  finish(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#tty) this.#clearLine();
  }

  #redraw(): void {
    const step = this.#step;
    let fraction = this.#doneSteps / this.#totalSteps;
    let detail = '';
    if (step) {
      const elapsed = performance.now() - step.startedAt;
      const inStep = step.expectedMs ? Math.min(1, elapsed / step.expectedMs) : 0;
      fraction += inStep / this.#totalSteps;
      const clock = step.expectedMs
        ? `${(elapsed / 1000).toFixed(1)}/${(step.expectedMs / 1000).toFixed(0)} s`
        : `${(elapsed / 1000).toFixed(1)} s`;
      const problems = this.#problems > 0 ? `, ${this.#problems} throttled/failed` : '';
      detail = ` ${step.label} · ${clock} · ${this.#replies} replies${problems}`;
    } else if (this.#status !== undefined) {
      detail = ` ${this.#status}`;
    }
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
    const columns = this.#stream.columns > 0 ? this.#stream.columns : 120;
    const line = `${bar}${detail}`.slice(0, Math.max(20, columns - 1));
    this.#stream.write(`\r${line}${' '.repeat(Math.max(0, this.#lastWidth - line.length))}`);
    this.#lastWidth = line.length;
  }

  #clearLine(): void {
    this.#stream.write(`\r${' '.repeat(this.#lastWidth)}\r`);
    this.#lastWidth = 0;
  }
}
