import { AttachPolicy } from '../../model/policy-attachments.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { attachPolicyTo } from './policy-attachment.js';

export interface AttachPolicyInput {
  readonly policyName: string;
  readonly target: string;
}

export const attachPolicy = defineOperation({
  model: AttachPolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To attach a policy to a certificate',
        description:
          'A device connecting with the certificate may then do what the policy allows. Attaching it again changes nothing. The command prints nothing when it succeeds.',
        command: `fleetca iot attach-policy --policy-name sensor-policy --target ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

async function run(input: AttachPolicyInput, ctx: OperationContext) {
  await attachPolicyTo(ctx, input.policyName, input.target);
  return {};
}
