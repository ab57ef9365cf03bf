import { DEFAULT_REVOCATION_SETTINGS, type RevocationSettings } from '../revocation/revocation-settings.js';
import { HomeError } from './config.js';
import { urlValue } from './url-value.js';

/** config.json's `revocation` object: where CRLs and OCSP are published, and for how long what they say holds. */
export interface RevocationConfig {
  /**
   * The URL TLS terminators reach `fleetca serve` at (`http://ca.example.com:8080`). When set, newly issued
   * certificates carry CRL Distribution Points and Authority Information Access (OCSP) pointing under it; AWS's
   * certificates carry neither, so it is off by default.
   */
  readonly publicBaseUrl?: string;
  readonly crlLifetimeSeconds?: number;
  readonly ocspLifetimeSeconds?: number;
}

const MIN_LIFETIME_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 366 * 86_400;

/** Checks config.json's `revocation` (or `--public-base-url`); the message names `source`. */
export function checkRevocationConfig(value: unknown, source: string): asserts value is RevocationConfig | undefined {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HomeError(`${source}: revocation must be an object`);
  }
  const { publicBaseUrl, crlLifetimeSeconds, ocspLifetimeSeconds, ...unknown } = value as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new HomeError(`${source}: revocation has unknown settings: ${extra.join(', ')}`);
  if (publicBaseUrl !== undefined) checkPublicBaseUrl(publicBaseUrl, `${source}: revocation.publicBaseUrl`);
  for (const [name, seconds] of [
    ['crlLifetimeSeconds', crlLifetimeSeconds],
    ['ocspLifetimeSeconds', ocspLifetimeSeconds],
  ] as const) {
    if (
      seconds !== undefined &&
      !(
        Number.isSafeInteger(seconds) &&
        (seconds as number) >= MIN_LIFETIME_SECONDS &&
        (seconds as number) <= MAX_LIFETIME_SECONDS
      )
    ) {
      throw new HomeError(
        `${source}: revocation.${name} must be a whole number of seconds from ${MIN_LIFETIME_SECONDS} to ${MAX_LIFETIME_SECONDS}`,
      );
    }
  }
}

/** An http(s) URL with no query, fragment or credentials: certificates will carry it for decades. */
export function checkPublicBaseUrl(value: unknown, what: string): asserts value is string {
  const url = urlValue(value);
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== '' ||
    /[\s"<>\\^`{|}]/.test(value as string)
  ) {
    throw new HomeError(
      `${what} must be an http:// or https:// URL without query, fragment or credentials, such as http://ca.example.com:8080`,
    );
  }
}

/** The settings CRLs and OCSP run with: config.json's, else the defaults. */
export function revocationSettings(config: RevocationConfig | undefined): RevocationSettings {
  const crlLifetimeMs = (config?.crlLifetimeSeconds ?? DEFAULT_REVOCATION_SETTINGS.crlLifetimeMs / 1000) * 1000;
  const ocspLifetimeMs = (config?.ocspLifetimeSeconds ?? DEFAULT_REVOCATION_SETTINGS.ocspLifetimeMs / 1000) * 1000;
  // The responder certificate outlives every response it signs by at least half its life.
  const responderCertificateLifetimeMs = Math.max(
    DEFAULT_REVOCATION_SETTINGS.responderCertificateLifetimeMs,
    4 * ocspLifetimeMs,
  );
  return { crlLifetimeMs, ocspLifetimeMs, responderCertificateLifetimeMs };
}
