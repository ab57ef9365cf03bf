import { serviceErrors } from '../../errors.js';
import { ListPolicyVersions } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface ListPolicyVersionsInput {
  readonly policyName: string;
}

export const listPolicyVersions = defineOperation({
  model: ListPolicyVersions,
  run,
  cli: {
    examples: [
      {
        title: 'To list the versions of a policy',
        description: 'Lists every version of the policy, newest first, and which one is the default.',
        command: 'fleetca iot list-policy-versions --policy-name sensor-policy',
      },
    ],
  },
});

/** Every version (at most five), newest first; not paged, as in the model. */
async function run(input: ListPolicyVersionsInput, ctx: OperationContext) {
  const versions = await ctx.registry.policies.listPolicyVersions(ctx.scope, input.policyName);
  if (!versions) throw serviceErrors.notFound();
  return {
    policyVersions: versions.map((version) => ({
      versionId: version.versionId,
      isDefaultVersion: version.isDefaultVersion,
      createDate: version.creationDate,
    })),
  };
}
