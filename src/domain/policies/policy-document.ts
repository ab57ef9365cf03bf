/**
 * An AWS IoT policy document, validated and normalised once when the policy (or a version) is created. The
 * grammar is IAM's, narrowed the way AWS IoT narrows it: Version "2012-10-17", statements of Effect, Action or
 * NotAction, Resource or NotResource, optional Sid and Condition, no Principal. docs/policies.md gives the source of
 * each rule and message, and says which messages are fleetca's own wording.
 */

import { serviceErrors } from '../../errors.js';
import { type ConditionClause, parseConditionBlock } from './conditions.js';
import { ACCEPTED_SERVICE_PREFIXES, KNOWN_IOT_ACTIONS } from './policy-actions.js';
import { compileGlob } from './resource-pattern.js';

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  /** Position in the document's statement list, from 0. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** Action patterns as written (`iot:Publish`, `iot:*`, `*`). */
  readonly actions: readonly string[];
  /** True when they came from NotAction. */
  readonly notAction: boolean;
  /** Resource patterns as written, variables and all. */
  readonly resources: readonly string[];
  /** True when they came from NotResource. */
  readonly notResource: boolean;
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly version: string;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

/** CreatePolicy's documented limit: 2048 characters, whitespace not counted (reference §1.1, §6.1). */
export const POLICY_DOCUMENT_SIZE_LIMIT = 2048;
/** The only version AWS IoT takes. */
export const POLICY_LANGUAGE_VERSION = '2012-10-17';

const malformed = (detail: string) => serviceErrors.malformedPolicy(`Policy document is Malformed: ${detail}`);
const SYNTAX = 'Invalid policy syntax.';

/** A document's size as AWS limits it: characters (code points) that are not whitespace. */
export function policyDocumentSize(text: string): number {
  let size = 0;
  for (const char of text) if (!/\s/.test(char)) size++;
  return size;
}

const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/** Validates and normalises a policy document. Throws MalformedPolicyException. */
export function parsePolicyDocument(text: string): PolicyDocument {
  if (text.trim() === '') throw malformed(SYNTAX);
  if (policyDocumentSize(text) > POLICY_DOCUMENT_SIZE_LIMIT) {
    throw serviceErrors.malformedPolicy(
      `Size of a policy document cannot exceeds hard limit of ${POLICY_DOCUMENT_SIZE_LIMIT}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed(SYNTAX);
  }
  if (!isObject(raw)) throw malformed(SYNTAX);
  for (const key of Object.keys(raw)) if (!DOCUMENT_KEYS.has(key)) throw malformed(SYNTAX);
  if (raw.Version !== POLICY_LANGUAGE_VERSION) {
    throw malformed(`Unknown policy document version. It must be version ${POLICY_LANGUAGE_VERSION}`);
  }
  if (raw.Id !== undefined && typeof raw.Id !== 'string') throw malformed(SYNTAX);
  const list = Array.isArray(raw.Statement) ? raw.Statement : raw.Statement === undefined ? [] : [raw.Statement];
  if (list.length === 0) throw malformed('Policy has no statements');
  const statements = list.map(parseStatement);
  return { version: POLICY_LANGUAGE_VERSION, ...(raw.Id === undefined ? {} : { id: raw.Id }), statements };
}

function parseStatement(raw: unknown, index: number): PolicyStatement {
  if (!isObject(raw)) throw malformed(SYNTAX);
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) throw malformed(SYNTAX);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') throw malformed(SYNTAX);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') {
    if (typeof raw.Effect === 'string') throw malformed(`Invalid effect: ${raw.Effect}`);
    throw malformed(SYNTAX);
  }
  const actions = exactlyOne(raw, 'Action', 'NotAction');
  const resources = exactlyOne(raw, 'Resource', 'NotResource');
  const invalidActions = actions.values.filter((action) => !isValidAction(action));
  if (invalidActions.length > 0) {
    throw malformed(`The following actions are invalid : ${invalidActions.join(', ')}`);
  }
  const invalidResources = resources.values.filter((resource) => !isValidResource(resource));
  if (invalidResources.length > 0) {
    throw malformed(`The following resources are invalid : ${invalidResources.join(', ')}`);
  }
  return {
    index,
    ...(raw.Sid === undefined ? {} : { sid: raw.Sid }),
    effect: raw.Effect,
    actions: actions.values,
    notAction: actions.negated,
    resources: resources.values,
    notResource: resources.negated,
    conditions: raw.Condition === undefined ? [] : parseConditionBlock(raw.Condition),
  };
}

/** Exactly one of `positive` / `negative`, a string or a non-empty list of strings. */
function exactlyOne(
  raw: Record<string, unknown>,
  positive: string,
  negative: string,
): { values: string[]; negated: boolean } {
  const hasPositive = raw[positive] !== undefined;
  const hasNegative = raw[negative] !== undefined;
  if (hasPositive === hasNegative) throw malformed(SYNTAX);
  const value = hasPositive ? raw[positive] : raw[negative];
  const values = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(values) || values.length === 0 || !values.every((item) => typeof item === 'string')) {
    throw malformed(SYNTAX);
  }
  return { values: values as string[], negated: hasNegative };
}

const knownActionCache = new Map<string, boolean>();

/** `*`, a known `iot:` action or a pattern matching one, or a `greengrass:` action. */
export function isValidAction(action: string): boolean {
  if (action === '*') return true;
  const colon = action.indexOf(':');
  if (colon <= 0) return false;
  const prefix = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  if (!(ACCEPTED_SERVICE_PREFIXES as readonly string[]).includes(prefix) || !/^[A-Za-z0-9*?]+$/.test(name)) {
    return false;
  }
  if (prefix !== 'iot') return true;
  const key = action.toLowerCase();
  let known = knownActionCache.get(key);
  if (known === undefined) {
    const matches = compileGlob(key, true);
    known = KNOWN_IOT_ACTIONS.some(matches);
    if (knownActionCache.size < 4096) knownActionCache.set(key, known);
  }
  return known;
}

/** `*`, or an ARN: `arn:` and at least the partition, service, region and account parts before the resource. */
function isValidResource(resource: string): boolean {
  return resource === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:./s.test(resource);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
