import Database from 'better-sqlite3';
import { restrictDatabaseFiles } from './file-modes';
import { runMigrations } from './migrations';
import { nativeBinding } from './native-binding';

export type Db = Database.Database;

/**
 * Opens (or creates) the gateway's database. WAL lets the admin API read while the writer
 * commits; synchronous=NORMAL is durable across process crashes in WAL mode and only risks the
 * last commits on power loss, which a request log can afford.
 */
export function openDatabase(file: string): Db {
  restrictDatabaseFiles(file);
  const db = new Database(file, { nativeBinding: nativeBinding() });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  runMigrations(db);
  return db;
}
