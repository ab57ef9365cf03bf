/**
 * The AWS CLI's shorthand syntax (`Key=a,Value=b`, `a=[x,y]`, `a={b=c}`), parsed the way its
 * ShorthandParser does, with the same syntax error texts (caret under the failing character).
 * The result is untyped (strings, lists, objects); shorthand-arguments.ts applies the model.
 */

export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue };

/** A shorthand syntax error; its message is what follows `Error parsing parameter '--x': `. */
export class ShorthandSyntaxError extends Error {
  override readonly name = 'ShorthandSyntaxError';
}

const START_WORD = '!#-&(-+\\--<>-Z\\\\-z|-\\uffff';
const FIRST_FOLLOW = '\\s!#-&(-+\\--\\\\^-|~-\\uffff';
const SECOND_FOLLOW = '\\s!#-&(-+\\--<>-\\uffff';
const FIRST_VALUE = new RegExp(`^((\\\\,)|[${START_WORD}])((\\\\,)|[${FIRST_FOLLOW}])*`, 'u');
const SECOND_VALUE = new RegExp(`^((\\\\,)|[${START_WORD}])((\\\\,)|[${SECOND_FOLLOW}])*`, 'u');
const SINGLE_QUOTED = /^'(?:\\\\|\\'|[^'])*'/u;
const DOUBLE_QUOTED = /^"(?:\\\\|\\"|[^"])*"/u;
const KEY_CHAR = /^[A-Za-z0-9\-_.#/:]$/;
// Python's string.whitespace.
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);

// Python's str.rstrip(): trailing whitespace.
const rstrip = (text: string): string => text.replace(/\s+$/u, '');

// ShorthandParseError._error_location: the input with a caret line under the failing index.
function errorLocation(value: string, index: number): string {
  let consumed = value;
  let remaining = '';
  let spaces = index;
  const before = value.slice(0, index);
  if (before.includes('\n')) spaces = index - before.lastIndexOf('\n') - 1;
  const after = value.slice(index);
  if (after.includes('\n')) {
    const next = index + after.indexOf('\n');
    consumed = value.slice(0, next);
    remaining = value.slice(next);
  }
  return `${consumed}\n${' '.repeat(spaces)}^${remaining}`;
}

class Parser {
  private index = 0;
  constructor(private readonly input: string) {}

  parse(): Record<string, ShorthandValue> {
    const params: Record<string, ShorthandValue> = {};
    const [key, value] = this.keyval();
    params[key] = value;
    let lastIndex = this.index;
    while (this.index < this.input.length) {
      this.expect(',', true);
      const [nextKey, nextValue] = this.keyval();
      if (Object.hasOwn(params, nextKey)) {
        throw new ShorthandSyntaxError(
          `Second instance of key "${nextKey}" encountered for input:\n${errorLocation(this.input, lastIndex + 1)}\n` +
            'This is often because there is a preceding "," instead of a space.',
        );
      }
      params[nextKey] = nextValue;
      lastIndex = this.index;
    }
    return params;
  }

  private keyval(): [string, ShorthandValue] {
    const key = this.key();
    this.expect('=', true);
    return [key, this.values()];
  }

  private key(): string {
    const start = this.index;
    while (!this.atEof() && KEY_CHAR.test(this.current())) this.index++;
    return this.input.slice(start, this.index);
  }

  private values(): ShorthandValue {
    if (this.atEof()) return '';
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.csvValue();
  }

  private csvValue(): ShorthandValue {
    const first = this.firstValue();
    this.consumeWhitespace();
    if (this.atEof() || this.input[this.index] !== ',') return first;
    this.expect(',', true);
    const list: string[] = [first];
    for (;;) {
      try {
        const current = this.secondValue();
        this.consumeWhitespace();
        if (this.atEof()) {
          list.push(current);
          break;
        }
        this.expect(',', true);
        list.push(current);
      } catch (error) {
        if (!(error instanceof ShorthandSyntaxError) || this.atEof()) throw error;
        // `a=b,c=d`: what followed the comma was the next key, not another value.
        this.backtrackTo(',');
        break;
      }
    }
    return list.length === 1 ? first : list;
  }

  private explicitList(): ShorthandValue[] {
    this.expect('[', true);
    const values: ShorthandValue[] = [];
    while (this.current() !== ']') {
      values.push(this.explicitValues());
      this.consumeWhitespace();
      if (this.current() !== ']') {
        this.expect(',');
        this.consumeWhitespace();
      }
    }
    this.expect(']');
    return values;
  }

  private explicitValues(): ShorthandValue {
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.firstValue();
  }

  private hashLiteral(): Record<string, ShorthandValue> {
    this.expect('{', true);
    const result: Record<string, ShorthandValue> = {};
    while (this.current() !== '}') {
      const key = this.key();
      this.expect('=', true);
      const value = this.explicitValues();
      this.consumeWhitespace();
      if (this.current() !== '}') {
        this.expect(',');
        this.consumeWhitespace();
      }
      result[key] = value;
    }
    this.expect('}');
    return result;
  }

  private firstValue(): string {
    if (this.current() === "'") return this.quoted(SINGLE_QUOTED, 'singled quoted', "'");
    if (this.current() === '"') return this.quoted(DOUBLE_QUOTED, 'double quoted', '"');
    const match = FIRST_VALUE.exec(this.input.slice(this.index));
    if (match === null) return '';
    this.index += match[0].length;
    return rstrip(match[0].replaceAll('\\,', ','));
  }

  private secondValue(): string {
    if (this.current() === "'") return this.quoted(SINGLE_QUOTED, 'singled quoted', "'");
    if (this.current() === '"') return this.quoted(DOUBLE_QUOTED, 'double quoted', '"');
    return rstrip(this.mustConsume(SECOND_VALUE, 'second').replaceAll('\\,', ','));
  }

  private quoted(regex: RegExp, name: string, quote: string): string {
    const text = this.mustConsume(regex, name).slice(1, -1);
    return text.replaceAll(`\\${quote}`, quote).replaceAll('\\\\', '\\');
  }

  private mustConsume(regex: RegExp, name: string): string {
    const match = regex.exec(this.input.slice(this.index));
    if (match === null) throw this.syntaxError(`<${name}>`, '<none>');
    this.index += match[0].length;
    return match[0];
  }

  private expect(char: string, consumeWhitespace = false): void {
    if (consumeWhitespace) this.consumeWhitespace();
    if (this.index >= this.input.length) throw this.syntaxError(char, 'EOF');
    const actual = this.input[this.index] as string;
    if (actual !== char) throw this.syntaxError(char, actual);
    this.index++;
    if (consumeWhitespace) this.consumeWhitespace();
  }

  private syntaxError(expected: string, actual: string): ShorthandSyntaxError {
    return new ShorthandSyntaxError(
      `Expected: '${expected}', received: '${actual}' for input:\n${errorLocation(this.input, this.index)}`,
    );
  }

  private current(): string {
    return this.index < this.input.length ? (this.input[this.index] as string) : '';
  }

  private atEof(): boolean {
    return this.index >= this.input.length;
  }

  private backtrackTo(char: string): void {
    while (this.index >= 0 && this.input[this.index] !== char) this.index--;
  }

  private consumeWhitespace(): void {
    while (!this.atEof() && WHITESPACE.has(this.current())) this.index++;
  }
}

/** Parses one shorthand value (`Key=a,Value=b`) into an object. */
export function parseShorthand(value: string): Record<string, ShorthandValue> {
  return new Parser(value).parse();
}
