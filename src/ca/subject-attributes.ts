import type { SubjectField, SubjectValues } from '../domain/provisioning/jitp-parameters.js';
import { readCertificateParts } from './certificate-reader.js';
import { nameAttributeValues } from './name-reader.js';

/** The attribute types JITP reads from a subject (X.520 / RFC 4519 OIDs). */
const OIDS: Readonly<Record<SubjectField, string>> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  dnQualifier: '2.5.4.46',
  ST: '2.5.4.8',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
};

/**
 * The subject attributes of a certificate that just-in-time provisioning passes to a template: the first value of
 * each (a subject rarely repeats one). Throws DerError when the certificate cannot be read.
 */
export function subjectValues(der: Buffer): SubjectValues {
  const { subject } = readCertificateParts(der);
  const values: Partial<Record<SubjectField, string>> = {};
  for (const [field, oid] of Object.entries(OIDS) as [SubjectField, string][]) {
    const [first] = nameAttributeValues(subject, oid);
    if (first !== undefined) values[field] = first;
  }
  return values;
}
