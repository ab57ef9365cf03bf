import { GeneralError } from '../errors/cli-errors.js';
import type { ProfileSettings, SharedConfig } from './shared-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** botocore's snake-cased service id of IoT: the suffix of AWS_ENDPOINT_URL_IOT and the `[services]` key. */
const SERVICE_ID = 'iot';

/** Where an endpoint URL may come from besides the command line. */
export interface EndpointSources {
  /** `--endpoint-url`, already checked for a scheme. */
  readonly option: string | undefined;
  readonly env: Env;
  /** The active profile's settings. */
  readonly scoped: ProfileSettings;
  readonly shared: SharedConfig;
}

/** botocore ensure_boolean: only the string `true` (any case) is true. */
function ensureBoolean(value: unknown): boolean {
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/**
 * The endpoint of the `iot` client, as AWS CLI v2 resolves it: `--endpoint-url` >
 * AWS_ENDPOINT_URL_IOT > AWS_ENDPOINT_URL > `iot = endpoint_url = ...` in the profile's
 * `[services name]` section > the profile's `endpoint_url`. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * (or `ignore_configured_endpoint_urls`) switches off all but the option. Empty values are
 * skipped. Undefined means no endpoint: fleetca then works on the local data directory.
 */
export function resolveEndpointUrl(sources: EndpointSources): string | undefined {
  if (sources.option !== undefined) return sources.option;
  if (ignoreConfiguredEndpoints(sources)) return undefined;
  const lookups = [
    () => sources.env[`AWS_ENDPOINT_URL_${SERVICE_ID.toUpperCase()}`],
    () => sources.env.AWS_ENDPOINT_URL,
    () => servicesEndpoint(sources),
    () => stringSetting(sources.scoped.endpoint_url),
  ];
  for (const lookup of lookups) {
    const url = lookup();
    if (url) return url;
  }
  return undefined;
}

// The environment variable wins over the config file even when it says false.
function ignoreConfiguredEndpoints({ env, scoped }: EndpointSources): boolean {
  const fromEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  return ensureBoolean(fromEnv !== undefined ? fromEnv : scoped.ignore_configured_endpoint_urls);
}

function servicesEndpoint({ scoped, shared }: EndpointSources): string | undefined {
  const sectionName = stringSetting(scoped.services);
  if (sectionName === undefined) return undefined;
  const section = shared.services?.get(sectionName);
  if (section === undefined || Object.keys(section).length === 0) {
    throw new GeneralError(
      `The profile is configured to use the services section but the "${sectionName}" services configuration does not exist.`,
    );
  }
  const service = section[SERVICE_ID];
  return typeof service === 'object' ? service.endpoint_url : undefined;
}

function stringSetting(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
