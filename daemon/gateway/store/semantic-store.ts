import type { Db } from './db';

/** One stored question of the semantic cache: its answer is the exact cache's entry `entryKey`. */
export interface SemanticRow {
  entryKey: string;
  scope: string;
  embedder: string;
  query: string;
  vector: Float32Array;
}

/**
 * The semantic cache's questions and their vectors. Written with the log writer's batches (put()
 * runs inside them, beside the exact entry it points at); a trigger removes a question when its
 * exact entry is deleted or evicted. Read a page of a scope at a time, when a scope is first
 * asked about.
 */
export class SemanticStore {
  private readonly insert;
  private readonly selectScope;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR REPLACE INTO semantic_entries (entry_key, scope, embedder, query, vector) VALUES (?, ?, ?, ?, ?)');
    this.selectScope = db.prepare<[string, string, string, number], { entry_key: string; query: string; vector: Buffer }>(
      `SELECT s.entry_key, s.query, s.vector FROM semantic_entries s JOIN cache_entries c ON c.key = s.entry_key
       WHERE s.scope = ? AND s.embedder = ? AND s.entry_key > ? AND c.expires > unixepoch('subsec') * 1000
       ORDER BY s.entry_key LIMIT ?`,
    );
  }

  put(row: SemanticRow): void {
    this.insert.run(row.entryKey, row.scope, row.embedder, row.query, Buffer.from(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength));
  }

  /** One page of a scope's live questions, in key order after `afterKey` ('' for the first). */
  scopePage(scope: string, embedder: string, afterKey: string, limit: number): SemanticRow[] {
    return this.selectScope.all(scope, embedder, afterKey, limit).map((row) => ({
      entryKey: row.entry_key,
      scope,
      embedder,
      query: row.query,
      vector: new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength)),
    }));
  }
}
