import { ServiceError, serviceErrors } from '../errors.js';
import type { OperationModel } from '../model/shapes.js';
import { StoreError } from '../registry/store-error.js';
import type { OperationContext } from './context.js';
import { createCertificateFromCsr } from './create-certificate-from-csr.js';
import { createKeysAndCertificate } from './create-keys-and-certificate.js';
import { deleteCACertificate } from './delete-ca-certificate.js';
import { deleteCertificate } from './delete-certificate.js';
import { describeCACertificate } from './describe-ca-certificate.js';
import { describeCertificate } from './describe-certificate.js';
import { describeEndpoint } from './describe-endpoint.js';
import { getRegistrationCode } from './get-registration-code.js';
import { listCACertificates } from './list-ca-certificates.js';
import { listCertificates } from './list-certificates.js';
import { listCertificatesByCA } from './list-certificates-by-ca.js';
import { registerCACertificate } from './register-ca-certificate.js';
import { registerCertificate } from './register-certificate.js';
import { registerCertificateWithoutCA } from './register-certificate-without-ca.js';
import { updateCACertificate } from './update-ca-certificate.js';
import { updateCertificate } from './update-certificate.js';
import { validateInput } from './validate-input.js';

// Inputs reach a handler only after validateInput has checked them against the same model.
// biome-ignore lint/suspicious/noExplicitAny: the table erases each handler's own input type
type Handler = (input: any, ctx: OperationContext) => Promise<unknown>;

const HANDLERS: Readonly<Record<string, Handler>> = {
  CreateKeysAndCertificate: createKeysAndCertificate,
  CreateCertificateFromCsr: createCertificateFromCsr,
  DescribeCertificate: describeCertificate,
  ListCertificates: listCertificates,
  UpdateCertificate: updateCertificate,
  DeleteCertificate: deleteCertificate,
  ListCertificatesByCA: listCertificatesByCA,
  RegisterCertificate: registerCertificate,
  RegisterCertificateWithoutCA: registerCertificateWithoutCA,
  RegisterCACertificate: registerCACertificate,
  DescribeCACertificate: describeCACertificate,
  ListCACertificates: listCACertificates,
  UpdateCACertificate: updateCACertificate,
  DeleteCACertificate: deleteCACertificate,
  GetRegistrationCode: getRegistrationCode,
  DescribeEndpoint: describeEndpoint,
};

/**
 * The single entry every door uses: validate against the model, run the operation, and turn
 * anything that is not a ServiceError into InternalFailureException so no door leaks internals.
 */
export async function invokeOperation(
  model: OperationModel,
  input: Readonly<Record<string, unknown>>,
  ctx: OperationContext,
  onInternalError: (err: unknown) => void = () => {},
): Promise<Record<string, unknown>> {
  const handler = HANDLERS[model.name];
  if (!handler) throw serviceErrors.invalidRequest(`Operation ${model.name} is not supported.`);
  validateInput(model.input, input);
  try {
    return ((await handler(input, ctx)) ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    if (isStoreUnavailable(err)) throw serviceErrors.unavailable();
    onInternalError(err);
    throw serviceErrors.internal();
  }
}

/** The database is down or restarting: a transient 503 the client may retry, not an internal failure. */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'UNAVAILABLE';
}
