/**
 * The IAM condition operators (IAM User Guide, "Condition operators"), which AWS IoT policies use as IAM defines
 * them (reference §1.4, §6.12): each compares one request value with one condition value. Negated operators are
 * written as their positive twin plus `negated`, so "matches none of the values" is decided in one place.
 */

import { type CidrBlock, inBlock, parseCidr, parseIpAddress } from './ip-address.js';
import { compilePattern, type PatternToken, tokensOfGlob } from './resource-pattern.js';

/** How one request value compares with one condition value; undefined when the request value has the wrong type. */
export type Comparison = (requestValue: string, conditionValue: ConditionValue) => boolean | undefined;

/** A condition value after substitution: its text and, for the `Like` operators, its wildcard tokens. */
export interface ConditionValue {
  readonly text: string;
  readonly tokens: readonly PatternToken[];
}

export interface BaseOperator {
  readonly name: string;
  readonly compare: Comparison;
  readonly negated: boolean;
  /** Checks a condition value written without variables at parse time; returns false when it cannot be one. */
  readonly accepts: (text: string) => boolean;
}

const anyText = (): boolean => true;

const numeric = (text: string): number | undefined => {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return undefined;
  return Number(text);
};

/** ISO 8601 (what Date.parse reads) or epoch seconds, as IAM's Date operators take both. */
const date = (text: string): number | undefined => {
  const epoch = numeric(text);
  if (epoch !== undefined) return epoch * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
};

const cidrCache = new Map<string, CidrBlock | undefined>();
const cidr = (text: string): CidrBlock | undefined => {
  if (!cidrCache.has(text)) {
    if (cidrCache.size > 1024) cidrCache.clear();
    cidrCache.set(text, parseCidr(text));
  }
  return cidrCache.get(text);
};

function compareNumbers(test: (a: number, b: number) => boolean): Comparison {
  return (request, condition) => {
    const a = numeric(request);
    const b = numeric(condition.text);
    return a === undefined || b === undefined ? undefined : test(a, b);
  };
}

function compareDates(test: (a: number, b: number) => boolean): Comparison {
  return (request, condition) => {
    const a = date(request);
    const b = date(condition.text);
    return a === undefined || b === undefined ? undefined : test(a, b);
  };
}

/** ARNs compare part by part (six colon-separated parts, the last keeping its colons), each part a glob. */
const arnMatches: Comparison = (request, condition) => {
  const requestParts = splitArn(request);
  const patternParts = splitArn(condition.text);
  if (!requestParts || !patternParts) return false;
  return patternParts.every((part, index) => compilePattern(tokensOfGlob(part))(requestParts[index] as string));
};

function splitArn(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

const stringEquals: Comparison = (request, condition) => request === condition.text;
const stringEqualsIgnoreCase: Comparison = (request, condition) =>
  request.toLowerCase() === condition.text.toLowerCase();
const stringLike: Comparison = (request, condition) => compilePattern(condition.tokens)(request);
const boolEquals: Comparison = (request, condition) => request.toLowerCase() === condition.text.toLowerCase();
const ipInBlock: Comparison = (request, condition) => {
  const address = parseIpAddress(request);
  const block = cidr(condition.text);
  return address && block ? inBlock(address, block) : undefined;
};

const isNumber = (text: string): boolean => numeric(text) !== undefined;
const isDate = (text: string): boolean => date(text) !== undefined;
const isCidr = (text: string): boolean => cidr(text) !== undefined;
const isBool = (text: string): boolean => /^(true|false)$/i.test(text);

const definitions: ReadonlyArray<[string, Comparison, BaseOperator['accepts'], string?]> = [
  ['StringEquals', stringEquals, anyText, 'StringNotEquals'],
  ['StringEqualsIgnoreCase', stringEqualsIgnoreCase, anyText, 'StringNotEqualsIgnoreCase'],
  ['StringLike', stringLike, anyText, 'StringNotLike'],
  ['NumericEquals', compareNumbers((a, b) => a === b), isNumber, 'NumericNotEquals'],
  ['NumericLessThan', compareNumbers((a, b) => a < b), isNumber],
  ['NumericLessThanEquals', compareNumbers((a, b) => a <= b), isNumber],
  ['NumericGreaterThan', compareNumbers((a, b) => a > b), isNumber],
  ['NumericGreaterThanEquals', compareNumbers((a, b) => a >= b), isNumber],
  ['DateEquals', compareDates((a, b) => a === b), isDate, 'DateNotEquals'],
  ['DateLessThan', compareDates((a, b) => a < b), isDate],
  ['DateLessThanEquals', compareDates((a, b) => a <= b), isDate],
  ['DateGreaterThan', compareDates((a, b) => a > b), isDate],
  ['DateGreaterThanEquals', compareDates((a, b) => a >= b), isDate],
  ['Bool', boolEquals, isBool],
  ['BinaryEquals', stringEquals, anyText],
  ['IpAddress', ipInBlock, isCidr, 'NotIpAddress'],
  ['ArnEquals', arnMatches, anyText, 'ArnNotEquals'],
  ['ArnLike', arnMatches, anyText, 'ArnNotLike'],
];

/** Every base operator by its lower-cased name (IAM matches operator names ignoring case). */
export const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map(
  definitions.flatMap(([name, compare, accepts, negation]) => {
    const entries: Array<[string, BaseOperator]> = [[name.toLowerCase(), { name, compare, negated: false, accepts }]];
    if (negation) entries.push([negation.toLowerCase(), { name: negation, compare, negated: true, accepts }]);
    return entries;
  }),
);

/** `Null`: not a comparison but a test of presence; it has no `IfExists` form. */
export const NULL_OPERATOR = 'null';
export const isBoolText = isBool;
