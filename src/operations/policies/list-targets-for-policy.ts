import { certificateArn } from '../../domain/certificates/certificate-record.js';
import { serviceErrors } from '../../errors.js';
import { ListTargetsForPolicy } from '../../model/policy-attachments.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { encodePolicyMarker, namePageQuery } from './policy-markers.js';

export interface ListTargetsForPolicyInput {
  readonly policyName: string;
  readonly marker?: string;
  readonly pageSize?: number;
}

export const listTargetsForPolicy = defineOperation({
  model: ListTargetsForPolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To list the certificates a policy is attached to',
        description: 'Prints the ARNs of the certificates, by certificate ID.',
        command: 'fleetca iot list-targets-for-policy --policy-name sensor-policy',
      },
    ],
  },
});

async function run(input: ListTargetsForPolicyInput, ctx: OperationContext) {
  const page = await ctx.registry.policies.listPolicyTargets(
    ctx.scope,
    input.policyName,
    namePageQuery('targets', input),
  );
  if (!page) throw serviceErrors.notFound();
  return {
    targets: page.names.map((certificateId) => certificateArn(ctx.scope, certificateId)),
    nextMarker: page.next && encodePolicyMarker('targets', page.next),
  };
}
