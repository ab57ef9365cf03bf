import { caDeletionRule } from '../../domain/ca-certificates/ca-certificate-lifecycle.js';
import { DeleteCACertificate } from '../../model/ca-certificates.js';
import { EXAMPLE_CA_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DeleteCACertificateInput {
  readonly certificateId: string;
}

export const deleteCACertificate = defineOperation({
  model: DeleteCACertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To delete a registered CA certificate',
        description:
          'The CA certificate must have been deactivated first (update-ca-certificate --new-status INACTIVE).',
        command: `fleetca iot delete-ca-certificate --certificate-id ${EXAMPLE_CA_CERTIFICATE_ID}`,
      },
    ],
  },
});

/**
 * Deletes a CA certificate that is not ACTIVE. Device certificates registered with it stay, and keep
 * its id as their caCertificateId.
 */
async function run(input: DeleteCACertificateInput, ctx: OperationContext): Promise<void> {
  await ctx.registry.caCertificates.deleteCaCertificate(
    ctx.scope,
    input.certificateId,
    caDeletionRule(input.certificateId),
  );
}
