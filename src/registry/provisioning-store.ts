import type { CertificateRecord } from '../domain/certificates/certificate-record.js';
import type { ThingToProvision } from '../domain/provisioning/provisioned-thing.js';
import type { RegistrationRefusal, RegistrationRules } from '../domain/provisioning/registration-rules.js';
import type { Scope } from '../domain/scope.js';

/** Everything one RegisterThing writes, applied as one transaction or not at all. */
export interface Registration {
  readonly certificateId: string;
  readonly now: number;
  /**
   * Just-in-time provisioning: the certificate is registered by this same transaction (inserted first, with this
   * record, whose id is `certificateId`), and no ownership token is involved. An existing row refuses the whole
   * registration with 'certificate-exists': another connection of the same device registered it first.
   */
  readonly newCertificate?: CertificateRecord;
  readonly thing?: ThingToProvision;
  /** The certificate's new status, when the template has an AWS::IoT::Certificate resource. */
  readonly certificateStatus?: 'ACTIVE' | 'INACTIVE';
  /** The template's AWS::IoT::Policy resources, attached to the certificate in this order. */
  readonly policies: readonly ProvisionedPolicy[];
}

/**
 * A policy a registration attaches. With a document (given inline) it is created under `name` as version 1, the
 * default, unless a policy of that name exists, which is then attached as it is (inline names are derived from the
 * document, so the same name means the same document). Without one it must exist, or the registration is refused
 * ('policy-missing').
 */
export interface ProvisionedPolicy {
  readonly name: string;
  readonly document?: string;
}

export type RegistrationOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly refusal: RegistrationRefusal };

/**
 * RegisterThing's unit of work, and just-in-time provisioning's (`newCertificate`). In one transaction: register the
 * certificate (JITP) or redeem the certificate's ownership token (single use, and only
 * before it expires), create or update the thing per its override settings, attach the certificate to it and
 * the policies to the certificate (creating inline ones), and set the certificate's status (announcing each change as the operations that make it alone do).
 */
export interface ProvisioningStore {
  register(scope: Scope, registration: Registration, rules: RegistrationRules): Promise<RegistrationOutcome>;
}
