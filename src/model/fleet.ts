/**
 * fleetca's own certificate operations (not AWS IoT's): searching the registry and its statistics, for the web
 * console and `fleetca fleet`. SigV4-signed REST under /fleetca/, in the caller's account and region, with the IoT
 * API's conventions: camelCase members, timestamps as epoch seconds in bodies and ISO 8601 in query strings.
 */

import { CERTIFICATE_SORT_KEYS } from '../domain/certificates/certificate-search.js';
import { MAX_ISSUANCE_BUCKETS, STATISTICS_INTERVALS } from '../domain/certificates/certificate-statistics.js';
import { CERTIFICATE_STATUSES } from '../domain/certificates/certificate-status.js';
import {
  bool,
  certificateArn,
  certificateId,
  certificateMode,
  date,
  listPaginator,
  markerMember,
  nextMarkerMember,
  pageSizeMember,
  validity,
} from './common-shapes.js';
import { COMMON_ERRORS } from './service.js';
import {
  type IntegerShape,
  member,
  type RestOperationModel,
  type StringShape,
  type StructureShape,
  structure,
} from './shapes.js';

const certificateStatus: StringShape = { type: 'string', enum: CERTIFICATE_STATUSES };
const sortKey: StringShape = { type: 'string', enum: CERTIFICATE_SORT_KEYS };
const interval: StringShape = { type: 'string', enum: STATISTICS_INTERVALS };
/** Certificate ids are lowercase hex (SHA-256 of the DER); a prefix of one is 1 to 64 of those characters. */
const idPrefix: StringShape = { type: 'string', min: 1, max: 64, pattern: '[0-9a-f]+' };
const count: IntegerShape = { type: 'integer', min: 0 };
const query = (name: string) => ({ location: 'querystring', locationName: name }) as const;

const certificateFound: StructureShape = structure({
  certificateId: member(certificateId, 'The ID of the certificate.'),
  certificateArn: member(certificateArn, 'The ARN of the certificate.'),
  status: member(certificateStatus, 'The status of the certificate.'),
  certificateMode: member(certificateMode, 'The mode of the certificate.'),
  caCertificateId: member(certificateId, 'The registered CA certificate it was registered with, if any.'),
  creationDate: member(date, 'The date and time the certificate was created.'),
  validity: member(validity, 'When the certificate is valid.'),
});

export const SearchCertificates: RestOperationModel = {
  name: 'SearchCertificates',
  http: { method: 'GET', requestUri: '/fleetca/certificates' },
  input: structure({
    idPrefix: member(idPrefix, 'Only certificates whose ID starts with these lowercase hex digits.', query('idPrefix')),
    status: member(certificateStatus, 'Only certificates with this status.', query('status')),
    caCertificateId: member(
      certificateId,
      'Only certificates registered with this CA certificate.',
      query('caCertificateId'),
    ),
    createdAfter: member(date, 'Only certificates created at or after this time.', query('createdAfter')),
    createdBefore: member(date, 'Only certificates created before this time.', query('createdBefore')),
    expiresBefore: member(date, 'Only certificates whose validity ends before this time.', query('expiresBefore')),
    sortBy: member(
      sortKey,
      'The order of the results: CREATION_DATE (the default), CERTIFICATE_ID or NOT_AFTER, each then by ID.',
      query('sortBy'),
    ),
    ascendingOrder: member(
      bool,
      'When true, the lowest values come first; by default the newest (highest) do.',
      query('ascendingOrder'),
    ),
    pageSize: pageSizeMember,
    marker: markerMember,
  }),
  output: structure({
    certificates: member({ type: 'list', member: certificateFound }, 'The certificates found, in the order asked.'),
    nextMarker: nextMarkerMember,
  }),
  errors: COMMON_ERRORS,
  paginator: listPaginator,
  documentation:
    'Searches the certificates of the account and region by ID prefix, status, CA certificate, creation and ' +
    'expiry dates, in the order asked. Each call examines a bounded number of certificates, so a page may hold ' +
    'fewer than pageSize results and still carry a nextMarker: keep asking while nextMarker is present.',
};

const statusCount: StructureShape = structure({
  status: member(certificateStatus, 'A certificate status.'),
  count: member(count, 'How many certificates have it.'),
});

const issuanceBucket: StructureShape = structure({
  start: member(date, 'The start of the bucket (UTC).'),
  count: member(count, 'How many certificates were created in it.'),
});

export const GetCertificateStatistics: RestOperationModel = {
  name: 'GetCertificateStatistics',
  http: { method: 'GET', requestUri: '/fleetca/certificate-statistics' },
  input: structure({
    interval: member(interval, 'The size of the issuance buckets: HOUR or DAY (the default).', query('interval')),
    since: member(
      date,
      `The start of the issuance counts: by default 30 days ago for DAY, 48 hours ago for HOUR; at most ${MAX_ISSUANCE_BUCKETS} buckets back.`,
      query('since'),
    ),
    expiringWithinDays: member(
      { type: 'integer', min: 1, max: 3650 },
      'How many days ahead expiringSoon looks (default 30).',
      query('expiringWithinDays'),
    ),
  }),
  output: structure({
    total: member(count, 'How many certificates the account has in the region.'),
    countsByStatus: member(
      { type: 'list', member: statusCount },
      'The number of certificates of every status, zeros included, in the order of the status vocabulary.',
    ),
    issuance: member(
      { type: 'list', member: issuanceBucket },
      "Certificates created per UTC bucket, from since's bucket to now's, zeros included, oldest first.",
    ),
    interval: member(interval, 'The size of the issuance buckets.'),
    expiringSoon: member(count, 'Certificates whose validity ends from now to expiringWithinDays ahead, any status.'),
    expired: member(count, 'Certificates whose validity has ended, still registered.'),
  }),
  errors: COMMON_ERRORS,
  documentation:
    'Counts the certificates of the account and region: by status, created per hour or day, expiring soon ' +
    'and expired.',
};
