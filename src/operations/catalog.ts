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
import { deleteCACertificate } from './ca-certificates/delete-ca-certificate.js';
import { describeCACertificate } from './ca-certificates/describe-ca-certificate.js';
import { listCACertificates } from './ca-certificates/list-ca-certificates.js';
import { registerCACertificate } from './ca-certificates/register-ca-certificate.js';
import { updateCACertificate } from './ca-certificates/update-ca-certificate.js';
import { createCertificateFromCsr } from './certificates/create-certificate-from-csr.js';
import { createKeysAndCertificate } from './certificates/create-keys-and-certificate.js';
import { deleteCertificate } from './certificates/delete-certificate.js';
import { describeCertificate } from './certificates/describe-certificate.js';
import { listCertificates } from './certificates/list-certificates.js';
import { listCertificatesByCA } from './certificates/list-certificates-by-ca.js';
import { registerCertificate } from './certificates/register-certificate.js';
import { registerCertificateWithoutCA } from './certificates/register-certificate-without-ca.js';
import { updateCertificate } from './certificates/update-certificate.js';
import { describeEndpoint } from './endpoint/describe-endpoint.js';
import { getRegistrationCode } from './endpoint/get-registration-code.js';
import { deviceCreateCertificateFromCsr } from './fleet-provisioning/create-certificate-from-csr.js';
import { deviceCreateKeysAndCertificate } from './fleet-provisioning/create-keys-and-certificate.js';
import { registerThing } from './fleet-provisioning/register-thing.js';
import type { Operation } from './operation.js';
import { createProvisioningClaim } from './provisioning/create-provisioning-claim.js';
import { createProvisioningTemplate } from './provisioning/create-provisioning-template.js';
import { deleteProvisioningTemplate } from './provisioning/delete-provisioning-template.js';
import { describeProvisioningTemplate } from './provisioning/describe-provisioning-template.js';
import { listProvisioningTemplates } from './provisioning/list-provisioning-templates.js';
import { updateProvisioningTemplate } from './provisioning/update-provisioning-template.js';
import { attachThingPrincipal } from './things/attach-thing-principal.js';
import { createThing } from './things/create-thing.js';
import { deleteThing } from './things/delete-thing.js';
import { describeThing } from './things/describe-thing.js';
import { detachThingPrincipal } from './things/detach-thing-principal.js';
import { listPrincipalThings } from './things/list-principal-things.js';
import { listThingPrincipals } from './things/list-thing-principals.js';
import { listThings } from './things/list-things.js';

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
