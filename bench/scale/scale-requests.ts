/**
 * The requests of the scale benchmark and what their responses must be, worked out from the synthetic registry
 * alone: DescribeCertificate of any row, and ListCertificates pages at the head, the middle and the tail of the
 * newest-first order (the default order), reached with the marker a client would hold there.
 */

import { toPem } from '../../src/ca/pem.js';
import { encodeMarker } from '../../src/operations/list-marker.js';
import type { Call } from '../iot-requests.js';
import type { Reply } from '../sigv4-client.js';
import type { SortKey, SyntheticRegistry } from './synthetic-registry.js';

/** ListCertificates' page size when the request gives none. */
export const DEFAULT_PAGE_SIZE = 25;

export type PagePosition = 'first' | 'middle' | 'last';
export const PAGE_POSITIONS: readonly PagePosition[] = ['first', 'middle', 'last'];

/** DescribeCertificate of row `index`: its id, status and the very PEM that was loaded. */
export function describeRowCall(registry: SyntheticRegistry, index: number): Call {
  const certificateId = registry.certificateId(index);
  return {
    request: { method: 'GET', path: `/certificates/${certificateId}` },
    check: (reply) => {
      const json = parseOk(reply) as { certificateDescription?: Record<string, unknown> } | string;
      if (typeof json === 'string') return json;
      const described = json.certificateDescription;
      if (described?.certificateId !== certificateId) {
        return `described ${String(described?.certificateId)}, asked for row ${index} (${certificateId})`;
      }
      if (described.status !== registry.status(index)) {
        return `row ${index}: status ${String(described.status)}, loaded ${registry.status(index)}`;
      }
      if (described.certificatePem !== toPem('CERTIFICATE', registry.der(index))) {
        return `row ${index}: certificatePem is not the one loaded`;
      }
      return undefined;
    },
  };
}

/** A page to ask for and what it must hold: newest first, so `expected` runs from newer to older. */
export interface PageSpec {
  readonly size: number;
  /** The row whose marker the request carries; none for the first page. */
  readonly marker?: SortKey;
  readonly expected: readonly SortKey[];
  readonly hasNext: boolean;
}

/**
 * first: no marker. middle: the marker of the row at the middle of the order. last: the marker of the row just
 * newer than the `size` oldest, so the page is exactly the oldest rows and has no nextMarker.
 */
export function pageSpec(registry: SyntheticRegistry, position: PagePosition, size: number): PageSpec {
  const rows = registry.rows;
  if (rows < 4 * size) throw new Error(`${rows} rows are too few for pages of ${size}`);
  // Positions in the ascending (creation_date, certificate_id) order; the page is [markerAt - size, markerAt).
  const markerAt = position === 'first' ? rows : position === 'middle' ? Math.floor(rows / 2) : size;
  const [marker] = markerAt < rows ? registry.sortedSlice(markerAt, markerAt + 1) : [];
  return {
    size,
    ...(marker && { marker }),
    expected: registry.sortedSlice(markerAt - size, markerAt).reverse(),
    hasNext: markerAt - size > 0,
  };
}

/** One ListCertificates request (see pageSpec); `pageSize` undefined: the request gives none (default 25). */
export function listPageCall(registry: SyntheticRegistry, position: PagePosition, pageSize?: number): Call {
  const page = pageSpec(registry, position, pageSize ?? DEFAULT_PAGE_SIZE);
  const query: Record<string, string> = {};
  if (pageSize !== undefined) query.pageSize = String(pageSize);
  if (page.marker) query.marker = encodeMarker(page.marker);
  return {
    request: { method: 'GET', path: '/certificates', query },
    check: (reply) => checkPage(reply, registry, page.expected, page.hasNext),
  };
}

function checkPage(
  reply: Reply,
  registry: SyntheticRegistry,
  expected: readonly SortKey[],
  hasNext: boolean,
): string | undefined {
  const json = parseOk(reply) as { certificates?: unknown; nextMarker?: unknown } | string;
  if (typeof json === 'string') return json;
  const listed = json.certificates;
  if (!Array.isArray(listed)) return 'no certificates array';
  if (listed.length !== expected.length) return `${listed.length} certificates, expected ${expected.length}`;
  for (const [k, want] of expected.entries()) {
    const got = listed[k] as { certificateId?: unknown; creationDate?: unknown; status?: unknown };
    if (got.certificateId !== want.certificateId) {
      return `position ${k}: ${String(got.certificateId)}, expected row ${want.index} (${want.certificateId})`;
    }
    // rest-json timestamps are epoch seconds with the milliseconds as a fraction.
    if (typeof got.creationDate !== 'number' || Math.round(got.creationDate * 1000) !== want.creationDate) {
      return `position ${k}: creationDate ${String(got.creationDate)}, expected ${want.creationDate / 1000}`;
    }
    if (got.status !== registry.status(want.index)) return `position ${k}: status ${String(got.status)}`;
  }
  const next = typeof json.nextMarker === 'string' && json.nextMarker !== '';
  if (next !== hasNext) return hasNext ? 'nextMarker missing' : `unexpected nextMarker ${String(json.nextMarker)}`;
  return undefined;
}

/** The JSON of a 200 answer, or what is wrong with the answer. */
export function parseOk(reply: Reply): unknown {
  if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.body.slice(0, 200)}`;
  try {
    return JSON.parse(reply.body) as unknown;
  } catch {
    return `not JSON: ${reply.body.slice(0, 200)}`;
  }
}
