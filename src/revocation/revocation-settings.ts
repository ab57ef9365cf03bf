/**
 * How long what fleetca publishes about revocation stays valid, and where it is published. A CRL or an OCSP
 * response may be relied on until its nextUpdate, so these lifetimes are also how long a revocation may go unseen
 * by a terminator that caches them (fleetca itself publishes a new CRL within a second of a change).
 */
export interface RevocationSettings {
  /** thisUpdate → nextUpdate of every CRL. A CRL is made again when half of it has passed. */
  readonly crlLifetimeMs: number;
  /** thisUpdate → nextUpdate of every OCSP response; a signed response is reused for half of it. */
  readonly ocspLifetimeMs: number;
  /** Lifetime of the delegated OCSP responder certificate (it carries ocsp-nocheck, so it must be short). */
  readonly responderCertificateLifetimeMs: number;
}

const HOUR = 3_600_000;

export const DEFAULT_REVOCATION_SETTINGS: RevocationSettings = {
  crlLifetimeMs: 24 * HOUR,
  ocspLifetimeMs: HOUR,
  responderCertificateLifetimeMs: 7 * 24 * HOUR,
};

/** The paths under a server's base URL; certificates name them once a public base URL is configured. */
export const REVOCATION_PATHS = {
  /** `{base}/_fleetca/crl/{issuer key id, hex}.crl` (DER) or `.pem`; `{base}/_fleetca/crl` the current issuer's. */
  crl: '/_fleetca/crl',
  /** RFC 6960 A.1: POST the DER request here, or GET `{ocsp}/{base64 of the request, URL-encoded}`. */
  ocsp: '/_fleetca/ocsp',
} as const;

/** The URLs issued certificates carry for `publicBaseUrl` (no trailing slash needed). */
export function revocationUrls(publicBaseUrl: string, issuerKeyId: string): { crlUrl: string; ocspUrl: string } {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return { crlUrl: `${base}${REVOCATION_PATHS.crl}/${issuerKeyId}.crl`, ocspUrl: `${base}${REVOCATION_PATHS.ocsp}` };
}
