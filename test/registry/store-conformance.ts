import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Attachments, DeleteRule } from '../../src/domain/certificates/certificate-lifecycle.js';
import {
  type CertificateRecord,
  type CertificateSummary,
  summaryOf,
} from '../../src/domain/certificates/certificate-record.js';
import type { Scope } from '../../src/domain/scope.js';
import type { ListCursor } from '../../src/registry/keyset-page.js';
import { type CertificateStore, DuplicateCertificateError } from '../../src/registry/store.js';
import { certificateIdOf, makeRecord, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';
import { searchConformance } from './certificate-search-conformance.js';

/** What a store implementation hands the conformance suite for one test. */
export interface StoreFixture {
  readonly store: CertificateStore;
  /** A second, independent store on the same data (another connection); omit when there is none. */
  readonly reopen?: () => Promise<CertificateStore>;
  /** Closes the store and whatever `reopen` created, and removes the data. */
  readonly cleanup: () => Promise<void>;
}

/** An error a rule throws to refuse, standing in for an AWS ServiceError. */
class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

const NO_ATTACHMENTS: Attachments = { things: 0, policies: 0 };

/**
 * The behaviour every CertificateStore must show, run by each adapter's test file with its own
 * fixture (a fresh, empty store per test).
 */
export function storeConformance(name: string, open: () => Promise<StoreFixture>): void {
  const withStore = (fn: (fixture: StoreFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`${name}: CertificateStore conformance`, () => {
    searchConformance(withStore);

    describe('insert and get', () => {
      test(
        'round-trips every field, leaving absent optional fields absent',
        withStore(async ({ store }) => {
          const record = makeRecord('minimal');
          await store.insertCertificate(record);
          const got = await store.getCertificate(SCOPE, record.certificateId);
          assert.deepEqual(got, record);
          assert.ok(got && !('caCertificateId' in got) && !('previousOwnedBy' in got));
          assert.ok(got && !('issuedBy' in got) && !('revocationReason' in got));
        }),
      );

      test(
        'round-trips optional fields when present, and extreme values',
        withStore(async ({ store }) => {
          const record = makeRecord('full', {
            status: 'ACTIVE',
            caCertificateId: certificateIdOf('ca'),
            previousOwnedBy: '999999999999',
            certificatePem: `-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n${'é\r'.repeat(10)}\n-----END CERTIFICATE-----\n`,
            creationDate: 1684160838548,
            lastModifiedDate: 1684160999001,
            customerVersion: 2_147_483_000,
            generationId: '9925b445-1a04-428f-a17c-972eb41d87d3',
            notBefore: 0,
            notAfter: 253402300799999, // 9999-12-31T23:59:59.999Z
            certificateMode: 'SNI_ONLY',
            issuedBy: { issuerKeyId: 'a'.repeat(40), serialNumber: `7f${'0'.repeat(38)}` },
            revocationReason: 10,
          });
          await store.insertCertificate(record);
          assert.deepEqual(await store.getCertificate(SCOPE, record.certificateId), record);
        }),
      );

      test(
        'get of an unknown id is undefined',
        withStore(async ({ store }) => {
          assert.equal(await store.getCertificate(SCOPE, certificateIdOf('nobody')), undefined);
        }),
      );

      test(
        'a duplicate insert throws DuplicateCertificateError and leaves the original unchanged',
        withStore(async ({ store }) => {
          const original = makeRecord('dup');
          await store.insertCertificate(original);
          const clash = makeRecord('dup', { status: 'ACTIVE', certificatePem: 'other', generationId: 'other' });
          await assert.rejects(
            store.insertCertificate(clash),
            (error: unknown) =>
              error instanceof DuplicateCertificateError && error.certificateId === original.certificateId,
          );
          assert.deepEqual(await store.getCertificate(SCOPE, original.certificateId), original);
        }),
      );

      test(
        'a record is visible through a second connection',
        withStore(async ({ store, reopen }) => {
          if (!reopen) return;
          const record = makeRecord('durable', { caCertificateId: certificateIdOf('ca') });
          await store.insertCertificate(record);
          const other = await reopen();
          assert.deepEqual(await other.getCertificate(SCOPE, record.certificateId), record);
        }),
      );
    });

    describe('scope isolation', () => {
      for (const [label, other] of [
        ['account', OTHER_ACCOUNT],
        ['region', OTHER_REGION],
      ] as const) {
        test(
          `a certificate is invisible from another ${label}`,
          withStore(async ({ store }) => {
            const record = makeRecord('scoped');
            const id = record.certificateId;
            await store.insertCertificate(record);
            await store.attach(SCOPE, id, { kind: 'thing', name: 't' });

            assert.equal(await store.getCertificate(other, id), undefined);
            assert.deepEqual((await store.listCertificates(other, { limit: 10, ascending: false })).records, []);
            let seen: CertificateRecord | undefined | null = null;
            await assert.rejects(
              store.updateStatus(other, id, (current) => {
                seen = current;
                throw new RefusedError('not found');
              }),
              RefusedError,
            );
            assert.equal(seen, undefined);
            let seenAttachments: Attachments | undefined;
            await assert.rejects(
              store.deleteCertificate(other, id, (current, attachments) => {
                seen = current;
                seenAttachments = attachments;
                throw new RefusedError('not found');
              }),
              RefusedError,
            );
            assert.equal(seen, undefined);
            assert.deepEqual(seenAttachments, NO_ATTACHMENTS);
            assert.equal(await store.attach(other, id, { kind: 'policy', name: 'p' }), false);
            assert.equal(await store.detach(other, id, { kind: 'thing', name: 't' }), false);

            assert.deepEqual(await store.getCertificate(SCOPE, id), record);
            assert.equal(await store.detach(SCOPE, id, { kind: 'thing', name: 't' }), true);
          }),
        );

        test(
          `the same certificate id in another ${label} is a separate record`,
          withStore(async ({ store }) => {
            const mine = makeRecord('shared');
            const theirs = makeRecord('shared', { ...other, ownedBy: other.accountId, status: 'ACTIVE' });
            await store.insertCertificate(mine);
            await store.insertCertificate(theirs);
            await store.updateStatus(other, theirs.certificateId, () => ({
              status: 'REVOKED',
              lastModifiedDate: T0 + 1,
              generationId: 'g2',
            }));
            await store.deleteCertificate(SCOPE, mine.certificateId, () => ({ detachPolicies: false }));
            assert.equal(await store.getCertificate(SCOPE, mine.certificateId), undefined);
            assert.deepEqual(await store.getCertificate(other, theirs.certificateId), {
              ...theirs,
              status: 'REVOKED',
              lastModifiedDate: T0 + 1,
              generationId: 'g2',
              customerVersion: 2,
            });
          }),
        );
      }
    });

    describe('listCertificates', () => {
      /** 23 records over 5 distinct creation dates, so most dates are ties; plus noise in other scopes. */
      const seed = async (store: CertificateStore): Promise<CertificateRecord[]> => {
        const records = Array.from({ length: 23 }, (_, i) =>
          makeRecord(`list-${i}`, { creationDate: T0 + (i % 5) * 1000 }),
        );
        for (const record of records) await store.insertCertificate(record);
        for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
          await store.insertCertificate(makeRecord(`noise-${scope.accountId}-${scope.region}`, scope));
        }
        return records;
      };

      test(
        'orders newest first by default, ties broken by certificate id descending',
        withStore(async ({ store }) => {
          const records = await seed(store);
          const page = await store.listCertificates(SCOPE, { limit: 100, ascending: false });
          assert.deepEqual(page.records, sorted(records, false));
          assert.equal(page.next, undefined);
        }),
      );

      test(
        'orders oldest first when ascending, ties broken by certificate id ascending',
        withStore(async ({ store }) => {
          const records = await seed(store);
          const page = await store.listCertificates(SCOPE, { limit: 100, ascending: true });
          assert.deepEqual(page.records, sorted(records, true));
          assert.equal(page.next, undefined);
        }),
      );

      test(
        'an empty scope lists nothing and has no next page',
        withStore(async ({ store }) => {
          assert.deepEqual(await store.listCertificates(SCOPE, { limit: 5, ascending: false }), { records: [] });
        }),
      );

      test(
        'paging through with any page size returns every record exactly once, in order',
        withStore(async ({ store }) => {
          const records = await seed(store);
          for (const ascending of [false, true]) {
            for (const limit of [1, 2, 3, 5, 7, 22, 23, 24, 250]) {
              const { records: listed, pages } = await listAll(store, SCOPE, limit, ascending);
              assert.deepEqual(listed, sorted(records, ascending), `limit ${limit}, ascending ${ascending}`);
              // No empty trailing page when the count divides evenly: next only when more rows exist.
              assert.equal(pages, Math.max(1, Math.ceil(records.length / limit)), `pages for limit ${limit}`);
            }
          }
        }),
      );

      test(
        'the cursor is exclusive and need not be an existing record',
        withStore(async ({ store }) => {
          const records = await seed(store);
          const desc = sorted(records, false);
          const pivot = desc[7];
          assert.ok(pivot);
          const after = { creationDate: pivot.creationDate, certificateId: pivot.certificateId };
          const page = await store.listCertificates(SCOPE, { limit: 100, ascending: false, after });
          assert.deepEqual(page.records, desc.slice(8));
          const ascPage = await store.listCertificates(SCOPE, { limit: 100, ascending: true, after });
          const asc = sorted(records, true);
          assert.deepEqual(
            ascPage.records,
            asc.slice(asc.findIndex((r) => r.certificateId === pivot.certificateId) + 1),
          );

          await store.deleteCertificate(SCOPE, pivot.certificateId, () => ({ detachPolicies: false }));
          const afterDeleted = await store.listCertificates(SCOPE, { limit: 100, ascending: false, after });
          assert.deepEqual(afterDeleted.records, desc.slice(8));
        }),
      );

      test(
        "a CA filter lists only that CA's certificates in this scope, in the same order, paged the same way",
        withStore(async ({ store }) => {
          const caA = certificateIdOf('ca-a');
          const caB = certificateIdOf('ca-b');
          const ofA = Array.from({ length: 11 }, (_, i) =>
            makeRecord(`by-ca-${i}`, { caCertificateId: caA, creationDate: T0 + (i % 3) * 1000 }),
          );
          for (const record of ofA) await store.insertCertificate(record);
          await store.insertCertificate(makeRecord('by-ca-b', { caCertificateId: caB }));
          await store.insertCertificate(makeRecord('by-ca-none'));
          for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
            await store.insertCertificate(
              makeRecord(`by-ca-${scope.accountId}-${scope.region}`, { ...scope, caCertificateId: caA }),
            );
          }
          for (const ascending of [false, true]) {
            for (const limit of [1, 4, 11, 12]) {
              const records: CertificateSummary[] = [];
              let after: ListCursor | undefined;
              let pages = 0;
              do {
                const page = await store.listCertificates(SCOPE, { limit, ascending, after, caCertificateId: caA });
                records.push(...page.records);
                after = page.next;
                pages += 1;
              } while (after && pages < 100);
              assert.deepEqual(records, sorted(ofA, ascending), `limit ${limit}, ascending ${ascending}`);
              assert.equal(pages, Math.ceil(ofA.length / limit));
            }
          }
          const onlyB = await store.listCertificates(SCOPE, { limit: 10, ascending: false, caCertificateId: caB });
          assert.deepEqual(
            onlyB.records.map((r) => r.certificateId),
            [certificateIdOf('by-ca-b')],
          );
          const unknown = certificateIdOf('ca-unknown');
          assert.deepEqual(
            await store.listCertificates(SCOPE, { limit: 10, ascending: true, caCertificateId: unknown }),
            { records: [] },
          );
          // Without the filter every certificate of the scope is listed, whatever its CA.
          const all = await store.listCertificates(SCOPE, { limit: 100, ascending: false });
          assert.equal(all.records.length, ofA.length + 2);
        }),
      );

      test(
        'pagination stays correct while records are inserted between pages',
        withStore(async ({ store }) => {
          const initial = Array.from({ length: 30 }, (_, i) =>
            makeRecord(`moving-${i}`, { creationDate: T0 + Math.floor(i / 3) * 10 }),
          );
          for (const record of initial) await store.insertCertificate(record);
          for (const ascending of [false, true]) {
            const seen: CertificateSummary[] = [];
            let after: ListCursor | undefined;
            let round = 0;
            do {
              const page = await store.listCertificates(SCOPE, { limit: 4, ascending, after });
              seen.push(...page.records);
              after = page.next;
              round += 1;
              // Newer than all, older than all, in the middle, and on the cursor's own date.
              const tieDate = after?.creationDate ?? T0;
              for (const [k, creationDate] of [T0 + 1_000_000, T0 - 1_000_000, T0 + 45, tieDate].entries()) {
                await store.insertCertificate(makeRecord(`new-${ascending}-${round}-${k}`, { creationDate }));
              }
            } while (after && round < 100);
            assert.equal(after, undefined, 'paging ends');
            const ids = seen.map((r) => r.certificateId);
            assert.equal(new Set(ids).size, ids.length, 'no record listed twice');
            for (const record of initial)
              assert.ok(ids.includes(record.certificateId), 'no pre-existing record skipped');
            assert.deepEqual(seen, sorted(seen, ascending), 'listing stays in order');
          }
        }),
      );

      test(
        'pagination stays ordered and complete while another connection inserts concurrently',
        withStore(async ({ store, reopen }) => {
          const initial = Array.from({ length: 40 }, (_, i) =>
            makeRecord(`steady-${i}`, { creationDate: T0 + Math.floor(i / 4) * 10 }),
          );
          for (const record of initial) await store.insertCertificate(record);
          const writer = reopen ? await reopen() : store;
          let committed = 0;
          let pagesRead = 0;
          let stop = false;
          let wake: (() => void) | undefined;
          let turnPage: (() => void) | undefined;
          // Inserts on dates before, among (ties included) and after the initial ones, at most two per page
          // read, so that the listing still reaches its end.
          const inserting = (async () => {
            for (let k = 0; !stop; ) {
              if (committed >= 2 * (pagesRead + 1)) {
                await new Promise<void>((resolve) => {
                  turnPage = resolve;
                });
                continue;
              }
              await writer.insertCertificate(makeRecord(`racing-${k}`, { creationDate: T0 - 10 + ((k * 7) % 120) }));
              k += 1;
              committed += 1;
              wake?.();
            }
          })();
          /** Resolves once an insert has committed after the `before`-th: every page meets at least one. */
          const insertAfter = (before: number) =>
            new Promise<void>((resolve) => {
              wake = () => {
                if (committed > before) resolve();
              };
              wake();
            });
          try {
            for (const ascending of [false, true]) {
              const seen: CertificateSummary[] = [];
              let after: ListCursor | undefined;
              let pages = 0;
              do {
                const before = committed;
                const page = await store.listCertificates(SCOPE, { limit: 3, ascending, after });
                seen.push(...page.records);
                after = page.next;
                pages += 1;
                pagesRead += 1;
                turnPage?.();
                await insertAfter(before);
              } while (after && pages < 500);
              assert.equal(after, undefined, 'paging ends');
              const ids = seen.map((r) => r.certificateId);
              assert.equal(new Set(ids).size, ids.length, 'no record listed twice');
              for (const record of initial) assert.ok(ids.includes(record.certificateId), 'no initial record skipped');
              assert.deepEqual(seen, sorted(seen, ascending), 'listing stays in order');
            }
          } finally {
            stop = true;
            turnPage?.();
            await inserting;
          }
          assert.ok(committed > 0);
        }),
      );
    });

    describe('updateStatus', () => {
      test(
        'applies the change with customerVersion + 1 and returns the record as stored',
        withStore(async ({ store }) => {
          const record = makeRecord('upd');
          await store.insertCertificate(record);
          let seen: CertificateRecord | undefined;
          const updated = await store.updateStatus(SCOPE, record.certificateId, (current) => {
            seen = current;
            return { status: 'ACTIVE', lastModifiedDate: T0 + 5000, generationId: 'gen-2' };
          });
          assert.deepEqual(seen, record);
          const expected = {
            ...record,
            status: 'ACTIVE',
            lastModifiedDate: T0 + 5000,
            generationId: 'gen-2',
            customerVersion: 2,
          };
          assert.deepEqual(updated, expected);
          assert.deepEqual(await store.getCertificate(SCOPE, record.certificateId), expected);
          const again = await store.updateStatus(SCOPE, record.certificateId, () => ({
            status: 'REVOKED',
            lastModifiedDate: T0 + 6000,
            generationId: 'gen-3',
          }));
          assert.equal(again.customerVersion, 3);
        }),
      );

      test(
        'a rule returning undefined changes nothing and returns the current record',
        withStore(async ({ store }) => {
          const record = makeRecord('noop', { caCertificateId: certificateIdOf('ca') });
          await store.insertCertificate(record);
          const result = await store.updateStatus(SCOPE, record.certificateId, () => undefined);
          assert.deepEqual(result, record);
          assert.deepEqual(await store.getCertificate(SCOPE, record.certificateId), record);
        }),
      );

      test(
        'a throwing rule changes nothing and its error propagates unchanged',
        withStore(async ({ store }) => {
          const record = makeRecord('refuse');
          await store.insertCertificate(record);
          const refusal = new RefusedError('REVOKED is terminal');
          await assert.rejects(
            store.updateStatus(SCOPE, record.certificateId, () => {
              throw refusal;
            }),
            (error: unknown) => error === refusal,
          );
          assert.deepEqual(await store.getCertificate(SCOPE, record.certificateId), record);
        }),
      );

      test(
        'the rule sees undefined for a missing id, and a missing id is never created',
        withStore(async ({ store }) => {
          const id = certificateIdOf('missing');
          let seen: CertificateRecord | undefined | null = null;
          const notFound = new RefusedError('not found');
          await assert.rejects(
            store.updateStatus(SCOPE, id, (current) => {
              seen = current;
              throw notFound;
            }),
            (error: unknown) => error === notFound,
          );
          assert.equal(seen, undefined);
          // A rule that fails to refuse cannot make the store invent a record.
          await assert.rejects(
            store.updateStatus(SCOPE, id, () => ({ status: 'ACTIVE', lastModifiedDate: T0, generationId: 'g' })),
          );
          await assert.rejects(store.updateStatus(SCOPE, id, () => undefined));
          assert.equal(await store.getCertificate(SCOPE, id), undefined);
        }),
      );

      test(
        'concurrent updaters lose no update',
        withStore(async ({ store, reopen }) => {
          const record = makeRecord('race');
          await store.insertCertificate(record);
          const stores = reopen ? [store, await reopen()] : [store];
          const calls = 90;
          const results = await Promise.all(
            Array.from({ length: calls }, (_, i) => {
              const target = stores[i % stores.length] ?? store;
              return target.updateStatus(SCOPE, record.certificateId, (current) => {
                assert.ok(current);
                // Every third call decides there is nothing to do; the others toggle.
                if (i % 3 === 0) return undefined;
                return {
                  status: current.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE',
                  lastModifiedDate: T0 + i,
                  generationId: `race-${i}`,
                };
              });
            }),
          );
          const applied = results.filter((_, i) => i % 3 !== 0);
          const versions = applied.map((r) => r.customerVersion).sort((a, b) => a - b);
          // Each applied change saw a distinct version: none was computed from a stale read.
          assert.deepEqual(
            versions,
            Array.from({ length: applied.length }, (_, k) => k + 2),
          );
          const final = await store.getCertificate(SCOPE, record.certificateId);
          assert.equal(final?.customerVersion, 1 + applied.length);
          const lastApplied = applied.find((r) => r.customerVersion === final?.customerVersion);
          assert.deepEqual(final, lastApplied);
          // An even number of toggles from INACTIVE ends INACTIVE.
          assert.equal(final?.status, applied.length % 2 === 0 ? 'INACTIVE' : 'ACTIVE');
        }),
      );
    });

    describe('deleteCertificate', () => {
      test(
        'the rule gets the record and zero counts; allowing deletes the record',
        withStore(async ({ store }) => {
          const record = makeRecord('del');
          await store.insertCertificate(record);
          let seen: [CertificateRecord | undefined, Attachments] | undefined;
          await store.deleteCertificate(SCOPE, record.certificateId, (current, attachments) => {
            seen = [current, attachments];
            return { detachPolicies: false };
          });
          assert.deepEqual(seen, [record, NO_ATTACHMENTS]);
          assert.equal(await store.getCertificate(SCOPE, record.certificateId), undefined);
          assert.deepEqual((await store.listCertificates(SCOPE, { limit: 10, ascending: false })).records, []);
        }),
      );

      test(
        'the rule gets attachment counts by kind; refusing leaves the record and its attachments',
        withStore(async ({ store }) => {
          const record = makeRecord('attached');
          const id = record.certificateId;
          await store.insertCertificate(record);
          await store.attach(SCOPE, id, { kind: 'thing', name: 'thing-1' });
          await store.attach(SCOPE, id, { kind: 'policy', name: 'p1' });
          await store.attach(SCOPE, id, { kind: 'policy', name: 'p2' });
          const conflict = new RefusedError('Things must be detached before deletion');
          let counts: Attachments | undefined;
          await assert.rejects(
            store.deleteCertificate(SCOPE, id, (_current, attachments) => {
              counts = attachments;
              throw conflict;
            }),
            (error: unknown) => error === conflict,
          );
          assert.deepEqual(counts, { things: 1, policies: 2 });
          assert.deepEqual(await store.getCertificate(SCOPE, id), record);
          assert.deepEqual(await countsOf(store, SCOPE, id), { things: 1, policies: 2 });
        }),
      );

      test(
        'detachPolicies removes the policy attachments and the record together',
        withStore(async ({ store }) => {
          const record = makeRecord('force');
          const id = record.certificateId;
          await store.insertCertificate(record);
          await store.attach(SCOPE, id, { kind: 'policy', name: 'p1' });
          await store.attach(SCOPE, id, { kind: 'policy', name: 'p2' });
          await store.deleteCertificate(SCOPE, id, () => ({ detachPolicies: true }));
          assert.equal(await store.getCertificate(SCOPE, id), undefined);
          assert.equal(await store.detach(SCOPE, id, { kind: 'policy', name: 'p1' }), false);
          // The same certificate registered again starts with no attachments.
          await store.insertCertificate(record);
          assert.deepEqual(await countsOf(store, SCOPE, id), NO_ATTACHMENTS);
        }),
      );

      test(
        'a rule that allows deletion while attachments would remain is refused, changing nothing',
        withStore(async ({ store }) => {
          const record = makeRecord('careless');
          const id = record.certificateId;
          await store.insertCertificate(record);
          await store.attach(SCOPE, id, { kind: 'policy', name: 'p1' });
          await assert.rejects(store.deleteCertificate(SCOPE, id, () => ({ detachPolicies: false })));
          await store.attach(SCOPE, id, { kind: 'thing', name: 't1' });
          await assert.rejects(store.deleteCertificate(SCOPE, id, () => ({ detachPolicies: true })));
          assert.deepEqual(await store.getCertificate(SCOPE, id), record);
          assert.deepEqual(await countsOf(store, SCOPE, id), { things: 1, policies: 1 });
        }),
      );

      test(
        'for a missing id the rule sees undefined and zero counts',
        withStore(async ({ store }) => {
          const id = certificateIdOf('ghost');
          let seen: [CertificateRecord | undefined, Attachments] | null = null;
          const notFound = new RefusedError('not found');
          await assert.rejects(
            store.deleteCertificate(SCOPE, id, (current, attachments) => {
              seen = [current, attachments];
              throw notFound;
            }),
            (error: unknown) => error === notFound,
          );
          assert.deepEqual(seen, [undefined, NO_ATTACHMENTS]);
        }),
      );
    });

    describe('countByStatus', () => {
      test(
        'counts every account and region by status, follows status changes and deletions, omits empty statuses',
        withStore(async ({ store }) => {
          const counts = async () =>
            Object.fromEntries((await store.countByStatus()).map(({ status, count }) => [status, count]));
          assert.deepEqual(await counts(), {});
          await store.insertCertificate(makeRecord('c1', { status: 'ACTIVE' }));
          await store.insertCertificate(makeRecord('c2', { status: 'ACTIVE', ...OTHER_ACCOUNT }));
          await store.insertCertificate(makeRecord('c3', { status: 'ACTIVE', ...OTHER_REGION }));
          const revoked = makeRecord('c4', { status: 'INACTIVE' });
          await store.insertCertificate(revoked);
          const deleted = makeRecord('c5', { status: 'PENDING_TRANSFER' });
          await store.insertCertificate(deleted);
          assert.deepEqual(await counts(), { ACTIVE: 3, INACTIVE: 1, PENDING_TRANSFER: 1 });
          await store.updateStatus(SCOPE, revoked.certificateId, () => ({
            status: 'REVOKED',
            lastModifiedDate: T0 + 1,
            generationId: 'gen-2',
          }));
          await store.deleteCertificate(SCOPE, deleted.certificateId, () => ({ detachPolicies: false }));
          assert.deepEqual(await counts(), { ACTIVE: 3, REVOKED: 1 });
        }),
      );
    });

    describe('attach and detach', () => {
      test(
        'attach is idempotent, detach reports whether something was removed',
        withStore(async ({ store }) => {
          const record = makeRecord('att');
          const id = record.certificateId;
          await store.insertCertificate(record);
          assert.equal(await store.attach(SCOPE, id, { kind: 'thing', name: 'x' }), true);
          assert.equal(await store.attach(SCOPE, id, { kind: 'thing', name: 'x' }), true);
          // A thing and a policy may share a name; they are different attachments.
          assert.equal(await store.attach(SCOPE, id, { kind: 'policy', name: 'x' }), true);
          assert.deepEqual(await countsOf(store, SCOPE, id), { things: 1, policies: 1 });
          assert.equal(await store.detach(SCOPE, id, { kind: 'thing', name: 'x' }), true);
          assert.equal(await store.detach(SCOPE, id, { kind: 'thing', name: 'x' }), false);
          assert.equal(await store.detach(SCOPE, id, { kind: 'thing', name: 'never' }), false);
          assert.deepEqual(await countsOf(store, SCOPE, id), { things: 0, policies: 1 });
          // Attachments do not change the record itself.
          assert.deepEqual(await store.getCertificate(SCOPE, id), record);
        }),
      );

      test(
        'attach to a missing certificate is false and records nothing',
        withStore(async ({ store }) => {
          const id = certificateIdOf('absent');
          assert.equal(await store.attach(SCOPE, id, { kind: 'policy', name: 'p' }), false);
          assert.equal(await store.detach(SCOPE, id, { kind: 'policy', name: 'p' }), false);
          await store.insertCertificate(makeRecord('absent'));
          assert.deepEqual(await countsOf(store, SCOPE, id), NO_ATTACHMENTS);
        }),
      );
    });
  });
}

/**
 * What a listing must show of these records (their summaries), in the store's documented order:
 * (creationDate, certificateId), descending unless ascending.
 */
function sorted(records: readonly CertificateSummary[], ascending: boolean): CertificateSummary[] {
  const sign = ascending ? 1 : -1;
  return records
    .map(summaryOf)
    .sort(
      (a, b) =>
        sign *
        (a.creationDate - b.creationDate ||
          (a.certificateId < b.certificateId ? -1 : a.certificateId > b.certificateId ? 1 : 0)),
    );
}

async function listAll(
  store: CertificateStore,
  scope: Scope,
  limit: number,
  ascending: boolean,
): Promise<{ records: CertificateSummary[]; pages: number }> {
  const records: CertificateSummary[] = [];
  let after: ListCursor | undefined;
  let pages = 0;
  do {
    const page = await store.listCertificates(scope, { limit, ascending, after });
    pages += 1;
    assert.ok(page.records.length <= limit);
    if (page.next) assert.equal(page.records.length, limit, 'only the last page may be short');
    records.push(...page.records);
    after = page.next;
  } while (after && pages < 10_000);
  return { records, pages };
}

/** Reads attachment counts through the only door that reports them: a refused delete. */
async function countsOf(store: CertificateStore, scope: Scope, certificateId: string): Promise<Attachments> {
  let counts: Attachments | undefined;
  const probe: DeleteRule = (_current, attachments) => {
    counts = attachments;
    throw new RefusedError('probe');
  };
  await assert.rejects(store.deleteCertificate(scope, certificateId, probe), RefusedError);
  assert.ok(counts);
  return counts;
}
