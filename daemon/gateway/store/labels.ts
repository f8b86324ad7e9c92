import type { Db } from './db';

/**
 * Interns repeated strings (model, provider, key alias, tag, error class) so each is stored once
 * and log rows stay small. Ids are cached in memory: after warm-up, interning is a Map lookup.
 */
/**
 * Ids kept in memory: far more than the distinct models, providers and tags of real traffic, few
 * enough that a caller sending a new model name with every request cannot grow the daemon.
 */
const MAX_CACHED = 10_000;

export class Labels {
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly insert;
  private readonly select;

  constructor(db: Db) {
    this.insert = db.prepare<[string]>('INSERT OR IGNORE INTO labels (value) VALUES (?)');
    this.select = db.prepare<[string], { id: number }>('SELECT id FROM labels WHERE value = ?');
  }

  /** Must run inside the writer's transaction (it may insert). */
  intern(value: string | null | undefined): number {
    if (!value) return 0;
    let id = this.ids.get(value);
    if (id === undefined) {
      this.insert.run(value);
      id = this.select.get(value)!.id;
      if (this.ids.size >= MAX_CACHED) this.ids.clear();
      this.ids.set(value, id);
    }
    return id;
  }

  /** After a rolled-back transaction: the ids it inserted are gone, and SQLite may give them to other values. */
  forgetCached(): void {
    this.ids.clear();
    this.ids.set('', 0);
  }

  /** For filters: the id of an existing label, or undefined when no row can match. */
  find(value: string): number | undefined {
    return this.ids.get(value) ?? this.select.get(value)?.id;
  }
}
