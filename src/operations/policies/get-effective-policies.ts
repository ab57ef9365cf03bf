import { policyArn } from '../../domain/policies/policy-record.js';
import { serviceErrors } from '../../errors.js';
import { GetEffectivePolicies } from '../../model/policy-authorization.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { certificateIdOfTarget } from './policy-target.js';

export interface GetEffectivePoliciesInput {
  readonly principal?: string;
  readonly cognitoIdentityPoolId?: string;
  readonly thingName?: string;
}

export const getEffectivePolicies = defineOperation({
  model: GetEffectivePolicies,
  run,
  cli: {
    examples: [
      {
        title: 'To see the policies that decide for a device',
        description: 'Prints the default document of every policy attached to the certificate.',
        command: `fleetca iot get-effective-policies --principal ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

/**
 * The policies attached to the principal's certificate, with their default documents, by name. A thing adds the
 * policies of its thing groups at AWS; fleetca has no thing groups, so a thing adds none, but it must exist.
 */
async function run(input: GetEffectivePoliciesInput, ctx: OperationContext) {
  if (input.cognitoIdentityPoolId !== undefined) {
    throw serviceErrors.invalidRequest('Cognito identity pools are not supported: name a certificate as principal');
  }
  if (input.thingName !== undefined && !(await ctx.registry.things.getThing(ctx.scope, input.thingName))) {
    throw serviceErrors.notFound();
  }
  if (input.principal === undefined) return { effectivePolicies: [] };
  const certificateId = certificateIdOfTarget(input.principal, ctx.scope);
  const [certificate, policies] = await Promise.all([
    ctx.registry.certificates.getCertificate(ctx.scope, certificateId),
    ctx.registry.policies.effectivePolicies(ctx.scope, certificateId),
  ]);
  if (!certificate) throw serviceErrors.notFound();
  return {
    effectivePolicies: policies.map((policy) => ({
      policyName: policy.policyName,
      policyArn: policyArn(ctx.scope, policy.policyName),
      policyDocument: policy.document,
    })),
  };
}
