import type { CaCertificateRecord } from '../../src/domain/ca-certificates/ca-certificate-record.js';
import { certificateIdOf, SCOPE, T0 } from './certificate-fixtures.js';

/** A CA record without optional members, subject derived from `subject`; `overrides` replace any field. */
export function makeCaRecord(
  seed: string,
  overrides: Partial<CaCertificateRecord> = {},
  subject = `subject-of-${seed}`,
): CaCertificateRecord {
  const creationDate = overrides.creationDate ?? T0;
  return {
    ...SCOPE,
    certificateId: certificateIdOf(seed),
    status: 'INACTIVE',
    certificatePem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(seed).toString('base64')}\n-----END CERTIFICATE-----\n`,
    subjectHash: certificateIdOf(subject),
    ownedBy: SCOPE.accountId,
    creationDate,
    lastModifiedDate: creationDate,
    customerVersion: 1,
    generationId: `gen-${seed}`,
    autoRegistrationStatus: 'DISABLE',
    notBefore: creationDate - 86_400_000,
    notAfter: creationDate + 10 * 365 * 86_400_000,
    certificateMode: 'DEFAULT',
    tags: [],
    ...overrides,
  };
}
