import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCertificate, RevocationIssuer } from '../../src/ca/authority.js';
import { type FileCertificateAuthority, openFileAuthority } from '../../src/ca/bootstrap.js';
import { buildCrl, type CrlEntry, type CrlInput, crlToPem } from '../../src/ca/crl.js';
import { contentBytes, type DerElement, readChildren, readTlv, readWhole, Tag } from '../../src/ca/der.js';
import { checkDer } from '../../src/ca/der-check.js';
import { enumerated, octetString, oid, sequence, time, unsignedInteger } from '../../src/ca/der-writer.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { fromPem } from '../../src/ca/pem.js';
import { CRL_REASONS } from '../../src/domain/certificates/revocation.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('crl');
after(() => tmp.remove());

let ca: FileCertificateAuthority;
let issuer: RevocationIssuer;
let good: IssuedCertificate;
let revoked: IssuedCertificate;
let held: IssuedCertificate;
const HOUR = 3_600_000;

before(async () => {
  ca = await openFileAuthority(join(tmp.path, 'ca'));
  issuer = ca.revocationIssuer();
  const issue = async (cn: string) =>
    ca.issue({
      subject: encodeName(`CN=${cn}`),
      publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
      now: new Date(),
    });
  good = await issue('good');
  revoked = await issue('revoked');
  held = await issue('held');
});

/** A CRL valid now, for `openssl verify`. */
function currentInput(entries: Iterable<CrlEntry>, crlNumber = 42n): CrlInput {
  const now = Date.now();
  return { issuer, crlNumber, thisUpdate: new Date(now - 60_000), nextUpdate: new Date(now + HOUR), entries };
}

/** The TBSCertList's fields, read back from the CRL's DER. */
function tbsFields(der: Buffer) {
  const root = checkDer(der);
  const [tbs] = readChildren(der, root);
  return { tbs: tbs as DerElement, fields: readChildren(der, tbs as DerElement) };
}

/** The revokedCertificates entries' DER, one per entry. */
function entryBytes(der: Buffer): Buffer[] {
  const { fields } = tbsFields(der);
  const list = fields[5];
  assert.equal(list?.tag, Tag.SEQUENCE, 'revokedCertificates present');
  return readChildren(der, list as DerElement).map((e) => der.subarray(e.start, e.contentEnd));
}

/** The same entry built by the generic DER writer: the fast writer must produce exactly this. */
function referenceEntry(entry: CrlEntry): Buffer {
  const digits = entry.serialNumber.replace(/^0+/, '');
  const magnitude = Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex');
  const fields = [unsignedInteger(magnitude), time(entry.revokedAt)];
  if (entry.reason !== undefined) {
    fields.push(sequence(sequence(oid('2.5.29.21'), octetString(enumerated(entry.reason)))));
  }
  return sequence(...fields);
}

describe('CRL (RFC 5280 §5)', () => {
  it('is a v2 CRL signed by the issuing CA, with AKI, CRL number and a critical IDP, as openssl reads it', async () => {
    const der = await buildCrl(
      currentInput(
        [
          { serialNumber: revoked.issuedBy.serialNumber, revokedAt: new Date(), reason: CRL_REASONS.keyCompromise },
          { serialNumber: held.issuedBy.serialNumber, revokedAt: new Date(), reason: CRL_REASONS.certificateHold },
          { serialNumber: 'ab01', revokedAt: new Date() },
        ],
        1234567890123456789n,
      ),
    );
    const pem = writeTemp(tmp.path, 'crl.pem', crlToPem(der));
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], der).toString();
    assert.match(text, /Version 2 \(0x1\)/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /X509v3 CRL Number:\s+1234567890123456789\n/);
    assert.match(text, /X509v3 Issuing Distribution Point: critical\s+Only User Certificates\n/);
    assert.doesNotMatch(text, /Full Name/);
    const keyId = issuer.keyIdentifier.toString('hex').toUpperCase().match(/../g)?.join(':');
    assert.match(text, new RegExp(`X509v3 Authority Key Identifier:\\s+(keyid:)?${keyId}`));
    assert.match(
      text,
      new RegExp(
        `Serial Number: ${revoked.issuedBy.serialNumber.toUpperCase()}[\\s\\S]*?CRL Reason Code:\\s+Key Compromise`,
      ),
    );
    assert.match(
      text,
      new RegExp(
        `Serial Number: ${held.issuedBy.serialNumber.toUpperCase()}[\\s\\S]*?CRL Reason Code:\\s+Certificate Hold`,
      ),
    );
    // The entry without a reason carries no crlEntryExtensions at all.
    assert.match(text, /Serial Number: AB01\n\s+Revocation Date: [^\n]+\n\s+Signature Algorithm/);
    // Its issuer is the issuing CA's subject, byte for byte, and the signature verifies under the chain.
    const { fields } = tbsFields(der);
    assert.deepEqual(der.subarray(fields[2]?.start, fields[2]?.contentEnd), issuer.name);
    assert.match(text, /Issuer: CN = fleetca Issuing CA [0-9a-f]{8}, O = fleetca\n/);
    const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
    const verified = opensslRun(['crl', '-in', pem, '-CAfile', chain, '-noout']);
    assert.match(verified.stderr + verified.stdout, /verify OK/);
    assert.equal(verified.status, 0);
  });

  it('makes openssl verify -crl_check accept a good certificate and refuse a listed one', async () => {
    const der = await buildCrl(
      currentInput([{ serialNumber: revoked.issuedBy.serialNumber, revokedAt: new Date(Date.now() - 1000) }]),
    );
    const crl = writeTemp(tmp.path, 'check.crl.pem', crlToPem(der));
    const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
    const verify = (cert: IssuedCertificate, name: string) =>
      opensslRun(['verify', '-crl_check', '-CAfile', chain, '-CRLfile', crl, writeTemp(tmp.path, name, cert.pem)]);
    const ok = verify(good, 'good.pem');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /good\.pem: OK/);
    const refused = verify(revoked, 'revoked.pem');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout + refused.stderr, /certificate revoked/);
  });

  it('is accepted for certificates that name a CRL distribution point too (the IDP names none)', async () => {
    const withUrls = await openFileAuthority(join(tmp.path, 'ca'), {
      revocationUrls: { crlUrl: 'http://ca.example.test/crl', ocspUrl: 'http://ca.example.test/ocsp' },
    });
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const listed = await withUrls.issue({ subject: encodeName('CN=cdp'), publicKey: key, now: new Date() });
    const unlisted = await withUrls.issue({ subject: encodeName('CN=cdp2'), publicKey: key, now: new Date() });
    const der = await buildCrl(currentInput([{ serialNumber: listed.issuedBy.serialNumber, revokedAt: new Date() }]));
    const crl = writeTemp(tmp.path, 'cdp.crl.pem', crlToPem(der));
    const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
    const refused = opensslRun([
      'verify',
      '-crl_check',
      '-CAfile',
      chain,
      '-CRLfile',
      crl,
      writeTemp(tmp.path, 'l.pem', listed.pem),
    ]);
    assert.match(refused.stdout + refused.stderr, /certificate revoked/);
    const ok = opensslRun([
      'verify',
      '-crl_check',
      '-CAfile',
      chain,
      '-CRLfile',
      crl,
      writeTemp(tmp.path, 'u.pem', unlisted.pem),
    ]);
    assert.equal(ok.status, 0, ok.stderr);
  });

  it('leaves revokedCertificates out entirely when nothing is revoked', async () => {
    const der = await buildCrl(currentInput([]));
    const { fields } = tbsFields(der);
    // version, signature, issuer, thisUpdate, nextUpdate, then directly crlExtensions [0].
    assert.equal(fields.length, 6);
    assert.equal(fields[5]?.tag, 0xa0);
    assert.deepEqual(der.subarray((fields[2] as DerElement).start, fields[2]?.contentEnd), issuer.name);
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], der).toString();
    assert.match(text, /No Revoked Certificates\./);
  });

  it('writes each entry exactly as the generic DER writer would', async () => {
    const entries: CrlEntry[] = [
      { serialNumber: '7f', revokedAt: new Date('2026-01-02T03:04:05.999Z') },
      { serialNumber: '80', revokedAt: new Date('2026-01-02T03:04:05Z'), reason: 1 },
      { serialNumber: '0080', revokedAt: new Date('2049-12-31T23:59:59Z') },
      { serialNumber: '0', revokedAt: new Date('1950-01-01T00:00:00Z'), reason: 0 },
      { serialNumber: '000', revokedAt: new Date('2050-01-01T00:00:00Z'), reason: 10 },
      { serialNumber: 'abc', revokedAt: new Date('2099-07-08T09:10:11Z'), reason: 6 },
      { serialNumber: 'f'.repeat(40), revokedAt: new Date('9999-12-31T23:59:59Z'), reason: 9 },
      { serialNumber: `000${'1'.repeat(40)}`, revokedAt: new Date('2030-02-28T12:00:00Z'), reason: 5 },
    ];
    for (let i = 0; i < 300; i++) {
      const length = 1 + (i % 40);
      const reasons = [undefined, 0, 1, 2, 3, 4, 5, 6, 9, 10];
      entries.push({
        serialNumber: randomBytes(20).toString('hex').slice(0, length),
        revokedAt: new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 150 * 365 * 86_400_000)),
        ...(reasons[i % reasons.length] === undefined ? {} : { reason: reasons[i % reasons.length] as number }),
      });
    }
    const der = await buildCrl({ ...currentInput(entries) });
    const written = entryBytes(der);
    assert.equal(written.length, entries.length);
    for (const [i, entry] of entries.entries()) {
      assert.equal(written[i]?.toString('hex'), referenceEntry(entry).toString('hex'), JSON.stringify(entry));
    }
    assert.equal(written[0]?.toString('hex'), '3012' + '02017f' + '170d3236303130323033303430355a');
    assert.equal(
      written[1]?.toString('hex'),
      '3021' + '02020080' + '170d3236303130323033303430355a' + '300c300a0603551d1504030a0101',
    );
  });

  it('takes entries from any iterable, a generator included, and grows past its first buffer', async () => {
    const count = 5000;
    function* entries(): Generator<CrlEntry> {
      for (let i = 0; i < count; i++) {
        yield { serialNumber: (i + 1).toString(16), revokedAt: new Date(1_800_000_000_000 + i * 1000), reason: 6 };
      }
    }
    const der = await buildCrl(currentInput(entries()));
    assert.equal(entryBytes(der).length, count);
    const chain = writeTemp(tmp.path, 'chain.pem', ca.chainPem());
    const verified = opensslRun([
      'crl',
      '-in',
      writeTemp(tmp.path, 'gen.crl.pem', crlToPem(der)),
      '-CAfile',
      chain,
      '-noout',
    ]);
    assert.match(verified.stderr + verified.stdout, /verify OK/);
  });

  it('encodes the CRL number as a minimal non-negative INTEGER of at most 20 octets', async () => {
    const crlNumberOf = async (n: bigint) => {
      const der = await buildCrl(currentInput([], n));
      const { fields } = tbsFields(der);
      const extensions = readChildren(der, readChildren(der, fields[5] as DerElement)[0] as DerElement);
      const [id, value] = readChildren(der, extensions[1] as DerElement) as [DerElement, DerElement];
      assert.equal(der.subarray(id.start, id.contentEnd).toString('hex'), '0603551d14');
      const integer = contentBytes(der, value);
      readWhole(integer);
      return integer.toString('hex');
    };
    assert.equal(await crlNumberOf(0n), '020100');
    assert.equal(await crlNumberOf(255n), '020200ff');
    assert.equal(await crlNumberOf(2n ** 159n - 1n), `0214${'7f'}${'ff'.repeat(19)}`);
    await assert.rejects(buildCrl(currentInput([], 2n ** 159n)), RangeError);
    await assert.rejects(buildCrl(currentInput([], -1n)), RangeError);
  });

  it('refuses entries and fields it cannot encode', async () => {
    const at = new Date();
    for (const entry of [
      { serialNumber: 'AB', revokedAt: at },
      { serialNumber: '', revokedAt: at },
      { serialNumber: '0x12', revokedAt: at },
      { serialNumber: 'g1', revokedAt: at },
      { serialNumber: 'é1', revokedAt: at },
      { serialNumber: '1'.repeat(41), revokedAt: at },
      { serialNumber: '12', revokedAt: new Date(Number.NaN) },
      { serialNumber: '12', revokedAt: new Date('1949-12-31T23:59:59Z') },
      { serialNumber: '12', revokedAt: at, reason: 7 },
      { serialNumber: '12', revokedAt: at, reason: CRL_REASONS.removeFromCRL },
      { serialNumber: '12', revokedAt: at, reason: 11 },
      { serialNumber: '12', revokedAt: at, reason: 1.5 },
    ] as CrlEntry[]) {
      await assert.rejects(buildCrl(currentInput([entry])), RangeError, JSON.stringify(entry));
    }
    const input = currentInput([]);
    await assert.rejects(buildCrl({ ...input, nextUpdate: input.thisUpdate }), RangeError);
    await assert.rejects(buildCrl({ ...input, thisUpdate: new Date(Number.NaN) }), RangeError);
  });

  it('writes thisUpdate and nextUpdate as UTCTime through 2049 and GeneralizedTime after', async () => {
    const der = await buildCrl({
      ...currentInput([]),
      thisUpdate: new Date('2049-12-31T23:59:59.500Z'),
      nextUpdate: new Date('2050-01-07T00:00:00Z'),
    });
    const { fields } = tbsFields(der);
    assert.equal(
      der.subarray(fields[3]?.start, fields[3]?.contentEnd).toString('hex'),
      time(new Date('2049-12-31T23:59:59Z')).toString('hex'),
    );
    assert.equal(fields[4]?.tag, Tag.GENERALIZED_TIME);
  });

  it('is PEM with the X509 CRL label', async () => {
    const der = await buildCrl(currentInput([]));
    const pem = crlToPem(der);
    assert.match(pem, /^-----BEGIN X509 CRL-----\n/);
    assert.deepEqual(fromPem(pem, ['X509 CRL']).der, der);
  });

  it('is version, then the signature algorithm of the CA, inside and outside the TBS', async () => {
    const der = await buildCrl(currentInput([]));
    const { tbs, fields } = tbsFields(der);
    assert.equal(der.subarray(fields[0]?.start, fields[0]?.contentEnd).toString('hex'), '020101');
    const algorithm = '300d06092a864886f70d01010b0500';
    assert.equal(der.subarray(fields[1]?.start, fields[1]?.contentEnd).toString('hex'), algorithm);
    const outer = readTlv(der, tbs.contentEnd);
    assert.equal(der.subarray(outer.start, outer.contentEnd).toString('hex'), algorithm);
  });
});
