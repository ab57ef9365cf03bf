import type { Scope } from './certificate-record.js';

/** The thing RegisterThing's template asks for, resolved (src/provisioning/template). */
export interface ThingToProvision {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly thingTypeName?: string;
  /** What to do with an existing thing's attributes: keep them (DO_NOTHING), REPLACE, MERGE, or FAIL. */
  readonly attributesOverride: 'DO_NOTHING' | 'REPLACE' | 'MERGE' | 'FAIL';
  readonly thingTypeOverride: 'DO_NOTHING' | 'REPLACE' | 'FAIL';
}

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

/** Why a registration was not applied; nothing was written. */
export type RegistrationRefusal =
  | 'token-unknown'
  | 'token-redeemed'
  | 'token-expired'
  | 'certificate-missing'
  | 'thing-exists'
  | 'thing-type-conflict';

export type RegistrationOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly refusal: RegistrationRefusal };

/**
 * RegisterThing's unit of work. In one transaction: redeem the certificate's ownership token (single use, and only
 * before it expires), create or update the thing per its override settings, attach the certificate to it and
 * the policies to the certificate, and set the certificate's status (announcing the change like UpdateCertificate).
 */
export interface ProvisioningStore {
  register(scope: Scope, registration: Registration): Promise<RegistrationOutcome>;
}
