import type { Db } from './db';

const DAY_MS = 86_400_000;

/**
 * Deletes bodies and request rows past their retention. Rollups are kept: they are small and
 * they are the history the stats show. Runs at start-up and then hourly, off the request path.
 * The call-site index has no index on request_seq (it would tax every logged call), so its
 * expired entries are removed one hash-range slice per event-loop turn, never blocking for long.
 */
export async function pruneExpired(
  db: Db,
  retention: { bodyRetentionDays: number; requestRetentionDays: number },
  stopped: () => boolean = () => false,
  now = Date.now(),
): Promise<{
  bodies: number;
  requests: number;
  hashes: number;
}> {
  const bodies = db.prepare('DELETE FROM bodies WHERE ts < ?').run(now - retention.bodyRetentionDays * DAY_MS).changes;
  const requests = db.prepare('DELETE FROM requests WHERE ts < ?').run(now - retention.requestRetentionDays * DAY_MS).changes;
  // A fingerprint older than any cache TTL can match nothing; the log's retention bounds both.
  db.prepare('DELETE FROM request_fingerprints WHERE ts < ?').run(now - retention.requestRetentionDays * DAY_MS);
  const oldestKept = (db.prepare('SELECT min(seq) AS seq FROM requests').get() as { seq: number | null }).seq ?? Number.MAX_SAFE_INTEGER;
  const slice = db.prepare('DELETE FROM message_hashes WHERE hash >= ? AND hash < ? AND request_seq < ?');
  let hashes = 0;
  for (let part = 0; part < HASH_SLICES && !stopped(); part++) {
    hashes += slice.run(part * SLICE_WIDTH, (part + 1) * SLICE_WIDTH, oldestKept).changes;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { bodies, requests, hashes };
}

/** hashKey() values are 52-bit integers; 256 slices of that space. */
const HASH_SLICES = 256;
const SLICE_WIDTH = 2 ** 52 / HASH_SLICES;
