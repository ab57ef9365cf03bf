import { GeneralError } from '../errors/cli-errors.js';
import { parsePyInt, pyIntErrorMessage } from '../python/int.js';
import type { ProfileSettings } from './shared-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** botocore's retry modes; `adaptive` behaves as `standard` in fleetca (no client-side rate limiter). */
export const RETRY_MODES = ['legacy', 'standard', 'adaptive'] as const;
export type RetryMode = (typeof RETRY_MODES)[number];

/** How many times a request may be sent, and which policy decides. */
export interface RetrySettings {
  readonly mode: RetryMode;
  /** Total attempts, the first one included. */
  readonly maxAttempts: number;
}

/** AWS CLI v2's default mode; v1 (and plain botocore) default to legacy. */
const DEFAULT_MODE: RetryMode = 'standard';
const DEFAULT_MAX_ATTEMPTS: Readonly<Record<RetryMode, number>> = { legacy: 5, standard: 3, adaptive: 3 };

function setting(env: Env, scoped: ProfileSettings, envName: string, configName: string): string | undefined {
  if (env[envName] !== undefined) return env[envName];
  const value = scoped[configName];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Retry mode (AWS_RETRY_MODE > config `retry_mode` > standard) and total attempts
 * (AWS_MAX_ATTEMPTS > config `max_attempts` > the mode's default), checked the way botocore's
 * client Config does when the client is created (errors exit 255).
 */
export function resolveRetrySettings(env: Env, scoped: ProfileSettings): RetrySettings {
  const rawAttempts = setting(env, scoped, 'AWS_MAX_ATTEMPTS', 'max_attempts');
  let maxAttempts: number | undefined;
  if (rawAttempts !== undefined) {
    maxAttempts = parsePyInt(rawAttempts);
    if (maxAttempts === undefined) throw new GeneralError(pyIntErrorMessage(rawAttempts));
    if (maxAttempts < 1) {
      throw new GeneralError(
        `Value provided to "max_attempts": ${maxAttempts} must be an integer greater than or equal to 1.`,
      );
    }
  }
  const mode = setting(env, scoped, 'AWS_RETRY_MODE', 'retry_mode') ?? DEFAULT_MODE;
  if (!(RETRY_MODES as readonly string[]).includes(mode)) {
    throw new GeneralError(
      `Invalid value provided to "mode": "${mode}" must be one of: ('legacy', 'standard', 'adaptive')`,
    );
  }
  const retryMode = mode as RetryMode;
  return { mode: retryMode, maxAttempts: maxAttempts ?? DEFAULT_MAX_ATTEMPTS[retryMode] };
}
