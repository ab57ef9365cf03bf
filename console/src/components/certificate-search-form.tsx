/** The search form of the certificate list: id prefix, status, CA, creation dates, sort and page size. */
import { CERTIFICATE_STATUSES } from '../api/fleet-types.js';
import { PAGE_SIZES, type SearchForm } from '../lib/certificate-search.js';

interface Props {
  readonly form: SearchForm;
  readonly onChange: (form: SearchForm) => void;
  readonly onSubmit: () => void;
  readonly onReset: () => void;
}

const SORT_LABELS: Record<string, string> = {
  CREATION_DATE: 'Creation date',
  CERTIFICATE_ID: 'Certificate id',
  NOT_AFTER: 'Expiry date',
};

export function CertificateSearchForm({ form, onChange, onSubmit, onReset }: Props) {
  const set = (key: keyof SearchForm) => (event: Event) =>
    onChange({ ...form, [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const submit = (event: Event) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form class="search-form" onSubmit={submit} aria-label="Search certificates" data-testid="certificate-search">
      <div class="field">
        <label for="search-id-prefix">Certificate id starts with</label>
        <input
          id="search-id-prefix"
          value={form.idPrefix}
          onInput={set('idPrefix')}
          spellcheck={false}
          autocomplete="off"
          placeholder="hex digits, e.g. 3f1c"
          data-testid="search-id-prefix"
        />
      </div>
      <div class="field">
        <label for="search-status">Status</label>
        <select id="search-status" value={form.status} onChange={set('status')} data-testid="search-status">
          <option value="">Any status</option>
          {CERTIFICATE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-wide">
        <label for="search-ca-id">CA certificate id</label>
        <input
          id="search-ca-id"
          value={form.caCertificateId}
          onInput={set('caCertificateId')}
          spellcheck={false}
          autocomplete="off"
          placeholder="64 hex digits"
          data-testid="search-ca-id"
        />
      </div>
      <div class="field">
        <label for="search-created-from">Created from (UTC)</label>
        <input
          id="search-created-from"
          type="date"
          value={form.createdFrom}
          onInput={set('createdFrom')}
          data-testid="search-created-from"
        />
      </div>
      <div class="field">
        <label for="search-created-to">Created to (UTC, included)</label>
        <input
          id="search-created-to"
          type="date"
          value={form.createdTo}
          onInput={set('createdTo')}
          data-testid="search-created-to"
        />
      </div>
      <div class="field">
        <label for="search-sort-by">Sort by</label>
        <select id="search-sort-by" value={form.sortBy} onChange={set('sortBy')} data-testid="search-sort-by">
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="search-order">Order</label>
        <select id="search-order" value={form.order} onChange={set('order')} data-testid="search-order">
          <option value="desc">Descending (newest first)</option>
          <option value="asc">Ascending (oldest first)</option>
        </select>
      </div>
      <div class="field">
        <label for="search-page-size">Per page</label>
        <select id="search-page-size" value={form.pageSize} onChange={set('pageSize')} data-testid="search-page-size">
          {PAGE_SIZES.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" data-testid="search-submit">
          Search
        </button>
        <button type="button" class="button" onClick={onReset} data-testid="search-reset">
          Clear
        </button>
      </div>
    </form>
  );
}
