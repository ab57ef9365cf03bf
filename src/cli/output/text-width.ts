import { WIDE_RANGES } from './east-asian-width-data.js';

function isWide(codePoint: number): boolean {
  // Binary search over the [first, last] pairs.
  let low = 0;
  let high = WIDE_RANGES.length / 2 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const first = WIDE_RANGES[mid * 2] as number;
    const last = WIDE_RANGES[mid * 2 + 1] as number;
    if (codePoint < first) high = mid - 1;
    else if (codePoint > last) low = mid + 1;
    else return true;
  }
  return false;
}

/**
 * The AWS CLI table's `get_text_length`: two columns for every code point whose East Asian Width
 * is Wide, Fullwidth or Ambiguous (Python 3.11's Unicode 14 data), one for any other — tabs and
 * newlines included.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0) as number) ? 2 : 1;
  return width;
}
