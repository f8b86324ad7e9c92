import type { Db } from './db';
import type { SemanticRow } from './semantic-store';

/** One cached answer, in the form it was received: a JSON body or the SSE stream's bytes. */
export interface CacheEntry {
  key: string;
  /** When it was stored (ms since epoch): `Cache-Control: max-age` and `olderThan` compare with it. */
  created: number;
  expires: number;
  form: 'json' | 'sse';
  contentType: string;
  body: Buffer;
  endpoint: string;
  provider: string;
  model: string;
  /** What the original call cost and took: each hit logs them as saved. Null cost: unpriced. */
  costUsd: number | null;
  latencyMs: number;
  /** The call that produced it, named in every hit's log row. */
  requestId: string;
}

/** A cache entry on its way to the database, with the entry limit in force when it was made. */
export interface CacheWrite {
  entry: CacheEntry;
  keepAtMost: number;
  /** The call's question for the semantic cache, when it had one. */
  semantic: SemanticRow | undefined;
}

/** Which entries a DELETE /tollgate/v1/cache removes; no field: all of them. */
export interface CacheFilter {
  model?: string | undefined;
  /** Entries created before this time (ms since epoch). */
  createdBefore?: number | undefined;
}

export interface CacheSummary {
  entries: number;
  bytes: number;
  oldest: number | null;
  newest: number | null;
}

interface EntryRow {
  key: string;
  created: number;
  expires: number;
  form: 'json' | 'sse';
  content_type: string;
  body: Buffer;
  endpoint: string;
  provider: string;
  model: string;
  cost_usd: number | null;
  latency_ms: number;
  request_id: string;
}

/**
 * The exact response cache's table. Reads are point lookups on the primary key from the main
 * thread; writes ride along with the log writer's batched transaction on its own thread (put()
 * runs inside it), and so does eviction (trim()), so neither costs a request.
 */
export class CacheStore {
  private readonly select;
  private readonly insert;
  private readonly deleteExpired;
  private readonly trimOldest;
  private readonly summary;

  constructor(private readonly db: Db) {
    this.select = db.prepare<[string, number], EntryRow>('SELECT * FROM cache_entries WHERE key = ? AND expires > ?');
    this.insert = db.prepare(`
      INSERT OR REPLACE INTO cache_entries (key, created, expires, form, content_type, body, endpoint, provider, model, cost_usd, latency_ms, request_id)
      VALUES (@key, @created, @expires, @form, @contentType, @body, @endpoint, @provider, @model, @costUsd, @latencyMs, @requestId)`);
    this.deleteExpired = db.prepare('DELETE FROM cache_entries WHERE expires <= ?');
    this.trimOldest = db.prepare('DELETE FROM cache_entries WHERE key IN (SELECT key FROM cache_entries ORDER BY created DESC LIMIT -1 OFFSET ?)');
    this.summary = db.prepare<[number], { entries: number; bytes: number | null; oldest: number | null; newest: number | null }>(
      'SELECT count(*) AS entries, sum(length(body)) AS bytes, min(created) AS oldest, max(created) AS newest FROM cache_entries WHERE expires > ?',
    );
  }

  get(key: string, now = Date.now()): CacheEntry | undefined {
    const row = this.select.get(key, now);
    return row && {
      key: row.key,
      created: row.created,
      expires: row.expires,
      form: row.form,
      contentType: row.content_type,
      body: row.body,
      endpoint: row.endpoint,
      provider: row.provider,
      model: row.model,
      costUsd: row.cost_usd,
      latencyMs: row.latency_ms,
      requestId: row.request_id,
    };
  }

  put(entry: CacheEntry): void {
    this.insert.run(entry);
  }

  delete(filter: CacheFilter): number {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.model !== undefined) {
      where.push('model = ?');
      params.push(filter.model);
    }
    if (filter.createdBefore !== undefined) {
      where.push('created < ?');
      params.push(filter.createdBefore);
    }
    const sql = `DELETE FROM cache_entries${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return this.db.prepare(sql).run(...params).changes;
  }

  /** Drops expired entries, then the oldest beyond `keepAtMost`. */
  trim(keepAtMost: number, now = Date.now()): number {
    return this.deleteExpired.run(now).changes + this.trimOldest.run(keepAtMost).changes;
  }

  summarize(now = Date.now()): CacheSummary {
    const row = this.summary.get(now)!;
    return { entries: row.entries, bytes: row.bytes ?? 0, oldest: row.oldest, newest: row.newest };
  }
}
