import { type CaCertificateRecord, caCertificateArn } from '../../domain/ca-certificates/ca-certificate-record.js';
import { serviceErrors } from '../../errors.js';
import { DescribeCACertificate } from '../../model/ca-certificates.js';
import { EXAMPLE_CA_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DescribeCACertificateInput {
  readonly certificateId: string;
}

export const describeCACertificate = defineOperation({
  model: DescribeCACertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To show a registered CA certificate',
        description: 'Prints the CA certificate, its status, its auto-registration setting and its validity.',
        command: `fleetca iot describe-ca-certificate --certificate-id ${EXAMPLE_CA_CERTIFICATE_ID}`,
      },
    ],
  },
});

async function run(input: DescribeCACertificateInput, ctx: OperationContext) {
  const record = await ctx.registry.caCertificates.getCaCertificate(ctx.scope, input.certificateId);
  if (!record) throw serviceErrors.notFound();
  return {
    certificateDescription: caCertificateDescription(record),
    // Absent, rather than empty, when the CA has no registration configuration.
    ...(record.registrationConfig && { registrationConfig: record.registrationConfig }),
  };
}

/** The DescribeCACertificate view of a record; timestamps stay epoch ms until a door renders them. */
export function caCertificateDescription(record: CaCertificateRecord) {
  return {
    certificateArn: caCertificateArn(record, record.certificateId),
    certificateId: record.certificateId,
    status: record.status,
    certificatePem: record.certificatePem,
    ownedBy: record.ownedBy,
    creationDate: record.creationDate,
    autoRegistrationStatus: record.autoRegistrationStatus,
    lastModifiedDate: record.lastModifiedDate,
    customerVersion: record.customerVersion,
    generationId: record.generationId,
    validity: { notBefore: record.notBefore, notAfter: record.notAfter },
    certificateMode: record.certificateMode,
  };
}
