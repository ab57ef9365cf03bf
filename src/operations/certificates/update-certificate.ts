import { statusUpdateRule } from '../../domain/certificates/certificate-lifecycle.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import { UpdateCertificate } from '../../model/certificates.js';
import { EXAMPLE_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface UpdateCertificateInput {
  readonly certificateId: string;
  readonly newStatus: CertificateStatus;
}

export const updateCertificate = defineOperation({
  model: UpdateCertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To revoke a certificate',
        description:
          'Marks the certificate REVOKED: it can no longer be used to connect. The command prints nothing when it succeeds.',
        command: `fleetca iot update-certificate --certificate-id ${EXAMPLE_CERTIFICATE_ID} --new-status REVOKED`,
      },
    ],
  },
});

async function run(input: UpdateCertificateInput, ctx: OperationContext): Promise<void> {
  const rule = statusUpdateRule(input.certificateId, input.newStatus, ctx.now().getTime());
  await ctx.registry.certificates.updateStatus(ctx.scope, input.certificateId, rule);
}
