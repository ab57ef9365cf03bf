import { ClientError, ConfigurationError, GeneralError } from '../errors/cli-errors.js';

/** botocore NoRegionError as AWS CLI v2 words it (exit 253). */
export function noRegionError(): ConfigurationError {
  return new ConfigurationError(
    'NoRegion',
    'You must specify a region. You can also configure your region by running "aws configure".',
  );
}

/** botocore NoCredentialsError as AWS CLI v2 ≥ 2.32 words it (exit 253). */
export function noCredentialsError(): ConfigurationError {
  return new ConfigurationError(
    'NoCredentials',
    'Unable to locate credentials. You can configure credentials by running "aws login".',
  );
}

/**
 * A service error received over HTTP. Same exit code and layout as ClientError; when the retry
 * policy gave up on it, botocore's ` (reached max retries: N)` goes after the operation name.
 */
export class RemoteClientError extends ClientError {
  constructor(
    code: string,
    serviceMessage: string,
    operationName: string,
    details: Readonly<Record<string, unknown>>,
    /** Retries performed, when the maximum number of attempts was reached. */
    readonly retriesWhenExhausted: number | undefined,
  ) {
    super(code, serviceMessage, operationName, details);
    if (retriesWhenExhausted !== undefined) {
      this.message = `An error occurred (${code}) when calling the ${operationName} operation (reached max retries: ${retriesWhenExhausted}): ${serviceMessage}`;
    }
  }
}

/**
 * The botocore exception a failed exchange maps to; the retry policies classify by it.
 * connect: EndpointConnectionError; connect-timeout: ConnectTimeoutError; read-timeout:
 * ReadTimeoutError; ssl: SSLError; closed: ConnectionClosedError; client: HTTPClientError.
 */
export type TransportFailureKind = 'connect' | 'connect-timeout' | 'read-timeout' | 'ssl' | 'closed' | 'client';

/** A request that got no HTTP response: reported as botocore words it, exit 255. */
export class TransportFailure extends GeneralError {
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** The botocore message of each failure kind, for the request URL (query included). */
export function transportFailure(kind: TransportFailureKind, url: string, detail = ''): TransportFailure {
  const messages: Record<TransportFailureKind, string> = {
    connect: `Could not connect to the endpoint URL: "${url}"`,
    'connect-timeout': `Connect timeout on endpoint URL: "${url}"`,
    'read-timeout': `Read timeout on endpoint URL: "${url}"`,
    ssl: `SSL validation failed for ${url} ${detail}`,
    closed: `Connection was closed before we received a valid response from endpoint URL: "${url}".`,
    client: `An HTTP Client raised an unhandled exception: ${detail}`,
  };
  return new TransportFailure(kind, messages[kind]);
}
