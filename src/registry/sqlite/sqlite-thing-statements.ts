import type Database from 'better-sqlite3';
import { THING_COLUMNS, type ThingRow, type ThingRowValues } from '../thing-row.js';
import type { CertificateKey } from './sqlite-statements.js';

/** Identifies one thing within its account and region. */
export interface ThingKey {
  readonly account_id: string;
  readonly region: string;
  readonly thing_name: string;
}

/** Identifies one thing ⇄ certificate attachment. */
export interface ThingAttachmentKey extends ThingKey {
  readonly certificate_id: string;
}

/** A page of keys: the limit (one more than asked) and the exclusive start. */
export interface KeyPageParams {
  readonly limit: number;
  readonly after?: string;
}

/** Parameters of a ListThings page; named parameters a statement does not use are ignored. */
export interface ThingPageParams {
  readonly account_id: string;
  readonly region: string;
  readonly limit: number;
  readonly after?: string;
  readonly thing_type_name?: string;
  readonly attribute_name?: string;
  readonly attribute_value?: string;
}

/** Which ListThings page statement: seek after a name, filters. */
export interface ThingPageShape {
  readonly after: boolean;
  readonly byType: boolean;
  readonly attribute: 'none' | 'equal' | 'prefix';
}

/** Every statement the SQLite thing store runs, prepared once per connection. */
export interface SqliteThingStatements {
  readonly insert: Database.Statement<[ThingRowValues]>;
  readonly get: Database.Statement<[ThingKey], ThingRow>;
  readonly delete: Database.Statement<[ThingKey]>;
  readonly countPrincipals: Database.Statement<[ThingKey], number>;
  readonly certificateExists: Database.Statement<[CertificateKey], number>;
  readonly attached: Database.Statement<[ThingAttachmentKey], number>;
  readonly otherThings: Database.Statement<[ThingAttachmentKey], number>;
  readonly attach: Database.Statement<[ThingAttachmentKey]>;
  readonly detach: Database.Statement<[ThingAttachmentKey]>;
  readonly page: (shape: ThingPageShape) => Database.Statement<[ThingPageParams], ThingRow>;
  /** Certificate ids attached to a thing, from certificate_attachments_by_target. */
  readonly principals: (after: boolean) => Database.Statement<[ThingKey & KeyPageParams], string>;
  /** Names of the things a certificate is attached to, from the attachments' primary key. */
  readonly thingsOf: (after: boolean) => Database.Statement<[CertificateKey & KeyPageParams], string>;
}

const COLUMNS = THING_COLUMNS.join(', ');
const SCOPE = 'account_id = @account_id AND region = @region';
const THING = `${SCOPE} AND thing_name = @thing_name`;
const THING_TARGET = `${SCOPE} AND kind = 'thing' AND name = @thing_name`;
const CERTIFICATE = `${SCOPE} AND certificate_id = @certificate_id`;
/** json_each rather than a JSON path: attribute names are bound as values and need no quoting. */
const ATTRIBUTE_EQUAL =
  'EXISTS (SELECT 1 FROM json_each(things.attributes) a WHERE a.key = @attribute_name AND a.value = @attribute_value)';
const ATTRIBUTE_PREFIX = `EXISTS (SELECT 1 FROM json_each(things.attributes) a WHERE a.key = @attribute_name
  AND substr(a.value, 1, length(@attribute_value)) = @attribute_value)`;

function pageSql(shape: ThingPageShape): string {
  return [
    `SELECT ${COLUMNS} FROM things WHERE ${SCOPE}`,
    shape.after ? 'AND thing_name > @after' : '',
    shape.byType ? 'AND thing_type_name = @thing_type_name' : '',
    shape.attribute === 'equal' ? `AND ${ATTRIBUTE_EQUAL}` : '',
    shape.attribute === 'prefix' ? `AND ${ATTRIBUTE_PREFIX}` : '',
    // The primary key (account_id, region, thing_name) gives this order without a sort.
    'ORDER BY thing_name LIMIT @limit',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** Prepares the statements; the SQL stays portable apart from the @name parameter style and json_each. */
export function prepareThingStatements(db: Database.Database): SqliteThingStatements {
  const pages = new Map<string, Database.Statement<[ThingPageParams], ThingRow>>();
  const page = (shape: ThingPageShape) => {
    const key = `${shape.after}:${shape.byType}:${shape.attribute}`;
    let statement = pages.get(key);
    if (statement === undefined) {
      statement = db.prepare<[ThingPageParams], ThingRow>(pageSql(shape));
      pages.set(key, statement);
    }
    return statement;
  };
  const principals = [false, true].map((after) =>
    db
      .prepare<[ThingKey & KeyPageParams], string>(
        `SELECT certificate_id FROM certificate_attachments WHERE ${THING_TARGET}
          ${after ? 'AND certificate_id > @after' : ''} ORDER BY certificate_id LIMIT @limit`,
      )
      .pluck(),
  );
  const thingsOf = [false, true].map((after) =>
    db
      .prepare<[CertificateKey & KeyPageParams], string>(
        `SELECT name FROM certificate_attachments WHERE ${CERTIFICATE} AND kind = 'thing'
          ${after ? 'AND name > @after' : ''} ORDER BY name LIMIT @limit`,
      )
      .pluck(),
  );
  return {
    insert: db.prepare(
      `INSERT INTO things (${COLUMNS}) VALUES (${THING_COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT DO NOTHING`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM things WHERE ${THING}`),
    delete: db.prepare(`DELETE FROM things WHERE ${THING}`),
    countPrincipals: db
      .prepare<[ThingKey], number>(`SELECT COUNT(*) FROM certificate_attachments WHERE ${THING_TARGET}`)
      .pluck(),
    certificateExists: db.prepare<[CertificateKey], number>(`SELECT 1 FROM certificates WHERE ${CERTIFICATE}`).pluck(),
    attached: db
      .prepare<[ThingAttachmentKey], number>(
        `SELECT 1 FROM certificate_attachments WHERE ${CERTIFICATE} AND kind = 'thing' AND name = @thing_name`,
      )
      .pluck(),
    otherThings: db
      .prepare<[ThingAttachmentKey], number>(
        `SELECT COUNT(*) FROM certificate_attachments WHERE ${CERTIFICATE} AND kind = 'thing' AND name <> @thing_name`,
      )
      .pluck(),
    attach: db.prepare(
      `INSERT INTO certificate_attachments (account_id, region, certificate_id, kind, name)
        VALUES (@account_id, @region, @certificate_id, 'thing', @thing_name) ON CONFLICT DO NOTHING`,
    ),
    detach: db.prepare(
      `DELETE FROM certificate_attachments WHERE ${CERTIFICATE} AND kind = 'thing' AND name = @thing_name`,
    ),
    page,
    principals: (after) => principals[after ? 1 : 0] as Database.Statement<[ThingKey & KeyPageParams], string>,
    thingsOf: (after) => thingsOf[after ? 1 : 0] as Database.Statement<[CertificateKey & KeyPageParams], string>,
  };
}
