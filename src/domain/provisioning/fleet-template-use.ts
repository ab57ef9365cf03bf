import type { TemplateType } from './template-type.js';

/** What RegisterThing needs to know of a template before applying it. */
export interface FleetTemplateFacts {
  readonly templateName: string;
  readonly enabled: boolean;
  readonly templateType: TemplateType;
  readonly preProvisioningHook?: unknown;
}

/** Why a device may not be provisioned with this template, or undefined when it may. */
export function fleetTemplateRefusal(template: FleetTemplateFacts): string | undefined {
  const name = template.templateName;
  if (!template.enabled) return `Provisioning template ${name} is disabled.`;
  if (template.templateType !== 'FLEET_PROVISIONING') {
    return `Provisioning template ${name} is not a fleet provisioning template.`;
  }
  // A hook is the owner's veto over each device; fleetca cannot run one, so it refuses rather than skip the veto.
  if (template.preProvisioningHook) {
    return `Provisioning template ${name} has a pre-provisioning hook, which fleetca cannot invoke.`;
  }
  return undefined;
}
