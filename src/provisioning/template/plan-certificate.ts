import { CERTIFICATE_STATUS_SPELLINGS, normaliseCertificateStatus } from './certificate-status.js';
import { evaluateText } from './evaluate-expression.js';
import type { Evaluation } from './evaluation.js';
import { quote } from './json-value.js';
import type { CertificateResource } from './parsed-template.js';
import type { CertificatePlan } from './provisioning-plan.js';
import { invalidParameters } from './template-error.js';
import { CERTIFICATE_ID_PSEUDO_PARAMETER } from './template-names.js';

/**
 * The status to give the certificate being provisioned. CertificateId must resolve to that very certificate: a
 * template (or a device parameter it refers to) naming another certificate must not act on it.
 */
export function planCertificate(certificate: CertificateResource, evaluation: Evaluation): CertificatePlan {
  const where = `Resources.${certificate.logicalId}.Properties`;
  const certificateId = evaluateText(certificate.certificateId, evaluation, `${where}.CertificateId`);
  const provisioned = evaluation.pseudoParameter(CERTIFICATE_ID_PSEUDO_PARAMETER);
  if (provisioned === undefined) {
    throw invalidParameters(
      `${where}.CertificateId: cannot be checked, the certificate being provisioned is not known`,
    );
  }
  if (certificateId !== provisioned) {
    throw invalidParameters(`${where}.CertificateId: does not match the certificate being provisioned`);
  }
  if (certificate.status === undefined) return { status: 'ACTIVE' };
  const text = evaluateText(certificate.status, evaluation, `${where}.Status`);
  const status = normaliseCertificateStatus(text);
  if (status === undefined) {
    throw invalidParameters(
      `${where}.Status: expected ${CERTIFICATE_STATUS_SPELLINGS.join(', ')}, found ${quote(text)}`,
    );
  }
  return { status };
}
