import { createHash, createHmac } from 'node:crypto';
import { getCanonicalHeaders, SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../sigv4/node-sha256.js';

/** The request shape the smithy signer works on. */
type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** Everything signed, as it arrived: what the signature is recomputed over. */
export interface SignedRequest {
  readonly method: string;
  /** Still percent-encoded; the signer normalizes and encodes it again, as every SDK does. */
  readonly rawPath: string;
  /** Decoded query parameters; a repeated name keeps every value. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Only the headers named in SignedHeaders, by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Who signed, for what, and when. */
export interface SigningParameters {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly service: string;
  /** The credential scope, `yyyymmdd/region/service/aws4_request`. */
  readonly scope: string;
  /** The request's date, `yyyymmddThhmmssZ` (from X-Amz-Date or Date). */
  readonly amzDate: string;
}

const ALGORITHM_IDENTIFIER = 'AWS4-HMAC-SHA256';
const KEY_TYPE_IDENTIFIER = 'aws4_request';
/** The signed header that, when present, stands for the payload hash (smithy's getPayloadHash). */
const CONTENT_SHA256 = 'x-amz-content-sha256';

/**
 * smithy's canonicalisation, used as is: `createCanonicalRequest` and `getCanonicalHeaders` are the code every
 * SDK signs with, so a request verifies exactly when smithy would have produced its signature. Only the steps
 * around it — payload hash, string to sign, key derivation, final HMAC — are done here on node:crypto, which
 * is what `sign()` does minus stamping its own X-Amz-Date (it drops Date, so a request dated by Date could
 * never verify) and with the derived signing key cached. Canonicalisation reads no credentials, so one
 * instance serves every request.
 */
class Canonicalizer extends SignatureV4 {
  canonicalRequest(request: SignableRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
}

const canonicalizer = new Canonicalizer({
  credentials: { accessKeyId: '', secretAccessKey: '' },
  region: 'unused',
  service: 'unused',
  sha256: NodeSha256,
  applyChecksum: false,
});

/** How many derived signing keys are kept: (access key, day, region, service) combinations in use at once. */
export const SIGNING_KEY_CACHE_SIZE = 1024;

interface CachedKey {
  /** The secret the key was derived from: a key whose secret changed is derived again. */
  readonly secret: string;
  readonly key: Buffer;
}

/**
 * Derived SigV4 signing keys — HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request") —
 * by access key, day, region and service. Bounded, least recently used first out: an attacker cycling through
 * scopes only evicts entries, which are derived again on their next use. Keyed by access key id, never by the
 * secret; the entry remembers its secret, so a key whose secret differs is never used.
 */
export class SigningKeyCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, CachedKey>();

  constructor(capacity = SIGNING_KEY_CACHE_SIZE) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The signing key for `secret` on `shortDate` (yyyymmdd) in `region` for `service`. */
  signingKey(accessKeyId: string, secret: string, shortDate: string, region: string, service: string): Buffer {
    const id = `${accessKeyId}\n${shortDate}\n${region}\n${service}`;
    const cached = this.#entries.get(id);
    if (cached !== undefined) {
      this.#entries.delete(id);
      // Both values are the server's own (the stored secret): comparing them reveals nothing to a client.
      if (cached.secret === secret) {
        this.#entries.set(id, cached);
        return cached.key;
      }
    }
    const key = deriveSigningKey(secret, shortDate, region, service);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(id, { secret, key });
    return key;
  }
}

/** The SigV4 key derivation, uncached. */
export function deriveSigningKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  let key: Buffer = Buffer.from(`AWS4${secret}`, 'utf8');
  for (const part of [shortDate, region, service, KEY_TYPE_IDENTIFIER]) {
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  }
  return key;
}

const defaultCache = new SigningKeyCache();

/** The hex SigV4 signature the client must have sent for `request`. */
export async function computeSignature(
  request: SignedRequest,
  params: SigningParameters,
  cache: SigningKeyCache = defaultCache,
): Promise<string> {
  const signable: SignableRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: request.headers.host ?? '',
    path: request.rawPath,
    query: { ...request.query },
    headers: { ...request.headers },
    body: request.body,
  };
  const canonicalHeaders = getCanonicalHeaders(signable, undefined, new Set(Object.keys(signable.headers)));
  const canonicalRequest = canonicalizer.canonicalRequest(signable, canonicalHeaders, payloadHash(request));
  const stringToSign = `${ALGORITHM_IDENTIFIER}\n${params.amzDate}\n${params.scope}\n${sha256Hex(canonicalRequest)}`;
  const key = cache.signingKey(
    params.accessKeyId,
    params.secretAccessKey,
    params.amzDate.slice(0, 8),
    params.region,
    params.service,
  );
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/**
 * smithy's getPayloadHash for a request whose header names are lower case: a signed x-amz-content-sha256 is
 * taken as the hash as it stands (the authenticator checks it against the body first), else the body's SHA-256.
 */
function payloadHash(request: SignedRequest): string {
  const declared = Object.hasOwn(request.headers, CONTENT_SHA256) ? request.headers[CONTENT_SHA256] : undefined;
  return declared ?? sha256Hex(request.body);
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
