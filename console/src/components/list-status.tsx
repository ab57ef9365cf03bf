/** The parts under every simple list: the error, the loading line, the empty state and the pager. */
import type { PagedList } from '../state/use-paged-list.js';
import { EmptyState, ErrorAlert, Loading } from './feedback.js';
import { Pager } from './pager.js';

export function ListStatus<T>({ list, label, empty }: { list: PagedList<T>; label: string; empty: string }) {
  return (
    <>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.loading ? <Loading /> : null}
      {!list.loading && list.loaded && list.items.length === 0 ? <EmptyState>{empty}</EmptyState> : null}
      <Pager stack={list.stack} loading={list.loading} label={label} onPrevious={list.previous} onNext={list.next} />
    </>
  );
}
