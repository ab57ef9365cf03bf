import assert from 'node:assert/strict';
import { createPublicKey, ECDH, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { subjectPublicKeyInfo } from '../../src/ca/certificate-builder.js';
import { CsrError, readCertificateSigningRequest, readCertificateSigningRequestAsync } from '../../src/ca/csr.js';
import { readChildren, readWhole } from '../../src/ca/der.js';
import { bitString, nullValue, oid, sequence, smallInteger, tlv } from '../../src/ca/der-writer.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { Oid } from '../../src/ca/oids.js';
import { fromPem, toPem } from '../../src/ca/pem.js';

/**
 * CSRs carry their key as raw SPKI bytes; fleetca imports the common forms directly (PKCS#1 for RSA, JWK for
 * named-curve points) and everything else through OpenSSL's generic SPKI decoder. Whatever the path, the
 * outcome must be the generic decoder's: the same keys accepted and refused, the same SPKI in the certificate.
 */

const SUBJECT = encodeName('CN=device-1,O=Acme');

/** A CSR whose CertificationRequestInfo carries `spki` exactly as given, signed by `privateKey`. */
function csrWithSpki(spki: Buffer, privateKey: KeyObject): string {
  const info = sequence(smallInteger(0), SUBJECT, spki, tlv(0xa0));
  const ec = privateKey.asymmetricKeyType === 'ec';
  const algorithm = ec ? sequence(oid(Oid.ecdsaWithSHA256)) : sequence(oid(Oid.sha256WithRSAEncryption), nullValue());
  return toPem('CERTIFICATE REQUEST', sequence(info, algorithm, bitString(sign('sha256', info, privateKey))));
}

/** What OpenSSL's generic decoder makes of `spki`: the canonical SPKI it exports, or undefined when it refuses. */
function genericDecoding(spki: Buffer): Buffer | undefined {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}

/** The CSR is accepted exactly when the generic decoder accepts its key, and then certifies what it exports. */
async function assertLikeGenericDecoder(spki: Buffer, privateKey: KeyObject): Promise<'accepted' | 'refused'> {
  const pem = csrWithSpki(spki, privateKey);
  const expected = genericDecoding(spki);
  if (expected === undefined) {
    assert.throws(() => readCertificateSigningRequest(pem), CsrError);
    await assert.rejects(readCertificateSigningRequestAsync(pem), CsrError);
    return 'refused';
  }
  const csr = readCertificateSigningRequest(pem);
  assert.deepEqual(subjectPublicKeyInfo(csr.publicKey), expected);
  assert.deepEqual(csr.publicKey.export({ type: 'spki', format: 'der' }), expected);
  assert.deepEqual(subjectPublicKeyInfo((await readCertificateSigningRequestAsync(pem)).publicKey), expected);
  return 'accepted';
}

const spkiOf = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/** The SPKI's subjectPublicKey bytes (after the unused-bits octet). */
function publicKeyBits(spki: Buffer): Buffer {
  const [, bits] = readChildren(spki, readWhole(spki));
  if (!bits) throw new Error('no subjectPublicKey');
  return spki.subarray(bits.contentStart + 1, bits.contentEnd);
}

describe('CSR public keys: the direct imports agree with the generic SPKI decoder', () => {
  for (const [name, options] of [
    ['RSA-2048', { modulusLength: 2048 }],
    ['RSA-3072 with exponent 3', { modulusLength: 3072, publicExponent: 3 }],
  ] as const) {
    it(name, async () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', options);
      assert.equal(await assertLikeGenericDecoder(spkiOf(publicKey), privateKey), 'accepted');
    });
  }

  for (const curve of ['P-256', 'P-384', 'P-521']) {
    it(`EC ${curve}, uncompressed point`, async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      assert.equal(await assertLikeGenericDecoder(spkiOf(publicKey), privateKey), 'accepted');
    });
  }

  it('EC P-256 with a compressed point (generic decoder)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = spkiOf(publicKey);
    const compressed = ECDH.convertKey(publicKeyBits(spki), 'prime256v1', undefined, undefined, 'compressed') as Buffer;
    const compressedSpki = sequence(sequence(oid(Oid.ecPublicKey), oid('1.2.840.10045.3.1.7')), bitString(compressed));
    await assertLikeGenericDecoder(compressedSpki, privateKey);
  });

  it('EC P-256 with a point off the curve is refused', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = Buffer.from(spkiOf(publicKey));
    spki[spki.length - 1] = (spki[spki.length - 1] as number) ^ 0x01;
    assert.equal(await assertLikeGenericDecoder(spki, privateKey), 'refused');
  });

  it('EC P-256 with a coordinate not reduced modulo the field prime is refused', async () => {
    // A point with a small x, so that x + p still fits in 32 bytes: the same point, non-canonically encoded.
    const p = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
    const b = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
    const mod = (a: bigint) => ((a % p) + p) % p;
    const pow = (base: bigint, e: bigint) => {
      let result = 1n;
      let x = mod(base);
      for (let n = e; n > 0n; n >>= 1n) {
        if (n & 1n) result = (result * x) % p;
        x = (x * x) % p;
      }
      return result;
    };
    const bytes = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
    let x = 1n;
    let y = 0n;
    for (; ; x++) {
      const rhs = mod(x ** 3n - 3n * x + b);
      y = pow(rhs, (p + 1n) / 4n);
      if ((y * y) % p === rhs) break;
    }
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const curve = sequence(oid(Oid.ecPublicKey), oid('1.2.840.10045.3.1.7'));
    const point = (px: bigint) => bitString(Buffer.concat([Buffer.from([4]), bytes(px), bytes(y)]));
    assert.notEqual(genericDecoding(sequence(curve, point(x))), undefined, 'the reduced point is a valid key');
    assert.equal(await assertLikeGenericDecoder(sequence(curve, point(x + p)), privateKey), 'refused');
  });

  it('RSA without the NULL algorithm parameters (generic decoder)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = sequence(sequence(oid(Oid.rsaEncryption)), bitString(publicKeyBits(spkiOf(publicKey))));
    await assertLikeGenericDecoder(spki, privateKey);
  });

  it('RSA with a non-minimal modulus encoding (generic decoder)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaKey = publicKeyBits(spkiOf(publicKey));
    const [modulus, exponent] = readChildren(rsaKey, readWhole(rsaKey));
    if (!modulus || !exponent) throw new Error('not an RSAPublicKey');
    const padded = tlv(0x02, Buffer.from([0]), rsaKey.subarray(modulus.contentStart, modulus.contentEnd));
    const pkcs1 = sequence(padded, rsaKey.subarray(exponent.start, exponent.contentEnd));
    const spki = sequence(sequence(oid(Oid.rsaEncryption), nullValue()), bitString(pkcs1));
    await assertLikeGenericDecoder(spki, privateKey);
  });

  it('RSA with bytes after the RSAPublicKey inside the BIT STRING (generic decoder)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const trailing = Buffer.concat([publicKeyBits(spkiOf(publicKey)), Buffer.from([0, 0])]);
    const spki = sequence(sequence(oid(Oid.rsaEncryption), nullValue()), bitString(trailing));
    await assertLikeGenericDecoder(spki, privateKey);
  });
});

describe('readCertificateSigningRequestAsync', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = csrWithSpki(spkiOf(publicKey), privateKey);

  it('returns what the synchronous reader returns', async () => {
    const sync = readCertificateSigningRequest(pem);
    const async = await readCertificateSigningRequestAsync(pem);
    assert.deepEqual(async.subject, sync.subject);
    assert.deepEqual(spkiOf(async.publicKey), spkiOf(sync.publicKey));
  });

  it('refuses a bad signature, and unparsable input, with the same errors', async () => {
    const der = Buffer.from(fromPem(pem, ['CERTIFICATE REQUEST']).der);
    der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
    const tampered = toPem('CERTIFICATE REQUEST', der);
    for (const input of [tampered, 'garbage', toPem('CERTIFICATE REQUEST', Buffer.from([0x30, 0x00]))]) {
      let expected: Error | undefined;
      try {
        readCertificateSigningRequest(input);
      } catch (err) {
        expected = err as Error;
      }
      assert.ok(expected instanceof CsrError);
      await assert.rejects(readCertificateSigningRequestAsync(input), (err: Error) => {
        assert.ok(err instanceof CsrError);
        assert.equal(err.message, expected?.message);
        return true;
      });
    }
  });
});
