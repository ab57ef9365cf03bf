import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scope } from '../../domain/scope.js';
import { ServiceError, serviceErrors } from '../../errors.js';
import type { OperationModel } from '../../model/shapes.js';
import type { OperationContext } from '../../operations/context.js';
import { invokeOperation, isStoreUnavailable } from '../../operations/index.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Logger } from '../logging/logger.js';
import { filterSensitive } from '../logging/sensitive-filter.js';
import { ClientGoneError, readBody } from './body-reader.js';
import { type ConsoleSite, isConsolePath } from './console/console-site.js';
import { encodeError } from './error-encoder.js';
import { httpErrors } from './http-errors.js';
import { decodeInput } from './request-decoder.js';
import { parseQuery, pathSegments, splitTarget } from './request-target.js';
import { encodeOutput } from './response-encoder.js';
import { isRevocationPath, type RevocationEndpoints, serveRevocation } from './revocation-endpoints.js';
import { RouteTable } from './route-table.js';

/**
 * The health endpoints: unauthenticated, on paths the AWS IoT API never uses. `live`: the process answers;
 * `ready`: it can serve (the registry answers). HEALTH_PATH, the documented load-balancer check, is `ready`.
 */
export const HEALTH_PATH = '/_fleetca/health';
export const LIVE_PATH = '/_fleetca/health/live';
export const READY_PATH = '/_fleetca/health/ready';
/** Prometheus metrics: unauthenticated like health; aggregate counts only, nothing about any account. */
export const METRICS_PATH = '/_fleetca/metrics';
/** fleetca's own endpoints, which are not API requests and not counted as such. */
const FLEETCA_PATHS = '/_fleetca/';

/**
 * Default request-body limit: 256 KiB. Above the largest body the model allows (RegisterCertificate's two
 * 65536-character PEMs, JSON-escaped) with room to spare, small enough that nobody can make the server buffer much.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface RestHandlerOptions {
  /** The operations served; routes are derived from their models. */
  readonly operations: readonly OperationModel[];
  readonly authenticator: Authenticator;
  /** An operation context for the account and region a request acts in. */
  readonly context: (scope: Scope) => OperationContext;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  /** The operations' entry point; the real one unless a test replaces it. */
  readonly invoke?: typeof invokeOperation;
  /** The Prometheus text served at METRICS_PATH; 404 there when absent. */
  readonly metrics?: { readonly contentType: string; render(): Promise<string> };
  /** Hears every API request as it ends (not the health, metrics, revocation and console endpoints'). */
  readonly observe?: (request: RequestObservation) => void;
  /** The CRL and OCSP endpoints (unauthenticated); 404 there when absent. */
  readonly revocation?: RevocationEndpoints;
  /** What the ready check reports; ready whenever absent. */
  readonly readiness?: () => Promise<Readiness>;
  /** The web console under /console (unauthenticated, not API requests); /console is an unknown path when absent. */
  readonly console?: ConsoleSite;
}

/** One REST request as the handler saw it end. */
export interface RequestObservation {
  /** The AWS operation it was routed to; undefined when it matched none (404, 405, unparsable). */
  readonly operation: string | undefined;
  readonly status: number;
  readonly seconds: number;
}

/** The ready check's verdict, and each check's, as the JSON body says it. */
export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<
    Record<
      string,
      // `degraded`: reported without failing readiness (the cluster: devices on this replica are still served).
      { readonly status: 'ok' } | { readonly status: 'failing' | 'degraded'; readonly problem: string }
    >
  >;
}

/** What one request turned into, for its log line. */
interface Outcome {
  operation?: string;
  accountId?: string;
  errorCode?: string;
}

/**
 * The REST door: one function from an HTTP request to an HTTP response, in this order — route (404/405),
 * body (413), authenticate (403; the authenticator also refuses regions not served), decode the input (400),
 * run the operation in the principal's account and region, encode. Every
 * response carries `x-amzn-RequestId`; every API response a JSON content type and every API failure the AWS error
 * shape (the console's files under /console are answered before routing, in their own types); nothing
 * a client sends can produce a 5xx or escape as an exception.
 */
export function createRestHandler(options: RestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = new RouteTable(options.operations);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const invoke = options.invoke ?? invokeOperation;
  const { logger } = options;

  async function serve(req: IncomingMessage, res: ServerResponse, requestId: string, outcome: Outcome) {
    const method = req.method ?? '';
    const target = splitTarget(req.url ?? '');
    if (!target) throw httpErrors.unknownOperation(method, req.url ?? '');
    if (target.rawPath === LIVE_PATH || target.rawPath === HEALTH_PATH || target.rawPath === READY_PATH) {
      onlyGet(method, res, target.rawPath);
      const live = target.rawPath === LIVE_PATH || !options.readiness;
      return health(res, live ? { ready: true, checks: {} } : await options.readiness());
    }
    if (target.rawPath === METRICS_PATH && options.metrics) return metrics(method, res, options.metrics);
    if (options.revocation && isRevocationPath(target.rawPath)) {
      return serveRevocation(req, res, target.rawPath, options.revocation);
    }
    if (options.console && isConsolePath(target.rawPath)) return options.console.serve(req, res, target.rawPath);

    const segments = pathSegments(target.rawPath);
    const query = parseQuery(target.rawQuery);
    const match = routes.match(method, segments, new Set(query.keys()));
    if (match.kind === 'not-found') throw httpErrors.unknownOperation(method, target.rawPath);
    if (match.kind === 'method-not-allowed') {
      res.setHeader('Allow', match.allowed.join(', '));
      throw httpErrors.methodNotAllowed(method, target.rawPath, match.allowed);
    }
    const operation = match.route.operation;
    outcome.operation = operation.name;

    const body = await readBody(req, maxBodyBytes, () => {
      // Only now that the declared size is acceptable does the client get to send its body.
      if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
    });
    const principal = await options.authenticator.authenticate({
      method,
      rawPath: target.rawPath,
      rawQuery: target.rawQuery,
      rawHeaders: req.rawHeaders,
      body,
    });
    outcome.accountId = principal.accountId;

    const input = decodeInput(operation, { labels: match.labels, query, rawHeaders: req.rawHeaders, body });
    logger.debug({ reqId: requestId, operation: operation.name, input: filterSensitive(operation.input, input) });
    const context = options.context({ accountId: principal.accountId, region: principal.region });
    const output = await invoke(operation, input, context, (err) => {
      logger.error({ reqId: requestId, operation: operation.name, err }, 'operation failed');
    });
    if (operation.output) {
      logger.debug({ reqId: requestId, operation: operation.name, output: filterSensitive(operation.output, output) });
    }
    const encoded = encodeOutput(operation, output);
    for (const [name, value] of Object.entries(encoded.headers)) res.setHeader(name, value);
    send(res, 200, encoded.body);
  }

  function fail(req: IncomingMessage, res: ServerResponse, requestId: string, outcome: Outcome, err: unknown) {
    let error: ServiceError;
    if (err instanceof ServiceError) error = err;
    else if (isStoreUnavailable(err)) {
      // The access-key lookup met a database that is down: as transient as it is for operations.
      logger.warn({ reqId: requestId, operation: outcome.operation, err }, 'registry unavailable');
      error = serviceErrors.unavailable();
    } else {
      logger.error({ reqId: requestId, operation: outcome.operation, err }, 'internal failure');
      error = serviceErrors.internal();
    }
    outcome.errorCode = error.code;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A body the server did not read is not read later either: the connection closes after this answer.
    if (!req.complete) res.setHeader('Connection', 'close');
    const encoded = encodeError(error);
    for (const [name, value] of Object.entries(encoded.headers)) res.setHeader(name, value);
    send(res, encoded.status, encoded.body);
  }

  /** fleetca's own endpoints and the console's files are not API requests and not counted as such. */
  const isNotApi = (path: string) =>
    path.startsWith(FLEETCA_PATHS) || (options.console !== undefined && isConsolePath(path));

  return (req, res) => {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    const outcome: Outcome = {};
    // A reset connection must never become an unhandled 'error' event.
    req.on('error', () => {});
    res.on('error', () => {});
    res.setHeader('x-amzn-RequestId', requestId);
    res.setHeader('Content-Type', 'application/json');
    serve(req, res, requestId, outcome)
      .catch((err: unknown) => {
        if (err instanceof ClientGoneError) {
          res.destroy();
          return;
        }
        fail(req, res, requestId, outcome, err);
      })
      .catch((err: unknown) => {
        logger.error({ reqId: requestId, err }, 'could not answer a request');
        res.destroy();
      })
      .finally(() => {
        // The path only: a query string could carry a presigned signature.
        const path = splitTarget(req.url ?? '')?.rawPath ?? '(not a path)';
        const status = res.headersSent ? res.statusCode : 499;
        const micros = Number((process.hrtime.bigint() - started) / 1000n);
        const seconds = micros / 1e6;
        if (!isNotApi(path)) options.observe?.({ operation: outcome.operation, status, seconds });
        logger.info({
          reqId: requestId,
          method: req.method,
          path,
          status,
          durationMs: micros / 1000,
          operation: outcome.operation,
          accountId: outcome.accountId,
          errorCode: outcome.errorCode,
        });
      });
  };
}

/** 200 `{"status":"ok",...}` when ready, else 503 `{"status":"unavailable",...}` naming the failing checks. */
function health(res: ServerResponse, readiness: Readiness): void {
  const status = readiness.ready ? 'ok' : 'unavailable';
  send(res, readiness.ready ? 200 : 503, JSON.stringify({ status, checks: readiness.checks }));
}

async function metrics(
  method: string,
  res: ServerResponse,
  exposition: NonNullable<RestHandlerOptions['metrics']>,
): Promise<void> {
  onlyGet(method, res, METRICS_PATH);
  const text = await exposition.render();
  res.setHeader('Content-Type', exposition.contentType);
  send(res, 200, text);
}

function onlyGet(method: string, res: ServerResponse, path: string): void {
  if (method === 'GET') return;
  res.setHeader('Allow', 'GET');
  throw httpErrors.methodNotAllowed(method, path, ['GET']);
}

function send(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
