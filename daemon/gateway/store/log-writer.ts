import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RequestLogEntry } from '../api/contracts';
import { openDatabase, type Db } from './db';
import type { LogRow, LogSink } from './log-row';
import { RowCommitter } from './row-committer';

/** How long a finished request may wait before it is sent to be committed; bounds what a crash can lose. */
const FLUSH_DELAY_MS = 20;
/** A burst this large is sent at once rather than waiting for the timer. */
const FLUSH_BATCH = 512;
/** A batch whose commit failed (SQLITE_BUSY from another process, say) is tried this many times more. */
const RETRIES = 2;
const MAX_RESTARTS_PER_MINUTE = 3;

export type WorkerRequest = { type: 'commit'; batch: number; rows: LogRow[]; keepBodies: boolean } | { type: 'close' };
export type WorkerReply =
  | { type: 'committed'; batch: number; entries: RequestLogEntry[] }
  | { type: 'failed'; batch: number; message: string }
  | { type: 'closed' };

/**
 * Takes finished requests off the request path entirely: write() only queues; a timer posts
 * the queue as one batch to the writer thread (store/log-worker.ts), which commits it in one
 * transaction. Committed entries come back and are announced to live listeners. Batches stay
 * here until committed, so a failed commit is retried and a crashed writer thread is replaced
 * and handed them again; close() waits for every batch, so a graceful stop loses nothing.
 */
export class LogWriter extends EventEmitter<{ committed: [RequestLogEntry[]]; error: [Error] }> implements LogSink {
  private queue: LogRow[] = [];
  private readonly unacknowledged = new Map<number, { rows: LogRow[]; keepBodies: boolean; tries: number }>();
  private nextBatch = 1;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private worker: Worker | undefined;
  /** Used instead of the thread if the thread keeps dying: slower for the request path, but nothing is lost. */
  private inline: { committer: RowCommitter; db: Db } | undefined;
  private readonly restarts: number[] = [];
  private closing: Promise<void> | undefined;
  private readonly drainWaiters: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly storeBodies: () => boolean,
  ) {
    super();
    this.worker = this.startWorker();
  }

  /** Calls not yet committed. */
  get pending(): number {
    let count = this.queue.length;
    for (const batch of this.unacknowledged.values()) count += batch.rows.length;
    return count;
  }

  write(row: LogRow): void {
    this.queue.push(row);
    if (this.queue.length >= FLUSH_BATCH) this.immediate ??= setImmediate(() => this.flush());
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  /** Sends what is queued to the writer thread now. */
  flush(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.queue.length === 0) return;
    const batch = this.nextBatch++;
    const rows = this.queue;
    this.queue = [];
    this.unacknowledged.set(batch, { rows, keepBodies: this.storeBodies(), tries: 0 });
    this.send(batch);
  }

  /** Resolves once every call written so far is committed. */
  async drain(): Promise<void> {
    this.flush();
    if (this.unacknowledged.size === 0) return;
    // The thread is unref'd so that it never keeps an idle daemon alive; while someone waits for
    // its commits it must, or a stopping process exits with the last rows still unwritten.
    this.worker?.ref();
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.worker?.unref();
  }

  /** Commits everything, then stops the writer thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.drain();
      this.inline?.db.close();
      const worker = this.worker;
      if (!worker) return;
      const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage({ type: 'close' } satisfies WorkerRequest);
      await closed;
    })();
    return this.closing;
  }

  private send(batch: number): void {
    const pending = this.unacknowledged.get(batch)!;
    if (this.inline) return this.commitInline(batch, pending.rows, pending.keepBodies);
    this.worker!.postMessage({ type: 'commit', batch, rows: pending.rows, keepBodies: pending.keepBodies } satisfies WorkerRequest);
  }

  private commitInline(batch: number, rows: LogRow[], keepBodies: boolean): void {
    try {
      this.onReply({ type: 'committed', batch, entries: this.inline!.committer.commit(rows, keepBodies) });
    } catch (error) {
      this.onReply({ type: 'failed', batch, message: (error as Error).message });
    }
  }

  private startWorker(): Worker {
    const worker = createWorker(this.file);
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (error) => this.emit('error', error));
    worker.on('exit', () => {
      if (this.closing) return;
      this.worker = undefined;
      this.replaceWorker();
      for (const batch of this.unacknowledged.keys()) this.send(batch);
    });
    worker.unref();
    return worker;
  }

  /** A dead writer thread is replaced; one that keeps dying gives way to committing on this thread. */
  private replaceWorker(): void {
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts[0]! < now - 60_000) this.restarts.shift();
    if (this.restarts.length <= MAX_RESTARTS_PER_MINUTE) {
      this.emit('error', new Error('the log writer thread exited; restarting it'));
      this.worker = this.startWorker();
      return;
    }
    this.emit('error', new Error('the log writer thread keeps exiting; committing on the main thread from now on'));
    const db = openDatabase(this.file);
    this.inline = { committer: new RowCommitter(db), db };
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'closed') return;
    const pending = this.unacknowledged.get(reply.batch);
    if (!pending) return;
    if (reply.type === 'failed') {
      this.emit('error', new Error(`request log write failed: ${reply.message}`));
      if (pending.tries++ < RETRIES) {
        setTimeout(() => this.send(reply.batch), 250).unref();
        return;
      }
    } else {
      this.emit('committed', reply.entries);
    }
    this.unacknowledged.delete(reply.batch);
    if (this.unacknowledged.size === 0 && this.queue.length === 0) {
      for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
  }
}

/**
 * The bundle ships dist/log-worker.js beside dist/tollgate.js. Run from sources (the tests), the
 * worker loads the .ts file through tsx's require hook: loader flags given to the parent with
 * --import do not reach worker threads on Node 20.
 */
function createWorker(file: string): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'log-worker.js'), { workerData: { file } });
  const source = join(__dirname, 'log-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData: { file } });
}
