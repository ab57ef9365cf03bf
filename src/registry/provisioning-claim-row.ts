import type { LiveClaim } from '../domain/provisioning/held-claim.js';
import type {
  ProvisioningClaimKind,
  ProvisioningClaimRecord,
} from '../domain/provisioning/provisioning-claim-record.js';
import type { SqlInteger } from './certificate-row.js';

/** A `provisioning_claims` row as the listing reads it. */
export interface ProvisioningClaimRow {
  readonly account_id: string;
  readonly region: string;
  readonly certificate_id: string;
  readonly template_name: string;
  readonly kind: string;
  readonly expires_at: SqlInteger | null;
  readonly created_at: SqlInteger;
}

/** A row as the device endpoint's lookup reads it (one certificate id). */
export interface ClaimLookupRow {
  readonly account_id: string;
  readonly region: string;
  readonly template_name: string;
  readonly kind: string;
  readonly certificate_pem: string | null;
  readonly expires_at: SqlInteger | null;
}

export function claimRecordFromRow(row: ProvisioningClaimRow): ProvisioningClaimRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    certificateId: row.certificate_id,
    templateName: row.template_name,
    kind: row.kind as ProvisioningClaimKind,
    ...(row.expires_at !== null && { expiresAt: toNumber(row.expires_at, 'expires_at') }),
    createdAt: toNumber(row.created_at, 'created_at'),
  };
}

/** A live row as the domain's claim rule (heldClaim) reads it. */
export function liveClaimFromRow(row: ClaimLookupRow): LiveClaim {
  return {
    accountId: row.account_id,
    region: row.region,
    templateName: row.template_name,
    kind: row.kind as ProvisioningClaimKind,
    ...(row.expires_at !== null && { expiresAt: toNumber(row.expires_at, 'expires_at') }),
    ...(row.certificate_pem !== null && { certificatePem: row.certificate_pem }),
  };
}

function toNumber(value: SqlInteger, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`provisioning_claims.${column} holds ${String(value)}, not a safe integer`);
  return n;
}
