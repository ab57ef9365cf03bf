import { GeneralError } from '../errors/cli-errors.js';
import type { ProfileSettings, SharedConfig } from './shared-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Static AWS credentials: what SigV4 signs with. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** STS session token; sent as X-Amz-Security-Token. Empty or absent = none. */
  readonly sessionToken?: string;
  /** Which provider found them (botocore's method names: env, shared-credentials-file, config-file). */
  readonly source: 'env' | 'shared-credentials-file' | 'config-file';
}

/** What the credential chain looks at. */
export interface CredentialSources {
  readonly env: Env;
  /** The active profile: `--profile` > AWS_PROFILE > AWS_DEFAULT_PROFILE > `default`. */
  readonly profileName: string;
  /** True when the profile came from `--profile`: that disables the environment provider. */
  readonly explicitProfile: boolean;
  readonly shared: SharedConfig;
}

/** botocore PartialCredentialsError: exit 255. */
function partial(provider: Credentials['source'], missing: string): GeneralError {
  return new GeneralError(`Partial credentials found in ${provider}, missing: ${missing}`);
}

/**
 * botocore's credential chain, reduced to the static providers fleetca supports, in botocore's
 * order: environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SECURITY_TOKEN /
 * AWS_SESSION_TOKEN) → shared credentials file `[name]` → config file `[profile name]` /
 * `[default]`. Assume-role, web identity, SSO, login, credential_process, container and instance
 * metadata providers are not implemented. Undefined = no credentials (NoCredentials when a
 * request must be signed); incomplete credentials are an error as soon as a provider sees them.
 */
export function resolveCredentials(sources: CredentialSources): Credentials | undefined {
  if (!sources.explicitProfile) {
    const fromEnv = environmentCredentials(sources.env);
    if (fromEnv) return fromEnv;
  }
  const fromFile = sources.shared.credentialsFile?.get(sources.profileName);
  if (fromFile && 'aws_access_key_id' in fromFile) return profileCredentials(fromFile, 'shared-credentials-file');
  // The config provider reads full_config, where the credentials file's sections are merged in.
  const fromConfig = sources.shared.profiles.get(sources.profileName);
  if (fromConfig && 'aws_access_key_id' in fromConfig) return profileCredentials(fromConfig, 'config-file');
  return undefined;
}

function environmentCredentials(env: Env): Credentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? '';
  if (!accessKeyId) return undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? '';
  if (!secretAccessKey) throw partial('env', 'AWS_SECRET_ACCESS_KEY');
  // The first non-empty token variable, in botocore's order.
  const sessionToken = [env.AWS_SECURITY_TOKEN, env.AWS_SESSION_TOKEN].find((token) => token) ?? undefined;
  return { accessKeyId, secretAccessKey, sessionToken, source: 'env' };
}

function profileCredentials(settings: ProfileSettings, source: Credentials['source']): Credentials {
  const value = (key: string): string => {
    const found = settings[key];
    if (found === undefined) throw partial(source, key);
    return typeof found === 'string' ? found : '';
  };
  const accessKeyId = value('aws_access_key_id');
  const secretAccessKey = value('aws_secret_access_key');
  // The first token key present, even when empty (botocore checks presence, not value).
  const tokenKey = ['aws_security_token', 'aws_session_token'].find((key) => key in settings);
  const token = tokenKey === undefined ? undefined : settings[tokenKey];
  return { accessKeyId, secretAccessKey, sessionToken: typeof token === 'string' ? token : undefined, source };
}
