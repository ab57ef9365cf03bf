import type { Scope } from '../domain/scope.js';
import { toNumber } from './certificate-row.js';
import {
  cursorOf,
  SEARCH_COLUMNS,
  type SearchCursor,
  type SearchPage,
  type SearchQuery,
  type SearchRow,
  searchHitFromRow,
} from './certificate-search.js';
import { checkPageLimit } from './keyset-page.js';

/**
 * SearchCertificates in portable SQL, for both engines (each supplies its placeholders and, on SQLite, the index to
 * use). A search walks one ordered index of its scope — the one whose order it was asked for, narrowed by the
 * filters that index holds — and applies the other filters to the entries it meets. So that a filter matching
 * little cannot make a call walk a million entries, a call first finds the `scanLimit`-th entry of its range
 * (index only) and reads no further: a page that ends there early carries that entry as its cursor. An id prefix
 * whose range holds at most `scanLimit` entries is read whole from the primary key instead, in one call.
 */

/** The indexes a search is driven by: the primary key, migrations 1 and 3's, and migration 10's. */
export type SearchIndex = 'primary' | 'by_creation' | 'by_status_creation' | 'by_ca' | 'by_not_after';

export interface SqlDialect {
  /** The placeholder of parameter `position` (from 1) of SQL type `type`. */
  placeholder(position: number, type: 'text' | 'bigint'): string;
  /** What follows `FROM certificates` to make the engine use `index`; '' leaves it to the planner. */
  indexHint(index: SearchIndex): string;
}

export interface Sql {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** Runs one statement and gives its rows as objects keyed by column name. */
export type ReadRows = <R>(sql: Sql) => Promise<readonly R[]> | readonly R[];

type SortColumn = 'creation_date' | 'not_after';
/** A position in the order: (sort value, id), or (id) when sorted by id. */
type Key = readonly (number | string)[];

interface Edge {
  readonly key: Key;
  readonly inclusive: boolean;
}

type Filter = readonly [column: string, operator: '=' | '>=' | '<', value: string | number];

/** The range a search walks on its index, and the filters applied to the entries met there. */
interface Plan {
  readonly index: SearchIndex;
  readonly sortColumn?: SortColumn;
  /** Columns after account and region that the index pins to one value. */
  readonly pinned: readonly Filter[];
  readonly lower?: Edge;
  readonly upper?: Edge;
  readonly filters: readonly Filter[];
}

/** A statement being written: its parameters, in the dialect's placeholders. */
export class SqlStatement {
  readonly values: unknown[] = [];
  constructor(readonly dialect: SqlDialect) {}

  param(value: unknown, type: 'text' | 'bigint' = typeof value === 'number' ? 'bigint' : 'text'): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length, type);
  }

  condition([column, operator, value]: Filter): string {
    return `${column} ${operator} ${this.param(value)}`;
  }

  sql(text: string): Sql {
    return { text, values: this.values };
  }
}

/** The id just past every id starting with `prefix` (lowercase hex), or none when the prefix is all f's. */
export function prefixEnd(prefix: string): string | undefined {
  const kept = prefix.replace(/f+$/, '');
  if (kept === '') return undefined;
  const last = Number.parseInt(kept.slice(-1), 16);
  return kept.slice(0, -1) + (last + 1).toString(16);
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** The tighter of two edges on one side; at the same key the exclusive one. */
function tighter(side: 'lower' | 'upper', a: Edge | undefined, b: Edge | undefined): Edge | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const order = compareKeys(a.key, b.key);
  if (order === 0) return a.inclusive ? b : a;
  return (side === 'lower') === order > 0 ? a : b;
}

function sortColumnOf(query: SearchQuery): SortColumn | undefined {
  if (query.sortBy === 'CREATION_DATE') return 'creation_date';
  if (query.sortBy === 'NOT_AFTER') return 'not_after';
  return undefined;
}

function cursorKey(cursor: SearchCursor, sortColumn: SortColumn | undefined): Key {
  if (sortColumn === undefined) return [cursor.certificateId];
  if (cursor.sortValue === undefined) throw new RangeError('a cursor of a sorted search needs its sort value');
  return [cursor.sortValue, cursor.certificateId];
}

/** The filters of a query, but those `consumed` by the plan's index. */
function filtersOf(query: SearchQuery, consumed: ReadonlySet<string>): Filter[] {
  const filters: Filter[] = [];
  if (query.status !== undefined && !consumed.has('status')) filters.push(['status', '=', query.status]);
  if (query.caCertificateId !== undefined && !consumed.has('ca')) {
    filters.push(['ca_certificate_id', '=', query.caCertificateId]);
  }
  if (!consumed.has('created')) {
    if (query.createdFrom !== undefined) filters.push(['creation_date', '>=', query.createdFrom]);
    if (query.createdBefore !== undefined) filters.push(['creation_date', '<', query.createdBefore]);
  }
  if (query.expiresBefore !== undefined && !consumed.has('expires')) {
    filters.push(['not_after', '<', query.expiresBefore]);
  }
  if (query.idPrefix !== undefined && !consumed.has('prefix')) {
    filters.push(['certificate_id', '>=', query.idPrefix]);
    const end = prefixEnd(query.idPrefix);
    if (end !== undefined) filters.push(['certificate_id', '<', end]);
  }
  return filters;
}

/** The index that serves the order asked, narrowed by what it holds; its range; the filters left. */
function orderedPlan(query: SearchQuery): Plan {
  const sortColumn = sortColumnOf(query);
  const at = (value: number): Key => [value, ''];
  let index: SearchIndex;
  const pinned: Filter[] = [];
  const consumed = new Set<string>();
  let lower: Edge | undefined;
  let upper: Edge | undefined;
  if (query.sortBy === 'CERTIFICATE_ID') {
    index = 'primary';
    if (query.idPrefix !== undefined) {
      consumed.add('prefix');
      lower = { key: [query.idPrefix], inclusive: true };
      const end = prefixEnd(query.idPrefix);
      if (end !== undefined) upper = { key: [end], inclusive: false };
    }
  } else if (query.sortBy === 'NOT_AFTER') {
    index = 'by_not_after';
    if (query.expiresBefore !== undefined) {
      consumed.add('expires');
      upper = { key: at(query.expiresBefore), inclusive: false };
    }
  } else {
    // A CA's certificates are usually fewer than a status's: its index narrows more.
    index =
      query.caCertificateId !== undefined ? 'by_ca' : query.status !== undefined ? 'by_status_creation' : 'by_creation';
    if (index === 'by_ca') {
      pinned.push(['ca_certificate_id', '=', query.caCertificateId as string]);
      consumed.add('ca');
    }
    if (index === 'by_status_creation') {
      pinned.push(['status', '=', query.status as string]);
      consumed.add('status');
    }
    consumed.add('created');
    // (date, '') sorts before every id of that date: the same bounds as on the date alone, as row values.
    if (query.createdFrom !== undefined) lower = { key: at(query.createdFrom), inclusive: true };
    if (query.createdBefore !== undefined) upper = { key: at(query.createdBefore), inclusive: false };
  }
  if (query.after !== undefined) {
    const edge = { key: cursorKey(query.after, sortColumn), inclusive: false };
    if (query.ascending) lower = tighter('lower', lower, edge);
    else upper = tighter('upper', upper, edge);
  }
  return {
    index,
    ...(sortColumn && { sortColumn }),
    pinned,
    ...(lower && { lower }),
    ...(upper && { upper }),
    filters: filtersOf(query, consumed),
  };
}

function order(sortColumn: SortColumn | undefined, ascending: boolean): string {
  const direction = ascending ? 'ASC' : 'DESC';
  return sortColumn === undefined
    ? `ORDER BY certificate_id ${direction}`
    : `ORDER BY ${sortColumn} ${direction}, certificate_id ${direction}`;
}

function edgeCondition(s: SqlStatement, sortColumn: SortColumn | undefined, side: 'lower' | 'upper', edge: Edge) {
  const operator = (side === 'lower' ? '>' : '<') + (edge.inclusive ? '=' : '');
  if (sortColumn === undefined) return `certificate_id ${operator} ${s.param(edge.key[0], 'text')}`;
  const [value, id] = edge.key;
  return `(${sortColumn}, certificate_id) ${operator} (${s.param(value, 'bigint')}, ${s.param(id, 'text')})`;
}

/** Scope, pinned columns and the range: what the index answers by itself. */
function rangeConditions(s: SqlStatement, scope: Scope, plan: Plan): string[] {
  return [
    `account_id = ${s.param(scope.accountId)}`,
    `region = ${s.param(scope.region)}`,
    ...plan.pinned.map((filter) => s.condition(filter)),
    ...(plan.lower ? [edgeCondition(s, plan.sortColumn, 'lower', plan.lower)] : []),
    ...(plan.upper ? [edgeCondition(s, plan.sortColumn, 'upper', plan.upper)] : []),
  ];
}

/** The `scanLimit`-th entry of the range and the one after it, if any (the index alone answers). */
function scanEndSql(scope: Scope, plan: Plan, query: SearchQuery, dialect: SqlDialect): Sql {
  const s = new SqlStatement(dialect);
  const key = plan.sortColumn === undefined ? 'certificate_id' : `${plan.sortColumn} AS sort_value, certificate_id`;
  return s.sql(
    `SELECT ${key} FROM certificates ${dialect.indexHint(plan.index)}
      WHERE ${rangeConditions(s, scope, plan).join(' AND ')}
      ${order(plan.sortColumn, query.ascending)} LIMIT 2 OFFSET ${query.scanLimit - 1}`,
  );
}

function pageSql(scope: Scope, plan: Plan, query: SearchQuery, dialect: SqlDialect): Sql {
  const s = new SqlStatement(dialect);
  const conditions = [...rangeConditions(s, scope, plan), ...plan.filters.map((filter) => s.condition(filter))];
  return s.sql(
    `SELECT ${SEARCH_COLUMNS.join(', ')} FROM certificates ${dialect.indexHint(plan.index)}
      WHERE ${conditions.join(' AND ')}
      ${order(plan.sortColumn, query.ascending)} LIMIT ${s.param(query.limit + 1, 'bigint')}`,
  );
}

/** The id prefix's range on the primary key, at most `limit` entries of it. */
function prefixRange(s: SqlStatement, scope: Scope, prefix: string): string {
  const end = prefixEnd(prefix);
  return [
    `account_id = ${s.param(scope.accountId)}`,
    `region = ${s.param(scope.region)}`,
    `certificate_id >= ${s.param(prefix)}`,
    ...(end === undefined ? [] : [`certificate_id < ${s.param(end)}`]),
  ].join(' AND ');
}

/** How many entries the prefix's range holds, counting no further than one past `scanLimit`. */
function prefixCountSql(scope: Scope, query: SearchQuery, prefix: string, dialect: SqlDialect): Sql {
  const s = new SqlStatement(dialect);
  return s.sql(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM certificates ${dialect.indexHint('primary')}
      WHERE ${prefixRange(s, scope, prefix)} LIMIT ${query.scanLimit + 1}) AS prefixed`,
  );
}

/**
 * The page read from the whole prefix range (known to hold at most `scanLimit` entries), sorted as asked. The
 * LIMIT inside keeps every engine's planner on the primary key's range: it cannot push the filters past it.
 */
function prefixPageSql(scope: Scope, query: SearchQuery, prefix: string, dialect: SqlDialect): Sql {
  const s = new SqlStatement(dialect);
  const sortColumn = sortColumnOf(query);
  const columns = SEARCH_COLUMNS.join(', ');
  const inner = `SELECT ${columns} FROM certificates ${dialect.indexHint('primary')}
    WHERE ${prefixRange(s, scope, prefix)} ORDER BY certificate_id LIMIT ${query.scanLimit}`;
  const conditions = filtersOf(query, new Set(['prefix'])).map((filter) => s.condition(filter));
  if (query.after !== undefined) {
    const side = query.ascending ? 'lower' : 'upper';
    conditions.push(edgeCondition(s, sortColumn, side, { key: cursorKey(query.after, sortColumn), inclusive: false }));
  }
  return s.sql(
    `SELECT ${columns} FROM (${inner}) AS prefixed
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ${order(sortColumn, query.ascending)} LIMIT ${s.param(query.limit + 1, 'bigint')}`,
  );
}

/** The statements of one search call, in the order they run; exported for the query-plan tests. */
export function searchStatements(
  scope: Scope,
  query: SearchQuery,
  dialect: SqlDialect,
): {
  readonly prefix?: { readonly count: Sql; readonly page: Sql };
  readonly scanEnd?: Sql;
  readonly page: (scanEnd?: SearchCursor) => Sql;
} {
  checkPageLimit(query.limit);
  if (!Number.isSafeInteger(query.scanLimit) || query.scanLimit < 1) {
    throw new RangeError(`scan limit must be a positive integer, got ${query.scanLimit}`);
  }
  const plan = orderedPlan(query);
  const prefix = query.idPrefix;
  return {
    ...(prefix !== undefined &&
      query.sortBy !== 'CERTIFICATE_ID' && {
        prefix: {
          count: prefixCountSql(scope, query, prefix, dialect),
          page: prefixPageSql(scope, query, prefix, dialect),
        },
      }),
    // Without filters a page stops at its limit by itself: nothing to bound.
    ...(plan.filters.length > 0 && { scanEnd: scanEndSql(scope, plan, query, dialect) }),
    page: (scanEnd) => {
      if (scanEnd === undefined) return pageSql(scope, plan, query, dialect);
      const edge = { key: cursorKey(scanEnd, plan.sortColumn), inclusive: true };
      const bounded = query.ascending
        ? { ...plan, upper: tighter('upper', plan.upper, edge) }
        : { ...plan, lower: tighter('lower', plan.lower, edge) };
      return pageSql(scope, bounded, query, dialect);
    },
  };
}

interface ScanEndRow {
  readonly sort_value?: number | string | bigint;
  readonly certificate_id: string;
}

/** One search call on an engine: `read` runs a statement of `dialect`. */
export async function runSearch(
  scope: Scope,
  query: SearchQuery,
  dialect: SqlDialect,
  read: ReadRows,
): Promise<SearchPage> {
  const statements = searchStatements(scope, query, dialect);
  if (statements.prefix) {
    const [counted] = await read<{ n: number | string }>(statements.prefix.count);
    if (Number(counted?.n ?? 0) <= query.scanLimit) {
      return pageOf(await read<SearchRow>(statements.prefix.page), query, undefined);
    }
  }
  let scanEnd: SearchCursor | undefined;
  if (statements.scanEnd) {
    const [end, beyond] = await read<ScanEndRow>(statements.scanEnd);
    // An entry past the scan's last one: the range goes on, so this call stops there. Otherwise it reads to the end.
    if (end !== undefined && beyond !== undefined) {
      scanEnd = {
        ...(end.sort_value !== undefined && { sortValue: toNumber(end.sort_value, 'sort_value') }),
        certificateId: end.certificate_id,
      };
    }
  }
  return pageOf(await read<SearchRow>(statements.page(scanEnd)), query, scanEnd);
}

function pageOf(rows: readonly SearchRow[], query: SearchQuery, scanEnd: SearchCursor | undefined): SearchPage {
  const records = rows.slice(0, query.limit).map(searchHitFromRow);
  const last = records[records.length - 1];
  if (rows.length > query.limit && last !== undefined) return { records, next: cursorOf(last, query.sortBy) };
  return scanEnd === undefined ? { records } : { records, next: scanEnd };
}
