import type { Scope } from '../scope.js';
import type { ProvisioningClaim, ProvisioningClaimKind } from './provisioning-claim-record.js';

/** One live claim row of a certificate, as the store read it (unexpired, or granted to an ACTIVE certificate). */
export interface LiveClaim extends Scope {
  readonly templateName: string;
  readonly kind: ProvisioningClaimKind;
  /** Temporary claims only. */
  readonly expiresAt?: number;
  /** A temporary claim's own PEM (it is in no other table). */
  readonly certificatePem?: string;
}

/**
 * The claim a certificate holds, from its live claims. None without claims, and none (fail closed) when they span
 * more than one account, region or kind: such a lookup is ambiguous, and the device endpoint must refuse rather
 * than pick one.
 */
export function heldClaim(certificateId: string, claims: readonly LiveClaim[]): ProvisioningClaim | undefined {
  const first = claims[0];
  if (first === undefined) return undefined;
  const sameClaim = (claim: LiveClaim) =>
    claim.accountId === first.accountId && claim.region === first.region && claim.kind === first.kind;
  if (!claims.every(sameClaim)) return undefined;
  const { accountId, region, kind } = first;
  const templateNames = [...new Set(claims.map((claim) => claim.templateName))].sort(byteOrder);
  if (kind === 'registered') return { accountId, region, certificateId, kind, templateNames };
  // One temporary claim certificate is issued for one template; the earliest expiry bounds them all regardless.
  const expiresAt = Math.min(...claims.map((claim) => claim.expiresAt ?? 0));
  const certificatePem = first.certificatePem;
  if (certificatePem === undefined) return undefined;
  return { accountId, region, certificateId, kind, templateNames, expiresAt, certificatePem };
}

/** Names sort by their bytes (UTF-8 order), as everywhere in the registry. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
