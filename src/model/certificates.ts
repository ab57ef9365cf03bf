/** The certificate operations of the IoT model: issuing, describing, listing, status changes, registration. */

import { CERTIFICATE_STATUSES } from '../domain/certificates/certificate-status.js';
import {
  awsAccountId,
  bool,
  certificateArn,
  certificateId,
  certificateMode,
  certificatePem,
  certificateSigningRequest,
  customerVersion,
  date,
  keyPair,
  listPaginator,
  marker,
  markerMember,
  nextMarkerMember,
  pageSize,
  pageSizeMember,
  plainString,
  registeredOutput,
  validity,
} from './common-shapes.js';
import { COMMON_ERRORS } from './service.js';
import { member, type RestOperationModel, type StringShape, type StructureShape, structure } from './shapes.js';

const certificateStatus: StringShape = { type: 'string', enum: CERTIFICATE_STATUSES };
const message: StringShape = { type: 'string', max: 128 };

const transferData: StructureShape = structure({
  transferMessage: member(message, 'The transfer message.'),
  rejectReason: member(message, 'The reason why the transfer was rejected.'),
  transferDate: member(date, 'The date the transfer took place.'),
  acceptDate: member(date, 'The date the transfer was accepted.'),
  rejectDate: member(date, 'The date the transfer was rejected.'),
});

const certificateDescription: StructureShape = structure({
  certificateArn: member(certificateArn, 'The ARN of the certificate.'),
  certificateId: member(certificateId, 'The ID of the certificate.'),
  caCertificateId: member(certificateId, 'The certificate ID of the CA certificate used to sign this certificate.'),
  status: member(certificateStatus, 'The status of the certificate.'),
  certificatePem: member(certificatePem, 'The certificate data, in PEM format.'),
  ownedBy: member(awsAccountId, 'The ID of the account that owns the certificate.'),
  previousOwnedBy: member(awsAccountId, 'The ID of the account of the previous owner of the certificate.'),
  creationDate: member(date, 'The date and time the certificate was created.'),
  lastModifiedDate: member(date, 'The date and time the certificate was last modified.'),
  customerVersion: member(customerVersion, 'The customer version of the certificate.'),
  transferData: member(transferData, 'The transfer data.'),
  generationId: member(plainString, 'The generation ID of the certificate.'),
  validity: member(validity, 'When the certificate is valid.'),
  certificateMode: member(certificateMode, 'The mode of the certificate.'),
});

const certificateSummary: StructureShape = structure({
  certificateArn: member(certificateArn, 'The ARN of the certificate.'),
  certificateId: member(certificateId, 'The ID of the certificate.'),
  status: member(certificateStatus, 'The status of the certificate.'),
  certificateMode: member(certificateMode, 'The mode of the certificate.'),
  creationDate: member(date, 'The date and time the certificate was created.'),
});

const setAsActiveDoc = 'Specifies whether the certificate is active.';

export const CreateKeysAndCertificate: RestOperationModel = {
  name: 'CreateKeysAndCertificate',
  http: { method: 'POST', requestUri: '/keys-and-certificate' },
  input: structure({
    setAsActive: member(bool, setAsActiveDoc, { location: 'querystring', locationName: 'setAsActive' }),
  }),
  output: structure({
    certificateArn: member(certificateArn, 'The ARN of the certificate.'),
    certificateId: member(
      certificateId,
      'The ID of the certificate. The certificate ID is the SHA-256 hash of its DER encoding.',
    ),
    certificatePem: member(certificatePem, 'The certificate data, in PEM format.'),
    keyPair: member(keyPair, 'The generated key pair.'),
  }),
  errors: COMMON_ERRORS,
  documentation:
    'Creates a 2048-bit RSA key pair and issues an X.509 certificate using the issued public key. ' +
    'This is the only time the private key is returned: it is never stored.',
};

export const CreateCertificateFromCsr: RestOperationModel = {
  name: 'CreateCertificateFromCsr',
  http: { method: 'POST', requestUri: '/certificates' },
  input: structure(
    {
      certificateSigningRequest: member(
        certificateSigningRequest,
        'The certificate signing request (CSR), in PEM format.',
      ),
      setAsActive: member(bool, setAsActiveDoc, { location: 'querystring', locationName: 'setAsActive' }),
    },
    ['certificateSigningRequest'],
  ),
  output: structure({
    certificateArn: member(certificateArn, 'The Amazon Resource Name (ARN) of the certificate.'),
    certificateId: member(certificateId, 'The ID of the certificate.'),
    certificatePem: member(certificatePem, 'The certificate data, in PEM format.'),
  }),
  errors: COMMON_ERRORS,
  documentation:
    'Creates an X.509 certificate for the subject and public key of a certificate signing request. ' +
    'The key must be RSA (2048 bits or more) or EC on P-256, P-384 or P-521.',
};

export const DescribeCertificate: RestOperationModel = {
  name: 'DescribeCertificate',
  http: { method: 'GET', requestUri: '/certificates/{certificateId}' },
  input: structure(
    {
      certificateId: member(certificateId, 'The ID of the certificate (the SHA-256 of its DER encoding).', {
        location: 'uri',
        locationName: 'certificateId',
      }),
    },
    ['certificateId'],
  ),
  output: structure({
    certificateDescription: member(certificateDescription, 'The description of the certificate.'),
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  documentation: 'Gets information about the specified certificate.',
};

export const ListCertificates: RestOperationModel = {
  name: 'ListCertificates',
  http: { method: 'GET', requestUri: '/certificates' },
  input: structure({
    pageSize: member(pageSize, 'The result page size.', { location: 'querystring', locationName: 'pageSize' }),
    marker: member(marker, 'The marker for the next set of results.', {
      location: 'querystring',
      locationName: 'marker',
    }),
    ascendingOrder: member(
      bool,
      'Specifies the order for results. If True, the results are returned in ascending order, based on the creation date.',
      {
        location: 'querystring',
        locationName: 'isAscendingOrder',
      },
    ),
  }),
  output: structure({
    certificates: member({ type: 'list', member: certificateSummary }, 'The descriptions of the certificates.'),
    nextMarker: member(marker, 'The marker for the next set of results, or null if there are no additional results.'),
  }),
  errors: COMMON_ERRORS,
  paginator: { inputToken: 'marker', outputToken: 'nextMarker', limitKey: 'pageSize', resultKey: 'certificates' },
  documentation: 'Lists the certificates registered in your account, newest first unless ascending order is asked for.',
};

export const UpdateCertificate: RestOperationModel = {
  name: 'UpdateCertificate',
  http: { method: 'PUT', requestUri: '/certificates/{certificateId}' },
  input: structure(
    {
      certificateId: member(certificateId, 'The ID of the certificate (the SHA-256 of its DER encoding).', {
        location: 'uri',
        locationName: 'certificateId',
      }),
      newStatus: member(
        certificateStatus,
        'The new status. PENDING_TRANSFER and PENDING_ACTIVATION cannot be set; REVOKED is final.',
        {
          location: 'querystring',
          locationName: 'newStatus',
        },
      ),
    },
    ['certificateId', 'newStatus'],
  ),
  errors: ['ResourceNotFoundException', 'CertificateStateException', ...COMMON_ERRORS],
  documentation: 'Updates the status of the specified certificate. This operation is idempotent.',
};

export const DeleteCertificate: RestOperationModel = {
  name: 'DeleteCertificate',
  http: { method: 'DELETE', requestUri: '/certificates/{certificateId}' },
  input: structure(
    {
      certificateId: member(certificateId, 'The ID of the certificate (the SHA-256 of its DER encoding).', {
        location: 'uri',
        locationName: 'certificateId',
      }),
      forceDelete: member(
        bool,
        'Forces the deletion of a certificate if it is inactive and is not attached to an IoT thing.',
        {
          location: 'querystring',
          locationName: 'forceDelete',
        },
      ),
    },
    ['certificateId'],
  ),
  errors: ['CertificateStateException', 'DeleteConflictException', ...COMMON_ERRORS, 'ResourceNotFoundException'],
  documentation: 'Deletes the specified certificate. A certificate must not be ACTIVE to be deleted.',
};

export const ListCertificatesByCA: RestOperationModel = {
  name: 'ListCertificatesByCA',
  http: { method: 'GET', requestUri: '/certificates-by-ca/{caCertificateId}' },
  input: structure(
    {
      caCertificateId: member(certificateId, 'The ID of the CA certificate whose device certificates to list.', {
        location: 'uri',
        locationName: 'caCertificateId',
      }),
      pageSize: pageSizeMember,
      marker: markerMember,
      ascendingOrder: member(bool, 'When true, the oldest certificates come first; by default the newest do.', {
        location: 'querystring',
        locationName: 'isAscendingOrder',
      }),
    },
    ['caCertificateId'],
  ),
  output: structure({
    certificates: member(
      { type: 'list', member: certificateSummary },
      'The device certificates registered with the CA certificate.',
    ),
    nextMarker: nextMarkerMember,
  }),
  errors: COMMON_ERRORS,
  paginator: listPaginator,
  documentation: 'Lists the device certificates that were registered with the given CA certificate.',
};

export const RegisterCertificate: RestOperationModel = {
  name: 'RegisterCertificate',
  http: { method: 'POST', requestUri: '/certificate/register' },
  input: structure(
    {
      certificatePem: member(certificatePem, 'The device certificate, in PEM format.'),
      caCertificatePem: member(
        certificatePem,
        'The registered CA certificate that signed the device certificate; needed when several registered CAs share its issuer name.',
      ),
      setAsActive: member(
        bool,
        'Deprecated: use status. When true and no status is given, the certificate starts ACTIVE.',
        {
          location: 'querystring',
          locationName: 'setAsActive',
        },
      ),
      status: member(certificateStatus, 'The status to register the certificate with: ACTIVE, INACTIVE or REVOKED.'),
    },
    ['certificatePem'],
  ),
  output: registeredOutput('certificate'),
  errors: [
    'ResourceAlreadyExistsException',
    'InvalidRequestException',
    'CertificateValidationException',
    'CertificateStateException',
    'CertificateConflictException',
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
  ],
  documentation:
    'Registers a device certificate signed by a CA certificate registered in this account and region. ' +
    'The device certificate takes the mode of its CA.',
};

export const RegisterCertificateWithoutCA: RestOperationModel = {
  name: 'RegisterCertificateWithoutCA',
  http: { method: 'POST', requestUri: '/certificate/register-no-ca' },
  input: structure(
    {
      certificatePem: member(certificatePem, 'The device certificate, in PEM format.'),
      status: member(certificateStatus, 'The status to register the certificate with.'),
    },
    ['certificatePem'],
  ),
  output: registeredOutput('certificate'),
  errors: [
    'ResourceAlreadyExistsException',
    'InvalidRequestException',
    'CertificateStateException',
    'CertificateValidationException',
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
  ],
  documentation:
    'Registers a device certificate without checking who issued it. Such certificates are in SNI_ONLY mode: ' +
    'devices using them must send the Server Name Indication extension.',
};
