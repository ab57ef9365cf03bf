/** Policies and principals the policy tests share: AWS's example account and region, documents built from statements. */

import type { PrincipalFacts } from '../../../src/domain/policies/authorization-request.js';

export const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
export const ARN = 'arn:aws:iot:us-east-1:123456789012:';

export type Statement = Record<string, unknown>;

/** A policy document of these statements, as AWS's examples write them. */
export function doc(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function allow(action: string | string[], resource: string | string[], condition?: object): Statement {
  return { Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) };
}

export function deny(action: string | string[], resource: string | string[], condition?: object): Statement {
  return { Effect: 'Deny', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) };
}

/** A principal: client id `client1` unless said otherwise, no thing, no certificate variables. */
export function principal(overrides: Partial<PrincipalFacts> = {}): PrincipalFacts {
  return { scope: SCOPE, clientId: 'client1', ...overrides };
}

/** Certificate variables as the CA's extractor returns them. */
export function certificate(entries: Record<string, string[]>): ReadonlyMap<string, readonly string[]> {
  return new Map(Object.entries(entries));
}
