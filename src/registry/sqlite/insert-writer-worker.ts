/**
 * The insert writer thread: its own connection to the registry, committing the groups of certificate rows the
 * main thread sends, so that the WAL sync of each commit (milliseconds on real disks) never blocks the event loop.
 */

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CertificateRowValues } from '../certificate-row.js';
import { commitGroup } from './group-commit.js';
import {
  type InsertWriterData,
  type InsertWriterReply,
  type InsertWriterRequest,
  type SerializedOutcome,
  serializeError,
} from './insert-writer-protocol.js';
import { certificateInserter } from './sqlite-certificate-insert.js';
import { SqliteChangeLog } from './sqlite-change-log.js';
import { prepareStatements } from './sqlite-statements.js';

const port = parentPort;
if (!port) throw new Error('the insert writer runs as a worker thread');
const data = workerData as InsertWriterData;
const reply = (message: InsertWriterReply) => port.postMessage(message);

let db: Database.Database | undefined;
let insert: ((row: CertificateRowValues) => void) | undefined;
try {
  // fileMustExist: the opening connection created and migrated the file; this one never creates anything.
  db = new Database(data.file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
  // Per connection, and what makes a commit durable: the same setting as the opening connection.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('the registry is not in WAL mode');
  const changeLog = data.origin === undefined ? undefined : new SqliteChangeLog(db, data.origin);
  insert = certificateInserter(db, prepareStatements(db).insert, changeLog);
  reply({ type: 'ready' });
} catch (error) {
  db?.close();
  db = undefined;
  reply({ type: 'failed', error: serializeError(error) });
}

port.on('message', (message: InsertWriterRequest) => {
  if (message.type === 'close') {
    if (db?.open) db.close();
    reply({ type: 'closed' });
    port.close();
    return;
  }
  const outcomes: SerializedOutcome[] =
    db && insert
      ? commitGroup(db, insert, message.rows).map((outcome) =>
          outcome.ok ? outcome : { ok: false, error: serializeError(outcome.error) },
        )
      : message.rows.map(() => ({ ok: false, error: { name: 'Error', message: 'the insert writer is not open' } }));
  reply({ type: 'committed', id: message.id, outcomes });
});
