/** An HTTP request as it arrived, before any decoding: what SigV4 verification needs. */
export interface RawRequest {
  readonly method: string;
  /** Path exactly as sent, still percent-encoded, without the query string. */
  readonly rawPath: string;
  /** Query string exactly as sent, without the leading '?' ('' when absent). */
  readonly rawQuery: string;
  /** Node's rawHeaders: [name, value, name, value, ...] in arrival order, duplicates kept. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** Who a verified request acts for, and where. */
export interface Principal {
  readonly accountId: string;
  /** Region of the SigV4 credential scope: the region the request addresses. */
  readonly region: string;
  readonly accessKeyId: string;
}

/** Verifies a request's signature (or refuses it with an AWS auth ServiceError). */
export interface Authenticator {
  authenticate(request: RawRequest): Promise<Principal>;
}
