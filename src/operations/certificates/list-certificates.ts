import { certificateArn } from '../../domain/certificates/certificate-record.js';
import { ListCertificates } from '../../model/certificates.js';
import type { OperationContext } from '../context.js';
import { encodeMarker, type PagingInput, pageQuery } from '../list-marker.js';
import { defineOperation } from '../operation.js';

export type ListCertificatesInput = PagingInput;

export const listCertificates = defineOperation({
  model: ListCertificates,
  run,
  cli: {
    examples: [
      {
        title: 'To list the certificates of the account',
        description:
          'Fetches every page and prints one merged list; --max-items limits it and prints a NextToken to continue.',
        command: 'fleetca iot list-certificates --max-items 2',
      },
      {
        title: 'To list only the ids of active certificates',
        description: 'A JMESPath filter on the merged list.',
        command: `fleetca iot list-certificates --query "certificates[?status=='ACTIVE'].certificateId" --output text`,
      },
    ],
  },
});

/** Newest first unless ascendingOrder; pages are keyset seeks behind opaque markers. */
function run(input: ListCertificatesInput, ctx: OperationContext) {
  return certificatePage(input, ctx);
}

/** One page of certificate summaries, of the whole account or of one CA's certificates. */
export async function certificatePage(input: PagingInput, ctx: OperationContext, caCertificateId?: string) {
  const page = await ctx.registry.certificates.listCertificates(ctx.scope, {
    ...pageQuery(input),
    ...(caCertificateId !== undefined && { caCertificateId }),
  });
  return {
    certificates: page.records.map((record) => ({
      certificateArn: certificateArn(record, record.certificateId),
      certificateId: record.certificateId,
      status: record.status,
      certificateMode: record.certificateMode,
      creationDate: record.creationDate,
    })),
    nextMarker: page.next && encodeMarker(page.next),
  };
}
