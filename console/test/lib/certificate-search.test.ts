import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emptySearchForm,
  formFromQuery,
  formToQuery,
  type SearchForm,
  toggledSort,
  toSearchRequest,
} from '../../src/lib/certificate-search.js';

const ca = 'ab'.repeat(32);

test('the empty form asks for the newest first, 25 a page', () => {
  assert.deepEqual(toSearchRequest(emptySearchForm), {
    ok: true,
    request: { sortBy: 'CREATION_DATE', ascendingOrder: false, pageSize: 25 },
  });
});

test('every filter becomes its request member; the last day of the range is included', () => {
  const form: SearchForm = {
    idPrefix: ' 3F1C ',
    status: 'REVOKED',
    caCertificateId: ca.toUpperCase(),
    createdFrom: '2026-12-01',
    createdTo: '2026-12-07',
    sortBy: 'NOT_AFTER',
    order: 'asc',
    pageSize: '100',
  };
  const parsed = toSearchRequest(form);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.request, {
    idPrefix: '3f1c',
    status: 'REVOKED',
    caCertificateId: ca,
    createdAfter: new Date('2026-12-01T00:00:00Z'),
    createdBefore: new Date('2026-12-08T00:00:00Z'),
    sortBy: 'NOT_AFTER',
    ascendingOrder: true,
    pageSize: 100,
  });
});

test('what cannot be sent is refused with plain reasons, all at once', () => {
  const parsed = toSearchRequest({
    ...emptySearchForm,
    idPrefix: 'xyz',
    status: 'SLEEPING',
    caCertificateId: 'abc',
    createdFrom: '2026-02-30',
    createdTo: 'yesterday',
    sortBy: 'COLOUR',
    pageSize: '0',
  });
  assert.equal(parsed.ok, false);
  assert.ok(!parsed.ok);
  assert.deepEqual(parsed.problems, [
    'The certificate id prefix takes up to 64 hexadecimal digits (0–9, a–f).',
    'SLEEPING is not a certificate status.',
    'A CA certificate id is 64 hexadecimal digits.',
    '"Created from" is not a date (YYYY-MM-DD).',
    '"Created to" is not a date (YYYY-MM-DD).',
    'COLOUR is not a sort order.',
    'The page size is a whole number from 1 to 250.',
  ]);
  const reversed = toSearchRequest({ ...emptySearchForm, createdFrom: '2026-12-09', createdTo: '2026-12-01' });
  assert.ok(!reversed.ok);
  assert.deepEqual(reversed.problems, ['"Created from" is after "Created to".']);
  const long = toSearchRequest({ ...emptySearchForm, idPrefix: 'a'.repeat(65) });
  assert.equal(long.ok, false);
});

test('the form travels in the page address, defaults left out', () => {
  const form = { ...emptySearchForm, status: 'ACTIVE', idPrefix: 'ab', order: 'asc' };
  const query = formToQuery(form);
  assert.equal(query, 'idPrefix=ab&status=ACTIVE&order=asc');
  assert.deepEqual(formFromQuery(new URLSearchParams(query)), form);
  assert.equal(formToQuery(emptySearchForm), '');
  assert.deepEqual(formFromQuery(new URLSearchParams('bogus=1')), emptySearchForm);
});

test('a click on a column header sorts by it, a second click flips the order', () => {
  const byId = toggledSort(emptySearchForm, 'CERTIFICATE_ID');
  assert.equal(byId.sortBy, 'CERTIFICATE_ID');
  assert.equal(byId.order, 'desc');
  assert.equal(toggledSort(byId, 'CERTIFICATE_ID').order, 'asc');
  assert.equal(toggledSort(emptySearchForm, 'CREATION_DATE').order, 'asc');
});
