import type { StatusChange } from '../certificates/certificate-lifecycle.js';
import { statusUpdateRule } from '../certificates/certificate-lifecycle.js';
import type { CertificateRecord } from '../certificates/certificate-record.js';
import type { CertificateStatus } from '../certificates/certificate-status.js';
import type { Scope } from '../scope.js';
import type { ThingRecord } from '../things/thing-record.js';
import type { ThingPlan, ThingToProvision } from './provisioned-thing.js';
import { planThing } from './provisioned-thing.js';

/** Why a registration was not applied; nothing was written. */
export type RegistrationRefusal =
  | 'token-unknown'
  | 'token-redeemed'
  | 'token-expired'
  | 'certificate-missing'
  /** Just-in-time provisioning found the certificate already registered (by a concurrent first connection). */
  | 'certificate-exists'
  | 'thing-exists'
  | 'thing-type-conflict'
  /** The template attaches a policy by name that does not exist. */
  | 'policy-missing';

/** A certificate's ownership token as its registration reads it. */
export interface OwnershipTokenState {
  readonly expiresAt: number;
  readonly redeemed: boolean;
}

/**
 * The decisions a registration runs inside its transaction, on the rows it read (`registrationRules` below):
 * the store applies what they decide and decides nothing itself.
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
 * RegisterThing's rules, handed to ProvisioningStore.register: the ownership token is single use and only
 * good before it expires, the thing follows the template's override settings (provisioned-thing.ts), and the
 * certificate's status changes as UpdateCertificate would change it (no change, nor version bump, when it
 * already has the status asked for; a REVOKED or PENDING_TRANSFER certificate refused with its error).
 */
export const registrationRules: RegistrationRules = {
  tokenRefusal(token, now) {
    if (token === undefined) return 'token-unknown';
    if (token.redeemed) return 'token-redeemed';
    if (token.expiresAt <= now) return 'token-expired';
    return undefined;
  },
  planThing,
  statusChange(current, newStatus, now) {
    return statusUpdateRule(current.certificateId, newStatus, now)(current);
  },
};
