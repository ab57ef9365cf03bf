/** AWS IoT control plane (rest-json, API version 2015-05-28): the shapes fleetca serves. */
export const SERVICE = {
  name: 'iot',
  apiVersion: '2015-05-28',
  signingName: 'iot',
} as const;

/** The errors most IoT operations model. */
export const COMMON_ERRORS = [
  'InvalidRequestException',
  'ThrottlingException',
  'UnauthorizedException',
  'ServiceUnavailableException',
  'InternalFailureException',
] as const;
