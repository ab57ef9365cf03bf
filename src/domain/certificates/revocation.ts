import type { CertificateStatus } from './certificate-status.js';

/**
 * How AWS IoT's certificate statuses read in the standards' revocation vocabulary (RFC 5280 CRLs, RFC 6960 OCSP),
 * for the TLS terminators that learn about revocation only that way. The one home of this mapping: the CRL and
 * the OCSP responder both ask it.
 *
 * ACTIVE is good. REVOKED is revoked for good, with the reason recorded (none: the entry carries no reason, as
 * RFC 5280 §5.3.1 prefers to `unspecified`). Every other status is one AWS's own door refuses but that may still
 * become ACTIVE (INACTIVE, and the pending states of fleet provisioning, transfer and registration), so it is
 * certificateHold, the one reversible reason: the entry leaves the CRL when the certificate is reactivated.
 * A deleted certificate fleetca issued can never come back, so it stays revoked (cessationOfOperation when it was
 * only on hold), or a TLS terminator would accept it again.
 */

/** RFC 5280 §5.3.1 CRLReason codes (7 is unused). */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type CrlReasonName = keyof typeof CRL_REASONS;
export type CrlReasonCode = (typeof CRL_REASONS)[CrlReasonName];

/** Reasons an operator may record when revoking (hold is a status, removeFromCRL belongs to delta CRLs). */
export const RECORDABLE_REASONS: readonly CrlReasonName[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
  'aACompromise',
];

/** The statuses a CRL lists (every status but ACTIVE); stores are handed this list, they do not decide it. */
export const LISTED_STATUSES: readonly CertificateStatus[] = [
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
];

/** What the registry knows of one certificate fleetca issued, looked up by issuer and serial number. */
export interface IssuedCertificateState {
  /** Which certificate it is (so a cache of its state can be dropped when the change feed names it). */
  readonly certificateId?: string;
  /** The status now, or DELETED when the certificate was deleted (its last status in `statusAtDeletion`). */
  readonly status: CertificateStatus | 'DELETED';
  readonly statusAtDeletion?: CertificateStatus;
  /** When the status was last set, or the deletion time, epoch ms. */
  readonly changedAt: number;
  /** The CRLReason recorded when it was revoked, if one was. */
  readonly revocationReason?: number;
}

export type RevocationState =
  | { readonly kind: 'good' }
  | { readonly kind: 'revoked'; readonly revokedAt: number; readonly reason?: CrlReasonCode };

const GOOD: RevocationState = { kind: 'good' };

function recordedReason(code: number | undefined): CrlReasonCode | undefined {
  const known = Object.values(CRL_REASONS) as number[];
  // unspecified is written as no reason at all (RFC 5280 §5.3.1).
  return code === undefined || code === CRL_REASONS.unspecified || !known.includes(code)
    ? undefined
    : (code as CrlReasonCode);
}

/** The one mapping: a certificate's state in the registry → good, or revoked (when, and why). */
export function revocationStateOf(state: IssuedCertificateState): RevocationState {
  if (state.status === 'ACTIVE') return GOOD;
  if (state.status === 'REVOKED') {
    const reason = recordedReason(state.revocationReason);
    return { kind: 'revoked', revokedAt: state.changedAt, ...(reason === undefined ? {} : { reason }) };
  }
  if (state.status === 'DELETED') {
    if (state.statusAtDeletion === 'REVOKED') {
      return revocationStateOf({ ...state, status: 'REVOKED' });
    }
    return { kind: 'revoked', revokedAt: state.changedAt, reason: CRL_REASONS.cessationOfOperation };
  }
  return { kind: 'revoked', revokedAt: state.changedAt, reason: CRL_REASONS.certificateHold };
}
