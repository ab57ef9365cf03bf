import { QueryLexerError } from './query-errors.js';

/** A token as jmespath.py's lexer makes it (type names are jmespath.py's). */
export interface QueryToken {
  readonly type: string;
  readonly value: unknown;
  readonly start: number;
}

const SIMPLE_TOKENS: Readonly<Record<string, string>> = {
  '.': 'dot',
  '*': 'star',
  ']': 'rbracket',
  ',': 'comma',
  ':': 'colon',
  '@': 'current',
  '(': 'lparen',
  ')': 'rparen',
  '{': 'lbrace',
  '}': 'rbrace',
};

const START_IDENTIFIER = /[A-Za-z_]/;
const IDENTIFIER = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Python's json.loads for what a JMESPath literal may hold; undefined when it is not JSON. */
function jsonLoads(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * jmespath.py's lexer (the one the AWS CLI compiles `--query` with): the same tokens, positions
 * and LexerError texts, including the legacy backtick literal that is not JSON (taken as a string).
 */
export function tokenizeQuery(expression: string): QueryToken[] {
  const chars = [...expression];
  const tokens: QueryToken[] = [];
  let pos = 0;
  const at = (i: number): string | undefined => chars[i];

  const consumeUntil = (delimiter: string): string => {
    const start = pos;
    let buffer = '';
    pos++;
    while (at(pos) !== delimiter) {
      if (at(pos) === '\\') {
        buffer += '\\';
        pos++;
      }
      const current = at(pos);
      if (current === undefined) throw new QueryLexerError(start, `Unclosed ${delimiter} delimiter`);
      buffer += current;
      pos++;
    }
    pos++;
    return buffer;
  };
  const matchOrElse = (expected: string, matchType: string, elseType: string): void => {
    const start = pos;
    const current = at(pos) as string;
    pos++;
    if (at(pos) === expected) {
      pos++;
      tokens.push({ type: matchType, value: current + expected, start });
    } else {
      tokens.push({ type: elseType, value: current, start });
    }
  };
  const consumeNumber = (): string => {
    let buffer = at(pos) as string;
    pos++;
    while (DIGIT.test(at(pos) ?? '')) buffer += at(pos++);
    return buffer;
  };

  while (pos < chars.length) {
    const current = at(pos) as string;
    const start = pos;
    const simple = SIMPLE_TOKENS[current];
    if (simple !== undefined) {
      tokens.push({ type: simple, value: current, start });
      pos++;
    } else if (START_IDENTIFIER.test(current)) {
      let buffer = current;
      pos++;
      while (IDENTIFIER.test(at(pos) ?? '')) buffer += at(pos++);
      tokens.push({ type: 'unquoted_identifier', value: buffer, start });
    } else if (WHITESPACE.has(current)) {
      pos++;
    } else if (current === '[') {
      pos++;
      if (at(pos) === ']') {
        pos++;
        tokens.push({ type: 'flatten', value: '[]', start });
      } else if (at(pos) === '?') {
        pos++;
        tokens.push({ type: 'filter', value: '[?', start });
      } else {
        tokens.push({ type: 'lbracket', value: '[', start });
      }
    } else if (current === "'") {
      tokens.push({ type: 'literal', value: consumeUntil("'").replaceAll("\\'", "'"), start });
    } else if (current === '|') {
      matchOrElse('|', 'or', 'pipe');
    } else if (current === '&') {
      matchOrElse('&', 'and', 'expref');
    } else if (current === '`') {
      const lexeme = consumeUntil('`').replaceAll('\\`', '`');
      // Not JSON: the deprecated form, a bare string.
      const parsed = jsonLoads(lexeme) ?? jsonLoads(`"${lexeme.trimStart()}"`);
      if (parsed === undefined) throw new QueryLexerError(start, `Bad token ${lexeme}`);
      tokens.push({ type: 'literal', value: parsed.value, start });
    } else if (DIGIT.test(current)) {
      tokens.push({ type: 'number', value: Number.parseInt(consumeNumber(), 10), start });
    } else if (current === '-') {
      const buffer = consumeNumber();
      if (buffer.length <= 1) throw new QueryLexerError(start, `Unknown token '${buffer}'`);
      tokens.push({ type: 'number', value: Number.parseInt(buffer, 10), start });
    } else if (current === '"') {
      const lexeme = `"${consumeUntil('"')}"`;
      const parsed = jsonLoads(lexeme);
      if (parsed === undefined) throw new QueryLexerError(start, pyJsonErrorHead(lexeme));
      tokens.push({ type: 'quoted_identifier', value: parsed.value, start });
    } else if (current === '<') {
      matchOrElse('=', 'lte', 'lt');
    } else if (current === '>') {
      matchOrElse('=', 'gte', 'gt');
    } else if (current === '!') {
      matchOrElse('=', 'ne', 'not');
    } else if (current === '=') {
      pos++;
      if (at(pos) !== '=') throw new QueryLexerError(start, "Unknown token '='");
      pos++;
      tokens.push({ type: 'eq', value: '==', start });
    } else {
      throw new QueryLexerError(start, `Unknown token ${current}`);
    }
  }
  tokens.push({ type: 'eof', value: '', start: chars.length });
  return tokens;
}

// The part of Python's json error message before the first colon, as jmespath.py reports it.
function pyJsonErrorHead(lexeme: string): string {
  const body = lexeme.slice(1, -1);
  if ([...body].some((ch) => ch.charCodeAt(0) < 0x20)) return 'Invalid control character at';
  if (/\\u(?![0-9a-fA-F]{4})/.test(body)) return 'Invalid \\uXXXX escape';
  return 'Invalid \\escape';
}
