import type { ServiceError } from '../../errors.js';

/** A service error as rest-json sends it. */
export interface EncodedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * AWS's rest-json error shape: the status the registry gives the code, `x-amzn-ErrorType: <Code>` (the header
 * botocore and the JS SDK read the code from first) and a body `{"message": ..., ...modeled members}` such as
 * ResourceAlreadyExistsException's resourceId and resourceArn.
 */
export function encodeError(error: ServiceError): EncodedError {
  const { message: _ignored, ...details } = error.details;
  return {
    status: error.status,
    headers: { 'x-amzn-ErrorType': error.code },
    body: JSON.stringify({ message: error.message, ...details }),
  };
}

/**
 * The same error written straight onto a socket, for requests Node's parser rejected before any request object
 * existed (malformed request line, oversized headers, timeouts). The connection is closed afterwards.
 */
export function rawErrorResponse(error: ServiceError, requestId: string, reason: string): string {
  const encoded = encodeError(error);
  const head = [
    `HTTP/1.1 ${encoded.status} ${reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(encoded.body)}`,
    `x-amzn-RequestId: ${requestId}`,
    `x-amzn-ErrorType: ${error.code}`,
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${encoded.body}`;
}
