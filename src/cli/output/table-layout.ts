import { pyStr } from '../python/repr.js';
import { pyRound } from '../python/round.js';
import type { OutputStream } from './formatter.js';
import { PLAIN_STYLER, type TableStyler } from './table-styler.js';
import { textWidth } from './text-width.js';

/** A row with a different column count than the section's first: the AWS CLI's ValueError text. */
export class TableShapeError extends Error {}

/** One boxed block of the table: a title, optional column headers, rows, an indentation depth. */
export class Section {
  /** null for a section started without a title (a list of dicts nested in a list); Python counts it as "None". */
  title: string | null = '';
  headers: string[] = [];
  rows: string[][] = [];
  indentLevel = 0;
  #columns: number | undefined;
  #maxWidths: number[] = [];

  addHeader(headers: readonly string[]): void {
    this.#updateMaxWidths(headers);
    this.#columns ??= headers.length;
    this.headers = [...headers];
  }

  addRow(row: readonly unknown[]): void {
    this.#columns ??= row.length;
    if (row.length !== this.#columns) {
      throw new TableShapeError(`Row should have ${this.#columns} elements, instead it has ${row.length}`);
    }
    const cells = row.map(pyStr);
    this.rows.push(cells);
    this.#updateMaxWidths(cells);
  }

  #updateMaxWidths(cells: readonly string[]): void {
    if (this.#maxWidths.length === 0) {
      this.#maxWidths = cells.map(textWidth);
      return;
    }
    cells.forEach((cell, i) => {
      this.#maxWidths[i] = Math.max(textWidth(cell), this.#maxWidths[i] ?? 0);
    });
  }

  /**
   * Column widths (content + padding), scaled to sum to maxWidth when given: Python's
   * half-to-even round of `(maxWidth / Σ) * width`, then ±1 steps (left→right when over,
   * right→left when under) until the sum fits.
   */
  columnWidths(padding = 0, maxWidth?: number): number[] {
    const unscaled = this.#maxWidths.map((width) => width + padding);
    if (maxWidth === undefined || unscaled.length === 0) return unscaled;
    const scale = maxWidth / unscaled.reduce((a, b) => a + b, 0);
    const scaled = unscaled.map((width) => pyRound(scale * width));
    let offBy = scaled.reduce((a, b) => a + b, 0) - maxWidth;
    while (offBy !== 0) {
      const order = [...scaled.keys()];
      if (offBy < 0) order.reverse();
      for (const i of order) {
        if (offBy > 0) {
          scaled[i] = (scaled[i] as number) - 1;
          offBy -= 1;
        } else {
          scaled[i] = (scaled[i] as number) + 1;
          offBy += 1;
        }
        if (offBy === 0) break;
      }
    }
    return scaled;
  }

  /** The width this section needs: its columns with padding and borders, or its title. */
  totalWidth(padding: number, outerPadding: number): number {
    const border = 2;
    let total = 0;
    for (const width of this.columnWidths()) total += width + padding;
    total += border + 2 * outerPadding;
    return Math.max(textWidth(pyStr(this.title)) + border + 2 * outerPadding, total);
  }
}

function spaces(count: number): string {
  return ' '.repeat(Math.max(0, count));
}

function centerText(text: string, length: number, leftEdge: string, rightEdge: string, width: number): string {
  const start = Math.floor(length / 2) - Math.floor(width / 2) - 1;
  const soFar = textWidth(leftEdge) + start + width;
  return `${leftEdge}${spaces(start)}${text}${spaces(length - textWidth(rightEdge) - soFar)}${rightEdge}`;
}

function alignLeft(text: string, length: number, leftEdge: string, rightEdge: string, width: number): string {
  const padding = length - (width + 2 + leftEdge.length + rightEdge.length) >= 0 ? 2 : 0;
  const soFar = leftEdge.length + padding + width;
  return `${leftEdge}${spaces(padding)}${text}${spaces(length - soFar - rightEdge.length)}${rightEdge}`;
}

/** table.py's IndentedStream: each line framed by `indent` bars, written in four calls. */
function indentedWriter(stream: OutputStream, level: number, bar: string): (line: string) => void {
  const bars = bar.repeat(level);
  return (line) => {
    stream.write(bars);
    stream.write(line);
    stream.write(bars);
    stream.write('\n');
  };
}

const PADDING = 4;

/**
 * table.py's MultiTable: sections stacked under one dashed top line, all as wide as the widest;
 * when that is wider than the terminal, single-row sections with headers turn vertical.
 */
export class MultiTable {
  readonly #sections: Section[] = [];
  #current: Section | undefined;

  constructor(
    private readonly terminalWidth: number,
    private readonly styler: TableStyler = PLAIN_STYLER,
  ) {}

  newSection(title: string | null, indentLevel = 0): void {
    const section = new Section();
    section.title = title;
    section.indentLevel = indentLevel;
    this.#sections.push(section);
    this.#current = section;
  }

  addRowHeader(headers: readonly string[]): void {
    this.#section().addHeader(headers);
  }

  addRow(row: readonly unknown[]): void {
    this.#section().addRow(row);
  }

  #section(): Section {
    if (this.#current === undefined) this.newSection('');
    return this.#current as Section;
  }

  render(stream: OutputStream): void {
    let maxWidth = this.#maxWidth();
    if (maxWidth > this.terminalWidth) {
      this.#convertToVertical();
      maxWidth = this.#maxWidth();
    }
    stream.write(`${'-'.repeat(maxWidth)}\n`);
    for (const section of this.#sections) this.#renderSection(section, maxWidth, stream);
  }

  #maxWidth(): number {
    return Math.max(...this.#sections.map((s) => s.totalWidth(PADDING, s.indentLevel)));
  }

  #convertToVertical(): void {
    this.#sections.forEach((section, i) => {
      if (section.rows.length !== 1 || section.headers.length === 0) return;
      const vertical = new Section();
      vertical.title = section.title;
      vertical.indentLevel = section.indentLevel;
      const row = section.rows[0] as string[];
      section.headers.slice(0, row.length).forEach((header, j) => {
        vertical.addRow([header, row[j]]);
      });
      this.#sections[i] = vertical;
    });
  }

  #renderSection(section: Section, maxWidth: number, stream: OutputStream): void {
    const writeLine = indentedWriter(stream, section.indentLevel, this.styler.indentationChar('|'));
    const width = maxWidth - 2 * section.indentLevel;
    if (section.title) {
      writeLine(centerText(section.title, width, '|', '|', textWidth(section.title)));
      if (section.headers.length === 0 && section.rows.length === 0) writeLine(`+${'-'.repeat(width - 2)}+`);
    }
    if (section.headers.length > 0) {
      const widths = section.columnWidths(PADDING, width);
      let line = '';
      section.headers.forEach((header, i) => {
        if (i < widths.length)
          line += centerText(header, widths[i] as number, i === 0 ? '|' : '', '|', textWidth(header));
      });
      writeLine(separator(widths));
      writeLine(line);
    }
    if (section.rows.length > 0) {
      const widths = section.columnWidths(PADDING, width);
      if (widths.length === 0) return;
      writeLine(separator(widths));
      for (const row of section.rows) {
        let line = '';
        row.forEach((cell, i) => {
          if (i >= widths.length) return;
          const styled = this.styler.rowElement(cell);
          line += alignLeft(styled, widths[i] as number, i === 0 ? '|' : '', '|', textWidth(cell));
        });
        writeLine(line);
      }
      writeLine(separator(widths));
    }
  }
}

/** `+-----+------+` for the given column widths. */
function separator(widths: readonly number[]): string {
  return widths
    .map((w, i) => (i === 0 ? `+${'-'.repeat(Math.max(0, w - 2))}+` : `${'-'.repeat(Math.max(0, w - 1))}+`))
    .join('');
}
