/** A marker-paged list (ListThings, ListPolicies, …): the current page, loading, error, and Previous / Next. */
import { useState } from 'preact/hooks';
import { currentStart, firstPage, goNext, goPrevious, type MarkerStack, type Page, withNext } from '../lib/paging.js';
import { useAsync } from './use-async.js';

export interface PagedList<T> {
  readonly items: readonly T[];
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: unknown;
  readonly reload: () => void;
  readonly stack: MarkerStack;
  readonly previous: () => void;
  readonly next: () => void;
}

export function usePagedList<T>(
  load: (marker: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): PagedList<T> {
  const [stack, setStack] = useState<MarkerStack>(firstPage);
  const start = currentStart(stack);
  const page = useAsync(() => load(start), [...deps, start, stack.starts.length]);
  const paging = withNext(stack, page.loading ? undefined : page.data?.next);
  return {
    items: page.data?.items ?? [],
    loaded: page.data !== undefined,
    loading: page.loading,
    error: page.error,
    reload: page.reload,
    stack: paging,
    previous: () => setStack(goPrevious(paging)),
    next: () => setStack(goNext(paging)),
  };
}
