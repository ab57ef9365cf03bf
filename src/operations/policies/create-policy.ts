import { randomBytes } from 'node:crypto';
import type { ResourceTag } from '../../domain/ca-certificates/ca-certificate-record.js';
import { compilePolicy } from '../../domain/policies/compiled-policy.js';
import { policyCreationRule } from '../../domain/policies/policy-lifecycle.js';
import { policyArn } from '../../domain/policies/policy-record.js';
import { CreatePolicy } from '../../model/policies.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { checkedTags } from '../resource-tags.js';

export interface CreatePolicyInput {
  readonly policyName: string;
  readonly policyDocument: string;
  readonly tags?: readonly ResourceTag[];
}

export const createPolicy = defineOperation({
  model: CreatePolicy,
  run,
  cli: {
    examples: [
      {
        title: 'To create a policy from a file',
        description:
          'Creates the policy with the document in policy.json as its version 1, the default. A device whose certificate has the policy attached may then do what it allows.',
        command: 'fleetca iot create-policy --policy-name sensor-policy --policy-document file://policy.json',
      },
    ],
  },
});

/** A new generation id: 64 hex characters, as AWS shows them. */
export function newGenerationId(): string {
  return randomBytes(32).toString('hex');
}

/** Checks the document, then stores the policy with it as version "1", the default. */
async function run(input: CreatePolicyInput, ctx: OperationContext) {
  const tags = checkedTags(input.tags ?? []);
  compilePolicy(input.policyName, '1', input.policyDocument);
  const now = ctx.now().getTime();
  const record = await ctx.registry.policies.createPolicy(
    {
      ...ctx.scope,
      policyName: input.policyName,
      defaultVersionId: '1',
      creationDate: now,
      lastModifiedDate: now,
      generationId: newGenerationId(),
    },
    input.policyDocument,
    policyCreationRule(ctx.scope, input.policyName),
    tags,
  );
  return {
    policyName: record.policyName,
    policyArn: policyArn(ctx.scope, record.policyName),
    policyDocument: input.policyDocument,
    policyVersionId: record.defaultVersionId,
  };
}
