/** What an account and region are given once: the CA registration code and the endpoint host names. */

import { plainString } from './common-shapes.js';
import { member, type RestOperationModel, structure } from './shapes.js';

export const GetRegistrationCode: RestOperationModel = {
  name: 'GetRegistrationCode',
  http: { method: 'GET', requestUri: '/registrationcode' },
  input: structure({}),
  output: structure({
    registrationCode: member(
      { type: 'string', min: 64, max: 64, pattern: '(0x)?[a-fA-F0-9]+' },
      'The code a verification certificate must carry as its common name.',
    ),
  }),
  errors: [
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
    'InvalidRequestException',
  ],
  documentation:
    'Returns the registration code of this account and region, used to prove possession of a CA key when ' +
    'registering the CA. The code is created by the first call and stays the same afterwards.',
};

export const DescribeEndpoint: RestOperationModel = {
  name: 'DescribeEndpoint',
  http: { method: 'GET', requestUri: '/endpoint' },
  input: structure({
    endpointType: member(
      { type: 'string', max: 128, pattern: '[\\s\\S]*' },
      'iot:Data (legacy data endpoint), iot:Data-ATS (data endpoint with an Amazon Trust Services certificate), ' +
        'iot:CredentialProvider or iot:Jobs. Without it, the legacy data endpoint is returned.',
      { location: 'querystring', locationName: 'endpointType' },
    ),
  }),
  output: structure({
    endpointAddress: member(plainString, 'The host name of the endpoint.'),
  }),
  errors: ['InternalFailureException', 'InvalidRequestException', 'UnauthorizedException', 'ThrottlingException'],
  documentation:
    'Returns the endpoint of this account and region for the given type. The endpoint is created by the first ' +
    'call and stays the same afterwards.',
};
