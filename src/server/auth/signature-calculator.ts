import { ALGORITHM_IDENTIFIER, getCanonicalHeaders, getPayloadHash, SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.js';

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
  readonly signingDate: Date;
}

/**
 * smithy's SigV4 signer, asked for the signature of a request exactly as received. Its `sign()`
 * cannot be used as is: it drops Date and stamps its own X-Amz-Date, so a request dated by Date
 * could never verify. The steps here are the ones `sign()` runs — canonical headers limited to
 * SignedHeaders, payload hash, canonical request, string to sign, key derivation — minus the
 * stamping. `applyChecksum: false` keeps the signer from adding x-amz-content-sha256 anywhere.
 */
class RequestSigner extends SignatureV4 {
  async signatureOf(request: SignableRequest, params: SigningParameters): Promise<string> {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(Object.keys(request.headers)));
    const payloadHash = await getPayloadHash(request, this.sha256);
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(
      params.amzDate,
      params.scope,
      canonicalRequest,
      ALGORITHM_IDENTIFIER,
    );
    return this.sign(stringToSign, {
      signingDate: params.signingDate,
      signingRegion: params.region,
      signingService: params.service,
    });
  }
}

/** The hex SigV4 signature the client must have sent for `request`, recomputed with smithy. */
export async function computeSignature(request: SignedRequest, params: SigningParameters): Promise<string> {
  const signer = new RequestSigner({
    credentials: { accessKeyId: params.accessKeyId, secretAccessKey: params.secretAccessKey },
    region: params.region,
    service: params.service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  return signer.signatureOf(
    {
      method: request.method,
      protocol: 'http:',
      hostname: request.headers.host ?? '',
      path: request.rawPath,
      query: { ...request.query },
      headers: { ...request.headers },
      body: request.body,
    },
    params,
  );
}
