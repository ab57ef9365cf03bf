import {
  type BooleanShape,
  type IntegerShape,
  member,
  type OperationModel,
  type StringShape,
  type StructureShape,
  structure,
  type TimestampShape,
} from './shapes.js';

/** AWS IoT control plane (rest-json, API version 2015-05-28): the shapes fleetca serves. */
export const SERVICE = {
  name: 'iot',
  apiVersion: '2015-05-28',
  signingName: 'iot',
} as const;

export const CERTIFICATE_STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const CERTIFICATE_MODES = ['DEFAULT', 'SNI_ONLY'] as const;
export type CertificateMode = (typeof CERTIFICATE_MODES)[number];

const certificateId: StringShape = { type: 'string', min: 64, max: 64, pattern: '(0x)?[a-fA-F0-9]+' };
const certificateArn: StringShape = { type: 'string' };
const certificatePem: StringShape = { type: 'string', min: 1, max: 65536, pattern: '[\\s\\S]*' };
const certificateSigningRequest: StringShape = { type: 'string', min: 1, max: 4096, pattern: '[\\s\\S]*' };
const certificateStatus: StringShape = { type: 'string', enum: CERTIFICATE_STATUSES };
const certificateMode: StringShape = { type: 'string', enum: CERTIFICATE_MODES };
const awsAccountId: StringShape = { type: 'string', min: 12, max: 12, pattern: '[0-9]+' };
const marker: StringShape = { type: 'string', max: 1024, pattern: '[A-Za-z0-9+/]+={0,2}' };
const message: StringShape = { type: 'string', max: 128 };
const pageSize: IntegerShape = { type: 'integer', min: 1, max: 250 };
const customerVersion: IntegerShape = { type: 'integer', min: 1 };
const plainString: StringShape = { type: 'string' };
const bool: BooleanShape = { type: 'boolean' };
const date: TimestampShape = { type: 'timestamp' };

const keyPair: StructureShape = structure({
  PublicKey: member({ type: 'string', min: 1 }, 'The public key, SubjectPublicKeyInfo PEM.'),
  PrivateKey: member({ type: 'string', min: 1, sensitive: true }, 'The private key, PKCS#1 PEM.'),
});

const validity: StructureShape = structure({
  notBefore: member(date, 'The certificate is not valid before this date.'),
  notAfter: member(date, 'The certificate is not valid after this date.'),
});

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

const COMMON_ERRORS = [
  'InvalidRequestException',
  'ThrottlingException',
  'UnauthorizedException',
  'ServiceUnavailableException',
  'InternalFailureException',
] as const;

const setAsActiveDoc = 'Specifies whether the certificate is active.';

export const CreateKeysAndCertificate: OperationModel = {
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

export const CreateCertificateFromCsr: OperationModel = {
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

export const DescribeCertificate: OperationModel = {
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

export const ListCertificates: OperationModel = {
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

export const UpdateCertificate: OperationModel = {
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

export const DeleteCertificate: OperationModel = {
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

/** Every operation fleetca serves, in the order help lists them. */
export const OPERATIONS: readonly OperationModel[] = [
  CreateCertificateFromCsr,
  CreateKeysAndCertificate,
  DeleteCertificate,
  DescribeCertificate,
  ListCertificates,
  UpdateCertificate,
];
