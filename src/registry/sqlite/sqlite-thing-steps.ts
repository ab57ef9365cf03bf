import type Database from 'better-sqlite3';
import type { Scope } from '../../domain/scope.js';
import type { ThingRecord } from '../../domain/things/thing-record.js';
import type { ThingDeleteRule, ThingPrincipalRule, ThingPrincipalState } from '../../domain/things/thing-rules.js';
import { checkPageLimit } from '../keyset-page.js';
import { StoreError } from '../store-error.js';
import { keyedPage } from '../thing-page.js';
import { thingRecordFromRow, thingRowFromRecord } from '../thing-row.js';
import type { CreatedThing, KeyPage, KeyPageQuery, ThingListPage, ThingListQuery } from '../thing-store.js';
import {
  prepareThingStatements,
  type SqliteThingStatements,
  type ThingAttachmentKey,
  type ThingKey,
  type ThingPageParams,
} from './sqlite-thing-statements.js';

function thingKey(scope: Scope, thingName: string): ThingKey {
  return { account_id: scope.accountId, region: scope.region, thing_name: thingName };
}

/**
 * The thing registry's steps on one better-sqlite3 connection, synchronous and without transactions of
 * their own: SqliteThingStore runs each in a BEGIN IMMEDIATE transaction, and a caller that must do more in
 * the same transaction (fleet provisioning: create a thing, attach the new certificate, activate it) runs
 * several of them, with its own statements, inside one `db.transaction(...).immediate()`.
 */
export class SqliteThingSteps {
  readonly #sql: SqliteThingStatements;

  constructor(db: Database.Database) {
    this.#sql = prepareThingStatements(db);
  }

  /** Inserts the record unless its name is taken; returns the thing stored under the name. */
  create(record: ThingRecord): CreatedThing {
    const created = this.#sql.insert.run(thingRowFromRecord(record)).changes > 0;
    const thing = this.get(record, record.thingName);
    if (thing === undefined) throw new Error(`thing ${record.thingName} is missing right after its insert`);
    return { thing, created };
  }

  get(scope: Scope, thingName: string): ThingRecord | undefined {
    const row = this.#sql.get.get(thingKey(scope, thingName));
    return row === undefined ? undefined : thingRecordFromRow(row);
  }

  list(scope: Scope, query: ThingListQuery): ThingListPage {
    checkPageLimit(query.limit);
    const attribute = query.attribute;
    const statement = this.#sql.page({
      after: query.after !== undefined,
      byType: query.thingTypeName !== undefined,
      attribute: attribute === undefined ? 'none' : attribute.prefix ? 'prefix' : 'equal',
    });
    // One row more than asked tells whether another page follows.
    const params: ThingPageParams = {
      account_id: scope.accountId,
      region: scope.region,
      limit: query.limit + 1,
      ...(query.after !== undefined && { after: query.after }),
      ...(query.thingTypeName !== undefined && { thing_type_name: query.thingTypeName }),
      ...(attribute && { attribute_name: attribute.name, attribute_value: attribute.value }),
    };
    const { items, next } = keyedPage(statement.all(params), query.limit, thingRecordFromRow, (t) => t.thingName);
    return { records: items, ...(next !== undefined && { next }) };
  }

  /** Runs the rule on the thing and its principal count, then deletes the thing; the thing deleted, if one was. */
  delete(scope: Scope, thingName: string, rule: ThingDeleteRule): ThingRecord | undefined {
    const key = thingKey(scope, thingName);
    const current = this.get(scope, thingName);
    const principals = this.#sql.countPrincipals.get(key) ?? 0;
    // A throwing rule aborts the transaction and its error reaches the caller untouched.
    rule(current, principals);
    if (current === undefined) return undefined;
    if (principals > 0) {
      throw new StoreError('RULE_CONTRACT', `delete rule allowed thing ${thingName} to be deleted with principals`);
    }
    this.#sql.delete.run(key);
    return current;
  }

  /** True when the certificate was not attached before. */
  attach(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule): boolean {
    const key = { ...thingKey(scope, thingName), certificate_id: certificateId };
    this.#decide(key, rule);
    return this.#sql.attach.run(key).changes > 0;
  }

  /** True when the certificate was attached. */
  detach(scope: Scope, thingName: string, certificateId: string, rule: ThingPrincipalRule): boolean {
    const key = { ...thingKey(scope, thingName), certificate_id: certificateId };
    const { attached } = this.#decide(key, rule);
    if (attached) this.#sql.detach.run(key);
    return attached;
  }

  principalsOf(scope: Scope, thingName: string, query: KeyPageQuery): KeyPage | undefined {
    checkPageLimit(query.limit);
    if (this.get(scope, thingName) === undefined) return undefined;
    const statement = this.#sql.principals(query.after !== undefined);
    const rows = statement.all({ ...thingKey(scope, thingName), ...pageParams(query) });
    return keyPage(rows, query.limit);
  }

  thingsOf(scope: Scope, certificateId: string, query: KeyPageQuery): KeyPage | undefined {
    checkPageLimit(query.limit);
    const key = { account_id: scope.accountId, region: scope.region, certificate_id: certificateId };
    if (this.#sql.certificateExists.get(key) === undefined) return undefined;
    const rows = this.#sql.thingsOf(query.after !== undefined).all({ ...key, ...pageParams(query) });
    return keyPage(rows, query.limit);
  }

  /** Reads what an attach or detach rule decides on and runs it; refuses to go on with a missing end. */
  #decide(key: ThingAttachmentKey, rule: ThingPrincipalRule): ThingPrincipalState {
    const thing = this.get({ accountId: key.account_id, region: key.region }, key.thing_name);
    const certificateExists = this.#sql.certificateExists.get(key) !== undefined;
    const state: ThingPrincipalState = {
      thing,
      certificateExists,
      attached: certificateExists && this.#sql.attached.get(key) !== undefined,
      otherThings: certificateExists ? (this.#sql.otherThings.get(key) ?? 0) : 0,
    };
    rule(state);
    if (thing === undefined || !certificateExists) {
      throw new StoreError(
        'RULE_CONTRACT',
        `principal rule did not refuse thing ${key.thing_name} / certificate ${key.certificate_id}, one of which does not exist`,
      );
    }
    return state;
  }
}

function pageParams(query: KeyPageQuery): { limit: number; after?: string } {
  // One row more than asked tells whether another page follows.
  return { limit: query.limit + 1, ...(query.after !== undefined && { after: query.after }) };
}

function keyPage(rows: readonly string[], limit: number): KeyPage {
  const { items, next } = keyedPage(
    rows,
    limit,
    (key) => key,
    (key) => key,
  );
  return { keys: items, ...(next !== undefined && { next }) };
}
