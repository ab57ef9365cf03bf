import type { DataAction } from '../../domain/policies/authorization-request.js';
import { type EXPLAINED_ACTIONS, ExplainAuthorization } from '../../model/admin.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { evaluationFor } from '../policies/policy-evaluation.js';
import { certificateIdOfTarget } from '../policies/policy-target.js';

export interface ExplainAuthorizationInput {
  readonly principal: string;
  readonly action: (typeof EXPLAINED_ACTIONS)[number];
  readonly resource: string;
  readonly clientId?: string;
  readonly sourceIp?: string;
}

const DATA_ACTION: Readonly<Record<(typeof EXPLAINED_ACTIONS)[number], DataAction>> = {
  connect: 'iot:Connect',
  publish: 'iot:Publish',
  'retain-publish': 'iot:RetainPublish',
  subscribe: 'iot:Subscribe',
  receive: 'iot:Receive',
};

export const explainAuthorization = defineOperation({ model: ExplainAuthorization, run });

/**
 * fleetca's own account of a decision TestAuthorization only states: the same evaluation (policy-evaluation.ts),
 * then which statements decided it and what every variable the policies read was worth for this principal.
 */
async function run(input: ExplainAuthorizationInput, ctx: OperationContext) {
  const certificateId = certificateIdOfTarget(input.principal, ctx.scope);
  const { authorizer, policies } = await evaluationFor(ctx, {
    certificateId,
    ...(input.clientId !== undefined && { clientId: input.clientId }),
    ...(input.sourceIp !== undefined && { sourceIp: input.sourceIp }),
  });
  const result = authorizer.decide({ action: DATA_ACTION[input.action], resource: input.resource });
  return {
    decision: result.decision,
    decidingStatements: result.deciding.map((statement) => ({
      policyName: statement.policyName,
      policyVersionId: statement.versionId,
      statementIndex: statement.statementIndex,
      ...(statement.sid !== undefined && { sid: statement.sid }),
      effect: statement.effect,
    })),
    policies: policies.map((policy) => ({ policyName: policy.policyName, policyVersionId: policy.versionId })),
    allowedBy: result.allowedBy,
    explicitDenyBy: result.explicitDenyBy,
    implicitDenyBy: result.implicitDenyBy,
    missingContextValues: result.missingContextValues,
    variables: authorizer
      .variables()
      .map(({ name, value }) =>
        typeof value === 'string' ? { name, value } : value === undefined ? { name } : { name, values: [...value] },
      ),
  };
}
