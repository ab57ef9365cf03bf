/** The CA certificate operations of the IoT model: registration, description, listing, status, deletion. */

import {
  AUTO_REGISTRATION_STATUSES,
  CA_CERTIFICATE_STATUSES,
} from '../domain/ca-certificates/ca-certificate-status.js';
import {
  awsAccountId,
  bool,
  certificateArn,
  certificateId,
  certificateMode,
  certificatePem,
  customerVersion,
  date,
  listPaginator,
  markerMember,
  nextMarkerMember,
  pageSizeMember,
  plainString,
  registeredOutput,
  tag,
  templateName,
  validity,
} from './common-shapes.js';
import { COMMON_ERRORS } from './service.js';
import { member, type RestOperationModel, type StringShape, type StructureShape, structure } from './shapes.js';

const caCertificateStatus: StringShape = { type: 'string', enum: CA_CERTIFICATE_STATUSES };
const autoRegistrationStatus: StringShape = { type: 'string', enum: AUTO_REGISTRATION_STATUSES };

const registrationConfig: StructureShape = structure({
  templateBody: member(
    { type: 'string', min: 0, max: 10240, pattern: '[\\s\\S]*' },
    'The body of the provisioning template applied to certificates this CA registers automatically.',
  ),
  roleArn: member({ type: 'string', min: 20, max: 2048 }, 'The ARN of the role the template runs as.'),
  templateName: member(templateName, 'The name of a provisioning template to use instead of a template body.'),
});

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

/** The caCertificateId URI label that DescribeCACertificate, UpdateCACertificate and DeleteCACertificate share. */
const caCertificateIdMember = member(certificateId, 'The ID of the CA certificate (the SHA-256 of its DER encoding).', {
  location: 'uri',
  locationName: 'caCertificateId',
});

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
