import type { DataAction } from '../../domain/policies/authorization-request.js';
import type { AuthorizationResult } from '../../domain/policies/authorizer.js';
import { policyArn } from '../../domain/policies/policy-record.js';
import type { Scope } from '../../domain/scope.js';
import { serviceErrors } from '../../errors.js';
import { type AuthActionType, TestAuthorization } from '../../model/policy-authorization.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { evaluationFor } from './policy-evaluation.js';
import { certificateIdOfTarget } from './policy-target.js';

interface AuthInfo {
  readonly actionType?: AuthActionType;
  readonly resources: readonly string[];
}

export interface TestAuthorizationInput {
  readonly principal?: string;
  readonly cognitoIdentityPoolId?: string;
  readonly authInfos: readonly AuthInfo[];
  readonly clientId?: string;
  readonly policyNamesToAdd?: readonly string[];
  readonly policyNamesToSkip?: readonly string[];
}

export const ACTION_OF_TYPE: Readonly<Record<AuthActionType, DataAction>> = {
  PUBLISH: 'iot:Publish',
  SUBSCRIBE: 'iot:Subscribe',
  RECEIVE: 'iot:Receive',
  CONNECT: 'iot:Connect',
};

export const testAuthorization = defineOperation({
  model: TestAuthorization,
  run,
  cli: {
    examples: [
      {
        title: 'To test whether a device may publish on a topic',
        description:
          'Evaluates the policies attached to the certificate, as the device gateway would for a device connected with client ID sensor-42, and prints the decision and the policies that made it.',
        command:
          `fleetca iot test-authorization --principal ${EXAMPLE_CERTIFICATE_ARN} --client-id sensor-42 ` +
          '--auth-infos actionType=PUBLISH,resources=arn:aws:iot:us-east-1:123456789012:topic/sensors/sensor-42',
      },
    ],
  },
});

/** One AuthResult per authInfo: each of its resources asked separately, the verdicts combined (below). */
async function run(input: TestAuthorizationInput, ctx: OperationContext) {
  if (input.cognitoIdentityPoolId !== undefined) {
    throw serviceErrors.invalidRequest('Cognito identity pools are not supported: name a certificate as principal');
  }
  if (input.principal === undefined) throw serviceErrors.invalidRequest('A principal is required');
  const certificateId = certificateIdOfTarget(input.principal, ctx.scope);
  const { authorizer } = await evaluationFor(ctx, {
    certificateId,
    ...(input.clientId !== undefined && { clientId: input.clientId }),
    ...(input.policyNamesToAdd !== undefined && { policyNamesToAdd: input.policyNamesToAdd }),
    ...(input.policyNamesToSkip !== undefined && { policyNamesToSkip: input.policyNamesToSkip }),
  });
  return {
    authResults: input.authInfos.map((authInfo) => {
      if (authInfo.actionType === undefined) throw serviceErrors.invalidRequest('An authInfo needs an actionType');
      const action = ACTION_OF_TYPE[authInfo.actionType];
      const results = authInfo.resources.map((resource) => authorizer.decide({ action, resource }));
      return authResult(ctx.scope, authInfo, results);
    }),
  };
}

const SEVERITY = { ALLOWED: 0, IMPLICIT_DENY: 1, EXPLICIT_DENY: 2 } as const;

/**
 * An authInfo is allowed only when every one of its resources is: its decision is the strictest of theirs, and
 * each list is the union of theirs, in the order first met.
 */
function authResult(scope: Scope, authInfo: AuthInfo, results: readonly AuthorizationResult[]) {
  const decision = results.reduce<AuthorizationResult['decision']>(
    (worst, result) => (SEVERITY[result.decision] > SEVERITY[worst] ? result.decision : worst),
    'ALLOWED',
  );
  const union = (pick: (result: AuthorizationResult) => readonly string[]) => [...new Set(results.flatMap(pick))];
  const policies = (names: readonly string[]) => ({
    policies: names.map((policyName) => ({ policyName, policyArn: policyArn(scope, policyName) })),
  });
  return {
    authInfo,
    allowed: policies(union((result) => result.allowedBy)),
    denied: {
      implicitDeny: policies(union((result) => result.implicitDenyBy)),
      explicitDeny: policies(union((result) => result.explicitDenyBy)),
    },
    authDecision: results.length === 0 ? 'IMPLICIT_DENY' : decision,
    missingContextValues: union((result) => result.missingContextValues),
  };
}
