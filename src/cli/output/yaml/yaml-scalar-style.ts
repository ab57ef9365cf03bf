import { plainResolvesToString } from './yaml-resolver.js';

/** How libyaml writes one scalar. */
export type ScalarStyle = 'plain' | 'single' | 'double';

/** libyaml IS_BREAK: LF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
export function isBreak(code: number | undefined): boolean {
  return code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029;
}

/** libyaml IS_BLANKZ: space, tab, a break, or the end of the string. */
function isBlankOrEnd(code: number | undefined): boolean {
  return code === undefined || code === 0x20 || code === 0x09 || isBreak(code);
}

/**
 * libyaml IS_PRINTABLE: LF, ' '..'~', U+00A0..U+D7FF, U+E000..U+FFFD without the BOM. Everything
 * else — TAB, CR, other controls, DEL, NEL, and every character outside the BMP — is "special"
 * and forces double quotes.
 */
export function isPrintable(code: number): boolean {
  if (code === 0x0a || (code >= 0x20 && code <= 0x7e)) return true;
  if (code >= 0xa0 && code <= 0xd7ff) return true;
  return code >= 0xe000 && code <= 0xfffd && code !== 0xfeff;
}

const FIRST_INDICATORS = '#,[]{}&*!|>\'"%@`';

/** What yaml_emitter_analyze_scalar concludes about a string. */
interface ScalarAnalysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
}

/** libyaml's scan of a scalar (block context: the flow-only verdicts are not needed). */
function analyzeScalar(codes: readonly number[]): ScalarAnalysis {
  if (codes.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true };
  const ch = (i: number) => String.fromCodePoint(codes[i] as number);
  let blockIndicators = false;
  // A leading document marker would end or start a document.
  const head = codes
    .slice(0, 3)
    .map((c) => String.fromCodePoint(c))
    .join('');
  if (head === '---' || head === '...') blockIndicators = true;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    const followedByWhitespace = isBlankOrEnd(codes[i + 1]);
    const first = i === 0;
    const last = i === codes.length - 1;
    if (first) {
      if (FIRST_INDICATORS.includes(ch(i))) blockIndicators = true;
      if ((code === 0x3f || code === 0x3a || code === 0x2d) && followedByWhitespace) blockIndicators = true;
    } else {
      if (code === 0x3a && followedByWhitespace) blockIndicators = true;
      if (code === 0x23 && precededByWhitespace) blockIndicators = true;
    }
    // allow_unicode is on, so only the printable test matters.
    if (!isPrintable(code)) special = true;
    if (isBreak(code)) lineBreaks = true;
    if (code === 0x20) {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(code)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(code);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed };
}

/** The scalar's code points (libyaml walks UTF-8 characters, never UTF-16 units). */
export function codePoints(text: string): number[] {
  return Array.from(text, (c) => c.codePointAt(0) as number);
}

/**
 * yaml_emitter_choose_scalar_style for a block-context scalar with no explicit style.
 * `implicitPlain` is false when the plain form would resolve to another type (then the tag is
 * implied only by quoting). Mapping keys (`simpleKey`) that span lines are double-quoted.
 */
export function chooseScalarStyle(codes: readonly number[], implicitPlain: boolean, simpleKey: boolean): ScalarStyle {
  const analysis = analyzeScalar(codes);
  let style: ScalarStyle = 'plain';
  if (simpleKey && analysis.multiline) style = 'double';
  if (style === 'plain') {
    if (!analysis.blockPlainAllowed) style = 'single';
    if (codes.length === 0 && simpleKey) style = 'single';
    if (!implicitPlain) style = 'single';
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
  return style;
}

/** The style of a string value: plain only when it also reads back as a string. */
export function stringStyle(text: string, simpleKey: boolean): { style: ScalarStyle; codes: number[] } {
  const codes = codePoints(text);
  return { style: chooseScalarStyle(codes, plainResolvesToString(text), simpleKey), codes };
}

/** Whether a mapping key can be written `key: value` (libyaml: one line, at most 128 bytes). */
export function isSimpleKey(text: string): boolean {
  if (codePoints(text).some(isBreak)) return false;
  return Buffer.byteLength(text, 'utf8') <= 128;
}
