import { certificateArn } from '../../domain/certificates/certificate-record.js';
import type { CertificateSortKey } from '../../domain/certificates/certificate-search.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import { SearchCertificates } from '../../model/fleet.js';
import type { CertificateSearchHit } from '../../registry/certificate-search.js';
import { EXAMPLE_CA_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { decodeSearchMarker, encodeSearchMarker, type SearchIdentity } from './search-marker.js';

/** The page size when the request gives none. */
const DEFAULT_PAGE_SIZE = 25;
/**
 * The most index entries one call examines, whatever its filters: a page stays a few milliseconds' work at
 * 1,000,000 certificates even when its filters match almost nothing (it then ends early, with a nextMarker).
 */
export const SEARCH_SCAN_LIMIT = 5000;

export interface SearchCertificatesInput {
  readonly idPrefix?: string;
  readonly status?: CertificateStatus;
  readonly caCertificateId?: string;
  readonly createdAfter?: number;
  readonly createdBefore?: number;
  readonly expiresBefore?: number;
  readonly sortBy?: CertificateSortKey;
  readonly ascendingOrder?: boolean;
  readonly pageSize?: number;
  readonly marker?: string;
}

export const searchCertificates = defineOperation({
  model: SearchCertificates,
  run,
  cli: {
    examples: [
      {
        title: 'To find certificates by the start of their ID',
        description: 'Every certificate whose ID starts with the hex digits given, newest first.',
        command: 'fleetca fleet search-certificates --id-prefix f2d4b0',
      },
      {
        title: 'To list the revoked certificates of a CA, soonest to expire first',
        description: 'Filters combine; pages may be short, and the CLI keeps asking while there is a nextMarker.',
        command: `fleetca fleet search-certificates --status REVOKED --ca-certificate-id ${EXAMPLE_CA_CERTIFICATE_ID} --sort-by NOT_AFTER --ascending-order`,
      },
    ],
  },
});

async function run(input: SearchCertificatesInput, ctx: OperationContext) {
  const search = searchOf(input);
  const page = await ctx.registry.certificates.searchCertificates(ctx.scope, {
    ...search,
    limit: input.pageSize ?? DEFAULT_PAGE_SIZE,
    scanLimit: SEARCH_SCAN_LIMIT,
    ...(input.marker !== undefined && { after: decodeSearchMarker(input.marker, search) }),
  });
  return {
    certificates: page.records.map(certificateFound),
    nextMarker: page.next && encodeSearchMarker(page.next, search),
  };
}

/** The search the input asks for, defaults applied; a CA id in either case (ids are kept in lowercase). */
function searchOf(input: SearchCertificatesInput): SearchIdentity & { readonly status?: CertificateStatus } {
  return {
    sortBy: input.sortBy ?? 'CREATION_DATE',
    ascending: input.ascendingOrder === true,
    ...(input.idPrefix !== undefined && { idPrefix: input.idPrefix }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.caCertificateId !== undefined && { caCertificateId: input.caCertificateId.toLowerCase() }),
    ...(input.createdAfter !== undefined && { createdFrom: input.createdAfter }),
    ...(input.createdBefore !== undefined && { createdBefore: input.createdBefore }),
    ...(input.expiresBefore !== undefined && { expiresBefore: input.expiresBefore }),
  };
}

function certificateFound(hit: CertificateSearchHit) {
  return {
    certificateId: hit.certificateId,
    certificateArn: certificateArn(hit, hit.certificateId),
    status: hit.status,
    certificateMode: hit.certificateMode,
    caCertificateId: hit.caCertificateId,
    creationDate: hit.creationDate,
    validity: { notBefore: hit.notBefore, notAfter: hit.notAfter },
  };
}
