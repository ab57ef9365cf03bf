import { ServiceError } from '../../errors.js';

/**
 * The errors the REST door raises itself, before a request reaches an operation. They use the same
 * ServiceError type (and registry) as the operations so that one encoder renders everything.
 *
 * The split between the two 400 codes: SerializationException when the request cannot be read into the
 * operation's input shape at all (invalid JSON, wrong types, unknown members, bad percent-encoding);
 * InvalidRequestException (raised by the operations' validation) when it can be read but breaks a constraint.
 */
export const httpErrors = {
  serialization: (message: string) => new ServiceError('SerializationException', message),
  unknownOperation: (method: string, path: string) =>
    new ServiceError('UnknownOperationException', `No operation matches ${method} ${shorten(path)}`),
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    new ServiceError(
      'MethodNotAllowedException',
      `${method} is not allowed on ${shorten(path)}; allowed: ${allowed.join(', ')}`,
    ),
  bodyTooLarge: (limit: number) =>
    new ServiceError('RequestEntityTooLargeException', `The request body exceeds the limit of ${limit} bytes`),
  expectationFailed: (expectation: string) =>
    new ServiceError(
      'ExpectationFailedException',
      `Expect: ${shorten(expectation)} is not supported (only 100-continue)`,
    ),
  missingHost: () => new ServiceError('SerializationException', 'An HTTP/1.1 request must have a Host header'),
  requestTimeout: () => new ServiceError('RequestTimeoutException', 'The request was not received in time'),
  headersTooLarge: () => new ServiceError('RequestHeaderFieldsTooLargeException', 'The request headers are too large'),
};

/** Echoed request text stays short: the message is for a human, not a copy of the request. */
function shorten(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
