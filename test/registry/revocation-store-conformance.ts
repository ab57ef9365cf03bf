import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, type TestContext, test } from 'node:test';
import type { DeleteRule } from '../../src/domain/certificates/certificate-lifecycle.js';
import type { CertificateRecord, IssuerAndSerial } from '../../src/domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../src/domain/certificates/certificate-status.js';
import { LISTED_STATUSES } from '../../src/domain/certificates/revocation.js';
import { registrationRules } from '../../src/domain/provisioning/registration-rules.js';
import { sweepExpiredOwnership } from '../../src/provisioning/ownership-sweeper.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import type { RevocationEntry } from '../../src/registry/revocation-store.js';
import { DuplicateCertificateError } from '../../src/registry/store.js';
import { makeRecord, OTHER_ACCOUNT, SCOPE, T0 } from './certificate-fixtures.js';
import { recorder } from './change-feed-conformance.js';

/** What an engine hands the suite for one test: registries on one fresh, empty database. */
export interface RevocationFixture {
  /**
   * A registry on the database (each call another one, as another process would open it): `watch` → one that
   * hears every process's changes. Closed by cleanup.
   */
  open(options?: { readonly watch?: boolean }): Promise<Registry>;
  readonly cleanup: () => Promise<void>;
}

/** When the CRLs below are made: certificates whose notAfter is not after it have expired. */
const NOW = Date.UTC(2025, 5, 1);
const DELETE: DeleteRule = () => ({ detachPolicies: false });

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A key identifier (SHA-1 long) no other test uses. */
const newIssuer = () => hex(20);
/** A serial as fleetca makes them: 20 random bytes, the first non-zero. */
const newSerial = () => `${(1 + ((randomBytes(1)[0] as number) % 255)).toString(16).padStart(2, '0')}${hex(19)}`;

/** A certificate fleetca issued under `issuerKeyId`, created and last changed at `changedAt`. */
function issued(
  issuerKeyId: string,
  status: CertificateStatus,
  overrides: Partial<CertificateRecord> = {},
): CertificateRecord {
  const serialNumber = newSerial();
  return makeRecord(`issued-${serialNumber}`, {
    status,
    issuedBy: { issuerKeyId, serialNumber },
    lastModifiedDate: T0 + 1000,
    ...overrides,
  });
}

function serialOf(record: CertificateRecord): IssuerAndSerial {
  if (record.issuedBy === undefined) throw new Error('not an issued certificate');
  return record.issuedBy;
}

/** The entry a live certificate is listed with. */
function entryOf(record: CertificateRecord): RevocationEntry {
  return {
    serialNumber: serialOf(record).serialNumber,
    status: record.status,
    changedAt: record.lastModifiedDate,
    ...(record.revocationReason !== undefined && { revocationReason: record.revocationReason }),
  };
}

const bySerial = (a: RevocationEntry, b: RevocationEntry) =>
  a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0;

const created = (record: CertificateRecord): RegistryChange => ({
  kind: 'certificate',
  accountId: record.accountId,
  region: record.region,
  certificateId: record.certificateId,
  status: record.status,
});

/**
 * The behaviour every RevocationStore must show, with the certificate and provisioning stores' part in it (the
 * issuer and serial they write, the tombstones deletions leave, the announced inserts), on one engine.
 */
export function revocationStoreConformance(name: string, open: () => Promise<RevocationFixture>): void {
  const withFixture = (fn: (fixture: RevocationFixture, t: TestContext) => Promise<void>) => async (t: TestContext) => {
    const fixture = await open();
    try {
      await fn(fixture, t);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`${name}: RevocationStore conformance`, () => {
    test(
      "the CRL lists exactly the issuer's certificates of the statuses handed in, in serial order",
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        const listed = [
          ...LISTED_STATUSES.map((status) => issued(issuer, status)),
          issued(issuer, 'REVOKED', { revocationReason: 1, lastModifiedDate: T0 + 5000 }),
          issued(issuer, 'INACTIVE', { ...OTHER_ACCOUNT, lastModifiedDate: T0 + 7000 }),
        ];
        const others = [
          issued(issuer, 'ACTIVE'),
          issued(newIssuer(), 'REVOKED'),
          // Registered, not issued: no issuer, never on a CRL.
          makeRecord(`registered-${hex(4)}`, { status: 'REVOKED' }),
        ];
        for (const record of [...others, ...listed]) await registry.certificates.insertCertificate(record);

        const all = (await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW)).entries;
        assert.deepEqual(all, listed.map(entryOf).sort(bySerial));
        const revokedOnly = (await registry.revocation.numberedRevocations(issuer, ['REVOKED'], NOW)).entries;
        assert.deepEqual(
          revokedOnly,
          listed
            .filter((r) => r.status === 'REVOKED')
            .map(entryOf)
            .sort(bySerial),
        );
        assert.deepEqual((await registry.revocation.numberedRevocations(issuer, [], NOW)).entries, []);
        assert.deepEqual(
          (await registry.revocation.numberedRevocations(newIssuer(), LISTED_STATUSES, NOW)).entries,
          [],
        );
        const numbered = await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW);
        assert.deepEqual(numbered.entries, all, 'the same listing under each number');
        const again = await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW);
        assert.ok(again.crlNumber > numbered.crlNumber, 'with the next CRL number each time');
        assert.equal(again.crlNumber, numbered.crlNumber + 1n, 'one sequence per issuer');
      }),
    );

    test(
      'certificates and tombstones whose notAfter is not after the bound are left out',
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        const expired = issued(issuer, 'REVOKED', { notAfter: NOW });
        const lastMoment = issued(issuer, 'REVOKED', { notAfter: NOW + 1 });
        const expiredDeleted = issued(issuer, 'INACTIVE', { notAfter: NOW - 1 });
        const deleted = issued(issuer, 'INACTIVE', { notAfter: NOW + 1 });
        for (const record of [expired, lastMoment, expiredDeleted, deleted]) {
          await registry.certificates.insertCertificate(record);
        }
        for (const record of [expiredDeleted, deleted]) {
          await registry.certificates.deleteCertificate(SCOPE, record.certificateId, DELETE);
        }
        const entries = (await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW)).entries;
        assert.deepEqual(
          entries.map((e) => e.serialNumber).sort(),
          [serialOf(lastMoment).serialNumber, serialOf(deleted).serialNumber].sort(),
        );
        // An expired certificate is still known to OCSP.
        assert.equal((await registry.revocation.findIssued(serialOf(expired)))?.status, 'REVOKED');
      }),
    );

    test(
      'a deleted issued certificate stays listed as a tombstone, with its last status and reason',
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        const onHold = issued(issuer, 'INACTIVE');
        const revoked = issued(issuer, 'REVOKED', { revocationReason: 4 });
        const registered = makeRecord(`registered-${hex(4)}`);
        const kept = issued(issuer, 'INACTIVE');
        for (const record of [onHold, revoked, registered, kept]) await registry.certificates.insertCertificate(record);
        const before = Date.now();
        for (const record of [onHold, revoked, registered]) {
          await registry.certificates.deleteCertificate(SCOPE, record.certificateId, DELETE);
        }
        const after = Date.now();
        // A refused deletion leaves the certificate as it was, and no tombstone.
        const refusal = new Error('refused');
        await assert.rejects(
          registry.certificates.deleteCertificate(SCOPE, kept.certificateId, () => {
            throw refusal;
          }),
          (error: unknown) => error === refusal,
        );

        const entries = (await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW)).entries;
        assert.equal(entries.length, 3);
        const tombstoneOf = (record: CertificateRecord) =>
          entries.find((e) => e.serialNumber === serialOf(record).serialNumber);
        for (const [record, statusAtDeletion, reason] of [
          [onHold, 'INACTIVE', undefined],
          [revoked, 'REVOKED', 4],
        ] as const) {
          const entry = tombstoneOf(record);
          assert.ok(entry, `${statusAtDeletion} tombstone listed`);
          const { changedAt, ...rest } = entry;
          assert.deepEqual(rest, {
            serialNumber: serialOf(record).serialNumber,
            status: 'DELETED',
            statusAtDeletion,
            ...(reason !== undefined && { revocationReason: reason }),
          });
          assert.ok(changedAt >= before && changedAt <= after, `deleted at ${changedAt}, in [${before}, ${after}]`);
          assert.deepEqual(await registry.revocation.findIssued(serialOf(record)), {
            certificateId: record.certificateId,
            status: 'DELETED',
            statusAtDeletion,
            changedAt,
            ...(reason !== undefined && { revocationReason: reason }),
          });
        }
        assert.deepEqual(tombstoneOf(kept), entryOf(kept));
      }),
    );

    test(
      'a certificate the ownership sweeper deletes leaves a tombstone too',
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        const abandoned = issued(issuer, 'PENDING_ACTIVATION');
        await registry.ownershipTokens.record(SCOPE, abandoned.certificateId, NOW - 1);
        await registry.certificates.insertCertificate(abandoned);
        assert.deepEqual(await sweepExpiredOwnership(registry, NOW, 10), {
          tokens: 1,
          deleted: 1,
          kept: 0,
          redeemed: 0,
        });
        const [entry, ...more] = (await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW)).entries;
        assert.deepEqual(more, []);
        assert.equal(entry?.status, 'DELETED');
        assert.equal(entry?.statusAtDeletion, 'PENDING_ACTIVATION');
      }),
    );

    test(
      'a status change records its revocation reason, and one without a reason clears it',
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        const record = issued(issuer, 'INACTIVE');
        await registry.certificates.insertCertificate(record);
        const change = (status: CertificateStatus, at: number, revocationReason?: number) => () => ({
          status,
          lastModifiedDate: at,
          generationId: `g${at}`,
          ...(revocationReason !== undefined && { revocationReason }),
        });

        const revoked = await registry.certificates.updateStatus(
          SCOPE,
          record.certificateId,
          change('REVOKED', T0 + 2, 1),
        );
        assert.equal(revoked.revocationReason, 1);
        assert.deepEqual(await registry.certificates.getCertificate(SCOPE, record.certificateId), revoked);
        assert.deepEqual((await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW)).entries, [
          { serialNumber: serialOf(record).serialNumber, status: 'REVOKED', changedAt: T0 + 2, revocationReason: 1 },
        ]);

        const cleared = await registry.certificates.updateStatus(
          SCOPE,
          record.certificateId,
          change('INACTIVE', T0 + 3),
        );
        assert.ok(!('revocationReason' in cleared), 'no reason kept');
        assert.deepEqual(await registry.certificates.getCertificate(SCOPE, record.certificateId), cleared);
        assert.deepEqual(await registry.revocation.findIssued(serialOf(record)), {
          certificateId: record.certificateId,
          status: 'INACTIVE',
          changedAt: T0 + 3,
        });
        assert.equal(cleared.issuedBy?.serialNumber, serialOf(record).serialNumber, 'issuer and serial kept');
      }),
    );

    test(
      "RegisterThing's status change clears a recorded reason too",
      withFixture(async ({ open }) => {
        const registry = await open();
        const record = issued(newIssuer(), 'PENDING_ACTIVATION', { revocationReason: 9 });
        await registry.ownershipTokens.record(SCOPE, record.certificateId, NOW + 60_000);
        await registry.certificates.insertCertificate(record);
        const outcome = await registry.provisioning.register(
          SCOPE,
          { certificateId: record.certificateId, now: NOW, policies: [], certificateStatus: 'ACTIVE' },
          registrationRules,
        );
        assert.deepEqual(outcome, { applied: true });
        assert.deepEqual(await registry.revocation.findIssued(serialOf(record)), {
          certificateId: record.certificateId,
          status: 'ACTIVE',
          changedAt: NOW,
        });
      }),
    );

    test(
      'findIssued: a live certificate, a deleted one, and one never issued',
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        const live = issued(issuer, 'ACTIVE', { lastModifiedDate: T0 + 42 });
        const gone = issued(issuer, 'REVOKED');
        await registry.certificates.insertCertificate(live);
        await registry.certificates.insertCertificate(gone);
        await registry.certificates.deleteCertificate(SCOPE, gone.certificateId, DELETE);
        assert.deepEqual(await registry.revocation.findIssued(serialOf(live)), {
          certificateId: live.certificateId,
          status: 'ACTIVE',
          changedAt: T0 + 42,
        });
        assert.equal((await registry.revocation.findIssued(serialOf(gone)))?.status, 'DELETED');
        assert.equal(
          await registry.revocation.findIssued({ issuerKeyId: issuer, serialNumber: newSerial() }),
          undefined,
        );
        // The serial is the issuer's: another issuer never issued it.
        const elsewhere = { issuerKeyId: newIssuer(), serialNumber: serialOf(live).serialNumber };
        assert.equal(await registry.revocation.findIssued(elsewhere), undefined);
      }),
    );

    test(
      'CRL numbers start at 1 and grow by one per issuer, returned as bigint',
      withFixture(async ({ open }) => {
        const registry = await open();
        const [one, two] = [newIssuer(), newIssuer()];
        assert.equal((await registry.revocation.numberedRevocations(one, [], 0)).crlNumber, 1n);
        assert.equal((await registry.revocation.numberedRevocations(one, [], 0)).crlNumber, 2n);
        assert.equal((await registry.revocation.numberedRevocations(two, [], 0)).crlNumber, 1n);
        assert.equal((await registry.revocation.numberedRevocations(one, [], 0)).crlNumber, 3n);
        assert.equal(typeof (await registry.revocation.numberedRevocations(two, [], 0)).crlNumber, 'bigint');
      }),
    );

    test(
      'concurrent CRL numbers are all distinct, from one registry or two on the same database',
      withFixture(async ({ open }) => {
        const [here, there] = [await open(), await open()];
        const issuer = newIssuer();
        const alone = await Promise.all(
          Array.from({ length: 20 }, () =>
            here.revocation.numberedRevocations(issuer, [], 0).then((read) => read.crlNumber),
          ),
        );
        assert.deepEqual(
          [...alone].sort((a, b) => Number(a - b)),
          Array.from({ length: 20 }, (_, i) => BigInt(i + 1)),
        );
        const both = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 === 0 ? here : there).revocation.numberedRevocations(issuer, [], 0).then((read) => read.crlNumber),
          ),
        );
        assert.deepEqual(
          [...both].sort((a, b) => Number(a - b)),
          Array.from({ length: 40 }, (_, i) => BigInt(i + 21)),
        );
      }),
    );

    test(
      'the backfill finds issued rows without issuer and serial, and indexes them',
      withFixture(async ({ open }) => {
        const registry = await open();
        const issuer = newIssuer();
        // As rows made before migration 9: issued (DEFAULT mode, no CA) without issuer and serial.
        const old = [
          makeRecord(`old-1-${hex(4)}`),
          makeRecord(`old-2-${hex(4)}`, { ...OTHER_ACCOUNT, status: 'REVOKED' }),
        ];
        const skipped = [
          issued(issuer, 'INACTIVE'),
          makeRecord(`with-ca-${hex(4)}`, { caCertificateId: hex(32) }),
          makeRecord(`sni-${hex(4)}`, { certificateMode: 'SNI_ONLY' }),
        ];
        for (const record of [...old, ...skipped]) await registry.certificates.insertCertificate(record);

        const found = await registry.revocation.unindexedIssuedCertificates(10);
        const expected = old.map(({ accountId, region, certificateId, certificatePem }) => ({
          accountId,
          region,
          certificateId,
          certificatePem,
        }));
        const byId = (a: { certificateId: string }, b: { certificateId: string }) =>
          a.certificateId.localeCompare(b.certificateId);
        assert.deepEqual([...found].sort(byId), [...expected].sort(byId));
        assert.equal((await registry.revocation.unindexedIssuedCertificates(1)).length, 1);

        const serials = old.map(() => newSerial());
        const rows = old.map((record, i) => ({
          accountId: record.accountId,
          region: record.region,
          certificateId: record.certificateId,
          issuerKeyId: issuer,
          serialNumber: serials[i] as string,
        }));
        await registry.revocation.indexIssuedCertificates(rows);
        await registry.revocation.indexIssuedCertificates(rows);
        await registry.revocation.indexIssuedCertificates([]);
        assert.deepEqual(await registry.revocation.unindexedIssuedCertificates(10), []);
        const [first] = old;
        assert.deepEqual((await registry.certificates.getCertificate(SCOPE, first?.certificateId ?? ''))?.issuedBy, {
          issuerKeyId: issuer,
          serialNumber: serials[0],
        });
        const listed = (await registry.revocation.numberedRevocations(issuer, LISTED_STATUSES, NOW)).entries;
        assert.equal(listed.length, 3, 'the INACTIVE and REVOKED old rows, and the issued INACTIVE one');
      }),
    );

    test(
      'every insert is announced with its status, here and to a watching registry, each once',
      withFixture(async ({ open }, t) => {
        const writer = await open({ watch: true });
        const watcher = await open({ watch: true });
        const issuer = newIssuer();
        const records = [
          ...Array.from({ length: 6 }, () => issued(issuer, 'PENDING_ACTIVATION')),
          issued(issuer, 'INACTIVE'),
          makeRecord(`registered-${hex(4)}`, { status: 'ACTIVE' }),
        ];
        const ids = new Set(records.map((r) => r.certificateId));
        const ours = (c: RegistryChange) => c.kind === 'certificate' && ids.has(c.certificateId);
        const heardHere = recorder(writer, ours);
        const heardThere = recorder(watcher, ours);
        const started = performance.now();
        // One at a time, then several in one event-loop turn (a group commit, on SQLite by its writer thread).
        for (const record of records.slice(0, 3)) await writer.certificates.insertCertificate(record);
        await Promise.all(records.slice(3).map((record) => writer.certificates.insertCertificate(record)));
        // A duplicate is refused and announces nothing.
        await assert.rejects(
          writer.certificates.insertCertificate(records[0] as CertificateRecord),
          DuplicateCertificateError,
        );
        const last = records.at(-1) as CertificateRecord;
        await heardThere.until((c) => c.kind === 'certificate' && c.certificateId === last.certificateId);
        t.diagnostic(`heard by the watcher ${(performance.now() - started).toFixed(0)} ms after the first insert`);
        // A marker committed after all of them: heard once by both, so nothing was heard twice before it.
        const marker = issued(issuer, 'INACTIVE');
        ids.add(marker.certificateId);
        await writer.certificates.insertCertificate(marker);
        await heardHere.until((c) => c.kind === 'certificate' && c.certificateId === marker.certificateId);
        await heardThere.until((c) => c.kind === 'certificate' && c.certificateId === marker.certificateId);
        const sorted = (changes: readonly RegistryChange[]) =>
          [...changes].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        const expected = sorted([...records, marker].map(created));
        assert.deepEqual(sorted(heardHere.heard), expected);
        assert.deepEqual(sorted(heardThere.heard), expected);
      }),
    );

    test(
      "just-in-time provisioning's insert is announced in its transaction",
      withFixture(async ({ open }) => {
        const writer = await open();
        const watcher = await open({ watch: true });
        const record = makeRecord(`jitp-${hex(4)}`, { status: 'PENDING_ACTIVATION', caCertificateId: hex(32) });
        const heard = recorder(watcher, (c) => c.kind === 'certificate' && c.certificateId === record.certificateId);
        const registration = {
          certificateId: record.certificateId,
          now: NOW,
          policies: [],
          newCertificate: record,
          certificateStatus: 'ACTIVE' as const,
        };
        assert.deepEqual(await writer.provisioning.register(SCOPE, registration, registrationRules), { applied: true });
        // Registered again by a racing connection: refused, nothing announced.
        assert.deepEqual(await writer.provisioning.register(SCOPE, registration, registrationRules), {
          applied: false,
          refusal: 'certificate-exists',
        });
        await heard.until((c) => c.kind === 'certificate' && c.status === 'ACTIVE');
        // Heard in commit order: once a marker committed after both registrations is heard, anything else would be.
        const marker = makeRecord(`jitp-marker-${hex(4)}`);
        const heardMarker = recorder(
          watcher,
          (c) => c.kind === 'certificate' && c.certificateId === marker.certificateId,
        );
        await writer.certificates.insertCertificate(marker);
        await heardMarker.until(() => true);
        assert.deepEqual(heard.heard, [created(record), { ...created(record), status: 'ACTIVE' }]);
      }),
    );
  });
}
