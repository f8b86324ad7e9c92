/**
 * A least-recently-used map bounded by the total size of its values. A Map keeps insertion
 * order, so re-inserting on access makes the first key the least recently used.
 */
export class MemoryLru<V> {
  private readonly items = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(
    private readonly maxBytes: () => number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    this.items.delete(key);
    this.items.set(key, item);
    return item.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    const limit = this.maxBytes();
    if (size > limit) return;
    this.items.set(key, { value, size });
    this.total += size;
    for (const [oldest, item] of this.items) {
      if (this.total <= limit) break;
      this.items.delete(oldest);
      this.total -= item.size;
    }
  }

  delete(key: string): void {
    const item = this.items.get(key);
    if (!item) return;
    this.items.delete(key);
    this.total -= item.size;
  }

  /** Removes every value the predicate picks; returns how many. */
  deleteWhere(picked: (value: V) => boolean): number {
    let removed = 0;
    for (const [key, item] of this.items) {
      if (!picked(item.value)) continue;
      this.items.delete(key);
      this.total -= item.size;
      removed++;
    }
    return removed;
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.items.size;
  }
}
