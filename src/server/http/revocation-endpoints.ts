import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crlToPem } from '../../ca/crl.js';
import { ocspStatusResponse } from '../../ca/ocsp/ocsp-response.js';
import { isStoreUnavailable } from '../../operations/index.js';
import type { CrlPublisher, PublishedCrl } from '../../revocation/crl-publisher.js';
import type { OcspAnswer, OcspResponder } from '../../revocation/ocsp-responder.js';
import { REVOCATION_PATHS } from '../../revocation/revocation-settings.js';
import { readBody } from './body-reader.js';
import { httpErrors } from './http-errors.js';

/** What the REST door serves about revocation, without authentication (TLS terminators fetch it). */
export interface RevocationEndpoints {
  readonly crl: CrlPublisher;
  readonly ocsp: OcspResponder;
  /** Hears a failure that is not the client's (the OCSP client gets internalError or tryLater). */
  readonly onInternalError: (err: unknown) => void;
}

/** An OCSP request is a few hundred bytes; RFC 6960 gives no limit, this one leaves room for ten CertIDs and more. */
const MAX_OCSP_REQUEST_BYTES = 16 * 1024;

/** Whether `rawPath` is one of the revocation endpoints (then `serveRevocation` answers it). */
export function isRevocationPath(rawPath: string): boolean {
  return (
    rawPath === REVOCATION_PATHS.crl ||
    rawPath.startsWith(`${REVOCATION_PATHS.crl}/`) ||
    rawPath === REVOCATION_PATHS.ocsp ||
    rawPath.startsWith(`${REVOCATION_PATHS.ocsp}/`)
  );
}

/**
 * `GET /_fleetca/crl[/{issuer key id}.crl|.pem]`: the issuing CA's current CRL (DER, or PEM for brokers' crlfile).
 * `POST /_fleetca/ocsp` (application/ocsp-request) and `GET /_fleetca/ocsp/{base64}`: RFC 6960 appendix A. Every
 * answer to an OCSP request, malformed ones included, is an OCSPResponse with HTTP 200; only a body over the limit
 * (413) and other methods (405) get the AWS error shape.
 */
export async function serveRevocation(
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  endpoints: RevocationEndpoints,
): Promise<void> {
  const method = req.method ?? '';
  if (rawPath === REVOCATION_PATHS.crl || rawPath.startsWith(`${REVOCATION_PATHS.crl}/`)) {
    allow(method, res, rawPath, ['GET', 'HEAD']);
    return serveCrl(req, res, rawPath, endpoints.crl);
  }
  if (rawPath === REVOCATION_PATHS.ocsp) {
    allow(method, res, rawPath, ['POST']);
    const body = await readBody(req, MAX_OCSP_REQUEST_BYTES);
    return sendOcsp(res, await answerOcsp(endpoints, body), false, false);
  }
  allow(method, res, rawPath, ['GET', 'HEAD']);
  const encoded = rawPath.slice(REVOCATION_PATHS.ocsp.length + 1);
  return sendOcsp(res, await answerOcsp(endpoints, decodeGetRequest(encoded)), true, method === 'HEAD');
}

/** The responder's answer; a registry that is down is tryLater, anything else internalError (RFC 6960 §2.3). */
async function answerOcsp(endpoints: RevocationEndpoints, request: Buffer): Promise<OcspAnswer> {
  try {
    return await endpoints.ocsp.answer(request);
  } catch (err) {
    if (isStoreUnavailable(err)) return { der: ocspStatusResponse('tryLater') };
    endpoints.onInternalError(err);
    return { der: ocspStatusResponse('internalError') };
  }
}

async function serveCrl(req: IncomingMessage, res: ServerResponse, rawPath: string, publisher: CrlPublisher) {
  const name = rawPath.slice(REVOCATION_PATHS.crl.length + 1);
  const match = /^([0-9a-f]+)\.(crl|pem)$/.exec(name);
  // Only fleetca's issuing CA has a CRL here: registered CAs' certificates are their owners' to revoke.
  if (name !== '' && (!match || match[1] !== publisher.issuerKeyId)) {
    throw httpErrors.unknownOperation(req.method ?? '', rawPath);
  }
  const crl = await publisher.current();
  const etag = `"crl-${publisher.issuerKeyId.slice(0, 16)}-${crl.crlNumber}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', crl.thisUpdate.toUTCString());
  res.setHeader('Expires', crl.nextUpdate.toUTCString());
  // Caches must ask again each time: a new CRL follows any status change within a second.
  res.setHeader('Cache-Control', 'public, no-cache');
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const pem = match?.[2] === 'pem';
  send(res, req.method === 'HEAD', pem ? 'application/x-pem-file' : 'application/pkix-crl', pemOrDer(crl, pem));
}

function pemOrDer(crl: PublishedCrl, pem: boolean): Buffer {
  return pem ? Buffer.from(crlToPem(crl.der)) : crl.der;
}

/** RFC 6960 A.1: the path's last part is the URL-encoded base64 of the DER request (base64url tolerated). */
function decodeGetRequest(encoded: string): Buffer {
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return Buffer.alloc(0);
  }
  if (text.length > MAX_OCSP_REQUEST_BYTES * 2 || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return Buffer.alloc(0);
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** RFC 5019 §6: a nonce-free GET answer may be cached until nextUpdate; POSTs and nonce-bound answers are not. */
function sendOcsp(res: ServerResponse, answer: OcspAnswer, viaGet: boolean, headOnly: boolean): void {
  const { validity } = answer;
  if (viaGet && validity) {
    const now = Date.now();
    const maxAge = Math.max(0, Math.floor((validity.nextUpdate.getTime() - now) / 1000));
    res.setHeader('Cache-Control', `max-age=${maxAge}, public, no-transform, must-revalidate`);
    res.setHeader('Last-Modified', validity.thisUpdate.toUTCString());
    res.setHeader('Expires', validity.nextUpdate.toUTCString());
    res.setHeader('ETag', `"${createHash('sha1').update(answer.der).digest('hex')}"`);
  } else {
    res.setHeader('Cache-Control', 'no-store');
  }
  send(res, headOnly, 'application/ocsp-response', answer.der);
}

function send(res: ServerResponse, headOnly: boolean, contentType: string, body: Buffer): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', body.length);
  res.end(headOnly ? undefined : body);
}

function allow(method: string, res: ServerResponse, path: string, allowed: readonly string[]): void {
  if (allowed.includes(method)) return;
  res.setHeader('Allow', allowed.join(', '));
  throw httpErrors.methodNotAllowed(method, path, allowed);
}
