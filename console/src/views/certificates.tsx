/**
 * The certificate list: SearchCertificates with the form's filters, sortable columns and marker paging. The
 * search lives in the page address (`#/certificates?status=ACTIVE`), so a result can be linked and Back returns.
 */
import { useState } from 'preact/hooks';
import type { SortKey } from '../api/fleet-types.js';
import { CertificateSearchForm } from '../components/certificate-search-form.js';
import { PageHeader } from '../components/facts.js';
import { EmptyState, ErrorAlert, Loading } from '../components/feedback.js';
import { Pager } from '../components/pager.js';
import { StatusBadge } from '../components/status-badge.js';
import {
  emptySearchForm,
  formFromQuery,
  formToQuery,
  toggledSort,
  toSearchRequest,
} from '../lib/certificate-search.js';
import { formatDateTime, shortId } from '../lib/format.js';
import { currentStart, fillPage, firstPage, goNext, goPrevious, type MarkerStack, withNext } from '../lib/paging.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';
import { useAsync } from '../state/use-async.js';

/** Calls one page may take to fill up when a filter matches little (each call examines a bounded slice). */
const MAX_CALLS_PER_PAGE = 8;

export function CertificatesView({ query }: { query: URLSearchParams }) {
  const { fleet } = useSession();
  const applied = formFromQuery(query);
  const [form, setForm] = useState(applied);
  const [stack, setStack] = useState<MarkerStack>(firstPage);
  const parsed = toSearchRequest(applied);
  const start = currentStart(stack);

  const page = useAsync(async () => {
    if (!parsed.ok) return undefined;
    const { request } = parsed;
    const filled = await fillPage(
      async (marker, pageSize) => {
        const answer = await fleet.searchCertificates({ ...request, pageSize, ...(marker ? { marker } : {}) });
        return { items: answer.certificates, next: answer.nextMarker };
      },
      start,
      request.pageSize ?? 25,
      MAX_CALLS_PER_PAGE,
    );
    return filled;
  }, [fleet, query.toString(), start, stack.starts.length]);

  const search = (next = form) => {
    const target = `#/certificates${formToQuery(next) ? `?${formToQuery(next)}` : ''}`;
    if (target === location.hash) page.reload();
    else location.hash = target;
  };
  const sortBy = (key: SortKey) => search(toggledSort(applied, key));
  const ariaSort = (key: SortKey) =>
    applied.sortBy === key ? (applied.order === 'asc' ? 'ascending' : 'descending') : undefined;
  // The next marker is the loaded page's own (while a page loads, Next waits for it).
  const paging = withNext(stack, page.loading ? undefined : page.data?.next);
  const items = page.data?.items ?? [];
  const short = page.data?.next && items.length < (parsed.ok ? (parsed.request.pageSize ?? 25) : 25);

  return (
    <>
      <PageHeader title="Certificates">
        <a class="button button-primary" href={href('certificates', 'new')} data-testid="create-certificate-link">
          Create certificate
        </a>
      </PageHeader>
      <CertificateSearchForm
        form={form}
        onChange={setForm}
        onSubmit={() => search()}
        onReset={() => {
          setForm(emptySearchForm);
          search(emptySearchForm);
        }}
      />
      {parsed.ok ? null : (
        <div class="alert alert-error" role="alert" data-testid="error-alert">
          <ul>
            {parsed.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorAlert error={page.error} onRetry={page.reload} />
      <div class="table-wrap" aria-busy={page.loading}>
        <table class="table" data-testid="certificate-table">
          <caption class="visually-hidden">Certificates, sorted by the column marked as sorted</caption>
          <thead>
            <tr>
              <SortableHeader label="Certificate id" sortKey="CERTIFICATE_ID" sort={ariaSort} onSort={sortBy} />
              <th scope="col">Status</th>
              <SortableHeader label="Created" sortKey="CREATION_DATE" sort={ariaSort} onSort={sortBy} />
              <SortableHeader label="Expires" sortKey="NOT_AFTER" sort={ariaSort} onSort={sortBy} />
              <th scope="col">Mode</th>
              <th scope="col">CA certificate</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.certificateId} data-testid="certificate-row" data-certificate-id={c.certificateId}>
                <th scope="row">
                  <a href={href('certificates', c.certificateId)} class="mono" title={c.certificateId}>
                    {shortId(c.certificateId, 16)}
                  </a>
                </th>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>{formatDateTime(c.creationDate)}</td>
                <td>{formatDateTime(c.validity?.notAfter)}</td>
                <td>{c.certificateMode ?? '–'}</td>
                <td class="mono">
                  {c.caCertificateId ? (
                    <a href={href('ca-certificates', c.caCertificateId)} title={c.caCertificateId}>
                      {shortId(c.caCertificateId)}
                    </a>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.loading ? <Loading what="Searching…" /> : null}
      {!page.loading && page.data && items.length === 0 ? (
        <EmptyState>
          {page.data.next
            ? 'Nothing matched in the part of the registry examined so far: Next searches further.'
            : 'No certificate matches this search.'}
        </EmptyState>
      ) : null}
      {!page.loading && short && items.length > 0 ? (
        <p class="hint" data-testid="partial-page-note">
          This page is short because only part of the registry was examined; Next searches further.
        </p>
      ) : null}
      <Pager
        stack={paging}
        loading={page.loading}
        label="Certificate"
        onPrevious={() => setStack(goPrevious(paging))}
        onNext={() => setStack(goNext(paging))}
      />
    </>
  );
}

interface SortableHeaderProps {
  readonly label: string;
  readonly sortKey: SortKey;
  readonly sort: (key: SortKey) => 'ascending' | 'descending' | undefined;
  readonly onSort: (key: SortKey) => void;
}

function SortableHeader({ label, sortKey, sort, onSort }: SortableHeaderProps) {
  const current = sort(sortKey);
  return (
    <th scope="col" aria-sort={current ?? 'none'}>
      <button type="button" class="sort-button" onClick={() => onSort(sortKey)} data-testid={`sort-${sortKey}`}>
        {label}
        <span aria-hidden="true">{current === 'ascending' ? ' ▲' : current === 'descending' ? ' ▼' : ' ↕'}</span>
      </button>
    </th>
  );
}
