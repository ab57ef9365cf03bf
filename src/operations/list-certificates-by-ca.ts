import { certificateArn } from '../registry/certificate-record.js';
import type { OperationContext } from './context.js';
import { decodeMarker, encodeMarker } from './list-marker.js';

export interface ListCertificatesByCAInput {
  readonly caCertificateId: string;
  readonly pageSize?: number;
  readonly marker?: string;
  readonly ascendingOrder?: boolean;
}

const DEFAULT_PAGE_SIZE = 25;

/**
 * The device certificates registered with one CA certificate, paged like ListCertificates. An unknown
 * (or deleted) CA simply has none: the operation models no ResourceNotFoundException.
 */
export async function listCertificatesByCA(input: ListCertificatesByCAInput, ctx: OperationContext) {
  const page = await ctx.registry.certificates.listCertificates(ctx.scope, {
    limit: input.pageSize ?? DEFAULT_PAGE_SIZE,
    ascending: input.ascendingOrder === true,
    caCertificateId: input.caCertificateId,
    ...(input.marker !== undefined && { after: decodeMarker(input.marker) }),
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
