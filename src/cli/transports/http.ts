import { randomUUID } from 'node:crypto';
import type { OperationModel } from '../../model/shapes.js';
import { xformName } from '../argv/names.js';
import { logHttpRequest, logHttpResponse } from '../debug/debug-http.js';
import { hostHeader } from '../remote/endpoint.js';
import { noCredentialsError, noRegionError, RemoteClientError, TransportFailure } from '../remote/remote-errors.js';
import type { RemoteSettings } from '../remote/remote-settings.js';
import type { Transport } from '../transport.js';
import { type SerializedRequest, serializeRequest } from './http-request.js';
import { type HttpResponse, type ParsedError, parseErrorResponse, parseSuccessResponse } from './http-response.js';
import { decideRetry, retryDelayMs } from './http-retry.js';
import { sendRequest } from './http-send.js';
import { signRequest } from './http-signer.js';
import { InsecureRequestWarnings } from './http-tls.js';
import { userAgent } from './http-user-agent.js';

/** Injection points for tests: backoff sleeps, jitter, the signing clock. */
export interface HttpTransportHooks {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => Date;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Transport of remote mode: each call is serialized from the model as rest-json, signed with
 * SigV4 (unless --no-sign-request), sent to the configured endpoint and parsed back into the
 * Transport contract (member names, epoch-ms timestamps) — retried under the AWS CLI's retry
 * policy. Service errors become ClientErrors (with botocore's "reached max retries" note when the
 * attempts ran out), failed exchanges the botocore connection errors.
 */
export function openHttpTransport(settings: RemoteSettings, hooks: HttpTransportHooks = {}): Transport {
  const warnings = new InsecureRequestWarnings(settings.stderr);
  const sleep = hooks.sleep ?? defaultSleep;
  const random = hooks.random ?? Math.random;
  const now = hooks.now ?? (() => new Date());

  async function attempt(
    serialized: SerializedRequest,
    headers: Record<string, string>,
  ): Promise<HttpResponse | TransportFailure> {
    try {
      return await sendRequest(
        {
          endpoint: settings.endpoint,
          method: serialized.method,
          target: serialized.queryString ? `${serialized.path}?${serialized.queryString}` : serialized.path,
          headers,
          body: serialized.body,
          url: serialized.url,
        },
        {
          connectTimeoutMs: settings.connectTimeoutMs,
          readTimeoutMs: settings.readTimeoutMs,
          tls: settings.tls,
          cwd: settings.cwd,
          warnings,
        },
      );
    } catch (error) {
      if (error instanceof TransportFailure) return error;
      throw error;
    }
  }

  async function call(
    operation: OperationModel,
    params: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    // botocore checks these when it signs: after parameter validation, before anything is sent.
    if (settings.signRequests && !settings.region) throw noRegionError();
    if (settings.signRequests && !settings.credentials) throw noCredentialsError();
    const serialized = serializeRequest(operation, params, settings.endpoint);
    const agent = userAgent(settings.env, settings.retry.mode, `${settings.command}.${xformName(operation.name)}`);
    const invocationId = randomUUID();
    for (let attemptNumber = 1; ; attemptNumber++) {
      const headers = await requestHeaders(serialized, agent, invocationId, attemptNumber);
      logHttpRequest(serialized.method, serialized.url, headers, serialized.body);
      const outcome = await attempt(serialized, headers);
      if (!(outcome instanceof TransportFailure)) logHttpResponse(serialized.method, serialized.url, outcome);
      const failure = outcome instanceof TransportFailure ? outcome : undefined;
      const response = outcome instanceof TransportFailure ? undefined : outcome;
      const error: ParsedError | undefined =
        response && response.status >= 300 ? parseErrorResponse(response) : undefined;
      const decision = decideRetry(settings.retry, attemptNumber, {
        status: response?.status,
        errorCode: error?.code,
        failure,
      });
      if (decision.retry) {
        await sleep(retryDelayMs(settings.retry, attemptNumber, random));
        continue;
      }
      if (failure) throw failure;
      if (error) {
        const retries = decision.maxAttemptsReached ? attemptNumber - 1 : undefined;
        throw new RemoteClientError(error.code, error.message, operation.name, error.details, retries);
      }
      return parseSuccessResponse(operation.output, response as HttpResponse);
    }
  }

  /** botocore's headers, in its order; signed afresh on every attempt (new X-Amz-Date). */
  async function requestHeaders(
    serialized: SerializedRequest,
    agent: string,
    invocationId: string,
    attemptNumber: number,
  ): Promise<Record<string, string>> {
    const host = hostHeader(settings.endpoint);
    const headers: Record<string, string> = {
      Host: host,
      'Accept-Encoding': 'identity',
      ...serialized.headers,
      'User-Agent': agent,
    };
    if (settings.signRequests && settings.credentials && settings.region) {
      const signature = await signRequest(
        {
          method: serialized.method,
          host,
          path: serialized.path,
          query: serialized.query,
          headers: serialized.headers,
          body: serialized.body,
        },
        settings.credentials,
        settings.region,
        now(),
      );
      Object.assign(headers, signature);
    }
    headers['amz-sdk-invocation-id'] = invocationId;
    headers['amz-sdk-request'] =
      attemptNumber === 1 ? 'attempt=1' : `attempt=${attemptNumber}; max=${settings.retry.maxAttempts}`;
    // botocore sets Content-Length on every method but GET, HEAD and OPTIONS, 0 without a body.
    if (serialized.body || !['GET', 'HEAD', 'OPTIONS'].includes(serialized.method)) {
      headers['Content-Length'] = String(serialized.body?.length ?? 0);
    }
    return headers;
  }

  return { call, close: async () => {} };
}
