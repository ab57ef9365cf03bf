import type { DevicePrincipal } from '../../domain/devices/device-principal.js';
import { ServiceError } from '../../errors.js';
import type { OperationContext } from '../../operations/context.js';
import { isStoreUnavailable } from '../../operations/index.js';
import {
  createCertificateFromCsrForDevice,
  createKeysAndCertificateForDevice,
} from '../../provisioning/device-certificates.js';
import type { OwnershipTokens } from '../../provisioning/ownership-token.js';
import { ProvisioningError, provisioningErrors } from '../../provisioning/provisioning-error.js';
import type { Scope } from '../../registry/certificate-record.js';
import type { Logger } from '../http/logger.js';
import { decodeRequest } from './provisioning-payload.js';
import type { ProvisioningRequest } from './provisioning-topics.js';

/** RegisterThing as the device endpoint calls it (src/provisioning/register-thing.ts). */
export type RegisterThing = (
  ctx: OperationContext,
  request: {
    readonly templateName: string;
    readonly token: string;
    readonly parameters: Readonly<Record<string, string>>;
  },
) => Promise<{ readonly deviceConfiguration: Readonly<Record<string, string>>; readonly thingName?: string }>;

export interface ProvisioningDependencies {
  readonly context: (scope: Scope) => OperationContext;
  readonly tokens: OwnershipTokens;
  readonly registerThing: RegisterThing;
  readonly logger: Logger;
}

export type ProvisioningAnswer =
  | { readonly outcome: 'accepted'; readonly body: object }
  | { readonly outcome: 'rejected'; readonly body: { statusCode: number; errorCode: string; errorMessage: string } };

/** Longest CSR accepted, as CreateCertificateFromCsr's certificateSigningRequest over REST. */
const MAX_CSR_CHARS = 4096;
const MAX_PARAMETERS = 100;
const MAX_PARAMETER_CHARS = 2048;

/**
 * Runs one fleet-provisioning request for the principal that published it and says what to answer. Every
 * failure becomes a rejected answer in the documented shape; nothing here closes the connection.
 */
export async function answerProvisioningRequest(
  deps: ProvisioningDependencies,
  principal: DevicePrincipal,
  request: ProvisioningRequest,
  payload: Buffer,
): Promise<ProvisioningAnswer> {
  try {
    const input = decodeRequest(request.format, payload);
    const ctx = deps.context(principal.scope);
    switch (request.operation) {
      case 'CreateKeysAndCertificate':
        return accepted(await createKeysAndCertificateForDevice(ctx, deps.tokens));
      case 'CreateCertificateFromCsr':
        return accepted(await createCertificateFromCsrForDevice(ctx, deps.tokens, csrOf(input)));
      case 'RegisterThing':
        return accepted(
          await deps.registerThing(ctx, {
            templateName: request.templateName,
            token: tokenOf(input),
            parameters: parametersOf(input),
          }),
        );
    }
  } catch (err) {
    if (err instanceof ProvisioningError) return rejected(err);
    // A registry rule refusing (e.g. a REVOKED certificate cannot be activated) answers as the REST door would.
    if (err instanceof ServiceError) return rejected(new ProvisioningError(err.status, err.code, err.message));
    if (isStoreUnavailable(err)) return rejected(provisioningErrors.unavailable());
    deps.logger.error({ err, operation: request.operation }, 'provisioning request failed');
    return rejected(provisioningErrors.internal());
  }
}

function accepted(body: object): ProvisioningAnswer {
  return { outcome: 'accepted', body };
}

function rejected(err: ProvisioningError): ProvisioningAnswer {
  return {
    outcome: 'rejected',
    body: { statusCode: err.statusCode, errorCode: err.errorCode, errorMessage: err.message },
  };
}

function csrOf(input: Record<string, unknown>): string {
  const csr = input.certificateSigningRequest;
  if (typeof csr !== 'string' || csr === '') {
    throw provisioningErrors.invalidCsr('certificateSigningRequest must be a non-empty string.');
  }
  if (csr.length > MAX_CSR_CHARS) {
    throw provisioningErrors.invalidCsr(`certificateSigningRequest is longer than ${MAX_CSR_CHARS} characters.`);
  }
  return csr;
}

function tokenOf(input: Record<string, unknown>): string {
  const token = input.certificateOwnershipToken;
  if (token === undefined || token === '') {
    throw provisioningErrors.invalidToken('Certificate ownership token cannot be empty.');
  }
  if (typeof token !== 'string') throw provisioningErrors.invalidToken('Certificate ownership token must be a string.');
  return token;
}

function parametersOf(input: Record<string, unknown>): Record<string, string> {
  const given = input.parameters;
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given) || given instanceof Uint8Array) {
    throw provisioningErrors.invalidParameters('parameters must be a map of strings.');
  }
  const entries = Object.entries(given);
  if (entries.length > MAX_PARAMETERS) {
    throw provisioningErrors.invalidParameters(`At most ${MAX_PARAMETERS} parameters are accepted.`);
  }
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of entries) {
    if (typeof value !== 'string')
      throw provisioningErrors.invalidParameters(`Parameter ${name.slice(0, 128)} must be a string.`);
    if (value.length > MAX_PARAMETER_CHARS || name.length > MAX_PARAMETER_CHARS) {
      throw provisioningErrors.invalidParameters(`Parameter ${name.slice(0, 128)} is too long.`);
    }
    parameters[name] = value;
  }
  return parameters;
}
