import { keyTokens } from '../key-token.js';

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

const tokens = keyTokens<ThingListing>('t1', KEY_FORMAT, 'nextToken');
export const encodeThingToken = tokens.encode;
export const decodeThingToken = tokens.decode;

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
