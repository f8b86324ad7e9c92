import { join } from 'node:path';
import { openDatabase } from '../../daemon/gateway/store/db';
import type { LogRow } from '../../daemon/gateway/store/log-row';
import { RowCommitter } from '../../daemon/gateway/store/row-committer';
import type { Harness } from './harness';

/** Writes rows into the running gateway's database, as its log writer would (rollups included). */
export function plant(h: Harness, rows: LogRow[]): void {
  const db = openDatabase(join(h.dataDir, 'tollgate.db'));
  try {
    new RowCommitter(db).commit(rows, true);
  } finally {
    db.close();
  }
}
