import { policyDeletionRule } from '../../domain/policies/policy-lifecycle.js';
import { DeletePolicy } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DeletePolicyInput {
  readonly policyName: string;
}

export const deletePolicy = defineOperation({
  model: DeletePolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To delete a policy',
        description:
          'Deletes the policy and its default version. It must be detached from every certificate, and its other versions deleted, first. The command prints nothing when it succeeds.',
        command: 'fleetca iot delete-policy --policy-name sensor-policy',
      },
    ],
  },
});

/** The rule refuses a policy still attached or holding versions other than its default. */
async function run(input: DeletePolicyInput, ctx: OperationContext) {
  await ctx.registry.policies.deletePolicy(ctx.scope, input.policyName, policyDeletionRule(input.policyName));
  return {};
}
