import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  CaRegistrationRule,
  CaRegistrationState,
} from '../../src/domain/ca-certificates/ca-certificate-lifecycle.js';
import type { CaCertificateRecord } from '../../src/domain/ca-certificates/ca-certificate-record.js';
import type { Scope } from '../../src/domain/scope.js';
import type { CaCertificateStore } from '../../src/registry/ca-certificate-store.js';
import type { ListCursor } from '../../src/registry/keyset-page.js';
import { DuplicateCertificateError } from '../../src/registry/store.js';
import { makeCaRecord } from './ca-certificate-fixtures.js';
import { certificateIdOf, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0 } from './certificate-fixtures.js';

/** What a CA store implementation hands the suite for one test. */
export interface CaStoreFixture {
  readonly store: CaCertificateStore;
  /** A second, independent store on the same data (another connection); omit when there is none. */
  readonly reopen?: () => Promise<CaCertificateStore>;
  readonly cleanup: () => Promise<void>;
}

class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

const ALLOW: CaRegistrationRule = () => {};

/** Registers with a rule that allows anything and returns what it was shown. */
async function register(store: CaCertificateStore, record: CaCertificateRecord): Promise<CaRegistrationState> {
  let seen: CaRegistrationState | undefined;
  await store.registerCaCertificate(record, (state) => {
    seen = state;
  });
  assert.ok(seen);
  return seen;
}

/** The behaviour every CaCertificateStore must show; each test gets a fresh, empty store. */
export function caCertificateStoreConformance(name: string, open: () => Promise<CaStoreFixture>): void {
  const withStore = (fn: (fixture: CaStoreFixture) => Promise<void>) => async () => {
    const fixture = await open();
    try {
      await fn(fixture);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`${name}: CaCertificateStore conformance`, () => {
    describe('register and get', () => {
      test(
        'round-trips a minimal record, leaving the registration configuration absent',
        withStore(async ({ store }) => {
          const record = makeCaRecord('minimal');
          await store.registerCaCertificate(record, ALLOW);
          const got = await store.getCaCertificate(SCOPE, record.certificateId);
          assert.deepEqual(got, record);
          assert.ok(got && !('registrationConfig' in got));
        }),
      );

      test(
        'round-trips every field, a partial configuration and tags (with and without values)',
        withStore(async ({ store }) => {
          const full = makeCaRecord('full', {
            status: 'ACTIVE',
            autoRegistrationStatus: 'ENABLE',
            certificateMode: 'SNI_ONLY',
            customerVersion: 7,
            registrationConfig: { templateBody: '{"Resources":{}}', roleArn: 'arn:aws:iam::123456789012:role/jitp' },
            tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team' }, { Key: 'zone', Value: '' }],
          });
          await store.registerCaCertificate(full, ALLOW);
          assert.deepEqual(await store.getCaCertificate(SCOPE, full.certificateId), full);
          const named = makeCaRecord('named', { registrationConfig: { templateName: 'jitp-template' } });
          await store.registerCaCertificate(named, ALLOW);
          assert.deepEqual(await store.getCaCertificate(SCOPE, named.certificateId), named);
        }),
      );

      test(
        'get of an unknown id is undefined',
        withStore(async ({ store }) => {
          assert.equal(await store.getCaCertificate(SCOPE, certificateIdOf('nobody')), undefined);
        }),
      );

      test(
        'the rule sees the existing record, the same-subject count and DEFAULT registrations elsewhere',
        withStore(async ({ store }) => {
          const first = makeCaRecord('first', {}, 'shared subject');
          assert.deepEqual(await register(store, first), {
            existing: undefined,
            sameSubject: 0,
            defaultModeElsewhere: false,
          });
          const second = makeCaRecord('second', {}, 'shared subject');
          assert.deepEqual((await register(store, second)).sameSubject, 1);
          let seen: CaRegistrationState | undefined;
          await assert.rejects(
            store.registerCaCertificate(first, (state) => {
              seen = state;
            }),
            (error: unknown) =>
              error instanceof DuplicateCertificateError && error.certificateId === first.certificateId,
          );
          assert.deepEqual(seen, { existing: first, sameSubject: 2, defaultModeElsewhere: false });
        }),
      );

      test(
        'defaultModeElsewhere is about the same certificate in DEFAULT mode in another account of the same region',
        withStore(async ({ store }) => {
          const theirs = makeCaRecord('cross', { ...OTHER_ACCOUNT, ownedBy: OTHER_ACCOUNT.accountId });
          const mine = makeCaRecord('cross');
          assert.equal((await register(store, theirs)).defaultModeElsewhere, false);
          let seen: CaRegistrationState | undefined;
          await assert.rejects(
            store.registerCaCertificate(mine, (state) => {
              seen = state;
              throw new RefusedError('DEFAULT elsewhere');
            }),
            RefusedError,
          );
          assert.deepEqual(seen, { existing: undefined, sameSubject: 0, defaultModeElsewhere: true });
          assert.equal(await store.getCaCertificate(SCOPE, mine.certificateId), undefined);

          // Another region, or SNI_ONLY in the other account, does not count.
          const elsewhere = makeCaRecord('cross', { ...OTHER_REGION });
          assert.equal((await register(store, elsewhere)).defaultModeElsewhere, false);
          const sniTheirs = makeCaRecord('sni', {
            ...OTHER_ACCOUNT,
            ownedBy: OTHER_ACCOUNT.accountId,
            certificateMode: 'SNI_ONLY',
          });
          await register(store, sniTheirs);
          assert.equal((await register(store, makeCaRecord('sni'))).defaultModeElsewhere, false);
        }),
      );

      test(
        'a refusing rule registers nothing, tags included',
        withStore(async ({ store }) => {
          const record = makeCaRecord('refused', { tags: [{ Key: 'a', Value: 'b' }] });
          const refusal = new RefusedError('limit');
          await assert.rejects(
            store.registerCaCertificate(record, () => {
              throw refusal;
            }),
            (error: unknown) => error === refusal,
          );
          assert.equal(await store.getCaCertificate(SCOPE, record.certificateId), undefined);
          const again = makeCaRecord('refused', { tags: [{ Key: 'c' }] });
          await store.registerCaCertificate(again, ALLOW);
          assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), again);
        }),
      );

      test(
        'concurrent registrations of one CA through two connections: exactly one wins',
        withStore(async ({ store, reopen }) => {
          const stores = reopen ? [store, await reopen()] : [store];
          const record = makeCaRecord('race');
          const results = await Promise.allSettled(
            Array.from({ length: 10 }, (_, i) =>
              (stores[i % stores.length] ?? store).registerCaCertificate(record, ALLOW),
            ),
          );
          assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
          for (const r of results) {
            if (r.status === 'rejected') assert.ok(r.reason instanceof DuplicateCertificateError);
          }
        }),
      );
    });

    describe('scope isolation', () => {
      for (const [label, other] of [
        ['account', OTHER_ACCOUNT],
        ['region', OTHER_REGION],
      ] as const) {
        test(
          `a CA certificate is invisible from another ${label}`,
          withStore(async ({ store }) => {
            const record = makeCaRecord('scoped', { registrationConfig: { templateName: 't' } });
            await store.registerCaCertificate(record, ALLOW);
            assert.equal(await store.getCaCertificate(other, record.certificateId), undefined);
            assert.deepEqual(await store.findCaCertificatesBySubject(other, record.subjectHash), []);
            assert.deepEqual((await store.listCaCertificates(other, { limit: 10, ascending: false })).records, []);
            assert.deepEqual(
              (await store.listCaCertificates(other, { limit: 10, ascending: false, templateName: 't' })).records,
              [],
            );
            let seen: CaCertificateRecord | undefined | null = null;
            await assert.rejects(
              store.updateCaCertificate(other, record.certificateId, (current) => {
                seen = current;
                throw new RefusedError('not found');
              }),
              RefusedError,
            );
            assert.equal(seen, undefined);
            await assert.rejects(
              store.deleteCaCertificate(other, record.certificateId, (current) => {
                seen = current;
                throw new RefusedError('not found');
              }),
              RefusedError,
            );
            assert.equal(seen, undefined);
            assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), record);
          }),
        );
      }
    });

    describe('findCaCertificatesBySubject', () => {
      test(
        "returns the scope's CAs with that subject, oldest first",
        withStore(async ({ store }) => {
          const older = makeCaRecord('older', { creationDate: T0 }, 'CN=Fleet CA');
          const newer = makeCaRecord('newer', { creationDate: T0 + 5 }, 'CN=Fleet CA');
          await store.registerCaCertificate(newer, ALLOW);
          await store.registerCaCertificate(older, ALLOW);
          await store.registerCaCertificate(makeCaRecord('unrelated', {}, 'CN=Other CA'), ALLOW);
          assert.deepEqual(await store.findCaCertificatesBySubject(SCOPE, older.subjectHash), [older, newer]);
          assert.deepEqual(await store.findCaCertificatesBySubject(SCOPE, certificateIdOf('no such subject')), []);
        }),
      );
    });

    describe('listCaCertificates', () => {
      const seed = async (store: CaCertificateStore): Promise<CaCertificateRecord[]> => {
        const records = Array.from({ length: 13 }, (_, i) =>
          makeCaRecord(`list-${i}`, {
            creationDate: T0 + (i % 4) * 1000,
            ...(i % 3 === 0 && { registrationConfig: { templateName: 'jitp' } }),
            ...(i % 3 === 1 && { registrationConfig: { templateName: 'other', roleArn: 'arn:aws:iam::1:role/r' } }),
          }),
        );
        for (const record of records) await store.registerCaCertificate(record, ALLOW);
        for (const scope of [OTHER_ACCOUNT, OTHER_REGION]) {
          await store.registerCaCertificate(
            makeCaRecord(`noise-${scope.accountId}-${scope.region}`, {
              ...scope,
              registrationConfig: { templateName: 'jitp' },
            }),
            ALLOW,
          );
        }
        return records;
      };

      test(
        'pages through every record exactly once, in either order, with any page size',
        withStore(async ({ store }) => {
          const records = await seed(store);
          for (const ascending of [false, true]) {
            for (const limit of [1, 2, 5, 12, 13, 14]) {
              const { listed, pages } = await listAll(store, SCOPE, limit, ascending);
              assert.deepEqual(listed, sorted(records, ascending), `limit ${limit}, ascending ${ascending}`);
              assert.equal(pages, Math.ceil(records.length / limit));
            }
          }
        }),
      );

      test(
        'the templateName filter keeps only CAs whose configuration names that template',
        withStore(async ({ store }) => {
          const records = await seed(store);
          const jitp = records.filter((r) => r.registrationConfig?.templateName === 'jitp');
          for (const ascending of [false, true]) {
            for (const limit of [1, 2, 5]) {
              const { listed } = await listAll(store, SCOPE, limit, ascending, 'jitp');
              assert.deepEqual(listed, sorted(jitp, ascending));
            }
          }
          assert.deepEqual((await listAll(store, SCOPE, 10, false, 'absent')).listed, []);
        }),
      );

      test(
        'the cursor is exclusive and need not be an existing record',
        withStore(async ({ store }) => {
          const records = await seed(store);
          const desc = sorted(records, false);
          const pivot = desc[4];
          assert.ok(pivot);
          const after = { creationDate: pivot.creationDate, certificateId: pivot.certificateId };
          await store.deleteCaCertificate(SCOPE, pivot.certificateId, () => {});
          const page = await store.listCaCertificates(SCOPE, { limit: 100, ascending: false, after });
          assert.deepEqual(page.records, desc.slice(5));
        }),
      );
    });

    describe('updateCaCertificate', () => {
      test(
        'applies the change with customerVersion + 1 and returns the record as stored',
        withStore(async ({ store }) => {
          const record = makeCaRecord('upd', {
            registrationConfig: { templateName: 'a' },
            tags: [{ Key: 'k', Value: 'v' }],
          });
          await store.registerCaCertificate(record, ALLOW);
          let seen: CaCertificateRecord | undefined;
          const updated = await store.updateCaCertificate(SCOPE, record.certificateId, (current) => {
            seen = current;
            return {
              status: 'ACTIVE',
              autoRegistrationStatus: 'ENABLE',
              registrationConfig: { templateBody: '{}', roleArn: 'arn:aws:iam::123456789012:role/x' },
              lastModifiedDate: T0 + 9,
              generationId: 'gen-2',
            };
          });
          assert.deepEqual(seen, record);
          const expected: CaCertificateRecord = {
            ...record,
            status: 'ACTIVE',
            autoRegistrationStatus: 'ENABLE',
            registrationConfig: { templateBody: '{}', roleArn: 'arn:aws:iam::123456789012:role/x' },
            lastModifiedDate: T0 + 9,
            generationId: 'gen-2',
            customerVersion: 2,
          };
          assert.deepEqual(updated, expected);
          assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), expected);

          // A change without a configuration removes it.
          const removed = await store.updateCaCertificate(SCOPE, record.certificateId, () => ({
            status: 'INACTIVE',
            autoRegistrationStatus: 'DISABLE',
            lastModifiedDate: T0 + 10,
            generationId: 'gen-3',
          }));
          assert.equal(removed.customerVersion, 3);
          assert.ok(!('registrationConfig' in removed));
          assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), removed);
        }),
      );

      test(
        'undefined changes nothing; a throwing rule changes nothing; a missing id is never created',
        withStore(async ({ store }) => {
          const record = makeCaRecord('noop');
          await store.registerCaCertificate(record, ALLOW);
          assert.deepEqual(await store.updateCaCertificate(SCOPE, record.certificateId, () => undefined), record);
          const refusal = new RefusedError('no');
          await assert.rejects(
            store.updateCaCertificate(SCOPE, record.certificateId, () => {
              throw refusal;
            }),
            (error: unknown) => error === refusal,
          );
          assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), record);

          const missing = certificateIdOf('missing');
          await assert.rejects(store.updateCaCertificate(SCOPE, missing, () => undefined));
          await assert.rejects(
            store.updateCaCertificate(SCOPE, missing, () => ({
              status: 'ACTIVE',
              autoRegistrationStatus: 'DISABLE',
              lastModifiedDate: T0,
              generationId: 'g',
            })),
          );
          assert.equal(await store.getCaCertificate(SCOPE, missing), undefined);
        }),
      );

      test(
        'concurrent updaters through two connections lose no update',
        withStore(async ({ store, reopen }) => {
          const record = makeCaRecord('race');
          await store.registerCaCertificate(record, ALLOW);
          const stores = reopen ? [store, await reopen()] : [store];
          const results = await Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              (stores[i % stores.length] ?? store).updateCaCertificate(SCOPE, record.certificateId, (current) => {
                assert.ok(current);
                return {
                  status: current.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE',
                  autoRegistrationStatus: current.autoRegistrationStatus,
                  lastModifiedDate: T0 + i,
                  generationId: `race-${i}`,
                };
              }),
            ),
          );
          assert.deepEqual(
            results.map((r) => r.customerVersion).sort((a, b) => a - b),
            Array.from({ length: 40 }, (_, k) => k + 2),
          );
          assert.equal((await store.getCaCertificate(SCOPE, record.certificateId))?.status, 'INACTIVE');
        }),
      );
    });

    describe('deleteCaCertificate', () => {
      test(
        'the rule sees the record; allowing deletes it with its tags',
        withStore(async ({ store }) => {
          const record = makeCaRecord('del', { tags: [{ Key: 'a', Value: '1' }] });
          await store.registerCaCertificate(record, ALLOW);
          let seen: CaCertificateRecord | undefined;
          await store.deleteCaCertificate(SCOPE, record.certificateId, (current) => {
            seen = current;
          });
          assert.deepEqual(seen, record);
          assert.equal(await store.getCaCertificate(SCOPE, record.certificateId), undefined);
          assert.deepEqual(await store.findCaCertificatesBySubject(SCOPE, record.subjectHash), []);
          // Registered again, it starts with only its new tags.
          const again = makeCaRecord('del', { tags: [{ Key: 'b' }] });
          await store.registerCaCertificate(again, ALLOW);
          assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), again);
        }),
      );

      test(
        'a refusing rule keeps the record; for a missing id the rule sees undefined',
        withStore(async ({ store }) => {
          const record = makeCaRecord('kept', { status: 'ACTIVE' });
          await store.registerCaCertificate(record, ALLOW);
          await assert.rejects(
            store.deleteCaCertificate(SCOPE, record.certificateId, () => {
              throw new RefusedError('ACTIVE');
            }),
            RefusedError,
          );
          assert.deepEqual(await store.getCaCertificate(SCOPE, record.certificateId), record);
          let seen: CaCertificateRecord | undefined | null = null;
          await assert.rejects(
            store.deleteCaCertificate(SCOPE, certificateIdOf('ghost'), (current) => {
              seen = current;
              throw new RefusedError('not found');
            }),
            RefusedError,
          );
          assert.equal(seen, undefined);
        }),
      );
    });
  });
}

function sorted(records: readonly CaCertificateRecord[], ascending: boolean): CaCertificateRecord[] {
  const sign = ascending ? 1 : -1;
  return [...records].sort(
    (a, b) =>
      sign *
      (a.creationDate - b.creationDate ||
        (a.certificateId < b.certificateId ? -1 : a.certificateId > b.certificateId ? 1 : 0)),
  );
}

async function listAll(
  store: CaCertificateStore,
  scope: Scope,
  limit: number,
  ascending: boolean,
  templateName?: string,
): Promise<{ listed: CaCertificateRecord[]; pages: number }> {
  const listed: CaCertificateRecord[] = [];
  let after: ListCursor | undefined;
  let pages = 0;
  do {
    const page = await store.listCaCertificates(scope, {
      limit,
      ascending,
      ...(after && { after }),
      ...(templateName !== undefined && { templateName }),
    });
    pages += 1;
    assert.ok(page.records.length <= limit);
    if (page.next) assert.equal(page.records.length, limit, 'only the last page may be short');
    listed.push(...page.records);
    after = page.next;
  } while (after && pages < 1000);
  return { listed, pages };
}
