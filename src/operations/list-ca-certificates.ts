import { caCertificateArn } from '../registry/ca-certificate-record.js';
import type { OperationContext } from './context.js';
import { encodeMarker, type PagingInput, pageQuery } from './list-marker.js';

export interface ListCACertificatesInput extends PagingInput {
  readonly templateName?: string;
}

/** Newest first unless ascendingOrder, optionally only those using a template; same markers as ListCertificates. */
export async function listCACertificates(input: ListCACertificatesInput, ctx: OperationContext) {
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
