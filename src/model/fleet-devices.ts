/**
 * fleetca's own operations on devices and their certificates (routes under /fleetca/): the live connections of the
 * serving process's device endpoint, and the verified chain of a certificate.
 */

import { CERTIFICATE_CHAIN_ROLES } from '../domain/certificates/certificate-chain.js';
import { MQTT_PROTOCOL_VERSIONS } from '../domain/devices/device-connection.js';
import {
  bool,
  certificateId,
  certificatePem,
  date,
  marker,
  markerMember,
  nextMarkerMember,
  plainString,
} from './common-shapes.js';
import { COMMON_ERRORS } from './service.js';
import { member, type RestOperationModel, type StructureShape, structure } from './shapes.js';

const deviceConnection: StructureShape = structure({
  clientId: member(plainString, 'The MQTT client identifier the device connected with.'),
  certificateId: member(certificateId, 'The ID of the certificate the device presented.'),
  connectedAt: member(date, 'When the connection was admitted.'),
  remoteAddress: member(plainString, 'The IP address the device connected from.'),
  protocolVersion: member(
    { type: 'string', enum: MQTT_PROTOCOL_VERSIONS },
    'The MQTT version the device speaks: 3.1, 3.1.1 or 5.',
  ),
  cleanSession: member(bool, 'Whether the device asked for a clean session (MQTT 3) or a clean start (MQTT 5).'),
  keepAlive: member(
    { type: 'integer', min: 0 },
    'The keep alive the device is held to, in seconds (the one it asked for; 1200 when it asked for none or more).',
  ),
});

export const ListDeviceConnections: RestOperationModel = {
  name: 'ListDeviceConnections',
  http: { method: 'GET', requestUri: '/fleetca/device-connections' },
  input: structure({
    certificateId: member(certificateId, 'Lists only the connections of the device with this certificate.', {
      location: 'querystring',
      locationName: 'certificateId',
    }),
    pageSize: member(
      { type: 'integer', min: 1, max: 250 },
      'The largest number of connections to return in one page (50 by default).',
      { location: 'querystring', locationName: 'pageSize' },
    ),
    marker: markerMember,
  }),
  output: structure({
    connections: member(
      { type: 'list', member: deviceConnection },
      'The live connections, in the order they were admitted (oldest first).',
    ),
    total: member(
      { type: 'integer', min: 0 },
      "The live device connections of the caller's account and region on this server, whatever the filter.",
    ),
    nextMarker: member(marker, nextMarkerMember.documentation),
  }),
  errors: COMMON_ERRORS,
  paginator: {
    inputToken: 'marker',
    outputToken: 'nextMarker',
    limitKey: 'pageSize',
    resultKey: 'connections',
    nonAggregateKeys: ['total'],
  },
  documentation:
    "Lists the devices connected to this server's device endpoint in your account and region. " +
    'Only a running server (fleetca serve with its device endpoint) has connections: locally, use --endpoint-url.',
};

const chainCertificate: StructureShape = structure({
  certificatePem: member(certificatePem, 'The certificate, in PEM format.'),
  subject: member(plainString, "The certificate's subject, one attribute per comma."),
  issuer: member(plainString, "The certificate's issuer, one attribute per comma."),
  notBefore: member(date, 'The certificate is not valid before this date.'),
  notAfter: member(date, 'The certificate is not valid after this date.'),
  role: member(
    { type: 'string', enum: CERTIFICATE_CHAIN_ROLES },
    "Its place in the chain: the certificate itself, fleetca's issuing CA, fleetca's root CA, or the registered CA " +
      'certificate it was registered with.',
  ),
});

const chainVerification: StructureShape = structure({
  valid: member(bool, 'Whether every link verifies, every certificate is valid now and every status allows use.'),
  problems: member(
    { type: 'list', member: plainString },
    'What is wrong, one plain sentence each; empty when the chain is valid.',
  ),
});

export const DescribeCertificateChain: RestOperationModel = {
  name: 'DescribeCertificateChain',
  http: { method: 'GET', requestUri: '/fleetca/certificates/{certificateId}/chain' },
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
    chain: member(
      { type: 'list', member: chainCertificate },
      'The certificate first, then each CA up to the one it is trusted through.',
    ),
    verification: member(chainVerification, 'The verdict on the chain, checked now.'),
  }),
  errors: [...COMMON_ERRORS, 'ResourceNotFoundException'],
  documentation:
    "Describes the chain of a certificate and verifies it. A certificate fleetca issued chains to fleetca's issuing " +
    'CA and root CA; one registered with a CA certificate, to that CA. Each signature, each validity period, the ' +
    "certificate's status and its registered CA's status are checked.",
};
