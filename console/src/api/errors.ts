/**
 * Errors of the API turned into plain words for the operator. Both clients end here: the AWS SDK's service
 * exceptions (name = the error code, $metadata.httpStatusCode) and the signed fetch's ApiError.
 */

/** An error answer of fleetca's REST API: `x-amzn-ErrorType` and the body's message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = code;
  }
}

export interface PlainError {
  /** One or two sentences for the operator. */
  readonly message: string;
  /** The API's error code, when there was one (shown small, for reports). */
  readonly code?: string;
}

interface ErrorFacts {
  code: string | undefined;
  message: string;
  httpStatus: number | undefined;
}

function factsOf(error: unknown): ErrorFacts {
  if (error instanceof ApiError) return { code: error.code, message: error.message, httpStatus: error.httpStatus };
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
    const httpStatus = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    const name = typeof e.name === 'string' ? e.name : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    return { code: httpStatus !== undefined || isServiceCode(name) ? name : undefined, message, httpStatus };
  }
  return { code: undefined, message: String(error), httpStatus: undefined };
}

function isServiceCode(name: string | undefined): boolean {
  return name !== undefined && /(Exception|Error)$/.test(name) && !['TypeError', 'Error'].includes(name);
}

/** A fetch that never got an answer: the browser says TypeError ("Failed to fetch", "NetworkError …", "Load failed"). */
function isNetworkFailure(error: unknown, facts: ErrorFacts): boolean {
  if (facts.httpStatus !== undefined) return false;
  const name = (error as { name?: unknown } | null)?.name;
  return (
    name === 'TypeError' ||
    /failed to fetch|networkerror|load failed|network request failed|ECONNREFUSED/i.test(facts.message)
  );
}

const withPeriod = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

export function plainError(error: unknown): PlainError {
  const facts = factsOf(error);
  const { code, message } = facts;
  if (isNetworkFailure(error, facts)) {
    return { message: 'fleetca could not be reached: the network request failed. Check that the server is running.' };
  }
  if ((error as { name?: unknown } | null)?.name === 'AbortError') {
    return { message: 'The request was cancelled before fleetca answered.' };
  }
  const known = knownCode(code, message);
  if (known) return code ? { message: known, code } : { message: known };
  if (facts.httpStatus !== undefined && facts.httpStatus >= 500) {
    return {
      message: `fleetca failed with an internal error (HTTP ${facts.httpStatus}); try again, and look at the server's log if it persists.`,
      ...(code ? { code } : {}),
    };
  }
  const text = message ? withPeriod(message) : 'The request failed for a reason fleetca did not give.';
  return code ? { message: text, code } : { message: text };
}

function knownCode(code: string | undefined, message: string): string | undefined {
  switch (code) {
    case 'InvalidSignatureException':
      if (/signature we calculated does not match/i.test(message)) {
        return 'The secret access key is wrong for this access key id.';
      }
      if (/signature expired|not yet current/i.test(message)) {
        return "This computer's clock is more than 15 minutes off the server's; correct it and try again.";
      }
      if (/region/i.test(message)) return 'This fleetca server does not serve the region you chose.';
      return `fleetca refused the request's signature: ${withPeriod(message)}`;
    case 'UnrecognizedClientException':
      return 'This access key id is unknown to fleetca (it may have been deleted).';
    case 'MissingAuthenticationTokenException':
    case 'IncompleteSignatureException':
      return 'The request was not signed properly; sign in again.';
    case 'AccessDeniedException':
    case 'UnauthorizedException':
      return `This access key may not do that: ${withPeriod(message || 'access denied')}`;
    case 'ThrottlingException':
    case 'LimitExceededException':
      return 'fleetca is busy and asks to slow down; wait a moment and try again.';
    case 'UnknownOperationException':
      return 'This fleetca server does not offer that operation; it may be an older version.';
    case 'ServiceUnavailableException':
      return 'fleetca is unavailable right now (its registry may be unreachable); try again shortly.';
    case 'ResourceNotFoundException':
      return message ? withPeriod(message) : 'It does not exist (or belongs to another account).';
    default:
      return undefined;
  }
}

/** The text shown in the alert region: the plain words, then the code in brackets when there is one. */
export function errorText(error: unknown): string {
  const plain = plainError(error);
  return plain.code ? `${plain.message} (${plain.code})` : plain.message;
}
