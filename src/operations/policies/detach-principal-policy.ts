import { DetachPrincipalPolicy } from '../../model/policy-attachments.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { detachPolicyFrom } from './policy-attachment.js';

export interface DetachPrincipalPolicyInput {
  readonly policyName: string;
  readonly principal: string;
}

export const detachPrincipalPolicy = defineOperation({
  model: DetachPrincipalPolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To detach a policy from a certificate (deprecated form)',
        description:
          'The same as detach-policy, which is the form to use. The command prints nothing when it succeeds.',
        command: `fleetca iot detach-principal-policy --policy-name sensor-policy --principal ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

async function run(input: DetachPrincipalPolicyInput, ctx: OperationContext) {
  await detachPolicyFrom(ctx, input.policyName, input.principal);
  return {};
}
