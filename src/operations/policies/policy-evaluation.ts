import type { PrincipalFacts } from '../../domain/policies/authorization-request.js';
import { Authorizer } from '../../domain/policies/authorizer.js';
import { compilePolicy } from '../../domain/policies/compiled-policy.js';
import type { EffectivePolicy } from '../../domain/policies/policy-record.js';
import { serviceErrors } from '../../errors.js';
import type { OperationContext } from '../context.js';
import { principalFacts } from './principal-facts.js';

/** Who is asked about, and which policies to count as attached besides (or not) the certificate's own. */
export interface EvaluationSubject {
  readonly certificateId: string;
  readonly clientId?: string;
  readonly sourceIp?: string;
  readonly policyNamesToAdd?: readonly string[];
  readonly policyNamesToSkip?: readonly string[];
}

export interface Evaluation {
  readonly authorizer: Authorizer;
  readonly facts: PrincipalFacts;
  readonly policies: readonly EffectivePolicy[];
}

/**
 * The authorizer of a certificate as the device gateway would build it (TestAuthorization, explain-authorization):
 * the default documents of its attached policies, plus the policies named to add (each must exist: otherwise
 * ResourceNotFoundException), less those named to skip, over the facts of its connection (principal-facts.ts).
 */
export async function evaluationFor(ctx: OperationContext, subject: EvaluationSubject): Promise<Evaluation> {
  const { scope, registry } = ctx;
  const certificate = await registry.certificates.getCertificate(scope, subject.certificateId);
  if (!certificate) throw serviceErrors.notFound();
  const [attached, added, facts] = await Promise.all([
    registry.policies.effectivePolicies(scope, subject.certificateId),
    Promise.all((subject.policyNamesToAdd ?? []).map((name) => namedPolicy(ctx, name))),
    principalFacts(registry, {
      scope,
      certificateId: subject.certificateId,
      ...(subject.clientId !== undefined && { clientId: subject.clientId }),
      ...(subject.sourceIp !== undefined && { sourceIp: subject.sourceIp }),
    }),
  ]);
  const skipped = new Set(subject.policyNamesToSkip ?? []);
  const byName = new Map<string, EffectivePolicy>();
  for (const policy of [...attached, ...added])
    if (!skipped.has(policy.policyName)) byName.set(policy.policyName, policy);
  const policies = [...byName.values()].sort((a, b) => (a.policyName < b.policyName ? -1 : 1));
  const compiled = policies.map((policy) => compilePolicy(policy.policyName, policy.versionId, policy.document));
  return { authorizer: new Authorizer(compiled, facts), facts, policies };
}

async function namedPolicy(ctx: OperationContext, policyName: string): Promise<EffectivePolicy> {
  const found = await ctx.registry.policies.getPolicy(ctx.scope, policyName);
  if (!found) throw serviceErrors.notFound();
  return { policyName, versionId: found.policy.defaultVersionId, document: found.document };
}
