/**
 * PKCS#10 certificate signing requests, checked the way CreateCertificateFromCsr needs: the subject Name is
 * kept as raw bytes (copied verbatim into the certificate) and the self-signature is verified over the exact
 * CertificationRequestInfo bytes of the input, never a re-encoding.
 */

import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { rememberSubjectPublicKeyInfo } from './certificate-builder.js';
import { checkCsrAttributes } from './csr-attributes.js';
import { CsrError } from './csr-error.js';
import { readAlgorithm, type VerificationOptions, verificationOptions } from './csr-signature-algorithm.js';
import {
  contentBytes,
  DerError,
  decodeOid,
  decodeSmallInteger,
  elementBytes,
  expectTag,
  readChildren,
  readWhole,
  Tag,
} from './der.js';
import { checkDer } from './der-check.js';
import { checkName } from './name-check.js';
import { Oid } from './oids.js';
import { fromPem, PemError } from './pem.js';

export { CsrError };

/** What fleetca takes from a CSR. Extension requests and other attributes are ignored, as AWS does. */
export interface CertificateSigningRequest {
  /** The raw DER subject Name. */
  readonly subject: Buffer;
  /** The requested public key: RSA ≥ 2048 bits or EC on P-256, P-384, P-521. */
  readonly publicKey: KeyObject;
}

const PEM_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

const ACCEPTED_KEYS = 'RSA keys of at least 2048 bits or EC keys on P-256, P-384 or P-521';

/** Node's curve names for the curves AWS accepts, with the names people know them by. */
const ACCEPTED_CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** Names for key algorithms we refuse, so the message says what was found. */
const KEY_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10046.2.1': 'Diffie-Hellman',
  '1.2.156.10197.1.301': 'SM2',
};

/**
 * Parses and checks a PEM CSR (`CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`).
 * Throws CsrError when it is not a PKCS#10 v1 request, its key is not acceptable, its signature algorithm is not
 * supported or its signature does not verify.
 */
export function readCertificateSigningRequest(pem: string): CertificateSigningRequest {
  const parsed = parseRequest(pem);
  let valid = false;
  try {
    valid = verify(parsed.proof.hash, parsed.proof.signedBytes, parsed.proof.key, parsed.proof.signature);
  } catch {
    valid = false; // a malformed signature value is just an invalid signature
  }
  if (!valid) throw badSignature();
  return parsed.request;
}

/**
 * readCertificateSigningRequest with the signature verified on the libuv thread pool instead of the calling
 * thread (what a server wants: the event loop only parses). Same checks, same order, same errors, as a rejection.
 */
export async function readCertificateSigningRequestAsync(pem: string): Promise<CertificateSigningRequest> {
  const parsed = parseRequest(pem);
  const { hash, signedBytes, key, signature } = parsed.proof;
  const valid = await new Promise<boolean>((resolve) => {
    try {
      // An error (a malformed signature value) is just an invalid signature.
      verify(hash, signedBytes, key, signature, (err, result) => resolve(!err && result));
    } catch {
      resolve(false);
    }
  });
  if (!valid) throw badSignature();
  return parsed.request;
}

/** A request whose every part checked out, and what its self-signature must verify. */
interface ParsedRequest {
  readonly request: CertificateSigningRequest;
  readonly proof: {
    readonly hash: string;
    readonly signedBytes: Buffer;
    readonly key: VerificationOptions['key'];
    readonly signature: Buffer;
  };
}

function badSignature(): CsrError {
  return new CsrError('the certificate signing request signature does not verify with its public key');
}

function parseRequest(pem: string): ParsedRequest {
  if (typeof pem !== 'string') throw new CsrError('the certificate signing request must be a PEM string');
  let der: Buffer;
  try {
    der = fromPem(pem, PEM_LABELS).der;
  } catch (err) {
    if (err instanceof PemError) throw new CsrError(`the certificate signing request is not a PEM CSR: ${err.message}`);
    throw err;
  }
  try {
    return readDer(der);
  } catch (err) {
    if (err instanceof DerError)
      throw new CsrError(`the certificate signing request could not be parsed: ${err.message}`);
    throw err;
  }
}

function readDer(der: Buffer): ParsedRequest {
  // DER throughout before anything is taken from it (linear in the input; see der-check.ts).
  const request = expectTag(checkDer(der), Tag.SEQUENCE, 'CertificationRequest');
  const [infoElement, algorithmElement, signatureElement, extra] = readChildren(der, request);
  if (!infoElement || !algorithmElement || !signatureElement || extra) {
    throw new DerError('CertificationRequest must have exactly three elements');
  }
  expectTag(infoElement, Tag.SEQUENCE, 'CertificationRequestInfo');
  const [version, subject, spki, attributes, trailing] = readChildren(der, infoElement);
  if (!version || !subject || !spki) throw new DerError('CertificationRequestInfo is incomplete');
  // PKCS#10 requires the attributes [0] field, but some encoders omit it when empty (OpenSSL reads such requests).
  if ((attributes && attributes.tag !== 0xa0) || trailing) {
    throw new DerError('CertificationRequestInfo has unexpected trailing elements');
  }
  const versionNumber = decodeSmallInteger(contentBytes(der, expectTag(version, Tag.INTEGER, 'version')));
  if (versionNumber !== 0) {
    throw new CsrError(
      `unsupported certificate signing request version ${versionNumber} (only version 1, encoded 0, exists)`,
    );
  }
  // The subject is copied verbatim into the certificate: it must be a Name OpenSSL and RFC 5280 accept.
  checkName(der, subject, 'subject');
  if (attributes) checkCsrAttributes(der, attributes);
  const publicKey = readPublicKey(elementBytes(der, expectTag(spki, Tag.SEQUENCE, 'subjectPKInfo')));
  const algorithm = readAlgorithm(der, expectTag(algorithmElement, Tag.SEQUENCE, 'signatureAlgorithm'));
  const signatureBits = contentBytes(der, expectTag(signatureElement, Tag.BIT_STRING, 'signature'));
  if (signatureBits.length < 2 || signatureBits[0] !== 0) throw new DerError('signature BIT STRING is malformed');
  const options = verificationOptions(algorithm, publicKey);
  return {
    request: { subject: Buffer.from(elementBytes(der, subject)), publicKey },
    proof: {
      hash: options.hash,
      signedBytes: elementBytes(der, infoElement),
      key: options.key,
      signature: signatureBits.subarray(1),
    },
  };
}

function readPublicKey(spki: Buffer): KeyObject {
  const algorithmOid = spkiAlgorithm(spki);
  let key: KeyObject;
  try {
    key = importCommonKey(spki) ?? createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    const name = KEY_ALGORITHM_NAMES[algorithmOid];
    if (name) throw new CsrError(`unsupported public key: ${name}; only ${ACCEPTED_KEYS} are accepted`);
    if (algorithmOid === Oid.ecPublicKey) {
      throw new CsrError(
        `unsupported public key: EC on an unknown or explicit curve; only ${ACCEPTED_KEYS} are accepted`,
      );
    }
    throw new CsrError(`the certificate signing request's public key (algorithm ${algorithmOid}) could not be parsed`);
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 2048) throw new CsrError(`unsupported public key: RSA ${bits} bits; only ${ACCEPTED_KEYS} are accepted`);
    // An even or tiny exponent is never produced by a real key generator (e = 1 would make the "signature" the hash).
    const exponent = details.publicExponent ?? 0n;
    if (exponent < 3n || exponent % 2n === 0n) {
      throw new CsrError(`unsupported public key: RSA public exponent ${exponent} is not valid`);
    }
    return key;
  }
  if (type === 'ec') {
    const curve = details.namedCurve;
    if (curve && ACCEPTED_CURVES[curve]) return key;
    throw new CsrError(
      `unsupported public key: EC on curve ${curve ?? '(explicit parameters)'}; only ${ACCEPTED_KEYS} are accepted`,
    );
  }
  const name = KEY_ALGORITHM_NAMES[algorithmOid] ?? type ?? algorithmOid;
  throw new CsrError(`unsupported public key: ${name}; only ${ACCEPTED_KEYS} are accepted`);
}

/** The JWK names of the curves AWS accepts, by their OID, with the byte length of one coordinate. */
const JWK_CURVES: Readonly<Record<string, { readonly crv: string; readonly size: number }>> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
  '1.3.132.0.35': { crv: 'P-521', size: 66 },
};

/**
 * The key of the two SubjectPublicKeyInfo forms nearly every CSR carries, imported without OpenSSL 3's generic
 * SPKI decoder, which costs several times more than the import itself (and makes every later SPKI export slow):
 * rsaEncryption with NULL parameters (imported as its PKCS#1 RSAPublicKey) and an uncompressed point on a named
 * curve AWS accepts (imported as a JWK, which checks that the coordinates are below the field prime and the point
 * is on the curve). The structure is checked strictly first, so both imports see exactly what the SPKI decoder
 * would; anything else — another form, or a key the fast import refuses — returns undefined and takes the
 * generic decoder, with its own refusals.
 */
function importCommonKey(spki: Buffer): KeyObject | undefined {
  try {
    const [algorithm, bits, extra] = readChildren(spki, expectTag(readWhole(spki), Tag.SEQUENCE, 'SPKI'));
    if (!algorithm || !bits || extra || bits.tag !== Tag.BIT_STRING) return undefined;
    const [id, params, more] = readChildren(spki, expectTag(algorithm, Tag.SEQUENCE, 'SPKI algorithm'));
    if (!id || !params || more || id.tag !== Tag.OID) return undefined;
    const content = contentBytes(spki, bits);
    if (content[0] !== 0) return undefined;
    const key = content.subarray(1);
    const algorithmOid = decodeOid(contentBytes(spki, id));
    if (algorithmOid === Oid.rsaEncryption) {
      if (params.tag !== Tag.NULL || params.contentEnd !== params.contentStart) return undefined;
      // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, and nothing after it.
      const [modulus, exponent, rest] = readChildren(key, expectTag(readWhole(key), Tag.SEQUENCE, 'RSAPublicKey'));
      if (!modulus || !exponent || rest || modulus.tag !== Tag.INTEGER || exponent.tag !== Tag.INTEGER) {
        return undefined;
      }
      if (!positiveMinimalInteger(contentBytes(key, modulus)) || !positiveMinimalInteger(contentBytes(key, exponent))) {
        return undefined;
      }
      return remembered(createPublicKey({ key, format: 'der', type: 'pkcs1' }), spki);
    }
    if (algorithmOid === Oid.ecPublicKey) {
      if (params.tag !== Tag.OID) return undefined;
      const curve = JWK_CURVES[decodeOid(contentBytes(spki, params))];
      if (!curve || key.length !== 1 + 2 * curve.size || key[0] !== 0x04) return undefined;
      const x = key.subarray(1, 1 + curve.size).toString('base64url');
      const y = key.subarray(1 + curve.size).toString('base64url');
      return remembered(createPublicKey({ key: { kty: 'EC', crv: curve.crv, x, y }, format: 'jwk' }), spki);
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * A key imported by importCommonKey, whose SPKI is known to be canonical DER — strict lengths (der.ts), the one
 * algorithm encoding OpenSSL writes for it, minimal INTEGERs — and so to be exactly what exporting the key would
 * give: recorded, so that building the certificate does not encode it again.
 */
function remembered(key: KeyObject, spki: Buffer): KeyObject {
  rememberSubjectPublicKeyInfo(key, spki);
  return key;
}

/** A DER INTEGER's content is positive and minimal: top bit clear, and no leading 00 it could do without. */
function positiveMinimalInteger(content: Buffer): boolean {
  const first = content[0];
  if (first === undefined || first >= 0x80) return false;
  const second = content[1];
  return !(first === 0x00 && second !== undefined && second < 0x80);
}

function spkiAlgorithm(spki: Buffer): string {
  const [algorithm] = readChildren(spki, readWhole(spki));
  if (!algorithm) throw new DerError('subjectPKInfo has no algorithm');
  const [id] = readChildren(spki, expectTag(algorithm, Tag.SEQUENCE, 'subjectPKInfo algorithm'));
  if (!id) throw new DerError('subjectPKInfo algorithm has no identifier');
  return decodeOid(contentBytes(spki, expectTag(id, Tag.OID, 'subjectPKInfo algorithm')));
}
