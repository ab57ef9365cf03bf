import { certificateArn } from '../../domain/certificates/certificate-record.js';
import { serviceErrors } from '../../errors.js';
import { ListPolicyPrincipals } from '../../model/policy-attachments.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { pageOfNames, readAllNames } from './policy-attachment.js';
import { encodePolicyMarker, namePageQuery } from './policy-markers.js';

export interface ListPolicyPrincipalsInput {
  readonly policyName: string;
  readonly marker?: string;
  readonly pageSize?: number;
  readonly ascendingOrder?: boolean;
}

export const listPolicyPrincipals = defineOperation({
  model: ListPolicyPrincipals,
  run,
  cli: {
    examples: [
      {
        title: 'To list the certificates a policy is attached to (deprecated form)',
        description: 'The same as list-targets-for-policy, which is the form to use.',
        command: 'fleetca iot list-policy-principals --policy-name sensor-policy --ascending-order',
      },
    ],
  },
});

/**
 * By certificate ID, descending unless ascendingOrder. Ascending pages are the store's keyset pages; the store
 * seeks only ascending, so a descending page reads every target of the policy (this deprecated operation is the
 * only one that asks for that order).
 */
async function run(input: ListPolicyPrincipalsInput, ctx: OperationContext) {
  const query = namePageQuery('targets', input);
  const page =
    input.ascendingOrder === true
      ? await ctx.registry.policies.listPolicyTargets(ctx.scope, input.policyName, query)
      : await descendingPage(ctx, input.policyName, query);
  if (!page) throw serviceErrors.notFound();
  return {
    principals: page.names.map((certificateId) => certificateArn(ctx.scope, certificateId)),
    nextMarker: page.next && encodePolicyMarker('targets', page.next),
  };
}

async function descendingPage(
  ctx: OperationContext,
  policyName: string,
  query: { readonly limit: number; readonly after?: string },
) {
  const names = await readAllNames((after) =>
    ctx.registry.policies.listPolicyTargets(ctx.scope, policyName, { limit: 250, after }),
  );
  return names && pageOfNames(names, { ...query, ascending: false });
}
