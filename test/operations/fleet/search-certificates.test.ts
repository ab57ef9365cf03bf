import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CertificateRecord } from '../../../src/domain/certificates/certificate-record.js';
import { ListCertificates } from '../../../src/model/certificates.js';
import { SearchCertificates } from '../../../src/model/fleet.js';
import { SEARCH_SCAN_LIMIT } from '../../../src/operations/fleet/search-certificates.js';
import { certificateIdOf, makeRecord, T0 } from '../../registry/certificate-fixtures.js';
import { OTHER_ACCOUNT, openTestService, type TestService } from '../operation-context.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CA = certificateIdOf('search-op-ca');

interface Found {
  readonly certificateId: string;
  readonly status: string;
  readonly creationDate: number;
}

/** Every page of a search through the operation, following nextMarker. */
async function everyPage(service: TestService, input: Record<string, unknown>) {
  const pages: { certificates: Found[]; nextMarker?: string }[] = [];
  let marker: string | undefined;
  do {
    const page = (await service.call(SearchCertificates, { ...input, ...(marker && { marker }) })) as {
      certificates: Found[];
      nextMarker?: string;
    };
    pages.push(page);
    marker = page.nextMarker;
  } while (marker !== undefined && pages.length < 100);
  return { pages, ids: pages.flatMap((page) => page.certificates.map((c) => c.certificateId)) };
}

/** The InvalidRequestException message a search fails with. */
async function refusal(service: TestService, input: Record<string, unknown>): Promise<string> {
  const error = await service.failure(SearchCertificates, input);
  assert.equal(error.code, 'InvalidRequestException');
  return error.message;
}

describe('SearchCertificates', () => {
  let service: TestService;
  const records: CertificateRecord[] = [];

  before(async () => {
    service = await openTestService('fleetca-search-');
    for (let i = 0; i < 12; i++) {
      const record = makeRecord(`op-${i}`, {
        status: i % 3 === 0 ? 'REVOKED' : 'ACTIVE',
        creationDate: T0 + i * HOUR,
        notAfter: T0 + (12 - i) * 24 * HOUR,
        ...(i % 2 === 0 && { caCertificateId: CA }),
      });
      records.push(record);
      await service.registry.certificates.insertCertificate(record);
    }
    await service.registry.certificates.insertCertificate(makeRecord('op-other', { ...OTHER_ACCOUNT }));
  });
  after(() => service.close());

  test('newest first by default, each certificate with its ARN, CA and validity', async () => {
    const page = (await service.call(SearchCertificates, { pageSize: 2 })) as { certificates: unknown[] };
    const newest = records[11] as CertificateRecord;
    const next = records[10] as CertificateRecord;
    assert.deepEqual(page.certificates, [
      {
        certificateId: newest.certificateId,
        certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${newest.certificateId}`,
        status: 'ACTIVE',
        certificateMode: 'DEFAULT',
        caCertificateId: undefined,
        creationDate: newest.creationDate,
        validity: { notBefore: newest.notBefore, notAfter: newest.notAfter },
      },
      {
        certificateId: next.certificateId,
        certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${next.certificateId}`,
        status: 'ACTIVE',
        certificateMode: 'DEFAULT',
        caCertificateId: CA,
        creationDate: next.creationDate,
        validity: { notBefore: next.notBefore, notAfter: next.notAfter },
      },
    ]);
  });

  test('markers page through the filters and orders asked, never into other accounts', async () => {
    const all = await everyPage(service, { pageSize: 5 });
    assert.deepEqual(
      all.ids,
      [...records].reverse().map((r) => r.certificateId),
    );
    const revoked = await everyPage(service, {
      status: 'REVOKED',
      sortBy: 'NOT_AFTER',
      ascendingOrder: true,
      pageSize: 1,
    });
    assert.deepEqual(
      revoked.ids,
      records
        .filter((r) => r.status === 'REVOKED')
        .map((r) => r.certificateId)
        .reverse(),
    );
    // A CA id in capitals names the same CA.
    const byCa = await everyPage(service, { caCertificateId: CA.toUpperCase(), sortBy: 'CERTIFICATE_ID', pageSize: 2 });
    assert.deepEqual(
      byCa.ids,
      records
        .filter((r) => r.caCertificateId === CA)
        .map((r) => r.certificateId)
        .sort()
        .reverse(),
    );
    const window = await everyPage(service, { createdAfter: T0 + 3 * HOUR, createdBefore: T0 + 6 * HOUR });
    assert.deepEqual(
      window.ids,
      [5, 4, 3].map((i) => (records[i] as CertificateRecord).certificateId),
    );
    const expiring = await everyPage(service, { expiresBefore: T0 + 3 * 24 * HOUR, ascendingOrder: true });
    assert.deepEqual(
      expiring.ids,
      [10, 11].map((i) => (records[i] as CertificateRecord).certificateId),
    );
    const prefix = (records[4] as CertificateRecord).certificateId.slice(0, 3);
    const byPrefix = await everyPage(service, { idPrefix: prefix });
    assert.deepEqual(byPrefix.ids, [(records[4] as CertificateRecord).certificateId]);
  });

  test('an unknown prefix or CA finds nothing, and says so without a marker', async () => {
    for (const input of [{ idPrefix: 'ffffffffff' }, { caCertificateId: certificateIdOf('nobody') }]) {
      assert.deepEqual(await service.call(SearchCertificates, input), { certificates: [], nextMarker: undefined });
    }
  });

  test('markers that are not ones it made, or made for another search, are refused', async () => {
    for (const marker of ['YWJj', Buffer.from(`s1:C:d:12:${'g'.repeat(64)}:00000000`).toString('base64')]) {
      assert.match(await refusal(service, { marker }), /^The marker is not valid: /);
    }
    const listing = (await service.call(ListCertificates, { pageSize: 1 })) as { nextMarker: string };
    assert.match(await refusal(service, { marker: listing.nextMarker }), /^The marker is not valid: /);
    const { nextMarker } = (await service.call(SearchCertificates, { status: 'ACTIVE', pageSize: 1 })) as {
      nextMarker: string;
    };
    assert.match(
      await refusal(service, { status: 'ACTIVE', marker: nextMarker, sortBy: 'NOT_AFTER' }),
      /another order/,
    );
    assert.match(
      await refusal(service, { status: 'ACTIVE', marker: nextMarker, ascendingOrder: true }),
      /another order/,
    );
    assert.match(await refusal(service, { status: 'REVOKED', marker: nextMarker }), /other filters/);
    assert.match(await refusal(service, { marker: nextMarker }), /other filters/);
    // Not base64 at all: the model's pattern.
    assert.match(await refusal(service, { marker: 'not a marker!' }), /marker.*regular expression pattern/);
  });

  test('enums, the id prefix, the CA id and the page size are checked against the model', async () => {
    assert.match(await refusal(service, { status: 'EXPIRED' }), /status.*enum value set: \[ACTIVE, INACTIVE/);
    assert.match(await refusal(service, { sortBy: 'NAME' }), /sortBy.*\[CREATION_DATE, CERTIFICATE_ID, NOT_AFTER\]/);
    assert.match(await refusal(service, { idPrefix: 'ABC' }), /idPrefix.*regular expression pattern: \[0-9a-f\]\+/);
    assert.match(await refusal(service, { idPrefix: '' }), /idPrefix.*length greater than or equal to 1/);
    assert.match(await refusal(service, { idPrefix: 'a'.repeat(65) }), /idPrefix.*length less than or equal to 64/);
    assert.match(await refusal(service, { caCertificateId: 'abc' }), /caCertificateId/);
    assert.match(await refusal(service, { pageSize: 0 }), /pageSize.*greater than or equal to 1/);
    assert.match(await refusal(service, { pageSize: 251 }), /pageSize.*less than or equal to 250/);
    for (const pageSize of [1, 250]) await service.call(SearchCertificates, { pageSize });
  });
});

describe('SearchCertificates at the scan limit', () => {
  test('a filter matching little ends a page early, empty with a marker, and the next call goes on', async () => {
    const service = await openTestService('fleetca-search-scan-');
    try {
      // Only the oldest certificate expires soon: newest first, it lies past the first call's scan.
      const count = SEARCH_SCAN_LIMIT + 50;
      for (let from = 0; from < count; from += 500) {
        await Promise.all(
          Array.from({ length: Math.min(500, count - from) }, (_, k) => {
            const i = from + k;
            const record = makeRecord(`scan-${i}`, { creationDate: T0 + i, ...(i === 0 && { notAfter: T0 + DAY }) });
            return service.registry.certificates.insertCertificate(record);
          }),
        );
      }
      type Page = { certificates: Found[]; nextMarker?: string };
      const input = { expiresBefore: T0 + 2 * DAY };
      const first = (await service.call(SearchCertificates, input)) as Page;
      assert.deepEqual(first.certificates, []);
      assert.ok(first.nextMarker, 'an empty page whose scan stopped early carries a marker');
      const second = (await service.call(SearchCertificates, { ...input, marker: first.nextMarker })) as Page;
      assert.deepEqual(
        second.certificates.map((c) => c.certificateId),
        [certificateIdOf('scan-0')],
      );
      assert.equal(second.nextMarker, undefined);
    } finally {
      await service.close();
    }
  });
});
