import { randomBytes } from 'node:crypto';
import { GetRegistrationCode } from '../../model/endpoint.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

/** 32 bytes from the CSPRNG as 64 lowercase hex digits, the shape of AWS's registration codes. */
export function newRegistrationCode(): string {
  return randomBytes(32).toString('hex');
}

export const getRegistrationCode = defineOperation({
  model: GetRegistrationCode,
  run,
  cli: {
    examples: [
      {
        title: 'To get the code for a CA verification certificate',
        description:
          'The registration code goes into the common name of the verification certificate that proves you hold the key of a CA you register.',
        command: 'fleetca iot get-registration-code --output text',
      },
    ],
  },
});

/** The account's registration code in this region, created by the first call and the same afterwards. */
async function run(_input: Record<string, never>, ctx: OperationContext) {
  const registrationCode = await ctx.registry.scopeIdentifiers.getOrCreate(
    ctx.scope,
    'registration-code',
    newRegistrationCode,
  );
  return { registrationCode };
}
