import { caDeletionRule } from '../domain/ca-certificates/ca-certificate-lifecycle.js';
import type { OperationContext } from './context.js';

export interface DeleteCACertificateInput {
  readonly certificateId: string;
}

/**
 * Deletes a CA certificate that is not ACTIVE. Device certificates registered with it stay, and keep
 * its id as their caCertificateId.
 */
export async function deleteCACertificate(input: DeleteCACertificateInput, ctx: OperationContext): Promise<void> {
  await ctx.registry.caCertificates.deleteCaCertificate(
    ctx.scope,
    input.certificateId,
    caDeletionRule(input.certificateId),
  );
}
