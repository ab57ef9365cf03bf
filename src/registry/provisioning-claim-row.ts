import type {
  ProvisioningClaim,
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

/**
 * The claim of one certificate from its live rows (already filtered: unexpired, or granted to an ACTIVE
 * certificate). Undefined without rows, and when the rows span more than one account, region or kind: such a
 * lookup is ambiguous, and the device endpoint must refuse rather than pick one.
 */
export function claimFromRows(certificateId: string, rows: readonly ClaimLookupRow[]): ProvisioningClaim | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const sameClaim = (row: ClaimLookupRow) =>
    row.account_id === first.account_id && row.region === first.region && row.kind === first.kind;
  if (!rows.every(sameClaim)) return undefined;
  const kind = first.kind as ProvisioningClaimKind;
  const templateNames = [...new Set(rows.map((row) => row.template_name))].sort(byteOrder);
  if (kind === 'registered') {
    return { accountId: first.account_id, region: first.region, certificateId, kind, templateNames };
  }
  // One temporary claim certificate is issued for one template; the earliest expiry bounds them all regardless.
  const expiresAt = Math.min(...rows.map((row) => toNumber(row.expires_at ?? 0, 'expires_at')));
  const certificatePem = first.certificate_pem;
  if (certificatePem === null) return undefined;
  return {
    accountId: first.account_id,
    region: first.region,
    certificateId,
    kind,
    templateNames,
    expiresAt,
    certificatePem,
  };
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function toNumber(value: SqlInteger, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`provisioning_claims.${column} holds ${String(value)}, not a safe integer`);
  return n;
}
