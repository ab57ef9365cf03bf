import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { CRL_REASONS, LISTED_STATUSES } from '../../src/domain/certificates/revocation.js';
import type { Registry } from '../../src/registry/registry.js';
import { CrlPublisher, type PublishedCrl } from '../../src/revocation/crl-publisher.js';
import { opensslRun } from '../helpers/ca-test-support.js';
import { settled } from '../helpers/eventually.js';
import { T0 } from '../registry/certificate-fixtures.js';
import { document, makePolicy } from '../registry/policy-store-conformance.js';
import {
  type Device,
  FakeClock,
  openRevocationFixture,
  type RevocationFixture,
  readCrl,
  serialKey,
  TEST_SETTINGS,
  withRevocationStore,
} from './revocation-fixture.js';

const MINUTE = 60_000;

/** A fresh registry and CA for each test: CRL numbers and entries of one test never reach another. */
const withFixture = (fn: (fx: RevocationFixture, t: TestContext) => Promise<void>) => async (t: TestContext) => {
  const fx = await openRevocationFixture('crl-publisher');
  try {
    await fn(fx, t);
  } finally {
    await fx.close();
  }
};

/** The registry with numberedRevocations counted: one call is one CRL made. */
function counted(registry: Registry): { registry: Registry; readonly made: () => number } {
  let made = 0;
  return {
    registry: withRevocationStore(registry, (inner) => ({
      numberedRevocations: (issuerKeyId, statuses, notAfterAfter) => {
        made++;
        return inner.numberedRevocations(issuerKeyId, statuses, notAfterAfter);
      },
    })),
    made: () => made,
  };
}

function publisherOn(fx: RevocationFixture, registry: Registry, now?: () => Date): CrlPublisher {
  return new CrlPublisher({
    registry,
    authority: fx.authority,
    settings: TEST_SETTINGS,
    ...(now && { now }),
  }).watch();
}

function listed(crl: PublishedCrl, device: Device): boolean {
  return readCrl(crl.der).entries.has(serialKey(device.serial));
}

describe('CrlPublisher on a real SQLite registry and CA', () => {
  test(
    'keeps the CRL it made while nothing changed',
    withFixture(async (fx) => {
      await fx.issue('revoked', 'REVOKED');
      const { registry, made } = counted(fx.registry);
      const publisher = publisherOn(fx, registry);
      try {
        const first = await publisher.current();
        const again = await publisher.current();
        assert.equal(again, first, 'the kept CRL itself');
        assert.equal(made(), 1);
        const crl = readCrl(first.der);
        assert.equal(crl.crlNumber, first.crlNumber);
        assert.equal(crl.entries.size, 1);
        assert.equal(first.entries, 1);
        // Another kind of change (a policy's) does not make the CRL stale.
        await fx.registry.policies.createPolicy(makePolicy('unrelated'), document(1), () => {});
        assert.equal(await publisher.current(), first);
        assert.equal(made(), 1);
      } finally {
        publisher.close();
      }
    }),
  );

  test(
    'a certificate change on the feed makes a new CRL with a greater number and the new entry, at once',
    withFixture(async (fx) => {
      const device = await fx.issue('to-revoke', 'ACTIVE');
      const asked = counted(fx.registry);
      const idle = counted(fx.registry);
      const publisher = publisherOn(fx, asked.registry);
      // A publisher nobody asked spends nothing on changes.
      const unasked = publisherOn(fx, idle.registry);
      try {
        const first = await publisher.current();
        assert.equal(listed(first, device), false);
        await fx.setStatus(device, 'REVOKED');
        // Heard synchronously after the commit: the next CRL is already being made.
        assert.equal(asked.made(), 2, 'a new CRL is started by the change itself');
        assert.equal(idle.made(), 0, 'a publisher nobody asked makes nothing');
        const next = await publisher.current();
        assert.ok(next.crlNumber > first.crlNumber, `${first.crlNumber} → ${next.crlNumber}`);
        const entry = readCrl(next.der).entries.get(serialKey(device.serial));
        assert.ok(entry, 'the revoked certificate is listed');
        assert.equal(entry.reason, undefined, 'REVOKED without a reason: no reason code');
        const record = await fx.registry.certificates.getCertificate(device.record, device.record.certificateId);
        const changedAt = record?.lastModifiedDate ?? 0;
        assert.equal(entry.revocationDate.getTime(), Math.floor(changedAt / 1000) * 1000);
        assert.equal(await publisher.current(), next);
        assert.equal(asked.made(), 2);
      } finally {
        publisher.close();
        unasked.close();
      }
    }),
  );

  test(
    'concurrent callers share one generation',
    withFixture(async (fx) => {
      const device = await fx.issue('shared', 'ACTIVE');
      const { registry, made } = counted(fx.registry);
      const publisher = publisherOn(fx, registry);
      try {
        const firsts = await Promise.all(Array.from({ length: 8 }, () => publisher.current()));
        assert.equal(new Set(firsts).size, 1, 'every caller has the same CRL');
        assert.equal(made(), 1);
        await fx.setStatus(device, 'INACTIVE');
        const seconds = await Promise.all(Array.from({ length: 8 }, () => publisher.current()));
        assert.equal(new Set(seconds).size, 1);
        assert.equal(made(), 2);
        assert.ok(listed(seconds[0] as PublishedCrl, device));
      } finally {
        publisher.close();
      }
    }),
  );

  test(
    'a CRL past half its lifetime is made again',
    withFixture(async (fx) => {
      const clock = new FakeClock();
      const { registry, made } = counted(fx.registry);
      const publisher = publisherOn(fx, registry, clock.now);
      try {
        const first = await publisher.current();
        assert.equal(first.nextUpdate.getTime() - first.thisUpdate.getTime(), TEST_SETTINGS.crlLifetimeMs);
        assert.ok(first.thisUpdate.getTime() <= clock.now().getTime());
        clock.advance(TEST_SETTINGS.crlLifetimeMs / 2 - 2000);
        assert.equal(await publisher.current(), first, 'still within half its lifetime');
        clock.advance(2000);
        const next = await publisher.current();
        assert.notEqual(next, first);
        assert.ok(next.crlNumber > first.crlNumber);
        assert.equal(next.thisUpdate.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000);
        assert.equal(made(), 2);
        const text = readCrl(next.der).text;
        assert.match(text, new RegExp(`Last Update: ${utcText(next.thisUpdate)}`));
        assert.match(text, new RegExp(`Next Update: ${utcText(next.nextUpdate)}`));
      } finally {
        publisher.close();
      }
    }),
  );

  for (const moment of ['before the numbered read', 'after the numbered read'] as const) {
    test(
      `a change that lands ${moment} leads to another CRL after it`,
      withFixture(async (fx) => {
        const device = await fx.issue(`raced-${moment.length}`, 'ACTIVE');
        let made = 0;
        let raced = false;
        const race = async () => {
          if (raced) return;
          raced = true;
          await fx.setStatus(device, 'REVOKED');
        };
        const registry = withRevocationStore(fx.registry, (inner) => ({
          numberedRevocations: async (issuerKeyId, statuses, notAfterAfter) => {
            made++;
            if (moment === 'before the numbered read' && made === 1) await race();
            const read = await inner.numberedRevocations(issuerKeyId, statuses, notAfterAfter);
            if (moment === 'after the numbered read') await race();
            return read;
          },
        }));
        const publisher = publisherOn(fx, registry);
        try {
          const first = await publisher.current();
          assert.equal(raced, true);
          if (moment === 'after the numbered read') {
            assert.equal(listed(first, device), false, 'the raced CRL was read before the change');
          }
          assert.equal(made, 2, 'the next CRL was started as soon as the raced one was done');
          const next = await settled('the CRL after the race', publisher.current(), 10_000);
          assert.notEqual(next, first);
          assert.ok(next.crlNumber > first.crlNumber);
          assert.ok(listed(next, device), 'the CRL after the race lists the change');
          assert.equal(await publisher.current(), next, 'and is kept');
          assert.equal(made, 2, 'exactly one CRL after the race');
        } finally {
          publisher.close();
        }
      }),
    );
  }

  test(
    'entries map statuses as the domain says, tombstones included; the CRL verifies under the chain',
    withFixture(async (fx) => {
      const active = await fx.issue('active', 'ACTIVE');
      const revoked = await fx.issue('revoked-no-reason', 'ACTIVE');
      await fx.setStatus(revoked, 'REVOKED');
      const unspecified = await fx.issue('revoked-unspecified', 'ACTIVE');
      await fx.setStatus(unspecified, 'REVOKED', CRL_REASONS.unspecified);
      const compromised = await fx.issue('revoked-key-compromise', 'ACTIVE');
      await fx.setStatus(compromised, 'REVOKED', CRL_REASONS.keyCompromise);
      // Every listed status but REVOKED is on hold, as inserted (creation date T0).
      const held = new Map<string, Device>();
      for (const status of LISTED_STATUSES.filter((s) => s !== 'REVOKED')) {
        held.set(status, await fx.issue(`held-${status}`, status));
      }
      const reactivated = await fx.issue('reactivated', 'ACTIVE');
      await fx.setStatus(reactivated, 'INACTIVE');
      await fx.setStatus(reactivated, 'ACTIVE');
      const deletedHeld = await fx.issue('deleted-held', 'INACTIVE');
      await fx.remove(deletedHeld);
      const deletedActive = await fx.issue('deleted-active', 'ACTIVE');
      await fx.remove(deletedActive);
      const deletedCompromised = await fx.issue('deleted-compromised', 'ACTIVE');
      await fx.setStatus(deletedCompromised, 'REVOKED', CRL_REASONS.keyCompromise);
      await fx.remove(deletedCompromised);
      const expired = await fx.issue('expired', 'REVOKED', { notAfter: Date.now() - MINUTE });
      const registered = await fx.issue('registered', 'REVOKED', { issuedBy: undefined });

      const publisher = publisherOn(fx, fx.registry);
      try {
        const crl = await publisher.current();
        const { entries } = readCrl(crl.der);
        const reasonOf = (device: Device) => {
          const entry = entries.get(serialKey(device.serial));
          assert.ok(entry, `${device.name} is listed`);
          return entry.reason;
        };
        assert.equal(reasonOf(revoked), undefined);
        assert.equal(reasonOf(unspecified), undefined, 'unspecified is written as no reason');
        assert.equal(reasonOf(compromised), 'Key Compromise');
        for (const [status, device] of held) assert.equal(reasonOf(device), 'Certificate Hold', status);
        assert.equal(reasonOf(deletedHeld), 'Cessation Of Operation', 'deleted while on hold: revoked for good');
        assert.equal(reasonOf(deletedActive), 'Cessation Of Operation', 'deleted while good: revoked for good');
        assert.equal(reasonOf(deletedCompromised), 'Key Compromise', 'deleted after revocation: its reason kept');
        for (const device of [active, reactivated, expired, registered]) {
          assert.equal(entries.has(serialKey(device.serial)), false, `${device.name} is not listed`);
        }
        const expectedCount = 3 + held.size + 3;
        assert.equal(entries.size, expectedCount);
        assert.equal(crl.entries, expectedCount);
        // The revocation date is when the status was set: T0 for the ones inserted on hold.
        const inserted = entries.get(serialKey((held.get('INACTIVE') as Device).serial));
        assert.equal(inserted?.revocationDate.getTime(), T0);

        const verified = opensslRun(['crl', '-inform', 'DER', '-CAfile', fx.files.chain, '-noout'], crl.der);
        assert.equal(verified.status, 0, verified.stderr);
        assert.match(verified.stdout + verified.stderr, /verify OK/);
      } finally {
        publisher.close();
      }
    }),
  );
});

/** A date as openssl prints it: `Jan  1 00:00:00 2024 GMT`. */
function utcText(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = date.toISOString().slice(11, 19);
  return `${month} ${day} ${time} ${date.getUTCFullYear()} GMT`;
}
