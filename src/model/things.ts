/** Things in the IoT model: the thing registry and the principals attached to things. */

import { THING_PRINCIPAL_TYPES } from '../domain/things/thing-principal-type.js';
import { bool, plainString } from './common-shapes.js';
import { COMMON_ERRORS } from './service.js';
import {
  type IntegerShape,
  type MapShape,
  member,
  type RestOperationModel,
  type StringShape,
  structure,
} from './shapes.js';

const thingName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const thingTypeName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const billingGroupName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const attributeName: StringShape = { type: 'string', max: 128, pattern: '[a-zA-Z0-9_.,@/:#-]+' };
const attributeValue: StringShape = { type: 'string', max: 800, pattern: '[a-zA-Z0-9_.,@/:#=\\[\\]-]*' };
const thingAttributes: MapShape = { type: 'map', key: attributeName, value: attributeValue };
/** A long in the service model; fleetca's versions stay far below 2^31. */
const thingVersion: IntegerShape = { type: 'integer' };
const nextToken: StringShape = { type: 'string' };
const registryMaxResults: IntegerShape = { type: 'integer', min: 1, max: 250 };
const principal: StringShape = { type: 'string' };

const thingNameLabel = (documentation: string) =>
  member(thingName, documentation, { location: 'uri', locationName: 'thingName' });
const principalHeader = (documentation: string) =>
  member(principal, documentation, { location: 'header', locationName: 'x-amzn-principal' });
const nextTokenQuery = member(nextToken, 'The nextToken of the previous page, to fetch the next one.', {
  location: 'querystring',
  locationName: 'nextToken',
});
const maxResultsQuery = member(registryMaxResults, 'The largest number of results to return in one page.', {
  location: 'querystring',
  locationName: 'maxResults',
});
const nextTokenOutput = member(nextToken, 'The token of the next page; absent when there are no more results.');

export const CreateThing: RestOperationModel = {
  name: 'CreateThing',
  http: { method: 'POST', requestUri: '/things/{thingName}' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing to create. It cannot be changed afterwards.'),
      thingTypeName: member(thingTypeName, 'The name of the thing type of the new thing.'),
      attributePayload: member(
        structure({
          attributes: member(thingAttributes, 'Up to three attributes, name to value.'),
          merge: member(bool, 'Ignored by CreateThing; UpdateThing merges rather than replaces attributes when true.'),
        }),
        'The attributes of the new thing, up to three name/value pairs. For example {"attributes":{"string1":"string2"}}.',
      ),
      billingGroupName: member(billingGroupName, 'The name of the billing group to add the thing to.'),
    },
    ['thingName'],
  ),
  output: structure({
    thingName: member(thingName, 'The name of the new thing.'),
    thingArn: member(plainString, 'The ARN of the new thing.'),
    thingId: member(plainString, 'The ID of the new thing.'),
  }),
  errors: [...COMMON_ERRORS, 'ResourceAlreadyExistsException', 'ResourceNotFoundException'],
  documentation:
    'Creates a thing in the registry. Calling it again with the same name and configuration succeeds and ' +
    'returns the same thing; with the same name and a different configuration it fails.',
};

export const DescribeThing: RestOperationModel = {
  name: 'DescribeThing',
  http: { method: 'GET', requestUri: '/things/{thingName}' },
  input: structure({ thingName: thingNameLabel('The name of the thing.') }, ['thingName']),
  output: structure({
    defaultClientId: member(plainString, 'The default MQTT client ID: the thing name.'),
    thingName: member(thingName, 'The name of the thing.'),
    thingId: member(plainString, 'The ID of the thing.'),
    thingArn: member(plainString, 'The ARN of the thing.'),
    thingTypeName: member(thingTypeName, 'The thing type name.'),
    attributes: member(thingAttributes, 'The thing attributes.'),
    version: member(thingVersion, 'The current version of the thing record; DeleteThing may expect it.'),
    billingGroupName: member(billingGroupName, 'The name of the billing group the thing belongs to.'),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Gets information about the specified thing.',
};

export const ListThings: RestOperationModel = {
  name: 'ListThings',
  http: { method: 'GET', requestUri: '/things' },
  input: structure({
    nextToken: nextTokenQuery,
    maxResults: maxResultsQuery,
    attributeName: member(attributeName, 'Only things with this attribute (with attributeValue).', {
      location: 'querystring',
      locationName: 'attributeName',
    }),
    attributeValue: member(attributeValue, 'The value attributeName must have.', {
      location: 'querystring',
      locationName: 'attributeValue',
    }),
    thingTypeName: member(thingTypeName, 'Only things of this thing type.', {
      location: 'querystring',
      locationName: 'thingTypeName',
    }),
    usePrefixAttributeValue: member(bool, 'When true, attribute values need only start with attributeValue.', {
      location: 'querystring',
      locationName: 'usePrefixAttributeValue',
    }),
  }),
  output: structure({
    things: member(
      {
        type: 'list',
        member: structure({
          thingName: member(thingName, 'The name of the thing.'),
          thingTypeName: member(thingTypeName, 'The name of the thing type, if the thing has one.'),
          thingArn: member(plainString, 'The thing ARN.'),
          attributes: member(thingAttributes, 'The thing attributes.'),
          version: member(thingVersion, 'The version of the thing record.'),
        }),
      },
      'The things.',
    ),
    nextToken: nextTokenOutput,
  }),
  errors: COMMON_ERRORS,
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'things' },
  documentation:
    'Lists your things by name, optionally only those with an attribute of a given value or of a thing type.',
};

export const DeleteThing: RestOperationModel = {
  name: 'DeleteThing',
  http: { method: 'DELETE', requestUri: '/things/{thingName}' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing to delete.'),
      expectedVersion: member(
        thingVersion,
        'The version the thing must have; otherwise the request fails with VersionConflictException.',
        { location: 'querystring', locationName: 'expectedVersion' },
      ),
    },
    ['thingName'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', 'VersionConflictException', ...COMMON_ERRORS],
  documentation:
    'Deletes the specified thing; succeeds also when no thing has that name. A thing with principals attached ' +
    'cannot be deleted.',
};

export const AttachThingPrincipal: RestOperationModel = {
  name: 'AttachThingPrincipal',
  http: { method: 'PUT', requestUri: '/things/{thingName}/principals' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing.'),
      principal: principalHeader('The principal: the ARN of a certificate of this account and region.'),
      thingPrincipalType: member(
        { type: 'string', enum: THING_PRINCIPAL_TYPES },
        'EXCLUSIVE_THING: the thing must be the only thing attached to the principal; NON_EXCLUSIVE_THING ' +
          '(the default): the principal may be attached to other things as well.',
        { location: 'querystring', locationName: 'thingPrincipalType' },
      ),
    },
    ['thingName', 'principal'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Attaches the specified principal (a certificate) to the specified thing.',
};

export const DetachThingPrincipal: RestOperationModel = {
  name: 'DetachThingPrincipal',
  http: { method: 'DELETE', requestUri: '/things/{thingName}/principals' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing.'),
      principal: principalHeader('The ARN of the certificate to detach.'),
    },
    ['thingName', 'principal'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Detaches the specified principal (a certificate) from the specified thing.',
};

export const ListThingPrincipals: RestOperationModel = {
  name: 'ListThingPrincipals',
  http: { method: 'GET', requestUri: '/things/{thingName}/principals' },
  input: structure(
    { nextToken: nextTokenQuery, maxResults: maxResultsQuery, thingName: thingNameLabel('The name of the thing.') },
    ['thingName'],
  ),
  output: structure({
    principals: member({ type: 'list', member: plainString }, 'The principals attached to the thing.'),
    nextToken: nextTokenOutput,
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'principals' },
  documentation: 'Lists the principals (certificate ARNs) attached to the specified thing.',
};

export const ListPrincipalThings: RestOperationModel = {
  name: 'ListPrincipalThings',
  http: { method: 'GET', requestUri: '/principals/things' },
  input: structure(
    { nextToken: nextTokenQuery, maxResults: maxResultsQuery, principal: principalHeader('The principal.') },
    ['principal'],
  ),
  output: structure({
    things: member({ type: 'list', member: thingName }, 'The things attached to the principal.'),
    nextToken: nextTokenOutput,
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'things' },
  documentation: 'Lists the things the specified principal (a certificate ARN) is attached to.',
};
