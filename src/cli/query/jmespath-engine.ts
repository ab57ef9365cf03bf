import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import { pyStr } from '../python/repr.js';

/** A node of jmespath.js's AST (opaque here). */
export type JmespathAst = { readonly type: string };

/** A token of jmespath.js's lexer. */
export interface JmespathToken {
  readonly type: string;
  readonly value: unknown;
  readonly start: number;
}

interface Signature {
  readonly types: readonly number[];
  readonly variadic?: boolean;
}

interface RuntimeInternals {
  _validateArgs(name: string, args: unknown[], signature: readonly Signature[]): void;
  _getTypeName(value: unknown): number;
  _interpreter: InterpreterInternals;
  [method: `_function${string}`]: (resolvedArgs: unknown[]) => unknown;
}

interface InterpreterInternals {
  visit(node: JmespathAst & { name?: string; children?: JmespathAst[] }, value: unknown): unknown;
}

interface EngineModule {
  compile(expression: string): JmespathAst;
  tokenize(expression: string): JmespathToken[];
  Runtime: { new (): RuntimeInternals; prototype: RuntimeInternals };
  TreeInterpreter: {
    new (runtime: RuntimeInternals): InterpreterInternals & { search(node: JmespathAst, data: unknown): unknown };
    prototype: InterpreterInternals;
  };
}

/** Raised for errors jmespath.py reports with its own wording (arity and type errors of functions). */
export class JmespathFunctionError extends Error {
  override readonly name = 'JmespathFunctionError';
}

// jmespath.js type ids → the names jmespath.py uses in its messages.
const PY_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'number',
  1: 'any',
  2: 'string',
  3: 'array',
  4: 'object',
  5: 'boolean',
  6: 'expref',
  7: 'null',
  8: 'array-number',
  9: 'array-string',
};

/**
 * jmespath.js 0.16 (the package fleetca depends on) keeps its interpreter private. It is loaded
 * from the installed file with its Runtime and TreeInterpreter exported too, so the function-call
 * checks can raise jmespath.py's messages (which need the offending value) instead of its own.
 */
function loadEngine(): EngineModule {
  const require = createRequire(import.meta.url);
  const original = readFileSync(require.resolve('jmespath'), 'utf8');
  const anchor = 'exports.tokenize = tokenize;';
  // The lockfile pins jmespath 0.16.0; any other build must be looked at before it is trusted here.
  if (!original.includes(anchor)) throw new Error('unsupported jmespath build: expected jmespath 0.16.0');
  const source = original.replace(
    anchor,
    'exports.Runtime = Runtime; exports.TreeInterpreter = TreeInterpreter; exports.tokenize = tokenize;',
  );
  const exportsObject = {} as EngineModule;
  const factory = runInThisContext(`(function (exports) { ${source}\n})`) as (target: object) => void;
  factory(exportsObject);
  patchArgumentChecks(exportsObject.Runtime.prototype);
  patchFunctions(exportsObject.Runtime.prototype);
  patchOrderingComparators(exportsObject.TreeInterpreter.prototype);
  return exportsObject;
}

function pluralArguments(count: number): string {
  return count === 1 ? 'argument' : 'arguments';
}

/** Replaces jmespath.js's arity and type checks with ones that fail with jmespath.py's texts. */
function patchArgumentChecks(runtime: RuntimeInternals): void {
  runtime._validateArgs = function validateArgs(this: RuntimeInternals, name, args, signature) {
    const last = signature[signature.length - 1];
    if (last?.variadic) {
      if (args.length < signature.length) {
        throw new JmespathFunctionError(
          `Expected at least ${signature.length} ${pluralArguments(signature.length)} for function ${name}(), received ${args.length}`,
        );
      }
    } else if (args.length !== signature.length) {
      throw new JmespathFunctionError(
        `Expected ${signature.length} ${pluralArguments(signature.length)} for function ${name}(), received ${args.length}`,
      );
    }
    signature.forEach((spec, i) => {
      const names = spec.types.map((id) => PY_TYPE_NAMES[id] ?? 'any');
      // jmespath.py leaves `any` unchecked.
      if (names.includes('any')) return;
      checkArgumentType(this, name, args[i], names);
    });
  };
}

// jmespath.py's REVERSE_TYPES_MAP: the Python types each JMESPath type name allows.
const PY_TYPES_OF: Readonly<Record<string, readonly string[]>> = {
  boolean: ['bool'],
  array: ['list'],
  object: ['dict'],
  null: ['NoneType'],
  string: ['str'],
  number: ['float', 'int'],
  expref: ['_Expression'],
};

const JMESPATH_TYPE_OF: Readonly<Record<string, string>> = {
  bool: 'boolean',
  list: 'array',
  dict: 'object',
  NoneType: 'null',
  str: 'string',
  float: 'number',
  int: 'number',
  _Expression: 'expref',
};

/** type(value).__name__ of the value as jmespath.py would hold it. */
function pyTypeOf(runtime: RuntimeInternals, value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return runtime._getTypeName(value) === 6 ? '_Expression' : 'dict';
}

function typeError(name: string, value: unknown, received: string, expected: readonly string[]): JmespathFunctionError {
  const list = `[${expected.map((type) => `'${type}'`).join(', ')}]`;
  return new JmespathFunctionError(
    `In function ${name}(), invalid type for value: ${pyStr(value)}, expected one of: ${list}, received: "${received}"`,
  );
}

/** jmespath.py `_type_check_single` + `_subtype_check`, with their texts. */
function checkArgumentType(runtime: RuntimeInternals, name: string, value: unknown, expected: readonly string[]): void {
  const allowed: string[] = [];
  const subtypes: (readonly string[])[] = [];
  for (const type of expected) {
    const [outer = type, inner] = type.split('-', 2);
    if (inner !== undefined) subtypes.push(PY_TYPES_OF[inner] ?? []);
    allowed.push(...(PY_TYPES_OF[outer] ?? []));
  }
  const actual = pyTypeOf(runtime, value);
  if (!allowed.includes(actual)) throw typeError(name, value, JMESPATH_TYPE_OF[actual] ?? actual, expected);
  if (subtypes.length === 0 || !Array.isArray(value)) return;
  let elementTypes = subtypes[0] as readonly string[];
  if (subtypes.length > 1) {
    if (value.length === 0) return;
    const first = pyTypeOf(runtime, value[0]);
    const match = subtypes.find((types) => types.includes(first));
    if (match === undefined) throw typeError(name, value[0], first, expected);
    elementTypes = match;
  }
  for (const element of value) {
    const type = pyTypeOf(runtime, element);
    if (!elementTypes.includes(type)) throw typeError(name, element, type, expected);
  }
}

// Python's type(x).__name__ for the operands of an ordering comparison.
function pyOperandType(value: unknown): string {
  if (typeof value === 'string') return 'str';
  return Number.isInteger(value) ? 'int' : 'float';
}

const ORDERING: Readonly<Record<string, [string, (a: never, b: never) => boolean]>> = {
  GT: ['>', (a, b) => a > b],
  GTE: ['>=', (a, b) => a >= b],
  LT: ['<', (a, b) => a < b],
  LTE: ['<=', (a, b) => a <= b],
};

/**
 * jmespath.py's ordering comparisons: numbers and strings only (anything else gives null), and a
 * string against a number is Python's TypeError (jmespath.js compares them loosely).
 */
function patchOrderingComparators(interpreter: InterpreterInternals): void {
  const visit = interpreter.visit;
  interpreter.visit = function patchedVisit(this: InterpreterInternals, node, value) {
    const ordering = node.type === 'Comparator' && node.name ? ORDERING[node.name] : undefined;
    if (ordering === undefined || !node.children) return visit.call(this, node, value);
    const [left, right] = node.children.map((child) => this.visit(child, value));
    const comparable = (x: unknown) => typeof x === 'string' || typeof x === 'number';
    if (!comparable(left) || !comparable(right)) return null;
    const [symbol, compare] = ordering;
    if (typeof left !== typeof right) {
      throw new Error(
        `'${symbol}' not supported between instances of '${pyOperandType(left)}' and '${pyOperandType(right)}'`,
      );
    }
    return compare(left as never, right as never);
  };
}

/**
 * Functions where jmespath.js and jmespath.py differ: starts_with/ends_with (jmespath.js searches
 * the whole string), max_by/min_by (strings, empty arrays) and sort_by (its type error text).
 */
function patchFunctions(runtime: RuntimeInternals): void {
  runtime._functionStartsWith = ([subject, prefix]) => (subject as string).startsWith(prefix as string);
  runtime._functionEndsWith = ([subject, suffix]) => (subject as string).endsWith(suffix as string);
  const keyFunction = (self: RuntimeInternals, expref: unknown, allowed: readonly string[], name: string) => {
    return (item: unknown): string | number => {
      const key = self._interpreter.visit(expref as JmespathAst, item);
      const type = JMESPATH_TYPE_OF[pyTypeOf(self, key)] ?? 'null';
      if (!allowed.includes(type)) throw typeError(name, key, type, allowed);
      return key as string | number;
    };
  };
  const extreme = (name: string, better: (a: string | number, b: string | number) => boolean) =>
    function (this: RuntimeInternals, [array, expref]: unknown[]): unknown {
      const items = array as unknown[];
      if (items.length === 0) return null;
      const key = keyFunction(this, expref, ['number', 'string'], name);
      let best = items[0];
      let bestKey = key(best);
      for (const item of items.slice(1)) {
        const current = key(item);
        if (typeof current !== typeof bestKey) {
          throw new Error(
            `'${name === 'max_by' ? '>' : '<'}' not supported between instances of '${pyOperandType(current)}' and '${pyOperandType(bestKey)}'`,
          );
        }
        if (better(current, bestKey)) {
          best = item;
          bestKey = current;
        }
      }
      return best;
    };
  runtime._functionMaxBy = extreme('max_by', (a, b) => a > b);
  runtime._functionMinBy = extreme('min_by', (a, b) => a < b);
  runtime._functionSortBy = function sortBy(this: RuntimeInternals, [array, expref]: unknown[]): unknown {
    const items = array as unknown[];
    if (items.length === 0) return items;
    const firstType = JMESPATH_TYPE_OF[pyTypeOf(this, this._interpreter.visit(expref as JmespathAst, items[0]))];
    if (firstType !== 'number' && firstType !== 'string') {
      throw typeError('sort_by', items[0], firstType ?? 'null', ['string', 'number']);
    }
    const key = keyFunction(this, expref, [firstType], 'sort_by');
    const keyed = items.map((item) => ({ item, key: key(item) }));
    // Array.prototype.sort is stable, as Python's sorted() is.
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map(({ item }) => item);
  };
}

let engine: EngineModule | undefined;

/** The patched jmespath.js engine, loaded once. */
export function jmespathEngine(): EngineModule {
  engine ??= loadEngine();
  return engine;
}

/** Evaluates a compiled AST on `data` with a fresh runtime (as jmespath.js's own search does). */
export function evaluateAst(ast: JmespathAst, data: unknown): unknown {
  const { Runtime, TreeInterpreter } = jmespathEngine();
  const runtime = new Runtime();
  const interpreter = new TreeInterpreter(runtime);
  runtime._interpreter = interpreter;
  return interpreter.search(ast, data);
}
