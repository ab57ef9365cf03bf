import { isKeygenEngine, type KeygenEngine } from '../ca/keygen/engines.js';
import { type DeviceAuthorization, isDeviceAuthorization } from '../domain/devices/device-authorization.js';
import { type ClusterConfig, checkClusterConfig } from './cluster-config.js';
import { checkRevocationConfig, type RevocationConfig } from './revocation-config.js';

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
  /** Key generation; every member optional (see KeygenSettings for the defaults). */
  readonly keygen?: Partial<KeygenSettings>;
  /**
   * Set by the first use that made registry.db: from then on its absence is a loss to report, never a reason to
   * make a new one. Absent when the registry was elsewhere (--store) or the directory predates this setting.
   */
  readonly registry?: typeof REGISTRY_FILE;
  /** Region names accepted besides AWS's own (a private deployment's, or a region newer than this fleetca). */
  readonly privateRegions?: readonly string[];
  /**
   * How `fleetca serve` authorizes devices: written as `policies` into every new data directory; absent in one made
   * before policies existed, which `fleetca serve` then runs `permissive` (loudly) until its operator chooses.
   */
  readonly deviceAuthorization?: DeviceAuthorization;
  /** Where CRLs and OCSP are published and how long they hold (revocation-config.ts). */
  readonly revocation?: RevocationConfig;
  /** The NATS servers replicas route devices' messages through (cluster-config.ts); absent: a single replica. */
  readonly cluster?: ClusterConfig;
  /** Whether `fleetca serve` serves the web console under /console (absent: it does); its options override this. */
  readonly console?: boolean;
}

/** The data directory's own registry file. */
export const REGISTRY_FILE = 'registry.db';

/** Upper bound of the keygen counts (threads, queue, pool), in config.json and on the command line alike. */
export const MAX_KEYGEN_SETTING = 100_000;

export interface KeygenSettings {
  /** `fips186-5` (fleetca's generator) or `openssl` (Node's stock generator). */
  readonly engine: KeygenEngine;
  /** Worker threads making keys; default one per core. */
  readonly threads: number;
  /** Requests that may wait for a worker before ThrottlingException; default 16 per thread. */
  readonly maxQueued: number;
  /** Keys `fleetca serve` keeps ready in memory; 0 turns the pool off. */
  readonly poolSize: number;
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
  if (config.registry !== undefined && config.registry !== REGISTRY_FILE) {
    throw new HomeError(`${file}: registry must be "${REGISTRY_FILE}" or absent`);
  }
  checkKeygen(config.keygen, file);
  const privateRegions: unknown = config.privateRegions;
  if (
    privateRegions !== undefined &&
    !(
      Array.isArray(privateRegions) &&
      privateRegions.every((region) => typeof region === 'string' && REGION.test(region))
    )
  ) {
    throw new HomeError(`${file}: privateRegions must be a list of region names such as ["lab-east-1"]`);
  }
  checkRevocationConfig(config.revocation, file);
  checkClusterConfig(config.cluster, file);
  if (config.deviceAuthorization !== undefined && !isDeviceAuthorization(config.deviceAuthorization)) {
    throw new HomeError(`${file}: deviceAuthorization must be "policies" or "permissive"`);
  }
  if (config.console !== undefined && typeof config.console !== 'boolean') {
    throw new HomeError(`${file}: console must be true or false`);
  }
  return config;
}

export function checkAccountId(accountId: unknown, source: string): asserts accountId is string {
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw new HomeError(`${source}: the account id must be 12 digits, got ${JSON.stringify(accountId)}`);
  }
}

function checkKeygen(keygen: unknown, file: string): void {
  if (keygen === undefined) return;
  if (typeof keygen !== 'object' || keygen === null || Array.isArray(keygen)) {
    throw new HomeError(`${file}: keygen must be an object`);
  }
  const { engine, threads, maxQueued, poolSize, ...unknown } = keygen as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new HomeError(`${file}: keygen has unknown settings: ${extra.join(', ')}`);
  if (engine !== undefined && !isKeygenEngine(engine)) {
    throw new HomeError(`${file}: keygen.engine must be "fips186-5" or "openssl"`);
  }
  checkCount(threads, 'keygen.threads', 1, file);
  checkCount(maxQueued, 'keygen.maxQueued', 0, file);
  checkCount(poolSize, 'keygen.poolSize', 0, file);
}

function checkCount(value: unknown, name: string, minimum: number, file: string): void {
  if (
    value !== undefined &&
    !(Number.isSafeInteger(value) && (value as number) >= minimum && (value as number) <= 100_000)
  ) {
    throw new HomeError(`${file}: ${name} must be a whole number from ${minimum} to 100000`);
  }
}
