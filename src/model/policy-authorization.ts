/**
 * AWS IoT policies in the IoT model: the questions asked of them — which policies apply to a principal
 * (GetEffectivePolicies) and what they decide for given actions (TestAuthorization).
 */

import { plainString } from './common-shapes.js';
import { policyArn, policyDocument, policyName, policySummaries } from './policies.js';
import { COMMON_ERRORS } from './service.js';
import { type ListShape, member, type RestOperationModel, type StringShape, structure } from './shapes.js';

/** TestAuthorization's action types and the MQTT actions they ask about. */
export const AUTH_ACTION_TYPES = ['PUBLISH', 'SUBSCRIBE', 'RECEIVE', 'CONNECT'] as const;
export type AuthActionType = (typeof AUTH_ACTION_TYPES)[number];
export const AUTH_DECISIONS = ['ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY'] as const;

const thingName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const policyNames: ListShape = { type: 'list', member: policyName };

const PRINCIPAL_FORMS =
  'a certificate ARN (arn:aws:iot:REGION:ACCOUNT:cert/CERTIFICATE_ID). AWS also accepts a Cognito identity ' +
  '(REGION:ID), which fleetca does not have.';

const authInfo = structure(
  {
    actionType: member(
      { type: 'string', enum: AUTH_ACTION_TYPES },
      'The type of action the principal is authorized for: PUBLISH, SUBSCRIBE, RECEIVE or CONNECT.',
    ),
    resources: member(
      { type: 'list', member: { type: 'string', max: 2048, pattern: '[\\s\\S]*' } },
      'The resources (ARNs: topic/..., topicfilter/..., client/...) the action is authorized on.',
    ),
  },
  ['resources'],
);

const policyList = (documentation: string) => structure({ policies: member(policySummaries, documentation) });

export const GetEffectivePolicies: RestOperationModel = {
  name: 'GetEffectivePolicies',
  http: { method: 'POST', requestUri: '/effective-policies' },
  input: structure({
    principal: member(plainString, `The principal: ${PRINCIPAL_FORMS}`),
    cognitoIdentityPoolId: member(plainString, 'The Cognito identity pool ID (not supported by fleetca).'),
    thingName: member(thingName, 'The thing name.', { location: 'querystring', locationName: 'thingName' }),
  }),
  output: structure({
    effectivePolicies: member(
      {
        type: 'list',
        member: structure({
          policyName: member(policyName, 'The policy name.'),
          policyArn: member(policyArn, 'The policy ARN.'),
          policyDocument: member(policyDocument, 'The document of its default version.'),
        }),
      },
      'The effective policies.',
    ),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS, 'LimitExceededException'],
  documentation:
    'Gets the policies that decide what the specified device may do when it connects: those attached to its ' +
    'certificate.',
};

export const TestAuthorization: RestOperationModel = {
  name: 'TestAuthorization',
  http: { method: 'POST', requestUri: '/test-authorization' },
  input: structure(
    {
      principal: member(plainString, `The principal: ${PRINCIPAL_FORMS}`),
      cognitoIdentityPoolId: member(plainString, 'The Cognito identity pool ID (not supported by fleetca).'),
      authInfos: member(
        { type: 'list', member: authInfo, min: 1, max: 10 },
        'The questions asked: one result is returned per authInfo, in the same order.',
      ),
      clientId: member(plainString, 'The MQTT client ID.', { location: 'querystring', locationName: 'clientId' }),
      policyNamesToAdd: member(policyNames, 'Policies evaluated as if they were attached to the principal.'),
      policyNamesToSkip: member(policyNames, 'Policies evaluated as if they were not attached to the principal.'),
    },
    ['authInfos'],
  ),
  output: structure({
    authResults: member(
      {
        type: 'list',
        member: structure({
          authInfo: member(authInfo, 'The question this result answers.'),
          allowed: member(policyList('The policies that allowed the action.'), 'What allowed the action.'),
          denied: member(
            structure({
              implicitDeny: member(
                policyList('The policies with no statement allowing or denying the action on the resource.'),
                'What denied the action implicitly.',
              ),
              explicitDeny: member(policyList('The policies that denied the action.'), 'What denied it explicitly.'),
            }),
            'What denied the action.',
          ),
          authDecision: member(
            { type: 'string', enum: AUTH_DECISIONS },
            'The final decision: an explicit deny overrides any allow.',
          ),
          missingContextValues: member(
            { type: 'list', member: plainString },
            'The context values (policy variables, condition keys) the evaluation needed and did not have.',
          ),
        }),
      },
      'The results, one per authInfo.',
    ),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS, 'LimitExceededException'],
  documentation:
    'Tests whether the specified principal may perform IoT actions on the specified resources, as the device ' +
    'gateway would decide for a device connecting with it.',
};
