import { sigv4Errors } from './sigv4-errors.js';

/**
 * Headers that decide who a request is and when it was made. Node keeps only the first of some
 * repeated headers in `req.headers`; a second copy must not let the signature cover one value
 * while the server acts on another, so repeats are refused outright.
 */
const SINGLE_HEADERS: ReadonlyMap<string, string> = new Map([
  ['authorization', 'Authorization'],
  ['x-amz-date', 'X-Amz-Date'],
  ['date', 'Date'],
  ['host', 'Host'],
  ['x-amz-security-token', 'X-Amz-Security-Token'],
  ['x-amz-content-sha256', 'X-Amz-Content-Sha256'],
]);

/** A request's headers by lower-case name, repeats joined as SigV4 canonicalizes them. */
export type HeaderFields = ReadonlyMap<string, string>;

/**
 * Collects Node's rawHeaders ([name, value, ...]) by lower-case name. Repeats of a SINGLE_HEADERS
 * name are refused; other repeats are joined with ',' after trimming each value, which is the
 * canonical form SigV4 signs for a repeated header.
 */
export function headerFields(rawHeaders: readonly string[]): HeaderFields {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = (rawHeaders[i + 1] as string).trim();
    const seen = values.get(name);
    if (seen === undefined) values.set(name, [value]);
    else {
      const single = SINGLE_HEADERS.get(name);
      if (single !== undefined) throw sigv4Errors.repeatedHeader(single);
      seen.push(value);
    }
  }
  return new Map([...values].map(([name, list]) => [name, list.join(',')]));
}
