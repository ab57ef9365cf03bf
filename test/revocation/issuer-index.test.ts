import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { LISTED_STATUSES } from '../../src/domain/certificates/revocation.js';
import { CrlPublisher } from '../../src/revocation/crl-publisher.js';
import { indexIssuedCertificates } from '../../src/revocation/issuer-index.js';
import { OcspResponder } from '../../src/revocation/ocsp-responder.js';
import { certificateIdOf, makeRecord } from '../registry/certificate-fixtures.js';
import { certId, ocspRequest, readOcspResponse } from './ocsp-messages.js';
import {
  type Device,
  openRevocationFixture,
  type RevocationFixture,
  readCrl,
  SCOPE,
  serialKey,
  TEST_SETTINGS,
  withRevocationStore,
} from './revocation-fixture.js';

/** The batch the index reads at a time (issuer-index.ts): the tests go past it. */
const BATCH = 1_000;

const withFixture = (fn: (fx: RevocationFixture, t: TestContext) => Promise<void>) => async (t: TestContext) => {
  const fx = await openRevocationFixture('issuer-index');
  try {
    await fn(fx, t);
  } finally {
    await fx.close();
  }
};

/** Batches the index may read before it counts as never ending (the tests have at most two batches of rows). */
const MAX_BATCHES = 5;

/**
 * The index, run to its end. Its loop never yields to timers on SQLite, so one that never ends is caught by counting
 * the batches it reads: a failure rather than a hang.
 */
async function index(fx: RevocationFixture): Promise<number> {
  let batches = 0;
  const registry = withRevocationStore(fx.registry, (inner) => ({
    unindexedIssuedCertificates: (limit) => {
      if (++batches > MAX_BATCHES) throw new Error(`the index read ${batches} batches: it does not end`);
      return inner.unindexedIssuedCertificates(limit);
    },
  }));
  return indexIssuedCertificates(registry.revocation);
}

/** A certificate recorded as before migration 9: DEFAULT mode, no CA id, no issuer and serial. */
const issuedBeforeMigration9 = (
  fx: RevocationFixture,
  name: string,
  status: Parameters<RevocationFixture['issue']>[1],
) => fx.issue(name, status, { issuedBy: undefined });

describe('indexing certificates issued before the registry kept issuer and serial', () => {
  test(
    'rows without issuer and serial are indexed from their PEM, and are then on the CRL and known to OCSP',
    withFixture(async (fx) => {
      const revoked = await issuedBeforeMigration9(fx, 'old-revoked', 'REVOKED');
      const held = await issuedBeforeMigration9(fx, 'old-held', 'INACTIVE');
      const good = await issuedBeforeMigration9(fx, 'old-good', 'ACTIVE');
      const recent = await fx.issue('recent', 'REVOKED');
      const old = [revoked, held, good];
      for (const device of old) {
        assert.equal(await fx.registry.revocation.findIssued(issuerAndSerial(fx, device)), undefined);
      }
      assert.equal(
        (await fx.registry.revocation.unindexedIssuedCertificates(10)).length,
        3,
        'the recent row is indexed already',
      );

      assert.equal(await index(fx), 3);
      for (const device of old) {
        const record = await fx.registry.certificates.getCertificate(SCOPE, device.record.certificateId);
        assert.deepEqual(record?.issuedBy, issuerAndSerial(fx, device), device.name);
        const found = await fx.registry.revocation.findIssued(issuerAndSerial(fx, device));
        assert.equal(found?.status, device.record.status, device.name);
        assert.equal(found?.certificateId, device.record.certificateId);
      }
      const listed = (await fx.registry.revocation.numberedRevocations(fx.issuerKeyId, LISTED_STATUSES, Date.now()))
        .entries;
      assert.deepEqual(
        listed.map((entry) => entry.serialNumber).sort(),
        [revoked.serial, held.serial, recent.serial].sort(),
      );
      const responder = new OcspResponder({ registry: fx.registry, authority: fx.authority, settings: TEST_SETTINGS });
      const answer = await responder.answer(ocspRequest([certId(fx.issuingDer, held.serial)]));
      const [status] = readOcspResponse(answer.der).responses;
      assert.equal(status?.kind, 'revoked', 'OCSP answers for the indexed certificate');
      const crl = await new CrlPublisher({
        registry: fx.registry,
        authority: fx.authority,
        settings: TEST_SETTINGS,
      }).publish();
      const entries = readCrl(crl.der).entries;
      assert.ok(entries.has(serialKey(revoked.serial)) && entries.has(serialKey(held.serial)));
      assert.equal(entries.has(serialKey(good.serial)), false);

      assert.equal(await index(fx), 0, 'nothing left the second time');
    }),
  );

  test(
    'a row whose PEM cannot be read is marked with an empty issuer and serial, and the index ends',
    withFixture(async (fx) => {
      // More unreadable rows than one batch, so a row left unmarked would be read again for ever.
      const unreadable = Array.from({ length: BATCH + 5 }, (_, i) =>
        makeRecord(`unreadable-${i}`, { certificateId: certificateIdOf(`unreadable-${i}`), status: 'REVOKED' }),
      );
      await Promise.all(unreadable.map((record) => fx.registry.certificates.insertCertificate(record)));
      const readable = await issuedBeforeMigration9(fx, 'readable', 'REVOKED');

      assert.equal(await index(fx), unreadable.length + 1);
      assert.deepEqual(await fx.registry.revocation.unindexedIssuedCertificates(10), []);
      for (const record of [unreadable[0], unreadable[BATCH + 4]]) {
        const stored = await fx.registry.certificates.getCertificate(SCOPE, record?.certificateId ?? '');
        assert.ok(stored, 'the row stays');
        assert.equal(stored.issuedBy, undefined, 'marked: no issuer known');
        assert.equal(stored.status, 'REVOKED');
      }
      const found = await fx.registry.revocation.findIssued(issuerAndSerial(fx, readable));
      assert.equal(found?.certificateId, readable.record.certificateId, 'the readable row among them is indexed');
      const listed = (await fx.registry.revocation.numberedRevocations(fx.issuerKeyId, LISTED_STATUSES, Date.now()))
        .entries;
      assert.deepEqual(
        listed.map((entry) => entry.serialNumber),
        [readable.serial],
        'no marked row is on the CRL',
      );
      assert.equal(await index(fx), 0);
    }),
  );

  test(
    'registered certificates — with a CA id, or SNI_ONLY — are never touched, even when fleetca issued them',
    withFixture(async (fx) => {
      // Certificates fleetca's CA did issue, registered as another CA's (a CA id) or without one (SNI_ONLY).
      const withCa = await fx.issue('registered-with-ca', 'REVOKED', {
        issuedBy: undefined,
        caCertificateId: certificateIdOf('a customer CA'),
      });
      const sniOnly = await fx.issue('registered-sni-only', 'INACTIVE', {
        issuedBy: undefined,
        certificateMode: 'SNI_ONLY',
      });
      const plain = await issuedBeforeMigration9(fx, 'issued', 'INACTIVE');
      assert.deepEqual(
        (await fx.registry.revocation.unindexedIssuedCertificates(10)).map((row) => row.certificateId),
        [plain.record.certificateId],
      );

      assert.equal(await index(fx), 1, 'only the certificate fleetca issued');
      for (const device of [withCa, sniOnly]) {
        const stored = await fx.registry.certificates.getCertificate(SCOPE, device.record.certificateId);
        assert.deepEqual(stored, device.record, `${device.name} is as it was`);
        assert.equal(await fx.registry.revocation.findIssued(issuerAndSerial(fx, device)), undefined, device.name);
      }
      const listed = (await fx.registry.revocation.numberedRevocations(fx.issuerKeyId, LISTED_STATUSES, Date.now()))
        .entries;
      assert.deepEqual(
        listed.map((entry) => entry.serialNumber),
        [plain.serial],
      );
    }),
  );
});

function issuerAndSerial(fx: RevocationFixture, device: Device) {
  return { issuerKeyId: fx.issuerKeyId, serialNumber: device.serial };
}
