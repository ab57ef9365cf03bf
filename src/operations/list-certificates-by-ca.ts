import type { OperationContext } from './context.js';
import { certificatePage } from './list-certificates.js';
import type { PagingInput } from './list-marker.js';

export interface ListCertificatesByCAInput extends PagingInput {
  readonly caCertificateId: string;
}

/**
 * The device certificates registered with one CA certificate, paged like ListCertificates. An unknown
 * (or deleted) CA simply has none: the operation models no ResourceNotFoundException.
 */
export function listCertificatesByCA(input: ListCertificatesByCAInput, ctx: OperationContext) {
  return certificatePage(input, ctx, input.caCertificateId);
}
