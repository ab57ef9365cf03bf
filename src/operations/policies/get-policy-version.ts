import { policyArn } from '../../domain/policies/policy-record.js';
import { serviceErrors } from '../../errors.js';
import { GetPolicyVersion } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface GetPolicyVersionInput {
  readonly policyName: string;
  readonly policyVersionId: string;
}

export const getPolicyVersion = defineOperation({
  model: GetPolicyVersion,
  run,
  cli: {
    examples: [
      {
        title: 'To see one version of a policy',
        description: 'Prints the document of version 1 of the policy, and whether it is the default version.',
        command: 'fleetca iot get-policy-version --policy-name sensor-policy --policy-version-id 1',
      },
    ],
  },
});

/**
 * The version, with the policy's generation id and last modification (when its default last changed: the AWS CLI's
 * example shows a version modified when another became the default).
 */
async function run(input: GetPolicyVersionInput, ctx: OperationContext) {
  const [version, policy] = await Promise.all([
    ctx.registry.policies.getPolicyVersion(ctx.scope, input.policyName, input.policyVersionId),
    ctx.registry.policies.getPolicy(ctx.scope, input.policyName),
  ]);
  if (!version || !policy) throw serviceErrors.notFound();
  return {
    policyArn: policyArn(ctx.scope, input.policyName),
    policyName: input.policyName,
    policyDocument: version.document,
    policyVersionId: version.versionId,
    isDefaultVersion: version.isDefaultVersion,
    creationDate: version.creationDate,
    lastModifiedDate: Math.max(version.creationDate, policy.policy.lastModifiedDate),
    generationId: policy.policy.generationId,
  };
}
