import { setDefaultRule } from '../../domain/policies/policy-lifecycle.js';
import { SetDefaultPolicyVersion } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface SetDefaultPolicyVersionInput {
  readonly policyName: string;
  readonly policyVersionId: string;
}

export const setDefaultPolicyVersion = defineOperation({
  model: SetDefaultPolicyVersion,
  run,
  cli: {
    examples: [
      {
        title: 'To go back to an earlier version of a policy',
        description:
          'Makes version 1 the default version again: it takes effect for every certificate the policy is attached to. The command prints nothing when it succeeds.',
        command: 'fleetca iot set-default-policy-version --policy-name sensor-policy --policy-version-id 1',
      },
    ],
  },
});

async function run(input: SetDefaultPolicyVersionInput, ctx: OperationContext) {
  await ctx.registry.policies.setDefaultPolicyVersion(
    ctx.scope,
    input.policyName,
    input.policyVersionId,
    ctx.now().getTime(),
    setDefaultRule(input.policyVersionId),
  );
  return {};
}
