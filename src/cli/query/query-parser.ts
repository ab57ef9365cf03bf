import { pyStr } from '../python/repr.js';
import type { JmespathAst } from './jmespath-engine.js';
import { QueryIncompleteError, QueryParseError } from './query-errors.js';
import { type QueryToken, tokenizeQuery } from './query-lexer.js';

type Node = JmespathAst & Record<string, unknown>;

const BINDING_POWER: Readonly<Record<string, number>> = {
  eof: 0,
  unquoted_identifier: 0,
  quoted_identifier: 0,
  literal: 0,
  rbracket: 0,
  rparen: 0,
  comma: 0,
  rbrace: 0,
  number: 0,
  current: 0,
  expref: 0,
  colon: 0,
  pipe: 1,
  or: 2,
  and: 3,
  eq: 5,
  gt: 5,
  lt: 5,
  gte: 5,
  lte: 5,
  ne: 5,
  flatten: 9,
  star: 20,
  filter: 21,
  dot: 40,
  not: 45,
  lbrace: 50,
  lbracket: 55,
  lparen: 60,
};
const PROJECTION_STOP = 10;
const DOT_RHS_TYPES = ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'];
const KEY_TYPES = ['quoted_identifier', 'unquoted_identifier'];
// jmespath.js comparator node names.
const COMPARATORS: Readonly<Record<string, string>> = {
  eq: 'EQ',
  ne: 'NE',
  gt: 'GT',
  gte: 'GTE',
  lt: 'LT',
  lte: 'LTE',
};

const identity = (): Node => ({ type: 'Identity' });

// Python's repr() of a list of str, as "Expecting: %s" prints the allowed token types.
const pyList = (items: readonly string[]): string => `[${items.map((item) => `'${item}'`).join(', ')}]`;

/**
 * A port of jmespath.py's Pratt parser: it accepts and rejects what the AWS CLI's `--query`
 * compile accepts and rejects, with the same error (kind, reason, column, token), and builds the
 * AST jmespath.js's interpreter evaluates (subexpressions kept binary, as that interpreter needs).
 */
class Parser {
  private index = 0;
  constructor(private readonly tokens: readonly QueryToken[]) {}

  parse(): Node {
    const parsed = this.expression(0);
    if (this.current() !== 'eof') {
      const t = this.token(0);
      throw new QueryParseError(t.start, t.value, t.type, `Unexpected token: ${pyStr(t.value)}`);
    }
    return parsed;
  }

  private token(offset: number): QueryToken {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as QueryToken;
  }

  private current(): string {
    return this.token(0).type;
  }

  private lookahead(offset: number): string {
    return this.token(offset).type;
  }

  private advance(): void {
    this.index++;
  }

  private expression(bindingPower: number): Node {
    const leftToken = this.token(0);
    this.advance();
    let left = this.nud(leftToken);
    let current = this.current();
    while (bindingPower < (BINDING_POWER[current] ?? 0)) {
      const token = this.token(0);
      this.advance();
      left = this.led(token, left);
      current = this.current();
    }
    return left;
  }

  private nud(token: QueryToken): Node {
    switch (token.type) {
      case 'literal':
        return { type: 'Literal', value: token.value };
      case 'unquoted_identifier':
        return { type: 'Field', name: token.value };
      case 'quoted_identifier': {
        if (this.current() === 'lparen') {
          const t = this.token(0);
          throw new QueryParseError(0, t.value, t.type, 'Quoted identifier not allowed for function names.');
        }
        return { type: 'Field', name: token.value };
      }
      case 'star': {
        const right = this.current() === 'rbracket' ? identity() : this.projectionRhs(BINDING_POWER.star as number);
        return { type: 'ValueProjection', children: [identity(), right] };
      }
      case 'filter':
        return this.ledFilter(identity());
      case 'lbrace':
        return this.multiSelectHash();
      case 'lparen': {
        const expression = this.expression(0);
        this.match('rparen');
        return expression;
      }
      case 'flatten': {
        const left = { type: 'Flatten', children: [identity()] };
        return { type: 'Projection', children: [left, this.projectionRhs(BINDING_POWER.flatten as number)] };
      }
      case 'not':
        return { type: 'NotExpression', children: [this.expression(BINDING_POWER.not as number)] };
      case 'lbracket': {
        if (this.current() === 'number' || this.current() === 'colon') {
          return this.projectIfSlice(identity(), this.indexExpression());
        }
        if (this.current() === 'star' && this.lookahead(1) === 'rbracket') {
          this.advance();
          this.advance();
          return { type: 'Projection', children: [identity(), this.projectionRhs(BINDING_POWER.star as number)] };
        }
        return this.multiSelectList();
      }
      case 'current':
        return { type: 'Current' };
      case 'expref':
        return { type: 'ExpressionReference', children: [this.expression(BINDING_POWER.expref as number)] };
      default:
        if (token.type === 'eof') throw new QueryIncompleteError('Incomplete expression');
        throw new QueryParseError(token.start, token.value, token.type, 'invalid token');
    }
  }

  private led(token: QueryToken, left: Node): Node {
    switch (token.type) {
      case 'pipe':
        return { type: 'Pipe', children: [left, this.expression(BINDING_POWER.pipe as number)] };
      case 'or':
        return { type: 'OrExpression', children: [left, this.expression(BINDING_POWER.or as number)] };
      case 'and':
        return { type: 'AndExpression', children: [left, this.expression(BINDING_POWER.and as number)] };
      case 'lparen':
        return this.ledFunction(left);
      case 'filter':
        return this.ledFilter(left);
      case 'eq':
      case 'ne':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const right = this.expression(BINDING_POWER[token.type] as number);
        return { type: 'Comparator', name: COMPARATORS[token.type], children: [left, right] };
      }
      case 'flatten': {
        const flattened = { type: 'Flatten', children: [left] };
        return { type: 'Projection', children: [flattened, this.projectionRhs(BINDING_POWER.flatten as number)] };
      }
      case 'lbracket': {
        if (this.current() === 'number' || this.current() === 'colon') {
          return this.projectIfSlice(left, this.indexExpression());
        }
        this.match('star');
        this.match('rbracket');
        return { type: 'Projection', children: [left, this.projectionRhs(BINDING_POWER.star as number)] };
      }
      case 'dot': {
        if (this.current() !== 'star') {
          return { type: 'Subexpression', children: [left, this.dotRhs(BINDING_POWER.dot as number)] };
        }
        this.advance();
        return { type: 'ValueProjection', children: [left, this.projectionRhs(BINDING_POWER.dot as number)] };
      }
      default:
        // A token that binds but has no infix meaning (`a !b`); the parser has consumed it already.
        throw new QueryParseError(token.start, token.value, token.type, 'invalid token');
    }
  }

  private ledFunction(left: Node): Node {
    if (left.type !== 'Field') {
      const previous = this.token(-2);
      throw new QueryParseError(
        previous.start,
        previous.value,
        previous.type,
        `Invalid function name '${pyStr(previous.value)}'`,
      );
    }
    const args: Node[] = [];
    while (this.current() !== 'rparen') {
      const expression = this.expression(0);
      if (this.current() === 'comma') this.match('comma');
      args.push(expression);
    }
    this.match('rparen');
    return { type: 'Function', name: left.name, children: args };
  }

  private ledFilter(left: Node): Node {
    const condition = this.expression(0);
    this.match('rbracket');
    const right = this.current() === 'flatten' ? identity() : this.projectionRhs(BINDING_POWER.filter as number);
    return { type: 'FilterProjection', children: [left, right, condition] };
  }

  private indexExpression(): Node {
    if (this.lookahead(0) === 'colon' || this.lookahead(1) === 'colon') return this.sliceExpression();
    const node = { type: 'Index', value: this.token(0).value };
    this.advance();
    this.match('rbracket');
    return node;
  }

  private sliceExpression(): Node {
    const parts: (number | null)[] = [null, null, null];
    let index = 0;
    let current = this.current();
    while (current !== 'rbracket' && index < 3) {
      if (current === 'colon') {
        index++;
        if (index === 3) this.syntaxError();
        this.advance();
      } else if (current === 'number') {
        parts[index] = this.token(0).value as number;
        this.advance();
      } else {
        this.syntaxError();
      }
      current = this.current();
    }
    this.match('rbracket');
    return { type: 'Slice', children: parts };
  }

  private syntaxError(): never {
    const t = this.token(0);
    throw new QueryParseError(t.start, t.value, t.type, 'syntax error');
  }

  private projectIfSlice(left: Node, right: Node): Node {
    const indexExpression = { type: 'IndexExpression', children: [left, right] };
    if (right.type !== 'Slice') return indexExpression;
    return { type: 'Projection', children: [indexExpression, this.projectionRhs(BINDING_POWER.star as number)] };
  }

  private projectionRhs(bindingPower: number): Node {
    const current = this.current();
    if ((BINDING_POWER[current] ?? 0) < PROJECTION_STOP) return identity();
    if (current === 'lbracket' || current === 'filter') return this.expression(bindingPower);
    if (current === 'dot') {
      this.match('dot');
      return this.dotRhs(bindingPower);
    }
    return this.syntaxError();
  }

  private dotRhs(bindingPower: number): Node {
    const lookahead = this.current();
    if (['quoted_identifier', 'unquoted_identifier', 'star'].includes(lookahead)) return this.expression(bindingPower);
    if (lookahead === 'lbracket') {
      this.match('lbracket');
      return this.multiSelectList();
    }
    if (lookahead === 'lbrace') {
      this.match('lbrace');
      return this.multiSelectHash();
    }
    const t = this.token(0);
    throw new QueryParseError(t.start, t.value, t.type, `Expecting: ${pyList(DOT_RHS_TYPES)}, got: ${t.type}`);
  }

  private multiSelectList(): Node {
    const expressions: Node[] = [];
    for (;;) {
      expressions.push(this.expression(0));
      if (this.current() === 'rbracket') break;
      this.match('comma');
    }
    this.match('rbracket');
    return { type: 'MultiSelectList', children: expressions };
  }

  private multiSelectHash(): Node {
    const pairs: Node[] = [];
    for (;;) {
      const keyToken = this.token(0);
      if (!KEY_TYPES.includes(this.current())) this.failExpecting(pyList(KEY_TYPES));
      this.advance();
      this.match('colon');
      const value = this.expression(0);
      pairs.push({ type: 'KeyValuePair', name: keyToken.value, value });
      if (this.current() === 'comma') this.match('comma');
      else if (this.current() === 'rbrace') {
        this.match('rbrace');
        break;
      }
    }
    return { type: 'MultiSelectHash', children: pairs };
  }

  private match(type: string): void {
    if (this.current() === type) this.advance();
    else this.failExpecting(type);
  }

  // _raise_parse_error_maybe_eof: the end of the expression makes it incomplete.
  private failExpecting(expected: string): never {
    const t = this.token(0);
    if (t.type === 'eof') throw new QueryIncompleteError('Incomplete expression');
    throw new QueryParseError(t.start, t.value, t.type, `Expecting: ${expected}, got: ${t.type}`);
  }
}

/** Compiles a JMESPath expression as jmespath.py does; throws a QuerySyntaxError subclass. */
export function parseQuery(expression: string): JmespathAst {
  return new Parser(tokenizeQuery(expression)).parse();
}
