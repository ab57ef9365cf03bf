import { createHash } from 'node:crypto';
import type { CertificateRecord } from '../../src/domain/certificates/certificate-record.js';
import type { Scope } from '../../src/domain/scope.js';
import { rowFromRecord } from '../../src/registry/certificate-row.js';

/** The scope most tests work in. */
export const SCOPE: Scope = { accountId: '123456789012', region: 'us-east-1' };
/** Same region, another account. */
export const OTHER_ACCOUNT: Scope = { accountId: '210987654321', region: 'us-east-1' };
/** Same account, another region. */
export const OTHER_REGION: Scope = { accountId: '123456789012', region: 'eu-west-1' };

/** 2024-01-01T00:00:00.000Z, a base for creation dates. */
export const T0 = Date.UTC(2024, 0, 1);

/** A 64-hex certificate id derived from a seed, as SHA-256 of the DER would be. */
export function certificateIdOf(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A record without optional members; `overrides` replace any field. */
export function makeRecord(seed: string, overrides: Partial<CertificateRecord> = {}): CertificateRecord {
  const creationDate = overrides.creationDate ?? T0;
  return {
    ...SCOPE,
    certificateId: certificateIdOf(seed),
    status: 'INACTIVE',
    certificatePem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(seed).toString('base64')}\n-----END CERTIFICATE-----\n`,
    ownedBy: SCOPE.accountId,
    creationDate,
    lastModifiedDate: creationDate,
    customerVersion: 1,
    generationId: `gen-${seed}`,
    notBefore: creationDate - 120_000,
    notAfter: Date.UTC(2049, 11, 31, 23, 59, 59),
    certificateMode: 'DEFAULT',
    ...overrides,
  };
}

/** Columns migration 9 added to certificates. */
const REVOCATION_COLUMNS: ReadonlySet<string> = new Set(['issuer_key_id', 'serial_number', 'revocation_reason']);

/** A record's row as migrations 1–8 made the table (for registries created before migration 9). */
export function rowBeforeRevocation(record: CertificateRecord): Readonly<Record<string, string | number | null>> {
  return Object.fromEntries(
    Object.entries(rowFromRecord(record)).filter(([column]) => !REVOCATION_COLUMNS.has(column)),
  );
}
