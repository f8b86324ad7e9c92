import type { CacheEntry, CacheFilter, CacheStore } from '../store/cache-store';
import { MemoryLru } from './memory-lru';

/** Clears remembered so that a write still on its way to the database cannot bring an entry back. */
interface Clearing extends CacheFilter {
  at: number;
}

/** At most this many clears are remembered; older ones have long reached the database. */
const CLEARINGS_KEPT = 32;

/**
 * The exact cache as the pipeline sees it: recent answers in memory, in front of the SQLite
 * table (which survives restarts). An answer is remembered in memory the moment its call ends,
 * so the very next identical call is a hit; the table gets it with the call's log row, a few
 * milliseconds later, on the log writer's thread.
 */
export class ResponseCache {
  private readonly memory: MemoryLru<CacheEntry>;
  private readonly clearings: Clearing[] = [];

  constructor(
    private readonly store: CacheStore,
    memoryBytes: () => number,
  ) {
    this.memory = new MemoryLru(memoryBytes, (entry) => entry.body.length + 512);
  }

  /** A live entry no older than `maxAgeMs`, or undefined. */
  lookup(key: string, maxAgeMs: number | undefined, now = Date.now()): CacheEntry | undefined {
    let entry = this.memory.get(key);
    if (!entry) {
      entry = this.store.get(key, now);
      if (entry && this.wasCleared(entry)) entry = undefined;
      if (entry) this.memory.set(key, entry);
    }
    if (!entry || entry.expires <= now) return undefined;
    if (maxAgeMs !== undefined && now - entry.created > maxAgeMs) return undefined;
    return entry;
  }

  remember(entry: CacheEntry): void {
    this.memory.set(entry.key, entry);
  }

  /** Deletes the entries the filter picks, from memory and the table; returns how many were in the table or memory. */
  clear(filter: CacheFilter, now = Date.now()): number {
    const picked = (entry: CacheEntry): boolean => matches(entry, filter);
    const fromMemory = this.memory.deleteWhere(picked);
    this.clearings.push({ ...filter, at: now });
    if (this.clearings.length > CLEARINGS_KEPT) this.clearings.shift();
    return Math.max(fromMemory, this.store.delete(filter));
  }

  summarize(now = Date.now()): { entries: number; bytes: number; memoryEntries: number; memoryBytes: number; oldest: number | null; newest: number | null } {
    return { ...this.store.summarize(now), memoryEntries: this.memory.size, memoryBytes: this.memory.bytes };
  }

  private wasCleared(entry: CacheEntry): boolean {
    return this.clearings.some((clearing) => entry.created <= clearing.at && matches(entry, clearing));
  }
}

function matches(entry: CacheEntry, filter: CacheFilter): boolean {
  if (filter.model !== undefined && entry.model !== filter.model) return false;
  if (filter.createdBefore !== undefined && entry.created >= filter.createdBefore) return false;
  return true;
}
