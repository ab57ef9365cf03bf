/** Shapes and members several resources of the IoT model share (certificates, CA certificates, templates, the device door). */

import { CERTIFICATE_MODES } from '../domain/certificates/certificate-status.js';
import {
  type BooleanShape,
  type IntegerShape,
  member,
  type StringShape,
  type StructureShape,
  structure,
  type TimestampShape,
} from './shapes.js';

export const certificateId: StringShape = { type: 'string', min: 64, max: 64, pattern: '(0x)?[a-fA-F0-9]+' };
export const certificateArn: StringShape = { type: 'string' };
export const certificatePem: StringShape = { type: 'string', min: 1, max: 65536, pattern: '[\\s\\S]*' };
/** A CSR in PEM, as CreateCertificateFromCsr takes it on the REST and the MQTT door. */
export const certificateSigningRequest: StringShape = { type: 'string', min: 1, max: 4096, pattern: '[\\s\\S]*' };
export const certificateMode: StringShape = { type: 'string', enum: CERTIFICATE_MODES };
export const awsAccountId: StringShape = { type: 'string', min: 12, max: 12, pattern: '[0-9]+' };
export const marker: StringShape = { type: 'string', max: 1024, pattern: '[A-Za-z0-9+/]+={0,2}' };
export const pageSize: IntegerShape = { type: 'integer', min: 1, max: 250 };
export const customerVersion: IntegerShape = { type: 'integer', min: 1 };
export const plainString: StringShape = { type: 'string' };
export const bool: BooleanShape = { type: 'boolean' };
export const date: TimestampShape = { type: 'timestamp' };

export const keyPair: StructureShape = structure({
  PublicKey: member({ type: 'string', min: 1 }, 'The public key, SubjectPublicKeyInfo PEM.'),
  PrivateKey: member({ type: 'string', min: 1, sensitive: true }, 'The private key, PKCS#1 PEM.'),
});

export const validity: StructureShape = structure({
  notBefore: member(date, 'The certificate is not valid before this date.'),
  notAfter: member(date, 'The certificate is not valid after this date.'),
});

export const templateName: StringShape = { type: 'string', min: 1, max: 36, pattern: '^[0-9A-Za-z_-]+$' };

export const tag: StructureShape = structure(
  {
    Key: member({ type: 'string', min: 1, max: 128, pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$' }, 'The tag key.'),
    Value: member({ type: 'string', min: 0, max: 256 }, 'The tag value.'),
  },
  ['Key'],
);

/** The paging members and paginator of the marker-paged listings (ListCertificatesByCA, ListCACertificates). */
export const pageSizeMember = member(pageSize, 'The largest number of results to return in one page.', {
  location: 'querystring',
  locationName: 'pageSize',
});
export const markerMember = member(marker, 'The marker returned by the previous page, to fetch the next one.', {
  location: 'querystring',
  locationName: 'marker',
});
export const nextMarkerMember = member(marker, 'The marker of the next page; absent when there are no more results.');
export const listPaginator = {
  inputToken: 'marker',
  outputToken: 'nextMarker',
  limitKey: 'pageSize',
  resultKey: 'certificates',
} as const;

/** The output of RegisterCertificate, RegisterCertificateWithoutCA and RegisterCACertificate. */
export const registeredOutput = (what: string) =>
  structure({
    certificateArn: member(certificateArn, `The ARN of the registered ${what}.`),
    certificateId: member(certificateId, `The ID of the registered ${what} (the SHA-256 of its DER encoding).`),
  });
