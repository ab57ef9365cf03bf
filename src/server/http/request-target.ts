import { httpErrors } from './http-errors.js';

/** The request-target of an HTTP request line, split but still exactly as sent. */
export interface RawTarget {
  /** Percent-encoded path, without the query. */
  readonly rawPath: string;
  /** Query without the leading '?', '' when absent. */
  readonly rawQuery: string;
}

/** Splits `/path?query` (origin form). Anything else (`*`, absolute URLs) has no path fleetca routes. */
export function splitTarget(url: string): RawTarget | undefined {
  if (!url.startsWith('/')) return undefined;
  const at = url.indexOf('?');
  return at < 0 ? { rawPath: url, rawQuery: '' } : { rawPath: url.slice(0, at), rawQuery: url.slice(at + 1) };
}

/**
 * Percent-decodes one path segment or query component. '+' stays a '+' (RFC 3986, not HTML forms): the
 * SDKs encode spaces as %20 and '+' as %2B, and a base64 marker typed by hand keeps its meaning.
 */
export function percentDecode(text: string, where: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw httpErrors.serialization(`The ${where} is not validly percent-encoded UTF-8`);
  }
}

/** The decoded segments of a raw path: `/certificates/ab%2Fc` → ['certificates', 'ab/c']. */
export function pathSegments(rawPath: string): string[] {
  if (rawPath === '/') return [];
  return rawPath
    .slice(1)
    .split('/')
    .map((segment) => percentDecode(segment, 'request path'));
}

/** Query parameters by decoded name, every value kept in arrival order (repeats are the caller's decision). */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  if (rawQuery === '') return query;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode(eq < 0 ? pair : pair.slice(0, eq), 'query string');
    const value = eq < 0 ? '' : percentDecode(pair.slice(eq + 1), 'query string');
    const values = query.get(name);
    if (values) values.push(value);
    else query.set(name, [value]);
  }
  return query;
}
