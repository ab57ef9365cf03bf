import { policyArn } from '../../domain/policies/policy-record.js';
import { serviceErrors } from '../../errors.js';
import { ListAttachedPolicies } from '../../model/policy-attachments.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { encodePolicyMarker, namePageQuery } from './policy-markers.js';
import { certificateIdOfTarget } from './policy-target.js';

export interface ListAttachedPoliciesInput {
  readonly target: string;
  readonly recursive?: boolean;
  readonly marker?: string;
  readonly pageSize?: number;
}

export const listAttachedPolicies = defineOperation({
  model: ListAttachedPolicies,
  run,
  cli: {
    examples: [
      {
        title: 'To list the policies of a certificate',
        description: 'Lists the policies attached to the certificate, by name.',
        command: `fleetca iot list-attached-policies --target ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

/** By name, ascending. `recursive` asks for thing-group parents' policies too: a certificate has no parent. */
async function run(input: ListAttachedPoliciesInput, ctx: OperationContext) {
  const certificateId = certificateIdOfTarget(input.target, ctx.scope);
  const page = await ctx.registry.policies.listAttachedPolicies(
    ctx.scope,
    certificateId,
    namePageQuery('attached', input),
  );
  if (!page) throw serviceErrors.notFound();
  return {
    policies: page.names.map((policyName) => ({ policyName, policyArn: policyArn(ctx.scope, policyName) })),
    nextMarker: page.next && encodePolicyMarker('attached', page.next),
  };
}
