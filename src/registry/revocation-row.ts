import type { CertificateRecord } from '../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { IssuedCertificateState } from '../domain/certificates/revocation.js';
import type { SqlInteger } from './certificate-row.js';
import type { RevocationEntry } from './revocation-store.js';

/**
 * The rows of migration 9 as both engines read and write them: the CRL's entries (live certificates and
 * tombstones alike), one certificate's revocation state, and the tombstone a deletion leaves.
 */

/**
 * What a listing or a lookup reads of one issued certificate, as an array (no object per row in the driver):
 * serial number, status ('DELETED' for a tombstone), status at deletion, when it changed, CRLReason.
 */
export type RevocationRow = readonly [
  serialNumber: string,
  status: string,
  statusAtDeletion: string | null,
  changedAt: SqlInteger,
  revocationReason: SqlInteger | null,
];

/** The select lists of a live certificate and of a tombstone, giving a RevocationRow. */
/** findIssued's row: a listing row, then the rank (live 0, tombstone 1) and the certificate id. */
export type FoundRow = readonly [...RevocationRow, number, string];

export const LIVE_STATE_COLUMNS = 'serial_number, status, NULL, last_modified_date, revocation_reason';
export const TOMBSTONE_STATE_COLUMNS = "serial_number, 'DELETED', status_at_deletion, deleted_at, revocation_reason";

/** The columns of `deleted_issued_certificates`, in table order. */
export const TOMBSTONE_COLUMNS = [
  'issuer_key_id',
  'serial_number',
  'account_id',
  'region',
  'certificate_id',
  'status_at_deletion',
  'revocation_reason',
  'not_after',
  'deleted_at',
] as const;

export type TombstoneValues = { readonly [K in (typeof TOMBSTONE_COLUMNS)[number]]: string | number | null };

/** The tombstone deleting `record` leaves; undefined for a certificate fleetca did not issue (nothing to revoke). */
export function tombstoneOf(record: CertificateRecord, deletedAt: number): TombstoneValues | undefined {
  if (record.issuedBy === undefined) return undefined;
  return {
    issuer_key_id: record.issuedBy.issuerKeyId,
    serial_number: record.issuedBy.serialNumber,
    account_id: record.accountId,
    region: record.region,
    certificate_id: record.certificateId,
    status_at_deletion: record.status,
    revocation_reason: record.revocationReason ?? null,
    not_after: record.notAfter,
    deleted_at: deletedAt,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One certificate's state from its row; absent members stay absent. */
export function issuedStateOf(row: FoundRow): IssuedCertificateState {
  const state = {
    status: row[1] as CertificateStatus | 'DELETED',
    changedAt: integerOf(row[3]),
    certificateId: row[6],
  };
  return withOptionals(state, row as unknown as RevocationRow);
}

/** One CRL entry from its row (called once per listed certificate: plain property writes, no spreads). */
export function revocationEntryOf(row: RevocationRow): RevocationEntry {
  const entry = { serialNumber: row[0], status: row[1] as CertificateStatus | 'DELETED', changedAt: integerOf(row[3]) };
  return withOptionals(entry, row);
}

function withOptionals<T extends Mutable<IssuedCertificateState>>(state: T, row: RevocationRow): T {
  const [, , statusAtDeletion, , reason] = row;
  if (statusAtDeletion !== null) state.statusAtDeletion = statusAtDeletion as CertificateStatus;
  if (reason !== null) state.revocationReason = integerOf(reason);
  return state;
}

function integerOf(value: SqlInteger): number {
  const n = typeof value === 'number' ? value : Number(value);
  // Epoch milliseconds and CRLReason codes stay far below 2^53; anything else is a damaged row.
  if (!Number.isSafeInteger(n)) throw new RangeError(`a revocation row holds ${String(value)}, not a safe integer`);
  return n;
}
