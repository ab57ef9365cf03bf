/**
 * Download names as AWS's console gives them: the first 10 hex digits of the certificate id, then the kind
 * (`3f1c0a9e2b-certificate.pem.crt`, `…-private.pem.key`, `…-public.pem.key`).
 */
export type PemKind = 'certificate' | 'private-key' | 'public-key';

const SUFFIX: Record<PemKind, string> = {
  certificate: 'certificate.pem.crt',
  'private-key': 'private.pem.key',
  'public-key': 'public.pem.key',
};

export function pemFilename(certificateId: string, kind: PemKind): string {
  const prefix = certificateId
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 10);
  return `${prefix || 'fleetca'}-${SUFFIX[kind]}`;
}

/** A file name for a CA certificate's PEM: `ca-<first 10 hex>.pem`. */
export function caCertificateFilename(caCertificateId: string): string {
  return `ca-${caCertificateId.toLowerCase().slice(0, 10)}.pem`;
}
