import { sigv4Errors } from './sigv4-errors.js';

/**
 * The query as the signer needs it: names and values percent-decoded ('+' stays '+', as the SDKs
 * send spaces as %20), a repeated name keeping all its values. A query that is not validly
 * percent-encoded cannot have been signed by an SDK, so it fails as a signature mismatch.
 */
export function signedQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const seen = Object.hasOwn(query, name) ? query[name] : undefined;
    if (seen === undefined) Object.defineProperty(query, name, { value, enumerable: true, writable: true });
    else query[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw sigv4Errors.signatureMismatch();
  }
}
