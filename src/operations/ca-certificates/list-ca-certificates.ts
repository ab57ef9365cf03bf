import { caCertificateArn } from '../../domain/ca-certificates/ca-certificate-record.js';
import { ListCACertificates } from '../../model/ca-certificates.js';
import type { OperationContext } from '../context.js';
import { encodeMarker, type PagingInput, pageQuery } from '../list-marker.js';
import { defineOperation } from '../operation.js';

export interface ListCACertificatesInput extends PagingInput {
  readonly templateName?: string;
}

export const listCACertificates = defineOperation({
  model: ListCACertificates,
  run,
  cli: {
    examples: [
      {
        title: 'To list the registered CA certificates',
        description: 'Lists every CA certificate of the account, newest first unless --ascending-order is given.',
        command: 'fleetca iot list-ca-certificates --output table',
      },
    ],
  },
});

/** Newest first unless ascendingOrder, optionally only those using a template; same markers as ListCertificates. */
async function run(input: ListCACertificatesInput, ctx: OperationContext) {
  const page = await ctx.registry.caCertificates.listCaCertificates(ctx.scope, {
    ...pageQuery(input),
    ...(input.templateName !== undefined && { templateName: input.templateName }),
  });
  return {
    certificates: page.records.map((record) => ({
      certificateArn: caCertificateArn(record, record.certificateId),
      certificateId: record.certificateId,
      status: record.status,
      creationDate: record.creationDate,
    })),
    nextMarker: page.next && encodeMarker(page.next),
  };
}
