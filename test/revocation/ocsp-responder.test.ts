import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openFileAuthority } from '../../src/ca/bootstrap.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { fromPem } from '../../src/ca/pem.js';
import { CRL_REASONS } from '../../src/domain/certificates/revocation.js';
import type { Registry } from '../../src/registry/registry.js';
import { OcspResponder } from '../../src/revocation/ocsp-responder.js';
import { opensslRun } from '../helpers/ca-test-support.js';
import { T0 } from '../registry/certificate-fixtures.js';
import { certId, type OcspReading, ocspRequest, readOcspResponse, type SingleStatus } from './ocsp-messages.js';
import {
  type Device,
  FakeClock,
  openRevocationFixture,
  type RevocationFixture,
  TEST_SETTINGS,
  withRevocationStore,
} from './revocation-fixture.js';

const MALFORMED = 1;
const UNAUTHORIZED = 6;
const HALF_LIFE = TEST_SETTINGS.ocspLifetimeMs / 2;
const leafKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
/** An OCSPResponse without responseBytes. */
const bare = (status: number) => ({ der: Buffer.from([0x30, 0x03, 0x0a, 0x01, status]) });

describe('OcspResponder on a real SQLite registry and CA', () => {
  let fx: RevocationFixture;
  const devices = {} as Record<'good' | 'revoked' | 'held' | 'pending', Device>;

  before(async () => {
    fx = await openRevocationFixture('ocsp-responder');
    devices.good = await fx.issue('good', 'ACTIVE');
    devices.revoked = await fx.issue('revoked', 'ACTIVE');
    await fx.setStatus(devices.revoked, 'REVOKED', CRL_REASONS.keyCompromise);
    devices.held = await fx.issue('held', 'INACTIVE');
    devices.pending = await fx.issue('pending', 'PENDING_ACTIVATION');
  });
  after(() => fx?.close());

  /** A watching responder on `registry` (the fixture's by default); closed by the test. */
  const responderOn = (registry: Registry = fx.registry, clock?: FakeClock) =>
    new OcspResponder({
      registry,
      authority: fx.authority,
      settings: TEST_SETTINGS,
      ...(clock && { now: clock.now }),
    }).watch();

  /** The one SingleResponse of a successful answer. */
  const single = (reading: OcspReading): SingleStatus => {
    assert.equal(reading.responseStatus, 0, 'successful');
    assert.equal(reading.responses.length, 1);
    return reading.responses[0] as SingleStatus;
  };
  const ask = async (responder: OcspResponder, device: Device | string, nonce?: Buffer) => {
    const serial = typeof device === 'string' ? device : device.serial;
    const answer = await responder.answer(ocspRequest([certId(fx.issuingDer, serial)], nonce));
    return { answer, reading: readOcspResponse(answer.der) };
  };
  /** The registry with findIssued counted: one call is one status read from the registry. */
  const countingReads = () => {
    let reads = 0;
    const registry = withRevocationStore(fx.registry, (inner) => ({
      findIssued: (issuer) => {
        reads++;
        return inner.findIssued(issuer);
      },
    }));
    return { registry, reads: () => reads };
  };
  /** `openssl ocsp` checking a response for `certFile`: its stdout and stderr. */
  const opensslCheck = async (response: Buffer, certArgs: readonly string[]) => {
    const respin = join(fx.dir, `response-${randomBytes(4).toString('hex')}.der`);
    await writeFile(respin, response);
    const run = opensslRun([
      'ocsp',
      '-respin',
      respin,
      '-CAfile',
      fx.files.chain,
      '-issuer',
      fx.files.issuing,
      '-no_nonce',
      ...certArgs,
    ]);
    return { ...run, text: run.stdout + run.stderr };
  };

  test('answers good, revoked with its reason, hold and unknown, which openssl verifies', async () => {
    const responder = responderOn();
    try {
      // A request openssl made, with its nonce, for the good certificate.
      const reqFile = join(fx.dir, 'good-request.der');
      const made = opensslRun([
        'ocsp',
        '-issuer',
        fx.files.issuing,
        '-cert',
        devices.good.certFile,
        '-reqout',
        reqFile,
      ]);
      assert.equal(made.status, 0, made.stderr);
      const good = await responder.answer(await readFile(reqFile));
      assert.equal(single(readOcspResponse(good.der)).kind, 'good');
      const goodChecked = await opensslCheck(good.der, ['-cert', devices.good.certFile]);
      assert.match(goodChecked.stdout, /good\.pem: good\n/, goodChecked.text);
      assert.match(goodChecked.text, /Response verify OK/);

      const revoked = await ask(responder, devices.revoked);
      const revokedStatus = single(revoked.reading);
      assert.equal(revokedStatus.kind, 'revoked');
      assert.equal(revokedStatus.reason, CRL_REASONS.keyCompromise);
      const record = await fx.registry.certificates.getCertificate(
        devices.revoked.record,
        devices.revoked.record.certificateId,
      );
      assert.equal(revokedStatus.revokedAt?.getTime(), Math.floor((record?.lastModifiedDate ?? 0) / 1000) * 1000);
      const revokedChecked = await opensslCheck(revoked.answer.der, ['-cert', devices.revoked.certFile]);
      assert.match(revokedChecked.stdout, /revoked\.pem: revoked\n[\s\S]*Reason: keyCompromise\n/, revokedChecked.text);
      assert.match(revokedChecked.text, /Response verify OK/);

      for (const device of [devices.held, devices.pending]) {
        const held = single((await ask(responder, device)).reading);
        assert.equal(held.kind, 'revoked', device.name);
        assert.equal(held.reason, CRL_REASONS.certificateHold, device.name);
        assert.equal(held.revokedAt?.getTime(), T0, 'on hold since its status was set');
      }

      const unknownSerial = '7a5e1a1c0ffee0';
      const unknown = await ask(responder, unknownSerial);
      assert.equal(single(unknown.reading).kind, 'unknown');
      const unknownChecked = await opensslCheck(unknown.answer.der, ['-serial', `0x${unknownSerial}`]);
      assert.match(unknownChecked.stdout, /0x7a5e1a1c0ffee0: unknown\n/, unknownChecked.text);
      assert.match(unknownChecked.text, /Response verify OK/);

      // Several CertIDs, and a SHA-256 one: each answered in request order, echoing its CertID.
      const ids = [
        certId(fx.issuingDer, devices.good.serial, 'sha256'),
        certId(fx.issuingDer, devices.held.serial),
        certId(fx.issuingDer, unknownSerial, 'sha512'),
      ];
      const many = readOcspResponse((await responder.answer(ocspRequest(ids))).der);
      assert.deepEqual(
        many.responses.map((r) => r.kind),
        ['good', 'revoked', 'unknown'],
      );
      assert.deepEqual(
        many.responses.map((r) => r.certIdDer),
        ids,
      );
    } finally {
      responder.close();
    }
  });

  test('a foreign issuer is unauthorized and garbage is malformedRequest; neither reads the registry', async () => {
    const { registry, reads } = countingReads();
    const responder = responderOn(registry);
    try {
      const foreignCa = await openFileAuthority(join(fx.dir, 'foreign-ca'));
      const foreignIssuer = fromPem(foreignCa.issuingPem, ['CERTIFICATE']).der;
      // The same serial as one of ours, under the other CA: not ours to answer for.
      const foreign = certId(foreignIssuer, devices.good.serial);
      const alone = readOcspResponse((await responder.answer(ocspRequest([foreign]))).der);
      assert.deepEqual(alone, { responseStatus: UNAUTHORIZED, responses: [] });
      const mixed = ocspRequest([certId(fx.issuingDer, devices.good.serial), foreign]);
      assert.equal(readOcspResponse((await responder.answer(mixed)).der).responseStatus, UNAUTHORIZED);
      // A certificate the other CA issued, as openssl asks about it.
      const leaf = await foreignCa.issue({ subject: encodeName('CN=foreign'), publicKey: leafKey(), now: new Date() });
      const leafFile = join(fx.dir, 'foreign.pem');
      const issuerFile = join(fx.dir, 'foreign-issuing.pem');
      await writeFile(leafFile, leaf.pem);
      await writeFile(issuerFile, foreignCa.issuingPem);
      const reqFile = join(fx.dir, 'foreign-request.der');
      const made = opensslRun(['ocsp', '-issuer', issuerFile, '-cert', leafFile, '-reqout', reqFile]);
      assert.equal(made.status, 0, made.stderr);
      const theirs = await responder.answer(await readFile(reqFile));
      assert.deepEqual(theirs, bare(UNAUTHORIZED));

      const valid = ocspRequest([certId(fx.issuingDer, devices.good.serial)]);
      for (const garbage of [Buffer.alloc(0), Buffer.from('not DER'), valid.subarray(0, valid.length - 3)]) {
        const answer = await responder.answer(garbage);
        assert.deepEqual(answer, bare(MALFORMED), garbage.toString('hex'));
      }
      assert.equal(reads(), 0);
    } finally {
      responder.close();
    }
  });

  test('a kept status is read again once the change feed names its certificate, and only then', async () => {
    const device = await fx.issue('followed', 'ACTIVE');
    const other = await fx.issue('other', 'ACTIVE');
    const { registry, reads } = countingReads();
    const responder = responderOn(registry);
    try {
      const kind = async (nonce?: Buffer) => single((await ask(responder, device, nonce)).reading).kind;
      assert.equal(await kind(randomBytes(16)), 'good');
      assert.equal(await kind(randomBytes(16)), 'good');
      assert.equal(await kind(), 'good');
      assert.equal(reads(), 1, 'read once, then kept');
      await fx.setStatus(other, 'INACTIVE');
      assert.equal(await kind(randomBytes(16)), 'good');
      assert.equal(reads(), 1, "another certificate's change leaves it kept");

      await fx.setStatus(device, 'INACTIVE');
      const held = single((await ask(responder, device, randomBytes(16))).reading);
      assert.equal(held.kind, 'revoked');
      assert.equal(held.reason, CRL_REASONS.certificateHold);
      assert.equal(reads(), 2);
      assert.equal(await kind(), 'revoked', 'the signed response without a nonce went with the status');
      await fx.setStatus(device, 'ACTIVE');
      assert.equal(await kind(), 'good');
      assert.equal(reads(), 3);
      await fx.remove(device);
      const deleted = single((await ask(responder, device)).reading);
      assert.equal(deleted.kind, 'revoked');
      assert.equal(deleted.reason, CRL_REASONS.cessationOfOperation, 'a deleted certificate stays revoked');
    } finally {
      responder.close();
    }
  });

  test('a status read while a change arrives is answered but not kept, nor is the response signed from it', async () => {
    const device = await fx.issue('raced-read', 'ACTIVE');
    let reads = 0;
    let raced = false;
    const registry = withRevocationStore(fx.registry, (inner) => ({
      findIssued: async (issuer) => {
        reads++;
        const found = await inner.findIssued(issuer);
        // The change commits (and is heard) after the read and before the responder sees its result.
        if (!raced && issuer.serialNumber === device.serial) {
          raced = true;
          await fx.setStatus(device, 'REVOKED');
        }
        return found;
      },
    }));
    const responder = responderOn(registry);
    try {
      const bySha1 = ocspRequest([certId(fx.issuingDer, device.serial)]);
      const first = single(readOcspResponse((await responder.answer(bySha1)).der));
      assert.equal(raced, true);
      assert.equal(first.kind, 'good', 'the answer from the read stands');
      const bySha256 = ocspRequest([certId(fx.issuingDer, device.serial, 'sha256')]);
      const second = single(readOcspResponse((await responder.answer(bySha256)).der));
      assert.equal(second.kind, 'revoked', 'not kept: read again');
      assert.equal(reads, 2);
      // The status is kept now; the response signed from the raced read must not come back with it.
      const third = single(readOcspResponse((await responder.answer(bySha1)).der));
      assert.equal(third.kind, 'revoked', 'the response signed from the raced read is not reused');
      assert.equal(single((await ask(responder, device, randomBytes(8))).reading).kind, 'revoked');
    } finally {
      responder.close();
    }
  });

  test('a nonce-less single request is answered byte for byte from the signed cache until half the lifetime', async () => {
    const clock = new FakeClock();
    const { registry, reads } = countingReads();
    const responder = responderOn(registry, clock);
    try {
      const request = ocspRequest([certId(fx.issuingDer, devices.good.serial)]);
      const first = await responder.answer(request);
      const validity = first.validity;
      assert.ok(validity, 'a nonce-less answer may be cached by HTTP caches');
      assert.equal(validity.nextUpdate.getTime() - validity.thisUpdate.getTime(), TEST_SETTINGS.ocspLifetimeMs);
      const reading = single(readOcspResponse(first.der));
      assert.deepEqual([reading.thisUpdate, reading.nextUpdate], [validity.thisUpdate, validity.nextUpdate]);
      assert.deepEqual((await responder.answer(request)).der, first.der);
      // A request with a nonce in between is signed on its own and disturbs nothing.
      assert.equal(single((await ask(responder, devices.good, randomBytes(16))).reading).kind, 'good');
      clock.advance(HALF_LIFE - 1000);
      const late = await responder.answer(request);
      assert.ok(late.der.equals(first.der), 'the same bytes until half the lifetime');
      assert.equal(reads(), 1);
      clock.advance(1000);
      const renewed = await responder.answer(request);
      assert.ok(!renewed.der.equals(first.der), 're-signed at half the lifetime');
      const renewedReading = single(readOcspResponse(renewed.der));
      assert.equal(renewedReading.kind, 'good');
      assert.ok(renewedReading.thisUpdate.getTime() >= reading.thisUpdate.getTime() + HALF_LIFE - 1000);
      assert.equal(reads(), 2, 'the status is read again with it');
      assert.ok((await responder.answer(request)).der.equals(renewed.der), 'and kept again');
    } finally {
      responder.close();
    }
  });

  test('a request with a nonce is signed fresh and echoes its nonce, as openssl checks', async () => {
    const responder = responderOn();
    try {
      const nonce = randomBytes(16);
      const a = await ask(responder, devices.good, nonce);
      const b = await ask(responder, devices.good, nonce);
      for (const { answer, reading } of [a, b]) {
        assert.equal(answer.validity, undefined, 'a nonce-bound answer is not for HTTP caches');
        assert.deepEqual(reading.nonce, nonce);
        assert.equal(single(reading).kind, 'good');
      }
      assert.ok(!a.answer.der.equals(b.answer.der), 'each signed on its own');
      const other = randomBytes(32);
      assert.deepEqual((await ask(responder, devices.good, other)).reading.nonce, other);
      assert.equal((await ask(responder, devices.good)).reading.nonce, undefined);

      const reqFile = join(fx.dir, 'nonce-request.der');
      const made = opensslRun([
        'ocsp',
        '-issuer',
        fx.files.issuing,
        '-cert',
        devices.revoked.certFile,
        '-reqout',
        reqFile,
      ]);
      assert.equal(made.status, 0, made.stderr);
      const respFile = join(fx.dir, 'nonce-response.der');
      await writeFile(respFile, (await responder.answer(await readFile(reqFile))).der);
      const checked = opensslRun(['ocsp', '-reqin', reqFile, '-respin', respFile, '-CAfile', fx.files.chain]);
      assert.equal(checked.status, 0, checked.stdout + checked.stderr);
      assert.match(checked.stderr + checked.stdout, /Response verify OK/);
      assert.doesNotMatch(checked.stderr + checked.stdout, /nonce/i, 'the nonce matches');
    } finally {
      responder.close();
    }
  });

  test('vouchFor answers good for a serial not in the registry; staple answers for a certificate', async () => {
    const responder = responderOn();
    const unvouched = responderOn();
    try {
      const server = await fx.authority.issueServerCertificate({
        names: ['localhost'],
        publicKey: leafKey(),
        now: new Date(),
      });
      const serial = server.issuedBy.serialNumber;
      assert.equal(await fx.registry.revocation.findIssued(server.issuedBy), undefined, 'not in the registry');
      responder.vouchFor(serial);
      assert.equal(single((await ask(responder, serial)).reading).kind, 'good');
      assert.equal(single((await ask(responder, serial, randomBytes(16))).reading).kind, 'good');
      assert.equal(single((await ask(unvouched, serial)).reading).kind, 'unknown', 'only where vouched for');

      const stapled = await responder.staple([server.der], fx.issuingDer);
      const stapledReading = readOcspResponse(stapled);
      assert.equal(single(stapledReading).kind, 'good');
      assert.equal(stapledReading.nonce, undefined);
      const serverFile = join(fx.dir, 'server.pem');
      await writeFile(serverFile, server.pem);
      const checked = await opensslCheck(stapled, ['-cert', serverFile]);
      assert.match(checked.stdout, /server\.pem: good\n/, checked.text);
      assert.match(checked.text, /Response verify OK/);
      const device = readOcspResponse(await responder.staple([devices.revoked.der], fx.issuingDer));
      assert.equal(single(device).kind, 'revoked', 'a registry certificate is stapled with its status');
    } finally {
      responder.close();
      unvouched.close();
    }
  });
});
