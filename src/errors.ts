/**
 * The one registry of service errors of every API fleetca speaks: code, status and fault side, as each API
 * defines them. Every door renders a ServiceError from this table (the REST server as x-amzn-ErrorType +
 * {"message"}, the CLI as "An error occurred (...)", the device door as {statusCode, errorCode, errorMessage}).
 */
export const SERVICE_ERRORS = {
  InvalidRequestException: { status: 400, fault: 'client' },
  ThrottlingException: { status: 400, fault: 'client' },
  UnauthorizedException: { status: 401, fault: 'client' },
  ResourceNotFoundException: { status: 404, fault: 'client' },
  CertificateStateException: { status: 406, fault: 'client' },
  DeleteConflictException: { status: 409, fault: 'client' },
  ResourceAlreadyExistsException: { status: 409, fault: 'client' },
  CertificateConflictException: { status: 409, fault: 'client' },
  VersionConflictException: { status: 409, fault: 'client' },
  CertificateValidationException: { status: 400, fault: 'client' },
  RegistrationCodeValidationException: { status: 400, fault: 'client' },
  LimitExceededException: { status: 410, fault: 'client' },
  MalformedPolicyException: { status: 400, fault: 'client' },
  VersionsLimitExceededException: { status: 409, fault: 'client' },
  InternalFailureException: { status: 500, fault: 'server' },
  ServiceUnavailableException: { status: 503, fault: 'server' },
  // SigV4 refusals, before any operation runs (codes and statuses of AWS's JSON protocols).
  MissingAuthenticationTokenException: { status: 403, fault: 'client' },
  IncompleteSignatureException: { status: 403, fault: 'client' },
  UnrecognizedClientException: { status: 403, fault: 'client' },
  InvalidSignatureException: { status: 403, fault: 'client' },
  // The REST door's own transport errors: requests that never reach an operation.
  SerializationException: { status: 400, fault: 'client' },
  UnknownOperationException: { status: 404, fault: 'client' },
  MethodNotAllowedException: { status: 405, fault: 'client' },
  RequestTimeoutException: { status: 408, fault: 'client' },
  ExpectationFailedException: { status: 417, fault: 'client' },
  RequestEntityTooLargeException: { status: 413, fault: 'client' },
  RequestHeaderFieldsTooLargeException: { status: 431, fault: 'client' },
  // The MQTT fleet-provisioning API's codes (reference §4.2): statusCode is the status.
  InvalidPayload: { status: 400, fault: 'client' },
  InvalidCertificateOwnershipToken: { status: 400, fault: 'client' },
  InvalidParameters: { status: 400, fault: 'client' },
  InvalidCertificateSigningRequest: { status: 400, fault: 'client' },
  Forbidden: { status: 403, fault: 'client' },
  ResourceNotFound: { status: 404, fault: 'client' },
  PayloadTooLarge: { status: 413, fault: 'client' },
  Throttled: { status: 429, fault: 'client' },
  InternalFailure: { status: 500, fault: 'server' },
  ServiceUnavailable: { status: 503, fault: 'server' },
} as const;

export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

export class ServiceError extends Error {
  override readonly name = 'ServiceError';

  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** Extra modeled members of the error shape (resourceId, resourceArn, ...). */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return SERVICE_ERRORS[this.code].status;
  }
}

/** A failure no operation chooses: the service broke, its store is down, or it is over its rate. */
export type CommonFailure = 'internal' | 'unavailable' | 'throttled';

/** How one API names its common failures, with the message it gives each. */
export type FailureNames = Readonly<
  Record<CommonFailure, { readonly code: ServiceErrorCode; readonly message: string }>
>;

/** The AWS IoT REST API's (and so the CLI's). */
export const IOT_FAILURES: FailureNames = {
  internal: { code: 'InternalFailureException', message: 'An internal failure occurred.' },
  unavailable: { code: 'ServiceUnavailableException', message: 'Service Unavailable' },
  throttled: { code: 'ThrottlingException', message: 'Rate exceeded' },
};

/** The MQTT fleet-provisioning API's. */
export const FLEET_PROVISIONING_FAILURES: FailureNames = {
  internal: { code: 'InternalFailure', message: 'An internal error occurred.' },
  unavailable: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' },
  throttled: { code: 'Throttled', message: 'Rate exceeded.' },
};

export function commonFailure(names: FailureNames, failure: CommonFailure): ServiceError {
  const { code, message } = names[failure];
  return new ServiceError(code, message);
}

/** Message texts shared by several operations; AWS's own wording where it is known. */
export const serviceErrors = {
  notFound: () => new ServiceError('ResourceNotFoundException', 'The specified resource does not exist'),
  invalidRequest: (message: string) => new ServiceError('InvalidRequestException', message),
  certificateState: (message: string) => new ServiceError('CertificateStateException', message),
  deleteConflict: (message: string) => new ServiceError('DeleteConflictException', message),
  alreadyExists: (message: string, resourceId: string, resourceArn: string) =>
    new ServiceError('ResourceAlreadyExistsException', message, { resourceId, resourceArn }),
  certificateValidation: (message: string) => new ServiceError('CertificateValidationException', message),
  versionConflict: (message: string) => new ServiceError('VersionConflictException', message),
  malformedPolicy: (message: string) => new ServiceError('MalformedPolicyException', message),
  versionsLimitExceeded: (message: string) => new ServiceError('VersionsLimitExceededException', message),
  limitExceeded: (message: string) => new ServiceError('LimitExceededException', message),
  internal: () => commonFailure(IOT_FAILURES, 'internal'),
  throttled: () => commonFailure(IOT_FAILURES, 'throttled'),
  unavailable: () => commonFailure(IOT_FAILURES, 'unavailable'),
};
