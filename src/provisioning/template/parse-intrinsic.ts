import { CONDITION_FUNCTIONS, type Expression } from './expression.js';
import { isJsonObject, type JsonValue, jsonKind, quote } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { parseExpression } from './parse-expression.js';
import { parseSubString } from './parse-sub-string.js';
import { requireListLike, requireStringLike, requireStringLikeItems } from './static-type.js';
import { invalidTemplate } from './template-error.js';
import { isValidName } from './template-names.js';

/** Parses one intrinsic function call, checking its arguments' shapes as far as they are known before evaluation. */
export function parseIntrinsic(name: string, argument: JsonValue, where: string, context: ParseContext): Expression {
  const at = `${where}.${name}`;
  switch (name) {
    case 'Ref':
      return { kind: 'ref', where, name: referenceName(argument, at) };
    case 'Fn::Join':
      return parseJoin(argumentList(argument, 2, '[delimiter, [values]]', at), at, context);
    case 'Fn::Sub':
      return parseSub(argument, at, context);
    case 'Fn::Select':
      return parseSelect(argumentList(argument, 2, '[index, [values]]', at), at, context);
    case 'Fn::Split':
      return parseSplit(argumentList(argument, 2, '[delimiter, string]', at), at, context);
    case 'Fn::FindInMap':
      return parseFindInMap(argumentList(argument, 3, '[mapName, topLevelKey, secondLevelKey]', at), at, context);
    case 'Fn::If':
      return parseIf(argumentList(argument, 3, '[conditionName, valueIfTrue, valueIfFalse]', at), at, context);
  }
  if ((CONDITION_FUNCTIONS as readonly string[]).includes(name)) {
    throw invalidTemplate(`${where}: ${name} can be used only in the Conditions section`);
  }
  throw invalidTemplate(
    `${where}: unknown or unsupported intrinsic function ${quote(name)} (supported: Ref, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If)`,
  );
}

function referenceName(argument: JsonValue, at: string): string {
  if (typeof argument !== 'string')
    throw invalidTemplate(`${at}: expected a parameter name, found ${jsonKind(argument)}`);
  if (!isValidName(argument)) throw invalidTemplate(`${at}: ${quote(argument)} is not a valid parameter name`);
  return argument;
}

/** The argument list of a function taking exactly `count` arguments. */
function argumentList(argument: JsonValue, count: number, usage: string, at: string): readonly JsonValue[] {
  if (!Array.isArray(argument) || argument.length !== count) {
    const found = Array.isArray(argument) ? `a list of ${argument.length}` : jsonKind(argument);
    throw invalidTemplate(`${at}: expected ${usage}, found ${found}`);
  }
  return argument as readonly JsonValue[];
}

function parseJoin(args: readonly JsonValue[], at: string, context: ParseContext): Expression {
  const delimiter = parseExpression(args[0] ?? null, `${at}[0]`, context);
  requireStringLike(delimiter, `${at}[0]`);
  const values = parseExpression(args[1] ?? null, `${at}[1]`, context);
  requireListLike(values, `${at}[1]`);
  requireStringLikeItems(values, `${at}[1]`);
  return { kind: 'join', where: at, delimiter, values };
}

function parseSub(argument: JsonValue, at: string, context: ParseContext): Expression {
  if (typeof argument === 'string') {
    return { kind: 'sub', where: at, parts: parseSubString(argument, at), variables: new Map() };
  }
  const args = argumentList(argument, 2, 'a string or [string, {variables}]', at);
  const [template, variableObject] = args;
  if (typeof template !== 'string') throw invalidTemplate(`${at}[0]: expected a string, found ${jsonKind(template)}`);
  if (!isJsonObject(variableObject)) {
    throw invalidTemplate(`${at}[1]: expected an object of variables, found ${jsonKind(variableObject)}`);
  }
  const variables = new Map<string, Expression>();
  for (const [name, value] of Object.entries(variableObject)) {
    if (!isValidName(name)) throw invalidTemplate(`${at}[1]: ${quote(name)} is not a valid variable name`);
    const expression = parseExpression(value, `${at}[1].${name}`, context);
    requireStringLike(expression, `${at}[1].${name}`);
    variables.set(name, expression);
  }
  return { kind: 'sub', where: at, parts: parseSubString(template, `${at}[0]`), variables };
}

function parseSelect(args: readonly JsonValue[], at: string, context: ParseContext): Expression {
  const index = parseExpression(args[0] ?? null, `${at}[0]`, context);
  requireStringLike(index, `${at}[0]`);
  const literalIndex = index.kind === 'literal' ? parseIndexLiteral(index.value, `${at}[0]`) : undefined;
  const list = parseExpression(args[1] ?? null, `${at}[1]`, context);
  requireListLike(list, `${at}[1]`);
  if (literalIndex !== undefined && list.kind === 'list' && literalIndex >= list.items.length) {
    throw invalidTemplate(`${at}: index ${literalIndex} is out of range for a list of ${list.items.length} values`);
  }
  return { kind: 'select', where: at, index, list };
}

/** Fn::Select's index as written: a non-negative integer, or a string of digits. */
export function parseIndexLiteral(value: string | number | boolean | null, at: string): number {
  const index = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw invalidTemplate(`${at}: the index must be a non-negative integer, found ${quote(String(value))}`);
  }
  return index;
}

function parseSplit(args: readonly JsonValue[], at: string, context: ParseContext): Expression {
  const delimiter = parseExpression(args[0] ?? null, `${at}[0]`, context);
  requireStringLike(delimiter, `${at}[0]`);
  if (delimiter.kind === 'literal' && delimiter.value === '') {
    throw invalidTemplate(`${at}[0]: the delimiter must not be empty`);
  }
  const source = parseExpression(args[1] ?? null, `${at}[1]`, context);
  requireStringLike(source, `${at}[1]`);
  return { kind: 'split', where: at, delimiter, source };
}

function parseFindInMap(args: readonly JsonValue[], at: string, context: ParseContext): Expression {
  const [mapName, topKey, secondKey] = args.map((arg, index) => {
    const expression = parseExpression(arg, `${at}[${index}]`, context);
    requireStringLike(expression, `${at}[${index}]`);
    return expression;
  }) as [Expression, Expression, Expression];
  // Keys written as literals are looked up now, so a typo is refused when the template is created.
  if (mapName.kind === 'literal') {
    const table = context.mappings.get(String(mapName.value));
    if (table === undefined) throw invalidTemplate(`${at}: no mapping named ${quote(String(mapName.value))}`);
    if (topKey.kind === 'literal') {
      const row = table.get(String(topKey.value));
      if (row === undefined) throw invalidTemplate(`${at}: mapping has no key ${quote(String(topKey.value))}`);
      if (secondKey.kind === 'literal' && !row.has(String(secondKey.value))) {
        throw invalidTemplate(`${at}: mapping has no second-level key ${quote(String(secondKey.value))}`);
      }
    }
  }
  return { kind: 'findInMap', where: at, mapName, topKey, secondKey };
}

function parseIf(args: readonly JsonValue[], at: string, context: ParseContext): Expression {
  const [condition, whenTrue, whenFalse] = args;
  if (typeof condition !== 'string') {
    throw invalidTemplate(`${at}[0]: expected a condition name, found ${jsonKind(condition)}`);
  }
  if (!context.conditionNames.has(condition)) throw invalidTemplate(`${at}[0]: no condition named ${quote(condition)}`);
  return {
    kind: 'if',
    where: at,
    condition,
    whenTrue: parseExpression(whenTrue ?? null, `${at}[1]`, context),
    whenFalse: parseExpression(whenFalse ?? null, `${at}[2]`, context),
  };
}
