/**
 * The MQTT fleet-provisioning API as data (reference §4): what a device publishes on
 * `$aws/certificates/create/{fmt}`, `$aws/certificates/create-from-csr/{fmt}` and
 * `$aws/provisioning-templates/{templateName}/provision/{fmt}`, what it gets back on `…/accepted`, and how bad
 * input is refused on `…/rejected`. No REST route reaches these operations: they are distinct from the REST
 * API's operations of the same names (other members, other errors).
 */
import { FLEET_PROVISIONING_FAILURES } from '../errors.js';
// The REST API's CSR shape (max 4096): the device API takes the same CSRs.
import { certificateId, certificatePem, certificateSigningRequest } from './common-shapes.js';
import {
  type InputRefusal,
  type MapShape,
  member,
  type OperationModel,
  type StringShape,
  structure,
} from './shapes.js';

const privateKey: StringShape = { type: 'string', min: 1, sensitive: true };
const ownershipToken: StringShape = { type: 'string', min: 1, sensitive: true };
const templateName: StringShape = { type: 'string', min: 1 };
const parameterText: StringShape = { type: 'string', max: 2048 };
const parameters: MapShape = { type: 'map', key: parameterText, value: parameterText, max: 100 };
const deviceConfiguration: MapShape = { type: 'map', key: { type: 'string' }, value: { type: 'string' } };
const thingName: StringShape = { type: 'string', min: 1, max: 128 };

const ERRORS = ['InvalidPayload', 'PayloadTooLarge', 'Throttled', 'ServiceUnavailable', 'InternalFailure'];

const tokenMember = member(
  ownershipToken,
  'The token that proves ownership of a certificate this API created, for RegisterThing; valid one hour.',
);

// The messages the device door has always answered with; AWS's own where known (reference §4.2).
const csrRefusal: InputRefusal = {
  code: 'InvalidCertificateSigningRequest',
  messages: { max: 'certificateSigningRequest is longer than {max} characters.' },
  otherwise: 'certificateSigningRequest must be a non-empty string.',
};
const tokenRefusal: InputRefusal = {
  code: 'InvalidCertificateOwnershipToken',
  messages: { type: 'Certificate ownership token must be a string.' },
  otherwise: 'Certificate ownership token cannot be empty.',
};
const parametersRefusal: InputRefusal = {
  code: 'InvalidParameters',
  messages: {
    max: 'At most {max} parameters are accepted.',
    'entry.type': 'Parameter {key} must be a string.',
    'entry.max': 'Parameter {key} is too long.',
  },
  otherwise: 'parameters must be a map of strings.',
};
// The template name is a topic level, never empty when a topic names it.
const templateNameRefusal: InputRefusal = {
  code: 'ResourceNotFound',
  otherwise: 'A provisioning template name is required.',
};

export const DeviceCreateKeysAndCertificate: OperationModel = {
  name: 'CreateKeysAndCertificate',
  // The request is an empty payload or `{}`; anything in it is ignored.
  input: structure({}),
  output: structure({
    certificateId: member(certificateId, 'The ID of the certificate (the SHA-256 of its DER encoding).'),
    certificatePem: member(certificatePem, 'The certificate, in PEM format.'),
    privateKey: member(privateKey, 'The private key of the certificate, PKCS#1 PEM; no public key is sent.'),
    certificateOwnershipToken: tokenMember,
  }),
  errors: ERRORS,
  inputRefusals: {},
  failures: FLEET_PROVISIONING_FAILURES,
  documentation:
    'Creates a key pair and a certificate for the device that asked, PENDING_ACTIVATION until RegisterThing.',
};

export const DeviceCreateCertificateFromCsr: OperationModel = {
  name: 'CreateCertificateFromCsr',
  input: structure(
    {
      certificateSigningRequest: member(certificateSigningRequest, 'The certificate signing request, in PEM format.'),
    },
    ['certificateSigningRequest'],
  ),
  output: structure({
    certificateOwnershipToken: tokenMember,
    certificateId: member(certificateId, 'The ID of the certificate (the SHA-256 of its DER encoding).'),
    certificatePem: member(certificatePem, 'The certificate, in PEM format.'),
  }),
  errors: ['InvalidCertificateSigningRequest', ...ERRORS],
  inputRefusals: { certificateSigningRequest: csrRefusal },
  failures: FLEET_PROVISIONING_FAILURES,
  documentation:
    "Certifies the CSR's subject and public key for the device that asked, PENDING_ACTIVATION until RegisterThing.",
};

export const DeviceRegisterThing: OperationModel = {
  name: 'RegisterThing',
  input: structure(
    {
      templateName: member(templateName, 'The fleet-provisioning template to apply.', { location: 'topic' }),
      certificateOwnershipToken: tokenMember,
      parameters: member(parameters, "The template's parameters: at most 100, names and values of 2048 characters."),
    },
    ['templateName', 'certificateOwnershipToken'],
  ),
  output: structure({
    deviceConfiguration: member(deviceConfiguration, "The template's DeviceConfiguration."),
    thingName: member(thingName, 'The name of the thing the template created or used, if any.'),
  }),
  errors: [
    'InvalidCertificateOwnershipToken',
    'InvalidParameters',
    'ResourceNotFound',
    'Forbidden',
    'CertificateStateException',
    ...ERRORS,
  ],
  inputRefusals: {
    templateName: templateNameRefusal,
    certificateOwnershipToken: tokenRefusal,
    parameters: parametersRefusal,
  },
  failures: FLEET_PROVISIONING_FAILURES,
  documentation:
    'Applies a fleet-provisioning template for the certificate an ownership token names, redeeming the token.',
};

/** The operations of this API, in the order the reference lists them. */
export const FLEET_PROVISIONING_OPERATIONS = [
  DeviceCreateKeysAndCertificate,
  DeviceCreateCertificateFromCsr,
  DeviceRegisterThing,
] as const;
