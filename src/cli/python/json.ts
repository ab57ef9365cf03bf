import { pyFloatRepr } from './repr.js';

/**
 * Python's `json.dumps` byte layout: `indent=4` block style (or the compact default with `', '`
 * and `': '` separators), `ensure_ascii` on or off, floats as `repr`, NaN/Infinity spelled as
 * Python does. Values are JSON-like; a Uint8Array is written as base64 like the AWS CLI's encoder.
 */
export interface PyJsonOptions {
  /** Spaces per level; undefined = single line (Python's default separators). */
  readonly indent?: number;
  /** Escape every non-ASCII character as \uXXXX (Python's default: true). */
  readonly ensureAscii?: boolean;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A JSON string literal as Python's encoder writes it. */
export function pyJsonString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    // C0 controls always; with ensure_ascii everything outside ' '..'~' as well, per UTF-16 unit
    // (so astral characters become a surrogate pair of escapes).
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += hex4(code);
    else out += ch;
  }
  return `${out}"`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return Number.isInteger(value) ? BigInt(value).toString() : pyFloatRepr(value);
}

/** `json.dumps(value, indent=..., ensure_ascii=...)`. */
export function pyJsonDumps(value: unknown, options: PyJsonOptions = {}): string {
  const ensureAscii = options.ensureAscii ?? true;
  const indent = options.indent;
  const itemSep = indent === undefined ? ', ' : ',';
  const write = (item: unknown, level: number): string => {
    if (item === null || item === undefined) return 'null';
    if (typeof item === 'boolean') return item ? 'true' : 'false';
    if (typeof item === 'number') return number(item);
    if (typeof item === 'string') return pyJsonString(item, ensureAscii);
    if (item instanceof Uint8Array) return pyJsonString(Buffer.from(item).toString('base64'), ensureAscii);
    const entries: Array<[string | undefined, unknown]> = Array.isArray(item)
      ? item.map((element) => [undefined, element])
      : Object.entries(item as Record<string, unknown>);
    const [open, close] = Array.isArray(item) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const parts = entries.map(
      ([key, element]) => (key === undefined ? '' : `${pyJsonString(key, ensureAscii)}: `) + write(element, level + 1),
    );
    if (indent === undefined) return open + parts.join(itemSep) + close;
    const inner = `\n${' '.repeat(indent * (level + 1))}`;
    return `${open}${inner}${parts.join(itemSep + inner)}\n${' '.repeat(indent * level)}${close}`;
  };
  return write(value, 0);
}
