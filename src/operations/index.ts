import { ServiceError, serviceErrors } from '../errors.js';
import type { OperationModel } from '../model/shapes.js';
import { StoreError } from '../registry/store-error.js';
import { attachThingPrincipal } from './attach-thing-principal.js';
import type { OperationContext } from './context.js';
import { createCertificateFromCsr } from './create-certificate-from-csr.js';
import { createKeysAndCertificate } from './create-keys-and-certificate.js';
import { createProvisioningClaim } from './create-provisioning-claim.js';
import { createProvisioningTemplate } from './create-provisioning-template.js';
import { createThing } from './create-thing.js';
import { deleteCACertificate } from './delete-ca-certificate.js';
import { deleteCertificate } from './delete-certificate.js';
import { deleteProvisioningTemplate } from './delete-provisioning-template.js';
import { deleteThing } from './delete-thing.js';
import { describeCACertificate } from './describe-ca-certificate.js';
import { describeCertificate } from './describe-certificate.js';
import { describeEndpoint } from './describe-endpoint.js';
import { describeProvisioningTemplate } from './describe-provisioning-template.js';
import { describeThing } from './describe-thing.js';
import { detachThingPrincipal } from './detach-thing-principal.js';
import { getRegistrationCode } from './get-registration-code.js';
import { listCACertificates } from './list-ca-certificates.js';
import { listCertificates } from './list-certificates.js';
import { listCertificatesByCA } from './list-certificates-by-ca.js';
import { listPrincipalThings } from './list-principal-things.js';
import { listProvisioningTemplates } from './list-provisioning-templates.js';
import { listThingPrincipals } from './list-thing-principals.js';
import { listThings } from './list-things.js';
import { registerCACertificate } from './register-ca-certificate.js';
import { registerCertificate } from './register-certificate.js';
import { registerCertificateWithoutCA } from './register-certificate-without-ca.js';
import { updateCACertificate } from './update-ca-certificate.js';
import { updateCertificate } from './update-certificate.js';
import { updateProvisioningTemplate } from './update-provisioning-template.js';
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
  CreateProvisioningTemplate: createProvisioningTemplate,
  DescribeProvisioningTemplate: describeProvisioningTemplate,
  ListProvisioningTemplates: listProvisioningTemplates,
  UpdateProvisioningTemplate: updateProvisioningTemplate,
  DeleteProvisioningTemplate: deleteProvisioningTemplate,
  CreateProvisioningClaim: createProvisioningClaim,
  CreateThing: createThing,
  DescribeThing: describeThing,
  ListThings: listThings,
  DeleteThing: deleteThing,
  AttachThingPrincipal: attachThingPrincipal,
  DetachThingPrincipal: detachThingPrincipal,
  ListThingPrincipals: listThingPrincipals,
  ListPrincipalThings: listPrincipalThings,
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
