import { serviceErrors } from '../errors.js';
import type { ListCursor } from '../registry/keyset-page.js';

/**
 * The paging of the List* operations: opaque base64 markers (the model's pattern) holding the last
 * row's sort key, so the next page is a keyset seek that costs the same at any depth.
 */
const FORMAT = /^c1:(\d{1,16}):([0-9a-f]{64})$/;
const DEFAULT_PAGE_SIZE = 25;

export interface PagingInput {
  readonly pageSize?: number;
  readonly marker?: string;
  readonly ascendingOrder?: boolean;
}

export function encodeMarker(cursor: ListCursor): string {
  return Buffer.from(`c1:${cursor.creationDate}:${cursor.certificateId}`, 'utf8').toString('base64');
}

export function decodeMarker(marker: string): ListCursor {
  const match = FORMAT.exec(Buffer.from(marker, 'base64').toString('utf8'));
  if (!match?.[1] || !match[2]) throw serviceErrors.invalidRequest(`The marker is not valid: ${marker}`);
  return { creationDate: Number(match[1]), certificateId: match[2] };
}

/** A store page query from the operation's pageSize / marker / ascendingOrder (newest first by default). */
export function pageQuery(input: PagingInput): { limit: number; ascending: boolean; after?: ListCursor } {
  return {
    limit: input.pageSize ?? DEFAULT_PAGE_SIZE,
    ascending: input.ascendingOrder === true,
    ...(input.marker !== undefined && { after: decodeMarker(input.marker) }),
  };
}
