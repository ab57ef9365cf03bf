/**
 * Where relying parties learn of revocations: the URLs of the CRL and the OCSP responder that issued certificates
 * name (CRLDistributionPoints and AuthorityInfoAccess). Checked when the authority is made, so a wrong setting
 * stops the process at start rather than at the first certificate.
 */

export interface RevocationUrls {
  /** The CRL's URL, written as the one DistributionPoint's fullName. */
  readonly crlUrl: string;
  /** The OCSP responder's URL, written as AuthorityInfoAccess id-ad-ocsp. */
  readonly ocspUrl: string;
}

/** Printable ASCII without spaces: a URI in an IA5String, as RFC 5280 §4.2.1.6 writes it (already percent-encoded). */
const URI_CHARACTERS = /^[\x21-\x7e]+$/;

/** Throws RangeError unless both are absolute http(s) URLs an IA5String can carry. */
export function checkRevocationUrls(urls: RevocationUrls): void {
  for (const [what, url] of [
    ['crlUrl', urls.crlUrl],
    ['ocspUrl', urls.ocspUrl],
  ] as const) {
    if (typeof url !== 'string' || !URI_CHARACTERS.test(url)) {
      throw new RangeError(`${what} must be a URL of printable ASCII without spaces`);
    }
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new RangeError(`${what} ${url} is not an absolute URL`);
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new RangeError(`${what} ${url} is not an http(s) URL`);
  }
}
