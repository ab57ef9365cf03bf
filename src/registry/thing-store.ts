import type { Scope } from '../domain/scope.js';
import type { ThingRecord } from '../domain/things/thing-record.js';
import type { ThingDeleteRule, ThingPrincipalRule } from '../domain/things/thing-rules.js';

/** ListThings' filter on one attribute: its value equal to `value`, or starting with it when `prefix`. */
export interface AttributeFilter {
  readonly name: string;
  readonly value: string;
  readonly prefix: boolean;
}

/** A page request for ListThings: things ordered by name, after `after` (exclusive). */
export interface ThingListQuery {
  readonly limit: number;
  readonly after?: string;
  readonly thingTypeName?: string;
  readonly attribute?: AttributeFilter;
}

export interface ThingListPage {
  readonly records: readonly ThingRecord[];
  /** The last name of this page, present when more things follow. */
  readonly next?: string;
}

/** A page of keys (certificate ids or thing names) in ascending order, after `after` (exclusive). */
export interface KeyPageQuery {
  readonly limit: number;
  readonly after?: string;
}

export interface KeyPage {
  readonly keys: readonly string[];
  /** The last key of this page, present when more keys follow. */
  readonly next?: string;
}

/** The thing stored under the name after a create, and whether this create made it. */
export interface CreatedThing {
  readonly thing: ThingRecord;
  readonly created: boolean;
}

/**
 * The thing registry and the thing ⇄ certificate attachments (`certificate_attachments` rows of kind
 * 'thing', which also keep DeleteCertificate from deleting an attached certificate). As in the other stores,
 * every read-then-write runs inside the store's transaction under the rule it is given.
 */
export interface ThingStore {
  /** Inserts the record unless the scope already has a thing of that name, and returns the one stored. */
  createThing(record: ThingRecord): Promise<CreatedThing>;
  getThing(scope: Scope, thingName: string): Promise<ThingRecord | undefined>;
  /** Keyset pages ordered by thing name. */
  listThings(scope: Scope, query: ThingListQuery): Promise<ThingListPage>;
  /** Runs the rule, then deletes the thing if there is one; true when a thing was deleted. */
  deleteThing(scope: Scope, thingName: string, rule: ThingDeleteRule): Promise<boolean>;
  /** Runs the rule, then attaches the certificate to the thing (nothing changes if it already is). */
  attachPrincipal(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule): Promise<void>;
  /** Runs the rule, then detaches the certificate from the thing; true when it was attached. */
  detachPrincipal(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule): Promise<boolean>;
  /** Ids of the certificates attached to the thing, ascending; undefined when there is no such thing. */
  listThingPrincipals(scope: Scope, thingName: string, query: KeyPageQuery): Promise<KeyPage | undefined>;
  /** Names of the things the certificate is attached to, ascending; undefined when there is no such certificate. */
  listPrincipalThings(scope: Scope, certificateId: string, query: KeyPageQuery): Promise<KeyPage | undefined>;
}
