import type { RetrySettings } from '../config/retry-config.js';
import type { TransportFailure } from '../remote/remote-errors.js';

/** What one attempt produced: a response (with its parsed error code, if an error) or a failure. */
export interface AttemptOutcome {
  readonly status?: number;
  readonly errorCode?: string;
  readonly failure?: TransportFailure;
}

/** Whether to send again, and whether the attempt limit is what stopped it (for the error text). */
export interface RetryDecision {
  readonly retry: boolean;
  readonly maxAttemptsReached: boolean;
}

const TRANSIENT_CODES = new Set(['RequestTimeout', 'RequestTimeoutException', 'PriorRequestNotComplete']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
// botocore.retries.standard.ThrottledRetryableChecker.
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);
// botocore/data/_retry.json, the `__default__` policies of legacy mode.
const LEGACY_STATUSES = new Set([429, 500, 502, 503, 504, 509]);
const LEGACY_THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);

function standardRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.failure) return true;
  if (
    outcome.errorCode !== undefined &&
    (TRANSIENT_CODES.has(outcome.errorCode) || THROTTLING_CODES.has(outcome.errorCode))
  )
    return true;
  return outcome.status !== undefined && TRANSIENT_STATUSES.has(outcome.status);
}

function legacyRetryable(outcome: AttemptOutcome): boolean {
  // GENERAL_CONNECTION_ERROR: every failure but a generic HTTP client error.
  if (outcome.failure) return outcome.failure.kind !== 'client';
  if (outcome.status === undefined) return false;
  if (LEGACY_STATUSES.has(outcome.status)) return true;
  return outcome.status === 400 && outcome.errorCode !== undefined && LEGACY_THROTTLING_CODES.has(outcome.errorCode);
}

/**
 * botocore's retry decision after attempt number `attempt` (1-based). Standard (and adaptive)
 * mode: retry transient errors (connection failures, 500/502/503/504, RequestTimeout…) and
 * throttling codes while under the attempt limit; the limit counts as "reached" whenever the
 * attempt number is at it, even for an error that would not be retried. Legacy mode: its
 * `_retry.json` policies, and "reached" only for retryable errors.
 */
export function decideRetry(settings: RetrySettings, attempt: number, outcome: AttemptOutcome): RetryDecision {
  const atLimit = attempt >= settings.maxAttempts;
  if (settings.mode === 'legacy') {
    const retryable = legacyRetryable(outcome);
    return { retry: retryable && !atLimit, maxAttemptsReached: retryable && atLimit };
  }
  return { retry: !atLimit && standardRetryable(outcome), maxAttemptsReached: atLimit };
}

/**
 * The pause before the next attempt, in ms: truncated binary exponential backoff with full
 * jitter, `random() * min(2 ** (attempt - 1), 20)` seconds (legacy: without the 20 s cap).
 */
export function retryDelayMs(settings: RetrySettings, attempt: number, random: () => number): number {
  const ceiling = 2 ** (attempt - 1);
  const seconds = random() * (settings.mode === 'legacy' ? ceiling : Math.min(ceiling, 20));
  return seconds * 1000;
}
