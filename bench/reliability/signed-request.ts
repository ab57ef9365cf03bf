/**
 * A request as the HTTP fuzzer builds it, before it becomes bytes: method, wire path, decoded query, header lines
 * in order (duplicates allowed), body. `sign` adds a real SigV4 signature (smithy's signer, as the SDKs use) over
 * exactly what will be sent; `serialize` writes the bytes, leaving any later mutation in place.
 */

import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/sigv4/node-sha256.js';
import type { Credentials } from '../sigv4-client.js';

export interface Draft {
  method: string;
  /** As sent: already percent-encoded (or deliberately not). */
  path: string;
  /** Decoded name/value pairs, in order; the wire form is RFC 3986-encoded unless `rawQuery` replaces it. */
  query: [string, string][];
  rawQuery?: string;
  /** Header lines in order; names as sent. */
  headers: [string, string][];
  body: Buffer;
  version: string;
  /** Line ending of the request line and headers (CRLF; the fuzzer sometimes uses bare LF). */
  eol: string;
}

export const REGION = 'us-east-1';

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes (what SigV4 expects). */
export function encodeRfc3986(text: string): string {
  // Byte by byte from UTF-8, so a lone surrogate becomes U+FFFD's bytes instead of encodeURIComponent's URIError.
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    encoded +=
      unreserved || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

export function wireQuery(draft: Draft): string {
  if (draft.rawQuery !== undefined) return draft.rawQuery;
  return draft.query.map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`).join('&');
}

export function setHeader(draft: Draft, name: string, value: string): void {
  const lower = name.toLowerCase();
  draft.headers = draft.headers.filter(([n]) => n.toLowerCase() !== lower);
  draft.headers.push([name, value]);
}

function queryRecord(pairs: readonly [string, string][]): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else record[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return record;
}

export interface SigningChoice {
  readonly credentials: Credentials;
  readonly region?: string;
  readonly service?: string;
  /** The signing time; the server refuses one too far from its clock. */
  readonly date?: Date;
}

/**
 * Signs the draft as it stands (the headers present are signed, so later edits break the signature on purpose)
 * and adds Authorization and X-Amz-Date.
 */
export async function sign(draft: Draft, host: string, choice: SigningChoice): Promise<void> {
  const signer = new SignatureV4({
    credentials: choice.credentials,
    region: choice.region ?? REGION,
    service: choice.service ?? 'iot',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const [hostname = '', port = ''] = host.split(':');
  const headers: Record<string, string> = {};
  for (const [name, value] of draft.headers) headers[name.toLowerCase()] = value;
  const signed = await signer.sign(
    {
      method: draft.method,
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: draft.path,
      query: queryRecord(draft.query),
      headers,
      body: draft.body,
    },
    choice.date ? { signingDate: choice.date } : {},
  );
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name === 'authorization' || name === 'x-amz-date') setHeader(draft, name, value);
  }
}

export function serialize(draft: Draft): Buffer {
  const query = wireQuery(draft);
  const target = query === '' ? draft.path : `${draft.path}?${query}`;
  const head = [`${draft.method} ${target} ${draft.version}`, ...draft.headers.map(([n, v]) => `${n}: ${v}`)];
  return Buffer.concat([Buffer.from(`${head.join(draft.eol)}${draft.eol}${draft.eol}`, 'latin1'), draft.body]);
}

/** A well-formed, signed request: the fuzzer's starting point and its setup and control requests. */
export function baseDraft(method: string, path: string, host: string, body?: unknown): Draft {
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  const headers: [string, string][] = [['Host', host]];
  if (body !== undefined) headers.push(['Content-Type', 'application/json']);
  if (method !== 'GET' && method !== 'HEAD') headers.push(['Content-Length', String(bytes.length)]);
  return { method, path, query: [], headers, body: bytes, version: 'HTTP/1.1', eol: '\r\n' };
}
