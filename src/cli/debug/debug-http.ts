import { pyBytesRepr, pyRepr } from '../python/repr.js';
import type { HttpResponse } from '../transports/http-response.js';
import { debugEnabled, debugLog } from './debug-log.js';

/**
 * The wire-level `--debug` lines of remote mode, as botocore/urllib3 log them: the request with
 * every header as sent (Authorization included: it carries the signature, never the secret key),
 * then the status line, the response headers and the raw body.
 */
export function logHttpRequest(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Buffer | undefined,
): void {
  if (!debugEnabled()) return;
  debugLog(
    'fleetca.endpoint',
    () => `Sending http request: <HTTPRequest method=${method}, url=${url}, headers=${pyRepr(headers)}>`,
  );
  if (body !== undefined) debugLog('fleetca.endpoint', () => `Request body:\n${pyBytesRepr(body)}`);
}

/** Logs the status line, headers and body of one response. */
export function logHttpResponse(method: string, url: string, response: HttpResponse): void {
  if (!debugEnabled()) return;
  debugLog('fleetca.connection', `${url} "${method}" ${response.status} ${response.body.length}`);
  debugLog('fleetca.parsers', () => `Response headers: ${pyRepr(response.headers)}`);
  debugLog('fleetca.parsers', () => `Response body:\n${pyBytesRepr(response.body)}`);
}
