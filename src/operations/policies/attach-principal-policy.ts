import { AttachPrincipalPolicy } from '../../model/policy-attachments.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { attachPolicyTo } from './policy-attachment.js';

export interface AttachPrincipalPolicyInput {
  readonly policyName: string;
  readonly principal: string;
}

export const attachPrincipalPolicy = defineOperation({
  model: AttachPrincipalPolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To attach a policy to a certificate (deprecated form)',
        description:
          'The same as attach-policy, which is the form to use. The command prints nothing when it succeeds.',
        command: `fleetca iot attach-principal-policy --policy-name sensor-policy --principal ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

async function run(input: AttachPrincipalPolicyInput, ctx: OperationContext) {
  await attachPolicyTo(ctx, input.policyName, input.principal);
  return {};
}
