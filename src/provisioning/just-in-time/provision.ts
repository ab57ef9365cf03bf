import { DerError } from '../../ca/der.js';
import { subjectValues } from '../../ca/subject-attributes.js';
import type { CaCertificateRecord } from '../../domain/ca-certificates/ca-certificate-record.js';
import type { CertificateRecord } from '../../domain/certificates/certificate-record.js';
import type { CertificateStatus } from '../../domain/certificates/certificate-status.js';
import {
  jitpParameters,
  jitpTemplateRefusal,
  missingSubjectParameters,
} from '../../domain/provisioning/jitp-parameters.js';
import { type RegistrationRefusal, registrationRules } from '../../domain/provisioning/registration-rules.js';
import { ServiceError } from '../../errors.js';
import type { Registry } from '../../registry/registry.js';
import { registrationOf } from '../registration-of-plan.js';
import { evaluateTemplate } from '../template/evaluate-template.js';
import { parseTemplate } from '../template/parse-template.js';
import { TemplateError } from '../template/template-error.js';

export type JustInTimeProvisioning =
  | { readonly kind: 'provisioned'; readonly status: CertificateStatus; readonly thingName?: string }
  | { readonly kind: 'exists' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * JITP (reference §2.3): the CA's template — its templateBody, or the JITP template its templateName names — run
 * with the certificate's subject as AWS::IoT::Certificate::* parameters, then the certificate registered and what the
 * template provisions (thing, policies, attachments, status) applied in one registry transaction. Anything that fails
 * fails before or inside that transaction, so nothing is half-created; AWS reports such failures only in CloudWatch,
 * fleetca in its log (the caller's).
 */
export async function provisionJustInTime(
  registry: Pick<Registry, 'provisioning' | 'provisioningTemplates'>,
  ca: CaCertificateRecord,
  record: CertificateRecord,
  der: Buffer,
  now: number,
): Promise<JustInTimeProvisioning> {
  const body = await templateBodyOf(registry, ca);
  if (typeof body !== 'string') return body;
  let registration: ReturnType<typeof registrationOf>['registration'];
  try {
    const template = parseTemplate(body);
    const subject = subjectValues(der);
    const missing = missingSubjectParameters(template.parameters.keys(), subject);
    if (missing.length > 0) {
      return { kind: 'failed', reason: `the certificate's subject has no value for ${missing.join(', ')}` };
    }
    const plan = evaluateTemplate(template, {
      parameters: Object.create(null),
      pseudoParameters: jitpParameters(subject, record.certificateId),
    });
    registration = registrationOf(plan, record.certificateId, now).registration;
  } catch (err) {
    if (err instanceof TemplateError || err instanceof DerError) {
      return { kind: 'failed', reason: `the template cannot be applied: ${err.message}` };
    }
    throw err;
  }
  try {
    const outcome = await registry.provisioning.register(
      { accountId: ca.accountId, region: ca.region },
      { ...registration, newCertificate: record },
      registrationRules,
    );
    if (!outcome.applied) {
      if (outcome.refusal === 'certificate-exists') return { kind: 'exists' };
      return { kind: 'failed', reason: refusalReason(outcome.refusal) };
    }
  } catch (err) {
    // The status rule refuses with a ServiceError (a status the certificate may not take); nothing was written.
    if (err instanceof ServiceError) return { kind: 'failed', reason: err.message };
    throw err;
  }
  return {
    kind: 'provisioned',
    status: registration.certificateStatus ?? record.status,
    ...(registration.thing !== undefined && { thingName: registration.thing.name }),
  };
}

async function templateBodyOf(
  registry: Pick<Registry, 'provisioningTemplates'>,
  ca: CaCertificateRecord,
): Promise<string | JustInTimeProvisioning> {
  const config = ca.registrationConfig;
  if (config?.templateBody !== undefined) return config.templateBody;
  const name = config?.templateName ?? '';
  const scope = { accountId: ca.accountId, region: ca.region };
  const template = await registry.provisioningTemplates.getTemplate(scope, name);
  const refusal = jitpTemplateRefusal(template, name);
  if (refusal !== undefined || template === undefined) return { kind: 'failed', reason: refusal ?? '' };
  return template.templateBody;
}

function refusalReason(refusal: Exclude<RegistrationRefusal, 'certificate-exists'>): string {
  switch (refusal) {
    case 'thing-exists':
      return 'the thing already exists and the template says FAIL';
    case 'thing-type-conflict':
      return 'the thing already has another thing type and the template says FAIL';
    case 'policy-missing':
      return 'a policy the template attaches does not exist';
    default:
      return `the registration was refused (${refusal})`;
  }
}
