/**
 * IAM-style wildcard patterns as AWS IoT policies use them: `*` matches any run of characters (including `/`),
 * `?` exactly one character, and everything else — `+` and `#` too — only itself (reference §1.4). A pattern is
 * a list of tokens rather than text, so that a `*` written as `${*}`, or one that came in through a substituted
 * variable, stays a literal character.
 */

/** One piece of a pattern. */
export type PatternToken = string | typeof ANY_RUN | typeof ANY_ONE;

/** `*`: any run of characters, `/` included. */
export const ANY_RUN: unique symbol = Symbol('*');
/** `?`: exactly one character. */
export const ANY_ONE: unique symbol = Symbol('?');

/** A compiled pattern: call it with a candidate. */
export type Matcher = (candidate: string) => boolean;

const MATCH_ALL: Matcher = () => true;

/**
 * Compiles tokens into a matcher. Literal-only and prefix/suffix patterns get direct string tests; anything else
 * the iterative glob walk below, which is O(pattern × candidate) in the worst case and never backtracks
 * exponentially (no regular expression is built from policy text).
 */
export function compilePattern(tokens: readonly PatternToken[], ignoreCase = false): Matcher {
  const fold = (text: string): string => (ignoreCase ? text.toLowerCase() : text);
  const merged = mergeTokens(tokens);
  if (merged.length === 1 && merged[0] === ANY_RUN) return MATCH_ALL;
  if (merged.every((token) => typeof token === 'string')) {
    const literal = fold(merged.join(''));
    return ignoreCase ? (candidate) => candidate.toLowerCase() === literal : (candidate) => candidate === literal;
  }
  const [first, second, third] = merged;
  if (merged.length === 2 && typeof first === 'string' && second === ANY_RUN) {
    const prefix = fold(first);
    return (candidate) => fold(candidate).startsWith(prefix);
  }
  if (merged.length === 2 && first === ANY_RUN && typeof second === 'string') {
    const suffix = fold(second);
    return (candidate) => fold(candidate).endsWith(suffix);
  }
  if (merged.length === 3 && typeof first === 'string' && second === ANY_RUN && typeof third === 'string') {
    const prefix = fold(first);
    const suffix = fold(third);
    return (candidate) => {
      const text = fold(candidate);
      return text.length >= prefix.length + suffix.length && text.startsWith(prefix) && text.endsWith(suffix);
    };
  }
  const { text, kinds } = flatten(merged.map((token) => (typeof token === 'string' ? fold(token) : token)));
  return (candidate) => globMatch(text, kinds, fold(candidate));
}

/** Tokens of a pattern written as plain text, where every `*` and `?` is a wildcard (action names, ARN parts). */
export function tokensOfGlob(text: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let literal = '';
  for (const char of text) {
    if (char === '*' || char === '?') {
      if (literal) tokens.push(literal);
      literal = '';
      tokens.push(char === '*' ? ANY_RUN : ANY_ONE);
    } else {
      literal += char;
    }
  }
  if (literal) tokens.push(literal);
  return tokens;
}

/** Glob text compiled in one step. */
export function compileGlob(text: string, ignoreCase = false): Matcher {
  return compilePattern(tokensOfGlob(text), ignoreCase);
}

/** Adjacent literals joined, runs of `*` collapsed to one. */
function mergeTokens(tokens: readonly PatternToken[]): PatternToken[] {
  const merged: PatternToken[] = [];
  for (const token of tokens) {
    const last = merged[merged.length - 1];
    if (typeof token === 'string') {
      if (token === '') continue;
      if (typeof last === 'string') merged[merged.length - 1] = last + token;
      else merged.push(token);
    } else if (!(token === ANY_RUN && last === ANY_RUN)) {
      merged.push(token);
    }
  }
  return merged;
}

const LITERAL = 0;
const RUN = 1;
const ONE = 2;

/** One character per code unit; `kinds` tells which positions are wildcards. */
function flatten(tokens: readonly PatternToken[]): { text: string; kinds: Uint8Array } {
  let text = '';
  const kinds: number[] = [];
  for (const token of tokens) {
    if (typeof token === 'string') {
      text += token;
      for (let i = 0; i < token.length; i++) kinds.push(LITERAL);
    } else {
      text += token === ANY_RUN ? '*' : '?';
      kinds.push(token === ANY_RUN ? RUN : ONE);
    }
  }
  return { text, kinds: Uint8Array.from(kinds) };
}

/**
 * The classic star-backtracking glob walk: remember the last `*` and where the candidate stood when it was met;
 * on a mismatch let that `*` swallow one more character. Each `*` only ever resumes forward, so the walk is
 * bounded by pattern × candidate steps. `?` consumes one UTF-16 code unit (AWS does not say code point or unit).
 */
function globMatch(pattern: string, kinds: Uint8Array, candidate: string): boolean {
  let p = 0;
  let c = 0;
  let starP = -1;
  let starC = 0;
  while (c < candidate.length) {
    const kind = kinds[p];
    if (p < pattern.length && kind === RUN) {
      starP = p++;
      starC = c;
    } else if (p < pattern.length && (kind === ONE || pattern.charCodeAt(p) === candidate.charCodeAt(c))) {
      p++;
      c++;
    } else if (starP >= 0) {
      p = starP + 1;
      c = ++starC;
    } else {
      return false;
    }
  }
  while (p < pattern.length && kinds[p] === RUN) p++;
  return p === pattern.length;
}
