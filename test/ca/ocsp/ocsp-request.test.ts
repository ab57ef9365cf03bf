import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCertificate } from '../../../src/ca/authority.js';
import { type FileCertificateAuthority, openFileAuthority } from '../../../src/ca/bootstrap.js';
import {
  boolean,
  explicit,
  nullValue,
  octetString,
  oid,
  sequence,
  smallInteger,
  tlv,
  unsignedInteger,
} from '../../../src/ca/der-writer.js';
import { encodeName } from '../../../src/ca/distinguished-name.js';
import { issuerHashes } from '../../../src/ca/ocsp/cert-id-hashes.js';
import {
  MAX_OCSP_REQUEST_OCTETS,
  OcspMalformedRequest,
  type OcspRequest,
  parseOcspRequest,
} from '../../../src/ca/ocsp/ocsp-request.js';
import { fromPem } from '../../../src/ca/pem.js';
import { makeTempDir, openssl, writeTemp } from '../../helpers/ca-test-support.js';

const tmp = makeTempDir('ocsp-request');
after(() => tmp.remove());

let ca: FileCertificateAuthority;
let issuingDer: Buffer;
let leaves: IssuedCertificate[];
let issuingPath: string;
let leafPaths: string[];

before(async () => {
  ca = await openFileAuthority(join(tmp.path, 'ca'));
  issuingDer = fromPem(ca.issuingPem, ['CERTIFICATE']).der;
  issuingPath = writeTemp(tmp.path, 'issuing.pem', ca.issuingPem);
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  leaves = [];
  for (let i = 0; i < 3; i++)
    leaves.push(await ca.issue({ subject: encodeName(`CN=d${i}`), publicKey, now: new Date() }));
  leafPaths = leaves.map((leaf, i) => writeTemp(tmp.path, `leaf${i}.pem`, leaf.pem));
});

/** A request made by `openssl ocsp` for `certs` (indexes into leaves), with its options. */
function opensslRequest(certs: readonly number[], options: readonly string[] = []): Buffer {
  const out = join(tmp.path, 'req.der');
  // openssl takes the CertID digest only before the certificates it applies to.
  openssl([
    'ocsp',
    ...options,
    '-issuer',
    issuingPath,
    ...certs.flatMap((i) => ['-cert', leafPaths[i] as string]),
    '-reqout',
    out,
  ]);
  return readFileSync(out);
}

const SHA1 = '1.3.14.3.2.26';
const NONCE = '1.3.6.1.5.5.7.48.1.2';

interface CertIdParts {
  readonly hashOid?: string;
  readonly parameters?: Buffer | null;
  readonly nameHash?: Buffer;
  readonly keyHash?: Buffer;
  readonly serial?: Buffer;
}

function certId(parts: CertIdParts = {}): Buffer {
  const algorithm = [oid(parts.hashOid ?? SHA1)];
  if (parts.parameters !== null) algorithm.push(parts.parameters ?? nullValue());
  return sequence(
    sequence(...algorithm),
    octetString(parts.nameHash ?? Buffer.alloc(20, 1)),
    octetString(parts.keyHash ?? Buffer.alloc(20, 2)),
    parts.serial ?? unsignedInteger(Buffer.from('0123456789', 'hex')),
  );
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

interface RequestParts {
  readonly version?: Buffer;
  readonly requestorName?: Buffer;
  readonly requests?: readonly Buffer[];
  readonly extensions?: readonly Buffer[];
  readonly signature?: Buffer;
}

/** OCSPRequest from parts; each Request defaults to `Request { certId() }`. */
function request(parts: RequestParts = {}): Buffer {
  const tbs: Buffer[] = [];
  if (parts.version) tbs.push(explicit(0, parts.version));
  if (parts.requestorName) tbs.push(explicit(1, parts.requestorName));
  tbs.push(sequence(...(parts.requests ?? [sequence(certId())])));
  if (parts.extensions) tbs.push(explicit(2, sequence(...parts.extensions)));
  const outer = [sequence(...tbs)];
  if (parts.signature) outer.push(explicit(0, parts.signature));
  return sequence(...outer);
}

function assertMalformed(input: Uint8Array, message?: string): void {
  assert.throws(() => parseOcspRequest(input), OcspMalformedRequest, message);
}

describe('OCSP request parser (RFC 6960 §4.1)', () => {
  it('reads what openssl ocsp sends: CertID fields, exact CertID DER, the nonce to echo', () => {
    const der = opensslRequest([0]);
    const parsed = parseOcspRequest(der);
    assert.equal(parsed.certIds.length, 1);
    const [id] = parsed.certIds;
    const expected = issuerHashes(issuingDer, 'sha1');
    assert.equal(id?.hashAlgorithm, SHA1);
    assert.deepEqual(id?.issuerNameHash, expected.nameHash);
    assert.deepEqual(id?.issuerKeyHash, expected.keyHash);
    assert.equal(id?.serialNumber, leaves[0]?.issuedBy.serialNumber);
    // The CertID's bytes are a slice of the request, whole.
    assert.ok(id && der.includes(id.der));
    assert.equal(id?.der[0], 0x30);
    // openssl's nonce: OCTET STRING { 16 random octets }, and the parse keeps that whole TLV.
    assert.equal(parsed.nonce?.length, 18);
    assert.equal(parsed.nonce?.subarray(0, 2).toString('hex'), '0410');
    assert.ok(parsed.nonce && der.includes(parsed.nonce));
  });

  it('reads several CertIDs in order, SHA-256 ones, requests without a nonce, and signed requests', () => {
    const many = parseOcspRequest(opensslRequest([0, 1, 2], ['-no_nonce']));
    assert.deepEqual(
      many.certIds.map((c) => c.serialNumber),
      leaves.map((l) => l.issuedBy.serialNumber),
    );
    assert.equal(many.nonce, undefined);
    const sha256 = parseOcspRequest(opensslRequest([1], ['-sha256']));
    const hashes = issuerHashes(issuingDer, 'sha256');
    assert.equal(sha256.certIds[0]?.hashAlgorithm, '2.16.840.1.101.3.4.2.1');
    assert.deepEqual(sha256.certIds[0]?.issuerNameHash, hashes.nameHash);
    assert.deepEqual(sha256.certIds[0]?.issuerKeyHash, hashes.keyHash);
    // A signed request (requestorName and optionalSignature with certs) is accepted; its signature is not checked.
    const signerKey = join(tmp.path, 'signer.key');
    const signerCert = join(tmp.path, 'signer.pem');
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=requestor',
      ].concat(['-keyout', signerKey, '-out', signerCert, '-days', '1']),
    );
    const signed = opensslRequest([2], ['-signer', signerCert, '-signkey', signerKey]);
    const parsed = parseOcspRequest(signed);
    assert.equal(parsed.certIds[0]?.serialNumber, leaves[2]?.issuedBy.serialNumber);
    assert.equal(parsed.nonce?.length, 18);
  });

  it('turns serial numbers into lowercase hex magnitudes and refuses negative ones', () => {
    const serialOf = (integer: Buffer) =>
      parseOcspRequest(request({ requests: [sequence(certId({ serial: integer }))] })).certIds[0]?.serialNumber;
    assert.equal(serialOf(Buffer.from('020100', 'hex')), '00');
    assert.equal(serialOf(Buffer.from('02017f', 'hex')), '7f');
    assert.equal(serialOf(Buffer.from('02020080', 'hex')), '80');
    assert.equal(serialOf(Buffer.from('0203010203', 'hex')), '010203');
    assertMalformed(request({ requests: [sequence(certId({ serial: Buffer.from('020180', 'hex') }))] }));
    assertMalformed(request({ requests: [sequence(certId({ serial: Buffer.from('0202ff7f', 'hex') }))] }));
    // Non-minimal INTEGERs are not DER.
    assertMalformed(request({ requests: [sequence(certId({ serial: Buffer.from('0202007f', 'hex') }))] }));
  });

  it('accepts the version only as v1, hash parameters only absent or NULL, hashes of the algorithm length', () => {
    assert.equal(parseOcspRequest(request({ version: smallInteger(0) })).certIds.length, 1);
    assertMalformed(request({ version: smallInteger(1) }));
    assertMalformed(request({ version: octetString(Buffer.from([0])) }));
    assert.equal(parseOcspRequest(request({ requests: [sequence(certId({ parameters: null }))] })).certIds.length, 1);
    assertMalformed(request({ requests: [sequence(certId({ parameters: octetString(Buffer.alloc(0)) }))] }));
    const sha256 = '2.16.840.1.101.3.4.2.1';
    assertMalformed(request({ requests: [sequence(certId({ hashOid: sha256 }))] }), 'SHA-256 OID, SHA-1 lengths');
    assertMalformed(request({ requests: [sequence(certId({ nameHash: Buffer.alloc(19) }))] }));
    const ok = parseOcspRequest(
      request({
        requests: [sequence(certId({ hashOid: sha256, nameHash: Buffer.alloc(32), keyHash: Buffer.alloc(32) }))],
      }),
    );
    assert.equal(ok.certIds[0]?.hashAlgorithm, sha256);
  });

  it('passes unknown hash algorithms on by OID, with bounded hashes, for the responder to answer unknown', () => {
    const md5 = '1.2.840.113549.2.5';
    const parsed = parseOcspRequest(
      request({
        requests: [sequence(certId({ hashOid: md5, nameHash: Buffer.alloc(16), keyHash: Buffer.alloc(16) }))],
      }),
    );
    assert.equal(parsed.certIds[0]?.hashAlgorithm, md5);
    assertMalformed(request({ requests: [sequence(certId({ hashOid: '1.2.3.4', nameHash: Buffer.alloc(0) }))] }));
    assertMalformed(request({ requests: [sequence(certId({ hashOid: '1.2.3.4', keyHash: Buffer.alloc(65) }))] }));
  });

  it('takes one to ten Requests, ignoring their singleRequestExtensions', () => {
    const ten = Array.from({ length: 10 }, () => sequence(certId()));
    assert.equal(parseOcspRequest(request({ requests: ten })).certIds.length, 10);
    assertMalformed(request({ requests: [...ten, sequence(certId())] }), 'eleven');
    assertMalformed(request({ requests: [] }), 'none');
    const withExtensions = sequence(certId(), explicit(0, sequence(extension('1.2.3.4', Buffer.from([5, 0]), true))));
    assert.equal(parseOcspRequest(request({ requests: [withExtensions] })).certIds.length, 1);
    assertMalformed(request({ requests: [sequence(certId(), tlv(0xa1, sequence()))] }));
    assertMalformed(request({ requests: [sequence(certId(), explicit(0, sequence()))] }), 'empty Extensions');
    assertMalformed(request({ requests: [sequence()] }), 'no CertID');
    assertMalformed(request({ requests: [certId()] }), 'CertID not inside a Request');
  });

  it('keeps a nonce of 1 to 32 octets and refuses the rest (RFC 8954)', () => {
    const withNonce = (value: Buffer, critical = false) => request({ extensions: [extension(NONCE, value, critical)] });
    assert.equal(parseOcspRequest(withNonce(octetString(Buffer.alloc(1, 7)))).nonce?.toString('hex'), '040107');
    const longest = octetString(Buffer.alloc(32, 9));
    assert.deepEqual(parseOcspRequest(withNonce(longest, true)).nonce, longest);
    assertMalformed(withNonce(octetString(Buffer.alloc(0))), 'empty nonce');
    assertMalformed(withNonce(octetString(Buffer.alloc(33))), '33-octet nonce');
    assertMalformed(withNonce(Buffer.alloc(16, 0x41)), 'raw nonce, not an OCTET STRING');
    assertMalformed(withNonce(Buffer.concat([octetString(Buffer.alloc(4)), Buffer.from([0])])), 'trailing octet');
    assertMalformed(withNonce(smallInteger(5)), 'INTEGER nonce');
  });

  it('ignores unknown request extensions unless critical, and refuses repeated ones', () => {
    const unknown = extension('1.3.6.1.5.5.7.48.1.4', sequence(oid(SHA1)));
    const nonce = extension(NONCE, octetString(Buffer.alloc(8, 3)));
    const parsed: OcspRequest = parseOcspRequest(request({ extensions: [unknown, nonce] }));
    assert.equal(parsed.nonce?.toString('hex'), `0408${'03'.repeat(8)}`);
    assertMalformed(request({ extensions: [extension('1.3.6.1.5.5.7.48.1.4', nullValue(), true)] }), 'critical');
    assertMalformed(request({ extensions: [nonce, nonce] }), 'twice');
    assertMalformed(
      request({ extensions: [sequence(oid(NONCE), boolean(false), octetString(octetString(Buffer.alloc(4))))] }),
      'critical FALSE is not DER',
    );
  });

  it('accepts and ignores requestorName and optionalSignature, and refuses anything else in their places', () => {
    const name = tlv(0xa4, encodeName('CN=someone'));
    const signature = sequence(sequence(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.from([0, 1, 2])));
    assert.equal(parseOcspRequest(request({ requestorName: name, signature })).certIds.length, 1);
    assertMalformed(request({ signature: octetString(Buffer.alloc(3)) }));
    const bare = request();
    assertMalformed(
      Buffer.concat([
        bare.subarray(0, 1),
        Buffer.from([(bare[1] as number) + 2]),
        bare.subarray(2),
        Buffer.from('0500', 'hex'),
      ]),
    );
    assertMalformed(Buffer.concat([bare, Buffer.from([0])]), 'trailing octet');
    assertMalformed(sequence(sequence(sequence(sequence(certId())), nullValue())), 'unknown tbsRequest field');
    assertMalformed(Buffer.alloc(0), 'empty input');
  });
});

describe('OCSP request parser against hostile input', () => {
  /** mulberry32: a small seeded generator, so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Parses or throws OcspMalformedRequest; anything else (a TypeError, a RangeError, a hang) fails the test. */
  function parsesOrRefuses(input: Buffer, what: string): 'parsed' | 'refused' {
    try {
      parseOcspRequest(input);
      return 'parsed';
    } catch (err) {
      assert.ok(err instanceof OcspMalformedRequest, `${what}: ${String(err)}\n${input.toString('hex')}`);
      return 'refused';
    }
  }

  let samples: Buffer[];
  before(() => {
    samples = [
      opensslRequest([0]),
      opensslRequest([0, 1, 2], ['-sha256']),
      request({
        version: smallInteger(0),
        requestorName: tlv(0xa4, encodeName('CN=x')),
        requests: [sequence(certId(), explicit(0, sequence(extension('1.2.3', nullValue()))))],
        extensions: [extension(NONCE, octetString(Buffer.alloc(20, 1))), extension('1.2.3.4', nullValue())],
        signature: sequence(sequence(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.from([0, 1]))),
      }),
    ];
  });

  it('refuses every truncation of valid requests', () => {
    for (const sample of samples) {
      assert.equal(parsesOrRefuses(sample, 'whole'), 'parsed');
      for (let length = 0; length < sample.length; length++) {
        assert.equal(parsesOrRefuses(sample.subarray(0, length), `truncated to ${length}`), 'refused');
      }
    }
  });

  it('parses or refuses thousands of random byte changes, insertions and deletions', () => {
    const next = random(0x0c5b);
    const outcomes = { parsed: 0, refused: 0 };
    for (let round = 0; round < 6000; round++) {
      const sample = samples[round % samples.length] as Buffer;
      let mutated = Buffer.from(sample);
      const changes = 1 + Math.floor(next() * 3);
      for (let c = 0; c < changes; c++) {
        const at = Math.floor(next() * mutated.length);
        const kind = next();
        if (kind < 0.6) mutated[at] = Math.floor(next() * 256);
        else if (kind < 0.8) mutated[at] = (mutated[at] as number) ^ (1 << Math.floor(next() * 8));
        else if (kind < 0.9) mutated = Buffer.concat([mutated.subarray(0, at), mutated.subarray(at + 1)]);
        else
          mutated = Buffer.concat([
            mutated.subarray(0, at),
            Buffer.from([Math.floor(next() * 256)]),
            mutated.subarray(at),
          ]);
      }
      outcomes[parsesOrRefuses(mutated, `round ${round}`)]++;
    }
    // Both outcomes occur: flips inside hashes, serials and nonces still parse, structural ones are refused.
    assert.ok(outcomes.parsed > 100 && outcomes.refused > 1000, JSON.stringify(outcomes));
  });

  it('parses or refuses random bytes, and hash algorithm OIDs of every kind', () => {
    const next = random(42);
    for (let round = 0; round < 1000; round++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256)));
      parsesOrRefuses(bytes, 'random bytes');
      // The same bytes behind a SEQUENCE header reach the structure checks more often.
      parsesOrRefuses(sequence(bytes), 'random SEQUENCE');
    }
    for (const hashOid of [
      '1.2.840.113549.2.5',
      '2.16.840.1.101.3.4.2.3',
      '1.2',
      '2.999.1',
      `2.25.${'9'.repeat(38)}`,
    ]) {
      for (const length of [0, 16, 20, 32, 48, 64, 65]) {
        const hashes = { nameHash: Buffer.alloc(length, 1), keyHash: Buffer.alloc(length, 2) };
        parsesOrRefuses(request({ requests: [sequence(certId({ hashOid, ...hashes }))] }), `${hashOid}/${length}`);
      }
    }
    // An OID arc past der.ts's bound, and an OID that is not DER at all.
    assertMalformed(request({ requests: [sequence(certId({ hashOid: `2.25.${'9'.repeat(60)}` }))] }));
    const badOid = Buffer.from(certId()).fill(0x80, 6, 7);
    assertMalformed(request({ requests: [sequence(badOid)] }));
  });

  it('refuses bodies over 64 KiB unread, and takes one just within the bound', () => {
    const filler = (size: number) => extension('1.2.3.4', octetString(Buffer.alloc(size, 0x61)));
    const overhead = request({ extensions: [filler(60_000)] }).length - 60_000;
    const exact = request({ extensions: [filler(MAX_OCSP_REQUEST_OCTETS - overhead)] });
    assert.equal(exact.length, MAX_OCSP_REQUEST_OCTETS);
    assert.equal(parseOcspRequest(exact).certIds.length, 1);
    const over = request({ extensions: [filler(MAX_OCSP_REQUEST_OCTETS - overhead + 1)] });
    assertMalformed(over);
    assert.throws(() => parseOcspRequest(Buffer.alloc(10 * 1024 * 1024, 0x30)), /larger than 65536/);
  });

  it('refuses deep nesting without exhausting the stack', () => {
    let nested = nullValue();
    for (let depth = 0; depth < 5000 && nested.length < 60_000; depth++) nested = sequence(nested);
    assertMalformed(nested);
    let inName = encodeName('CN=x');
    for (let depth = 0; depth < 40; depth++) inName = sequence(inName);
    assertMalformed(request({ requestorName: tlv(0xa4, inName) }));
    // Indefinite lengths (BER) are not DER either.
    assertMalformed(Buffer.from('30800000', 'hex'));
  });
});
