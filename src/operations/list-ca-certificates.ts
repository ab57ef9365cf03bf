import { caCertificateArn } from '../registry/ca-certificate-record.js';
import type { OperationContext } from './context.js';
import { decodeMarker, encodeMarker } from './list-marker.js';

export interface ListCACertificatesInput {
  readonly pageSize?: number;
  readonly marker?: string;
  readonly ascendingOrder?: boolean;
  readonly templateName?: string;
}

const DEFAULT_PAGE_SIZE = 25;

/** Newest first unless ascendingOrder, optionally only those using a template; same markers as ListCertificates. */
export async function listCACertificates(input: ListCACertificatesInput, ctx: OperationContext) {
  const page = await ctx.registry.caCertificates.listCaCertificates(ctx.scope, {
    limit: input.pageSize ?? DEFAULT_PAGE_SIZE,
    ascending: input.ascendingOrder === true,
    ...(input.marker !== undefined && { after: decodeMarker(input.marker) }),
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
