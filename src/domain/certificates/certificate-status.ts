/** A device certificate's status, as AWS IoT names them. */
export const CERTIFICATE_STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** DEFAULT certificates are matched by their issuer at the TLS door; SNI_ONLY ones by the server name only. */
export const CERTIFICATE_MODES = ['DEFAULT', 'SNI_ONLY'] as const;
export type CertificateMode = (typeof CERTIFICATE_MODES)[number];
