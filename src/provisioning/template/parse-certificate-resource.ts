import { CERTIFICATE_STATUS_SPELLINGS, normaliseCertificateStatus } from './certificate-status.js';
import { entriesOf, jsonKind, pathStep, quote } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { parseExpression } from './parse-expression.js';
import type { CertificateResource } from './parsed-template.js';
import { checkPropertyNames, type ResourceShape } from './resource-shape.js';
import { requireStringLike } from './static-type.js';
import { invalidTemplate } from './template-error.js';

const CERTIFICATE_PROPERTIES = new Set(['CertificateId', 'Status']);
const FLEET_ONLY = 'Only certificate IDs can be used with a fleet provisioning template';
const UNSUPPORTED = { CertificateSigningRequest: FLEET_ONLY, CertificatePem: FLEET_ONLY, CACertificatePem: FLEET_ONLY };
const STATUS_OVERRIDE_ACTIONS = ['DO_NOTHING', 'REPLACE', 'FAIL'];

/**
 * An AWS::IoT::Certificate declaration: CertificateId (required; it must resolve to the certificate being
 * provisioned) and Status (ACTIVE by default). OverrideSettings.Status is checked but has no effect, since fleet
 * provisioning always works on a certificate that has just been created.
 */
export function parseCertificateResource(resource: ResourceShape, context: ParseContext): CertificateResource {
  checkPropertyNames(resource, CERTIFICATE_PROPERTIES, UNSUPPORTED);
  const { properties, where } = resource;
  if (properties.CertificateId === undefined) throw invalidTemplate(`${where}.Properties: CertificateId is required`);
  const certificateId = parseExpression(properties.CertificateId, `${where}.Properties.CertificateId`, context);
  requireStringLike(certificateId, `${where}.Properties.CertificateId`);
  const status =
    properties.Status === undefined
      ? undefined
      : parseExpression(properties.Status, `${where}.Properties.Status`, context);
  if (status !== undefined) {
    requireStringLike(status, `${where}.Properties.Status`);
    if (status.kind === 'literal' && normaliseCertificateStatus(String(status.value)) === undefined) {
      throw invalidTemplate(
        `${where}.Properties.Status: expected ${CERTIFICATE_STATUS_SPELLINGS.join(', ')}, found ${quote(String(status.value))}`,
      );
    }
  }
  for (const [key, action] of entriesOf(resource.overrideSettings ?? {})) {
    const at = pathStep(`${where}.OverrideSettings`, key);
    if (key !== 'Status')
      throw invalidTemplate(`${where}.OverrideSettings: unknown setting ${quote(key)} (expected Status)`);
    if (typeof action !== 'string' || !STATUS_OVERRIDE_ACTIONS.includes(action)) {
      const found = typeof action === 'string' ? quote(action) : jsonKind(action);
      throw invalidTemplate(`${at}: expected DO_NOTHING, REPLACE or FAIL, found ${found}`);
    }
  }
  return {
    logicalId: resource.logicalId,
    ...(resource.condition !== undefined && { condition: resource.condition }),
    certificateId,
    ...(status !== undefined && { status }),
  };
}
