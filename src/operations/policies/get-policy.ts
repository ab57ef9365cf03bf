import { policyArn } from '../../domain/policies/policy-record.js';
import { serviceErrors } from '../../errors.js';
import { GetPolicy } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface GetPolicyInput {
  readonly policyName: string;
}

export const getPolicy = defineOperation({
  model: GetPolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To see a policy and its default document',
        description: 'Prints the policy with the document of its default version, and which version that is.',
        command: 'fleetca iot get-policy --policy-name sensor-policy',
      },
    ],
  },
});

async function run(input: GetPolicyInput, ctx: OperationContext) {
  const found = await ctx.registry.policies.getPolicy(ctx.scope, input.policyName);
  if (!found) throw serviceErrors.notFound();
  const { policy, document } = found;
  return {
    policyName: policy.policyName,
    policyArn: policyArn(ctx.scope, policy.policyName),
    policyDocument: document,
    defaultVersionId: policy.defaultVersionId,
    creationDate: policy.creationDate,
    lastModifiedDate: policy.lastModifiedDate,
    generationId: policy.generationId,
  };
}
