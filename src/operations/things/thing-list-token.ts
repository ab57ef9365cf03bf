import { serviceErrors } from '../../errors.js';

/**
 * The nextToken of ListThings, ListThingPrincipals and ListPrincipalThings: opaque base64 holding the last key
 * of the page (a thing name or a certificate id) and the listing it belongs to, so that the next page is a
 * keyset seek, and a token of one listing is refused by another.
 */
export type ThingListing = 'things' | 'principals' | 'principal-things';

/** Default page size of the three listings. */
export const DEFAULT_THING_PAGE_SIZE = 50;

const KEY_FORMAT: Readonly<Record<ThingListing, RegExp>> = {
  things: /^[a-zA-Z0-9:_-]{1,128}$/,
  principals: /^[0-9a-f]{64}$/,
  'principal-things': /^[a-zA-Z0-9:_-]{1,128}$/,
};

export function encodeThingToken(listing: ThingListing, lastKey: string): string {
  return Buffer.from(`t1/${listing}/${lastKey}`, 'utf8').toString('base64');
}

export function decodeThingToken(listing: ThingListing, token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const prefix = `t1/${listing}/`;
  const key = text.startsWith(prefix) ? text.slice(prefix.length) : '';
  if (!KEY_FORMAT[listing].test(key)) throw serviceErrors.invalidRequest(`The nextToken is not valid: ${token}`);
  return key;
}

/** A store page query from an operation's maxResults / nextToken. */
export function keyPageQuery(
  listing: ThingListing,
  input: { readonly maxResults?: number; readonly nextToken?: string },
): { limit: number; after?: string } {
  return {
    limit: input.maxResults ?? DEFAULT_THING_PAGE_SIZE,
    ...(input.nextToken !== undefined && { after: decodeThingToken(listing, input.nextToken) }),
  };
}
