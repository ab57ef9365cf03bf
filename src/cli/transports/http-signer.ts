import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../sigv4/node-sha256.js';
import type { Credentials } from '../config/credentials.js';

/** The request parts SigV4 covers. */
export interface SignableRequest {
  readonly method: string;
  /** Host header value (host[:port]). */
  readonly host: string;
  /** The percent-encoded path. */
  readonly path: string;
  /** Decoded query pairs. */
  readonly query: readonly (readonly [string, string])[];
  /** Headers botocore has on the request when it signs (Content-Type, header members). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

/** The headers signing adds, in botocore's casing and order. */
export interface SignatureHeaders {
  readonly 'X-Amz-Date': string;
  readonly 'X-Amz-Security-Token'?: string;
  readonly Authorization: string;
}

/**
 * SigV4 as botocore's SigV4Auth applies it to the IoT API: service `iot`, the resolved region,
 * signed headers = host, x-amz-date, the request's own headers (Content-Type, header members)
 * and x-amz-security-token when there is a session token — never User-Agent, amz-sdk-* or
 * Content-Length, which are added after signing — and no x-amz-content-sha256 header.
 */
export async function signRequest(
  request: SignableRequest,
  credentials: Credentials,
  region: string,
  signingDate: Date,
  service = 'iot',
): Promise<SignatureHeaders> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken || undefined,
    },
    region,
    service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.query) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const headers: Record<string, string> = { host: request.host };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'https:',
      hostname: request.host,
      path: request.path,
      query,
      headers,
      body: request.body ?? '',
    },
    { signingDate },
  );
  const out: Record<string, string> = { 'X-Amz-Date': signed.headers['x-amz-date'] as string };
  const token = signed.headers['x-amz-security-token'];
  if (token) out['X-Amz-Security-Token'] = token;
  out.Authorization = signed.headers.authorization as string;
  return out as unknown as SignatureHeaders;
}
