import { isIPv6 } from 'node:net';
import { GeneralError } from '../errors/cli-errors.js';
import { type SplitUrl, UrlValueError, urlHostname, urlPort, urlSplit } from './url-split.js';

/** A checked endpoint URL: what every request's URL is built from. */
export interface Endpoint {
  /** The URL as configured. */
  readonly url: string;
  readonly parts: SplitUrl;
  /** Lower-cased host name (an IPv6 address without brackets). */
  readonly hostname: string;
  /** The explicit port, if any. */
  readonly port: number | undefined;
}

// botocore UNSAFE_URL_CHARS: urlsplit strips them, so they would otherwise slip through.
const UNSAFE_URL_CHARS = /[\t\r\n]/;
const DNS_LABELS = /^((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))$/i;

/**
 * botocore's `is_valid_endpoint_url` / `is_valid_ipv6_endpoint_url`, checked when the client is
 * created: a host name made of DNS labels (or an IPv6 literal), else `Invalid endpoint: <url>` (255).
 * The scheme is not checked here: an unknown one fails when the request is sent, as in urllib3.
 */
export function parseEndpoint(url: string): Endpoint {
  const invalid = () => new GeneralError(`Invalid endpoint: ${url}`);
  if (UNSAFE_URL_CHARS.test(url)) throw invalid();
  let parts: SplitUrl;
  let port: number | undefined;
  try {
    parts = urlSplit(url);
    const hostname = urlHostname(parts);
    if (hostname === undefined || !validHost(hostname)) throw invalid();
    // SplitResult.port raises when the URL is used (the signer reads it): same message, same exit code.
    port = urlPort(parts);
    return { url, parts, hostname, port };
  } catch (error) {
    if (error instanceof UrlValueError) throw new GeneralError(error.message);
    throw error;
  }
}

function validHost(hostname: string): boolean {
  if (isIPv6(hostname.replace(/%25.*$|%.*$/, ''))) return true;
  if (hostname.length > 255) return false;
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return DNS_LABELS.test(name);
}

/** The Host header botocore signs: lower-case host, IPv6 in brackets, port unless the scheme's default. */
export function hostHeader(endpoint: Endpoint): string {
  const host = isIPv6(endpoint.hostname.replace(/%.*$/, '')) ? `[${endpoint.hostname}]` : endpoint.hostname;
  const defaultPort = endpoint.parts.scheme === 'https' ? 443 : endpoint.parts.scheme === 'http' ? 80 : undefined;
  return endpoint.port !== undefined && endpoint.port !== defaultPort ? `${host}:${endpoint.port}` : host;
}
