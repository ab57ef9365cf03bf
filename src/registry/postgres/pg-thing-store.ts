import type { Scope } from '../../domain/scope.js';
import type { ThingRecord } from '../../domain/things/thing-record.js';
import type { ThingDeleteRule, ThingPrincipalRule } from '../../domain/things/thing-rules.js';
import { thingChangeEvent } from '../registry-changes.js';
import type { CreatedThing, KeyPage, KeyPageQuery, ThingListPage, ThingListQuery, ThingStore } from '../thing-store.js';
import type { PgDatabase } from './pg-database.js';
import { announceChange } from './pg-notify.js';
import {
  attachPrincipalStep,
  createThingStep,
  deleteThingStep,
  detachPrincipalStep,
  getThingStep,
  listPrincipalThingsStep,
  listThingPrincipalsStep,
  listThingsStep,
} from './pg-thing-steps.js';

/**
 * ThingStore on PostgreSQL: each write is one READ COMMITTED transaction running one step of pg-thing-steps.ts
 * (which says what it locks); reads run on the pool, outside transactions.
 */
export class PgThingStore implements ThingStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  // Things and their principals feed policy variables and conditions: their changes are announced (NOTIFY, heard
  // once committed).
  createThing(record: ThingRecord): Promise<CreatedThing> {
    return this.#db.transaction(async (tx) => {
      const created = await createThingStep(tx, record);
      if (created.created) {
        const event = thingChangeEvent('CREATED', record);
        await announceChange(tx, { kind: 'thing', ...scopeOf(record), thingName: record.thingName, event });
      }
      return created;
    });
  }

  getThing(scope: Scope, thingName: string): Promise<ThingRecord | undefined> {
    return getThingStep(this.#db, scope, thingName);
  }

  listThings(scope: Scope, query: ThingListQuery): Promise<ThingListPage> {
    return listThingsStep(this.#db, scope, query);
  }

  deleteThing(scope: Scope, thingName: string, rule: ThingDeleteRule): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const deleted = await deleteThingStep(tx, scope, thingName, rule);
      if (deleted === undefined) return false;
      await announceChange(tx, {
        kind: 'thing',
        ...scopeOf(scope),
        thingName,
        event: thingChangeEvent('DELETED', deleted),
      });
      return true;
    });
  }

  attachPrincipal(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule): Promise<void> {
    return this.#db.transaction(async (tx) => {
      if (await attachPrincipalStep(tx, scope, thingName, certificateId, rule)) {
        await announceChange(tx, { kind: 'thing-principal', ...scopeOf(scope), thingName, certificateId });
      }
    });
  }

  detachPrincipal(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const detached = await detachPrincipalStep(tx, scope, thingName, certificateId, rule);
      if (detached) await announceChange(tx, { kind: 'thing-principal', ...scopeOf(scope), thingName, certificateId });
      return detached;
    });
  }

  listThingPrincipals(scope: Scope, thingName: string, query: KeyPageQuery): Promise<KeyPage | undefined> {
    return listThingPrincipalsStep(this.#db, scope, thingName, query);
  }

  listPrincipalThings(scope: Scope, certificateId: string, query: KeyPageQuery): Promise<KeyPage | undefined> {
    return listPrincipalThingsStep(this.#db, scope, certificateId, query);
  }
}

function scopeOf(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}
