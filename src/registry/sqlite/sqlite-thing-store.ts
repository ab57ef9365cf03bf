import type Database from 'better-sqlite3';
import type { Scope } from '../../domain/scope.js';
import type { ThingRecord } from '../../domain/things/thing-record.js';
import type { ThingDeleteRule, ThingPrincipalRule } from '../../domain/things/thing-rules.js';
import { thingChangeEvent } from '../registry-changes.js';
import type { CreatedThing, KeyPage, KeyPageQuery, ThingListPage, ThingListQuery, ThingStore } from '../thing-store.js';
import { announcingTransaction, type SqliteAnnouncer } from './sqlite-changes.js';
import { SqliteThingSteps } from './sqlite-thing-steps.js';

/**
 * ThingStore on the registry's shared better-sqlite3 connection. Writes run as BEGIN IMMEDIATE transactions,
 * so a rule decides on rows no other writer (connection or process) can change meanwhile; reads that look at
 * two things (a thing and its principals) share one read transaction, hence one snapshot.
 */
export class SqliteThingStore implements ThingStore {
  readonly #steps: SqliteThingSteps;
  readonly #create: (record: ThingRecord) => CreatedThing;
  readonly #delete: (scope: Scope, thingName: string, rule: ThingDeleteRule) => boolean;
  readonly #attach: (scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule) => void;
  readonly #detach: (scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule) => boolean;
  readonly #principalsOf: (scope: Scope, thingName: string, query: KeyPageQuery) => KeyPage | undefined;
  readonly #thingsOf: (scope: Scope, certificateId: string, query: KeyPageQuery) => KeyPage | undefined;

  constructor(db: Database.Database, announcer: SqliteAnnouncer = {}) {
    const steps = new SqliteThingSteps(db);
    this.#steps = steps;
    // Things and their principals feed policy variables and conditions: their changes are announced.
    this.#create = announcingTransaction(db, announcer, (announce, record: ThingRecord) => {
      const created = steps.create(record);
      if (created.created) {
        announce({
          kind: 'thing',
          ...scopeOf(record),
          thingName: record.thingName,
          event: thingChangeEvent('CREATED', record),
        });
      }
      return created;
    });
    this.#delete = announcingTransaction(db, announcer, (announce, scope: Scope, thingName: string, rule) => {
      const deleted = steps.delete(scope, thingName, rule);
      if (deleted === undefined) return false;
      announce({ kind: 'thing', ...scopeOf(scope), thingName, event: thingChangeEvent('DELETED', deleted) });
      return true;
    });
    this.#attach = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule) => {
        if (steps.attach(scope, thingName, certificateId, rule)) {
          announce({ kind: 'thing-principal', ...scopeOf(scope), thingName, certificateId });
        }
      },
    );
    this.#detach = announcingTransaction(
      db,
      announcer,
      (announce, scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule) => {
        const detached = steps.detach(scope, thingName, certificateId, rule);
        if (detached) announce({ kind: 'thing-principal', ...scopeOf(scope), thingName, certificateId });
        return detached;
      },
    );
    this.#principalsOf = db.transaction((scope: Scope, thingName: string, query: KeyPageQuery) =>
      steps.principalsOf(scope, thingName, query),
    ).deferred;
    this.#thingsOf = db.transaction((scope: Scope, certificateId: string, query: KeyPageQuery) =>
      steps.thingsOf(scope, certificateId, query),
    ).deferred;
  }

  async createThing(record: ThingRecord): Promise<CreatedThing> {
    return this.#create(record);
  }

  async getThing(scope: Scope, thingName: string): Promise<ThingRecord | undefined> {
    return this.#steps.get(scope, thingName);
  }

  async listThings(scope: Scope, query: ThingListQuery): Promise<ThingListPage> {
    return this.#steps.list(scope, query);
  }

  async deleteThing(scope: Scope, thingName: string, rule: ThingDeleteRule): Promise<boolean> {
    return this.#delete(scope, thingName, rule);
  }

  async attachPrincipal(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule) {
    this.#attach(scope, thingName, certificateId, rule);
  }

  async detachPrincipal(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule) {
    return this.#detach(scope, thingName, certificateId, rule);
  }

  async listThingPrincipals(scope: Scope, thingName: string, query: KeyPageQuery): Promise<KeyPage | undefined> {
    return this.#principalsOf(scope, thingName, query);
  }

  async listPrincipalThings(scope: Scope, certificateId: string, query: KeyPageQuery): Promise<KeyPage | undefined> {
    return this.#thingsOf(scope, certificateId, query);
  }
}

function scopeOf(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}
