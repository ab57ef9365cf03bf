/**
 * A statement's `Condition` block: `{ "<operator>": { "<key>": value | [values] } }`. Every operator must hold,
 * every key under an operator must hold, and one of a key's values is enough (IAM's AND / AND / OR). Operators may
 * carry IAM's `ForAllValues:` / `ForAnyValue:` prefix and `IfExists` suffix; an unknown operator is refused when
 * the policy is created. Condition values may hold policy variables.
 */

import { serviceErrors } from '../../errors.js';
import {
  BASE_OPERATORS,
  type BaseOperator,
  type ConditionValue,
  isBoolText,
  NULL_OPERATOR,
} from './condition-operators.js';
import { parseTemplate, type ResolvedName, substitute, type Template } from './policy-variables.js';
import type { PatternToken } from './resource-pattern.js';

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

/** One operator applied to one key. */
export interface ConditionClause {
  /** As written, e.g. `ForAllValues:StringEquals`. */
  readonly operator: string;
  /** Undefined for `Null`. */
  readonly base: BaseOperator | undefined;
  readonly set: SetOperator | undefined;
  readonly ifExists: boolean;
  readonly key: string;
  readonly values: readonly Template[];
}

const malformed = (detail: string) => serviceErrors.malformedPolicy(`Policy document is Malformed: ${detail}`);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a Condition block. Throws MalformedPolicyException on an unknown operator or a value of the wrong kind. */
export function parseConditionBlock(raw: unknown): ConditionClause[] {
  if (!isObject(raw)) throw malformed('Invalid policy syntax.');
  const clauses: ConditionClause[] = [];
  for (const [operator, keys] of Object.entries(raw)) {
    const { base, set, ifExists } = parseOperator(operator);
    if (!isObject(keys) || Object.keys(keys).length === 0) throw malformed('Invalid policy syntax.');
    for (const [key, value] of Object.entries(keys)) {
      if (key === '') throw malformed('Invalid policy syntax.');
      const texts = conditionTexts(value);
      for (const text of texts) {
        const checkable = !text.includes('${');
        if (base === undefined && !isBoolText(text))
          throw malformed(`Invalid value for condition ${operator}: ${text}`);
        if (base && checkable && !base.accepts(text))
          throw malformed(`Invalid value for condition ${operator}: ${text}`);
      }
      clauses.push({ operator, base, set, ifExists, key, values: texts.map(parseTemplate) });
    }
  }
  return clauses;
}

function parseOperator(operator: string): {
  base: BaseOperator | undefined;
  set: SetOperator | undefined;
  ifExists: boolean;
} {
  let rest = operator;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') set = 'ForAllValues';
    else if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else throw malformed(`Invalid condition operator: ${operator}`);
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const lower = rest.toLowerCase();
  if (lower === NULL_OPERATOR && !ifExists && !set) return { base: undefined, set, ifExists };
  const base = BASE_OPERATORS.get(lower);
  if (!base) throw malformed(`Invalid condition operator: ${operator}`);
  return { base, set, ifExists };
}

/** A key's value: a string, number or boolean, or a list of them (empty lists are allowed: AWS's examples use []). */
function conditionTexts(value: unknown): string[] {
  const one = (item: unknown): string => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw malformed('Invalid policy syntax.');
  };
  return Array.isArray(value) ? value.map(one) : [one(value)];
}

/** Looks a name up for the principal being evaluated. */
export type NameLookup = (name: string) => ResolvedName | undefined;

/**
 * Whether a clause holds. Names found without a value are added to `missing` (the condition key itself when the
 * operator needed it, and any variable of a condition value that could not be substituted).
 */
export function clauseHolds(clause: ConditionClause, lookup: NameLookup, missing: Set<string>): boolean {
  const resolved = lookup(clause.key);
  const requestValues = resolved?.values ?? [];
  const present = requestValues.length > 0;
  if (!clause.base) {
    // Null: "true" asks that the key be absent, "false" that it be present.
    return clause.values.some((value) => (value.source.toLowerCase() === 'true') === !present);
  }
  if (!present) {
    if (clause.ifExists || clause.set === 'ForAllValues') return true;
    missing.add(clause.key);
    return false;
  }
  const conditionValues = resolveValues(clause.values, lookup, missing);
  const base = clause.base;
  const perValue = (requestValue: string): boolean => {
    let matched = false;
    for (const conditionValue of conditionValues) {
      const result = base.compare(requestValue, conditionValue);
      if (result === undefined) return false;
      if (result) {
        matched = true;
        break;
      }
    }
    return base.negated ? !matched : matched;
  };
  if (clause.set === 'ForAllValues') return requestValues.every(perValue);
  if (clause.set === 'ForAnyValue') return requestValues.some(perValue);
  // A multi-valued key under a plain operator: any value for a positive operator, all for a negated one.
  return base.negated ? requestValues.every(perValue) : requestValues.some(perValue);
}

/** Condition values with their variables substituted; one whose variable has no value drops out. */
function resolveValues(templates: readonly Template[], lookup: NameLookup, missing: Set<string>): ConditionValue[] {
  const values: ConditionValue[] = [];
  for (const template of templates) {
    const result = substitute(template, lookup);
    if (!result.ok) {
      for (const name of result.missing) missing.add(name);
      continue;
    }
    values.push({ text: tokensToText(result.tokens), tokens: result.tokens });
  }
  return values;
}

function tokensToText(tokens: readonly PatternToken[]): string {
  return tokens.map((token) => (typeof token === 'string' ? token : token.description)).join('');
}
