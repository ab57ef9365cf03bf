/**
 * The certificate search form: what the operator typed (strings, as in the form and in the page address) turned
 * into a SearchCertificates request, with plain reasons for what cannot be sent.
 */
import {
  CERTIFICATE_STATUSES,
  type CertificateStatus,
  type SearchCertificatesRequest,
  SORT_KEYS,
  type SortKey,
} from '../api/fleet-types.js';

export interface SearchForm {
  idPrefix: string;
  status: string;
  caCertificateId: string;
  /** YYYY-MM-DD, the first day included (UTC). */
  createdFrom: string;
  /** YYYY-MM-DD, the last day included (UTC). */
  createdTo: string;
  sortBy: string;
  /** 'asc' or 'desc'. */
  order: string;
  pageSize: string;
}

export const PAGE_SIZES = [25, 50, 100] as const;

export const emptySearchForm: SearchForm = {
  idPrefix: '',
  status: '',
  caCertificateId: '',
  createdFrom: '',
  createdTo: '',
  sortBy: 'CREATION_DATE',
  order: 'desc',
  pageSize: '25',
};

export type SearchRequest = Omit<SearchCertificatesRequest, 'marker'>;

export type SearchParse = { ok: true; request: SearchRequest } | { ok: false; problems: string[] };

const HEX = /^[0-9a-f]+$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDay(text: string): Date | undefined {
  const match = DAY.exec(text);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? undefined : date;
}

export function toSearchRequest(form: SearchForm): SearchParse {
  const problems: string[] = [];
  const request: SearchRequest = {};
  const idPrefix = form.idPrefix.trim().toLowerCase();
  if (idPrefix) {
    if (!HEX.test(idPrefix) || idPrefix.length > 64) {
      problems.push('The certificate id prefix takes up to 64 hexadecimal digits (0–9, a–f).');
    } else request.idPrefix = idPrefix;
  }
  if (form.status) {
    if ((CERTIFICATE_STATUSES as readonly string[]).includes(form.status)) {
      request.status = form.status as CertificateStatus;
    } else problems.push(`${form.status} is not a certificate status.`);
  }
  const caId = form.caCertificateId.trim().toLowerCase();
  if (caId) {
    if (!HEX.test(caId) || caId.length !== 64) problems.push('A CA certificate id is 64 hexadecimal digits.');
    else request.caCertificateId = caId;
  }
  const from = form.createdFrom ? utcDay(form.createdFrom) : undefined;
  if (form.createdFrom && !from) problems.push('"Created from" is not a date (YYYY-MM-DD).');
  if (from) request.createdAfter = from;
  const to = form.createdTo ? utcDay(form.createdTo) : undefined;
  if (form.createdTo && !to) problems.push('"Created to" is not a date (YYYY-MM-DD).');
  // The last day is included: the API's createdBefore is exclusive, so ask for the start of the day after.
  if (to) request.createdBefore = new Date(to.getTime() + 86_400_000);
  if (from && to && from.getTime() > to.getTime()) problems.push('"Created from" is after "Created to".');
  if (form.sortBy) {
    if ((SORT_KEYS as readonly string[]).includes(form.sortBy)) request.sortBy = form.sortBy as SortKey;
    else problems.push(`${form.sortBy} is not a sort order.`);
  }
  request.ascendingOrder = form.order === 'asc';
  const pageSize = Number(form.pageSize || '25');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 250) {
    problems.push('The page size is a whole number from 1 to 250.');
  } else request.pageSize = pageSize;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, request };
}

/** The form as the query of the page address (`#/certificates?status=ACTIVE`), defaults left out. */
export function formToQuery(form: SearchForm): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(emptySearchForm) as (keyof SearchForm)[]) {
    const value = form[key].trim();
    if (value && value !== emptySearchForm[key]) params.set(key, value);
  }
  return params.toString();
}

/** The form from the query of the page address; unknown keys are ignored, missing ones take the defaults. */
export function formFromQuery(query: URLSearchParams): SearchForm {
  const form = { ...emptySearchForm };
  for (const key of Object.keys(emptySearchForm) as (keyof SearchForm)[]) {
    const value = query.get(key);
    if (value !== null) form[key] = value;
  }
  return form;
}

/** The next sort after a click on a column header: the same column flips the order, another starts descending. */
export function toggledSort(form: SearchForm, sortBy: SortKey): SearchForm {
  if (form.sortBy === sortBy) return { ...form, order: form.order === 'asc' ? 'desc' : 'asc' };
  return { ...form, sortBy, order: 'desc' };
}
