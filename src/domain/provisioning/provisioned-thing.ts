import { randomUUID } from 'node:crypto';
import type { Scope } from '../scope.js';
import { sameThingConfiguration } from '../things/thing-configuration.js';
import type { ThingRecord } from '../things/thing-record.js';

/** The thing RegisterThing's template asks for, resolved (src/provisioning/template). */
export interface ThingToProvision {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly thingTypeName?: string;
  /** What to do with an existing thing's attributes: keep them (DO_NOTHING), REPLACE, MERGE, or FAIL. */
  readonly attributesOverride: 'DO_NOTHING' | 'REPLACE' | 'MERGE' | 'FAIL';
  readonly thingTypeOverride: 'DO_NOTHING' | 'REPLACE' | 'FAIL';
}

/** What RegisterThing does to the thing it names, decided from the row read in its transaction. */
export type ThingPlan =
  | { readonly action: 'create' | 'update' | 'keep'; readonly thing: ThingRecord }
  | { readonly action: 'refuse'; readonly refusal: 'thing-exists' | 'thing-type-conflict' };

/**
 * Applies a template's override settings (reference §4.4) to the stored thing. A new thing gets what the
 * template asks for. An existing one keeps or takes its attributes per `attributesOverride` (MERGE: the
 * template's values win) and its type per `thingTypeOverride`; a template without a type leaves the stored
 * type alone whatever the setting, since it has nothing to replace it with or conflict with. Its version is
 * bumped once when anything changed.
 */
export function planThing(
  scope: Scope,
  stored: ThingRecord | undefined,
  asked: ThingToProvision,
  now: number,
): ThingPlan {
  if (stored === undefined) {
    return {
      action: 'create',
      thing: {
        ...scope,
        thingName: asked.name,
        thingId: randomUUID(),
        ...(asked.thingTypeName !== undefined && { thingTypeName: asked.thingTypeName }),
        attributes: { ...asked.attributes },
        version: 1,
        creationDate: now,
      },
    };
  }
  if (asked.attributesOverride === 'FAIL') return { action: 'refuse', refusal: 'thing-exists' };
  const typeDiffers = asked.thingTypeName !== undefined && asked.thingTypeName !== stored.thingTypeName;
  if (asked.thingTypeOverride === 'FAIL' && typeDiffers) return { action: 'refuse', refusal: 'thing-type-conflict' };

  const attributes = nextAttributes(stored.attributes, asked);
  const thingTypeName =
    asked.thingTypeOverride === 'REPLACE' && typeDiffers ? asked.thingTypeName : stored.thingTypeName;
  const next = { thingTypeName, attributes };
  if (sameThingConfiguration(stored, next)) return { action: 'keep', thing: stored };
  return {
    action: 'update',
    thing: {
      accountId: stored.accountId,
      region: stored.region,
      thingName: stored.thingName,
      thingId: stored.thingId,
      ...(thingTypeName !== undefined && { thingTypeName }),
      attributes,
      version: stored.version + 1,
      creationDate: stored.creationDate,
    },
  };
}

function nextAttributes(stored: ThingRecord['attributes'], asked: ThingToProvision): ThingRecord['attributes'] {
  switch (asked.attributesOverride) {
    case 'REPLACE':
      return { ...asked.attributes };
    case 'MERGE':
      return { ...stored, ...asked.attributes };
    default:
      return stored;
  }
}
