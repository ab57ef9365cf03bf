import { pyStrRepr } from './repr.js';

/** Python's `int(text)` for base 10: surrounding whitespace, a sign, digits with single `_` separators. */
export function parsePyInt(text: string): number | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number((match[2] ?? '').replaceAll('_', ''));
  return match[1] === '-' ? -value : value;
}

/** The ValueError text of a failed `int(text)`. */
export function pyIntErrorMessage(text: string): string {
  return `invalid literal for int() with base 10: ${pyStrRepr(text)}`;
}
