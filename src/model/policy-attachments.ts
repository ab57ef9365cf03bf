/**
 * AWS IoT policies in the IoT model: attaching policies to targets (certificates), the listings both ways, and the
 * deprecated principal-policy operations that carry the principal or the policy in a header.
 */

import { markerMember, nextMarkerMember, pageSizeMember, plainString } from './common-shapes.js';
import { ascendingOrderMember, markerPaginator, policyName, policySummaries } from './policies.js';
import { COMMON_ERRORS } from './service.js';
import { member, type RestOperationModel, type StringShape, structure } from './shapes.js';

const policyTarget: StringShape = plainString;
const principal: StringShape = plainString;

const TARGET_FORMS =
  'a certificate ARN (arn:aws:iot:REGION:ACCOUNT:cert/CERTIFICATE_ID); AWS also names thing-group ARNs and ' +
  'Cognito identities, which fleetca does not have.';

const policyNameLabel = (documentation: string) =>
  member(policyName, documentation, { location: 'uri', locationName: 'policyName' });
const principalHeader = (documentation: string) =>
  member(principal, documentation, { location: 'header', locationName: 'x-amzn-iot-principal' });

export const AttachPolicy: RestOperationModel = {
  name: 'AttachPolicy',
  http: { method: 'PUT', requestUri: '/target-policies/{policyName}' },
  input: structure(
    {
      policyName: policyNameLabel('The name of the policy to attach.'),
      target: member(policyTarget, `The identity the policy is attached to: ${TARGET_FORMS}`),
    },
    ['policyName', 'target'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS, 'LimitExceededException'],
  documentation:
    'Attaches the specified policy to the specified target (a certificate). A certificate has at most 10 policies.',
};

export const DetachPolicy: RestOperationModel = {
  name: 'DetachPolicy',
  http: { method: 'POST', requestUri: '/target-policies/{policyName}' },
  input: structure(
    {
      policyName: policyNameLabel('The policy to detach.'),
      target: member(policyTarget, 'The target the policy is detached from.'),
    },
    ['policyName', 'target'],
  ),
  output: structure({}),
  errors: [...COMMON_ERRORS, 'LimitExceededException'],
  documentation: 'Detaches a policy from the specified target.',
};

export const ListAttachedPolicies: RestOperationModel = {
  name: 'ListAttachedPolicies',
  http: { method: 'POST', requestUri: '/attached-policies/{target}' },
  input: structure(
    {
      target: member(policyTarget, `The target whose policies are listed: ${TARGET_FORMS}`, {
        location: 'uri',
        locationName: 'target',
      }),
      recursive: member(
        { type: 'boolean' },
        'When true, list the policies inherited from parent thing groups too (a certificate has none).',
        { location: 'querystring', locationName: 'recursive' },
      ),
      marker: markerMember,
      pageSize: pageSizeMember,
    },
    ['target'],
  ),
  output: structure({
    policies: member(policySummaries, 'The policies.'),
    nextMarker: nextMarkerMember,
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS, 'LimitExceededException'],
  paginator: markerPaginator('policies'),
  documentation: 'Lists the policies attached to the specified target, by name.',
};

export const ListTargetsForPolicy: RestOperationModel = {
  name: 'ListTargetsForPolicy',
  http: { method: 'POST', requestUri: '/policy-targets/{policyName}' },
  input: structure(
    { policyName: policyNameLabel('The policy name.'), marker: markerMember, pageSize: pageSizeMember },
    ['policyName'],
  ),
  output: structure({
    targets: member({ type: 'list', member: policyTarget }, 'The policy targets.'),
    nextMarker: nextMarkerMember,
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS, 'LimitExceededException'],
  paginator: markerPaginator('targets'),
  documentation: 'Lists the targets (certificate ARNs) the specified policy is attached to.',
};

const DEPRECATED = ' Deprecated by AWS, kept for backward compatibility:';

export const AttachPrincipalPolicy: RestOperationModel = {
  name: 'AttachPrincipalPolicy',
  http: { method: 'PUT', requestUri: '/principal-policies/{policyName}' },
  input: structure(
    {
      policyName: policyNameLabel('The policy name.'),
      principal: principalHeader('The principal: a certificate ARN.'),
    },
    ['policyName', 'principal'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS, 'LimitExceededException'],
  documentation: `Attaches the specified policy to the specified principal (a certificate).${DEPRECATED} use AttachPolicy.`,
};

export const DetachPrincipalPolicy: RestOperationModel = {
  name: 'DetachPrincipalPolicy',
  http: { method: 'DELETE', requestUri: '/principal-policies/{policyName}' },
  input: structure(
    {
      policyName: policyNameLabel('The name of the policy to detach.'),
      principal: principalHeader(`The principal: ${TARGET_FORMS}`),
    },
    ['policyName', 'principal'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: `Detaches the specified policy from the specified certificate.${DEPRECATED} use DetachPolicy.`,
};

export const ListPrincipalPolicies: RestOperationModel = {
  name: 'ListPrincipalPolicies',
  http: { method: 'GET', requestUri: '/principal-policies' },
  input: structure(
    {
      principal: principalHeader(`The principal: ${TARGET_FORMS}`),
      marker: markerMember,
      pageSize: pageSizeMember,
      ascendingOrder: ascendingOrderMember('name'),
    },
    ['principal'],
  ),
  output: structure({
    policies: member(policySummaries, 'The policies.'),
    nextMarker: nextMarkerMember,
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  paginator: markerPaginator('policies'),
  documentation: `Lists the policies attached to the specified principal.${DEPRECATED} use ListAttachedPolicies.`,
};

export const ListPolicyPrincipals: RestOperationModel = {
  name: 'ListPolicyPrincipals',
  http: { method: 'GET', requestUri: '/policy-principals' },
  input: structure(
    {
      policyName: member(policyName, 'The policy name.', { location: 'header', locationName: 'x-amzn-iot-policy' }),
      marker: markerMember,
      pageSize: pageSizeMember,
      ascendingOrder: ascendingOrderMember('certificate ID'),
    },
    ['policyName'],
  ),
  output: structure({
    principals: member({ type: 'list', member: principal }, 'The principals (certificate ARNs).'),
    nextMarker: nextMarkerMember,
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  paginator: markerPaginator('principals'),
  documentation: `Lists the principals the specified policy is attached to.${DEPRECATED} use ListTargetsForPolicy.`,
};
