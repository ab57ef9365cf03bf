import {
  AUTO_REGISTRATION_STATUSES,
  CA_CERTIFICATE_STATUSES,
} from '../domain/ca-certificates/ca-certificate-status.js';
import { CERTIFICATE_MODES, CERTIFICATE_STATUSES } from '../domain/certificates/certificate-status.js';
import { TEMPLATE_TYPES } from '../domain/provisioning/template-type.js';
import { THING_PRINCIPAL_TYPES } from '../domain/things/thing-principal-type.js';
import {
  type BooleanShape,
  type IntegerShape,
  type MapShape,
  member,
  type RestOperationModel,
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

const caCertificateStatus: StringShape = { type: 'string', enum: CA_CERTIFICATE_STATUSES };
const autoRegistrationStatus: StringShape = { type: 'string', enum: AUTO_REGISTRATION_STATUSES };
const templateName: StringShape = { type: 'string', min: 1, max: 36, pattern: '^[0-9A-Za-z_-]+$' };

const registrationConfig: StructureShape = structure({
  templateBody: member(
    { type: 'string', min: 0, max: 10240, pattern: '[\\s\\S]*' },
    'The body of the provisioning template applied to certificates this CA registers automatically.',
  ),
  roleArn: member({ type: 'string', min: 20, max: 2048 }, 'The ARN of the role the template runs as.'),
  templateName: member(templateName, 'The name of a provisioning template to use instead of a template body.'),
});

const tag: StructureShape = structure(
  {
    Key: member({ type: 'string', min: 1, max: 128, pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$' }, 'The tag key.'),
    Value: member({ type: 'string', min: 0, max: 256 }, 'The tag value.'),
  },
  ['Key'],
);

const caCertificateDescription: StructureShape = structure({
  certificateArn: member(certificateArn, 'The ARN of the CA certificate.'),
  certificateId: member(certificateId, 'The ID of the CA certificate (the SHA-256 of its DER encoding).'),
  status: member(caCertificateStatus, 'Whether the CA certificate is ACTIVE or INACTIVE.'),
  certificatePem: member(certificatePem, 'The CA certificate, in PEM format.'),
  ownedBy: member(awsAccountId, 'The ID of the account that registered the CA certificate.'),
  creationDate: member(date, 'When the CA certificate was registered.'),
  autoRegistrationStatus: member(
    autoRegistrationStatus,
    'ENABLE when device certificates signed by this CA may be registered automatically, else DISABLE.',
  ),
  lastModifiedDate: member(date, 'When the CA certificate was last changed.'),
  customerVersion: member(customerVersion, 'The version of the CA certificate record, one more on every change.'),
  generationId: member(plainString, 'Identifies the current generation of the CA certificate record.'),
  validity: member(validity, 'The validity period written in the CA certificate.'),
  certificateMode: member(
    certificateMode,
    'The mode of the CA; device certificates registered with it are registered in the same mode.',
  ),
});

const caCertificateSummary: StructureShape = structure({
  certificateArn: member(certificateArn, 'The ARN of the CA certificate.'),
  certificateId: member(certificateId, 'The ID of the CA certificate.'),
  status: member(caCertificateStatus, 'The status of the CA certificate.'),
  creationDate: member(date, 'When the CA certificate was registered.'),
});

const COMMON_ERRORS = [
  'InvalidRequestException',
  'ThrottlingException',
  'UnauthorizedException',
  'ServiceUnavailableException',
  'InternalFailureException',
] as const;

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

const pageSizeMember = member(pageSize, 'The largest number of results to return in one page.', {
  location: 'querystring',
  locationName: 'pageSize',
});
const markerMember = member(marker, 'The marker returned by the previous page, to fetch the next one.', {
  location: 'querystring',
  locationName: 'marker',
});
const nextMarkerMember = member(marker, 'The marker of the next page; absent when there are no more results.');
const listPaginator = {
  inputToken: 'marker',
  outputToken: 'nextMarker',
  limitKey: 'pageSize',
  resultKey: 'certificates',
} as const;

/** The caCertificateId URI label that DescribeCACertificate, UpdateCACertificate and DeleteCACertificate share. */
const caCertificateIdMember = member(certificateId, 'The ID of the CA certificate (the SHA-256 of its DER encoding).', {
  location: 'uri',
  locationName: 'caCertificateId',
});

const registeredOutput = (what: string) =>
  structure({
    certificateArn: member(certificateArn, `The ARN of the registered ${what}.`),
    certificateId: member(certificateId, `The ID of the registered ${what} (the SHA-256 of its DER encoding).`),
  });

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

export const RegisterCACertificate: RestOperationModel = {
  name: 'RegisterCACertificate',
  http: { method: 'POST', requestUri: '/cacertificate' },
  input: structure(
    {
      caCertificate: member(certificatePem, 'The CA certificate, in PEM format.'),
      verificationCertificate: member(
        certificatePem,
        'A certificate signed by the CA key whose common name is the account registration code: proof of ' +
          'possession of the CA key. Required in DEFAULT mode, not allowed in SNI_ONLY mode.',
      ),
      setAsActive: member(bool, 'When true, the CA certificate starts ACTIVE; otherwise INACTIVE.', {
        location: 'querystring',
        locationName: 'setAsActive',
      }),
      allowAutoRegistration: member(
        bool,
        'When true, device certificates signed by this CA may be registered automatically.',
        {
          location: 'querystring',
          locationName: 'allowAutoRegistration',
        },
      ),
      registrationConfig: member(registrationConfig, 'How automatically registered certificates are provisioned.'),
      tags: member({ type: 'list', member: tag }, 'Tags to attach to the CA certificate.'),
      certificateMode: member(
        certificateMode,
        'DEFAULT (the default; needs a verification certificate) or SNI_ONLY (no verification certificate).',
      ),
    },
    ['caCertificate'],
  ),
  output: registeredOutput('CA certificate'),
  errors: [
    'ResourceNotFoundException',
    'ResourceAlreadyExistsException',
    'RegistrationCodeValidationException',
    'InvalidRequestException',
    'CertificateValidationException',
    'ThrottlingException',
    'LimitExceededException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
  ],
  documentation:
    'Registers a CA certificate, so that device certificates it signed can be registered. At most 10 CA ' +
    'certificates with the same subject can be registered per account and region.',
};

export const DescribeCACertificate: RestOperationModel = {
  name: 'DescribeCACertificate',
  http: { method: 'GET', requestUri: '/cacertificate/{caCertificateId}' },
  input: structure({ certificateId: caCertificateIdMember }, ['certificateId']),
  output: structure({
    certificateDescription: member(caCertificateDescription, 'The description of the CA certificate.'),
    registrationConfig: member(registrationConfig, 'The automatic registration configuration of the CA certificate.'),
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  documentation: 'Gets information about a registered CA certificate.',
};

export const ListCACertificates: RestOperationModel = {
  name: 'ListCACertificates',
  http: { method: 'GET', requestUri: '/cacertificates' },
  input: structure({
    pageSize: pageSizeMember,
    marker: markerMember,
    ascendingOrder: member(bool, 'When true, the oldest CA certificates come first; by default the newest do.', {
      location: 'querystring',
      locationName: 'isAscendingOrder',
    }),
    templateName: member(
      templateName,
      'Only list CA certificates whose registration uses this provisioning template.',
      {
        location: 'querystring',
        locationName: 'templateName',
      },
    ),
  }),
  output: structure({
    certificates: member({ type: 'list', member: caCertificateSummary }, 'The registered CA certificates.'),
    nextMarker: nextMarkerMember,
  }),
  errors: COMMON_ERRORS,
  paginator: listPaginator,
  documentation: 'Lists the CA certificates registered in this account and region, 25 per page by default.',
};

export const UpdateCACertificate: RestOperationModel = {
  name: 'UpdateCACertificate',
  http: { method: 'PUT', requestUri: '/cacertificate/{caCertificateId}' },
  input: structure(
    {
      certificateId: caCertificateIdMember,
      newStatus: member(caCertificateStatus, 'The new status: ACTIVE or INACTIVE.', {
        location: 'querystring',
        locationName: 'newStatus',
      }),
      newAutoRegistrationStatus: member(autoRegistrationStatus, 'The new automatic registration status.', {
        location: 'querystring',
        locationName: 'newAutoRegistrationStatus',
      }),
      registrationConfig: member(registrationConfig, 'The new automatic registration configuration.'),
      removeAutoRegistration: member(bool, 'When true, removes the automatic registration configuration.'),
    },
    ['certificateId'],
  ),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Changes the status, automatic registration status or registration configuration of a CA certificate.',
};

export const DeleteCACertificate: RestOperationModel = {
  name: 'DeleteCACertificate',
  http: { method: 'DELETE', requestUri: '/cacertificate/{caCertificateId}' },
  input: structure({ certificateId: caCertificateIdMember }, ['certificateId']),
  errors: [
    'InvalidRequestException',
    'CertificateStateException',
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
    'ResourceNotFoundException',
  ],
  documentation: 'Deletes a registered CA certificate. It must not be ACTIVE.',
};

export const GetRegistrationCode: RestOperationModel = {
  name: 'GetRegistrationCode',
  http: { method: 'GET', requestUri: '/registrationcode' },
  input: structure({}),
  output: structure({
    registrationCode: member(
      { type: 'string', min: 64, max: 64, pattern: '(0x)?[a-fA-F0-9]+' },
      'The code a verification certificate must carry as its common name.',
    ),
  }),
  errors: [
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
    'InvalidRequestException',
  ],
  documentation:
    'Returns the registration code of this account and region, used to prove possession of a CA key when ' +
    'registering the CA. The code is created by the first call and stays the same afterwards.',
};

export const DescribeEndpoint: RestOperationModel = {
  name: 'DescribeEndpoint',
  http: { method: 'GET', requestUri: '/endpoint' },
  input: structure({
    endpointType: member(
      { type: 'string', max: 128, pattern: '[\\s\\S]*' },
      'iot:Data (legacy data endpoint), iot:Data-ATS (data endpoint with an Amazon Trust Services certificate), ' +
        'iot:CredentialProvider or iot:Jobs. Without it, the legacy data endpoint is returned.',
      { location: 'querystring', locationName: 'endpointType' },
    ),
  }),
  output: structure({
    endpointAddress: member(plainString, 'The host name of the endpoint.'),
  }),
  errors: ['InternalFailureException', 'InvalidRequestException', 'UnauthorizedException', 'ThrottlingException'],
  documentation:
    'Returns the endpoint of this account and region for the given type. The endpoint is created by the first ' +
    'call and stays the same afterwards.',
};

const templateArn: StringShape = { type: 'string' };
const templateDescription: StringShape = { type: 'string', min: 0, max: 500, pattern: '[^\\p{C}]*' };
const templateBody: StringShape = { type: 'string', min: 0, max: 10240, pattern: '[\\s\\S]*' };
const roleArn: StringShape = { type: 'string', min: 20, max: 2048 };
const templateVersionId: IntegerShape = { type: 'integer' };

const templateType: StringShape = { type: 'string', enum: TEMPLATE_TYPES };

const provisioningHook: StructureShape = structure(
  {
    payloadVersion: member(
      { type: 'string', min: 10, max: 32, pattern: '^[0-9-]+$' },
      'The payload version sent to the hook function. Stored and returned; fleetca never invokes the hook.',
    ),
    targetArn: member({ type: 'string', max: 2048 }, 'The ARN of the hook function (Lambda).'),
  },
  ['targetArn'],
);

const templateNameInUri = (documentation: string) =>
  member(templateName, documentation, { location: 'uri', locationName: 'templateName' });

const provisioningTemplateSummary: StructureShape = structure({
  templateArn: member(templateArn, 'The ARN of the provisioning template.'),
  templateName: member(templateName, 'The name of the provisioning template.'),
  description: member(templateDescription, 'The description of the provisioning template.'),
  creationDate: member(date, 'When the provisioning template was created.'),
  lastModifiedDate: member(date, 'When the provisioning template was last modified.'),
  enabled: member(bool, 'True when the provisioning template is enabled.'),
  type: member(templateType, 'FLEET_PROVISIONING or JITP.'),
});

export const CreateProvisioningTemplate: RestOperationModel = {
  name: 'CreateProvisioningTemplate',
  http: { method: 'POST', requestUri: '/provisioning-templates' },
  input: structure(
    {
      templateName: member(templateName, 'The name of the provisioning template.'),
      description: member(templateDescription, 'The description of the provisioning template.'),
      templateBody: member(templateBody, 'The JSON formatted contents of the provisioning template.'),
      enabled: member(bool, 'True to enable the provisioning template, otherwise false.'),
      provisioningRoleArn: member(
        roleArn,
        'The ARN of the role the template provisions devices as. Stored and returned; fleetca does not call IAM.',
      ),
      preProvisioningHook: member(
        provisioningHook,
        'A pre-provisioning hook (FLEET_PROVISIONING templates only). Stored and returned; fleetca never invokes it.',
      ),
      tags: member({ type: 'list', member: tag }, 'Tags to attach to the provisioning template.'),
      type: member(templateType, 'FLEET_PROVISIONING (the default) or JITP; it cannot be changed afterwards.'),
    },
    ['templateName', 'templateBody', 'provisioningRoleArn'],
  ),
  output: structure({
    templateArn: member(templateArn, 'The ARN of the provisioning template.'),
    templateName: member(templateName, 'The name of the provisioning template.'),
    defaultVersionId: member(templateVersionId, 'The default version of the provisioning template.'),
  }),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'LimitExceededException',
    'ThrottlingException',
    'UnauthorizedException',
    'ResourceAlreadyExistsException',
  ],
  documentation: 'Creates a provisioning template. The template body must be a valid provisioning template.',
};

export const DescribeProvisioningTemplate: RestOperationModel = {
  name: 'DescribeProvisioningTemplate',
  http: { method: 'GET', requestUri: '/provisioning-templates/{templateName}' },
  input: structure({ templateName: templateNameInUri('The name of the provisioning template.') }, ['templateName']),
  output: structure({
    templateArn: member(templateArn, 'The ARN of the provisioning template.'),
    templateName: member(templateName, 'The name of the provisioning template.'),
    description: member(templateDescription, 'The description of the provisioning template.'),
    creationDate: member(date, 'When the provisioning template was created.'),
    lastModifiedDate: member(date, 'When the provisioning template was last modified.'),
    defaultVersionId: member(templateVersionId, 'The default version of the provisioning template.'),
    templateBody: member(templateBody, 'The JSON formatted contents of the provisioning template.'),
    enabled: member(bool, 'True when the provisioning template is enabled.'),
    provisioningRoleArn: member(roleArn, 'The ARN of the role associated with the provisioning template.'),
    preProvisioningHook: member(provisioningHook, 'The pre-provisioning hook, when there is one.'),
    type: member(templateType, 'FLEET_PROVISIONING or JITP.'),
  }),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'ResourceNotFoundException',
    'ThrottlingException',
    'UnauthorizedException',
  ],
  documentation: 'Returns information about a provisioning template.',
};

export const ListProvisioningTemplates: RestOperationModel = {
  name: 'ListProvisioningTemplates',
  http: { method: 'GET', requestUri: '/provisioning-templates' },
  input: structure({
    maxResults: member({ type: 'integer', min: 1, max: 250 }, 'The largest number of results to return at once.', {
      location: 'querystring',
      locationName: 'maxResults',
    }),
    nextToken: member(plainString, 'The token of the next page, from the previous page.', {
      location: 'querystring',
      locationName: 'nextToken',
    }),
  }),
  output: structure({
    templates: member({ type: 'list', member: provisioningTemplateSummary }, 'The provisioning templates.'),
    nextToken: member(plainString, 'The token of the next page; absent when there are no more results.'),
  }),
  errors: ['InternalFailureException', 'InvalidRequestException', 'ThrottlingException', 'UnauthorizedException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'templates' },
  documentation: 'Lists the provisioning templates of this account and region, by name.',
};

export const UpdateProvisioningTemplate: RestOperationModel = {
  name: 'UpdateProvisioningTemplate',
  http: { method: 'PATCH', requestUri: '/provisioning-templates/{templateName}' },
  input: structure(
    {
      templateName: templateNameInUri('The name of the provisioning template.'),
      description: member(templateDescription, 'The new description.'),
      enabled: member(bool, 'True to enable the provisioning template, otherwise false.'),
      defaultVersionId: member(templateVersionId, 'The ID of the default provisioning template version.'),
      provisioningRoleArn: member(roleArn, 'The new provisioning role ARN (stored, never assumed).'),
      preProvisioningHook: member(provisioningHook, 'The new pre-provisioning hook (stored, never invoked).'),
      removePreProvisioningHook: member(bool, 'True to remove the pre-provisioning hook.'),
    },
    ['templateName'],
  ),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'ResourceNotFoundException',
    'UnauthorizedException',
    'ConflictingResourceUpdateException',
  ],
  documentation: 'Updates a provisioning template. Its body and type cannot be changed.',
};

export const DeleteProvisioningTemplate: RestOperationModel = {
  name: 'DeleteProvisioningTemplate',
  http: { method: 'DELETE', requestUri: '/provisioning-templates/{templateName}' },
  input: structure({ templateName: templateNameInUri('The name of the provisioning template to delete.') }, [
    'templateName',
  ]),
  errors: [
    'InternalFailureException',
    'InvalidRequestException',
    'ResourceNotFoundException',
    'DeleteConflictException',
    'ThrottlingException',
    'ConflictingResourceUpdateException',
    'UnauthorizedException',
  ],
  documentation: 'Deletes a provisioning template, and every provisioning claim for it.',
};

export const CreateProvisioningClaim: RestOperationModel = {
  name: 'CreateProvisioningClaim',
  http: { method: 'POST', requestUri: '/provisioning-templates/{templateName}/provisioning-claim' },
  input: structure({ templateName: templateNameInUri('The name of the provisioning template to use.') }, [
    'templateName',
  ]),
  output: structure({
    certificateId: member(certificateId, 'The ID of the claim certificate.'),
    certificatePem: member(certificatePem, 'The claim certificate, in PEM format.'),
    keyPair: member(keyPair, 'The claim key pair; the private key exists only in this response.'),
    expiration: member(date, 'When the claim expires (five minutes from now).'),
  }),
  errors: [
    'InvalidRequestException',
    'ResourceNotFoundException',
    'ThrottlingException',
    'UnauthorizedException',
    'ServiceUnavailableException',
    'InternalFailureException',
  ],
  documentation:
    'Creates a temporary provisioning claim: a certificate valid for five minutes that may only use the ' +
    'fleet-provisioning topics of the template. It is not listed among the certificates.',
};

const thingName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const thingTypeName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const billingGroupName: StringShape = { type: 'string', min: 1, max: 128, pattern: '[a-zA-Z0-9:_-]+' };
const attributeName: StringShape = { type: 'string', max: 128, pattern: '[a-zA-Z0-9_.,@/:#-]+' };
const attributeValue: StringShape = { type: 'string', max: 800, pattern: '[a-zA-Z0-9_.,@/:#=\\[\\]-]*' };
const thingAttributes: MapShape = { type: 'map', key: attributeName, value: attributeValue };
/** A long in the service model; fleetca's versions stay far below 2^31. */
const thingVersion: IntegerShape = { type: 'integer' };
const nextToken: StringShape = { type: 'string' };
const registryMaxResults: IntegerShape = { type: 'integer', min: 1, max: 250 };
const principal: StringShape = { type: 'string' };

const thingNameLabel = (documentation: string) =>
  member(thingName, documentation, { location: 'uri', locationName: 'thingName' });
const principalHeader = (documentation: string) =>
  member(principal, documentation, { location: 'header', locationName: 'x-amzn-principal' });
const nextTokenQuery = member(nextToken, 'The nextToken of the previous page, to fetch the next one.', {
  location: 'querystring',
  locationName: 'nextToken',
});
const maxResultsQuery = member(registryMaxResults, 'The largest number of results to return in one page.', {
  location: 'querystring',
  locationName: 'maxResults',
});
const nextTokenOutput = member(nextToken, 'The token of the next page; absent when there are no more results.');

export const CreateThing: RestOperationModel = {
  name: 'CreateThing',
  http: { method: 'POST', requestUri: '/things/{thingName}' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing to create. It cannot be changed afterwards.'),
      thingTypeName: member(thingTypeName, 'The name of the thing type of the new thing.'),
      attributePayload: member(
        structure({
          attributes: member(thingAttributes, 'Up to three attributes, name to value.'),
          merge: member(bool, 'Ignored by CreateThing; UpdateThing merges rather than replaces attributes when true.'),
        }),
        'The attributes of the new thing, up to three name/value pairs. For example {"attributes":{"string1":"string2"}}.',
      ),
      billingGroupName: member(billingGroupName, 'The name of the billing group to add the thing to.'),
    },
    ['thingName'],
  ),
  output: structure({
    thingName: member(thingName, 'The name of the new thing.'),
    thingArn: member(plainString, 'The ARN of the new thing.'),
    thingId: member(plainString, 'The ID of the new thing.'),
  }),
  errors: [...COMMON_ERRORS, 'ResourceAlreadyExistsException', 'ResourceNotFoundException'],
  documentation:
    'Creates a thing in the registry. Calling it again with the same name and configuration succeeds and ' +
    'returns the same thing; with the same name and a different configuration it fails.',
};

export const DescribeThing: RestOperationModel = {
  name: 'DescribeThing',
  http: { method: 'GET', requestUri: '/things/{thingName}' },
  input: structure({ thingName: thingNameLabel('The name of the thing.') }, ['thingName']),
  output: structure({
    defaultClientId: member(plainString, 'The default MQTT client ID: the thing name.'),
    thingName: member(thingName, 'The name of the thing.'),
    thingId: member(plainString, 'The ID of the thing.'),
    thingArn: member(plainString, 'The ARN of the thing.'),
    thingTypeName: member(thingTypeName, 'The thing type name.'),
    attributes: member(thingAttributes, 'The thing attributes.'),
    version: member(thingVersion, 'The current version of the thing record; DeleteThing may expect it.'),
    billingGroupName: member(billingGroupName, 'The name of the billing group the thing belongs to.'),
  }),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Gets information about the specified thing.',
};

export const ListThings: RestOperationModel = {
  name: 'ListThings',
  http: { method: 'GET', requestUri: '/things' },
  input: structure({
    nextToken: nextTokenQuery,
    maxResults: maxResultsQuery,
    attributeName: member(attributeName, 'Only things with this attribute (with attributeValue).', {
      location: 'querystring',
      locationName: 'attributeName',
    }),
    attributeValue: member(attributeValue, 'The value attributeName must have.', {
      location: 'querystring',
      locationName: 'attributeValue',
    }),
    thingTypeName: member(thingTypeName, 'Only things of this thing type.', {
      location: 'querystring',
      locationName: 'thingTypeName',
    }),
    usePrefixAttributeValue: member(bool, 'When true, attribute values need only start with attributeValue.', {
      location: 'querystring',
      locationName: 'usePrefixAttributeValue',
    }),
  }),
  output: structure({
    things: member(
      {
        type: 'list',
        member: structure({
          thingName: member(thingName, 'The name of the thing.'),
          thingTypeName: member(thingTypeName, 'The name of the thing type, if the thing has one.'),
          thingArn: member(plainString, 'The thing ARN.'),
          attributes: member(thingAttributes, 'The thing attributes.'),
          version: member(thingVersion, 'The version of the thing record.'),
        }),
      },
      'The things.',
    ),
    nextToken: nextTokenOutput,
  }),
  errors: COMMON_ERRORS,
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'things' },
  documentation:
    'Lists your things by name, optionally only those with an attribute of a given value or of a thing type.',
};

export const DeleteThing: RestOperationModel = {
  name: 'DeleteThing',
  http: { method: 'DELETE', requestUri: '/things/{thingName}' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing to delete.'),
      expectedVersion: member(
        thingVersion,
        'The version the thing must have; otherwise the request fails with VersionConflictException.',
        { location: 'querystring', locationName: 'expectedVersion' },
      ),
    },
    ['thingName'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', 'VersionConflictException', ...COMMON_ERRORS],
  documentation:
    'Deletes the specified thing; succeeds also when no thing has that name. A thing with principals attached ' +
    'cannot be deleted.',
};

export const AttachThingPrincipal: RestOperationModel = {
  name: 'AttachThingPrincipal',
  http: { method: 'PUT', requestUri: '/things/{thingName}/principals' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing.'),
      principal: principalHeader('The principal: the ARN of a certificate of this account and region.'),
      thingPrincipalType: member(
        { type: 'string', enum: THING_PRINCIPAL_TYPES },
        'EXCLUSIVE_THING: the thing must be the only thing attached to the principal; NON_EXCLUSIVE_THING ' +
          '(the default): the principal may be attached to other things as well.',
        { location: 'querystring', locationName: 'thingPrincipalType' },
      ),
    },
    ['thingName', 'principal'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Attaches the specified principal (a certificate) to the specified thing.',
};

export const DetachThingPrincipal: RestOperationModel = {
  name: 'DetachThingPrincipal',
  http: { method: 'DELETE', requestUri: '/things/{thingName}/principals' },
  input: structure(
    {
      thingName: thingNameLabel('The name of the thing.'),
      principal: principalHeader('The ARN of the certificate to detach.'),
    },
    ['thingName', 'principal'],
  ),
  output: structure({}),
  errors: ['ResourceNotFoundException', ...COMMON_ERRORS],
  documentation: 'Detaches the specified principal (a certificate) from the specified thing.',
};

export const ListThingPrincipals: RestOperationModel = {
  name: 'ListThingPrincipals',
  http: { method: 'GET', requestUri: '/things/{thingName}/principals' },
  input: structure(
    { nextToken: nextTokenQuery, maxResults: maxResultsQuery, thingName: thingNameLabel('The name of the thing.') },
    ['thingName'],
  ),
  output: structure({
    principals: member({ type: 'list', member: plainString }, 'The principals attached to the thing.'),
    nextToken: nextTokenOutput,
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'principals' },
  documentation: 'Lists the principals (certificate ARNs) attached to the specified thing.',
};

export const ListPrincipalThings: RestOperationModel = {
  name: 'ListPrincipalThings',
  http: { method: 'GET', requestUri: '/principals/things' },
  input: structure(
    { nextToken: nextTokenQuery, maxResults: maxResultsQuery, principal: principalHeader('The principal.') },
    ['principal'],
  ),
  output: structure({
    things: member({ type: 'list', member: thingName }, 'The things attached to the principal.'),
    nextToken: nextTokenOutput,
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  paginator: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKey: 'things' },
  documentation: 'Lists the things the specified principal (a certificate ARN) is attached to.',
};

/** Every operation fleetca serves, in the order help lists them. */
export const OPERATIONS: readonly RestOperationModel[] = [
  AttachThingPrincipal,
  CreateCertificateFromCsr,
  CreateKeysAndCertificate,
  CreateProvisioningClaim,
  CreateProvisioningTemplate,
  CreateThing,
  DeleteCACertificate,
  DeleteCertificate,
  DeleteProvisioningTemplate,
  DeleteThing,
  DescribeCACertificate,
  DescribeCertificate,
  DescribeEndpoint,
  DescribeProvisioningTemplate,
  DescribeThing,
  DetachThingPrincipal,
  GetRegistrationCode,
  ListCACertificates,
  ListCertificates,
  ListCertificatesByCA,
  ListPrincipalThings,
  ListProvisioningTemplates,
  ListThingPrincipals,
  ListThings,
  RegisterCACertificate,
  RegisterCertificate,
  RegisterCertificateWithoutCA,
  UpdateCACertificate,
  UpdateCertificate,
  UpdateProvisioningTemplate,
];
