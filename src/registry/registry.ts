import type { AccountStore } from './account-store.js';
import type { CaCertificateStore } from './ca-certificate-store.js';
import type { EventStore } from './event-store.js';
import type { OwnershipTokenStore } from './ownership-token-store.js';
import type { PolicyStore } from './policy-store.js';
import type { ProvisioningClaimStore } from './provisioning-claim-store.js';
import type { ProvisioningStore } from './provisioning-store.js';
import type { ProvisioningTemplateStore } from './provisioning-template-store.js';
import type { RegistryChanges } from './registry-changes.js';
import type { RevocationStore } from './revocation-store.js';
import type { ScopeIdentifierStore } from './scope-identifier-store.js';
import type { CertificateStore } from './store.js';
import type { ThingStore } from './thing-store.js';

/**
 * Everything fleetca keeps, one store per aggregate, all on one engine (SQLite or PostgreSQL). Each
 * store is an interface its engine adapter implements and the conformance suite checks.
 */
export interface Registry {
  readonly certificates: CertificateStore;
  /** Accounts and the access keys `fleetca serve` verifies SigV4 requests with. */
  readonly accounts: AccountStore;
  /** Registered CA certificates (RegisterCACertificate and the operations around it). */
  readonly caCertificates: CaCertificateStore;
  /** Per account and region identifiers made on first use: registration code, endpoint prefix. */
  readonly scopeIdentifiers: ScopeIdentifierStore;
  /** Ownership tokens of certificates created over MQTT (fleet provisioning). */
  readonly ownershipTokens: OwnershipTokenStore;
  /** Fleet-provisioning templates (CreateProvisioningTemplate ...). */
  readonly provisioningTemplates: ProvisioningTemplateStore;
  /** Certificates that may use a template's provisioning topics: temporary claims and long-lived grants. */
  readonly provisioningClaims: ProvisioningClaimStore;
  /** The thing registry and the things' certificates (CreateThing, AttachThingPrincipal ...). */
  readonly things: ThingStore;
  /** AWS IoT policies, their versions and their attachments to certificates (CreatePolicy, AttachPolicy ...). */
  readonly policies: PolicyStore;
  /** RegisterThing's unit of work: token redeemed, thing, attachments and status in one transaction. */
  readonly provisioning: ProvisioningStore;
  /** Which events each account and region publishes (UpdateEventConfigurations), and the events' way to every process. */
  readonly events: EventStore;
  /** What CRLs and OCSP read: the certificates fleetca issued by issuer and serial, tombstones, CRL numbers. */
  readonly revocation: RevocationStore;
  /** Changes committed by any process on this registry when opened watching (`watchChanges`), else by this one. */
  readonly changes: RegistryChanges;
  /** A cheap read that proves the engine answers (readiness checks); rejects when it does not. */
  ping(): Promise<void>;
  /** Closes the engine connection(s) the stores share. */
  close(): Promise<void>;
}
