import { randomBytes } from 'node:crypto';

/** RFC 4648 base32 alphabet, the characters AWS access key ids are made of after their prefix. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** What fleetca's access key ids look like: AWS's long-term key prefix `AKIA`, then 16 base32 characters. */
export const ACCESS_KEY_ID_PATTERN = /^AKIA[A-Z2-7]{16}$/;

/**
 * Any access key id a client may present: IAM's AccessKeyId constraint (16–128 word characters).
 * Wider than ACCESS_KEY_ID_PATTERN so that a foreign-looking id is reported as unknown, not malformed.
 */
export const ANY_ACCESS_KEY_ID_PATTERN = /^\w{16,128}$/;

/** A new access key id, `AKIA` + 16 characters of [A-Z2-7] from the CSPRNG. */
export function newAccessKeyId(): string {
  // 256 is a multiple of 32, so masking each byte to 5 bits keeps every character uniform.
  const bytes = randomBytes(16);
  let id = 'AKIA';
  for (const byte of bytes) id += BASE32[byte & 31];
  return id;
}

/** A new secret access key: 40 characters of the base64 alphabet, i.e. 240 bits from the CSPRNG. */
export function newSecretAccessKey(): string {
  // 30 bytes encode to exactly 40 base64 characters, with no padding.
  return randomBytes(30).toString('base64');
}
