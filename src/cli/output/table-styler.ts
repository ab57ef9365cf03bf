import type { OutputStream } from './formatter.js';

const RESET = '\u001b[0m';
const BRIGHT_BLUE = '\u001b[1m\u001b[34m';
const DIM_YELLOW = '\u001b[2m\u001b[33m';

/** How the table dresses its cells and indentation bars (table.py's Styler / ColorizedStyler). */
export interface TableStyler {
  readonly colored: boolean;
  rowElement(text: string): string;
  indentationChar(text: string): string;
}

/** No escape codes. */
export const PLAIN_STYLER: TableStyler = {
  colored: false,
  rowElement: (text) => text,
  indentationChar: (text) => text,
};

/** Row cells bright blue, indentation bars dim yellow; titles and headers stay plain. */
export const COLOR_STYLER: TableStyler = {
  colored: true,
  rowElement: (text) => `${BRIGHT_BLUE}${text}${RESET}`,
  indentationChar: (text) => `${DIM_YELLOW}${text}${RESET}`,
};

/**
 * stdout as colorama's `init(autoreset=True, strip=False)` leaves it: a reset code after every
 * write call, empty writes included — the bytes depend on how the renderer splits its writes.
 */
export function autoResetStream(stream: OutputStream): OutputStream {
  return {
    write(chunk: string) {
      return stream.write(`${chunk}${RESET}`);
    },
  };
}

/** What colorama's exit handler writes on a terminal. */
export const EXIT_RESET = RESET;
