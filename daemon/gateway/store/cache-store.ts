import type { Db } from './db';

export interface CachedResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface CacheEntry extends CachedResponse {
  key: string;
  expires: number;
}

/**
 * The exact response cache's storage. Reads are synchronous point lookups on the primary key;
 * writes ride along with the log writer's batched transaction (put() runs inside it).
 */
export class CacheStore {
  private readonly select;
  private readonly insert;
  private readonly deleteAll;
  private readonly deleteExpired;
  private readonly trim;

  constructor(db: Db) {
    this.select = db.prepare<[string, number], { status: number; content_type: string; body: Buffer }>(
      'SELECT status, content_type, body FROM cache_entries WHERE key = ? AND expires > ?',
    );
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO cache_entries (key, created, expires, status, content_type, body) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteAll = db.prepare('DELETE FROM cache_entries');
    this.deleteExpired = db.prepare('DELETE FROM cache_entries WHERE expires <= ?');
    this.trim = db.prepare(
      'DELETE FROM cache_entries WHERE key IN (SELECT key FROM cache_entries ORDER BY created DESC LIMIT -1 OFFSET ?)',
    );
  }

  get(key: string, now = Date.now()): CachedResponse | undefined {
    const row = this.select.get(key, now);
    return row && { status: row.status, contentType: row.content_type, body: row.body };
  }

  put(entry: CacheEntry, now = Date.now()): void {
    this.insert.run(entry.key, now, entry.expires, entry.status, entry.contentType, entry.body);
  }

  clear(): number {
    return this.deleteAll.run().changes;
  }

  /** Drops expired entries, then the oldest beyond maxEntries. */
  prune(maxEntries: number, now = Date.now()): number {
    return this.deleteExpired.run(now).changes + this.trim.run(maxEntries).changes;
  }
}
