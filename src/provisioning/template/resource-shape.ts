import { isJsonObject, type JsonObject, type JsonValue, jsonKind, quote } from './json-value.js';
import type { ParseContext } from './parse-context.js';
import { invalidTemplate } from './template-error.js';

/** The parts every resource declaration shares, checked before its type-specific properties. */
export interface ResourceShape {
  readonly logicalId: string;
  readonly type: string;
  readonly where: string;
  readonly properties: JsonObject;
  readonly overrideSettings?: JsonObject;
  readonly condition?: string;
}

const RESOURCE_KEYS = new Set(['Type', 'Properties', 'OverrideSettings', 'Condition']);

export function resourceShape(
  logicalId: string,
  value: JsonValue,
  where: string,
  context: ParseContext,
): ResourceShape {
  if (!isJsonObject(value)) throw invalidTemplate(`${where}: a resource must be an object, found ${jsonKind(value)}`);
  for (const key of Object.keys(value)) {
    if (!RESOURCE_KEYS.has(key)) {
      throw invalidTemplate(
        `${where}: unsupported key ${quote(key)} (a resource has Type, Properties, OverrideSettings and Condition)`,
      );
    }
  }
  const { Type: type, Properties: properties, OverrideSettings: overrideSettings, Condition: condition } = value;
  if (typeof type !== 'string')
    throw invalidTemplate(`${where}.Type: expected a resource type, found ${jsonKind(type)}`);
  if (!isJsonObject(properties)) {
    throw invalidTemplate(`${where}.Properties: expected an object, found ${jsonKind(properties)}`);
  }
  if (overrideSettings !== undefined && !isJsonObject(overrideSettings)) {
    throw invalidTemplate(`${where}.OverrideSettings: expected an object, found ${jsonKind(overrideSettings)}`);
  }
  if (condition !== undefined) {
    if (typeof condition !== 'string') {
      throw invalidTemplate(`${where}.Condition: expected a condition name, found ${jsonKind(condition)}`);
    }
    if (!context.conditionNames.has(condition))
      throw invalidTemplate(`${where}.Condition: no condition named ${quote(condition)}`);
  }
  return {
    logicalId,
    type,
    where,
    properties,
    ...(overrideSettings !== undefined && { overrideSettings }),
    ...(condition !== undefined && { condition }),
  };
}

/** Refuses properties the resource type does not have; `refusals` explains known-but-unsupported ones. */
export function checkPropertyNames(
  resource: ResourceShape,
  allowed: ReadonlySet<string>,
  refusals: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(resource.properties)) {
    if (allowed.has(key)) continue;
    const reason = Object.hasOwn(refusals, key) ? refusals[key] : undefined;
    throw invalidTemplate(
      reason !== undefined
        ? `${resource.where}.Properties.${key}: ${reason}`
        : `${resource.where}.Properties: unknown property ${quote(key)} of ${resource.type} (expected ${[...allowed].join(', ')})`,
    );
  }
}
