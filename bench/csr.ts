/**
 * Certificate signing requests made before the timed part: EC P-256 keys from node:crypto (fast), the PKCS#10
 * structure written with fleetca's own DER encoder and signed with ecdsa-with-SHA256.
 */

import { generateKeyPairSync, sign } from 'node:crypto';
import { bitString, oid, sequence, smallInteger, tlv } from '../src/ca/der-writer.js';
import { encodeName } from '../src/ca/distinguished-name.js';
import { Oid } from '../src/ca/oids.js';
import { toPem } from '../src/ca/pem.js';

export interface PreparedCsr {
  readonly pem: string;
  readonly commonName: string;
  /** The requested key as DER SubjectPublicKeyInfo, to compare with the issued certificate's key. */
  readonly publicKeySpki: Buffer;
}

/** One CSR for `CN=<commonName>` over a fresh P-256 key. */
export function makeCsr(commonName: string): PreparedCsr {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeySpki = publicKey.export({ type: 'spki', format: 'der' });
  // CertificationRequestInfo: version 0, subject, subjectPKInfo, attributes [0] (empty).
  const info = sequence(smallInteger(0), encodeName(`CN=${commonName}`), publicKeySpki, tlv(0xa0));
  const signature = sign('sha256', info, privateKey);
  const der = sequence(info, sequence(oid(Oid.ecdsaWithSHA256)), bitString(signature));
  return { pem: toPem('CERTIFICATE REQUEST', der), commonName, publicKeySpki };
}

/** `count` CSRs with distinct keys; the load cycles through them (each issuance still gets its own certificate). */
export function makeCsrs(count: number, prefix = 'bench-device'): PreparedCsr[] {
  return Array.from({ length: count }, (_, index) => makeCsr(`${prefix}-${index}`));
}
