/**
 * OCSPResponse (RFC 6960 §4.2): the bare status answers (no responseBytes) and the successful BasicOCSPResponse,
 * signed by a delegated responder (ocsp-responder-certificate.ts) whose certificate travels in `certs`, named
 * byKey, with every time a GeneralizedTime of whole seconds. Each CertID is echoed exactly as the request held
 * it, so a client matches the answer by comparing bytes, whatever hash it chose.
 */

import { type KeyObject, sign } from 'node:crypto';
import type { RevocationState } from '../../domain/certificates/revocation.js';
import { expectTag, readWhole, Tag } from '../der.js';
import {
  bitString,
  enumerated,
  explicit,
  generalizedTime,
  nullValue,
  octetString,
  oid,
  sequence,
  tlv,
} from '../der-writer.js';
import { Oid } from '../oids.js';

export { CERT_ID_HASHES, type CertIdHash, issuerHashes, responderKeyHash } from './cert-id-hashes.js';

/** The answers that carry no responseBytes (`sigRequired` is not one fleetca gives: it never requires a signature). */
export type OcspFailureStatus = 'malformedRequest' | 'internalError' | 'tryLater' | 'unauthorized';

/** OCSPResponseStatus values (§4.2.1). */
const FAILURE_STATUS_CODES: Readonly<Record<OcspFailureStatus, number>> = {
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  unauthorized: 6,
};
const SUCCESSFUL = enumerated(0);

/** OCSPResponse { responseStatus } with no responseBytes. */
export function ocspStatusResponse(status: OcspFailureStatus): Buffer {
  const code = FAILURE_STATUS_CODES[status];
  if (code === undefined) throw new RangeError(`${String(status)} is not an OCSP failure status`);
  return sequence(enumerated(code));
}

/** Signs ResponseData with the responder's key. */
export interface ResponderSigner {
  readonly algorithm: 'ecdsa-with-SHA256' | 'sha256WithRSAEncryption';
  sign(data: Buffer): Buffer | Promise<Buffer>;
}

/** ECDSA with SHA-256 over an in-memory EC key, signature DER-encoded as X.509 wants it; synchronous. */
export function ecdsaResponderSigner(privateKey: KeyObject): ResponderSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ec') {
    throw new TypeError(
      `an ecdsa-with-SHA256 signer needs an EC private key, got ${privateKey.type} ${privateKey.asymmetricKeyType ?? 'secret'} key`,
    );
  }
  return {
    algorithm: 'ecdsa-with-SHA256',
    sign: (data) => sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }),
  };
}

/** AlgorithmIdentifiers: ECDSA's without parameters (RFC 5758 §3.2), RSA's with NULL (RFC 4055). */
const SIGNATURE_ALGORITHMS: Readonly<Record<ResponderSigner['algorithm'], Buffer>> = {
  'ecdsa-with-SHA256': sequence(oid(Oid.ecdsaWithSHA256)),
  sha256WithRSAEncryption: sequence(oid(Oid.sha256WithRSAEncryption), nullValue()),
};

/** What the responder says of one certificate. */
export type OcspCertStatus = RevocationState | { readonly kind: 'unknown' };

export interface OcspSingleResponseInput {
  /** The CertID's DER exactly as the request held it. */
  readonly certIdDer: Buffer;
  readonly status: OcspCertStatus;
  /** When the status was known to be right (§4.2.2.1). */
  readonly thisUpdate: Date;
  /** When newer information will be available; clients may cache the answer until then. */
  readonly nextUpdate: Date;
}

export interface OcspResponseInput {
  readonly responder: {
    /** The responder's certificate, DER, sent in `certs` so clients can check the signature's chain. */
    readonly certificateDer: Buffer;
    /** responderKeyHash(certificateDer), computed once per responder certificate. */
    readonly keyHash: Buffer;
    readonly signer: ResponderSigner;
  };
  readonly producedAt: Date;
  /** At least one, in the order of the request's CertIDs. */
  readonly responses: readonly OcspSingleResponseInput[];
  /** The request's nonce as parseOcspRequest returned it (an OCTET STRING's DER), echoed as the extnValue. */
  readonly nonce?: Buffer;
}

const BASIC_RESPONSE_TYPE = oid(Oid.ocspBasic);
const NONCE_ID = oid(Oid.ocspNonce);
const GOOD = tlv(0x80);
const UNKNOWN = tlv(0x82);

/** A successful OCSPResponse carrying a signed BasicOCSPResponse. */
export async function buildOcspResponse(input: OcspResponseInput): Promise<Buffer> {
  const { responder } = input;
  if (input.responses.length === 0) throw new RangeError('an OCSP response answers at least one CertID');
  const algorithm = SIGNATURE_ALGORITHMS[responder.signer.algorithm];
  if (algorithm === undefined) throw new TypeError(`unsupported responder signer ${responder.signer.algorithm}`);
  const fields = [
    // version v1 is the DEFAULT: left out. ResponderID byKey [2] EXPLICIT KeyHash.
    explicit(2, octetString(responder.keyHash)),
    generalizedTime(input.producedAt),
    sequence(...input.responses.map(singleResponse)),
  ];
  if (input.nonce !== undefined) {
    fields.push(explicit(1, sequence(sequence(NONCE_ID, octetString(input.nonce)))));
  }
  const tbsResponseData = sequence(...fields);
  const signature = await responder.signer.sign(tbsResponseData);
  const basic = sequence(
    tbsResponseData,
    algorithm,
    bitString(signature),
    explicit(0, sequence(responder.certificateDer)),
  );
  return sequence(SUCCESSFUL, explicit(0, sequence(BASIC_RESPONSE_TYPE, octetString(basic))));
}

/** SingleResponse { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT } (no singleExtensions). */
function singleResponse(response: OcspSingleResponseInput): Buffer {
  // Echoed verbatim, so it must at least be one whole SEQUENCE.
  expectTag(readWhole(response.certIdDer), Tag.SEQUENCE, 'CertID');
  if (response.nextUpdate.getTime() < response.thisUpdate.getTime()) {
    throw new RangeError('an OCSP nextUpdate cannot be before its thisUpdate');
  }
  return sequence(
    response.certIdDer,
    certStatus(response.status),
    generalizedTime(response.thisUpdate),
    explicit(0, generalizedTime(response.nextUpdate)),
  );
}

/** good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL. */
function certStatus(status: OcspCertStatus): Buffer {
  switch (status.kind) {
    case 'good':
      return GOOD;
    case 'unknown':
      return UNKNOWN;
    case 'revoked': {
      const revocationTime = generalizedTime(new Date(status.revokedAt));
      // RevokedInfo { revocationTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }.
      return status.reason === undefined
        ? tlv(0xa1, revocationTime)
        : tlv(0xa1, revocationTime, explicit(0, enumerated(status.reason)));
    }
  }
}
