import { compilePolicy } from '../../domain/policies/compiled-policy.js';
import { versionCreationRule } from '../../domain/policies/policy-lifecycle.js';
import { policyArn } from '../../domain/policies/policy-record.js';
import { CreatePolicyVersion } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface CreatePolicyVersionInput {
  readonly policyName: string;
  readonly policyDocument: string;
  readonly setAsDefault?: boolean;
}

/** The document is checked before the store numbers the version; this stands for the number in its messages. */
const UNNUMBERED_VERSION = '0';

export const createPolicyVersion = defineOperation({
  model: CreatePolicyVersion,
  run,
  cli: {
    examples: [
      {
        title: 'To update a policy',
        description:
          'Adds the document in policy.json as the next version of the policy and makes it the default, so it takes effect for every certificate the policy is attached to. A policy has at most five versions.',
        command:
          'fleetca iot create-policy-version --policy-name sensor-policy --policy-document file://policy.json --set-as-default',
      },
    ],
  },
});

async function run(input: CreatePolicyVersionInput, ctx: OperationContext) {
  compilePolicy(input.policyName, UNNUMBERED_VERSION, input.policyDocument);
  const version = await ctx.registry.policies.createPolicyVersion(
    ctx.scope,
    input.policyName,
    input.policyDocument,
    input.setAsDefault === true,
    ctx.now().getTime(),
    versionCreationRule(input.policyName),
  );
  return {
    policyArn: policyArn(ctx.scope, input.policyName),
    policyDocument: version.document,
    policyVersionId: version.versionId,
    isDefaultVersion: version.isDefaultVersion,
  };
}
