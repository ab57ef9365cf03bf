import {
  type ProvisioningHook,
  type ProvisioningTemplateRecord,
  provisioningTemplateArn,
} from '../../domain/provisioning/provisioning-template-record.js';
import type { TemplateType } from '../../domain/provisioning/template-type.js';
import type { Scope } from '../../domain/scope.js';
import { ServiceError, serviceErrors } from '../../errors.js';
import { parseTemplate } from '../../provisioning/template/parse-template.js';
import { TemplateError } from '../../provisioning/template/template-error.js';

/** The steps and messages the provisioning-template operations share. */

/** Unknown template, in every operation that names one. */
export function templateNotFound(templateName: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Template ${templateName} does not exist`);
}

/** The name is taken in this account and region (AWS's wording). */
export function templateExists(scope: Scope, templateName: string): ServiceError {
  return serviceErrors.alreadyExists(
    `Template with name ${templateName} already exists`,
    templateName,
    provisioningTemplateArn(scope, templateName),
  );
}

/** The template engine's verdict on a body; a stored template is always one it accepted. */
export function checkTemplateBody(body: string): void {
  try {
    parseTemplate(body);
  } catch (error) {
    if (error instanceof TemplateError) throw serviceErrors.invalidRequest(error.message);
    throw error;
  }
}

/** AWS supports hooks on fleet-provisioning templates only. fleetca stores them but never invokes them. */
export function checkHook(hook: ProvisioningHook | undefined, type: TemplateType): ProvisioningHook | undefined {
  if (hook === undefined) return undefined;
  if (type !== 'FLEET_PROVISIONING') {
    throw serviceErrors.invalidRequest(
      'A pre-provisioning hook is only supported for templates of type FLEET_PROVISIONING',
    );
  }
  return {
    targetArn: hook.targetArn,
    ...(hook.payloadVersion !== undefined && { payloadVersion: hook.payloadVersion }),
  };
}

/** The ListProvisioningTemplates view of a record. */
export function templateSummary(record: ProvisioningTemplateRecord) {
  return {
    templateArn: provisioningTemplateArn(record, record.templateName),
    templateName: record.templateName,
    ...(record.description !== undefined && { description: record.description }),
    creationDate: record.creationDate,
    lastModifiedDate: record.lastModifiedDate,
    enabled: record.enabled,
    type: record.templateType,
  };
}

const TOKEN = /^t1:([0-9A-Za-z_-]{1,36})$/;

/** Opaque nextToken: the name the next page continues after. */
export function encodeTemplateToken(templateName: string): string {
  return Buffer.from(`t1:${templateName}`, 'utf8').toString('base64');
}

export function decodeTemplateToken(token: string): string {
  const name = TOKEN.exec(Buffer.from(token, 'base64').toString('utf8'))?.[1];
  if (name === undefined) throw serviceErrors.invalidRequest(`The nextToken is not valid: ${token}`);
  return name;
}
