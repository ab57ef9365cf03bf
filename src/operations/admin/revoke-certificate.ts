import { revocationRule } from '../../domain/certificates/certificate-lifecycle.js';
import { CRL_REASONS, type CrlReasonName } from '../../domain/certificates/revocation.js';
import { RevokeCertificate } from '../../model/admin.js';
import { defineOperation } from '../operation.js';

/** UpdateCertificate's REVOKED with the reason CRLs and OCSP give, in the context's account and region. */
export const revokeCertificate = defineOperation({
  model: RevokeCertificate,
  run: async (input: { readonly certificateId: string; readonly reason: CrlReasonName }, ctx) => {
    const rule = revocationRule(input.certificateId, CRL_REASONS[input.reason], ctx.now().getTime());
    const record = await ctx.registry.certificates.updateStatus(ctx.scope, input.certificateId, rule);
    return { certificateId: record.certificateId, status: record.status, reason: input.reason };
  },
});
