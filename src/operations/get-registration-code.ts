import { randomBytes } from 'node:crypto';
import type { OperationContext } from './context.js';

/** 32 bytes from the CSPRNG as 64 lowercase hex digits, the shape of AWS's registration codes. */
export function newRegistrationCode(): string {
  return randomBytes(32).toString('hex');
}

/** The account's registration code in this region, created by the first call and the same afterwards. */
export async function getRegistrationCode(_input: Record<string, never>, ctx: OperationContext) {
  const registrationCode = await ctx.registry.scopeIdentifiers.getOrCreate(
    ctx.scope,
    'registration-code',
    newRegistrationCode,
  );
  return { registrationCode };
}
