import type { RestOperationModel } from '../model/shapes.js';
import { createAccessKey } from './admin/create-access-key.js';
import { createAccount } from './admin/create-account.js';
import { deleteAccessKey } from './admin/delete-access-key.js';
import { deleteAccount } from './admin/delete-account.js';
import { grantClaim } from './admin/grant-claim.js';
import { listAccessKeys } from './admin/list-access-keys.js';
import { listAccounts } from './admin/list-accounts.js';
import { listClaims } from './admin/list-claims.js';
import { revokeClaim } from './admin/revoke-claim.js';
import { attachThingPrincipal } from './attach-thing-principal.js';
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
import { deviceCreateCertificateFromCsr } from './device-create-certificate-from-csr.js';
import { deviceCreateKeysAndCertificate } from './device-create-keys-and-certificate.js';
import { getRegistrationCode } from './get-registration-code.js';
import { listCACertificates } from './list-ca-certificates.js';
import { listCertificates } from './list-certificates.js';
import { listCertificatesByCA } from './list-certificates-by-ca.js';
import { listPrincipalThings } from './list-principal-things.js';
import { listProvisioningTemplates } from './list-provisioning-templates.js';
import { listThingPrincipals } from './list-thing-principals.js';
import { listThings } from './list-things.js';
import type { Operation } from './operation.js';
import { registerCACertificate } from './register-ca-certificate.js';
import { registerCertificate } from './register-certificate.js';
import { registerCertificateWithoutCA } from './register-certificate-without-ca.js';
import { registerThing } from './register-thing.js';
import { updateCACertificate } from './update-ca-certificate.js';
import { updateCertificate } from './update-certificate.js';
import { updateProvisioningTemplate } from './update-provisioning-template.js';

/** The AWS IoT API (rest-json): routed by the REST door, and `fleetca iot` in the CLI. */
export const IOT_OPERATIONS: readonly Operation<never, unknown, RestOperationModel>[] = [
  createKeysAndCertificate,
  createCertificateFromCsr,
  describeCertificate,
  listCertificates,
  updateCertificate,
  deleteCertificate,
  listCertificatesByCA,
  registerCertificate,
  registerCertificateWithoutCA,
  registerCACertificate,
  describeCACertificate,
  listCACertificates,
  updateCACertificate,
  deleteCACertificate,
  getRegistrationCode,
  describeEndpoint,
  createProvisioningTemplate,
  describeProvisioningTemplate,
  listProvisioningTemplates,
  updateProvisioningTemplate,
  deleteProvisioningTemplate,
  createProvisioningClaim,
  createThing,
  describeThing,
  listThings,
  deleteThing,
  attachThingPrincipal,
  detachThingPrincipal,
  listThingPrincipals,
  listPrincipalThings,
];

/** fleetca's own administration (`fleetca admin`): accounts, access keys, long-lived provisioning claims. */
export const ADMIN_OPERATIONS: readonly Operation[] = [
  createAccount,
  createAccessKey,
  listAccounts,
  listAccessKeys,
  deleteAccessKey,
  deleteAccount,
  grantClaim,
  revokeClaim,
  listClaims,
];

/** The MQTT fleet-provisioning API (model/fleet-provisioning.ts): the device door's request topics. */
export const DEVICE_OPERATIONS: readonly Operation[] = [
  deviceCreateKeysAndCertificate,
  deviceCreateCertificateFromCsr,
  registerThing,
];

/** Every operation of every door; `invokeOperation` finds an operation by its model. */
export const ALL_OPERATIONS: readonly Operation[] = [...IOT_OPERATIONS, ...DEVICE_OPERATIONS, ...ADMIN_OPERATIONS];
