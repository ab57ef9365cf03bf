import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../../src/errors.js';
import { SearchCertificates } from '../../../src/model/fleet.js';
import { decodeSearchMarker, encodeSearchMarker } from '../../../src/operations/fleet/search-marker.js';
import { validateInput } from '../../../src/operations/validate-input.js';

const ID = 'a'.repeat(64);

test('markers round-trip in every order, negative sort values included, and satisfy the model pattern', () => {
  const cases = [
    {
      search: { sortBy: 'CREATION_DATE', ascending: false },
      cursor: { sortValue: 1_700_000_000_123, certificateId: ID },
    },
    // A certificate registered with a notAfter in 1955.
    {
      search: { sortBy: 'NOT_AFTER', ascending: true, status: 'ACTIVE' },
      cursor: { sortValue: -460_000_000_000, certificateId: ID },
    },
    { search: { sortBy: 'CERTIFICATE_ID', ascending: true, idPrefix: 'a' }, cursor: { certificateId: ID } },
  ] as const;
  for (const { search, cursor } of cases) {
    const marker = encodeSearchMarker(cursor, search);
    validateInput(SearchCertificates.input, { marker });
    assert.deepEqual(decodeSearchMarker(marker, search), cursor);
  }
});

test('a marker without the sort value its order has, or with one it has not, is not valid', () => {
  const byId = encodeSearchMarker({ certificateId: ID }, { sortBy: 'CERTIFICATE_ID', ascending: false });
  const forged = Buffer.from(Buffer.from(byId, 'base64').toString('utf8').replace(':I:', ':C:')).toString('base64');
  assert.throws(
    () => decodeSearchMarker(forged, { sortBy: 'CREATION_DATE', ascending: false }),
    (err: unknown) => err instanceof ServiceError && /^The marker is not valid/.test(err.message),
  );
});
