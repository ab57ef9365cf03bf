import { randomUUID } from 'node:crypto';
import { serviceErrors } from '../../errors.js';
import { type CertificateRecord, certificateArn } from './certificate-record.js';
import type { CertificateStatus } from './certificate-status.js';

/**
 * The certificate status machine, as AWS IoT applies it:
 * ACTIVE ⇄ INACTIVE freely, either may become REVOKED, REVOKED is final, and the pending
 * states belong to transfer and fleet provisioning, never to UpdateCertificate.
 * The rules run inside the store's transaction, so they decide on the row as it is.
 */

/** A change of status decided by the rules, applied atomically by a store. */
export interface StatusChange {
  readonly status: CertificateStatus;
  readonly lastModifiedDate: number;
  readonly generationId: string;
  /** The CRLReason to record with a revocation (stores write it with every change: absent clears it). */
  readonly revocationReason?: number;
}

/**
 * Decides a status change from the current record (undefined when it does not exist).
 * Returns undefined for "nothing to change"; throws to refuse. Runs inside the store's
 * transaction, so the read and the write it leads to are one atomic step.
 */
export type StatusRule = (current: CertificateRecord | undefined) => StatusChange | undefined;

/** What is attached to a certificate and so gates its deletion. */
export interface Attachments {
  readonly things: number;
  readonly policies: number;
}

/** Decides whether a certificate may be deleted; throws to refuse. `detachPolicies` is the forceDelete effect. */
export type DeleteRule = (
  current: CertificateRecord | undefined,
  attachments: Attachments,
) => { readonly detachPolicies: boolean };

const NOT_SETTABLE: ReadonlySet<CertificateStatus> = new Set([
  'PENDING_TRANSFER',
  'PENDING_ACTIVATION',
  'REGISTER_INACTIVE',
]);

export function statusUpdateRule(certificateId: string, newStatus: CertificateStatus, now: number): StatusRule {
  return (current) => {
    if (!current) throw serviceErrors.notFound();
    if (NOT_SETTABLE.has(newStatus)) {
      throw serviceErrors.invalidRequest(
        `Cannot set the status of a certificate to ${newStatus}. Id: ${certificateId}`,
      );
    }
    // Idempotent: asking for the status it already has changes nothing, not even its version.
    if (current.status === newStatus) return undefined;
    if (current.status === 'REVOKED') {
      throw serviceErrors.certificateState(
        `Certificate has been revoked and its status cannot be changed. Id: ${certificateId}`,
      );
    }
    if (current.status === 'PENDING_TRANSFER') {
      throw serviceErrors.certificateState(
        `Certificate is pending transfer and cannot be updated. Id: ${certificateId}`,
      );
    }
    return { status: newStatus, lastModifiedDate: now, generationId: randomUUID() };
  };
}

/**
 * fleetca's revocation with a reason (`fleetca admin revoke-certificate`): UpdateCertificate's REVOKED, with the
 * CRLReason recorded for CRLs and OCSP. Revoking a revoked certificate again only records the new reason: its
 * revocation time stays what it was.
 */
export function revocationRule(certificateId: string, reason: number, now: number): StatusRule {
  const toRevoked = statusUpdateRule(certificateId, 'REVOKED', now);
  return (current) => {
    if (current?.status === 'REVOKED') {
      if (current.revocationReason === reason) return undefined;
      return {
        status: 'REVOKED',
        lastModifiedDate: current.lastModifiedDate,
        generationId: randomUUID(),
        revocationReason: reason,
      };
    }
    const change = toRevoked(current);
    return change && { ...change, revocationReason: reason };
  };
}

export function deletionRule(certificateId: string, forceDelete: boolean): DeleteRule {
  return (current, attachments) => {
    if (!current) throw serviceErrors.notFound();
    if (current.status === 'ACTIVE') {
      throw serviceErrors.certificateState(
        `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${certificateId}`,
      );
    }
    if (current.status === 'PENDING_TRANSFER') {
      throw serviceErrors.certificateState(
        `Certificate is pending transfer and cannot be deleted. Id: ${certificateId}`,
      );
    }
    const arn = certificateArn(current, certificateId);
    // Things block deletion even with forceDelete; policies only without it.
    if (attachments.things > 0) {
      throw serviceErrors.deleteConflict(`Things must be detached before deletion (arn: ${arn})`);
    }
    if (attachments.policies > 0 && !forceDelete) {
      throw serviceErrors.deleteConflict(`Certificate policies must be detached before deletion (arn: ${arn})`);
    }
    return { detachPolicies: forceDelete };
  };
}
