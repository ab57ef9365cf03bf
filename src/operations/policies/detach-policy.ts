import { DetachPolicy } from '../../model/policy-attachments.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { detachPolicyFrom } from './policy-attachment.js';

export interface DetachPolicyInput {
  readonly policyName: string;
  readonly target: string;
}

export const detachPolicy = defineOperation({
  model: DetachPolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To detach a policy from a certificate',
        description: 'The command prints nothing when it succeeds, also when the policy was not attached.',
        command: `fleetca iot detach-policy --policy-name sensor-policy --target ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

async function run(input: DetachPolicyInput, ctx: OperationContext) {
  await detachPolicyFrom(ctx, input.policyName, input.target);
  return {};
}
