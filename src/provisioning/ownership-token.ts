import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Scope } from '../domain/scope.js';

/** How long a certificate created over MQTT may wait for RegisterThing (reference §4.3). */
export const OWNERSHIP_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** What a token proves: who may register which certificate, until when. */
export interface OwnershipClaim {
  readonly scope: Scope;
  readonly certificateId: string;
  readonly expiresAt: number;
}

const VERSION = 'fleetca-1';
const AAD = Buffer.from('fleetca certificate ownership token v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above a real token (~300 characters): anything longer is refused before decoding. */
const MAX_TOKEN_CHARS = 4096;

/**
 * certificateOwnershipToken: like AWS's, base64 of `{"version", "cipher"}` (reference §4.3), the cipher being
 * AES-256-GCM over the claim. Only a holder of the key can mint one, and any change to a token fails its tag.
 * Single use is enforced by the registry (ownership_tokens), not by the token.
 */
export class OwnershipTokens {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('an ownership-token key is 32 bytes');
  }

  mint(claim: OwnershipClaim): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(AAD);
    const plain = Buffer.from(
      JSON.stringify([claim.scope.accountId, claim.scope.region, claim.certificateId, claim.expiresAt]),
    );
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return Buffer.from(JSON.stringify({ version: VERSION, cipher: sealed.toString('base64') })).toString('base64');
  }

  /** The claim a token carries, or undefined for anything this key did not mint (forged, altered, garbage). */
  open(token: string): OwnershipClaim | undefined {
    if (token.length > MAX_TOKEN_CHARS) return undefined;
    try {
      const envelope = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
        version?: unknown;
        cipher?: unknown;
      };
      if (envelope.version !== VERSION || typeof envelope.cipher !== 'string') return undefined;
      const sealed = Buffer.from(envelope.cipher, 'base64');
      if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES)).setAAD(AAD);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      const [accountId, region, certificateId, expiresAt] = JSON.parse(plain.toString('utf8')) as unknown[];
      if (typeof accountId !== 'string' || typeof region !== 'string' || typeof certificateId !== 'string')
        return undefined;
      if (typeof expiresAt !== 'number') return undefined;
      return { scope: { accountId, region }, certificateId, expiresAt };
    } catch {
      return undefined;
    }
  }
}
