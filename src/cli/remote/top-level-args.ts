import type { ParsedGlobals } from '../argv/global-options.js';
import { GeneralError, ParamValidationError } from '../errors/cli-errors.js';
import { parsePyInt, pyIntErrorMessage } from '../python/int.js';
import { UrlValueError, urlSplit } from './url-split.js';

/** The connection-related global options after AWS CLI v2's `top-level-args-parsed` handlers. */
export interface TopLevelArgs {
  /** `--endpoint-url`, checked to have a scheme. */
  readonly endpointUrl: string | undefined;
  /** False with `--no-sign-request`. */
  readonly signRequests: boolean;
  /** False with `--no-verify-ssl`. */
  readonly verifySsl: boolean;
  readonly caBundle: string | undefined;
  /** Seconds; undefined = no timeout (`0`). */
  readonly readTimeoutSeconds: number | undefined;
  readonly connectTimeoutSeconds: number | undefined;
}

/** botocore's DEFAULT_TIMEOUT, for both the connect and the read timeout. */
const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * Resolves and checks the connection options the way awscli/customizations/globalargs.py does,
 * right after the global parse and before any command runs, in its handler order: the endpoint
 * URL must have a scheme (252), then `int()` of the read and connect timeouts (255).
 */
export function resolveTopLevelArgs(globals: ParsedGlobals): TopLevelArgs {
  const text = (dest: string) => (typeof globals.all[dest] === 'string' ? (globals.all[dest] as string) : undefined);
  const endpointUrl = text('endpoint_url');
  if (endpointUrl !== undefined) checkEndpointScheme(endpointUrl);
  const readTimeoutSeconds = timeout(text('read_timeout'));
  const connectTimeoutSeconds = timeout(text('connect_timeout'));
  return {
    endpointUrl,
    signRequests: globals.all.sign_request !== false,
    verifySsl: globals.all.verify_ssl !== false,
    caBundle: text('ca_bundle'),
    readTimeoutSeconds,
    connectTimeoutSeconds,
  };
}

function checkEndpointScheme(value: string): void {
  let scheme: string;
  try {
    scheme = urlSplit(value).scheme;
  } catch (error) {
    // urlparse's own ValueError is not the CLI's check: a general error.
    if (error instanceof UrlValueError) throw new GeneralError(error.message);
    throw error;
  }
  if (!scheme) {
    throw new ParamValidationError(
      `Bad value for --endpoint-url "${value}": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/`,
    );
  }
}

// _resolve_timeout: int(value), 0 meaning "no timeout".
function timeout(value: string | undefined): number | undefined {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = parsePyInt(value);
  if (seconds === undefined) throw new GeneralError(pyIntErrorMessage(value));
  return seconds === 0 ? undefined : seconds;
}
