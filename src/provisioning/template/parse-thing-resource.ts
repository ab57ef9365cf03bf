import type { Expression } from './expression.js';
import { entriesOf, isJsonObject, type JsonValue, jsonKind, pathStep, quote } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { isIntrinsicKey, parseExpression } from './parse-expression.js';
import type { OverrideAction, ThingResource } from './parsed-template.js';
import { checkPropertyNames, type ResourceShape } from './resource-shape.js';
import { requireListLike, requireStringLike, requireStringLikeItems } from './static-type.js';
import { invalidTemplate } from './template-error.js';

const THING_PROPERTIES = new Set(['ThingName', 'AttributePayload', 'ThingTypeName', 'ThingGroups', 'BillingGroup']);
const UNSUPPORTED = { PackageVersions: 'package versions are not supported by fleetca' };

/** OverrideSettings keys: the property names (as in AWS's examples) or the upper-case names (as in its prose). */
const OVERRIDE_KEYS: Readonly<Record<string, keyof ThingResource['overrideSettings']>> = {
  AttributePayload: 'attributePayload',
  ATTRIBUTE_PAYLOAD: 'attributePayload',
  ThingTypeName: 'thingTypeName',
  THING_TYPE_NAME: 'thingTypeName',
  ThingGroups: 'thingGroups',
  THING_GROUPS: 'thingGroups',
};
const OVERRIDE_ACTIONS: readonly OverrideAction[] = ['DO_NOTHING', 'REPLACE', 'FAIL', 'MERGE'];

/** An AWS::IoT::Thing declaration: ThingName (required), AttributePayload, ThingTypeName, ThingGroups, BillingGroup. */
export function parseThingResource(resource: ResourceShape, context: ParseContext): ThingResource {
  checkPropertyNames(resource, THING_PROPERTIES, UNSUPPORTED);
  const { properties, where } = resource;
  const stringProperty = (name: string): Expression | undefined => {
    const value = properties[name];
    if (value === undefined) return undefined;
    const expression = parseExpression(value, `${where}.Properties.${name}`, context);
    requireStringLike(expression, `${where}.Properties.${name}`);
    return expression;
  };
  const thingName = stringProperty('ThingName');
  if (thingName === undefined) throw invalidTemplate(`${where}.Properties: ThingName is required`);
  const thingTypeName = stringProperty('ThingTypeName');
  const billingGroup = stringProperty('BillingGroup');
  const attributePayload = parseAttributePayload(
    properties.AttributePayload,
    `${where}.Properties.AttributePayload`,
    context,
  );
  const thingGroups = parseThingGroups(properties.ThingGroups, `${where}.Properties.ThingGroups`, context);
  return {
    logicalId: resource.logicalId,
    ...(resource.condition !== undefined && { condition: resource.condition }),
    thingName,
    ...(attributePayload !== undefined && { attributePayload }),
    ...(thingTypeName !== undefined && { thingTypeName }),
    ...(thingGroups !== undefined && { thingGroups }),
    ...(billingGroup !== undefined && { billingGroup }),
    overrideSettings: parseOverrideSettings(resource),
  };
}

/** An object of attribute names to string values; the names are written out, the values may be functions. */
function parseAttributePayload(
  value: JsonValue | undefined,
  where: string,
  context: ParseContext,
): ThingResource['attributePayload'] {
  if (value === undefined) return undefined;
  if (!isJsonObject(value) || Object.keys(value).some(isIntrinsicKey)) {
    throw invalidTemplate(`${where}: expected an object of attribute names and values, found ${jsonKind(value)}`);
  }
  return entriesOf(value).map(([name, item]) => {
    const expression = parseExpression(item, pathStep(where, name), context);
    requireStringLike(expression, pathStep(where, name));
    return [name, expression] as const;
  });
}

function parseThingGroups(value: JsonValue | undefined, where: string, context: ParseContext): Expression | undefined {
  if (value === undefined) return undefined;
  const expression = parseExpression(value, where, context);
  requireListLike(expression, where);
  requireStringLikeItems(expression, where);
  return expression;
}

function parseOverrideSettings(resource: ResourceShape): ThingResource['overrideSettings'] {
  const settings: { -readonly [K in keyof ThingResource['overrideSettings']]: OverrideAction } = {};
  for (const [key, action] of entriesOf(resource.overrideSettings ?? {})) {
    const where = pathStep(`${resource.where}.OverrideSettings`, key);
    const setting = Object.hasOwn(OVERRIDE_KEYS, key) ? OVERRIDE_KEYS[key] : undefined;
    if (setting === undefined) {
      throw invalidTemplate(
        `${resource.where}.OverrideSettings: unknown setting ${quote(key)} (expected AttributePayload, ThingTypeName, ThingGroups)`,
      );
    }
    if (settings[setting] !== undefined) throw invalidTemplate(`${where}: the setting is given twice`);
    if (typeof action !== 'string' || !(OVERRIDE_ACTIONS as readonly string[]).includes(action)) {
      const found = typeof action === 'string' ? quote(action) : jsonKind(action);
      throw invalidTemplate(`${where}: expected DO_NOTHING, REPLACE, FAIL or MERGE, found ${found}`);
    }
    if (action === 'MERGE' && setting === 'thingTypeName') {
      throw invalidTemplate(`${where}: MERGE is valid only for ThingGroups and AttributePayload`);
    }
    settings[setting] = action as OverrideAction;
  }
  return settings as ThingResource['overrideSettings'];
}
