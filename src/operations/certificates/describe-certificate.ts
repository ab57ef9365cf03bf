import { type CertificateRecord, certificateArn } from '../../domain/certificates/certificate-record.js';
import { serviceErrors } from '../../errors.js';
import { DescribeCertificate } from '../../model/certificates.js';
import { EXAMPLE_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DescribeCertificateInput {
  readonly certificateId: string;
}

export const describeCertificate = defineOperation({
  model: DescribeCertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To show a certificate and its status',
        description: 'Prints the certificate PEM with its ARN, status, owner, issuing CA and validity dates.',
        command: `fleetca iot describe-certificate --certificate-id ${EXAMPLE_CERTIFICATE_ID} --query certificateDescription.status`,
        output: '"ACTIVE"',
      },
    ],
  },
});

async function run(input: DescribeCertificateInput, ctx: OperationContext) {
  const record = await ctx.registry.certificates.getCertificate(ctx.scope, input.certificateId);
  if (!record) throw serviceErrors.notFound();
  return { certificateDescription: certificateDescription(record) };
}

/** The DescribeCertificate view of a record; timestamps stay epoch ms until a door renders them. */
export function certificateDescription(record: CertificateRecord) {
  return {
    certificateArn: certificateArn(record, record.certificateId),
    certificateId: record.certificateId,
    caCertificateId: record.caCertificateId,
    status: record.status,
    certificatePem: record.certificatePem,
    ownedBy: record.ownedBy,
    previousOwnedBy: record.previousOwnedBy,
    creationDate: record.creationDate,
    lastModifiedDate: record.lastModifiedDate,
    customerVersion: record.customerVersion,
    // AWS returns an empty transferData when no transfer ever happened.
    transferData: {},
    generationId: record.generationId,
    validity: { notBefore: record.notBefore, notAfter: record.notAfter },
    certificateMode: record.certificateMode,
  };
}
