import { createHash } from 'node:crypto';
import type { Registration } from '../registry/provisioning-store.js';
import type { ProvisioningPlan } from './template/provisioning-plan.js';
import { TemplateError } from './template/template-error.js';

/**
 * Turns what a template resolved to into the registry's unit of work. fleetca keeps no thing groups or billing
 * groups, so a template that asks for them is refused rather than half applied. Policies are real policies: an
 * inline document is created (once: its name is derived from it), a named one must exist, and both are attached.
 */
export function registrationOf(
  plan: ProvisioningPlan,
  certificateId: string,
  now: number,
): { registration: Registration; deviceConfiguration: Readonly<Record<string, string>> } {
  const thing = plan.thing;
  if (
    thing &&
    (thing.thingGroups.length > 0 || thing.billingGroup !== undefined || thing.thingTypeName !== undefined)
  ) {
    // As CreateThing: fleetca keeps no thing types, thing groups or billing groups.
    throw new TemplateError(
      'InvalidParameters',
      'Thing types, thing groups and billing groups are not supported by fleetca.',
    );
  }
  if (thing) checkThing(thing.name, thing.attributes, thing.thingTypeName);
  const registration: Registration = {
    certificateId,
    now,
    thing: thing && {
      name: thing.name,
      attributes: thing.attributes,
      thingTypeName: thing.thingTypeName,
      // Absent settings keep what an existing thing has: re-provisioning never silently rewrites a thing.
      attributesOverride: thing.overrideSettings.attributePayload ?? 'DO_NOTHING',
      thingTypeOverride: thing.overrideSettings.thingTypeName ?? 'DO_NOTHING',
    },
    certificateStatus: plan.certificate?.status,
    // An inline document is created under a name derived from it; a named policy must exist.
    policies: plan.policies.map((policy) =>
      policy.document === undefined
        ? { name: policy.name ?? '' }
        : { name: policy.name ?? inlinePolicyName(policy.document), document: policy.document },
    ),
  };
  return { registration, deviceConfiguration: plan.deviceConfiguration };
}

// The thing registry's own rules (CreateThing's model), applied to what a template produced.
/** AWS's limit for things without a thing type, which CreateThing applies too. */
const MAX_ATTRIBUTES = 3;
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#-]{1,128}$/;
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]{0,800}$/;

function checkThing(name: string, attributes: Readonly<Record<string, string>>, thingTypeName?: string): void {
  const refuse = (what: string, value: string) => {
    throw new TemplateError(
      'InvalidParameters',
      `The template resolved to an invalid ${what}: ${JSON.stringify(value.slice(0, 128))}.`,
    );
  };
  if (!THING_NAME.test(name)) refuse('thing name', name);
  if (thingTypeName !== undefined && !THING_NAME.test(thingTypeName)) refuse('thing type name', thingTypeName);
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) {
    throw new TemplateError(
      'InvalidParameters',
      `A thing without a thing type has at most ${MAX_ATTRIBUTES} attributes.`,
    );
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(key)) refuse('attribute name', key);
    if (!ATTRIBUTE_VALUE.test(value)) refuse(`value of attribute ${key}`, value);
  }
}

/** A stable name for a policy given inline: the same document always attaches under the same name. */
function inlinePolicyName(document: string): string {
  return `fleetca-inline-${createHash('sha256').update(document).digest('hex').slice(0, 32)}`;
}
