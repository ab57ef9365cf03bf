import { randomUUID } from 'node:crypto';
import { serviceErrors } from '../../errors.js';
import { certificateArn } from '../../registry/certificate-record.js';
import type { DeleteRule, StatusRule } from '../../registry/store.js';
import type { CertificateStatus } from './certificate-status.js';

/**
 * The certificate status machine, as AWS IoT applies it:
 * ACTIVE ⇄ INACTIVE freely, either may become REVOKED, REVOKED is final, and the pending
 * states belong to transfer and fleet provisioning, never to UpdateCertificate.
 * The rules run inside the store's transaction, so they decide on the row as it is.
 */

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
