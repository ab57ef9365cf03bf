/**
 * The signature algorithms a CSR may be self-signed with (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA over SHA-1/2), read
 * from its signatureAlgorithm and matched with its public key: what node:crypto's verify needs, or a CsrError
 * naming what was found.
 */

import { constants, type KeyObject } from 'node:crypto';
import { CsrError } from './csr-error.js';
import {
  contentBytes,
  type DerElement,
  DerError,
  decodeOid,
  decodeSmallInteger,
  elementBytes,
  expectTag,
  readChildren,
  readWhole,
  Tag,
} from './der.js';
import { Oid } from './oids.js';

const RSA_PKCS1_HASHES: Readonly<Record<string, string>> = {
  [Oid.sha1WithRSAEncryption]: 'sha1',
  [Oid.sha256WithRSAEncryption]: 'sha256',
  [Oid.sha384WithRSAEncryption]: 'sha384',
  [Oid.sha512WithRSAEncryption]: 'sha512',
};

const ECDSA_HASHES: Readonly<Record<string, string>> = {
  [Oid.ecdsaWithSHA1]: 'sha1',
  [Oid.ecdsaWithSHA256]: 'sha256',
  [Oid.ecdsaWithSHA384]: 'sha384',
  [Oid.ecdsaWithSHA512]: 'sha512',
};

const DIGESTS: Readonly<Record<string, string>> = {
  [Oid.sha1]: 'sha1',
  [Oid.sha256]: 'sha256',
  [Oid.sha384]: 'sha384',
  [Oid.sha512]: 'sha512',
};

/** Names for signature algorithms we refuse. */
const SIGNATURE_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** A signature AlgorithmIdentifier: its OID and the raw parameters element, if any. */
export interface Algorithm {
  readonly oid: string;
  readonly params?: Buffer;
}

export function readAlgorithm(der: Buffer, element: DerElement): Algorithm {
  const [id, params, extra] = readChildren(der, element);
  if (!id || extra) throw new DerError('malformed signatureAlgorithm');
  const oid = decodeOid(contentBytes(der, expectTag(id, Tag.OID, 'signatureAlgorithm')));
  return params ? { oid, params: elementBytes(der, params) } : { oid };
}

const isAbsentOrNull = (params: Buffer | undefined): boolean =>
  params === undefined || (params.length === 2 && params[0] === Tag.NULL && params[1] === 0);

export interface VerificationOptions {
  readonly hash: string;
  readonly key: KeyObject | { key: KeyObject; padding: number; saltLength: number };
}

export function verificationOptions(algorithm: Algorithm, key: KeyObject): VerificationOptions {
  const keyType = key.asymmetricKeyType === 'rsa' ? 'RSA' : 'EC';
  const rsaHash = RSA_PKCS1_HASHES[algorithm.oid];
  if (rsaHash) {
    if (!isAbsentOrNull(algorithm.params)) throw new CsrError('RSA signature algorithm parameters must be NULL');
    if (keyType !== 'RSA')
      throw new CsrError(`the CSR is signed with an RSA algorithm but its public key is ${keyType}`);
    return { hash: rsaHash, key };
  }
  const ecdsaHash = ECDSA_HASHES[algorithm.oid];
  if (ecdsaHash) {
    if (!isAbsentOrNull(algorithm.params)) throw new CsrError('ECDSA signature algorithm must have no parameters');
    if (keyType !== 'EC') throw new CsrError(`the CSR is signed with ECDSA but its public key is ${keyType}`);
    return { hash: ecdsaHash, key };
  }
  if (algorithm.oid === Oid.rsassaPss) {
    if (keyType !== 'RSA') throw new CsrError(`the CSR is signed with RSASSA-PSS but its public key is ${keyType}`);
    const pss = readPssParams(algorithm.params);
    return { hash: pss.hash, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength } };
  }
  const name = SIGNATURE_ALGORITHM_NAMES[algorithm.oid] ?? algorithm.oid;
  throw new CsrError(
    `unsupported signature algorithm ${name}; accepted: sha1/sha256/sha384/sha512WithRSAEncryption, RSASSA-PSS, ecdsa-with-SHA1/SHA256/SHA384/SHA512`,
  );
}

/**
 * RSASSA-PSS-params (RFC 4055). node:crypto always uses MGF1 with the message digest, so a request whose MGF1
 * digest differs is refused rather than verified wrongly.
 */
function readPssParams(params: Buffer | undefined): { hash: string; saltLength: number } {
  if (params === undefined) throw new CsrError('RSASSA-PSS signature algorithm is missing its parameters');
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  const root = expectTag(readWhole(params), Tag.SEQUENCE, 'RSASSA-PSS-params');
  let lastTag = -1;
  for (const field of readChildren(params, root)) {
    if (field.tagClass !== 2 || !field.constructed || field.tagNumber <= lastTag || field.tagNumber > 3) {
      throw new DerError('malformed RSASSA-PSS-params');
    }
    lastTag = field.tagNumber;
    const [inner, extra] = readChildren(params, field);
    if (!inner || extra) throw new DerError('malformed RSASSA-PSS-params');
    if (field.tagNumber === 0) {
      hash = digestOf(params, inner, 'RSASSA-PSS hash');
    } else if (field.tagNumber === 1) {
      const [mgfId, mgfParams, mgfExtra] = readChildren(params, expectTag(inner, Tag.SEQUENCE, 'maskGenAlgorithm'));
      if (!mgfId || !mgfParams || mgfExtra) throw new DerError('malformed RSASSA-PSS maskGenAlgorithm');
      const mgf = decodeOid(contentBytes(params, expectTag(mgfId, Tag.OID, 'maskGenAlgorithm')));
      if (mgf !== Oid.mgf1) throw new CsrError(`unsupported RSASSA-PSS mask generation function ${mgf} (only MGF1)`);
      mgfHash = digestOf(params, mgfParams, 'RSASSA-PSS MGF1 hash');
    } else if (field.tagNumber === 2) {
      saltLength = decodeSmallInteger(contentBytes(params, expectTag(inner, Tag.INTEGER, 'saltLength')));
      if (saltLength < 0) throw new DerError('negative RSASSA-PSS salt length');
    } else {
      const trailer = decodeSmallInteger(contentBytes(params, expectTag(inner, Tag.INTEGER, 'trailerField')));
      if (trailer !== 1) throw new CsrError(`unsupported RSASSA-PSS trailer field ${trailer} (only 1)`);
    }
  }
  if (mgfHash !== hash) {
    throw new CsrError(`unsupported RSASSA-PSS parameters: MGF1 with ${mgfHash} and message digest ${hash} differ`);
  }
  return { hash, saltLength };
}

function digestOf(der: Buffer, element: DerElement, what: string): string {
  const [id, params, extra] = readChildren(der, expectTag(element, Tag.SEQUENCE, what));
  if (!id || extra) throw new DerError(`malformed ${what}`);
  const oid = decodeOid(contentBytes(der, expectTag(id, Tag.OID, what)));
  const digest = DIGESTS[oid];
  if (!digest) throw new CsrError(`unsupported ${what} ${oid} (SHA-1, SHA-256, SHA-384 or SHA-512 only)`);
  if (params && !(params.tag === Tag.NULL && params.contentEnd === params.contentStart)) {
    throw new DerError(`${what} parameters must be NULL or absent`);
  }
  return digest;
}
