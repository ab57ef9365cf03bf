import {
  CreateAccessKey,
  CreateAccount,
  DeleteAccessKey,
  DeleteAccount,
  ExplainAuthorization,
  GrantClaim,
  ListAccessKeys,
  ListAccounts,
  ListClaims,
  RevokeCertificate,
  RevokeClaim,
} from '../model/admin.js';
import {
  DeleteCACertificate,
  DescribeCACertificate,
  ListCACertificates,
  RegisterCACertificate,
  UpdateCACertificate,
} from '../model/ca-certificates.js';
import {
  CreateCertificateFromCsr,
  CreateKeysAndCertificate,
  DeleteCertificate,
  DescribeCertificate,
  ListCertificates,
  ListCertificatesByCA,
  RegisterCertificate,
  RegisterCertificateWithoutCA,
  UpdateCertificate,
} from '../model/certificates.js';
import { DescribeEndpoint, GetRegistrationCode } from '../model/endpoint.js';
import { DescribeEventConfigurations, UpdateEventConfigurations } from '../model/events.js';
import { GetCertificateStatistics, SearchCertificates } from '../model/fleet.js';
import { DescribeCertificateChain, ListDeviceConnections } from '../model/fleet-devices.js';
import {
  DeviceCreateCertificateFromCsr,
  DeviceCreateKeysAndCertificate,
  DeviceRegisterThing,
} from '../model/fleet-provisioning.js';
import {
  CreatePolicy,
  CreatePolicyVersion,
  DeletePolicy,
  DeletePolicyVersion,
  GetPolicy,
  GetPolicyVersion,
  ListPolicies,
  ListPolicyVersions,
  SetDefaultPolicyVersion,
} from '../model/policies.js';
import {
  AttachPolicy,
  AttachPrincipalPolicy,
  DetachPolicy,
  DetachPrincipalPolicy,
  ListAttachedPolicies,
  ListPolicyPrincipals,
  ListPrincipalPolicies,
  ListTargetsForPolicy,
} from '../model/policy-attachments.js';
import { GetEffectivePolicies, TestAuthorization } from '../model/policy-authorization.js';
import {
  CreateProvisioningClaim,
  CreateProvisioningTemplate,
  DeleteProvisioningTemplate,
  DescribeProvisioningTemplate,
  ListProvisioningTemplates,
  UpdateProvisioningTemplate,
} from '../model/provisioning.js';
import type { OperationModel, RestOperationModel } from '../model/shapes.js';
import {
  AttachThingPrincipal,
  CreateThing,
  DeleteThing,
  DescribeThing,
  DetachThingPrincipal,
  ListPrincipalThings,
  ListThingPrincipals,
  ListThings,
} from '../model/things.js';
import type { Operation } from './operation.js';

/**
 * One line of the catalog: an operation's model, and where its declaration (run, CLI additions) is. The model is
 * data every door needs up front — the REST door's routes, the CLI's command and argument tables, `fleetca iot
 * help` — while `run` pulls in what the operation works with (ca/, registry/, provisioning/). So the declaration
 * is imported on first use: a one-shot `fleetca iot describe-certificate` loads one operation's code, not all of
 * them. The declaration stays the one unit (`defineOperation` in its own file); `load` checks that it declares
 * the model its catalog line names.
 */
export interface CatalogEntry<M extends OperationModel = OperationModel> {
  readonly model: M;
  /** The operation's declaration, imported once (later calls share the first import). */
  load(): Promise<Operation<never, unknown, M>>;
}

function lazyOperation<M extends OperationModel>(
  model: M,
  importDeclaration: () => Promise<Operation<never, unknown, M>>,
): CatalogEntry<M> {
  let loaded: Promise<Operation<never, unknown, M>> | undefined;
  const load = async () => {
    const operation = await importDeclaration();
    if (operation.model !== model) {
      throw new Error(`catalog: the line of ${model.name} imports the declaration of ${operation.model.name}`);
    }
    return operation;
  };
  return { model, load: () => (loaded ??= load()) };
}

/** The AWS IoT API (rest-json): routed by the REST door, and `fleetca iot` in the CLI. */
export const IOT_OPERATIONS: readonly CatalogEntry<RestOperationModel>[] = [
  lazyOperation(
    CreateKeysAndCertificate,
    async () => (await import('./certificates/create-keys-and-certificate.js')).createKeysAndCertificate,
  ),
  lazyOperation(
    CreateCertificateFromCsr,
    async () => (await import('./certificates/create-certificate-from-csr.js')).createCertificateFromCsr,
  ),
  lazyOperation(
    DescribeCertificate,
    async () => (await import('./certificates/describe-certificate.js')).describeCertificate,
  ),
  lazyOperation(ListCertificates, async () => (await import('./certificates/list-certificates.js')).listCertificates),
  lazyOperation(
    UpdateCertificate,
    async () => (await import('./certificates/update-certificate.js')).updateCertificate,
  ),
  lazyOperation(
    DeleteCertificate,
    async () => (await import('./certificates/delete-certificate.js')).deleteCertificate,
  ),
  lazyOperation(
    ListCertificatesByCA,
    async () => (await import('./certificates/list-certificates-by-ca.js')).listCertificatesByCA,
  ),
  lazyOperation(
    RegisterCertificate,
    async () => (await import('./certificates/register-certificate.js')).registerCertificate,
  ),
  lazyOperation(
    RegisterCertificateWithoutCA,
    async () => (await import('./certificates/register-certificate-without-ca.js')).registerCertificateWithoutCA,
  ),
  lazyOperation(
    RegisterCACertificate,
    async () => (await import('./ca-certificates/register-ca-certificate.js')).registerCACertificate,
  ),
  lazyOperation(
    DescribeCACertificate,
    async () => (await import('./ca-certificates/describe-ca-certificate.js')).describeCACertificate,
  ),
  lazyOperation(
    ListCACertificates,
    async () => (await import('./ca-certificates/list-ca-certificates.js')).listCACertificates,
  ),
  lazyOperation(
    UpdateCACertificate,
    async () => (await import('./ca-certificates/update-ca-certificate.js')).updateCACertificate,
  ),
  lazyOperation(
    DeleteCACertificate,
    async () => (await import('./ca-certificates/delete-ca-certificate.js')).deleteCACertificate,
  ),
  lazyOperation(
    GetRegistrationCode,
    async () => (await import('./endpoint/get-registration-code.js')).getRegistrationCode,
  ),
  lazyOperation(DescribeEndpoint, async () => (await import('./endpoint/describe-endpoint.js')).describeEndpoint),
  lazyOperation(
    DescribeEventConfigurations,
    async () => (await import('./events/describe-event-configurations.js')).describeEventConfigurations,
  ),
  lazyOperation(
    UpdateEventConfigurations,
    async () => (await import('./events/update-event-configurations.js')).updateEventConfigurations,
  ),
  lazyOperation(
    CreateProvisioningTemplate,
    async () => (await import('./provisioning/create-provisioning-template.js')).createProvisioningTemplate,
  ),
  lazyOperation(
    DescribeProvisioningTemplate,
    async () => (await import('./provisioning/describe-provisioning-template.js')).describeProvisioningTemplate,
  ),
  lazyOperation(
    ListProvisioningTemplates,
    async () => (await import('./provisioning/list-provisioning-templates.js')).listProvisioningTemplates,
  ),
  lazyOperation(
    UpdateProvisioningTemplate,
    async () => (await import('./provisioning/update-provisioning-template.js')).updateProvisioningTemplate,
  ),
  lazyOperation(
    DeleteProvisioningTemplate,
    async () => (await import('./provisioning/delete-provisioning-template.js')).deleteProvisioningTemplate,
  ),
  lazyOperation(
    CreateProvisioningClaim,
    async () => (await import('./provisioning/create-provisioning-claim.js')).createProvisioningClaim,
  ),
  lazyOperation(CreateThing, async () => (await import('./things/create-thing.js')).createThing),
  lazyOperation(DescribeThing, async () => (await import('./things/describe-thing.js')).describeThing),
  lazyOperation(ListThings, async () => (await import('./things/list-things.js')).listThings),
  lazyOperation(DeleteThing, async () => (await import('./things/delete-thing.js')).deleteThing),
  lazyOperation(
    AttachThingPrincipal,
    async () => (await import('./things/attach-thing-principal.js')).attachThingPrincipal,
  ),
  lazyOperation(
    DetachThingPrincipal,
    async () => (await import('./things/detach-thing-principal.js')).detachThingPrincipal,
  ),
  lazyOperation(
    ListThingPrincipals,
    async () => (await import('./things/list-thing-principals.js')).listThingPrincipals,
  ),
  lazyOperation(
    ListPrincipalThings,
    async () => (await import('./things/list-principal-things.js')).listPrincipalThings,
  ),
  lazyOperation(CreatePolicy, async () => (await import('./policies/create-policy.js')).createPolicy),
  lazyOperation(GetPolicy, async () => (await import('./policies/get-policy.js')).getPolicy),
  lazyOperation(ListPolicies, async () => (await import('./policies/list-policies.js')).listPolicies),
  lazyOperation(DeletePolicy, async () => (await import('./policies/delete-policy.js')).deletePolicy),
  lazyOperation(
    CreatePolicyVersion,
    async () => (await import('./policies/create-policy-version.js')).createPolicyVersion,
  ),
  lazyOperation(GetPolicyVersion, async () => (await import('./policies/get-policy-version.js')).getPolicyVersion),
  lazyOperation(
    ListPolicyVersions,
    async () => (await import('./policies/list-policy-versions.js')).listPolicyVersions,
  ),
  lazyOperation(
    DeletePolicyVersion,
    async () => (await import('./policies/delete-policy-version.js')).deletePolicyVersion,
  ),
  lazyOperation(
    SetDefaultPolicyVersion,
    async () => (await import('./policies/set-default-policy-version.js')).setDefaultPolicyVersion,
  ),
  lazyOperation(AttachPolicy, async () => (await import('./policies/attach-policy.js')).attachPolicy),
  lazyOperation(DetachPolicy, async () => (await import('./policies/detach-policy.js')).detachPolicy),
  lazyOperation(
    ListAttachedPolicies,
    async () => (await import('./policies/list-attached-policies.js')).listAttachedPolicies,
  ),
  lazyOperation(
    ListTargetsForPolicy,
    async () => (await import('./policies/list-targets-for-policy.js')).listTargetsForPolicy,
  ),
  lazyOperation(
    GetEffectivePolicies,
    async () => (await import('./policies/get-effective-policies.js')).getEffectivePolicies,
  ),
  lazyOperation(TestAuthorization, async () => (await import('./policies/test-authorization.js')).testAuthorization),
  lazyOperation(
    AttachPrincipalPolicy,
    async () => (await import('./policies/attach-principal-policy.js')).attachPrincipalPolicy,
  ),
  lazyOperation(
    DetachPrincipalPolicy,
    async () => (await import('./policies/detach-principal-policy.js')).detachPrincipalPolicy,
  ),
  lazyOperation(
    ListPrincipalPolicies,
    async () => (await import('./policies/list-principal-policies.js')).listPrincipalPolicies,
  ),
  lazyOperation(
    ListPolicyPrincipals,
    async () => (await import('./policies/list-policy-principals.js')).listPolicyPrincipals,
  ),
];

/** fleetca's own API (rest-json under /fleetca/, signed as the IoT API): routed by the REST door, `fleetca fleet`. */
export const FLEET_OPERATIONS: readonly CatalogEntry<RestOperationModel>[] = [
  lazyOperation(SearchCertificates, async () => (await import('./fleet/search-certificates.js')).searchCertificates),
  lazyOperation(
    GetCertificateStatistics,
    async () => (await import('./fleet/get-certificate-statistics.js')).getCertificateStatistics,
  ),
  lazyOperation(
    ListDeviceConnections,
    async () => (await import('./fleet/list-device-connections.js')).listDeviceConnections,
  ),
  lazyOperation(
    DescribeCertificateChain,
    async () => (await import('./fleet/describe-certificate-chain.js')).describeCertificateChain,
  ),
];

/** fleetca's own administration (`fleetca admin`): accounts, access keys, long-lived provisioning claims. */
export const ADMIN_OPERATIONS: readonly CatalogEntry[] = [
  lazyOperation(CreateAccount, async () => (await import('./admin/create-account.js')).createAccount),
  lazyOperation(CreateAccessKey, async () => (await import('./admin/create-access-key.js')).createAccessKey),
  lazyOperation(ListAccounts, async () => (await import('./admin/list-accounts.js')).listAccounts),
  lazyOperation(ListAccessKeys, async () => (await import('./admin/list-access-keys.js')).listAccessKeys),
  lazyOperation(DeleteAccessKey, async () => (await import('./admin/delete-access-key.js')).deleteAccessKey),
  lazyOperation(DeleteAccount, async () => (await import('./admin/delete-account.js')).deleteAccount),
  lazyOperation(GrantClaim, async () => (await import('./admin/grant-claim.js')).grantClaim),
  lazyOperation(RevokeClaim, async () => (await import('./admin/revoke-claim.js')).revokeClaim),
  lazyOperation(ListClaims, async () => (await import('./admin/list-claims.js')).listClaims),
  lazyOperation(RevokeCertificate, async () => (await import('./admin/revoke-certificate.js')).revokeCertificate),
  lazyOperation(
    ExplainAuthorization,
    async () => (await import('./admin/explain-authorization.js')).explainAuthorization,
  ),
];

/** The MQTT fleet-provisioning API (model/fleet-provisioning.ts): the device door's request topics. */
export const DEVICE_OPERATIONS: readonly CatalogEntry[] = [
  lazyOperation(
    DeviceCreateKeysAndCertificate,
    async () => (await import('./fleet-provisioning/create-keys-and-certificate.js')).deviceCreateKeysAndCertificate,
  ),
  lazyOperation(
    DeviceCreateCertificateFromCsr,
    async () => (await import('./fleet-provisioning/create-certificate-from-csr.js')).deviceCreateCertificateFromCsr,
  ),
  lazyOperation(
    DeviceRegisterThing,
    async () => (await import('./fleet-provisioning/register-thing.js')).registerThing,
  ),
];

/** Every operation of every door; `invokeOperation` finds an operation by its model. */
export const ALL_OPERATIONS: readonly CatalogEntry[] = [
  ...IOT_OPERATIONS,
  ...FLEET_OPERATIONS,
  ...DEVICE_OPERATIONS,
  ...ADMIN_OPERATIONS,
];
