import { policyArn } from '../../domain/policies/policy-record.js';
import { ListPolicies } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { encodePolicyMarker, namePageQuery } from './policy-markers.js';

export interface ListPoliciesInput {
  readonly marker?: string;
  readonly pageSize?: number;
  readonly ascendingOrder?: boolean;
}

export const listPolicies = defineOperation({
  model: ListPolicies,
  run,
  cli: {
    examples: [
      {
        title: 'To list the policies',
        description: 'Lists the names and ARNs of the policies of the account and region.',
        command: 'fleetca iot list-policies --ascending-order',
      },
    ],
  },
});

/** The policies by name: descending unless ascendingOrder (the store's keyset order). */
async function run(input: ListPoliciesInput, ctx: OperationContext) {
  const page = await ctx.registry.policies.listPolicies(ctx.scope, {
    ...namePageQuery('policies', input),
    ascending: input.ascendingOrder === true,
  });
  return {
    policies: page.records.map((record) => ({
      policyName: record.policyName,
      policyArn: policyArn(ctx.scope, record.policyName),
    })),
    nextMarker: page.next && encodePolicyMarker('policies', page.next),
  };
}
