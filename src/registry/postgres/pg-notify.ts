import { encodeChange, type RegistryChange } from '../registry-changes.js';
import type { PgQueryable } from './pg-transaction.js';

/**
 * The NOTIFY channel of the registry in the session's schema. NOTIFY reaches every listener of the
 * database, so registries in different schemas of one database get channels of their own.
 */
export const CHANNEL_SQL = "'fleetca_changes_' || md5(current_schema())";

/**
 * Announces `change` on the registry's channel from inside the transaction that makes it: PostgreSQL
 * delivers a NOTIFY only when that transaction commits, so a change rolled back is never heard.
 */
export async function announceChange(tx: PgQueryable, change: RegistryChange): Promise<void> {
  await tx.query(`SELECT pg_notify(${CHANNEL_SQL}, $1)`, [encodeChange(change)]);
}
