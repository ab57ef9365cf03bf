import type { ConditionExpression } from './expression.js';
import { entriesOf, isJsonObject, type JsonObject, type JsonValue, jsonKind, pathStep, quote } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { parseExpression } from './parse-expression.js';
import { requireStringLike } from './static-type.js';
import { invalidTemplate } from './template-error.js';
import { TEMPLATE_LIMITS } from './template-limits.js';
import { isValidName } from './template-names.js';

/** The names the Conditions section declares, read first so every section can refer to them. */
export function conditionNamesOf(section: JsonValue | undefined): Set<string> {
  if (section === undefined) return new Set();
  if (!isJsonObject(section)) throw invalidTemplate(`Conditions must be an object, found ${jsonKind(section)}`);
  for (const name of Object.keys(section)) {
    if (!isValidName(name)) throw invalidTemplate(`Conditions: ${quote(name)} is not a valid condition name`);
  }
  return new Set(Object.keys(section));
}

/**
 * Parses the Conditions section: each condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": name}.
 * Refuses references to undeclared conditions, cycles, and chains of references deeper than the limit.
 */
export function parseConditions(
  section: JsonValue | undefined,
  context: ParseContext,
): ReadonlyMap<string, ConditionExpression> {
  const conditions = new Map<string, ConditionExpression>();
  if (section === undefined) return conditions;
  for (const [name, value] of entriesOf(section as JsonObject)) {
    conditions.set(name, parseCondition(value, pathStep('Conditions', name), context));
  }
  checkReferenceChains(conditions);
  return conditions;
}

function parseCondition(value: JsonValue, where: string, context: ParseContext): ConditionExpression {
  const entries = isJsonObject(value) ? entriesOf(value) : [];
  const [entry] = entries;
  if (entry === undefined || entries.length !== 1) {
    throw invalidTemplate(
      `${where}: expected a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not) or {"Condition": name}`,
    );
  }
  const [name, argument] = entry;
  const at = `${where}.${name}`;
  switch (name) {
    case 'Condition': {
      if (typeof argument !== 'string')
        throw invalidTemplate(`${at}: expected a condition name, found ${jsonKind(argument)}`);
      if (!context.conditionNames.has(argument)) throw invalidTemplate(`${at}: no condition named ${quote(argument)}`);
      return { kind: 'condition', name: argument };
    }
    case 'Fn::Equals': {
      const args = conditionArguments(argument, 2, 2, at);
      const [left, right] = args.map((arg, index) => {
        const expression = parseExpression(arg, `${at}[${index}]`, context);
        requireStringLike(expression, `${at}[${index}]`);
        return expression;
      });
      if (left === undefined || right === undefined) throw invalidTemplate(`${at}: expected two values`);
      return { kind: 'equals', left, right };
    }
    case 'Fn::And':
    case 'Fn::Or': {
      // CloudFormation's bounds: two to ten conditions.
      const args = conditionArguments(argument, 2, 10, at);
      const operands = args.map((arg, index) => parseCondition(arg, `${at}[${index}]`, context));
      return { kind: name === 'Fn::And' ? 'and' : 'or', operands };
    }
    case 'Fn::Not': {
      const [operand] = conditionArguments(argument, 1, 1, at);
      return { kind: 'not', operand: parseCondition(operand ?? null, `${at}[0]`, context) };
    }
  }
  throw invalidTemplate(
    `${where}: ${quote(name)} is not a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)`,
  );
}

function conditionArguments(argument: JsonValue, min: number, max: number, at: string): readonly JsonValue[] {
  const count = Array.isArray(argument) ? argument.length : -1;
  if (count < min || count > max) {
    const expected = min === max ? `a list of ${min}` : `a list of ${min} to ${max}`;
    const found = Array.isArray(argument) ? `a list of ${count}` : jsonKind(argument);
    throw invalidTemplate(`${at}: expected ${expected}, found ${found}`);
  }
  return argument as readonly JsonValue[];
}

/** Condition names a condition refers to with {"Condition": name}. */
function referencesOf(condition: ConditionExpression, into: Set<string>): Set<string> {
  switch (condition.kind) {
    case 'condition':
      into.add(condition.name);
      break;
    case 'and':
    case 'or':
      for (const operand of condition.operands) referencesOf(operand, into);
      break;
    case 'not':
      referencesOf(condition.operand, into);
      break;
    case 'equals':
      break;
  }
  return into;
}

/** Refuses cycles and over-long chains; evaluation recurses along these chains. */
function checkReferenceChains(conditions: ReadonlyMap<string, ConditionExpression>): void {
  const references = new Map([...conditions].map(([name, condition]) => [name, referencesOf(condition, new Set())]));
  const chainLength = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, depth: number): number => {
    const known = chainLength.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name))
      throw invalidTemplate(
        `Conditions: condition ${quote(name)} refers to itself, directly or through other conditions`,
      );
    // `depth` bounds this walk's own recursion; `longest` the recursion of evaluation along the chain.
    if (depth > TEMPLATE_LIMITS.maxConditionChain) throw tooDeep();
    visiting.add(name);
    let longest = 0;
    for (const next of references.get(name) ?? []) longest = Math.max(longest, visit(next, depth + 1) + 1);
    visiting.delete(name);
    if (longest > TEMPLATE_LIMITS.maxConditionChain) throw tooDeep();
    chainLength.set(name, longest);
    return longest;
  };
  for (const name of conditions.keys()) visit(name, 0);
}

function tooDeep() {
  return invalidTemplate(
    `Conditions: conditions refer to each other more than ${TEMPLATE_LIMITS.maxConditionChain} deep`,
  );
}
