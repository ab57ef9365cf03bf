/**
 * AWS IoT policies in the IoT model: the policies and their versions. Attachments, the deprecated principal
 * operations and the authorization questions are in policy-attachments.ts and policy-authorization.ts.
 */

import { bool, date, markerMember, nextMarkerMember, pageSizeMember, plainString, tag } from './common-shapes.js';
import { COMMON_ERRORS } from './service.js';
import { type ListShape, member, type RestOperationModel, type StringShape, structure } from './shapes.js';

export const policyName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[\\w+=,.@-]+' };
/**
 * The model's bound (404600); the documented limit, 2048 characters not counting whitespace, is checked by the
 * operations (reference §6), so a longer document is refused as AWS documents rather than by the model's bound.
 */
export const policyDocument: StringShape = { type: 'string', min: 0, max: 404600, pattern: '[\\s\\S]*' };
export const policyVersionId: StringShape = { type: 'string', pattern: '[0-9]+' };
export const policyArn: StringShape = plainString;

/** `Policy`: a name and its ARN, as the listings return them. */
export const policySummaries: ListShape = {
  type: 'list',
  member: structure({
    policyName: member(policyName, 'The policy name.'),
    policyArn: member(policyArn, 'The policy ARN.'),
  }),
};

/** The marker-paged listings of policies and targets: marker, pageSize, and optionally ascendingOrder. */
export const ascendingOrderMember = (order: string) =>
  member(bool, `When true, the results are returned in ascending ${order} order.`, {
    location: 'querystring',
    locationName: 'isAscendingOrder',
  });

export const markerPaginator = (resultKey: string) =>
  ({ inputToken: 'marker', outputToken: 'nextMarker', limitKey: 'pageSize', resultKey }) as const;

const policyNameLabel = (documentation: string) =>
  member(policyName, documentation, { location: 'uri', locationName: 'policyName' });
const versionIdLabel = member(policyVersionId, 'The policy version ID.', {
  location: 'uri',
  locationName: 'policyVersionId',
});
const documentMember = member(
  policyDocument,
  'The JSON document that describes the policy: at least 1 and at most 2048 characters, not counting whitespace.',
);

export const CreatePolicy: RestOperationModel = {
  name: 'CreatePolicy',
  http: { method: 'POST', requestUri: '/policies/{policyName}' },
  input: structure(
    {
      policyName: policyNameLabel('The policy name.'),
      policyDocument: documentMember,
      tags: member({ type: 'list', member: tag }, 'Tags to attach to the policy.'),
    },
    ['policyName', 'policyDocument'],
  ),
  output: structure({
    policyName: member(policyName, 'The policy name.'),
    policyArn: member(policyArn, 'The policy ARN.'),
    policyDocument: member(policyDocument, 'The JSON document that describes the policy.'),
    policyVersionId: member(policyVersionId, 'The policy version ID.'),
  }),
  errors: [
    'ResourceAlreadyExistsException',
    'MalformedPolicyException',
    'InvalidRequestException',
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
  ],
  documentation:
    'Creates an IoT policy. Its document becomes version 1, which is the default (operative) version of the policy.',
};

export const GetPolicy: RestOperationModel = {
  name: 'GetPolicy',
  http: { method: 'GET', requestUri: '/policies/{policyName}' },
  input: structure({ policyName: policyNameLabel('The name of the policy.') }, ['policyName']),
  output: structure({
    policyName: member(policyName, 'The policy name.'),
    policyArn: member(policyArn, 'The policy ARN.'),
    policyDocument: member(policyDocument, 'The JSON document of the default version.'),
    defaultVersionId: member(policyVersionId, 'The ID of the default version.'),
    creationDate: member(date, 'When the policy was created.'),
    lastModifiedDate: member(date, 'When the policy was last modified.'),
    generationId: member(plainString, 'The generation ID of the policy.'),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Gets the specified policy, with the document of its default version.',
};

export const ListPolicies: RestOperationModel = {
  name: 'ListPolicies',
  http: { method: 'GET', requestUri: '/policies' },
  input: structure({
    marker: markerMember,
    pageSize: pageSizeMember,
    ascendingOrder: ascendingOrderMember('name'),
  }),
  output: structure({
    policies: member(policySummaries, 'The policies.'),
    nextMarker: nextMarkerMember,
  }),
  errors: COMMON_ERRORS,
  paginator: markerPaginator('policies'),
  documentation: 'Lists your policies.',
};

export const DeletePolicy: RestOperationModel = {
  name: 'DeletePolicy',
  http: { method: 'DELETE', requestUri: '/policies/{policyName}' },
  input: structure({ policyName: policyNameLabel('The name of the policy to delete.') }, ['policyName']),
  output: structure({}),
  errors: ['DeleteConflictException', 'ResourceNotFoundException', ...COMMON_ERRORS],
  documentation:
    'Deletes the specified policy and its default version. A policy that still has other versions, or that is ' +
    'attached to a certificate, cannot be deleted: delete those versions (DeletePolicyVersion) and detach it ' +
    '(DetachPolicy) first.',
};

export const CreatePolicyVersion: RestOperationModel = {
  name: 'CreatePolicyVersion',
  http: { method: 'POST', requestUri: '/policies/{policyName}/version' },
  input: structure(
    {
      policyName: policyNameLabel('The policy name.'),
      policyDocument: documentMember,
      setAsDefault: member(
        bool,
        'When true, the new version becomes the default (operative) version: the one in effect for the ' +
          'certificates the policy is attached to.',
        { location: 'querystring', locationName: 'setAsDefault' },
      ),
    },
    ['policyName', 'policyDocument'],
  ),
  output: structure({
    policyArn: member(policyArn, 'The policy ARN.'),
    policyDocument: member(policyDocument, 'The JSON document that describes the policy.'),
    policyVersionId: member(policyVersionId, 'The policy version ID.'),
    isDefaultVersion: member(bool, 'True when this version is the default.'),
  }),
  errors: ['ResourceNotFoundException', 'MalformedPolicyException', 'VersionsLimitExceededException', ...COMMON_ERRORS],
  documentation:
    'Creates a new version of the specified policy; this is how a policy is updated. A policy has at most five ' +
    'versions: delete one (DeletePolicyVersion) before creating a sixth.',
};

export const GetPolicyVersion: RestOperationModel = {
  name: 'GetPolicyVersion',
  http: { method: 'GET', requestUri: '/policies/{policyName}/version/{policyVersionId}' },
  input: structure({ policyName: policyNameLabel('The name of the policy.'), policyVersionId: versionIdLabel }, [
    'policyName',
    'policyVersionId',
  ]),
  output: structure({
    policyArn: member(policyArn, 'The policy ARN.'),
    policyName: member(policyName, 'The policy name.'),
    policyDocument: member(policyDocument, 'The JSON document of this version.'),
    policyVersionId: member(policyVersionId, 'The policy version ID.'),
    isDefaultVersion: member(bool, 'True when this version is the default.'),
    creationDate: member(date, 'When the version was created.'),
    lastModifiedDate: member(date, 'When the version was last modified.'),
    generationId: member(plainString, 'The generation ID of the policy version.'),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Gets the specified version of the specified policy.',
};

export const ListPolicyVersions: RestOperationModel = {
  name: 'ListPolicyVersions',
  http: { method: 'GET', requestUri: '/policies/{policyName}/version' },
  input: structure({ policyName: policyNameLabel('The policy name.') }, ['policyName']),
  output: structure({
    policyVersions: member(
      {
        type: 'list',
        member: structure({
          versionId: member(policyVersionId, 'The policy version ID.'),
          isDefaultVersion: member(bool, 'True when this version is the default.'),
          createDate: member(date, 'When the version was created.'),
        }),
      },
      'The policy versions.',
    ),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Lists the versions of the specified policy, and which one is the default.',
};

export const DeletePolicyVersion: RestOperationModel = {
  name: 'DeletePolicyVersion',
  http: { method: 'DELETE', requestUri: '/policies/{policyName}/version/{policyVersionId}' },
  input: structure({ policyName: policyNameLabel('The name of the policy.'), policyVersionId: versionIdLabel }, [
    'policyName',
    'policyVersionId',
  ]),
  output: structure({}),
  errors: ['DeleteConflictException', 'ResourceNotFoundException', ...COMMON_ERRORS],
  documentation:
    'Deletes the specified version of the specified policy. The default version cannot be deleted this way: ' +
    'DeletePolicy deletes it with the policy.',
};

export const SetDefaultPolicyVersion: RestOperationModel = {
  name: 'SetDefaultPolicyVersion',
  http: { method: 'PATCH', requestUri: '/policies/{policyName}/version/{policyVersionId}' },
  input: structure({ policyName: policyNameLabel('The policy name.'), policyVersionId: versionIdLabel }, [
    'policyName',
    'policyVersionId',
  ]),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation:
    "Makes the specified version the policy's default (operative) version, for every certificate the policy is " +
    'attached to.',
};
