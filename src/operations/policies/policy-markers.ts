import { keyTokens } from '../key-token.js';

/**
 * The markers of the policy listings: opaque base64 (the model's Marker pattern) holding the last key of the page
 * (a policy name or a certificate id) and the listing it belongs to, so the next page is a keyset seek and a marker
 * of one listing is refused by another.
 */
export type PolicyListing = 'policies' | 'attached' | 'targets';

/** AWS's page size when none is given is not documented; this is fleetca's, within the model's 1–250. */
export const DEFAULT_POLICY_PAGE_SIZE = 25;

const KEY_FORMAT: Readonly<Record<PolicyListing, RegExp>> = {
  policies: /^[\w+=,.@-]{1,128}$/,
  attached: /^[\w+=,.@-]{1,128}$/,
  targets: /^[0-9a-f]{64}$/,
};

const markers = keyTokens<PolicyListing>('p1', KEY_FORMAT, 'marker');
export const encodePolicyMarker = markers.encode;
export const decodePolicyMarker = markers.decode;

/** A store page query from an operation's pageSize / marker. */
export function namePageQuery(
  listing: PolicyListing,
  input: { readonly pageSize?: number; readonly marker?: string },
): { limit: number; after?: string } {
  return {
    limit: input.pageSize ?? DEFAULT_POLICY_PAGE_SIZE,
    ...(input.marker !== undefined && { after: decodePolicyMarker(listing, input.marker) }),
  };
}
