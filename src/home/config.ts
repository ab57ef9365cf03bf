/**
 * config.json of a data directory: what makes it a fleetca data directory, and the identity
 * that goes into ARNs. Edited by hand if needed; validated on every open.
 */
export const CONFIG_FORMAT = 'fleetca-home/1';

export interface HomeConfig {
  readonly format: typeof CONFIG_FORMAT;
  /** 12-digit account id used in ARNs and ownedBy. */
  readonly accountId: string;
  /** Region used when neither --region, AWS_REGION, AWS_DEFAULT_REGION nor the AWS profile names one. */
  readonly defaultRegion: string;
  /** Subject of certificates from CreateKeysAndCertificate, RFC 4514 style. */
  readonly certificateSubject: string;
}

export const DEFAULT_CONFIG: HomeConfig = {
  format: CONFIG_FORMAT,
  accountId: '000000000000',
  defaultRegion: 'us-east-1',
  certificateSubject: 'CN=AWS IoT Certificate',
};

const ACCOUNT_ID = /^[0-9]{12}$/;
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class HomeError extends Error {
  override readonly name = 'HomeError';
}

/** Parses config.json text, refusing anything that is not a well-formed fleetca config. */
export function parseConfig(text: string, file: string): HomeConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HomeError(`${file} is not valid JSON: the data directory is corrupted`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== CONFIG_FORMAT) {
    throw new HomeError(`${file} is not a fleetca configuration (expected "format": "${CONFIG_FORMAT}")`);
  }
  const config = { ...DEFAULT_CONFIG, ...(raw as Partial<HomeConfig>) };
  checkAccountId(config.accountId, file);
  if (typeof config.defaultRegion !== 'string' || !REGION.test(config.defaultRegion)) {
    throw new HomeError(`${file}: defaultRegion must be a region name such as us-east-1`);
  }
  if (typeof config.certificateSubject !== 'string' || config.certificateSubject.trim() === '') {
    throw new HomeError(`${file}: certificateSubject must be a distinguished name such as "CN=AWS IoT Certificate"`);
  }
  return config;
}

export function checkAccountId(accountId: unknown, source: string): asserts accountId is string {
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw new HomeError(`${source}: the account id must be 12 digits, got ${JSON.stringify(accountId)}`);
  }
}
