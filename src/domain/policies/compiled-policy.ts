/**
 * A policy version parsed once into what evaluation needs: per statement, which of the MQTT data-plane actions it
 * covers (a bit mask), its resource templates, its conditions. Parsing happens when the policy is created or
 * loaded; an Authorizer binds the templates to one principal's facts.
 */

import { partitionOf, type Scope } from '../scope.js';
import type { DataAction } from './authorization-request.js';
import type { ConditionClause } from './conditions.js';
import { type Effect, type PolicyDocument, type PolicyStatement, parsePolicyDocument } from './policy-document.js';
import { parseTemplate, type Template } from './policy-variables.js';
import { compileGlob } from './resource-pattern.js';

/** The data-plane actions, each with its bit. */
export const DATA_ACTIONS: readonly DataAction[] = [
  'iot:Connect',
  'iot:Publish',
  'iot:RetainPublish',
  'iot:Subscribe',
  'iot:Receive',
];
export const ACTION_BITS: ReadonlyMap<string, number> = new Map(
  DATA_ACTIONS.map((action, index) => [action, 1 << index]),
);
const ALL_ACTIONS = (1 << DATA_ACTIONS.length) - 1;

/** Keys whose value changes with time: statements using them are evaluated per request and never cached. */
const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime']);

export interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** Which DATA_ACTIONS the statement covers, NotAction already applied. */
  readonly actionMask: number;
  readonly resources: readonly Template[];
  readonly notResource: boolean;
  readonly conditions: readonly ConditionClause[];
  readonly timeDependent: boolean;
}

export interface CompiledPolicy {
  readonly policyName: string;
  readonly versionId: string;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
  /** Every variable and condition key the policy reads, in order of first use. */
  readonly names: readonly string[];
}

/** Parses a policy version once. Throws MalformedPolicyException (see parsePolicyDocument). */
export function compilePolicy(policyName: string, versionId: string, document: string): CompiledPolicy {
  const parsed = parsePolicyDocument(document);
  const names: string[] = [];
  const use = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  const statements = parsed.statements.map((statement) => {
    const compiled = compileStatement(statement);
    for (const template of compiled.resources) template.variables.forEach(use);
    for (const clause of compiled.conditions) {
      use(clause.key);
      for (const value of clause.values) value.variables.forEach(use);
    }
    return compiled;
  });
  return { policyName, versionId, document: parsed, statements, names };
}

function compileStatement(statement: PolicyStatement): CompiledStatement {
  let mask = 0;
  for (const action of statement.actions) {
    const matches = compileGlob(action, true);
    DATA_ACTIONS.forEach((dataAction, index) => {
      if (action === '*' || matches(dataAction)) mask |= 1 << index;
    });
  }
  const conditions = statement.conditions;
  const timeDependent = conditions.some(
    (clause) =>
      TIME_KEYS.has(clause.key.toLowerCase()) ||
      clause.values.some((value) => value.variables.some((name) => TIME_KEYS.has(name.toLowerCase()))),
  );
  return {
    index: statement.index,
    ...(statement.sid === undefined ? {} : { sid: statement.sid }),
    effect: statement.effect,
    actionMask: statement.notAction ? ALL_ACTIONS & ~mask : mask,
    resources: statement.resources.map(parseTemplate),
    notResource: statement.notResource,
    conditions,
    timeDependent,
  };
}

/** The resource ARN a data-plane check names (reference §1.3): `arn:aws:iot:REGION:ACCOUNT:topic/a/b`. */
export function resourceArn(scope: Scope, type: 'client' | 'topic' | 'topicfilter', name: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:${type}/${name}`;
}
