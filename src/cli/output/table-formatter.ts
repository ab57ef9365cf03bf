import { GeneralError } from '../errors/cli-errors.js';
import { pyTypeName } from '../python/repr.js';
import { type FormatterOptions, fullyBufferedResponse, type OutputFormatter } from './formatter.js';
import { MultiTable, TableShapeError } from './table-layout.js';
import { autoResetStream, COLOR_STYLER, EXIT_RESET, PLAIN_STYLER } from './table-styler.js';
import { sortedKeys } from './text-format.js';

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isScalar(value: unknown): boolean {
  return !Array.isArray(value) && !isDict(value);
}

/** Python truthiness of a JSON-like value. */
function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/** Sorted scalar keys and sorted non-scalar keys of a dict. */
function groupKeys(dict: Dict): [string[], string[]] {
  const headers: string[] = [];
  const more: string[] = [];
  for (const [key, value] of Object.entries(dict)) (isScalar(value) ? headers : more).push(key);
  return [sortedKeys(headers), sortedKeys(more)];
}

/** Python iterates a dict as its keys: what `add_row(item)` sees for a dict in a scalar list. */
function asRow(item: unknown): unknown[] {
  return Array.isArray(item) ? item : Object.keys(item as Dict);
}

/** TableFormatter._build_table and helpers: turn the response into sections of a MultiTable. */
class TableBuilder {
  constructor(private readonly table: MultiTable) {}

  build(title: string | null, current: unknown, indentLevel = 0): boolean {
    if (!isTruthy(current)) return false;
    if (title !== null) this.table.newSection(title, indentLevel);
    if (Array.isArray(current)) {
      if (isDict(current[0])) this.#fromList(current, indentLevel, title);
      else {
        for (const item of current) {
          if (isScalar(item)) this.table.addRow([item]);
          else if (asRow(item).every(isScalar)) this.table.addRow(asRow(item));
          else this.build(null, item);
        }
      }
    }
    if (isDict(current)) this.#fromDict(current, indentLevel);
    return true;
  }

  #fromDict(current: Dict, indentLevel: number): void {
    const [headers, more] = groupKeys(current);
    if (headers.length === 1) {
      const key = headers[0] as string;
      this.table.addRow([key, current[key]]);
    } else if (headers.length > 0) {
      this.table.addRowHeader(headers);
      this.table.addRow(headers.map((key) => current[key]));
    }
    for (const key of more) this.build(key, current[key], indentLevel + 1);
  }

  #fromList(current: readonly unknown[], indentLevel: number, title: string | null): void {
    const headerSet = new Set<string>();
    const moreSet = new Set<string>();
    for (const item of current) {
      // The AWS CLI fails on a non-dict element too (a Python TypeError/AttributeError, exit 255);
      // its exact wording depends on the element, this is an approximation.
      if (!isDict(item)) throw new GeneralError(`'${pyTypeName(item).slice(8, -2)}' object has no attribute 'get'`);
      const [headers, more] = groupKeys(item);
      for (const key of headers) headerSet.add(key);
      for (const key of more) moreSet.add(key);
    }
    const headers = sortedKeys(headerSet);
    const more = sortedKeys(moreSet);
    this.table.addRowHeader(headers);
    current.forEach((element, index) => {
      const item = element as Dict;
      if (index > 0 && more.length > 0) {
        this.table.newSection(title, indentLevel);
        this.table.addRowHeader(headers);
      }
      this.table.addRow(headers.map((key) => (Object.hasOwn(item, key) ? item[key] : '')));
      for (const key of more) if (Object.hasOwn(item, key)) this.build(key, item[key], indentLevel + 1);
    });
  }
}

/**
 * AWS CLI v2's TableFormatter: the merged, queried response as boxed sections titled with the
 * operation name, 80 columns wide off a terminal (the terminal's width on one), coloured for
 * `--color on` or for `auto` on a terminal.
 */
export function createTableFormatter(options: FormatterOptions): OutputFormatter {
  const tty = options.terminal?.isTTY === true;
  const colored = options.color === 'on' || ((options.color ?? 'auto') === 'auto' && tty);
  const width = tty && options.terminal?.columns ? options.terminal.columns : 80;
  return {
    format(commandName, result, stream) {
      const response = fullyBufferedResponse(result, options);
      const table = new MultiTable(width, colored ? COLOR_STYLER : PLAIN_STYLER);
      let built: boolean;
      try {
        built = new TableBuilder(table).build(commandName, response);
      } catch (error) {
        if (error instanceof TableShapeError) throw new GeneralError(error.message);
        throw error;
      }
      const out = colored ? autoResetStream(stream) : stream;
      if (built) table.render(out);
      // colorama's exit handler resets the terminal once more.
      if (colored && tty) stream.write(EXIT_RESET);
    },
  };
}
