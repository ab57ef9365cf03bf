import { randomInt } from 'node:crypto';

/** An AWS account id: exactly 12 decimal digits, leading zeros allowed (`000000000000`). */
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;

/** True when `value` is a well-formed account id. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID_PATTERN.test(value);
}

/** A fresh account id of 12 digits drawn from the CSPRNG (uniform, leading zeros included). */
export function randomAccountId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += String(randomInt(10));
  return id;
}
