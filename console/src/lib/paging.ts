/**
 * Server-side paging by opaque markers. A list is walked forwards only (the API has no "previous" marker), so
 * Previous works by remembering the marker each page started at: a stack whose top is the current page's start.
 */
export interface MarkerStack {
  /** The marker each visited page started at; the first page starts at `undefined`. */
  readonly starts: readonly (string | undefined)[];
  /** Where the page after the current one starts; undefined when the current page is the last. */
  readonly next: string | undefined;
}

export const firstPage: MarkerStack = { starts: [undefined], next: undefined };

/** The marker to ask for the current page with. */
export function currentStart(stack: MarkerStack): string | undefined {
  return stack.starts[stack.starts.length - 1];
}

/** 1-based number of the current page. */
export function pageNumber(stack: MarkerStack): number {
  return stack.starts.length;
}

/** Records what the current page's answer said about the next one. */
export function withNext(stack: MarkerStack, next: string | undefined): MarkerStack {
  return { starts: stack.starts, next: next || undefined };
}

export function hasNext(stack: MarkerStack): boolean {
  return stack.next !== undefined;
}

export function hasPrevious(stack: MarkerStack): boolean {
  return stack.starts.length > 1;
}

/** Moves to the next page (nothing changes at the last page). */
export function goNext(stack: MarkerStack): MarkerStack {
  if (stack.next === undefined) return stack;
  return { starts: [...stack.starts, stack.next], next: undefined };
}

/** Moves back one page (nothing changes on the first page); its next marker is learnt again by loading it. */
export function goPrevious(stack: MarkerStack): MarkerStack {
  if (stack.starts.length <= 1) return stack;
  return { starts: stack.starts.slice(0, -1), next: undefined };
}

/** One answer of a marker-paged list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string | undefined;
}

export interface FilledPage<T> {
  readonly items: T[];
  readonly next: string | undefined;
  /** Calls made; when `next` is set and items are short, the server stopped early and more may match. */
  readonly calls: number;
}

/**
 * Fills one page of up to `pageSize` items from a server that may answer short pages with a marker (it examines
 * a bounded number of entries per call): asks again from each marker until the page is full, the list ends, or
 * `maxCalls` calls were made, so a selective filter never leaves the operator looking at an empty page.
 */
export async function fillPage<T>(
  fetchPage: (marker: string | undefined, pageSize: number) => Promise<Page<T>>,
  start: string | undefined,
  pageSize: number,
  maxCalls: number,
): Promise<FilledPage<T>> {
  const items: T[] = [];
  let marker = start;
  let calls = 0;
  while (calls < maxCalls) {
    const page = await fetchPage(marker, pageSize - items.length);
    calls += 1;
    items.push(...page.items.slice(0, pageSize - items.length));
    marker = page.next || undefined;
    if (marker === undefined || items.length >= pageSize) break;
  }
  return { items, next: marker, calls };
}
