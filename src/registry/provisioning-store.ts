import type { ThingToProvision } from '../domain/provisioning/provisioned-thing.js';
import type { RegistrationRefusal, RegistrationRules } from '../domain/provisioning/registration-rules.js';
import type { Scope } from '../domain/scope.js';

/** Everything one RegisterThing writes, applied as one transaction or not at all. */
export interface Registration {
  readonly certificateId: string;
  readonly now: number;
  readonly thing?: ThingToProvision;
  /** The certificate's new status, when the template has an AWS::IoT::Certificate resource. */
  readonly certificateStatus?: 'ACTIVE' | 'INACTIVE';
  /** Policies attached to the certificate by name (AWS::IoT::Policy). */
  readonly policyNames: readonly string[];
}

export type RegistrationOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly refusal: RegistrationRefusal };

/**
 * RegisterThing's unit of work. In one transaction: redeem the certificate's ownership token (single use, and only
 * before it expires), create or update the thing per its override settings, attach the certificate to it and
 * the policies to the certificate, and set the certificate's status (announcing the change like UpdateCertificate).
 */
export interface ProvisioningStore {
  register(scope: Scope, registration: Registration, rules: RegistrationRules): Promise<RegistrationOutcome>;
}
