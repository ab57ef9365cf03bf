/** Status spellings seen in real templates (the AWS examples use both "ACTIVE" and "Active"). */
const STATUSES: Readonly<Record<string, 'ACTIVE' | 'INACTIVE'>> = {
  ACTIVE: 'ACTIVE',
  Active: 'ACTIVE',
  INACTIVE: 'INACTIVE',
  Inactive: 'INACTIVE',
};

export const CERTIFICATE_STATUS_SPELLINGS = Object.keys(STATUSES);

/** ACTIVE or INACTIVE for an accepted spelling; undefined for anything else. */
export function normaliseCertificateStatus(value: string): 'ACTIVE' | 'INACTIVE' | undefined {
  return Object.hasOwn(STATUSES, value) ? STATUSES[value] : undefined;
}
