import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store/db';

/**
 * The request log read straight from the data directory, for the commands that report on it
 * while the daemon is stopped (the data is on disk either way). Undefined when there is none yet.
 */
export function withStoppedStore<T>(dataDir: string, read: (db: Db) => T): T | undefined {
  const file = join(dataDir, 'tollgate.db');
  if (!existsSync(file)) return undefined;
  const db = openDatabase(file);
  try {
    return read(db);
  } finally {
    db.close();
  }
}
