import { ListCertificatesByCA } from '../../model/certificates.js';
import { EXAMPLE_CA_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import type { PagingInput } from '../list-marker.js';
import { defineOperation } from '../operation.js';
import { certificatePage } from './list-certificates.js';

export interface ListCertificatesByCAInput extends PagingInput {
  readonly caCertificateId: string;
}

export const listCertificatesByCA = defineOperation({
  model: ListCertificatesByCA,
  run,
  cli: {
    examples: [
      {
        title: 'To list the certificates signed by a registered CA',
        description: 'Lists the device certificates whose issuer is the given CA certificate.',
        command: `fleetca iot list-certificates-by-ca --ca-certificate-id ${EXAMPLE_CA_CERTIFICATE_ID}`,
      },
    ],
  },
});

/**
 * The device certificates registered with one CA certificate, paged like ListCertificates. An unknown
 * (or deleted) CA simply has none: the operation models no ResourceNotFoundException.
 */
function run(input: ListCertificatesByCAInput, ctx: OperationContext) {
  return certificatePage(input, ctx, input.caCertificateId);
}
