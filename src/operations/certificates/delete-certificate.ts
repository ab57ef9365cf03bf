import { deletionRule } from '../../domain/certificates/certificate-lifecycle.js';
import { DeleteCertificate } from '../../model/certificates.js';
import { EXAMPLE_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DeleteCertificateInput {
  readonly certificateId: string;
  readonly forceDelete?: boolean;
}

export const deleteCertificate = defineOperation({
  model: DeleteCertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To delete a device certificate',
        description: 'Deletes an INACTIVE or REVOKED certificate. The command prints nothing when it succeeds.',
        command: `fleetca iot delete-certificate --certificate-id ${EXAMPLE_CERTIFICATE_ID}`,
      },
    ],
  },
});

async function run(input: DeleteCertificateInput, ctx: OperationContext): Promise<void> {
  await ctx.registry.certificates.deleteCertificate(
    ctx.scope,
    input.certificateId,
    deletionRule(input.certificateId, input.forceDelete === true),
  );
}
