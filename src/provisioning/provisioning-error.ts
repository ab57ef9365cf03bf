/**
 * A refused fleet-provisioning request, answered on the `/rejected` topic as
 * `{statusCode, errorCode, errorMessage}` (reference §4.2). The connection stays usable.
 */
export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const provisioningErrors = {
  invalidPayload: (message: string) => new ProvisioningError(400, 'InvalidPayload', message),
  invalidToken: (message: string) => new ProvisioningError(400, 'InvalidCertificateOwnershipToken', message),
  invalidParameters: (message: string) => new ProvisioningError(400, 'InvalidParameters', message),
  invalidCsr: (message: string) => new ProvisioningError(400, 'InvalidCertificateSigningRequest', message),
  templateNotFound: (name: string) =>
    new ProvisioningError(404, 'ResourceNotFound', `Provisioning template ${name} does not exist.`),
  forbidden: (message: string) => new ProvisioningError(403, 'Forbidden', message),
  throttled: () => new ProvisioningError(429, 'Throttled', 'Rate exceeded.'),
  unavailable: () => new ProvisioningError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.'),
  internal: () => new ProvisioningError(500, 'InternalFailure', 'An internal error occurred.'),
};
