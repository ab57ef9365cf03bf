import type { ResourceTag } from '../ca-certificates/ca-certificate-record.js';
import { partitionOf, type Scope } from '../scope.js';
import type { TemplateType } from './template-type.js';

/**
 * A pre-provisioning hook as the API spells it. fleetca stores and returns it but never invokes it: it has
 * no Lambda to call, so provisioning is never gated by a hook's answer.
 */
export interface ProvisioningHook {
  readonly targetArn: string;
  readonly payloadVersion?: string;
}

/**
 * What the registry keeps about one provisioning template: everything DescribeProvisioningTemplate returns,
 * plus its tags. Dates are epoch milliseconds. The role ARN is kept and returned as given: fleetca does not
 * call IAM, so it is never assumed or checked.
 */
export interface ProvisioningTemplateRecord extends Scope {
  readonly templateName: string;
  /** A random id, fixed at creation (a template deleted and created again is another template). */
  readonly templateId: string;
  readonly description?: string;
  readonly templateBody: string;
  readonly enabled: boolean;
  readonly provisioningRoleArn: string;
  readonly preProvisioningHook?: ProvisioningHook;
  readonly templateType: TemplateType;
  /** In key order. */
  readonly tags: readonly ResourceTag[];
  readonly defaultVersionId: number;
  readonly creationDate: number;
  readonly lastModifiedDate: number;
}

/** `arn:aws:iot:{region}:{account}:provisioningtemplate/{name}`, the form AWS gives templates. */
export function provisioningTemplateArn(scope: Scope, templateName: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:provisioningtemplate/${templateName}`;
}
