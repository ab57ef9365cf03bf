import { pyStr } from '../python/repr.js';

/** A jmespath.py compile error; `describe(expression)` is its str() once the expression is known. */
export abstract class QuerySyntaxError extends Error {
  abstract describe(expression: string): string;
}

/** jmespath.py LexerError: `Bad jmespath expression: <message>:` + the expression + a caret. */
export class QueryLexerError extends QuerySyntaxError {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(reason);
  }

  describe(expression: string): string {
    return `Bad jmespath expression: ${this.reason}:\n${expression}\n${' '.repeat(this.position)}^`;
  }
}

/** jmespath.py ParseError: the reason, then the column, the token and its type. */
export class QueryParseError extends QuerySyntaxError {
  constructor(
    readonly position: number,
    readonly tokenValue: unknown,
    readonly tokenType: string,
    readonly reason: string,
  ) {
    super(reason);
  }

  describe(expression: string): string {
    return (
      `${this.reason}: Parse error at column ${this.position}, token "${pyStr(this.tokenValue)}" ` +
      `(${this.tokenType.toUpperCase()}), for expression:\n"${expression}"\n${' '.repeat(this.position + 1)}^`
    );
  }
}

/** jmespath.py IncompleteExpressionError: the caret just past the end of the expression. */
export class QueryIncompleteError extends QuerySyntaxError {
  describe(expression: string): string {
    return `Invalid jmespath expression: Incomplete expression:\n"${expression}"\n${' '.repeat([...expression].length + 1)}^`;
  }
}
