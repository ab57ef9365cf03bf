/** Fleet provisioning in the IoT model: provisioning templates and provisioning claims. */

import { TEMPLATE_TYPES } from '../domain/provisioning/template-type.js';
import { bool, certificateId, certificatePem, date, keyPair, plainString, tag, templateName } from './common-shapes.js';
import {
  type IntegerShape,
  member,
  type RestOperationModel,
  type StringShape,
  type StructureShape,
  structure,
} from './shapes.js';

const templateArn: StringShape = { type: 'string' };
const templateDescription: StringShape = { type: 'string', min: 0, max: 500, pattern: '[^\\p{C}]*' };
const templateBody: StringShape = { type: 'string', min: 0, max: 10240, pattern: '[\\s\\S]*' };
const roleArn: StringShape = { type: 'string', min: 20, max: 2048 };
const templateVersionId: IntegerShape = { type: 'integer' };

const templateType: StringShape = { type: 'string', enum: TEMPLATE_TYPES };

const provisioningHook: StructureShape = structure(
  {
    payloadVersion: member(
      { type: 'string', min: 10, max: 32, pattern: '^[0-9-]+$' },
      'The payload version sent to the hook function. Stored and returned; fleetca never invokes the hook.',
    ),
    targetArn: member({ type: 'string', max: 2048 }, 'The ARN of the hook function (Lambda).'),
  },
  ['targetArn'],
);

const templateNameInUri = (documentation: string) =>
  member(templateName, documentation, { location: 'uri', locationName: 'templateName' });

const provisioningTemplateSummary: StructureShape = structure({
  templateArn: member(templateArn, 'The ARN of the provisioning template.'),
  templateName: member(templateName, 'The name of the provisioning template.'),
  description: member(templateDescription, 'The description of the provisioning template.'),
  creationDate: member(date, 'When the provisioning template was created.'),
  lastModifiedDate: member(date, 'When the provisioning template was last modified.'),
  enabled: member(bool, 'True when the provisioning template is enabled.'),
  type: member(templateType, 'FLEET_PROVISIONING or JITP.'),
});

export const CreateProvisioningTemplate: RestOperationModel = {
  name: 'CreateProvisioningTemplate',
  http: { method: 'POST', requestUri: '/provisioning-templates' },
  input: structure(
    {
      templateName: member(templateName, 'The name of the provisioning template.'),
      description: member(templateDescription, 'The description of the provisioning template.'),
      templateBody: member(templateBody, 'The JSON formatted contents of the provisioning template.'),
      enabled: member(bool, 'True to enable the provisioning template, otherwise false.'),
      provisioningRoleArn: member(
        roleArn,
        'The ARN of the role the template provisions devices as. Stored and returned; fleetca does not call IAM.',
      ),
      preProvisioningHook: member(
        provisioningHook,
        'A pre-provisioning hook (FLEET_PROVISIONING templates only). Stored and returned; fleetca never invokes it.',
      ),
      tags: member({ type: 'list', member: tag }, 'Tags to attach to the provisioning template.'),
      type: member(templateType, 'FLEET_PROVISIONING (the default) or JITP; it cannot be changed afterwards.'),
    },
    ['templateName', 'templateBody', 'provisioningRoleArn'],
  ),
  output: structure({
    templateArn: member(templateArn, 'The ARN of the provisioning template.'),
    templateName: member(templateName, 'The name of the provisioning template.'),
    defaultVersionId: member(templateVersionId, 'The default version of the provisioning template.'),
  }),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'LimitExceededException',
    'ThrottlingException',
    'UnauthorizedException',
    'ResourceAlreadyExistsException',
  ],
  documentation: 'Creates a provisioning template. The template body must be a valid provisioning template.',
};

export const DescribeProvisioningTemplate: RestOperationModel = {
  name: 'DescribeProvisioningTemplate',
  http: { method: 'GET', requestUri: '/provisioning-templates/{templateName}' },
  input: structure({ templateName: templateNameInUri('The name of the provisioning template.') }, ['templateName']),
  output: structure({
    templateArn: member(templateArn, 'The ARN of the provisioning template.'),
    templateName: member(templateName, 'The name of the provisioning template.'),
    description: member(templateDescription, 'The description of the provisioning template.'),
    creationDate: member(date, 'When the provisioning template was created.'),
    lastModifiedDate: member(date, 'When the provisioning template was last modified.'),
    defaultVersionId: member(templateVersionId, 'The default version of the provisioning template.'),
    templateBody: member(templateBody, 'The JSON formatted contents of the provisioning template.'),
    enabled: member(bool, 'True when the provisioning template is enabled.'),
    provisioningRoleArn: member(roleArn, 'The ARN of the role associated with the provisioning template.'),
    preProvisioningHook: member(provisioningHook, 'The pre-provisioning hook, when there is one.'),
    type: member(templateType, 'FLEET_PROVISIONING or JITP.'),
  }),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'ResourceNotFoundException',
    'ThrottlingException',
    'UnauthorizedException',
  ],
  documentation: 'Returns information about a provisioning template.',
};

export const ListProvisioningTemplates: RestOperationModel = {
  name: 'ListProvisioningTemplates',
  http: { method: 'GET', requestUri: '/provisioning-templates' },
  input: structure({
    maxResults: member({ type: 'integer', min: 1, max: 250 }, 'The largest number of results to return at once.', {
      location: 'querystring',
      locationName: 'maxResults',
    }),
    nextToken: member(plainString, 'The token of the next page, from the previous page.', {
      location: 'querystring',
      locationName: 'nextToken',
    }),
  }),
  output: structure({
    templates: member({ type: 'list', member: provisioningTemplateSummary }, 'The provisioning templates.'),
    nextToken: member(plainString, 'The token of the next page; absent when there are no more results.'),
  }),
  errors: ['InternalFailureException', 'InvalidRequestException', 'ThrottlingException', 'UnauthorizedException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'templates' },
  documentation: 'Lists the provisioning templates of this account and region, by name.',
};

export const UpdateProvisioningTemplate: RestOperationModel = {
  name: 'UpdateProvisioningTemplate',
  http: { method: 'PATCH', requestUri: '/provisioning-templates/{templateName}' },
  input: structure(
    {
      templateName: templateNameInUri('The name of the provisioning template.'),
      description: member(templateDescription, 'The new description.'),
      enabled: member(bool, 'True to enable the provisioning template, otherwise false.'),
      defaultVersionId: member(templateVersionId, 'The ID of the default provisioning template version.'),
      provisioningRoleArn: member(roleArn, 'The new provisioning role ARN (stored, never assumed).'),
      preProvisioningHook: member(provisioningHook, 'The new pre-provisioning hook (stored, never invoked).'),
      removePreProvisioningHook: member(bool, 'True to remove the pre-provisioning hook.'),
    },
    ['templateName'],
  ),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'ResourceNotFoundException',
    'UnauthorizedException',
    'ConflictingResourceUpdateException',
  ],
  documentation: 'Updates a provisioning template. Its body and type cannot be changed.',
};

export const DeleteProvisioningTemplate: RestOperationModel = {
  name: 'DeleteProvisioningTemplate',
  http: { method: 'DELETE', requestUri: '/provisioning-templates/{templateName}' },
  input: structure({ templateName: templateNameInUri('The name of the provisioning template to delete.') }, [
    'templateName',
  ]),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'ResourceNotFoundException',
    'DeleteConflictException',
    'ThrottlingException',
    'ConflictingResourceUpdateException',
    'UnauthorizedException',
  ],
  documentation: 'Deletes a provisioning template, and every provisioning claim for it.',
};

export const CreateProvisioningClaim: RestOperationModel = {
  name: 'CreateProvisioningClaim',
  http: { method: 'POST', requestUri: '/provisioning-templates/{templateName}/provisioning-claim' },
  input: structure({ templateName: templateNameInUri('The name of the provisioning template to use.') }, [
    'templateName',
  ]),
  output: structure({
    certificateId: member(certificateId, 'The ID of the claim certificate.'),
    certificatePem: member(certificatePem, 'The claim certificate, in PEM format.'),
    keyPair: member(keyPair, 'The claim key pair; the private key exists only in this response.'),
    expiration: member(date, 'When the claim expires (five minutes from now).'),
  }),
  errors: [
    'InvalidRequestException',
    'ResourceNotFoundException',
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
  ],
  documentation:
    'Creates a temporary provisioning claim: a certificate valid for five minutes that may only use the ' +
    'fleet-provisioning topics of the template. It is not listed among the certificates.',
};
