import { ServiceError, serviceErrors } from '../errors.js';
import type { OperationModel } from '../model/shapes.js';
import type { OperationContext } from './context.js';
import { createCertificateFromCsr } from './create-certificate-from-csr.js';
import { createKeysAndCertificate } from './create-keys-and-certificate.js';
import { deleteCertificate } from './delete-certificate.js';
import { describeCertificate } from './describe-certificate.js';
import { listCertificates } from './list-certificates.js';
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
    onInternalError(err);
    throw serviceErrors.internal();
  }
}
