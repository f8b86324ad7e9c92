import type { LogRow } from './log-row';

export interface PendingLimits {
  /** Finished calls held while the database cannot take them; past this, new calls are dropped (counted). */
  maxRows: number;
  /** Memory for their bodies; past this, new calls are held without bodies (counted). */
  maxBodyBytes: number;
}

/**
 * Finished calls not yet committed: those waiting to be sent to the writer thread and the batch
 * it is committing. Normally a few rows for a few milliseconds; while the database cannot be
 * written (disk full, read-only, locked) it holds every call, within fixed bounds, so that a
 * write failure costs memory in proportion to the bounds, never the process. Rows leave only when
 * committed or rejected; a failed batch goes back to the front, so order is kept.
 */
export class PendingRows {
  private waiting: LogRow[] = [];
  private inFlight: LogRow[] = [];
  private bodyBytes = 0;
  /** Calls that will never be in the log: the bound was reached, or the database refused the row. */
  dropped = 0;
  /** Calls held (and then logged) without their bodies because the body memory was full. */
  bodiesDropped = 0;

  constructor(private readonly limits: PendingLimits) {}

  /** Every call not yet committed, the batch being committed included. */
  get size(): number {
    return this.waiting.length + this.inFlight.length;
  }

  get hasWaiting(): boolean {
    return this.waiting.length > 0;
  }

  get sending(): boolean {
    return this.inFlight.length > 0;
  }

  /** Queues a finished call; false when the bound is reached and it is dropped. */
  push(row: LogRow): boolean {
    if (this.size >= this.limits.maxRows) {
      this.dropped++;
      return false;
    }
    const bytes = bodyBytes(row);
    if (bytes > 0 && this.bodyBytes + bytes > this.limits.maxBodyBytes) {
      row = { ...row, requestBody: undefined, responseBody: undefined };
      this.bodiesDropped++;
    } else {
      this.bodyBytes += bytes;
    }
    this.waiting.push(row);
    return true;
  }

  /** The next batch to commit (at most `max` rows, oldest first); one batch at a time. */
  take(max: number): LogRow[] {
    if (this.inFlight.length > 0) throw new Error('a batch is already being committed');
    this.inFlight = this.waiting.length <= max ? this.waiting : this.waiting.slice(0, max);
    this.waiting = this.waiting.length <= max ? [] : this.waiting.slice(max);
    return this.inFlight;
  }

  /** The batch was committed, except `rejected` rows the database refused (counted as dropped). */
  settle(rejected = 0): void {
    for (const row of this.inFlight) this.bodyBytes -= bodyBytes(row);
    this.dropped += rejected;
    this.inFlight = [];
  }

  /** The batch failed as a whole: it goes back to the front, to be tried again. */
  putBack(): void {
    this.waiting = this.inFlight.concat(this.waiting);
    this.inFlight = [];
  }

  /** The batch being committed, to hand again to a replacement writer thread. */
  current(): LogRow[] {
    return this.inFlight;
  }
}

function bodyBytes(row: LogRow): number {
  return (row.requestBody?.length ?? 0) + (row.responseBody?.length ?? 0);
}
