import { certificateArn } from '../registry/certificate-record.js';
import type { OperationContext } from './context.js';
import { encodeMarker, type PagingInput, pageQuery } from './list-marker.js';

export type ListCertificatesInput = PagingInput;

/** Newest first unless ascendingOrder; pages are keyset seeks behind opaque markers. */
export function listCertificates(input: ListCertificatesInput, ctx: OperationContext) {
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
