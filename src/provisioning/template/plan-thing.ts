import { evaluateExpression, evaluateText } from './evaluate-expression.js';
import type { Evaluation } from './evaluation.js';
import type { Expression } from './expression.js';
import { pathStep } from './json-value.js';
import type { ThingResource } from './parsed-template.js';
import type { ThingPlan } from './provisioning-plan.js';
import { listOf, textOf } from './resolved-value.js';
import { invalidParameters } from './template-error.js';

/** The thing to provision: every property resolved; names and groups must not be empty. */
export function planThing(thing: ThingResource, evaluation: Evaluation): ThingPlan {
  const where = `Resources.${thing.logicalId}.Properties`;
  const name = nonEmptyText(thing.thingName, evaluation, `${where}.ThingName`);
  const thingTypeName = thing.thingTypeName && nonEmptyText(thing.thingTypeName, evaluation, `${where}.ThingTypeName`);
  const billingGroup = thing.billingGroup && nonEmptyText(thing.billingGroup, evaluation, `${where}.BillingGroup`);
  const attributes = Object.fromEntries(
    (thing.attributePayload ?? []).map(([key, value]) => [
      key,
      evaluateText(value, evaluation, pathStep(`${where}.AttributePayload`, key)),
    ]),
  );
  const thingGroups =
    thing.thingGroups === undefined ? [] : groupsOf(thing.thingGroups, evaluation, `${where}.ThingGroups`);
  return {
    name,
    attributes,
    ...(thingTypeName !== undefined && { thingTypeName }),
    thingGroups,
    ...(billingGroup !== undefined && { billingGroup }),
    overrideSettings: { ...thing.overrideSettings },
  };
}

function groupsOf(expression: Expression, evaluation: Evaluation, where: string): string[] {
  return listOf(evaluateExpression(expression, evaluation), where).map((value, index) => {
    const group = textOf(value, `${where}[${index}]`);
    if (group === '') throw invalidParameters(`${where}[${index}]: resolves to an empty string`);
    return group;
  });
}

export function nonEmptyText(expression: Expression, evaluation: Evaluation, where: string): string {
  const text = evaluateText(expression, evaluation, where);
  if (text === '') throw invalidParameters(`${where}: resolves to an empty string`);
  return text;
}
