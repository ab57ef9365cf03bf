import type { IncomingMessage } from 'node:http';
import { httpErrors } from './http-errors.js';

/** The client went away before its request body was complete: nobody is left to answer. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length above the limit is refused before a
 * single body byte is read, and a chunked body is refused as soon as it passes the limit (reading stops there),
 * both with RequestEntityTooLargeException; the caller then answers and closes the connection. `beforeRead`
 * runs once the declared size is accepted (the moment to answer `Expect: 100-continue`).
 */
export function readBody(req: IncomingMessage, limit: number, beforeRead: () => void = () => {}): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(httpErrors.bodyTooLarge(limit));
  beforeRead();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        req.pause();
        settle(() => reject(httpErrors.bodyTooLarge(limit)));
      }
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks, size)));
    const onGone = () => settle(() => reject(new ClientGoneError('the client closed the connection mid-request')));
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}
