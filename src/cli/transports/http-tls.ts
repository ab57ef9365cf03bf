import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pyOsErrorMessage } from '../python/errno.js';
import { pyStrRepr } from '../python/repr.js';

/** A CA bundle that could not be used, worded as Python's ssl module words it (after "SSL validation failed for <url> "). */
export class CaBundleError extends Error {
  override readonly name = 'CaBundleError';
}

/**
 * Reads the CA bundle the way `SSLContext.load_verify_locations(cafile)` does when urllib3 opens an
 * https connection: an OS error is `[Errno N] <strerror>` (no file name), a file without any
 * certificate `[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found`.
 */
export function loadCaBundle(path: string, cwd: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(resolve(cwd, path));
  } catch (error) {
    const text = pyOsErrorMessage(error, path);
    const suffix = `: ${pyStrRepr(path)}`;
    throw new CaBundleError(text.endsWith(suffix) ? text.slice(0, -suffix.length) : text);
  }
  if (!/-----BEGIN (TRUSTED )?CERTIFICATE-----|-----BEGIN X509 CRL-----/.test(pem.toString('latin1'))) {
    throw new CaBundleError('[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found');
  }
  return pem;
}

// OpenSSL's X509_V_ERR_* names as Node reports them in error.code; their messages are OpenSSL's texts.
const VERIFY_ERROR_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EE_KEY_TOO_SMALL',
  'CA_KEY_TOO_SMALL',
  'CA_MD_TOO_WEAK',
]);

/**
 * The text Python's ssl module gives a TLS failure Node reported, or undefined when the error is
 * not a TLS one. Certificate problems are `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify
 * failed: <OpenSSL reason>`, a host name the certificate does not cover urllib3's `hostname 'h'
 * doesn't match 'n'`, other OpenSSL errors `[SSL: <REASON_CODE>] <reason>`. Python appends its
 * `(_ssl.c:NNN)` source position; fleetca has none.
 */
export function sslErrorText(error: unknown, hostname: string): string | undefined {
  const err = error as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code;
  if (typeof code !== 'string') return undefined;
  const verifyFailed = '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return hostnameMismatch(hostname, (error as { cert?: PeerNames }).cert);
  // OpenSSL under Python reports a lone leaf with an unknown issuer as error 20, Node as 21.
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') return `${verifyFailed}: unable to get local issuer certificate`;
  if (VERIFY_ERROR_CODES.has(code)) return `${verifyFailed}: ${err.message}`;
  if (code.startsWith('ERR_SSL_')) {
    const reason = err.reason ?? code.slice('ERR_SSL_'.length).toLowerCase().replaceAll('_', ' ');
    return `[SSL: ${code.slice('ERR_SSL_'.length)}] ${reason}`;
  }
  // A record-layer failure surfaces as EPROTO carrying OpenSSL's error line: `...:error:0A00010B:SSL routines:<function>:<reason>:...`.
  const openssl = /:error:[0-9A-F]+:([^:]+) routines:[^:]*:([^:]+):/.exec(err.message ?? '');
  if (openssl) {
    const library = (openssl[1] as string).toUpperCase().replace('X509 CERTIFICATE', 'X509');
    const reason = openssl[2] as string;
    return `[${library}: ${reason.toUpperCase().replaceAll(' ', '_')}] ${reason}`;
  }
  return undefined;
}

/** The parts of Node's peer certificate that name its hosts. */
interface PeerNames {
  readonly subjectaltname?: string;
  readonly subject?: { readonly CN?: string | readonly string[] };
}

/**
 * urllib3 1.26's `match_hostname` failure (the AWS CLI v2 bundles urllib3 < 1.27, which checks
 * host names itself): the certificate's DNS and IP SAN entries in order — its common names when
 * it has none — in `hostname 'h' doesn't match 'n'` / `doesn't match either of 'a', 'b'`.
 */
function hostnameMismatch(hostname: string, cert: PeerNames | undefined): string {
  const names: string[] = [];
  for (const entry of (cert?.subjectaltname ?? '').split(', ')) {
    const match = /^(DNS|IP Address):(.*)$/.exec(entry);
    if (match) names.push(match[2] as string);
  }
  if (names.length === 0) {
    const cn = cert?.subject?.CN;
    names.push(...(cn === undefined ? [] : typeof cn === 'string' ? [cn] : cn));
  }
  const host = pyStrRepr(hostname);
  if (names.length > 1) return `hostname ${host} doesn't match either of ${names.map(pyStrRepr).join(', ')}`;
  if (names.length === 1) return `hostname ${host} doesn't match ${pyStrRepr(names[0] as string)}`;
  return 'no appropriate commonName or subjectAltName fields were found';
}

const WARNING_SOURCE = fileURLToPath(import.meta.url);

/**
 * urllib3's InsecureRequestWarning for an unverified https request, shown the way Python's
 * warnings module shows it — once per host per process (here: per transport, which lives one
 * command) — with this module's path where Python shows urllib3's connectionpool.py.
 */
export class InsecureRequestWarnings {
  private readonly warned = new Set<string>();

  constructor(private readonly stderr: { write(chunk: string): unknown }) {}

  warn(host: string): void {
    if (this.warned.has(host)) return;
    this.warned.add(host);
    this.stderr.write(
      `${WARNING_SOURCE}:${warningLine()}: InsecureRequestWarning: Unverified HTTPS request is being made to host '${host}'. ` +
        'Adding certificate verification is strongly advised. See: https://urllib3.readthedocs.io/en/latest/advanced-usage.html#tls-warnings\n' +
        '  warnings.warn(\n',
    );
  }
}

// The line of InsecureRequestWarnings.warn that writes the warning, as Python reports its own line.
function warningLine(): number {
  const frame = new Error().stack?.split('\n')[2] ?? '';
  const match = /:(\d+):\d+\)?$/.exec(frame);
  return match ? Number(match[1]) : 0;
}
