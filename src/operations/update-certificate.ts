import { statusUpdateRule } from '../domain/certificates/certificate-lifecycle.js';
import type { CertificateStatus } from '../domain/certificates/certificate-status.js';
import type { OperationContext } from './context.js';

export interface UpdateCertificateInput {
  readonly certificateId: string;
  readonly newStatus: CertificateStatus;
}

export async function updateCertificate(input: UpdateCertificateInput, ctx: OperationContext): Promise<void> {
  const rule = statusUpdateRule(input.certificateId, input.newStatus, ctx.now().getTime());
  await ctx.registry.certificates.updateStatus(ctx.scope, input.certificateId, rule);
}
