import type { ParsedGlobals } from '../argv/global-options.js';
import type { Credentials } from '../config/credentials.js';
import { resolveEndpointUrl } from '../config/endpoint-url.js';
import type { RetrySettings } from '../config/retry-config.js';
import type { CliSession } from '../config/session.js';
import type { ProfileSettings, SharedConfig } from '../config/shared-config.js';
import { GeneralError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import type { Endpoint } from './endpoint.js';
import { resolveTopLevelArgs, type TopLevelArgs } from './top-level-args.js';

/** Certificate verification of an https endpoint. */
export interface TlsSettings {
  /** False with --no-verify-ssl (or, as in botocore, an empty CA bundle setting). */
  readonly verify: boolean;
  /** A PEM bundle replacing the default trust store; relative to `cwd`. */
  readonly caBundle: string | undefined;
}

/** Everything the HTTP transport needs, resolved when the client is "created". */
export interface RemoteSettings {
  readonly endpoint: Endpoint;
  /** Undefined lets the transport fail with NoRegion when it has to sign. */
  readonly region: string | undefined;
  /** The service command of the call (`iot`, `fleet`): `md/command#<command>.<operation>` in the User-Agent. */
  readonly command: string;
  readonly signRequests: boolean;
  /** Undefined with --no-sign-request, or when no provider had any (NoCredentials when signing). */
  readonly credentials: Credentials | undefined;
  readonly tls: TlsSettings;
  /** Milliseconds; undefined = no timeout. */
  readonly connectTimeoutMs: number | undefined;
  readonly readTimeoutMs: number | undefined;
  readonly retry: RetrySettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where warnings (InsecureRequestWarning) go. */
  readonly stderr: CliIO['stderr'];
}

/** What resolveRemoteSettings reads. */
export interface RemoteContext {
  readonly io: CliIO;
  readonly globals: ParsedGlobals;
  readonly shared: SharedConfig;
  readonly session: CliSession;
  /** The region the session resolved (already checked for format). */
  readonly region: string | undefined;
  /** The service command the operation was called under (`iot`, `fleet`), which the User-Agent names. */
  readonly command: string;
}

/**
 * The client-creation step of a remote call, in botocore's order: the endpoint (none → undefined:
 * fleetca's local mode), the credential chain (unless --no-sign-request), the retry
 * configuration, the endpoint's validity, the timeouts. NoRegion and NoCredentials are not
 * raised here: botocore raises them when it signs, after parameter validation.
 */
export async function resolveRemoteSettings(context: RemoteContext): Promise<RemoteSettings | undefined> {
  const { io, globals, shared, session } = context;
  const top = resolveTopLevelArgs(globals);
  const scoped = session.scopedConfig();
  const endpointUrl = resolveEndpointUrl({ option: top.endpointUrl, env: io.env, scoped, shared });
  if (endpointUrl === undefined) return undefined;
  // Remote mode's own code is imported only when there is an endpoint: local mode runs without it.
  const [{ resolveCredentials }, { resolveRetrySettings }, { parseEndpoint }] = await Promise.all([
    import('../config/credentials.js'),
    import('../config/retry-config.js'),
    import('./endpoint.js'),
  ]);
  const credentials = top.signRequests
    ? resolveCredentials({
        env: io.env,
        profileName: session.profileName ?? 'default',
        explicitProfile: Boolean(globals.profile),
        shared,
      })
    : undefined;
  const retry = resolveRetrySettings(io.env, scoped);
  const endpoint = parseEndpoint(endpointUrl);
  return {
    endpoint,
    region: context.region,
    command: context.command,
    signRequests: top.signRequests,
    credentials,
    tls: tlsSettings(top, io.env, scoped),
    connectTimeoutMs: timeoutMs(top.connectTimeoutSeconds, 'connect'),
    readTimeoutMs: timeoutMs(top.readTimeoutSeconds, 'read'),
    retry,
    env: io.env,
    cwd: io.cwd,
    stderr: io.stderr,
  };
}

/**
 * `--no-verify-ssl` > `--ca-bundle` > AWS_CA_BUNDLE > config `ca_bundle` > REQUESTS_CA_BUNDLE >
 * the default trust store. An empty value is taken, and (botocore's `if verify`) means no verification.
 */
function tlsSettings(top: TopLevelArgs, env: RemoteSettings['env'], scoped: ProfileSettings): TlsSettings {
  if (!top.verifySsl) return { verify: false, caBundle: undefined };
  const configured = scoped.ca_bundle;
  const bundle =
    top.caBundle ??
    env.AWS_CA_BUNDLE ??
    (typeof configured === 'string' ? configured : undefined) ??
    env.REQUESTS_CA_BUNDLE;
  if (bundle === '') return { verify: false, caBundle: undefined };
  return { verify: true, caBundle: bundle };
}

// urllib3's Timeout refuses values <= 0 when the HTTP session is built (0 already meant "none").
function timeoutMs(seconds: number | undefined, name: 'connect' | 'read'): number | undefined {
  if (seconds === undefined) return undefined;
  if (seconds < 0) {
    throw new GeneralError(
      `Attempted to set ${name} timeout to ${seconds}, but the timeout cannot be set to a value less than or equal to 0.`,
    );
  }
  return seconds * 1000;
}
