import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { ThingPlan } from '../domain/provisioning/provisioned-thing.js';
import type { CertificateRecord, Scope, StatusChange } from './certificate-record.js';
import type { ThingRecord } from './thing-record.js';

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

/** A certificate's ownership token as its registration reads it. */
export interface OwnershipTokenState {
  readonly expiresAt: number;
  readonly redeemed: boolean;
}

/**
 * The decisions a registration runs inside its transaction, on the rows it read (src/domain/provisioning/
 * registration-rules.ts): the store applies what they decide and decides nothing itself.
 */
export interface RegistrationRules {
  /** Whether the ownership token (undefined when there is none) may be redeemed at `now`: why not, or undefined. */
  tokenRefusal(token: OwnershipTokenState | undefined, now: number): RegistrationRefusal | undefined;
  /** What to do to the thing the registration names, given the one stored under its name. */
  planThing(scope: Scope, stored: ThingRecord | undefined, asked: ThingToProvision, now: number): ThingPlan;
  /** The certificate's status change (undefined for none), or a throw to refuse and roll everything back. */
  statusChange(current: CertificateRecord, newStatus: CertificateStatus, now: number): StatusChange | undefined;
}

/**
 * RegisterThing's unit of work. In one transaction: redeem the certificate's ownership token (single use, and only
 * before it expires), create or update the thing per its override settings, attach the certificate to it and
 * the policies to the certificate, and set the certificate's status (announcing the change like UpdateCertificate).
 */
export interface ProvisioningStore {
  register(scope: Scope, registration: Registration, rules: RegistrationRules): Promise<RegistrationOutcome>;
}
