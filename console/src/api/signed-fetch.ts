/**
 * A SigV4-signed GET for fleetca's own operations (/fleetca/…): signed like the IoT API (service `iot`, the
 * session's region) with the SDK's own signer and SHA-256, answered in JSON; errors become ApiError from the
 * `x-amzn-ErrorType` header and the body's message, as the IoT API shapes them.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../state/credentials.js';
import { ApiError } from './errors.js';

export type Query = Record<string, string | undefined>;

export interface SignedFetchOptions {
  readonly credentials: Credentials;
  /** The origin of fleetca's REST API, e.g. `https://fleetca.example.com:8443`. */
  readonly endpoint: string;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

/** RFC 3986 encoding, as SigV4's canonical query uses it. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function presentQuery(query: Query): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') present[key] = value;
  return present;
}

export async function signedGetJson(options: SignedFetchOptions, path: string, query: Query = {}): Promise<unknown> {
  const url = new URL(options.endpoint);
  const params = presentQuery(query);
  const signer = new SignatureV4({
    service: 'iot',
    region: options.credentials.region,
    credentials: {
      accessKeyId: options.credentials.accessKeyId,
      secretAccessKey: options.credentials.secretAccessKey,
    },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path,
    query: params,
    headers: { host: url.host, accept: 'application/json' },
  });
  const headers = new Headers();
  // The browser sets Host itself (the one signed: the console's own origin).
  for (const [name, value] of Object.entries(signed.headers))
    if (name.toLowerCase() !== 'host') headers.set(name, value);
  const search = Object.entries(params)
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .join('&');
  const target = `${url.origin}${path}${search ? `?${search}` : ''}`;
  const response = await (options.fetch ?? fetch)(target, {
    method: 'GET',
    headers,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) {
    const code = (response.headers.get('x-amzn-ErrorType') ?? '').split(':')[0] || `HTTP${response.status}`;
    const fields = (body ?? {}) as { message?: unknown; Message?: unknown };
    const message = String(fields.message ?? fields.Message ?? '');
    throw new ApiError(code, message, response.status);
  }
  if (body === undefined)
    throw new ApiError('SerializationException', 'fleetca answered with something other than JSON', response.status);
  return body;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
