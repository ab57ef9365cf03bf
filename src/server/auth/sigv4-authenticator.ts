import { createHash, timingSafeEqual } from 'node:crypto';
import { isAccountId } from '../../domain/accounts/account-id.js';
import { REGION_NAME, type RegionPolicy } from '../../regions/region-policy.js';
import type { AccountStore } from '../../registry/account-store.js';
import type { Authenticator, Principal, RawRequest } from './authenticator.js';
import { parseAuthorization, type SigV4Authorization } from './authorization-header.js';
import { type HeaderFields, headerFields } from './header-fields.js';
import { checkClockSkew, parseRequestDate, type RequestDate } from './request-date.js';
import { computeSignature } from './signature-calculator.js';
import { signedQuery } from './signed-query.js';
import { sigv4Errors } from './sigv4-errors.js';

/** The signing name of the AWS IoT control plane, the one AWS names when it refuses another. */
export const IOT_SIGNING_SERVICE = 'iot';

/**
 * The signing names accepted for it: `iot` (SDKs since 2023), and `execute-api`, which the IoT service model
 * named until April 2023 and which older CLIs and SDKs still sign with (Debian 12's AWS CLI 2.9.19).
 */
const ACCEPTED_SIGNING_SERVICES: ReadonlySet<string> = new Set([IOT_SIGNING_SERVICE, 'execute-api']);

/** How a SigV4Authenticator finds keys, which regions it serves, and whether it checks at all. */
export interface SigV4AuthenticatorOptions {
  /** Where access keys and their secrets are looked up (not consulted in development mode). */
  readonly accounts: Pick<AccountStore, 'findAccessKey'>;
  /** The regions served: requests scoped elsewhere are refused. A policy serves every region it accepts. */
  readonly regions: readonly string[] | RegionPolicy;
  /** The clock the 15-minute window is measured against. */
  readonly now?: () => Date;
  /**
   * Development mode, as moto and LocalStack behave: any well-formed SigV4 request is accepted
   * without a key lookup, signature, session-token or clock check, and acts for `accountId`.
   */
  readonly development?: { readonly accountId: string };
}

/**
 * Verifies AWS Signature Version 4 (Authorization header form) on requests to the IoT API and
 * says which account each acts for. The checks, in order: the header is there and complete, the
 * date parses and matches the credential scope, the scope names a served region and `iot` (or its
 * former signing name `execute-api`), Host is signed, the date is within 15 minutes, no session
 * token, the key is known, the signature (recomputed over the raw request) matches. Refusals are
 * the ServiceErrors AWS answers with.
 */
export class SigV4Authenticator implements Authenticator {
  readonly #accounts: Pick<AccountStore, 'findAccessKey'>;
  readonly #regions: ReadonlySet<string> | RegionPolicy;
  readonly #now: () => Date;
  readonly #developmentAccount: string | undefined;

  constructor(options: SigV4AuthenticatorOptions) {
    if (Array.isArray(options.regions)) {
      const bad = options.regions.find((region) => !REGION_NAME.test(region));
      if (bad !== undefined) throw new RangeError(`not a region name: ${JSON.stringify(bad)}`);
    }
    const developmentAccount = options.development?.accountId;
    if (developmentAccount !== undefined && !isAccountId(developmentAccount)) {
      throw new RangeError(`the development account id must be 12 digits, got ${JSON.stringify(developmentAccount)}`);
    }
    this.#accounts = options.accounts;
    this.#regions = Array.isArray(options.regions) ? new Set(options.regions) : (options.regions as RegionPolicy);
    this.#now = options.now ?? (() => new Date());
    this.#developmentAccount = developmentAccount;
  }

  async authenticate(request: RawRequest): Promise<Principal> {
    const headers = headerFields(request.rawHeaders);
    const authorization = headers.get('authorization');
    if (authorization === undefined || authorization === '') throw sigv4Errors.missingToken();
    const amzDate = headers.get('x-amz-date');
    const httpDate = headers.get('date');
    const auth = parseAuthorization(authorization, amzDate !== undefined || httpDate !== undefined);
    const date = parseRequestDate(amzDate, httpDate);
    this.#checkScope(auth, date);
    const { accessKeyId } = auth.credential;
    const region = auth.credential.region;

    if (this.#developmentAccount !== undefined) {
      return { accountId: this.#developmentAccount, region, accessKeyId };
    }
    checkClockSkew(date, this.#now());
    // fleetca issues no temporary credentials, so any session token is one it cannot know.
    if (headers.has('x-amz-security-token')) throw sigv4Errors.unrecognizedClient();
    const key = await this.#accounts.findAccessKey(accessKeyId);
    if (key === undefined) throw sigv4Errors.unrecognizedClient();

    const signed = signedHeaderValues(headers, auth.signedHeaders);
    // The signer takes a signed x-amz-content-sha256 as the payload hash without hashing the body
    // (S3's convention): it must be the body's real hash, or the body would go unverified.
    const contentHash = signed['x-amz-content-sha256'];
    if (contentHash !== undefined && contentHash !== sha256Hex(request.body)) throw sigv4Errors.signatureMismatch();
    const expected = await computeSignature(
      {
        method: request.method,
        rawPath: request.rawPath,
        query: signedQuery(request.rawQuery),
        headers: signed,
        body: request.body,
      },
      {
        accessKeyId,
        secretAccessKey: key.secretAccessKey,
        region,
        service: auth.credential.service,
        scope: auth.scope,
        amzDate: date.amzDate,
      },
    );
    if (!sameSignature(auth.signature, expected)) throw sigv4Errors.signatureMismatch();
    return { accountId: key.accountId, region, accessKeyId };
  }

  #checkScope(auth: SigV4Authorization, date: RequestDate): void {
    const { credential } = auth;
    if (credential.terminator !== 'aws4_request') throw sigv4Errors.scopeTerminator(credential.terminator);
    if (credential.date !== date.amzDate.slice(0, 8)) throw sigv4Errors.scopeDate(credential.date, date.amzDate);
    if (!this.#servesRegion(credential.region)) throw sigv4Errors.scopeRegion();
    if (!ACCEPTED_SIGNING_SERVICES.has(credential.service)) throw sigv4Errors.scopeService(IOT_SIGNING_SERVICE);
    // Without Host in the signature, a captured request could be replayed against another server.
    if (!auth.signedHeaders.includes('host')) throw sigv4Errors.hostNotSigned();
  }

  #servesRegion(region: string): boolean {
    return this.#regions instanceof Set ? this.#regions.has(region) : (this.#regions as RegionPolicy).accepts(region);
  }
}

/**
 * The values of the signed headers, and nothing else: any other header may be added or changed
 * in transit (by proxies, by Node) without invalidating the signature.
 */
function signedHeaderValues(headers: HeaderFields, signedHeaders: readonly string[]): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headers.get(name);
    if (value !== undefined) Object.defineProperty(signed, name, { value, enumerable: true, writable: true });
  }
  return signed;
}

function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Constant-time comparison of two hex signatures; different lengths are simply unequal. */
function sameSignature(provided: string, expected: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
