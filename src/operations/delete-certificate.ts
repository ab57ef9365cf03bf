import { deletionRule } from '../domain/certificates/certificate-lifecycle.js';
import type { OperationContext } from './context.js';

export interface DeleteCertificateInput {
  readonly certificateId: string;
  readonly forceDelete?: boolean;
}

export async function deleteCertificate(input: DeleteCertificateInput, ctx: OperationContext): Promise<void> {
  await ctx.registry.certificates.deleteCertificate(
    ctx.scope,
    input.certificateId,
    deletionRule(input.certificateId, input.forceDelete === true),
  );
}
