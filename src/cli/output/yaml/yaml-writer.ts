import { isBreak, isPrintable, type ScalarStyle } from './yaml-scalar-style.js';

/** libyaml's default best_width: scalars are folded at a space once a line is past it. */
const BEST_WIDTH = 80;

// Double-quoted escapes libyaml writes with a short form.
const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function escapeOf(code: number): string {
  const short = SHORT_ESCAPES.get(code);
  if (short !== undefined) return `\\${short}`;
  const [prefix, width] = code <= 0xff ? ['x', 2] : code <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${prefix}${code.toString(16).toUpperCase().padStart(width, '0')}`;
}

/**
 * The output side of libyaml's emitter: the text so far plus the column and the two flags
 * (`whitespace`: the last thing written was whitespace; `indention`: only indentation since the
 * line began) that decide where spaces and line breaks go. Columns count characters.
 */
export class YamlWriter {
  #out = '';
  #column = 0;
  #whitespace = true;
  #indention = true;

  /** Everything written. */
  get text(): string {
    return this.#out;
  }

  /** Whether only indentation was written on the current line (libyaml `indention`). */
  get atIndention(): boolean {
    return this.#indention;
  }

  #put(text: string): void {
    this.#out += text;
    this.#column += text.length;
  }

  #putCode(code: number): void {
    this.#out += String.fromCodePoint(code);
    this.#column += 1;
  }

  #putBreak(): void {
    this.#out += '\n';
    this.#column = 0;
  }

  // libyaml WRITE_BREAK: LF becomes the line break; LS/PS are copied as they are.
  #writeBreak(code: number): void {
    if (code === 0x0a) this.#putBreak();
    else {
      this.#out += String.fromCodePoint(code);
      this.#column = 0;
    }
  }

  /** yaml_emitter_write_indent: a new line unless already at the indentation, then pad to it. */
  writeIndent(indent: number): void {
    const target = Math.max(indent, 0);
    if (!this.#indention || this.#column > target || (this.#column === target && !this.#whitespace)) this.#putBreak();
    while (this.#column < target) this.#put(' ');
    this.#whitespace = true;
    this.#indention = true;
  }

  /** yaml_emitter_write_indicator. */
  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.#whitespace) this.#put(' ');
    this.#put(indicator);
    this.#whitespace = isWhitespace;
    this.#indention = this.#indention && isIndention;
  }

  /** Writes a scalar in the chosen style; `indent` is where continuation lines start. */
  writeScalar(codes: readonly number[], style: ScalarStyle, indent: number, allowBreaks: boolean): void {
    if (style === 'plain') this.#writePlain(codes, indent, allowBreaks);
    else if (style === 'single') this.#writeSingleQuoted(codes, indent, allowBreaks);
    else this.#writeDoubleQuoted(codes, indent, allowBreaks);
  }

  #writePlain(codes: readonly number[], indent: number, allowBreaks: boolean): void {
    if (!this.#whitespace && codes.length > 0) this.#put(' ');
    let spaces = false;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code === 0x20) {
        // Fold at the first single space once the line is past the width.
        if (allowBreaks && !spaces && this.#column > BEST_WIDTH && codes[i + 1] !== 0x20) this.writeIndent(indent);
        else this.#putCode(code);
        spaces = true;
      } else {
        this.#putCode(code);
        this.#indention = false;
        spaces = false;
      }
    }
    this.#whitespace = false;
    this.#indention = false;
  }

  #writeSingleQuoted(codes: readonly number[], indent: number, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code === 0x20) {
        const inside = i !== 0 && i !== codes.length - 1;
        if (allowBreaks && !spaces && this.#column > BEST_WIDTH && inside && codes[i + 1] !== 0x20)
          this.writeIndent(indent);
        else this.#putCode(code);
        spaces = true;
      } else if (isBreak(code)) {
        // A line break in a single-quoted scalar is written as an empty line (line folding).
        if (!breaks && code === 0x0a) this.#putBreak();
        this.#writeBreak(code);
        this.#indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.#putCode(code);
        if (code === 0x27) this.#put("'");
        this.#indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (breaks) this.writeIndent(indent);
    this.writeIndicator("'", false, false, false);
    this.#whitespace = false;
    this.#indention = false;
  }

  #writeDoubleQuoted(codes: readonly number[], indent: number, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (!isPrintable(code) || code === 0xfeff || isBreak(code) || code === 0x22 || code === 0x5c) {
        this.#put(escapeOf(code));
        spaces = false;
      } else if (code === 0x20) {
        const inside = i !== 0 && i !== codes.length - 1;
        if (allowBreaks && !spaces && this.#column > BEST_WIDTH && inside) {
          this.writeIndent(indent);
          // A second space would be eaten by the folding: escape it.
          if (codes[i + 1] === 0x20) this.#put('\\');
        } else this.#putCode(code);
        spaces = true;
      } else {
        this.#putCode(code);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.#whitespace = false;
    this.#indention = false;
  }
}
