import { policyArn } from '../../domain/policies/policy-record.js';
import { serviceErrors } from '../../errors.js';
import { ListPrincipalPolicies } from '../../model/policy-attachments.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { pageOfNames, readAllNames } from './policy-attachment.js';
import { encodePolicyMarker, namePageQuery } from './policy-markers.js';
import { certificateIdOfTarget } from './policy-target.js';

export interface ListPrincipalPoliciesInput {
  readonly principal: string;
  readonly marker?: string;
  readonly pageSize?: number;
  readonly ascendingOrder?: boolean;
}

export const listPrincipalPolicies = defineOperation({
  model: ListPrincipalPolicies,
  run,
  cli: {
    examples: [
      {
        title: 'To list the policies of a certificate (deprecated form)',
        description: 'The same as list-attached-policies, which is the form to use.',
        command: `fleetca iot list-principal-policies --principal ${EXAMPLE_CERTIFICATE_ARN}`,
      },
    ],
  },
});

/**
 * By name, descending unless ascendingOrder (as ListPolicies). A certificate holds at most ten policies, so they
 * are read at once and paged here; the marker is the same as ListAttachedPolicies'.
 */
async function run(input: ListPrincipalPoliciesInput, ctx: OperationContext) {
  const certificateId = certificateIdOfTarget(input.principal, ctx.scope);
  const query = namePageQuery('attached', input);
  const names = await readAllNames((after) =>
    ctx.registry.policies.listAttachedPolicies(ctx.scope, certificateId, { limit: 250, after }),
  );
  if (!names) throw serviceErrors.notFound();
  const page = pageOfNames(names, { ...query, ascending: input.ascendingOrder === true });
  return {
    policies: page.names.map((policyName) => ({ policyName, policyArn: policyArn(ctx.scope, policyName) })),
    nextMarker: page.next && encodePolicyMarker('attached', page.next),
  };
}
