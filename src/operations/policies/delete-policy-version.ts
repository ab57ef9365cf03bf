import { versionDeletionRule } from '../../domain/policies/policy-lifecycle.js';
import { DeletePolicyVersion } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DeletePolicyVersionInput {
  readonly policyName: string;
  readonly policyVersionId: string;
}

export const deletePolicyVersion = defineOperation({
  model: DeletePolicyVersion,
  run,
  cli: {
    examples: [
      {
        title: 'To delete a version of a policy',
        description:
          'Deletes version 1 of the policy. The default version cannot be deleted this way. The command prints nothing when it succeeds.',
        command: 'fleetca iot delete-policy-version --policy-name sensor-policy --policy-version-id 1',
      },
    ],
  },
});

/** The rule refuses the default version (DeleteConflictException) and a version that is not there. */
async function run(input: DeletePolicyVersionInput, ctx: OperationContext) {
  await ctx.registry.policies.deletePolicyVersion(
    ctx.scope,
    input.policyName,
    input.policyVersionId,
    versionDeletionRule(input.policyVersionId),
  );
  return {};
}
