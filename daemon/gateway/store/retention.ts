import type { Db } from './db';

const DAY_MS = 86_400_000;

/**
 * Deletes bodies and request rows past their retention. Rollups are kept: they are small and
 * they are the history the stats show. Runs at start-up and then hourly, off the request path.
 */
export function pruneExpired(db: Db, retention: { bodyRetentionDays: number; requestRetentionDays: number }, now = Date.now()): {
  bodies: number;
  requests: number;
} {
  const bodies = db.prepare('DELETE FROM bodies WHERE ts < ?').run(now - retention.bodyRetentionDays * DAY_MS).changes;
  const requests = db.prepare('DELETE FROM requests WHERE ts < ?').run(now - retention.requestRetentionDays * DAY_MS).changes;
  return { bodies, requests };
}
