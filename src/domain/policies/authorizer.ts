/**
 * Decides MQTT data-plane requests for one principal against the policies attached to it, the way AWS IoT
 * evaluates them (IAM's logic, reference §1.4): a matching Deny anywhere wins, otherwise a matching Allow grants,
 * otherwise the request is implicitly denied. The principal's facts are fixed for an Authorizer, so variables are
 * substituted and conditions decided once, at construction; a request then only tests the action bit and the
 * resource matchers. `allows` keeps a bounded cache of answers per (action, resource).
 */

import type { AuthorizationRequest, PrincipalFacts } from './authorization-request.js';
import { ACTION_BITS, type CompiledPolicy, type CompiledStatement } from './compiled-policy.js';
import { clauseHolds, type NameLookup } from './conditions.js';
import type { Effect } from './policy-document.js';
import { resolveName, substitute } from './policy-variables.js';
import { compilePattern, type Matcher } from './resource-pattern.js';

export type AuthorizationDecision = 'ALLOWED' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

export interface DecidingStatement {
  readonly policyName: string;
  readonly versionId: string;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: Effect;
}

export interface AuthorizationResult {
  readonly decision: AuthorizationDecision;
  /** Policies with a matching Allow. */
  readonly allowedBy: string[];
  /** Policies with a matching Deny. */
  readonly explicitDenyBy: string[];
  /** Policies with no matching statement. */
  readonly implicitDenyBy: string[];
  /** Variables and condition keys that had no value in a statement covering the action. */
  readonly missingContextValues: string[];
  /** The statements that decided: the matching Denies, or else the matching Allows. */
  readonly deciding: DecidingStatement[];
}

export interface AuthorizerOptions {
  /** Epoch milliseconds, for `aws:CurrentTime` / `aws:EpochTime`. */
  readonly now?: () => number;
  /** How many (action, resource) answers `allows` keeps. */
  readonly cacheSize?: number;
}

/** One statement bound to the principal's facts. */
interface BoundStatement {
  readonly policy: CompiledPolicy;
  readonly policyIndex: number;
  readonly statement: CompiledStatement;
  /** Decided once; undefined for statements that read the time. */
  readonly conditionsHold: boolean | undefined;
  /** The resources that resolved; for NotResource, undefined when one did not (the statement then never applies). */
  readonly matchers: readonly Matcher[] | undefined;
  readonly missing: readonly string[];
}

const DEFAULT_CACHE_SIZE = 4096;

export class Authorizer {
  readonly #policies: readonly CompiledPolicy[];
  readonly #facts: PrincipalFacts;
  readonly #now: () => number;
  /** Bound statements per data-plane action, in policy then statement order. */
  readonly #byAction = new Map<string, BoundStatement[]>();
  readonly #cache = new Map<string, boolean>();
  readonly #cacheSize: number;
  readonly #cacheable: boolean;

  constructor(policies: readonly CompiledPolicy[], facts: PrincipalFacts, options: AuthorizerOptions = {}) {
    this.#policies = policies;
    this.#facts = facts;
    this.#now = options.now ?? Date.now;
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    for (const action of ACTION_BITS.keys()) this.#byAction.set(action, []);
    let cacheable = true;
    const lookup = this.#lookup(this.#now());
    policies.forEach((policy, policyIndex) => {
      for (const statement of policy.statements) {
        if (statement.timeDependent) cacheable = false;
        const bound = bind(policy, policyIndex, statement, lookup);
        for (const [action, bit] of ACTION_BITS) {
          if (statement.actionMask & bit) this.#byAction.get(action)?.push(bound);
        }
      }
    });
    this.#cacheable = cacheable;
  }

  /** The full answer, as TestAuthorization reports it. */
  decide(request: AuthorizationRequest): AuthorizationResult {
    const allowed = new Set<number>();
    const denied = new Set<number>();
    const missing = new Set<string>();
    const allows: BoundStatement[] = [];
    const denies: BoundStatement[] = [];
    for (const bound of this.#statementsFor(request)) {
      for (const name of bound.missing) missing.add(name);
      if (!this.#applies(bound, request.resource, missing)) continue;
      if (bound.statement.effect === 'Deny') {
        denied.add(bound.policyIndex);
        denies.push(bound);
      } else {
        allowed.add(bound.policyIndex);
        allows.push(bound);
      }
    }
    const names = (indexes: Set<number>): string[] =>
      this.#policies.filter((_, index) => indexes.has(index)).map((policy) => policy.policyName);
    const decision: AuthorizationDecision =
      denies.length > 0 ? 'EXPLICIT_DENY' : allows.length > 0 ? 'ALLOWED' : 'IMPLICIT_DENY';
    return {
      decision,
      allowedBy: names(allowed),
      explicitDenyBy: names(denied),
      implicitDenyBy: this.#policies
        .filter((_, index) => !allowed.has(index) && !denied.has(index))
        .map((policy) => policy.policyName),
      missingContextValues: [...missing],
      deciding: (decision === 'EXPLICIT_DENY' ? denies : decision === 'ALLOWED' ? allows : []).map(describe),
    };
  }

  /** Just the verdict; answers are cached per (action, resource) unless a policy reads the time. */
  allows(request: AuthorizationRequest): boolean {
    const key = `${request.action}\n${request.resource}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let allowed = false;
    for (const bound of this.#statementsFor(request)) {
      if (!this.#applies(bound, request.resource, undefined)) continue;
      if (bound.statement.effect === 'Deny') {
        allowed = false;
        break;
      }
      allowed = true;
    }
    if (this.#cacheable) {
      if (this.#cache.size >= this.#cacheSize) {
        const oldest = this.#cache.keys().next();
        if (!oldest.done) this.#cache.delete(oldest.value);
      }
      this.#cache.set(key, allowed);
    }
    return allowed;
  }

  /** Every variable and condition key the policies read, with the value it took for this principal. */
  variables(): ReadonlyArray<{ name: string; value: string | readonly string[] | undefined }> {
    const seen = new Set<string>();
    const lookup = this.#lookup(this.#now());
    const result: Array<{ name: string; value: string | readonly string[] | undefined }> = [];
    for (const policy of this.#policies) {
      for (const name of policy.names) {
        if (seen.has(name)) continue;
        seen.add(name);
        const resolved = lookup(name);
        result.push({ name, value: resolved ? (resolved.multi ? resolved.values : resolved.values[0]) : undefined });
      }
    }
    return result;
  }

  #statementsFor(request: AuthorizationRequest): readonly BoundStatement[] {
    return this.#byAction.get(request.action) ?? [];
  }

  #applies(bound: BoundStatement, resource: string, missing: Set<string> | undefined): boolean {
    let holds = bound.conditionsHold;
    if (holds === undefined) {
      const sink = missing ?? new Set<string>();
      const lookup = this.#lookup(this.#now());
      holds = bound.statement.conditions.every((clause) => clauseHolds(clause, lookup, sink));
    }
    if (!holds || !bound.matchers) return false;
    const matched = bound.matchers.some((matches) => matches(resource));
    return bound.statement.notResource ? !matched : matched;
  }

  #lookup(now: number): NameLookup {
    return (name) => resolveName(name, this.#facts, now);
  }
}

function bind(
  policy: CompiledPolicy,
  policyIndex: number,
  statement: CompiledStatement,
  lookup: NameLookup,
): BoundStatement {
  const missing = new Set<string>();
  const matchers: Matcher[] = [];
  let unresolved = false;
  for (const template of statement.resources) {
    const result = substitute(template, lookup);
    if (result.ok) matchers.push(compilePattern(result.tokens));
    else {
      unresolved = true;
      for (const name of result.missing) missing.add(name);
    }
  }
  let conditionsHold: boolean | undefined;
  if (!statement.timeDependent) {
    // Every clause is evaluated (no short cut) so that each missing key is reported.
    conditionsHold = statement.conditions.map((clause) => clauseHolds(clause, lookup, missing)).every(Boolean);
  }
  return {
    policy,
    policyIndex,
    statement,
    conditionsHold,
    // An unresolved entry drops out of Resource (it matches nothing); under NotResource the statement never applies.
    matchers: statement.notResource && unresolved ? undefined : matchers,
    missing: [...missing],
  };
}

function describe(bound: BoundStatement): DecidingStatement {
  const { statement, policy } = bound;
  return {
    policyName: policy.policyName,
    versionId: policy.versionId,
    statementIndex: statement.index,
    ...(statement.sid === undefined ? {} : { sid: statement.sid }),
    effect: statement.effect,
  };
}
